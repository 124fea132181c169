"""collabflow: the cross-department collaboration workflow engine, from Python.

A pure-Python package over libcollabflow's stable C ABI (ctypes):

* :class:`Engine` (in memory or a durable store) and :class:`RequestHandle`
  (one request's commands and views); :mod:`collabflow.records` (the process
  record table, reports, the archive);
* the schema as dataclasses and enums (:mod:`collabflow.messages`, all
  re-exported here: ``collabflow.CollaborationRequest``, ``collabflow.Priority``);
* short builders (:mod:`collabflow.builders`: ``task``, ``plan``, ``accept``);
* optionally, protobuf messages (:mod:`collabflow.protobuf`, when the
  protobuf package is installed; nothing else needs it);
* the scheduler on its own (:class:`TaskGraph`: build from lists, an edge
  list, JSON or a networkx DiGraph; cycle-checked edits; CPM in full and
  incremental), without an engine;
* errors as subclasses of :class:`Error`, one per status code;
* the library's messages: :func:`set_log_callback` (it never writes to
  stderr) and :func:`capture_protobuf_log` (:mod:`collabflow.log`).
"""
from __future__ import annotations

from ctypes import byref, c_size_t, c_void_p

from . import _ffi, builders, messages, protobuf, records
from ._codec import Message, ProtoEnum
from .calendars import WorkCalendar
from .engine import Durability, Engine, RequestHandle
from .log import LogLevel, capture_protobuf_log, set_log_callback
from .errors import (AbiMismatch, Aborted, AlreadyExists, Cancelled, DataLoss,
                     DeadlineExceeded, Error, FailedPrecondition, Internal,
                     InvalidArgument, LibraryNotFound, NotFound, ObjectClosed, OutOfRange,
                     PermissionDenied, ResourceExhausted, Unavailable,
                     Unimplemented, Unknown)
from .messages import *  # noqa: F401,F403  (the schema, re-exported)
from .task_graph import ScheduleTimes, TaskGraph

#: The ABI version this package speaks.
ABI_VERSION: int = _ffi.ABI_VERSION


def version() -> str:
    """The running library's version, e.g. ``"0.2.0"`` (loads the library)."""
    return _ffi.lib.cflow_version().decode()


def __getattr__(name: str) -> str:
    """``__version__``: the version of the library (its VERSION file is the
    source of truth), read when first asked for: the library is loaded at
    its first use, not at import (see collabflow._ffi)."""
    if name == "__version__":
        return version()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def library_path() -> str:
    """Where the shared library was loaded from (loads it)."""
    return str(_ffi.lib.loaded_path())


def request_to_protobuf(request: "messages.CollaborationRequest") -> bytes:
    """Validates a collaboration request (协作需求申请表) with the engine's own
    checks and returns its protobuf bytes (deterministic: equal requests give
    equal bytes). Raises InvalidArgument or ResourceExhausted naming the
    field."""
    if not isinstance(request, messages.CollaborationRequest):
        raise TypeError("request_to_protobuf takes a CollaborationRequest, not %s"
                        % type(request).__name__)
    data = request.to_json_text().encode("utf-8")
    out, out_len = c_void_p(), c_size_t()
    _ffi.check(_ffi.lib.cflow_request_from_json(byref(out), byref(out_len), data, len(data)))
    return _ffi.take_buffer(out, out_len)


def request_from_protobuf(data: bytes) -> "messages.CollaborationRequest":
    """The request in protobuf bytes, validated as by
    :func:`request_to_protobuf`."""
    out, out_len = c_void_p(), c_size_t()
    _ffi.check(_ffi.lib.cflow_request_to_json(byref(out), byref(out_len), _ffi.as_u8(data),
                                              len(data)))
    return messages.CollaborationRequest.from_json(_ffi.take_buffer(out, out_len))


__all__ = [
    "ABI_VERSION", "AbiMismatch", "Durability", "Engine", "Message", "ObjectClosed",
    "ProtoEnum", "RequestHandle", "builders", "messages", "protobuf", "records",
    "Aborted", "AlreadyExists", "Cancelled", "DataLoss",
    "DeadlineExceeded", "Error", "FailedPrecondition", "Internal", "InvalidArgument",
    "LibraryNotFound", "NotFound", "OutOfRange", "PermissionDenied", "ResourceExhausted",
    "ScheduleTimes", "TaskGraph", "Unavailable", "Unimplemented", "Unknown", "WorkCalendar",
    "library_path", "LogLevel", "capture_protobuf_log", "set_log_callback",
    "request_from_protobuf", "request_to_protobuf", "version",
] + list(messages.__all__)
