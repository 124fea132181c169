"""The ctypes layer: locating and loading libcollabflow, and the one table
that declares every C function's argument and result types.

The library is loaded at its first use (the first ``lib.<function>``), not
at import: importing the package, and the command-line tool's ``--help``,
work without it. That first use raises LibraryNotFound (naming every path
tried) or AbiMismatch.

Library search order:
  1. the COLLABFLOW_LIBRARY environment variable (a path to the .so);
  2. the package's own directory (a wheel that bundles the library);
  3. the build trees of a source checkout (build/<preset>/capi/).
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
import warnings
from ctypes import (CFUNCTYPE, POINTER, c_char_p, c_int, c_int32, c_int64, c_size_t, c_uint8,
                    c_uint32, c_uint64, c_void_p)
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from . import errors

# The ABI this package speaks: must equal cflow_abi_version().
ABI_VERSION = 2
_SONAME = "libcollabflow.so.%d" % ABI_VERSION

_u8p = POINTER(c_uint8)


class _OpaqueEngine(ctypes.Structure):
    """struct cflow_engine (opaque)."""


class _OpaqueOptions(ctypes.Structure):
    """struct cflow_options (opaque)."""


class _OpaqueCalendar(ctypes.Structure):
    """struct cflow_calendar (opaque)."""


class _OpaqueTaskGraph(ctypes.Structure):
    """struct cflow_task_graph (opaque)."""


class Date(ctypes.Structure):
    """struct cflow_date: a civil date (layout fixed forever)."""

    _fields_ = [("year", c_int32), ("month", c_int32), ("day", c_int32)]


engine_p = POINTER(_OpaqueEngine)
options_p = POINTER(_OpaqueOptions)
calendar_p = POINTER(_OpaqueCalendar)
task_graph_p = POINTER(_OpaqueTaskGraph)
#: cflow_progress_fn: int (*)(size_t done, size_t total, void* payload).
progress_fn = CFUNCTYPE(c_int, c_size_t, c_size_t, c_void_p)
#: cflow_log_fn: void (*)(int level, const char* message, void* payload).
log_fn = CFUNCTYPE(None, c_int, c_char_p, c_void_p)
_out = POINTER(c_void_p)
_outlen = POINTER(c_size_t)

# name -> (restype, argtypes). Every C function used anywhere is declared here.
_FUNCTIONS: Dict[str, Tuple[Any, Sequence[Any]]] = {
    "cflow_version": (c_char_p, ()),
    "cflow_version_number": (c_int, ()),
    "cflow_abi_version": (c_int, ()),
    "cflow_last_error": (c_char_p, ()),
    "cflow_last_error_code": (c_int, ()),
    "cflow_status_name": (c_char_p, (c_int,)),
    "cflow_free": (None, (c_void_p,)),
    "cflow_log_set_callback": (c_int, (log_fn, c_void_p)),
    "cflow_log_capture_protobuf": (c_int, (c_int,)),
    "cflow_request_from_json": (
        c_int, (POINTER(c_void_p), POINTER(c_size_t), c_char_p, c_size_t)),
    "cflow_request_to_json": (
        c_int, (POINTER(c_void_p), POINTER(c_size_t), _u8p, c_size_t)),
    "cflow_options_new": (c_int, (POINTER(options_p),)),
    "cflow_options_free": (None, (options_p,)),
    "cflow_options_set_store_dir": (c_int, (options_p, c_char_p)),
    "cflow_options_set_store_uri": (c_int, (options_p, c_char_p)),
    "cflow_options_set_store_timeouts": (c_int, (options_p, c_uint32, c_uint32)),
    "cflow_options_set_read_only": (c_int, (options_p, c_int)),
    "cflow_options_set_durability": (c_int, (options_p, c_int)),
    "cflow_options_set_host_actor": (c_int, (options_p, c_char_p)),
    "cflow_options_set_request_cache_bytes": (c_int, (options_p, c_uint64)),
    "cflow_options_set_snapshot_every_records": (c_int, (options_p, c_uint64)),
    "cflow_options_set_clock_tolerance": (c_int, (options_p, c_int64)),
    "cflow_engine_open": (c_int, (POINTER(engine_p), options_p)),
    "cflow_engine_close": (None, (engine_p,)),
    "cflow_engine_execute": (c_int, (_out, _outlen, engine_p, c_int, c_char_p, c_size_t)),
    "cflow_engine_get_request": (c_int, (_out, _outlen, engine_p, c_int, c_char_p)),
    "cflow_engine_schedule": (c_int, (_out, _outlen, engine_p, c_int, c_char_p)),
    "cflow_engine_must_do": (c_int, (_out, _outlen, engine_p, c_int, c_char_p, c_int64)),
    "cflow_engine_overdue": (c_int, (_out, _outlen, engine_p, c_int, c_int64)),
    "cflow_engine_tick": (c_int, (POINTER(c_size_t), engine_p, c_int64)),
    "cflow_engine_outbox_read": (c_int, (_out, _outlen, engine_p, c_int, c_uint64, c_size_t)),
    "cflow_engine_outbox_ack": (c_int, (engine_p, c_uint64)),
    "cflow_engine_events": (c_int, (_out, _outlen, engine_p, c_int, c_uint64, c_size_t)),
    "cflow_engine_state": (c_int, (_out, _outlen, engine_p, c_int)),
    # Records: hash chain, process record table, archive, reports.
    "cflow_engine_write_snapshot": (c_int, (engine_p,)),
    "cflow_engine_catch_up": (c_int, (engine_p, c_uint64)),
    "cflow_engine_verify_history": (c_int, (engine_p,)),
    "cflow_engine_process_record": (c_int, (_out, _outlen, engine_p, c_int, c_char_p)),
    "cflow_engine_export_archive": (c_int, (_out, _outlen, engine_p, c_char_p)),
    "cflow_archive_verify": (c_int, (_out, _outlen, c_int, _u8p, c_size_t)),
    "cflow_engine_report": (c_int, (_out, _outlen, engine_p, c_char_p, c_int, c_int, c_int64)),
    # Progress of long work.
    "cflow_options_set_progress": (c_int, (options_p, progress_fn, c_void_p)),
    # Calendars.
    "cflow_calendar_china_mainland": (c_int, (POINTER(calendar_p),)),
    "cflow_calendar_from_text": (c_int, (POINTER(calendar_p), c_char_p, c_size_t)),
    "cflow_calendar_from_bytes": (c_int, (POINTER(calendar_p), _u8p, c_size_t)),
    "cflow_engine_calendar": (c_int, (POINTER(calendar_p), engine_p)),
    "cflow_calendar_free": (None, (calendar_p,)),
    "cflow_calendar_to_text": (c_int, (_out, _outlen, calendar_p)),
    "cflow_calendar_is_working_day": (c_int, (POINTER(c_int), calendar_p, Date)),
    "cflow_calendar_add_working_days": (c_int, (POINTER(Date), calendar_p, Date, c_int64)),
    "cflow_calendar_working_days_between": (c_int, (POINTER(c_int64), calendar_p, Date, Date)),
    "cflow_calendar_deadline_within": (c_int, (POINTER(c_int64), calendar_p, c_int64, c_int64)),
    "cflow_calendar_working_time_between": (
        c_int, (POINTER(c_int64), calendar_p, c_int64, c_int64)),
    # Scheduler views: the what-if.
    "cflow_engine_preview_revision": (c_int, (_out, _outlen, engine_p, c_int, c_char_p, c_size_t)),
    # The scheduler on its own: task graphs and the critical path.
    "cflow_task_graph_new": (c_int, (POINTER(task_graph_p),)),
    "cflow_task_graph_build": (
        c_int, (POINTER(task_graph_p), POINTER(c_char_p), POINTER(c_int32), c_size_t,
                POINTER(c_uint32), POINTER(c_uint32), POINTER(c_int), POINTER(c_int32), c_size_t)),
    "cflow_task_graph_from_edge_list": (
        c_int, (POINTER(task_graph_p), c_char_p, c_size_t, c_char_p, c_size_t)),
    "cflow_task_graph_from_json": (c_int, (POINTER(task_graph_p), c_char_p, c_size_t)),
    "cflow_task_graph_save": (c_int, (_out, _outlen, task_graph_p)),
    "cflow_task_graph_load": (c_int, (POINTER(task_graph_p), _u8p, c_size_t)),
    "cflow_task_graph_free": (None, (task_graph_p,)),
    "cflow_task_graph_size": (
        c_int, (POINTER(c_size_t), POINTER(c_size_t), POINTER(c_size_t), task_graph_p)),
    "cflow_task_graph_find": (c_int, (POINTER(c_uint32), task_graph_p, c_char_p)),
    "cflow_task_graph_ids": (c_int, (_out, _outlen, task_graph_p)),
    "cflow_task_graph_add_task": (c_int, (POINTER(c_uint32), task_graph_p, c_char_p, c_int32)),
    "cflow_task_graph_add_dependency": (
        c_int, (task_graph_p, c_uint32, c_uint32, c_int, c_int32)),
    "cflow_task_graph_remove_dependency": (c_int, (task_graph_p, c_uint32, c_uint32)),
    "cflow_task_graph_set_duration": (c_int, (task_graph_p, c_uint32, c_int32)),
    "cflow_task_graph_order": (
        c_int, (POINTER(c_uint32), c_size_t, POINTER(c_size_t), task_graph_p)),
    "cflow_task_graph_schedule": (c_int, (POINTER(c_int32), task_graph_p, c_int32)),
    "cflow_task_graph_reschedule": (
        c_int, (POINTER(c_int32), POINTER(c_size_t), task_graph_p)),
    "cflow_task_graph_times": (
        c_int, (POINTER(c_int32), POINTER(c_int32), POINTER(c_int32), POINTER(c_int32),
                POINTER(c_int32), POINTER(c_int32), c_size_t, task_graph_p)),
    "cflow_task_graph_critical_path": (
        c_int, (POINTER(c_uint32), c_size_t, POINTER(c_size_t), task_graph_p)),
}


def _candidates() -> List[Path]:
    found: List[Path] = []
    env = os.environ.get("COLLABFLOW_LIBRARY")
    if env:
        found.append(Path(env).expanduser().absolute())
    here = Path(__file__).resolve().parent
    found += [here / _SONAME, here / "libcollabflow.so"]
    # A source checkout: bindings/python/collabflow -> the repository root.
    if here.parent.name == "python" and here.parents[1].name == "bindings":
        root = here.parents[2]
        for preset in ("default", "release", "debug", "asan", "tsan"):
            found.append(root / "build" / preset / "capi" / "libcollabflow.so")
    return found


def _load() -> Tuple[ctypes.CDLL, Path]:
    tried: List[str] = []
    for path in _candidates():
        if not path.exists():
            tried.append("%s (absent)" % path)
            continue
        try:
            return ctypes.CDLL(str(path)), path
        except OSError as e:  # present but unloadable: say why
            tried.append("%s (%s)" % (path, e))
    raise errors.LibraryNotFound(
        "cannot load libcollabflow; set COLLABFLOW_LIBRARY to its path. Tried:\n  "
        + "\n  ".join(tried))


# The name of every integer parameter passed by value, by position (as in
# capi/collabflow.h; tests/test_ffi_table.py holds the two together), for the
# range check below.
_INT_PARAMETERS: Dict[str, Dict[int, str]] = {
    "cflow_status_name": {0: "status"},
    "cflow_log_capture_protobuf": {0: "capture"},
    "cflow_options_set_durability": {1: "durability"},
    "cflow_options_set_request_cache_bytes": {1: "bytes"},
    "cflow_options_set_snapshot_every_records": {1: "records"},
    "cflow_options_set_clock_tolerance": {1: "tolerance_micros"},
    "cflow_options_set_store_timeouts": {1: "connect_timeout_seconds", 2: "statement_timeout_ms"},
    "cflow_options_set_read_only": {1: "read_only"},
    "cflow_engine_execute": {3: "format", 5: "command_len"},
    "cflow_engine_tick": {2: "now_unix_micros"},
    "cflow_engine_outbox_ack": {1: "up_to"},
    "cflow_engine_catch_up": {1: "position"},
    "cflow_request_from_json": {3: "json_len"},
    "cflow_request_to_json": {3: "bytes_len"},
    "cflow_engine_get_request": {3: "format"},
    "cflow_engine_schedule": {3: "format"},
    "cflow_engine_preview_revision": {3: "format", 5: "command_len"},
    "cflow_engine_must_do": {3: "format", 5: "at_unix_micros"},
    "cflow_engine_overdue": {3: "format", 4: "at_unix_micros"},
    "cflow_engine_outbox_read": {3: "format", 4: "after", 5: "max"},
    "cflow_engine_events": {3: "format", 4: "after", 5: "max"},
    "cflow_engine_state": {3: "format"},
    "cflow_calendar_from_text": {2: "text_len"},
    "cflow_calendar_from_bytes": {2: "bytes_len"},
    "cflow_calendar_add_working_days": {3: "n"},
    "cflow_calendar_deadline_within": {2: "filed_unix_micros", 3: "n"},
    "cflow_calendar_working_time_between": {2: "from_unix_micros", 3: "to_unix_micros"},
    "cflow_engine_process_record": {3: "format"},
    "cflow_archive_verify": {2: "format", 4: "bundle_len"},
    "cflow_engine_report": {4: "format", 5: "language", 6: "now_unix_micros"},
    "cflow_task_graph_build": {3: "task_count", 8: "dependency_count"},
    "cflow_task_graph_from_edge_list": {2: "tasks_len", 4: "edges_len"},
    "cflow_task_graph_from_json": {2: "json_len"},
    "cflow_task_graph_load": {2: "bytes_len"},
    "cflow_task_graph_add_task": {3: "duration"},
    "cflow_task_graph_add_dependency": {1: "predecessor", 2: "successor", 3: "type", 4: "lag"},
    "cflow_task_graph_remove_dependency": {1: "predecessor", 2: "successor"},
    "cflow_task_graph_set_duration": {1: "task", 2: "duration"},
    "cflow_task_graph_order": {1: "capacity"},
    "cflow_task_graph_schedule": {2: "project_start"},
    "cflow_task_graph_times": {6: "capacity"},
    "cflow_task_graph_critical_path": {1: "capacity"},
}


def _int_range(ctype: Any) -> Tuple[int, int]:
    """The values a ctypes integer type holds."""
    bits = 8 * ctypes.sizeof(ctype)
    if ctype(-1).value < 0:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


_INT_TYPES = (c_int, c_int32, c_int64, c_uint8, c_uint32, c_uint64, c_size_t)


def _range_checked(name: str, fn: Any) -> Any:
    """``fn`` with every integer argument checked against its C type before
    ctypes converts it: ctypes keeps only the low bits, so 2**64 + 2 would
    reach C as 2 and -5 as 2**64 - 5. Out of range raises InvalidArgument
    naming the parameter; this is the one place the Python edge checks it."""
    names = _INT_PARAMETERS.get(name, {})
    checks = [(i, names.get(i, "argument %d" % i),
               "%s %d-bit" % ("a signed" if ctype(-1).value < 0 else "an unsigned",
                              8 * ctypes.sizeof(ctype))) + _int_range(ctype)
              for i, ctype in enumerate(fn.argtypes) if ctype in _INT_TYPES]
    if not checks:
        return fn

    def call(*args: Any) -> Any:
        for i, param, kind, low, high in checks:
            if i < len(args):
                value = args[i]
                if isinstance(value, int) and not low <= value <= high:
                    raise errors.InvalidArgument(
                        "%s: %d is out of range %d..%d (%s takes %s integer)"
                        % (param, value, low, high, name, kind))
        return fn(*args)

    call.__name__ = name
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    call.restype, call.argtypes = fn.restype, fn.argtypes  # type: ignore[attr-defined]
    return call


class _Library:
    """libcollabflow, loaded at the first attribute asked of it (once, under
    a lock). Loading installs every function of _FUNCTIONS as an instance
    attribute, typed and range-checked, so later lookups never come back
    here; a name not in the table falls through to the CDLL's own lookup."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cdll: Optional[ctypes.CDLL] = None
        self._path: Optional[Path] = None

    def loaded_path(self) -> Path:
        """Where the library was loaded from (loading it if need be)."""
        self._ensure_loaded()
        assert self._path is not None
        return self._path

    def _ensure_loaded(self) -> ctypes.CDLL:
        with self._lock:
            if self._cdll is None:
                cdll, path = _load()
                for name, (restype, argtypes) in _FUNCTIONS.items():
                    fn = getattr(cdll, name)
                    fn.restype = restype
                    fn.argtypes = list(argtypes)
                    self.__dict__[name] = _range_checked(name, fn)
                abi = self.__dict__["cflow_abi_version"]()
                if abi != ABI_VERSION:
                    for name in _FUNCTIONS:
                        del self.__dict__[name]
                    raise errors.AbiMismatch(
                        "%s has ABI version %d; this collabflow package needs %d"
                        % (path, abi, ABI_VERSION))
                self._cdll, self._path = cdll, path
            return self._cdll

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(name)
        cdll = self._ensure_loaded()
        if name in self.__dict__:
            return self.__dict__[name]
        return getattr(cdll, name)


