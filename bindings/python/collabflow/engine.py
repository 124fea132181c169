"""The engine, from Python: commands in, views and notifications out.

Entities travel as the proto3 JSON form of the collabflow.v1 messages
(dicts here). Times are timezone-aware ``datetime`` objects.
"""
from __future__ import annotations

import datetime as _dt
import json
from ctypes import byref, c_int, c_size_t, c_void_p
from typing import Any, Dict, Iterator, Optional

from . import _ffi
from .errors import Error, FailedPrecondition

_JSON = 1
_DURABILITY = {"sync": 0, "group": 1, "none": 2}

Json = Dict[str, Any]


def _micros(t: _dt.datetime) -> int:
    if t.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware datetime")
    delta = t - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def _rfc3339(t: _dt.datetime) -> str:
    if t.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware datetime")
    return t.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Engine:
    """An open collabflow engine (in memory, or durable in ``store_dir``).

    Use as a context manager or call :meth:`close`; a closed engine raises
    :class:`collabflow.FailedPrecondition` on use instead of crashing.
    Thread-safe: one engine may be shared by many threads.
    """

    _ptr: Optional[Any] = None

    def __init__(self, store_dir: Optional[str] = None, *, durability: str = "sync",
                 host_actor: str = "host") -> None:
        if durability not in _DURABILITY:
            raise ValueError("durability must be one of %s" % sorted(_DURABILITY))
        lib = _ffi.lib
        opts = _ffi.options_p()
        _ffi.check(lib.cflow_options_new(byref(opts)))
        try:
            if store_dir is not None:
                _ffi.check(lib.cflow_options_set_store_dir(opts, str(store_dir).encode()))
            _ffi.check(lib.cflow_options_set_durability(opts, _DURABILITY[durability]))
            _ffi.check(lib.cflow_options_set_host_actor(opts, host_actor.encode()))
            ptr = _ffi.engine_p()
            _ffi.check(lib.cflow_engine_open(byref(ptr), opts))
        finally:
            lib.cflow_options_free(opts)
        self._ptr = ptr
        self.host_actor = host_actor

    # ---- lifetime ----
    def close(self) -> None:
        """Closes the engine; idempotent."""
        ptr, self._ptr = self._ptr, None
        if ptr is not None and _ffi.lib is not None:
            _ffi.lib.cflow_engine_close(ptr)

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone
            pass

    def _handle(self) -> Any:
        if self._ptr is None:
            raise FailedPrecondition("the engine is closed")
        return self._ptr

    def _call_json(self, fn: Any, *args: Any) -> Json:
        out, out_len = c_void_p(), c_size_t()
        _ffi.check(fn(byref(out), byref(out_len), self._handle(), _JSON, *args))
        return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))

    # ---- commands ----
    def execute(self, command: Json) -> Json:
        """Executes a collabflow.v1.Command given as a dict; returns the
        CommandResult. Raises the typed error on a refusal (nothing changed)."""
        data = json.dumps(command, ensure_ascii=False).encode("utf-8")
        return self._call_json(_ffi.lib.cflow_engine_execute, data, len(data))

    def _command(self, actor: str, request_id: str, key: str, payload: Json,
                 time: Optional[_dt.datetime]) -> Json:
        cmd: Json = {"actor_id": actor, key: payload}
        if request_id:
            cmd["request_id"] = request_id
        if time is not None:
            cmd["time"] = _rfc3339(time)
        return self.execute(cmd)

    def update_directory(self, directory: Json, *, time: Optional[_dt.datetime] = None) -> Json:
        return self._command(self.host_actor, "", "update_directory", {"directory": directory},
                             time)

    def create_request(self, actor: str, request: Json, *,
                       time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request["id"], "create_request", {"request": request}, time)

    def submit_request(self, actor: str, request_id: str, *,
                       time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request_id, "submit_request", {}, time)

    def revise_request(self, actor: str, request: Json, change_note: str = "", *,
                       time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request["id"], "revise_request",
                             {"request": request, "change_note": change_note}, time)

    def respond(self, actor: str, request_id: str, response: Json, *,
                time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request_id, "respond", {"response": response}, time)

    def cancel_request(self, actor: str, request_id: str, reason: str, *,
                       time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request_id, "cancel", {"reason": reason}, time)

    def record_kickoff(self, actor: str, request_id: str, meeting: Json, *,
                       time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request_id, "record_kickoff", {"meeting": meeting}, time)

    def publish_plan(self, actor: str, request_id: str, plan: Json, *,
                     acknowledge_omissions: bool = False,
                     time: Optional[_dt.datetime] = None) -> Json:
        return self._command(actor, request_id, "publish_plan",
                             {"plan": plan, "acknowledge_omissions": acknowledge_omissions}, time)

    def tick(self, now: _dt.datetime) -> int:
        """Processes the time rules due at ``now``; returns the events appended."""
        n = c_int(0)
        _ffi.check(_ffi.lib.cflow_engine_tick(byref(n), self._handle(), _micros(now)))
        return n.value

    # ---- queries ----
    def get_request(self, request_id: str) -> Json:
        return self._call_json(_ffi.lib.cflow_engine_get_request, request_id.encode("utf-8"))

    def schedule(self, request_id: str) -> Json:
        """The published plan with its CPM schedule (dates, float, critical path)."""
        return self._call_json(_ffi.lib.cflow_engine_schedule, request_id.encode("utf-8"))

    def must_do(self, person_id: str, at: _dt.datetime) -> Json:
        return self._call_json(_ffi.lib.cflow_engine_must_do, person_id.encode("utf-8"),
                               _micros(at))

    def overdue(self, at: _dt.datetime) -> Json:
        return self._call_json(_ffi.lib.cflow_engine_overdue, _micros(at))

    def outbox(self, after: int = 0, page_size: int = 256) -> Iterator[Json]:
        """Notifications with id > ``after``, in order, fetched page by page."""
        while True:
            page = self._call_json(_ffi.lib.cflow_engine_outbox_read, after, page_size)
            items = page.get("notifications", [])
            if not items:
                return
            for n in items:
                yield n
                after = int(n["id"])

    def acknowledge(self, up_to: int) -> None:
        """Marks every notification with id <= ``up_to`` delivered."""
        _ffi.check(_ffi.lib.cflow_engine_outbox_ack(self._handle(), up_to))

    def events(self, after: int = 0, page_size: int = 1024) -> Iterator[Json]:
        while True:
            page = self._call_json(_ffi.lib.cflow_engine_events, after, page_size)
            items = page.get("events", [])
            if not items:
                return
            for e in items:
                yield e
                after = int(e["sequence"])

    def state(self) -> Json:
        out, out_len = c_void_p(), c_size_t()
        _ffi.check(_ffi.lib.cflow_engine_state(byref(out), byref(out_len), self._handle(),
                                               _JSON))
        return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))


__all__ = ["Engine", "Error"]
