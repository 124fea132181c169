"""Where the library's messages go (cflow_log_set_callback).

The library never writes to stderr: what goes wrong in a call raises, and
what has no call to answer (a snapshot an engine's own thread failed to
write) goes to the callback set here, or nowhere. libprotobuf's own log
handler is process-wide and may be the host's: the library leaves it alone
unless :func:`capture_protobuf_log` asks it to take the messages logged
during its calls (the others still reach the handler installed before).
"""
from __future__ import annotations

import enum
import threading
from typing import Any, Callable, List, Optional

from . import _ffi


class LogLevel(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2


_lock = threading.Lock()
# Every thunk ever handed to the library, kept alive: a call that began on
# another thread just before a replacement may still run the old one.
_thunks: List[Any] = []


def set_log_callback(callback: Optional[Callable[[LogLevel, str], None]]) -> None:
    """Sets the process-wide log callback, ``callback(level, message)``,
    called from any thread (an engine's snapshot writer too); None drops the
    messages (the default). An exception in it is dropped: it cannot cross
    the C frames, and the point of the callback is that nothing is printed
    to stderr."""
    def call(level: int, message: bytes, _payload: Any) -> None:
        try:
            callback(LogLevel(level), message.decode("utf-8", "replace"))  # type: ignore[misc]
        except BaseException:  # noqa: B902  (nothing may unwind into C)
            pass

    with _lock:
        thunk = _ffi.log_fn() if callback is None else _ffi.log_fn(call)  # NULL for None
        if callback is not None:
            _thunks.append(thunk)
        _ffi.check(_ffi.lib.cflow_log_set_callback(thunk, None))


def capture_protobuf_log(capture: bool = True) -> None:
    """``True``: the messages libprotobuf logs during the library's calls go
    to the log callback instead of libprotobuf's handler (the host's, or its
    default, which writes to stderr); every other message still reaches that
    handler. ``False`` puts it back. Call it at start-up (libprotobuf's
    SetLogHandler is not thread-safe). FailedPrecondition when releasing if
    another handler was installed after the library's."""
    _ffi.check(_ffi.lib.cflow_log_capture_protobuf(1 if capture else 0))