lib = _Library()


def __getattr__(name: str) -> Any:
    """``library_path``: where the library was loaded from (loads it)."""
    if name == "library_path":
        return lib.loaded_path()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def check(status: int) -> None:
    """Raises the typed exception for a failed call (the message is the
    calling thread's cflow_last_error(), read right away on the same thread)."""
    if status != 0:
        raise errors.error_for(status, lib.cflow_last_error().decode("utf-8", "replace"))


def status_name(status: int) -> str:
    """The library's name for a status code ("UNRECOGNIZED" if unknown)."""
    return lib.cflow_status_name(status).decode("ascii")


class ObjectRef:
    """An owned library handle (llvmlite's ObjectRef, with typed errors).

    ``close()`` releases it once (idempotent, thread-safe) and leaves a dead
    pointer behind; any later use raises :class:`collabflow.ObjectClosed`
    instead of passing a dangling pointer to C. Context manager; ``__del__``
    closes too (with a ResourceWarning for the kinds that set
    ``_warn_unclosed``), except at interpreter shutdown, when the library may
    already be unloaded. ``parent`` is kept referenced so a child never
    outlives the object it depends on.

    Every call runs inside ``with self._use() as handle:``. ``close()`` refuses
    new uses at once, then waits for the calls in flight on other threads
    before releasing the handle, so no thread ever passes a freed (or, worse,
    reused) address to C. (Not ``_as_parameter_``: ctypes would turn the
    ObjectClosed into an ArgumentError.)
    """

    #: The C function that releases the handle, e.g. "cflow_engine_close".
    _dispose_name = ""
    #: What the object is, for messages ("engine").
    _kind = "object"
    #: Whether the object, if garbage-collected still open, says so with a
    #: ResourceWarning (as a file does): set for what holds more than memory.
    _warn_unclosed = False

    def __init__(self, ptr: Any, parent: Optional[Any] = None) -> None:
        if not ptr:
            raise errors.Internal("the library returned a NULL %s handle" % self._kind)
        self._ptr: Optional[Any] = ptr
        self._parent = parent
        self._in_flight = 0
        self._cond = threading.Condition(threading.Lock())

    def close(self) -> None:
        """Releases the handle (after calls in flight finish); idempotent."""
        cond = getattr(self, "_cond", None)
        if cond is None:  # __init__ did not finish: nothing to release
            return
        with cond:
            ptr, self._ptr = self._ptr, None
            while self._in_flight:
                cond.wait()
            self._parent = None
        if ptr and lib is not None:
            getattr(lib, self._dispose_name)(ptr)

    @property
    def closed(self) -> bool:
        return getattr(self, "_ptr", None) is None

    @contextlib.contextmanager
    def _use(self) -> Iterator[Any]:
        """The live handle for one call; ObjectClosed once closed."""
        cond = getattr(self, "_cond", None)
        if cond is None:
            raise errors.ObjectClosed("the %s was never opened" % self._kind)
        with cond:
            if self._ptr is None:
                raise errors.ObjectClosed("the %s is closed" % self._kind)
            ptr = self._ptr
            self._in_flight += 1
        try:
            yield ptr
        finally:
            with cond:
                self._in_flight -= 1
                if not self._in_flight:
                    cond.notify_all()

    def _handle(self) -> Any:
        """The raw handle without the in-flight guard (tests, diagnostics)."""
        ptr = getattr(self, "_ptr", None)
        if ptr is None:
            raise errors.ObjectClosed("the %s is closed" % self._kind)
        return ptr

    def __enter__(self: Any) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self, _is_finalizing: Callable[[], bool] = sys.is_finalizing,
                _warn: Callable[..., None] = warnings.warn) -> None:
        if _is_finalizing():
            return  # the library and this module may be half torn down
        leaked = None
        try:
            if self._warn_unclosed and not self.closed:
                leaked = "unclosed %r" % self
            self.close()
        except Exception:  # a finalizer's failure has no caller to go to
            pass
        if leaked is not None:
            # After close(): where warnings are errors this raises (Python
            # reports it as ignored in __del__), the handle already released.
            _warn(leaked, ResourceWarning, source=self)


