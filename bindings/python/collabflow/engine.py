"""The engine, from Python: commands in, views and notifications out.

Two layers over the same C calls:

* typed (the Pythonic API): inputs are the dataclasses of
  :mod:`collabflow.messages` (or dicts in proto3 JSON form), times are
  timezone-aware ``datetime`` objects, results are dataclasses
  (:class:`RequestView`, :class:`ScheduleView`, :class:`Notification`, ...).
  Commands concerning one request go through its :class:`RequestHandle`
  (``engine.request(id)``, or the handle ``create_request`` returns).
* JSON (what the CLI uses): :meth:`Engine.execute`, :meth:`Engine.get_request`,
  :meth:`Engine.schedule`, :meth:`Engine.must_do`, :meth:`Engine.overdue`,
  :meth:`Engine.outbox`, :meth:`Engine.events`, :meth:`Engine.state` take and
  return dicts in the proto3 JSON form of the collabflow.v1 messages.

Thread safety: one :class:`Engine` may be shared by many threads (the library
serializes commands). ``close()`` refuses new calls at once, waits for the
calls in flight on other threads, then releases the handle; later calls raise
:class:`collabflow.ObjectClosed`.
"""
from __future__ import annotations

import ctypes
import datetime as _dt
import enum
import json
import os
import sys
from ctypes import byref, c_size_t, c_void_p
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional,
                    Union)

from . import _ffi
from ._codec import format_timestamp, to_json, to_unix_micros
from .messages import (ChannelLink, CollaborationRequest, Command, CommandResult, Deliverable,
                       Directory, RectificationItem,
                       DueItem, EngineState, Event, KickoffMeeting, Minutes, MustDoList,
                       Notification, OverdueList, Plan, PlanChange, ProgressReport,
                       ReceiverResponse, RequestRecord, RequestState, RequestView,
                       ResourceDecision, ResourceRequest, RevisionPreview, Risk, ScheduleView)

if TYPE_CHECKING:
    from .calendars import WorkCalendar

_PROTOBUF = 0
_JSON = 1
_MAX_SIZE = 2 ** (8 * ctypes.sizeof(c_size_t)) - 1  # a size_t count
Json = Dict[str, Any]
Time = Optional[_dt.datetime]


class Durability(enum.IntEnum):
    """When an acknowledged command is on disk (a durable store only)."""

    SYNC_EVERY_COMMAND = 0  # default: acknowledged = on disk
    GROUP_COMMIT = 1  # concurrent commands share fsyncs
    NO_SYNC = 2  # tests only


_DURABILITY_NAMES = {"sync": Durability.SYNC_EVERY_COMMAND, "group": Durability.GROUP_COMMIT,
                     "none": Durability.NO_SYNC}


def _durability(value: Union[str, int, Durability]) -> Durability:
    if isinstance(value, str):
        if value not in _DURABILITY_NAMES:
            raise ValueError("durability must be one of %s or a Durability"
                             % sorted(_DURABILITY_NAMES))
        return _DURABILITY_NAMES[value]
    return Durability(value)


def _check_page_size(page_size: int) -> None:
    if not 1 <= page_size <= _MAX_SIZE:
        raise ValueError("page_size must be in 1..%d, got %r" % (_MAX_SIZE, page_size))


def _progress_thunk(progress: Callable[[int, int], Optional[bool]]) -> Any:
    """Wraps ``progress(done, total)`` as a cflow_progress_fn: a true result
    stops the work (the call raises :class:`collabflow.Cancelled`), and so
    does an exception (which cannot cross the C frames; its text goes to
    stderr)."""

    def call(done: int, total: int, _payload: Any) -> int:
        try:
            return 1 if progress(done, total) else 0
        except BaseException as e:  # noqa: B902  (nothing may unwind into C)
            sys.stderr.write("collabflow: progress callback raised %r; stopping\n" % (e,))
            return 1

    return _ffi.progress_fn(call)


