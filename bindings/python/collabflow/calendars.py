"""Working-time calendars from Python (the calendar kernel every time rule
of the engine counts with): working days, "within N working days"
deadlines and working time between instants.

    cal = WorkCalendar.china_mainland()        # the official 2025-2026 holidays
    cal.is_working_day(datetime.date(2026, 9, 20))   # True: a make-up working day
    cal.add_working_days(datetime.date(2026, 9, 24), 1)   # 2026-09-28

Thread safety: a calendar is immutable; one object may be used from many
threads. Close it (or use ``with``) to release it early; a closed calendar
raises :class:`collabflow.ObjectClosed`.
"""
from __future__ import annotations

import datetime as _dt
from ctypes import byref, c_int, c_int64, c_size_t, c_void_p
from typing import Any, Optional

from . import _ffi
from ._codec import to_unix_micros

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _date(d: _dt.date) -> _ffi.Date:
    if isinstance(d, _dt.datetime) or not isinstance(d, _dt.date):
        raise TypeError("expected a datetime.date, got %r" % (d,))
    return _ffi.Date(d.year, d.month, d.day)


class WorkCalendar(_ffi.ObjectRef):
    """A cflow_calendar: open it with :meth:`china_mainland`,
    :meth:`from_text`, :meth:`from_bytes`, or take an engine's with
    :meth:`collabflow.Engine.calendar`."""

    _dispose_name = "cflow_calendar_free"
    _kind = "calendar"

    def __init__(self, ptr: Any, parent: Optional[Any] = None) -> None:
        super().__init__(ptr, parent)

    @classmethod
    def china_mainland(cls) -> "WorkCalendar":
        """Mainland China, Asia/Shanghai, the State Council's 2025-2026
        holidays and make-up working days, 09:00-18:00 with a lunch break."""
        ptr = _ffi.calendar_p()
        _ffi.check(_ffi.lib.cflow_calendar_china_mainland(byref(ptr)))
        return cls(ptr)

    @classmethod
    def from_text(cls, text: str) -> "WorkCalendar":
        """From a collabflow.v1.Calendar in text format (textproto);
        InvalidArgument with line and column on a syntax error."""
        data = text.encode("utf-8")
        ptr = _ffi.calendar_p()
        _ffi.check(_ffi.lib.cflow_calendar_from_text(byref(ptr), data, len(data)))
        return cls(ptr)

    @classmethod
    def from_bytes(cls, data: bytes) -> "WorkCalendar":
        """From a collabflow.v1.Calendar as protobuf bytes."""
        data = bytes(data)
        ptr = _ffi.calendar_p()
        _ffi.check(_ffi.lib.cflow_calendar_from_bytes(byref(ptr), _ffi.as_u8(data), len(data)))
        return cls(ptr)

    @classmethod
    def _of_engine(cls, engine: Any) -> "WorkCalendar":
        """The calendar of an open engine (an ObjectRef): Engine.calendar()."""
        ptr = _ffi.calendar_p()
        with engine._use() as h:
            _ffi.check(_ffi.lib.cflow_engine_calendar(byref(ptr), h))
        return cls(ptr)

    def __repr__(self) -> str:
        return "<collabflow.WorkCalendar%s>" % (" (closed)" if self.closed else "")

    def to_text(self) -> str:
        """The calendar in text format, every field explicit."""
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_calendar_to_text(byref(out), byref(out_len), h))
        return _ffi.take_buffer(out, out_len).decode("utf-8")

    def is_working_day(self, day: _dt.date) -> bool:
        out = c_int(0)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_calendar_is_working_day(byref(out), h, _date(day)))
        return bool(out.value)

    def add_working_days(self, day: _dt.date, n: int) -> _dt.date:
        """The n-th working day after ``day`` (before it for n < 0; ``day``
        itself for 0)."""
        out = _ffi.Date()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_calendar_add_working_days(byref(out), h, _date(day), n))
        return _dt.date(out.year, out.month, out.day)

    def working_days_between(self, start: _dt.date, end: _dt.date) -> int:
        """The number of working days in [start, end) (negative if end < start)."""
        out = c_int64(0)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_calendar_working_days_between(byref(out), h, _date(start),
                                                                    _date(end)))
        return out.value

    def deadline_within(self, filed: _dt.datetime, n: int) -> _dt.datetime:
        """The deadline of "within n working days" counted from ``filed``
        (an aware datetime); returned in UTC."""
        out = c_int64(0)
        micros = to_unix_micros(filed, "filed")
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_calendar_deadline_within(byref(out), h, micros, n))
        return _EPOCH + _dt.timedelta(microseconds=out.value)

    def working_time_between(self, start: _dt.datetime, end: _dt.datetime) -> _dt.timedelta:
        """The working time between two aware datetimes (negative if end < start)."""
        out = c_int64(0)
        a, b = to_unix_micros(start, "start"), to_unix_micros(end, "end")
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_calendar_working_time_between(byref(out), h, a, b))
        return _dt.timedelta(microseconds=out.value)


__all__ = ["WorkCalendar"]
