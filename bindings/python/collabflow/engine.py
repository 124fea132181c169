"""The engine, from Python: commands in, views and notifications out.

One way to do each thing:

* a command runs through :meth:`Engine.execute` (a :class:`Command`
  dataclass in, a :class:`CommandResult` out), or, for commands that
  already are JSON (a scenario file, a web request), through
  :meth:`Engine.execute_json` (a dict in the proto3 JSON form in, a dict
  out). The step methods of a request's :class:`RequestHandle`
  (``submit``, ``respond``, ``publish_plan``, ...) and
  :meth:`Engine.update_directory` / :meth:`Engine.create_request` build the
  :class:`Command` for you and go through :meth:`Engine.execute`;
* what the engine knows comes back as dataclasses: a request from
  :meth:`RequestHandle.view` (its schedule from
  :meth:`RequestHandle.schedule`), the whole state from
  :meth:`Engine.state`, and :meth:`Engine.must_do`, :meth:`Engine.overdue`,
  :meth:`Engine.notifications` and :meth:`Engine.history`. Records (the
  process record table, reports, the archive) are in
  :mod:`collabflow.records`. Times are timezone-aware ``datetime`` objects.

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
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Type, Union

from . import _ffi
from ._codec import Message, to_unix_micros
from .calendars import WorkCalendar
from .messages import (ArchiveRequest, CancelRequest, ChannelLink, CollaborationRequest, Command,
                       CommandResult, CreateRequest, DecideResource, Deliverable, Directory,
                       DueItem, EngineState, Event, KickoffMeeting, Minutes, MustDoList,
                       Notification, OverdueList, Plan, PlanChange, ProgressReport,
                       PublishPlan, RaiseRisk, ReceiverResponse, RecordChannel, RecordKickoff,
                       RecordMinutes, RectificationItem, ReportProgress, RequestRecord,
                       RequestResource, RequestState, RequestView, ResolveRisk,
                       ResourceDecision, ResourceRequest, RespondToRequest, RespondToRisk,
                       ReviewFinal, ReviewSubmission, ReviseRequest, RevisePlan,
                       RevisionPreview, Risk, ScheduleView, StartTask, SubmitDeliverables,
                       SubmitFinal, SubmitRequest, UpdateDirectory, Verdict)

_JSON = 1  # cflow_format: every call below speaks proto3 JSON
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
    never crashes. One left open is closed when garbage-collected, with a
    ResourceWarning naming its store (as an unclosed file warns; a durable
    engine holds its store's lock until closed). ``host_actor`` is the actor
    id of directory updates. ``request_cache_bytes`` bounds the memory of the full records held for
    the requests in use (default 256 MiB; the others are read back from
    their streams when needed). A durable engine writes a snapshot on a
    thread of its own every ``snapshot_every_records`` journal records
    (default 20000; 0: only on :meth:`write_snapshot`), so that an open
    reads the snapshot and the records after it, not the whole history.
    ``clock_tolerance`` is how much earlier than its request's last event a
    command may be dated (hosts' clocks differ; default 5 minutes): beyond
    it, or before the request's creation, the command is refused
    (:class:`collabflow.InvalidArgument`). ``read_only=True`` opens the store
    directory without its lock, beside a host that may be writing it:
    nothing on disk changes (a missing directory is
    :class:`collabflow.NotFound`), the engine sees the commands complete
    when it opened (open again to see later ones), and commands, ticks,
    acknowledgements and snapshots raise
    :class:`collabflow.FailedPrecondition`. ``store_dir`` may be a
    ``postgresql://`` URI: a database several hosts share (docs/store.md);
    ``connect_timeout_seconds`` and ``statement_timeout_ms`` bound its waits
    (default 10 s each: Unavailable / DeadlineExceeded beyond).
    """

    _dispose_name = "cflow_engine_close"
    _kind = "engine"
    _warn_unclosed = True

    def __init__(self, store_dir: Optional[Union[str, os.PathLike[str]]] = None, *,
                 durability: Union[str, int, Durability] = "sync",
                 host_actor: str = "host",
                 request_cache_bytes: Optional[int] = None,
                 snapshot_every_records: Optional[int] = None,
                 clock_tolerance: Optional[_dt.timedelta] = None,
                 progress: Optional[Callable[[int, int], Optional[bool]]] = None,
                 read_only: bool = False,
                 connect_timeout_seconds: Optional[int] = None,
                 statement_timeout_ms: Optional[int] = None) -> None:
        mode = _durability(durability)
        # The ctypes thunk must outlive the engine: the library calls it
        # during the replay below and every later pass over the journal.
        self._progress_thunk = None if progress is None else _progress_thunk(progress)
        with _ffi.Options() as opts:
            if store_dir is not None:
                opts.set_store_dir(str(store_dir))
            opts.set_durability(int(mode))
            opts.set_host_actor(host_actor)
            if request_cache_bytes is not None:
                if request_cache_bytes < 0:
                    raise ValueError("request_cache_bytes: negative")
                opts.set_request_cache_bytes(request_cache_bytes)
            if snapshot_every_records is not None:
                if snapshot_every_records < 0:
                    raise ValueError("snapshot_every_records: negative")
                opts.set_snapshot_every_records(snapshot_every_records)
            if clock_tolerance is not None:
                if clock_tolerance < _dt.timedelta(0):
                    raise ValueError("clock_tolerance: negative")
                opts.set_clock_tolerance(clock_tolerance // _dt.timedelta(microseconds=1))
            if self._progress_thunk is not None:
                opts.set_progress(self._progress_thunk)
            if read_only:
                opts.set_read_only(True)
            if connect_timeout_seconds is not None or statement_timeout_ms is not None:
                opts.set_store_timeouts(10 if connect_timeout_seconds is None
                                        else connect_timeout_seconds,
                                        10_000 if statement_timeout_ms is None
                                        else statement_timeout_ms)
            ptr = _ffi.engine_p()
            with opts._use() as h:
                _ffi.check(_ffi.lib.cflow_engine_open(byref(ptr), h))
        super().__init__(ptr)
        self.store_dir: Optional[str] = None if store_dir is None else str(store_dir)
        self.durability = mode
        self.read_only = read_only
        self.host_actor = host_actor

    def __repr__(self) -> str:
        where = self.store_dir or "in memory"
        return "<collabflow.Engine %s%s>" % (where, " (closed)" if self.closed else "")

    # ---- the calls underneath: JSON across the C ABI ----

    def _call(self, fn: Any, *args: Any) -> None:
        """fn(handle, *args), guarded against a concurrent close."""
        with self._use() as h:
            _ffi.check(fn(h, *args))

    def _query(self, fn: Any, *args: Any) -> Json:
        """fn(&out, &out_len, handle, JSON, *args) -> the library's JSON as a
        dict. Every read below parses it into its dataclass; the CLI, a JSON
        host, prints it as it is."""
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(fn(byref(out), byref(out_len), h, _JSON, *args))
        return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))

    def _pages(self, fn: Any, field: str, key: str, after: int,
               page_size: int) -> Iterator[Json]:
        """The items of an OutboxPage or EventPage feed after position
        `after` (`key` is the position field; pages hold whole records)."""
        _check_page_size(page_size)
        while True:
            items = self._query(fn, after, page_size).get(field, [])
            if not items:
                return
            for item in items:
                yield item
                after = int(item[key])

    @staticmethod
    def _encode(command: Any, kind: Type[Any], method: str, other: str = "") -> bytes:
        """The command's JSON bytes; TypeError (naming the path that fits)
        for a command of the other kind."""
        if not isinstance(command, kind):
            raise TypeError("Engine.%s takes a %s, not %s%s"
                            % (method, "Command" if kind is Command else "dict",
                               type(command).__name__,
                               " (use Engine.%s)" % other if other else ""))
        body = command.to_json() if isinstance(command, Message) else command
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    # ---- commands: one typed path, one dict path ----

    def execute(self, command: Command) -> CommandResult:
        """Executes one :class:`Command` and returns its :class:`CommandResult`
        (the events it appended). A refusal raises the typed error
        (PermissionDenied, FailedPrecondition, InvalidArgument naming the
        field, ...) and changes nothing."""
        data = self._encode(command, Command, "execute", "execute_json")
        return CommandResult.from_json(
            self._query(_ffi.lib.cflow_engine_execute, data, len(data)))

    def execute_json(self, command: Json) -> Json:
        """Executes one collabflow.v1.Command given as a dict in its proto3
        JSON form (as read from a JSON file) and returns the CommandResult as
        a dict. Refusals as for :meth:`execute`."""
        data = self._encode(command, dict, "execute_json", "execute")
        return self._query(_ffi.lib.cflow_engine_execute, data, len(data))

    def preview_revision(self, command: Command) -> RevisionPreview:
        """What-if: the effect of a ``revise_plan`` command (schedule before
        and after, the tasks that move, the finish shift, milestones newly
        late), computed as of its ``time`` and committed nowhere. Refusals as
        for executing it. :meth:`RequestHandle.preview_revision` builds the
        command."""
        data = self._encode(command, Command, "preview_revision")
        return RevisionPreview.from_json(
            self._query(_ffi.lib.cflow_engine_preview_revision, data, len(data)))

    def update_directory(self, directory: Directory, *, at: Time = None) -> CommandResult:
        """Replaces the directory of people and departments (as the host)."""
        return self.execute(Command(actor_id=self.host_actor, time=at,
                                    update_directory=UpdateDirectory(directory=directory)))

    def create_request(self, actor: str, request: CollaborationRequest, *,
                       at: Time = None) -> "RequestHandle":
        """Files a request (DRAFT) as ``actor`` (its initiator); returns its
        handle. AlreadyExists if the id is taken."""
        self.execute(Command(actor_id=actor, time=at, request_id=request.id,
                             create_request=CreateRequest(request=request)))
        return RequestHandle(self, request.id)

    def request(self, request_id: str) -> "RequestHandle":
        """The handle of an existing request (not checked until used)."""
        return RequestHandle(self, request_id)

    # ---- time and the outbox ----

    def tick(self, now: _dt.datetime) -> int:
        """Processes the time rules due at ``now`` (reminders, escalations);
        returns the number of events appended. Idempotent at one instant."""
        micros = to_unix_micros(now, "now")
        n = c_size_t(0)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_engine_tick(byref(n), h, micros))
        return n.value

    def notifications(self, after: int = 0, page_size: int = 256) -> Iterator[Notification]:
        """The outbox: the waiting notifications of the records after position
        ``after``, in order, read page by page (each page whole records).
        A notification is known by ``(request_id, id)``, ``id`` counting
        within its request; ``position`` is its record's place in the store,
        the cursor: resume later from the last position seen."""
        for n in self._pages(_ffi.lib.cflow_engine_outbox_read, "notifications", "position",
                             after, page_size):
            yield Notification.from_json(n)

    def acknowledge(self, up_to: Union[int, Notification]) -> None:
        """Marks every notification whose record's position is <= ``up_to``
        (a position, or a Notification: its position) delivered (durably).
        OutOfRange beyond the store's last position."""
        if isinstance(up_to, Notification):
            up_to = up_to.position
        self._call(_ffi.lib.cflow_engine_outbox_ack, int(up_to))

    def deliver(self, page_size: int = 256) -> Iterator[Notification]:
        """The unacknowledged notifications, each acknowledged once the loop
        body that received it finished: at-least-once delivery for a host.

            for note in engine.deliver():
                send(note)        # if this raises, `note` stays unacknowledged

        A notification is acknowledged with the others of its record, when
        the first of the next record is asked for (or the loop ends
        normally), so an exception, a crash or a ``break`` in the body leaves
        it, the rest of its record and everything after, to the next
        ``deliver()``.
        """
        last = 0
        for note in self.notifications(0, page_size):
            if last and note.position != last:
                self.acknowledge(last)
            yield note
            last = note.position
        if last:
            self.acknowledge(last)

    # ---- queries ----

    def must_do(self, person_id: str, at: _dt.datetime) -> MustDoList:
        """What ``person_id`` owes, by due time, flagged overdue at ``at``."""
        return MustDoList.from_json(self._query(_ffi.lib.cflow_engine_must_do,
                                                person_id.encode("utf-8"),
                                                to_unix_micros(at, "at")))

    def overdue(self, at: _dt.datetime) -> List[DueItem]:
        """Every open due item due at or before ``at``, by due time."""
        return OverdueList.from_json(
            self._query(_ffi.lib.cflow_engine_overdue, to_unix_micros(at, "at"))).items

    def history(self, after: int = 0, page_size: int = 1024, *,
                request_id: Optional[str] = None) -> Iterator[Event]:
        """The event history (:class:`Event`, ``.kind`` names the payload) of
        the records after position ``after`` (each event carries its
        ``position``; ``version`` counts within its stream), optionally only
        one request's events."""
        for e in self._pages(_ffi.lib.cflow_engine_events, "events", "position", after,
                             page_size):
            if request_id is None or e.get("request_id", "") == request_id:
                yield Event.from_json(e)

    def state(self) -> EngineState:
        """The engine's index: the directory, every stream's head, every
        request's summary (state, topic, open due items), the positions and
        the outbox. Full records are read per request (``request(id)``).
        Equal histories give equal states."""
        return EngineState.from_json(self._query(_ffi.lib.cflow_engine_state))

    def catch_up(self, position: int = 0) -> None:
        """On a store several engines share (PostgreSQL: many hosts, one
        database), reads what the other engines committed since this one last
        did. With ``position`` (a CommandResult's, from any engine), waits
        until it is seen here: DeadlineExceeded after the store's statement
        timeout. On a store only this engine writes: OutOfRange beyond its
        last position."""
        self._call(_ffi.lib.cflow_engine_catch_up, int(position))

    def write_snapshot(self) -> None:
        """Writes a snapshot of the engine's index now: the next open reads
        it and the journal after it. Commands from other threads go on
        meanwhile. Nothing is written when nothing happened since the last
        snapshot."""
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_engine_write_snapshot(h))

    def calendar(self) -> WorkCalendar:
        """The calendar every time rule of this engine counts with (it stays
        usable after the engine is closed)."""
        return WorkCalendar._of_engine(self)