class Engine(_ffi.ObjectRef):
    """An open collabflow engine: in memory (``store_dir=None``) or durable in
    the directory ``store_dir`` (created if needed; one open handle per store).

    Close it with :meth:`close` or use it as a context manager; a closed
    engine raises :class:`collabflow.ObjectClosed` (a FailedPrecondition) and
    never crashes. ``host_actor`` is the actor id of directory updates.
    """

    _dispose_name = "cflow_engine_close"
    _kind = "engine"

    def __init__(self, store_dir: Optional[Union[str, os.PathLike[str]]] = None, *,
                 durability: Union[str, int, Durability] = "sync",
                 host_actor: str = "host",
                 progress: Optional[Callable[[int, int], Optional[bool]]] = None) -> None:
        mode = _durability(durability)
        # The ctypes thunk must outlive the engine: the library calls it
        # during the replay below and every later pass over the journal.
        self._progress_thunk = None if progress is None else _progress_thunk(progress)
        with _ffi.Options() as opts:
            if store_dir is not None:
                opts.set_store_dir(str(store_dir))
            opts.set_durability(int(mode))
            opts.set_host_actor(host_actor)
            if self._progress_thunk is not None:
                opts.set_progress(self._progress_thunk)
            ptr = _ffi.engine_p()
            with opts._use() as h:
                _ffi.check(_ffi.lib.cflow_engine_open(byref(ptr), h))
        super().__init__(ptr)
        self.store_dir: Optional[str] = None if store_dir is None else str(store_dir)
        self.durability = mode
        self.host_actor = host_actor

    def __repr__(self) -> str:
        where = self.store_dir or "in memory"
        return "<collabflow.Engine %s%s>" % (where, " (closed)" if self.closed else "")

    # ---- the JSON layer (dicts in, dicts out) ----

    def _call(self, fn: Any, *args: Any) -> None:
        """fn(handle, *args), guarded against a concurrent close."""
        with self._use() as h:
            _ffi.check(fn(h, *args))

    def _call_json(self, fn: Any, *args: Any) -> Json:
        """fn(&out, &out_len, handle, JSON, *args) -> the parsed JSON result."""
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(fn(byref(out), byref(out_len), h, _JSON, *args))
        return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))

    def execute(self, command: Union[Json, Command]) -> Json:
        """Executes one collabflow.v1.Command (a dict or :class:`Command`);
        returns the CommandResult as a dict. A refusal raises the typed error
        and changes nothing."""
        data = json.dumps(to_json(command), ensure_ascii=False).encode("utf-8")
        return self._call_json(_ffi.lib.cflow_engine_execute, data, len(data))

    def execute_bytes(self, command: bytes) -> bytes:
        """Executes a collabflow.v1.Command given as protobuf wire bytes;
        returns the CommandResult's bytes (the ABI's protobuf format, for
        hosts that speak protobuf; no Python protobuf package needed)."""
        out, out_len = c_void_p(), c_size_t()
        data = bytes(command)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_engine_execute(byref(out), byref(out_len), h, _PROTOBUF,
                                                     data, len(data)))
        return _ffi.take_buffer(out, out_len)

    def state_bytes(self) -> bytes:
        """The folded EngineState as deterministic protobuf bytes (equal
        histories give equal bytes: hash them to compare replicas)."""
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_engine_state(byref(out), byref(out_len), h, _PROTOBUF))
        return _ffi.take_buffer(out, out_len)

    def get_request(self, request_id: str) -> Json:
        """The RequestView of one request, as a dict (NotFound if unknown)."""
        return self._call_json(_ffi.lib.cflow_engine_get_request, request_id.encode("utf-8"))

    def schedule(self, request_id: str) -> Json:
        """The ScheduleView (CPM dates, float, critical path) as a dict."""
        return self._call_json(_ffi.lib.cflow_engine_schedule, request_id.encode("utf-8"))

    def must_do(self, person_id: str, at: _dt.datetime) -> Json:
        """The MustDoList of ``person_id`` at ``at``, as a dict."""
        return self._call_json(_ffi.lib.cflow_engine_must_do, person_id.encode("utf-8"),
                               to_unix_micros(at, "at"))

    def overdue(self, at: _dt.datetime) -> Json:
        """The OverdueList at ``at``, as a dict."""
        return self._call_json(_ffi.lib.cflow_engine_overdue, to_unix_micros(at, "at"))

    def outbox(self, after: int = 0, page_size: int = 256) -> Iterator[Json]:
        """Notifications (dicts) with id > ``after``, in order, page by page."""
        _check_page_size(page_size)
        while True:
            page = self._call_json(_ffi.lib.cflow_engine_outbox_read, after, page_size)
            items = page.get("notifications", [])
            if not items:
                return
            for n in items:
                yield n
                after = int(n["id"])

    def events(self, after: int = 0, page_size: int = 1024) -> Iterator[Json]:
        """Events (dicts) with sequence > ``after``, in order, page by page."""
        _check_page_size(page_size)
        while True:
            page = self._call_json(_ffi.lib.cflow_engine_events, after, page_size)
            items = page.get("events", [])
            if not items:
                return
            for e in items:
                yield e
                after = int(e["sequence"])

    def state(self) -> Json:
        """The folded EngineState as a dict."""
        return self._call_json(_ffi.lib.cflow_engine_state)

    def preview_revision(self, command: Union[Json, Command]) -> Json:
        """What-if: the RevisionPreview (schedule before and after, the tasks
        that move, the finish shift, milestones newly late) of a revise_plan
        command, as a dict, without committing it. Refusals as for executing
        the same command."""
        data = json.dumps(to_json(command), ensure_ascii=False).encode("utf-8")
        return self._call_json(_ffi.lib.cflow_engine_preview_revision, data, len(data))

    def calendar(self) -> "WorkCalendar":
        """The calendar every time rule of this engine counts with."""
        from .calendars import calendar_of
        return calendar_of(self)

    # ---- time and the outbox ----

    def tick(self, now: _dt.datetime) -> int:
        """Processes the time rules due at ``now`` (reminders, escalations);
        returns the number of events appended. Idempotent at one instant."""
        micros = to_unix_micros(now, "now")
        n = c_size_t(0)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_engine_tick(byref(n), h, micros))
        return n.value

    def acknowledge(self, up_to: Union[int, Notification]) -> None:
        """Marks every notification with id <= ``up_to`` delivered (durably).
        OutOfRange beyond the last notification."""
        if isinstance(up_to, Notification):
            up_to = up_to.id
        self._call(_ffi.lib.cflow_engine_outbox_ack, int(up_to))

    # ---- typed commands ----

    def run(self, command: Union[Command, Json]) -> CommandResult:
        """Executes a command; returns the typed :class:`CommandResult`."""
        return CommandResult.from_json(self.execute(command))

    def command(self, actor: str, name: str, payload: Any = None, *, request_id: str = "",
                at: Time = None) -> CommandResult:
        """Executes the command whose payload field is ``name`` (e.g.
        ``"start_task"``) with ``payload`` (a message or a dict). The generic
        form behind every helper; use it for commands without one."""
        cmd: Json = {"actor_id": actor, name: {} if payload is None else to_json(payload)}
        if request_id:
            cmd["request_id"] = request_id
        if at is not None:
            cmd["time"] = format_timestamp(at, "at")
        return self.run(cmd)

    def update_directory(self, directory: Union[Directory, Json], *,
                         at: Time = None) -> CommandResult:
        """Replaces the directory of people and departments (as the host)."""
        return self.command(self.host_actor, "update_directory",
                            {"directory": to_json(directory)}, at=at)

    def create_request(self, actor: str, request: Union[CollaborationRequest, Json], *,
                       at: Time = None) -> "RequestHandle":
        """Files a request (DRAFT) as ``actor`` (its initiator); returns its
        handle. AlreadyExists if the id is taken."""
        body = to_json(request)
        self.command(actor, "create_request", {"request": body}, request_id=body.get("id", ""),
                     at=at)
        return RequestHandle(self, body.get("id", ""))

    def request(self, request_id: str) -> "RequestHandle":
        """The handle of an existing request (not checked until used)."""
        return RequestHandle(self, request_id)

    # ---- typed queries ----

    def request_view(self, request_id: str) -> RequestView:
        return RequestView.from_json(self.get_request(request_id))

    def schedule_view(self, request_id: str) -> ScheduleView:
        """The schedule: iterate its rows, ``.to_dicts()``, ``.to_dataframe()``."""
        return ScheduleView.from_json(self.schedule(request_id))

    def must_do_list(self, person_id: str, at: _dt.datetime) -> MustDoList:
        """What ``person_id`` owes, by due time, flagged overdue at ``at``."""
        return MustDoList.from_json(self.must_do(person_id, at))

    def overdue_items(self, at: _dt.datetime) -> List[DueItem]:
        """Every open due item due at or before ``at``, by due time."""
        return OverdueList.from_json(self.overdue(at)).items

    def notifications(self, after: int = 0, page_size: int = 256) -> Iterator[Notification]:
        """The outbox as :class:`Notification` objects with id > ``after``;
        resume later from the last id seen."""
        for n in self.outbox(after, page_size):
            yield Notification.from_json(n)

    def deliver(self, page_size: int = 256) -> Iterator[Notification]:
        """The unacknowledged notifications, each acknowledged once the loop
        body that received it finished: at-least-once delivery for a host.

            for note in engine.deliver():
                send(note)        # if this raises, `note` stays unacknowledged

        A notification is acknowledged when the next one is asked for (or the
        loop ends normally), so an exception, a crash or a ``break`` in the
        body leaves it, and everything after it, to the next ``deliver()``.
        """
        last = 0
        for note in self.notifications(0, page_size):
            if last:
                self.acknowledge(last)
            yield note
            last = note.id
        if last:
            self.acknowledge(last)

    def history(self, after: int = 0, page_size: int = 1024, *,
                request_id: Optional[str] = None) -> Iterator[Event]:
        """The event history (:class:`Event`, ``.kind`` names the payload),
        optionally only one request's events."""
        for e in self.events(after, page_size):
            if request_id is None or e.get("request_id", "") == request_id:
                yield Event.from_json(e)

    def snapshot(self) -> EngineState:
        """The folded state as an :class:`EngineState`."""
        return EngineState.from_json(self.state())

    def request_ids(self) -> List[str]:
        return sorted(self.state().get("requests", {}))

    def directory(self) -> Directory:
        return Directory.from_json(self.state().get("directory", {}))


