"""Commands built by the library's typed C helpers (cflow_command_*): the
envelope and the payload are checked as they are built (NULL, UTF-8, enums,
dates, task references), and :meth:`Engine.execute_command` runs them through
the same path as :meth:`Engine.execute`.

    cmd = TypedCommand.publish_plan("p-li", at, "REQ-Q3-LAUNCH")
    cmd.add_task("T1", "客户数据收集", "department", "d-sales", 2)
    cmd.add_task("T2", "方案初稿", "department", "d-market", 4)
    cmd.add_predecessor("T2", "T1")
    engine.execute_command(cmd)

Building a large plan this way skips the JSON round trip. Build a command
on one thread (calls from several are serialized, but their order is theirs);
executing it is as thread-safe as the engine.
"""
from __future__ import annotations

import datetime as _dt
import json
from ctypes import byref, c_size_t, c_void_p
from typing import Any, Dict, Optional, Union

from . import _ffi
from ._codec import to_unix_micros

_PROTOBUF, _JSON = 0, 1

_DECISIONS = {"accept": 1, "accept_with_changes": 2, "decline": 3}
_PARTIES = {"person": 1, "department": 2}
_DEPENDENCIES = {"FS": 1, "SS": 2, "FF": 3, "SF": 4}
_RISK_TYPES = {"delay": 1, "resource_shortage": 2, "disagreement": 3, "other": 4}
_SEVERITIES = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def _text(value: Optional[str]) -> Optional[bytes]:
    return None if value is None else value.encode("utf-8")


def _enum(table: Dict[str, int], value: Union[str, int], what: str) -> int:
    if isinstance(value, int):
        return value  # the library refuses unknown values
    if value not in table:
        raise ValueError("%s must be one of %s, got %r" % (what, sorted(table), value))
    return table[value]


