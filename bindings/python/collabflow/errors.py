"""Typed exceptions, one per C ABI status code.

Every error the library reports becomes a subclass of :class:`Error` that
carries the numeric ``code``, its ``status`` name and the library's detail
message. Where a built-in exception means the same, the class is one too, so
that Python code catching it catches ours: InvalidArgument is a ValueError,
NotFound a LookupError, PermissionDenied a PermissionError and Unavailable
(a store that cannot be reached) a ConnectionError. The last two are
OSErrors made with the message alone: ``errno`` and ``strerror`` are None and
``str(e)`` is the message.
"""
from __future__ import annotations

from typing import Dict, Optional, Type


class Error(Exception):
    """Base class of every error collabflow raises."""

    code: int = -2
    status: str = "UNKNOWN"

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Cancelled(Error):
    code, status = -1, "CANCELLED"


class Unknown(Error):
    code, status = -2, "UNKNOWN"


class InvalidArgument(Error, ValueError):
    code, status = -3, "INVALID_ARGUMENT"


class DeadlineExceeded(Error):
    code, status = -4, "DEADLINE_EXCEEDED"


class NotFound(Error, LookupError):
    code, status = -5, "NOT_FOUND"


class AlreadyExists(Error):
    code, status = -6, "ALREADY_EXISTS"


class PermissionDenied(Error, PermissionError):
    code, status = -7, "PERMISSION_DENIED"


class ResourceExhausted(Error):
    code, status = -8, "RESOURCE_EXHAUSTED"


class FailedPrecondition(Error):
    code, status = -9, "FAILED_PRECONDITION"


class Aborted(Error):
    code, status = -10, "ABORTED"


class OutOfRange(Error):
    code, status = -11, "OUT_OF_RANGE"


class Unimplemented(Error):
    code, status = -12, "UNIMPLEMENTED"


class Internal(Error):
    code, status = -13, "INTERNAL"


class Unavailable(Error, ConnectionError):
    code, status = -14, "UNAVAILABLE"


class DataLoss(Error):
    code, status = -15, "DATA_LOSS"


class ObjectClosed(FailedPrecondition):
    """A closed object (an engine, ...) was used; raised by the binding
    itself, before any call reaches the library."""


class LibraryNotFound(Error, OSError):
    """The shared library could not be located or loaded."""


class AbiMismatch(Error, ImportError):
    """The shared library's ABI version is not the one this package speaks."""


_BY_CODE: Dict[int, Type[Error]] = {
    cls.code: cls
    for cls in (Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound,
                AlreadyExists, PermissionDenied, ResourceExhausted,
                FailedPrecondition, Aborted, OutOfRange, Unimplemented,
                Internal, Unavailable, DataLoss)
}


def error_for(code: int, message: str) -> Error:
    """The exception for a non-zero status code (Unknown for new codes)."""
    cls = _BY_CODE.get(code, Unknown)
    return cls(message, code)
