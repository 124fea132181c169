#!/usr/bin/env python3
"""Per-call cost of the Python layers over one C call (not a test; numbers in
bindings/python/README.md).

    COLLABFLOW_LIBRARY=build/default/capi/libcollabflow.so PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/tools/bench_binding.py [--n 2000]

Each row runs the same engine work through a different path: the dict path
(Engine.execute_json, and the library's JSON the CLI reads), and the typed
dataclass API.
"""
from __future__ import annotations

import argparse
import ctypes
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import collabflow as cf  # noqa: E402
from collabflow import _ffi  # noqa: E402
from seed import DIRECTORY, INITIATOR, REQUEST, REQUEST_ID, at, drive  # noqa: E402


def timed(label: str, n: int, fn) -> None:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    us = (time.perf_counter() - start) / n * 1e6
    print("| %-48s | %6d | %8.1f |" % (label, n, us))


def fresh() -> cf.Engine:
    e = cf.Engine()
    e.update_directory(DIRECTORY, at=at(8, 28, 9))
    return e


def raw_get_request(e: cf.Engine, rid: bytes) -> bytes:
    """The C call alone: ctypes + copying the library's buffer, no parsing."""
    out, out_len = ctypes.c_void_p(), ctypes.c_size_t()
    with e._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_get_request(ctypes.byref(out), ctypes.byref(out_len),
                                                     h, 1, rid))
    return _ffi.take_buffer(out, out_len)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    n = ap.parse_args().n
    t = at(9, 1, 9)
    print("| operation | calls | µs/call |\n|---|---:|---:|")
    # Commands: each layer on its own fresh engine, so engine growth is equal.
    request_json = REQUEST.to_json()
    with fresh() as e:
        timed("create_request: dict -> execute_json -> dict", n, lambda i: e.execute_json({
            "actor_id": INITIATOR, "request_id": "R-%d" % i, "time": "2026-09-01T01:00:00Z",
            "create_request": {"request": dict(request_json, id="R-%d" % i)}}))
    with fresh() as e:
        timed("create_request: dataclass -> CommandResult (typed)", n,
              lambda i: e.create_request(INITIATOR, dataclasses.replace(REQUEST, id="R-%d" % i),
                                         at=t))  # a Command through Engine.execute
    # Queries on the seed request (one request, plan published).
    with fresh() as e:
        drive(e, 8)
        rid = REQUEST_ID.encode()
        timed("get_request: C call + buffer copy only", n, lambda i: raw_get_request(e, rid))
        req = e.request(REQUEST_ID)
        get_request, schedule = _ffi.lib.cflow_engine_get_request, _ffi.lib.cflow_engine_schedule
        timed("get_request: the library's JSON -> dict (the CLI)", n,
              lambda i: e._query(get_request, rid))
        timed("view() -> RequestView dataclass", n, lambda i: req.view())
        timed("schedule: the library's JSON -> dict (the CLI)", n,
              lambda i: e._query(schedule, rid))
        timed("schedule() -> ScheduleView, to_dicts()", n, lambda i: req.schedule().to_dicts())
    return 0


if __name__ == "__main__":
    sys.exit(main())
