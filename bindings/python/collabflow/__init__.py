"""collabflow: the cross-department collaboration workflow engine, from Python.

A pure-Python package over libcollabflow's stable C ABI (ctypes). Errors are
raised as subclasses of :class:`collabflow.Error`, one per status code.
"""
from __future__ import annotations

import json
from ctypes import byref, c_size_t, c_void_p
from typing import Any, Dict

from . import _ffi
from .engine import Engine
from .errors import (AbiMismatch, Aborted, AlreadyExists, Cancelled, DataLoss,
                     DeadlineExceeded, Error, FailedPrecondition, Internal,
                     InvalidArgument, LibraryNotFound, NotFound, OutOfRange,
                     PermissionDenied, ResourceExhausted, Unavailable,
                     Unimplemented, Unknown)

#: The version of the loaded library (its VERSION file is the source of truth).
__version__: str = _ffi.lib.cflow_version().decode()
#: The ABI version this package speaks.
ABI_VERSION: int = _ffi.ABI_VERSION


def version() -> str:
    """The running library's version, e.g. ``"0.1.0"``."""
    return __version__


def library_path() -> str:
    """Where the shared library was loaded from."""
    return str(_ffi.library_path)


def request_to_protobuf(request: Dict[str, Any] | str) -> bytes:
    """Validates a collaboration request (a dict or JSON text in the proto3
    JSON form of ``collabflow.v1.CollaborationRequest``) and returns its
    canonical protobuf bytes. Raises InvalidArgument naming the bad field."""
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


__all__ = [
    "ABI_VERSION", "AbiMismatch", "Engine", "Aborted", "AlreadyExists", "Cancelled", "DataLoss",
    "DeadlineExceeded", "Error", "FailedPrecondition", "Internal", "InvalidArgument",
    "LibraryNotFound", "NotFound", "OutOfRange", "PermissionDenied", "ResourceExhausted",
    "Unavailable", "Unimplemented", "Unknown", "library_path", "request_from_protobuf",
    "request_to_protobuf", "version",
]
