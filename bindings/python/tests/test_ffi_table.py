"""The one table of argtypes/restype (_ffi._FUNCTIONS) agrees with the C
header: every function declared there exists in capi/collabflow.h with the
same number and kinds of parameters, and every exported function of the
header is in the table (a new entry point must be declared before use)."""
import ctypes
import re
from pathlib import Path

from collabflow import _ffi

HEADER = Path(__file__).resolve().parents[3] / "capi" / "collabflow.h"

# C parameter/result type (normalized) -> the ctypes type the table must use.
C_TO_CTYPES = {
    "void": None,
    "int": ctypes.c_int,
    "cflow_status": ctypes.c_int,
    "cflow_format": ctypes.c_int,
    "cflow_durability": ctypes.c_int,
    "cflow_report_format": ctypes.c_int,
    "cflow_language": ctypes.c_int,
    "int64_t": ctypes.c_int64,
    "uint32_t": ctypes.c_uint32,
    "uint64_t": ctypes.c_uint64,
    "size_t": ctypes.c_size_t,
    "const char*": ctypes.c_char_p,
    "const void*": ctypes.c_char_p,  # bytes in, with an explicit length
    "const uint8_t*": ctypes.POINTER(ctypes.c_uint8),
    "void*": ctypes.c_void_p,
    "char**": ctypes.POINTER(ctypes.c_void_p),  # library buffers come back as void*
    "void**": ctypes.POINTER(ctypes.c_void_p),
    "uint8_t**": ctypes.POINTER(ctypes.c_void_p),
    "size_t*": ctypes.POINTER(ctypes.c_size_t),
    "int*": ctypes.POINTER(ctypes.c_int),
    "cflow_engine*": _ffi.engine_p,
    "cflow_engine**": ctypes.POINTER(_ffi.engine_p),
    "cflow_options*": _ffi.options_p,
    "const cflow_options*": _ffi.options_p,
    "cflow_options**": ctypes.POINTER(_ffi.options_p),
    "int64_t*": ctypes.POINTER(ctypes.c_int64),
    "cflow_date": _ffi.Date,
    "cflow_date*": ctypes.POINTER(_ffi.Date),
    "cflow_progress_fn": _ffi.progress_fn,
    "cflow_log_fn": _ffi.log_fn,
    "cflow_calendar*": _ffi.calendar_p,
    "const cflow_calendar*": _ffi.calendar_p,
    "cflow_calendar**": ctypes.POINTER(_ffi.calendar_p),
    "cflow_task_graph*": _ffi.task_graph_p,
    "cflow_task_graph**": ctypes.POINTER(_ffi.task_graph_p),
    "cflow_task": ctypes.c_uint32,
    "cflow_task*": ctypes.POINTER(ctypes.c_uint32),
    "const cflow_task*": ctypes.POINTER(ctypes.c_uint32),
    "cflow_link_type": ctypes.c_int,
    "const cflow_link_type*": ctypes.POINTER(ctypes.c_int),
    "int32_t": ctypes.c_int32,
    "int32_t*": ctypes.POINTER(ctypes.c_int32),
    "const int32_t*": ctypes.POINTER(ctypes.c_int32),
    "const char* const*": ctypes.POINTER(ctypes.c_char_p),
}


def normalize(c_type):
    c_type = re.sub(r"\s*\*", "*", c_type.strip())
    return re.sub(r"\s+", " ", c_type)


def header_functions():
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    found = {}
    for ret, name, params in re.findall(
            r"CFLOW_EXPORT\s+([\w\s\*]+?)\s*\b(cflow_\w+)\s*\(([^)]*)\)\s*;", text):
        types = []
        for p in params.split(","):
            p = p.strip()
            if p in ("", "void"):
                continue
            m = re.match(r"(.*?)(\w+)$", p)
            types.append(normalize(m.group(1)))
        found[name] = (normalize(ret), types)
    return found


def test_header_parses():
    functions = header_functions()
    assert "cflow_engine_execute" in functions and len(functions) >= 20
    assert functions["cflow_engine_tick"] == ("cflow_status",
                                              ["size_t*", "cflow_engine*", "int64_t"])


def test_every_table_entry_matches_the_header():
    functions = header_functions()
    problems = []
    for name, (restype, argtypes) in _ffi._FUNCTIONS.items():
        if name not in functions:
            problems.append("%s: not in the header" % name)
            continue
        c_ret, c_params = functions[name]
        if C_TO_CTYPES.get(c_ret, "?") is not restype:
            problems.append("%s: restype %r for C %r" % (name, restype, c_ret))
        if len(c_params) != len(argtypes):
            problems.append("%s: %d argtypes for %d C parameters"
                            % (name, len(argtypes), len(c_params)))
            continue
        for i, (c, py) in enumerate(zip(c_params, argtypes)):
            if C_TO_CTYPES.get(c, "?") is not py:
                problems.append("%s: argument %d is %r for C %r" % (name, i, py, c))
    assert problems == [], "\n".join(problems)


def test_every_exported_function_is_in_the_table():
    missing = sorted(set(header_functions()) - set(_ffi._FUNCTIONS))
    assert missing == [], ("declare these in _ffi._FUNCTIONS (and wrap them): %s"
                           % ", ".join(missing))


def test_every_table_entry_is_bound_with_its_types():
    for name, (restype, argtypes) in _ffi._FUNCTIONS.items():
        fn = getattr(_ffi.lib, name)
        assert fn.restype is restype and list(fn.argtypes) == list(argtypes), name


def header_int_parameters():
    """Each function's integer parameters passed by value: {position: name}."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    found = {}
    for name, params in re.findall(
            r"CFLOW_EXPORT\s+[\w\s\*]+?\s*\b(cflow_\w+)\s*\(([^)]*)\)\s*;", text):
        ints = {}
        for i, p in enumerate(q.strip() for q in params.split(",")):
            if p in ("", "void"):
                continue
            m = re.match(r"(.*?)(\w+)$", p)
            c_type = normalize(m.group(1))
            ctype = C_TO_CTYPES.get(c_type)
            if ctype in (ctypes.c_int, ctypes.c_int32, ctypes.c_int64, ctypes.c_uint32,
                         ctypes.c_uint64, ctypes.c_size_t):
                ints[i] = m.group(2)
        if ints:
            found[name] = ints
    return found


def test_every_integer_parameter_is_named_as_in_the_header():
    # The range check names the parameter from _ffi._INT_PARAMETERS.
    assert _ffi._INT_PARAMETERS == header_int_parameters()