class TypedCommand(_ffi.ObjectRef):
    """An opaque collabflow.v1.Command (cflow_command)."""

    _dispose_name = "cflow_command_free"
    _kind = "command"

    @classmethod
    def _new(cls, fn: Any, actor: str, at: _dt.datetime, request_id: str,
             *args: Any) -> "TypedCommand":
        ptr = _ffi.command_p()
        _ffi.check(fn(byref(ptr), _text(actor), to_unix_micros(at, "at"), _text(request_id),
                      *args))
        return cls(ptr)

    def _add(self, fn: Any, *args: Any) -> "TypedCommand":
        with self._use() as h:
            _ffi.check(fn(h, *args))
        return self

    # ---- constructors ----

    @classmethod
    def submit_request(cls, actor: str, at: _dt.datetime, request_id: str) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_submit_request, actor, at, request_id)

    @classmethod
    def respond(cls, actor: str, at: _dt.datetime, request_id: str, receiver_id: str,
                decision: Union[str, int], comment: Optional[str] = None) -> "TypedCommand":
        """decision: "accept", "accept_with_changes" (add counter-proposals)
        or "decline"."""
        return cls._new(_ffi.lib.cflow_command_respond, actor, at, request_id,
                        _text(receiver_id), _enum(_DECISIONS, decision, "decision"),
                        _text(comment))

    @classmethod
    def publish_plan(cls, actor: str, at: _dt.datetime, request_id: str, *,
                     acknowledge_omissions: bool = False) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_publish_plan, actor, at, request_id,
                        int(acknowledge_omissions))

    @classmethod
    def start_task(cls, actor: str, at: _dt.datetime, request_id: str,
                   task_id: str) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_start_task, actor, at, request_id, _text(task_id))

    @classmethod
    def report_progress(cls, actor: str, at: _dt.datetime, request_id: str, task_id: str,
                        percent_complete: int, work_done: str, *,
                        work_not_done: Optional[str] = None, reason: Optional[str] = None,
                        support_needed: Optional[str] = None) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_report_progress, actor, at, request_id,
                        _text(task_id), percent_complete, _text(work_done),
                        _text(work_not_done), _text(reason), _text(support_needed))

    @classmethod
    def raise_risk(cls, actor: str, at: _dt.datetime, request_id: str, task_id: str,
                   description: str, *, type: Union[str, int] = "delay",
                   severity: Union[str, int] = "medium", blocker: bool = False) -> "TypedCommand":
        """The engine names the risk "risk-N"."""
        return cls._new(_ffi.lib.cflow_command_raise_risk, actor, at, request_id, _text(task_id),
                        _enum(_RISK_TYPES, type, "type"),
                        _enum(_SEVERITIES, severity, "severity"), _text(description),
                        int(blocker))

    @classmethod
    def resolve_risk(cls, actor: str, at: _dt.datetime, request_id: str, risk_id: str,
                     resolution: str, *, revision_number: int = 0) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_resolve_risk, actor, at, request_id,
                        _text(risk_id), _text(resolution), revision_number)

    @classmethod
    def submit_deliverables(cls, actor: str, at: _dt.datetime, request_id: str, task_id: str,
                            note: Optional[str] = None) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_submit_deliverables, actor, at, request_id,
                        _text(task_id), _text(note))

    @classmethod
    def review_submission(cls, actor: str, at: _dt.datetime, request_id: str, task_id: str, *,
                          passed: bool, accurate: bool = True,
                          accuracy_comment: Optional[str] = None) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_review_submission, actor, at, request_id,
                        _text(task_id), 1 if passed else 2, int(accurate),
                        _text(accuracy_comment))

    @classmethod
    def submit_final(cls, actor: str, at: _dt.datetime, request_id: str,
                     note: Optional[str] = None) -> "TypedCommand":
        """The request's final deliverables (add them with add_deliverable)."""
        return cls._new(_ffi.lib.cflow_command_submit_final, actor, at, request_id, _text(note))

    @classmethod
    def review_final(cls, actor: str, at: _dt.datetime, request_id: str, *, passed: bool,
                     comment: Optional[str] = None) -> "TypedCommand":
        """The final acceptance (a failure needs add_rectification)."""
        return cls._new(_ffi.lib.cflow_command_review_final, actor, at, request_id,
                        1 if passed else 2, _text(comment))

    @classmethod
    def archive_request(cls, actor: str, at: _dt.datetime, request_id: str,
                        note: Optional[str] = None) -> "TypedCommand":
        return cls._new(_ffi.lib.cflow_command_archive_request, actor, at, request_id,
                        _text(note))

    # ---- adders (each returns self, so calls chain) ----

    def add_counter_proposal(self, milestone_id: str, proposed: _dt.date,
                             condition: Optional[str] = None) -> "TypedCommand":
        return self._add(_ffi.lib.cflow_command_add_counter_proposal, _text(milestone_id),
                         _ffi.Date(proposed.year, proposed.month, proposed.day), _text(condition))

    def add_duty(self, duty: str) -> "TypedCommand":
        return self._add(_ffi.lib.cflow_command_add_duty, _text(duty))

    def add_task(self, task_id: str, name: str, assignee_kind: Union[str, int],
                 assignee_id: str, duration_days: int) -> "TypedCommand":
        """assignee_kind: "person" or "department"."""
        return self._add(_ffi.lib.cflow_command_add_task, _text(task_id), _text(name),
                         _enum(_PARTIES, assignee_kind, "assignee_kind"), _text(assignee_id),
                         duration_days)

    def add_predecessor(self, task_id: str, predecessor_id: str, type: Union[str, int] = "FS",
                        lag_days: int = 0) -> "TypedCommand":
        """type: "FS" (default), "SS", "FF" or "SF"; lag in working days."""
        return self._add(_ffi.lib.cflow_command_add_predecessor, _text(task_id),
                         _text(predecessor_id), _enum(_DEPENDENCIES, type, "type"), lag_days)

    def add_task_serves(self, task_id: str, milestone_id: Optional[str] = None) -> "TypedCommand":
        """The milestone the task serves (None: the request's goal)."""
        return self._add(_ffi.lib.cflow_command_add_task_serves, _text(task_id),
                         _text(milestone_id))

    def add_delivery_item(self, task_id: str, item: str) -> "TypedCommand":
        return self._add(_ffi.lib.cflow_command_add_delivery_item, _text(task_id), _text(item))

    def add_deliverable(self, title: str, uri: str, sha256: str,
                        size_bytes: int = 0) -> "TypedCommand":
        return self._add(_ffi.lib.cflow_command_add_deliverable, _text(title), _text(uri),
                         _text(sha256), size_bytes)

    def add_review_item(self, item: str, met: bool) -> "TypedCommand":
        return self._add(_ffi.lib.cflow_command_add_review_item, _text(item), int(met))

    def add_rectification(self, description: str,
                          due: Optional[_dt.datetime] = None) -> "TypedCommand":
        """Due 2 working days after the review unless ``due`` is given."""
        micros = 0 if due is None else to_unix_micros(due, "due")
        return self._add(_ffi.lib.cflow_command_add_rectification, _text(description), micros)

    # ---- encodings ----

    def _encode(self, fmt: int) -> bytes:
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_command_encode(byref(out), byref(out_len), h, fmt))
        return _ffi.take_buffer(out, out_len)

    def to_json(self) -> Dict[str, Any]:
        """The command in its proto3 JSON form."""
        return json.loads(self._encode(_JSON).decode("utf-8"))

    def to_protobuf(self) -> bytes:
        return self._encode(_PROTOBUF)


__all__ = ["TypedCommand"]
