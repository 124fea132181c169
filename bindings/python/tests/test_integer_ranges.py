"""Integers never wrap at the Python edge: ctypes keeps the low bits of an
int, so without the range check in _ffi 2**64 + 2 would reach C as 2 and
-5 as 2**64 - 5. Every integer parameter is checked against its C type and
refused with InvalidArgument naming the parameter."""
import ctypes
import datetime as dt

import pytest

import collabflow
from collabflow import _ffi, errors
from collabflow.task_graph import TaskGraph



def test_acknowledge_beyond_uint64_is_refused_not_wrapped():
    with collabflow.Engine() as engine:
        with pytest.raises(errors.InvalidArgument, match=r"up_to: 18446744073709551618 is out"):
            engine.acknowledge(2 ** 64 + 2)


def test_negative_acknowledge_is_refused_not_wrapped():
    with collabflow.Engine() as engine:
        with pytest.raises(errors.InvalidArgument, match=r"up_to: -5 is out of range"):
            engine.acknowledge(-5)


def test_negative_positions_and_page_sizes_are_refused():
    with collabflow.Engine() as engine:
        with pytest.raises(errors.InvalidArgument, match=r"after: -1 is out of range"):
            list(engine.notifications(after=-1))
        with pytest.raises(errors.InvalidArgument, match=r"after: 18446744073709551616"):
            list(engine.history(after=2 ** 64))


def test_task_graph_int32_parameters_are_refused_beyond_int32():
    with TaskGraph() as g:
        with pytest.raises(errors.InvalidArgument, match=r"duration: 4294967297 is out of range"):
            g.add_task("a", 2 ** 32 + 1)
        a = g.add_task("a", 1)
        b = g.add_task("b", 1)
        with pytest.raises(errors.InvalidArgument, match=r"lag: -2147483649 is out of range"):
            g.add_dependency(a, b, "FS", -2 ** 31 - 1)
        with pytest.raises(errors.InvalidArgument, match=r"successor: 4294967296 is out"):
            g.add_dependency(a, 2 ** 32)
        assert g.dependency_count == 0  # nothing wrapped onto task 0


def test_calendar_int64_parameter_is_refused_beyond_int64():
    cal = collabflow.WorkCalendar.china_mainland()
    with pytest.raises(errors.InvalidArgument, match=r"n: 9223372036854775808 is out of range"):
        cal.add_working_days(dt.date(2026, 9, 1), 2 ** 63)


def test_every_integer_parameter_of_the_table_is_checked():
    # Every function with an integer argtype goes through the check: one
    # past either bound of the parameter's C type is refused before C is
    # called (the other arguments are None, which C would refuse otherwise).
    for name, (_restype, argtypes) in _ffi._FUNCTIONS.items():
        for i, ctype in enumerate(argtypes):
            if ctype not in _ffi._INT_TYPES:
                continue
            low, high = _ffi._int_range(ctype)
            for bad in (low - 1, high + 1):
                args = [None] * len(argtypes)
                args[i] = bad
                with pytest.raises(errors.InvalidArgument,
                                   match=r"^%s: %d is out of range" % (
                                       _ffi._INT_PARAMETERS[name][i], bad)):
                    getattr(_ffi.lib, name)(*args)


def test_int_range_matches_the_c_types():
    assert _ffi._int_range(ctypes.c_uint64) == (0, 2 ** 64 - 1)
    assert _ffi._int_range(ctypes.c_int64) == (-2 ** 63, 2 ** 63 - 1)
    assert _ffi._int_range(ctypes.c_int32) == (-2 ** 31, 2 ** 31 - 1)
    assert _ffi._int_range(ctypes.c_uint32) == (0, 2 ** 32 - 1)


def test_task_graph_columns_name_the_value_out_of_range():
    # array.array refuses these (OverflowError, not a collabflow error).
    with pytest.raises(errors.InvalidArgument, match=r"durations\[1\]: 1099511627776 is out of "
                                                     r"range for int32_t"):
        TaskGraph.build([1, 2 ** 40])
    with pytest.raises(errors.InvalidArgument,
                       match=r"dependencies\[0\].successor: 8589934592 is out of range"):
        TaskGraph.build([1, 1], [(0, 2 ** 33)])
    with pytest.raises(errors.InvalidArgument, match=r"dependencies\[0\].lag: -2147483649"):
        TaskGraph.build([1, 1], [(0, 1, "FS", -2 ** 31 - 1)])
