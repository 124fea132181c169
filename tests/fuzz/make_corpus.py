#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from the seed scenario and example plan.

tests/fuzz/corpus/ (capi_fuzz.cc):
Inputs: examples/q3-launch/directory.json and scenario.jsonl (the worked
example "Q3新品上市营销方案执行"). Each corpus file starts with the mode byte
that tests/fuzz/capi_fuzz.cc reads (0 JSON commands, 1 protobuf commands,
2 request JSON, 3 request protobuf). The protobuf encodings come from the
collabflow.v1 schema itself (protoc --python_out into a scratch directory), so
they are exactly what a protobuf host sends.

tests/fuzz/task_graph_corpus/ (task_graph_fuzz.cc): the example plan
benchmarks/graph/example (tasks.csv and edges.csv, as an edge list and as TSV;
plan.json) and the same plan saved as collabflow.v1.TaskGraph bytes, each
file starting with the harness's reader byte (0 edge list: tasks, NUL, edges;
1 JSON; 2 saved bytes), plus small graphs and malformed ones for each reader.

Run with /usr/bin/python3 (it has the protobuf package):
    /usr/bin/python3 tests/fuzz/make_corpus.py
"""
import datetime as dt
import glob
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from zoneinfo import ZoneInfo

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
GRAPH_OUT = os.path.join(ROOT, "tests", "fuzz", "task_graph_corpus")
EXAMPLE = os.path.join(ROOT, "benchmarks", "graph", "example")
LINK_TYPES = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}


def utc(text):
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def commands():
    with open(os.path.join(ROOT, "examples", "q3-launch", "directory.json"), encoding="utf-8") as f:
        directory = json.load(f)
    yield {"actor_id": "host", "time": "2026-08-28T01:00:00Z",
           "update_directory": {"directory": directory}}
    with open(os.path.join(ROOT, "examples", "q3-launch", "scenario.jsonl"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            step = json.loads(line)
            if "tick" in step or "acknowledge" in step:
                continue
            step["time"] = utc(step["time"])
            yield step


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def saved_graph(task_graph_pb2, tasks, deps, extra=None):
    """A TaskGraph message for tasks [(id, duration)] and deps [(from, to, type, lag)]
    by index: handles are list indexes, `order` a topological order (Kahn)."""
    n = len(tasks)
    succ = [[] for _ in range(n)]
    indeg = [0] * n
    for a, b, t, lag in deps:
        succ[a].append((b, t, lag))
        indeg[b] += 1
    order = [t for t in range(n) if indeg[t] == 0]
    for t in order:
        for b, _, _ in succ[t]:
            indeg[b] -= 1
            if indeg[b] == 0:
                order.append(b)
    assert len(order) == n, "the plan has a cycle"
    pos = {t: i for i, t in enumerate(order)}
    m = task_graph_pb2.TaskGraph(format_version=1, handle_count=n)
    m.order.extend(order)
    m.duration.extend(tasks[t][1] for t in order)
    m.id.extend(tasks[t][0] for t in order)
    for i, t in enumerate(order):
        links = sorted(succ[t], key=lambda link: pos[link[0]])
        m.out_degree.append(len(links))
        for b, typ, lag in links:
            m.edge_forward.append(pos[b] - i)
            m.edge_lag_type.append(lag * 4 + typ)
    if extra:
        extra(m, order)
    return m


def example_plan():
    """The example plan: [(id, duration)], [(from, to, type, lag)] by index."""
    def rows(name):
        with open(os.path.join(EXAMPLE, name), encoding="utf-8") as f:
            lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        return [l.split(",") for l in lines[1:]]  # the header
    tasks = [(r[0], int(r[1])) for r in rows("tasks.csv")]
    index = {t[0]: i for i, t in enumerate(tasks)}
    deps = [(index[r[0]], index[r[1]], LINK_TYPES[r[2]], int(r[3])) for r in rows("edges.csv")]
    return tasks, deps


def write_task_graph_corpus(task_graph_pb2):
    shutil.rmtree(GRAPH_OUT, ignore_errors=True)
    os.makedirs(GRAPH_OUT)

    def write(name, data):
        with open(os.path.join(GRAPH_OUT, name), "wb") as f:
            f.write(data)

    def read(name):
        with open(os.path.join(EXAMPLE, name), "rb") as f:
            return f.read()

    def edge_list(tasks, edges):
        return b"\x00" + tasks.encode("utf-8") + b"\x00" + edges.encode("utf-8")

    # Reader 0: edge lists.
    tasks_csv, edges_csv = read("tasks.csv"), read("edges.csv")
    write("edges-example", b"\x00" + tasks_csv + b"\x00" + edges_csv)
    write("edges-example-tsv", b"\x00" + tasks_csv.replace(b",", b"\t") + b"\x00"
          + edges_csv.replace(b",", b"\t"))
    write("edges-small", edge_list("A,2\nB,3\nC,1\nD,0\n",
                                   "A,B\nA,C,ss,1\nB,D,FF\nC,D,SF,-2\n"))
    write("edges-crlf-headers", edge_list("task,duration\r\nx, 1 \r\n\r\ny,2\r\n",
                                          "predecessor,successor\r\n x , y ,, \r\n"))
    write("edges-cycle", edge_list("A,1\nB,1\nC,1", "A,B\nB,C\nC,A"))
    write("edges-self-loop", edge_list("A,1", "A,A"))
    write("edges-repeat", edge_list("A,1\nB,1\nA,2", "A,B\nA,B,SS"))
    write("edges-unknown-id", edge_list("A,1", "A,Q"))
    write("edges-bad-fields", edge_list("A,x\nB\nC,100001,3", "A,B,XY,lag,5"))
    write("edges-invalid-utf8", b"\x00" + b"\xc3\x28,1\nok,2" + b"\x00" + b"ok,\xc3\x28")
    # Reader 1: JSON.
    write("json-example", b"\x01" + read("plan.json"))
    write("json-small", b"\x01" + json.dumps(
        {"tasks": [{"id": "A", "duration": 2}, {"id": "B", "duration": 0}],
         "dependencies": [{"from": "A", "to": "B", "type": "SS", "lag": -1}]}).encode())
    write("json-no-dependencies", b'\x01{"tasks":[{"id":"only","duration":5}]}')
    write("json-cycle", b'\x01{"tasks":[{"id":"A","duration":1},{"id":"B","duration":1}],'
          b'"dependencies":[{"from":"A","to":"B"},{"from":"B","to":"A"}]}')
    write("json-unknown-key", b'\x01{"tasks":[{"id":"A","duration":1,"owner":"p"}]}')
    write("json-bad-values", b'\x01{"tasks":[{"id":"A","duration":1.5},{"id":7,"duration":-1}],'
          b'"dependencies":[{"from":"A","to":"A","type":"XY","lag":1e9}]}')
    write("json-not-object", b"\x01[1, 2, {\"tasks\": null}]")
    # Found by the harness: a number beyond int64 was converted to an integer
    # before its range was checked (undefined behaviour).
    write("json-huge-duration", b'\x01{"tasks":[{"id":"only","duration":' + b"1" * 114
          + b'0}]}')
    # Reader 2: saved graphs.
    tasks, deps = example_plan()
    example = saved_graph(task_graph_pb2, tasks, deps).SerializeToString(deterministic=True)
    write("saved-example", b"\x02" + example)
    write("saved-truncated", b"\x02" + example[: len(example) // 2])

    def with_dates(m, order):
        # Removed tasks (handles beyond the live ones), constraints, progress
        # and assignees: every column the loader reads.
        m.handle_count = len(order) + 2
        m.start_no_earlier_than.extend([0, 3, 0, 0])
        m.finish_no_later_than.extend([0, 0, 0, 20])
        m.actual_start.extend([1, 0, 0, 0])
        m.actual_finish.extend([2, 0, 0, 0])
        m.percent_complete.extend([100, 50, 0, 0])
        m.assignee_names.extend(["", "p-li", "p-chen"])
        m.assignee.extend([1, 2, 0, 1])

    small = [("A", 2), ("B", 3), ("", 1), ("D", 0)]
    small_deps = [(0, 1, 0, 0), (0, 2, 1, 1), (1, 3, 2, 0), (2, 3, 3, -2)]
    dated = saved_graph(task_graph_pb2, small, small_deps, with_dates)
    write("saved-dates-assignees", b"\x02" + dated.SerializeToString(deterministic=True))
    # Not the packed layout (order as unpacked varints, a field repeated):
    # the loader lets protobuf parse these.
    plain = saved_graph(task_graph_pb2, small, small_deps)
    unpacked = b"".join(varint(3 << 3) + varint(t) for t in plain.order)
    plain.ClearField("order")
    write("saved-unpacked", b"\x02" + unpacked + plain.SerializeToString(deterministic=True))
    # Malformed: an edge pointing outside the order, a handle listed twice, a
    # format version from the future, and plain garbage.
    bad = saved_graph(task_graph_pb2, small, small_deps)
    bad.edge_forward[0] = 9
    write("saved-edge-outside", b"\x02" + bad.SerializeToString(deterministic=True))
    twice = saved_graph(task_graph_pb2, small, small_deps)
    twice.order[1] = twice.order[0]
    write("saved-handle-twice", b"\x02" + twice.SerializeToString(deterministic=True))
    write("saved-format-version", b"\x02" + bytes([0x08, 0x02]))
    write("saved-garbage", b"\x02" + b"\xff\xff\xff\xff\x0f\x1a\x05\x01")
    print("wrote %d files to %s" % (len(os.listdir(GRAPH_OUT)), os.path.relpath(GRAPH_OUT, ROOT)))


def main():
    scratch = tempfile.mkdtemp()
    try:
        protos = sorted(glob.glob(os.path.join(ROOT, "proto", "collabflow", "v1", "*.proto")))
        subprocess.run(["protoc", "-I", os.path.join(ROOT, "proto"), "--python_out", scratch]
                       + protos, check=True)
        sys.path.insert(0, scratch)
        from google.protobuf import json_format
        from google.protobuf import text_format
        from collabflow.v1 import calendar_pb2, command_pb2, request_pb2, task_graph_pb2

        shutil.rmtree(OUT, ignore_errors=True)
        os.makedirs(OUT)

        def write(name, data):
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(data)

        all_json, all_pb = [], []
        for i, step in enumerate(commands()):
            kind = next(k for k in step if k not in ("actor_id", "time", "request_id"))
            text = json.dumps(step, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            pb = json_format.Parse(text, command_pb2.Command()).SerializeToString(
                deterministic=True)
            framed = struct.pack("<H", len(pb)) + pb
            all_json.append(text)
            all_pb.append(framed)
            # One command a file (the harness has loaded the directory already).
            write("json-%02d-%s" % (i, kind), b"\x00" + text)
            write("pb-%02d-%s" % (i, kind), b"\x01" + framed)
            if kind in ("create_request", "revise_request"):
                request = step[kind]["request"]
                rtext = json.dumps(request, ensure_ascii=False).encode("utf-8")
                rpb = json_format.Parse(rtext, request_pb2.CollaborationRequest())
                write("request-json-%02d" % i, b"\x02" + rtext)
                write("request-pb-%02d" % i, b"\x03" + rpb.SerializeToString(deterministic=True))
        # The whole scenario after the directory (which the harness loads itself).
        write("json-scenario", b"\x00" + b"\n".join(all_json[1:]))
        write("pb-scenario", b"\x01" + b"".join(all_pb[1:]))
        # A few malformed starts.
        write("json-invalid-utf8", b"\x00" + b'{"actor_id":"\xc3\x28"}')
        write("json-unknown-enum", b"\x00" + all_json[3].replace(b'"DECISION_ACCEPT"', b"99"))
        write("pb-garbage", b"\x01" + struct.pack("<H", 5) + b"\xff\xff\xff\xff\x0f")
        # Calendars (modes 4 and 5): the shipped mainland-China calendar as
        # text and as protobuf bytes, and a small one in text.
        with open(os.path.join(ROOT, "data", "calendars", "cn-mainland-2025-2026.textproto"),
                  "rb") as f:
            cn_text = f.read()
        cn = text_format.Parse(cn_text.decode("utf-8"), calendar_pb2.Calendar())
        write("calendar-text-cn", b"\x04" + cn_text)
        write("calendar-pb-cn", b"\x05" + cn.SerializeToString(deterministic=True))
        write("calendar-text-small", b"\x04" + 'name: "acme" time_zone: "UTC" '
              'working_weekdays: [WEEKDAY_MONDAY] exceptions { date { year: 2026 month: 9 '
              'day: 20 } kind: DAY_KIND_MAKEUP_WORKDAY name: "调休" }'.encode("utf-8"))
        print("wrote %d files to %s" % (len(os.listdir(OUT)), os.path.relpath(OUT, ROOT)))
        write_task_graph_corpus(task_graph_pb2)
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