class RequestHandle:
    """One collaboration request of an engine: its commands and views.

    A child of the engine: it keeps the engine alive (the engine is not
    garbage-collected while a handle exists), and raises ObjectClosed once
    the engine is closed. Cheap; as thread-safe as the engine.
    """

    def __init__(self, engine: Engine, request_id: str) -> None:
        if not request_id:
            raise ValueError("request_id must not be empty")
        self._engine = engine
        self.id = request_id

    def __repr__(self) -> str:
        return "<collabflow.RequestHandle %s>" % self.id

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RequestHandle) and other._engine is self._engine
                and other.id == self.id)

    def __hash__(self) -> int:
        return hash((id(self._engine), self.id))

    @property
    def engine(self) -> Engine:
        return self._engine

    def command(self, actor: str, name: str, payload: Any = None, *,
                at: Time = None) -> CommandResult:
        """Executes any command on this request (see :meth:`Engine.command`)."""
        return self._engine.command(actor, name, payload, request_id=self.id, at=at)

    # ---- step 1: request and confirmation ----

    def submit(self, actor: str, *, at: Time = None) -> CommandResult:
        """DRAFT -> SUBMITTED: each receiver now owes an answer."""
        return self.command(actor, "submit_request", at=at)

    def revise(self, actor: str, request: Union[CollaborationRequest, Json], *,
               change_note: str = "", at: Time = None) -> CommandResult:
        """A new version (same id and initiator); responses start over."""
        return self.command(actor, "revise_request",
                            {"request": to_json(request), "change_note": change_note}, at=at)

    def respond(self, actor: str, response: Union[ReceiverResponse, Json], *,
                at: Time = None) -> CommandResult:
        """A receiver's answer (``actor`` answers for ``response.receiver_id``)."""
        return self.command(actor, "respond", {"response": to_json(response)}, at=at)

    def cancel(self, actor: str, *, reason: str, at: Time = None) -> CommandResult:
        return self.command(actor, "cancel", {"reason": reason}, at=at)

    def record_kickoff(self, actor: str, meeting: Union[KickoffMeeting, Json], *,
                       at: Time = None) -> CommandResult:
        return self.command(actor, "record_kickoff", {"meeting": to_json(meeting)}, at=at)

    # ---- step 2: breakdown and assignment ----

    def publish_plan(self, actor: str, plan: Union[Plan, Json], *,
                     acknowledge_omissions: bool = False, at: Time = None) -> CommandResult:
        """CONFIRMED -> PLANNED. Cycles and unassigned tasks are refused;
        omissions need ``acknowledge_omissions=True``."""
        return self.command(actor, "publish_plan", {"plan": to_json(plan),
                                                    "acknowledge_omissions":
                                                        acknowledge_omissions}, at=at)

    # ---- steps 3 and 4: communication, resources, tracking ----

    def start_task(self, actor: str, task_id: str, *, at: Time = None) -> CommandResult:
        return self.command(actor, "start_task", {"task_id": task_id}, at=at)

    def report_progress(self, actor: str, report: Union[ProgressReport, Json], *,
                        resource_request: Optional[Union[ResourceRequest, Json]] = None,
                        at: Time = None) -> CommandResult:
        payload: Json = {"report": to_json(report)}
        if resource_request is not None:
            payload["resource_request"] = to_json(resource_request)
        return self.command(actor, "report_progress", payload, at=at)

    def raise_risk(self, actor: str, risk: Union[Risk, Json], *,
                   at: Time = None) -> CommandResult:
        return self.command(actor, "raise_risk", {"risk": to_json(risk)}, at=at)

    def respond_to_risk(self, actor: str, risk_id: str, response: str, *,
                        at: Time = None) -> CommandResult:
        return self.command(actor, "respond_to_risk", {"risk_id": risk_id, "response": response},
                            at=at)

    def resolve_risk(self, actor: str, risk_id: str, resolution: str, *,
                     revision_number: int = 0, at: Time = None) -> CommandResult:
        return self.command(actor, "resolve_risk", {"risk_id": risk_id, "resolution": resolution,
                                                    "revision_number": revision_number}, at=at)

    def request_resource(self, actor: str, request: Union[ResourceRequest, Json], *,
                         at: Time = None) -> CommandResult:
        return self.command(actor, "request_resource", {"request": to_json(request)}, at=at)

    def decide_resource(self, actor: str, resource_request_id: str,
                        decision: Union[ResourceDecision, str, int], *, reason: str = "",
                        at: Time = None) -> CommandResult:
        return self.command(actor, "decide_resource", {
            "resource_request_id": resource_request_id,
            "decision": ResourceDecision.parse(decision).proto_name, "reason": reason}, at=at)

    def revise_plan(self, actor: str, changes: Iterable[Union[PlanChange, Json]], *,
                    reason: str, reopen_task_ids: Iterable[str] = (),
                    acknowledge_omissions: bool = False, at: Time = None) -> CommandResult:
        return self.command(actor, "revise_plan", {
            "changes": [to_json(c) for c in changes], "reason": reason,
            "reopen_task_ids": list(reopen_task_ids),
            "acknowledge_omissions": acknowledge_omissions}, at=at)

    def preview_revision(self, actor: str, changes: Iterable[Union[PlanChange, Json]], *,
                         reason: str, reopen_task_ids: Iterable[str] = (),
                         acknowledge_omissions: bool = False,
                         at: _dt.datetime) -> RevisionPreview:
        """What-if: the effect of :meth:`revise_plan` with the same arguments,
        without committing it (``at`` is required: the preview is computed as
        of that instant)."""
        return RevisionPreview.from_json(self._engine.preview_revision({
            "actor_id": actor, "request_id": self.id, "time": format_timestamp(at, "at"),
            "revise_plan": {"changes": [to_json(c) for c in changes], "reason": reason,
                            "reopen_task_ids": list(reopen_task_ids),
                            "acknowledge_omissions": acknowledge_omissions}}))

    def record_minutes(self, actor: str, minutes: Union[Minutes, Json], *,
                       at: Time = None) -> CommandResult:
        return self.command(actor, "record_minutes", {"minutes": to_json(minutes)}, at=at)

    def record_channel(self, actor: str, link: Union[ChannelLink, Json], *,
                       at: Time = None) -> CommandResult:
        return self.command(actor, "record_channel", {"link": to_json(link)}, at=at)

    # ---- step 5: acceptance and archive ----

    def submit_deliverables(self, actor: str, task_id: str,
                            deliverables: Iterable[Union[Deliverable, Json]], *, note: str = "",
                            at: Time = None) -> CommandResult:
        """The assignee submits a task's deliverables (title, uri, sha256, ...)."""
        return self.command(actor, "submit_deliverables", {
            "task_id": task_id, "deliverables": [to_json(d) for d in deliverables],
            "note": note}, at=at)

    def review(self, actor: str, task_id: str, *, passed: bool,
               items_met: Iterable[str] = (), items_missing: Iterable[str] = (),
               accurate: bool = True, accuracy_comment: str = "",
               rectification: Iterable[Union[RectificationItem, Json, str]] = (),
               waive_timeliness: str = "", at: Time = None) -> CommandResult:
        """The owner's review on completeness (delivery-standard items),
        accuracy and timeliness (computed by the engine; pass a reason in
        ``waive_timeliness`` to waive it). A failure needs rectification items
        (strings or RectificationItem; each due in 2 working days by default)."""
        items = [{"description": r} if isinstance(r, str) else to_json(r) for r in rectification]
        payload: Json = {"task_id": task_id, "items_met": list(items_met),
                         "items_missing": list(items_missing), "accurate": accurate,
                         "accuracy_comment": accuracy_comment,
                         "verdict": "VERDICT_PASS" if passed else "VERDICT_FAIL",
                         "rectification": items}
        if waive_timeliness:
            payload.update(waive_timeliness=True, waiver_reason=waive_timeliness)
        return self.command(actor, "review_submission", payload, at=at)

    def submit_final(self, actor: str, deliverables: Iterable[Union[Deliverable, Json]], *,
                     note: str = "", at: Time = None) -> CommandResult:
        """The owner submits the request's final deliverables (every task DONE)."""
        return self.command(actor, "submit_final", {
            "deliverables": [to_json(d) for d in deliverables], "note": note}, at=at)

    def review_final(self, actor: str, *, passed: bool, comment: str = "",
                     rectification: Iterable[Union[RectificationItem, Json, str]] = (),
                     at: Time = None) -> CommandResult:
        """The final reviewer accepts the request (-> ACCEPTED) or sends it back."""
        items = [{"description": r} if isinstance(r, str) else to_json(r) for r in rectification]
        return self.command(actor, "review_final", {
            "verdict": "VERDICT_PASS" if passed else "VERDICT_FAIL", "comment": comment,
            "rectification": items}, at=at)

    def archive(self, actor: str, *, note: str = "", at: Time = None) -> CommandResult:
        """ACCEPTED -> ARCHIVED; the request is read-only afterwards."""
        return self.command(actor, "archive_request", {"note": note}, at=at)

    # ---- views ----

    def process_record(self) -> Json:
        """The process record table (协作流程记录表) as a dict."""
        from . import records
        return records.process_record(self._engine, self.id)

    def report(self, *, format: str = "html", language: str = "zh",
               now: Optional[_dt.datetime] = None) -> str:
        """The report as text: HTML (default), Markdown ("md") or the Gantt SVG."""
        from . import records
        return records.report(self._engine, self.id, format=format, language=language, now=now)

    def export_archive(self) -> bytes:
        """The archive bundle (verifiable with ``collabflow.records.verify_archive``)."""
        from . import records
        return records.export_archive(self._engine, self.id)

    def view(self) -> RequestView:
        """The record, where each receiver stands, and everyone concerned."""
        return self._engine.request_view(self.id)

    def record(self) -> RequestRecord:
        record = self.view().record
        assert record is not None
        return record

    @property
    def state(self) -> RequestState:
        return self.record().state

    def schedule(self) -> ScheduleView:
        return self._engine.schedule_view(self.id)

    def ready_tasks(self) -> List[str]:
        """The ready set: ids of the plan's tasks that may start now (every
        blocking predecessor satisfied, not started), in plan order."""
        return [e.task_id for e in self.record().executions if e.state.name == "READY"]

    def history(self, after: int = 0) -> Iterator[Event]:
        """This request's events, in order."""
        return self._engine.history(after, request_id=self.id)

    def notifications(self, after: int = 0) -> Iterator[Notification]:
        """The outbox entries about this request, in order."""
        return (n for n in self._engine.notifications(after) if n.request_id == self.id)

__all__ = ["Durability", "Engine", "RequestHandle"]