class RequestHandle:
    """One collaboration request of an engine: its commands and views.

    A child of the engine: it keeps the engine alive (the engine is not
    garbage-collected while a handle exists), and raises ObjectClosed once
    the engine is closed. Cheap; as thread-safe as the engine. Every step
    method builds its :class:`Command` and runs it through
    :meth:`Engine.execute`; ``at`` is the command's time (omitted: the
    engine's clock).
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

    def _run(self, actor: str, at: Time, **payload: Any) -> CommandResult:
        """Executes the command with this payload field (one keyword)."""
        return self._engine.execute(Command(actor_id=actor, time=at, request_id=self.id,
                                            **payload))

    # ---- step 1: request and confirmation ----

    def submit(self, actor: str, *, at: Time = None) -> CommandResult:
        """DRAFT -> SUBMITTED: each receiver now owes an answer."""
        return self._run(actor, at, submit_request=SubmitRequest())

    def revise(self, actor: str, request: CollaborationRequest, *, change_note: str = "",
               at: Time = None) -> CommandResult:
        """A new version (same id and initiator); responses start over."""
        return self._run(actor, at,
                         revise_request=ReviseRequest(request=request, change_note=change_note))

    def respond(self, actor: str, response: ReceiverResponse, *, at: Time = None) -> CommandResult:
        """A receiver's answer (``actor`` answers for ``response.receiver_id``)."""
        return self._run(actor, at, respond=RespondToRequest(response=response))

    def cancel(self, actor: str, *, reason: str, at: Time = None) -> CommandResult:
        return self._run(actor, at, cancel=CancelRequest(reason=reason))

    def record_kickoff(self, actor: str, meeting: KickoffMeeting, *,
                       at: Time = None) -> CommandResult:
        return self._run(actor, at, record_kickoff=RecordKickoff(meeting=meeting))

    # ---- step 2: breakdown and assignment ----

    def publish_plan(self, actor: str, plan: Plan, *, acknowledge_omissions: bool = False,
                     at: Time = None) -> CommandResult:
        """CONFIRMED -> PLANNED. Cycles and unassigned tasks are refused;
        omissions need ``acknowledge_omissions=True``."""
        return self._run(actor, at, publish_plan=PublishPlan(
            plan=plan, acknowledge_omissions=acknowledge_omissions))

    # ---- steps 3 and 4: communication, resources, tracking ----

    def start_task(self, actor: str, task_id: str, *, at: Time = None) -> CommandResult:
        return self._run(actor, at, start_task=StartTask(task_id=task_id))

    def report_progress(self, actor: str, report: ProgressReport, *,
                        resource_request: Optional[ResourceRequest] = None,
                        at: Time = None) -> CommandResult:
        return self._run(actor, at, report_progress=ReportProgress(
            report=report, resource_request=resource_request))

    def raise_risk(self, actor: str, risk: Risk, *, at: Time = None) -> CommandResult:
        """A risk or blocker; the engine names it "risk-N"."""
        return self._run(actor, at, raise_risk=RaiseRisk(risk=risk))

    def respond_to_risk(self, actor: str, risk_id: str, response: str, *,
                        at: Time = None) -> CommandResult:
        return self._run(actor, at,
                         respond_to_risk=RespondToRisk(risk_id=risk_id, response=response))

    def resolve_risk(self, actor: str, risk_id: str, resolution: str, *,
                     revision_number: int = 0, at: Time = None) -> CommandResult:
        return self._run(actor, at, resolve_risk=ResolveRisk(
            risk_id=risk_id, resolution=resolution, revision_number=revision_number))

    def request_resource(self, actor: str, request: ResourceRequest, *,
                         at: Time = None) -> CommandResult:
        return self._run(actor, at, request_resource=RequestResource(request=request))

    def decide_resource(self, actor: str, resource_request_id: str,
                        decision: Union[ResourceDecision, str, int], *, reason: str = "",
                        at: Time = None) -> CommandResult:
        return self._run(actor, at, decide_resource=DecideResource(
            resource_request_id=resource_request_id,
            decision=ResourceDecision.parse(decision), reason=reason))

    def revise_plan(self, actor: str, changes: Iterable[PlanChange], *, reason: str,
                    reopen_task_ids: Iterable[str] = (), acknowledge_omissions: bool = False,
                    at: Time = None) -> CommandResult:
        return self._run(actor, at, revise_plan=RevisePlan(
            changes=list(changes), reason=reason, reopen_task_ids=list(reopen_task_ids),
            acknowledge_omissions=acknowledge_omissions))

    def preview_revision(self, actor: str, changes: Iterable[PlanChange], *, reason: str,
                         reopen_task_ids: Iterable[str] = (),
                         acknowledge_omissions: bool = False,
                         at: _dt.datetime) -> RevisionPreview:
        """What-if: the effect of :meth:`revise_plan` with the same arguments,
        without committing it (``at`` is required: the preview is computed as
        of that instant)."""
        return self._engine.preview_revision(Command(
            actor_id=actor, time=at, request_id=self.id, revise_plan=RevisePlan(
                changes=list(changes), reason=reason, reopen_task_ids=list(reopen_task_ids),
                acknowledge_omissions=acknowledge_omissions)))

    def record_minutes(self, actor: str, minutes: Minutes, *, at: Time = None) -> CommandResult:
        return self._run(actor, at, record_minutes=RecordMinutes(minutes=minutes))

    def record_channel(self, actor: str, link: ChannelLink, *, at: Time = None) -> CommandResult:
        return self._run(actor, at, record_channel=RecordChannel(link=link))

    # ---- step 5: acceptance and archive ----

    def submit_deliverables(self, actor: str, task_id: str, deliverables: Iterable[Deliverable],
                            *, note: str = "", at: Time = None) -> CommandResult:
        """The assignee submits a task's deliverables (title, uri, sha256, ...)."""
        return self._run(actor, at, submit_deliverables=SubmitDeliverables(
            task_id=task_id, deliverables=list(deliverables), note=note))

    def review(self, actor: str, task_id: str, *, passed: bool,
               items_met: Iterable[str] = (), items_missing: Iterable[str] = (),
               accurate: bool = True, accuracy_comment: str = "",
               rectification: Iterable[Union[RectificationItem, str]] = (),
               waive_timeliness: str = "", at: Time = None) -> CommandResult:
        """The owner's review on completeness (delivery-standard items),
        accuracy and timeliness (computed by the engine; pass a reason in
        ``waive_timeliness`` to waive it). A failure needs rectification items
        (strings or RectificationItem; each due in 2 working days by default)."""
        return self._run(actor, at, review_submission=ReviewSubmission(
            task_id=task_id, items_met=list(items_met), items_missing=list(items_missing),
            accurate=accurate, accuracy_comment=accuracy_comment,
            waive_timeliness=bool(waive_timeliness), waiver_reason=waive_timeliness,
            verdict=Verdict.PASS if passed else Verdict.FAIL,
            rectification=_rectification(rectification)))

    def submit_final(self, actor: str, deliverables: Iterable[Deliverable], *, note: str = "",
                     at: Time = None) -> CommandResult:
        """The owner submits the request's final deliverables (every task DONE)."""
        return self._run(actor, at, submit_final=SubmitFinal(deliverables=list(deliverables),
                                                             note=note))

    def review_final(self, actor: str, *, passed: bool, comment: str = "",
                     rectification: Iterable[Union[RectificationItem, str]] = (),
                     at: Time = None) -> CommandResult:
        """The final reviewer accepts the request (-> ACCEPTED) or sends it back."""
        return self._run(actor, at, review_final=ReviewFinal(
            verdict=Verdict.PASS if passed else Verdict.FAIL, comment=comment,
            rectification=_rectification(rectification)))

    def archive(self, actor: str, *, note: str = "", at: Time = None) -> CommandResult:
        """ACCEPTED -> ARCHIVED; the request is read-only afterwards. Its
        records: :mod:`collabflow.records`."""
        return self._run(actor, at, archive_request=ArchiveRequest(note=note))

    # ---- views ----

    def view(self) -> RequestView:
        """The request: its record (versions, responses, plan, executions,
        reviews, ...), where each receiver stands, and everyone concerned.
        NotFound for an unknown request."""
        return RequestView.from_json(self._engine._query(_ffi.lib.cflow_engine_get_request,
                                                         self.id.encode("utf-8")))

    def record(self) -> RequestRecord:
        """The request's record (``view().record``)."""
        record = self.view().record
        assert record is not None
        return record

    @property
    def state(self) -> RequestState:
        return self.record().state

    def schedule(self) -> ScheduleView:
        """The published plan's schedule: iterate its rows, ``.to_dicts()``,
        ``.to_dataframe()``. FailedPrecondition before a plan is published."""
        return ScheduleView.from_json(self._engine._query(_ffi.lib.cflow_engine_schedule,
                                                          self.id.encode("utf-8")))

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


def _rectification(items: Iterable[Union[RectificationItem, str]]) -> List[RectificationItem]:
    return [RectificationItem(description=r) if isinstance(r, str) else r for r in items]


__all__ = ["Durability", "Engine", "RequestHandle"]