class Options(ObjectRef):
    """cflow_options: set, hand to cflow_engine_open (which copies), close."""

    _dispose_name = "cflow_options_free"
    _kind = "options"

    def __init__(self) -> None:
        ptr = options_p()
        check(lib.cflow_options_new(ctypes.byref(ptr)))
        super().__init__(ptr)

    def set_store_dir(self, path: str) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_store_dir(h, path.encode("utf-8")))

    def set_durability(self, durability: int) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_durability(h, durability))

    def set_host_actor(self, actor_id: str) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_host_actor(h, actor_id.encode("utf-8")))

    def set_request_cache_bytes(self, size: int) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_request_cache_bytes(h, size))

    def set_snapshot_every_records(self, records: int) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_snapshot_every_records(h, records))
    def set_read_only(self, read_only: bool) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_read_only(h, 1 if read_only else 0))

    def set_store_timeouts(self, connect_timeout_seconds: int, statement_timeout_ms: int) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_store_timeouts(h, connect_timeout_seconds,
                                                       statement_timeout_ms))

    def set_clock_tolerance(self, micros: int) -> None:
        with self._use() as h:
            check(lib.cflow_options_set_clock_tolerance(h, micros))

    def set_progress(self, fn: Any) -> None:
        """Sets the progress callback (a ``progress_fn``, or None to remove
        it). The caller keeps ``fn`` alive as long as an engine opened with
        these options is open (ctypes would otherwise free the thunk)."""
        with self._use() as h:
            # progress_fn() is the NULL function pointer (ctypes refuses None).
            check(lib.cflow_options_set_progress(h, progress_fn() if fn is None else fn, None))


def take_buffer(ptr: c_void_p, length: c_size_t) -> bytes:
    """Copies a library-allocated buffer into Python and frees it."""
    try:
        return ctypes.string_at(ptr.value, length.value) if ptr.value else b""
    finally:
        lib.cflow_free(ptr)


def as_u8(data: bytes) -> Any:
    return ctypes.cast(ctypes.c_char_p(data), _u8p)
