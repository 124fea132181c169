"""collabflow: the cross-department collaboration workflow engine, from Python.

A pure-Python package over libcollabflow's stable C ABI (ctypes):

* :class:`Engine` (in memory or a durable store) and :class:`RequestHandle`
  (one request's commands and views);
* the schema as dataclasses and enums (:mod:`collabflow.messages`, all
  re-exported here: ``collabflow.CollaborationRequest``, ``collabflow.Priority``);
* short builders (:mod:`collabflow.builders`: ``task``, ``plan``, ``accept``);
* optionally, protobuf messages (:mod:`collabflow.protobuf`, when the
  protobuf package is installed; nothing else needs it);
* errors as subclasses of :class:`Error`, one per status code.
"""
from __future__ import annotations

import json
from ctypes import byref, c_size_t, c_void_p
from typing import Any, Dict, Union

from . import _ffi, builders, messages, protobuf
from ._codec import Message, ProtoEnum
from .calendars import WorkCalendar
from .engine import Durability, Engine, RequestHandle
from .errors import (AbiMismatch, Aborted, AlreadyExists, Cancelled, DataLoss,
                     DeadlineExceeded, Error, FailedPrecondition, Internal,
                     InvalidArgument, LibraryNotFound, NotFound, ObjectClosed, OutOfRange,
                     PermissionDenied, ResourceExhausted, Unavailable,
                     Unimplemented, Unknown)
from .messages import *  # noqa: F401,F403  (the schema, re-exported)

#: The version of the loaded library (its VERSION file is the source of truth).
__version__: str = _ffi.lib.cflow_version().decode()
#: The ABI version this package speaks.
ABI_VERSION: int = _ffi.ABI_VERSION


def version() -> str:
    """The running library's version, e.g. ``"0.2.0"``."""
    return __version__


def library_path() -> str:
    """Where the shared library was loaded from."""
    return str(_ffi.library_path)


def request_to_protobuf(request: Union[Dict[str, Any], str, Message]) -> bytes:
    """Validates a collaboration request (a :class:`CollaborationRequest`, or
    a dict or JSON text in its proto3 JSON form) and returns its canonical
    protobuf bytes. Raises InvalidArgument naming the bad field."""
    if isinstance(request, Message):
        request = request.to_json()
    text = request if isinstance(request, str) else json.dumps(request, ensure_ascii=False)
    data = text.encode("utf-8")
    out, out_len = c_void_p(), c_size_t()
    _ffi.check(_ffi.lib.cflow_request_from_json(byref(out), byref(out_len), data, len(data)))
    return _ffi.take_buffer(out, out_len)


def request_from_protobuf(data: bytes) -> Dict[str, Any]:
    """Validates protobuf bytes of a request and returns it as a dict."""
    out, out_len = c_void_p(), c_size_t()
    _ffi.check(_ffi.lib.cflow_request_to_json(byref(out), byref(out_len), _ffi.as_u8(data),
                                              len(data)))
    return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))


def request_from_protobuf_typed(data: bytes) -> "messages.CollaborationRequest":
    """As :func:`request_from_protobuf`, as a :class:`CollaborationRequest`."""
    return messages.CollaborationRequest.from_json(request_from_protobuf(data))


__all__ = [
    "ABI_VERSION", "AbiMismatch", "Durability", "Engine", "Message", "ObjectClosed",
    "ProtoEnum", "RequestHandle", "builders", "messages", "protobuf", "request_from_protobuf_typed",
    "Aborted", "AlreadyExists", "Cancelled", "DataLoss",
    "DeadlineExceeded", "Error", "FailedPrecondition", "Internal", "InvalidArgument",
    "LibraryNotFound", "NotFound", "OutOfRange", "PermissionDenied", "ResourceExhausted",
    "Unavailable", "Unimplemented", "Unknown", "WorkCalendar", "library_path",
    "request_from_protobuf", "request_to_protobuf", "version",
] + list(messages.__all__)
