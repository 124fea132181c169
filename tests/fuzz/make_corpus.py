#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus (tests/fuzz/corpus/) from the seed scenario.

Inputs: examples/q3-launch/directory.json and scenario.jsonl (the worked
example "Q3新品上市营销方案执行"). Each corpus file starts with the mode byte
that tests/fuzz/capi_fuzz.cc reads (0 JSON commands, 1 protobuf commands,
2 request JSON, 3 request protobuf). The protobuf encodings come from the
collabflow.v1 schema itself (protoc --python_out into a scratch directory), so
they are exactly what a protobuf host sends.

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


def main():
    scratch = tempfile.mkdtemp()
    try:
        protos = sorted(glob.glob(os.path.join(ROOT, "proto", "collabflow", "v1", "*.proto")))
        subprocess.run(["protoc", "-I", os.path.join(ROOT, "proto"), "--python_out", scratch]
                       + protos, check=True)
        sys.path.insert(0, scratch)
        from google.protobuf import json_format
        from google.protobuf import text_format
        from collabflow.v1 import calendar_pb2, command_pb2, request_pb2

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
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
