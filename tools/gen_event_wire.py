#!/usr/bin/env python3
"""Generates event_wire.cc: WriteEventWire and WriteNotificationWire
(src/wire/event_wire.h), one writer per message reachable from
collabflow.v1.Event, from the .proto files (through protoc's descriptor
set). The build runs it (src/CMakeLists.txt); nothing it writes is
committed.

    /usr/bin/python3 tools/gen_event_wire.py --out FILE [--protoc PROTOC]

Each writer emits its message's fields in field-number order with the rules
of protobuf's own serializer (proto3: scalars and strings only when not
zero or empty, unless they are oneof members or `optional`; messages when
present; lengths from the sizes ByteSizeLong cached), so the bytes equal a
deterministic serialization (of the known fields: unknown ones are not
written, which the caller sees as a shorter result); tests/wire/event_wire_test.cc holds them equal on
random events. Kinds the events do not use (maps, packed repeated scalars,
floating point, zigzag and fixed-width integers, groups) are refused here,
so a .proto change that brings one in fails the generation instead of
writing wrong bytes.

Needs protoc and python3-protobuf (both build dependencies, installed by
scripts/setup.sh).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROTO_DIR = REPO / "proto"
ROOT = ".collabflow.v1.Event"
# Also written on its own: the outbox keeps notifications as bytes (outbox_log.h).
NOTIFICATION = ".collabflow.v1.Notification"

# C++ keywords protoc renames a field after (it appends "_").
CPP_KEYWORDS = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "case",
    "catch", "char", "class", "compl", "const", "constexpr", "const_cast", "continue",
    "decltype", "default", "delete", "do", "double", "dynamic_cast", "enum", "explicit",
    "export", "extern", "float", "for", "friend", "goto", "inline", "int", "long", "mutable",
    "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
    "private", "protected", "public", "register", "reinterpret_cast", "return", "short",
    "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "xor", "xor_eq",
}
VARINT_TYPES = {F.TYPE_INT32, F.TYPE_INT64, F.TYPE_UINT32, F.TYPE_UINT64, F.TYPE_ENUM,
                F.TYPE_BOOL}


def descriptor_set(protoc: str) -> descriptor_pb2.FileDescriptorSet:
    protos = sorted(str(p.relative_to(PROTO_DIR)) for p in PROTO_DIR.glob("collabflow/v1/*.proto"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.pb"
        subprocess.run([protoc, "--include_imports", "--descriptor_set_out=%s" % out,
                        "-I%s" % PROTO_DIR, "-I/usr/include"] + protos,
                       check=True, cwd=str(PROTO_DIR))
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(out.read_bytes())
    return fds


def messages_by_name(fds) -> Dict[str, descriptor_pb2.DescriptorProto]:
    out = {}

    def walk(prefix, ms):
        for m in ms:
            out[prefix + "." + m.name] = m
            walk(prefix + "." + m.name, m.nested_type)

    for f in fds.file:
        if f.syntax != "proto3":
            raise SystemExit("%s: only proto3 files are supported" % f.name)
        walk("." + f.package, f.message_type)
    return out


def cpp_type(full: str) -> str:
    """.collabflow.v1.Minutes.ActionItem -> v1::Minutes_ActionItem."""
    if full == ".google.protobuf.Timestamp":
        return "google::protobuf::Timestamp"
    assert full.startswith(".collabflow.v1."), full
    return "v1::" + full[len(".collabflow.v1."):].replace(".", "_")


def writer_name(full: str) -> str:
    """.collabflow.v1.Minutes.ActionItem -> WriteMinutes_ActionItem."""
    return "Write" + cpp_type(full).split("::")[-1]


def accessor(name: str) -> str:
    name = name.lower()
    return name + "_" if name in CPP_KEYWORDS else name


def reachable(msgs, root: str) -> List[str]:
    seen, order, stack = set(), [], [root]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        m = msgs[name]
        if m.options.map_entry:
            raise SystemExit("%s: map fields are not supported" % name)
        for fld in m.field:
            if fld.type == F.TYPE_MESSAGE:
                stack.append(fld.type_name)
    return sorted(order)


def field_code(m_name: str, fld) -> List[str]:
    a = accessor(fld.name)
    num = fld.number
    repeated = fld.label == F.LABEL_REPEATED
    explicit = fld.HasField("oneof_index") or fld.proto3_optional
    if fld.type == F.TYPE_MESSAGE:
        sub = writer_name(fld.type_name)
        if repeated:
            return ["  for (const auto& x : m.%s()) p = WriteMessage(%d, x, p, %s);"
                    % (a, num, sub)]
        return ["  if (m.has_%s()) p = WriteMessage(%d, m.%s(), p, %s);" % (a, num, a, sub)]
    if fld.type in (F.TYPE_STRING, F.TYPE_BYTES):
        if repeated:
            return ["  for (const std::string& x : m.%s()) p = WriteBytes(%d, x, p);" % (a, num)]
        cond = "m.has_%s()" % a if explicit else "!m.%s().empty()" % a
        return ["  if (%s) p = WriteBytes(%d, m.%s(), p);" % (cond, num, a)]
    if fld.type in VARINT_TYPES:
        if repeated:
            raise SystemExit("%s.%s: repeated scalars (packed) are not supported"
                             % (m_name, fld.name))
        if fld.type == F.TYPE_BOOL:
            value = "uint64_t{m.%s()}" % a
        elif fld.type in (F.TYPE_INT32, F.TYPE_ENUM):
            # Negative values take ten bytes: sign-extended to 64 bits.
            value = "static_cast<uint64_t>(static_cast<int64_t>(m.%s()))" % a
        else:
            value = "static_cast<uint64_t>(m.%s())" % a
        cond = "m.has_%s()" % a if explicit else "m.%s() != 0" % a
        if fld.type == F.TYPE_BOOL and not explicit:
            cond = "m.%s()" % a
        return ["  if (%s) p = WriteVarintField(%d, %s, p);" % (cond, num, value)]
    raise SystemExit("%s.%s: field type %s is not supported"
                     % (m_name, fld.name, F.Type.Name(fld.type)))


def generate(protoc: str) -> str:
    msgs = messages_by_name(descriptor_set(protoc))
    names = reachable(msgs, ROOT)
    out = [
        "// GENERATED at build time by tools/gen_event_wire.py from",
        "// proto/collabflow/v1/*.proto.",
        '#include "wire/event_wire.h"',
        "",
        "#include <cstdint>",
        "#include <string>",
        "",
        '#include "collabflow/v1/event.pb.h"',
        '#include "wire/wire_writing.h"',
        '#include "google/protobuf/timestamp.pb.h"',
        "",
        "namespace collabflow::internal {",
        "namespace {",
        "",
    ]
    for name in names:
        out.append("uint8_t* %s(const %s& m, uint8_t* p);" % (writer_name(name), cpp_type(name)))
    out.append("")
    for name in names:
        m = msgs[name]
        out.append("uint8_t* %s(const %s& m, uint8_t* p) {" % (writer_name(name), cpp_type(name)))
        for fld in sorted(m.field, key=lambda f: f.number):
            out.extend(field_code(name, fld))
        out.append("  return p;")
        out.append("}")
        out.append("")
    out += [
        "}  // namespace",
        "",
        "uint8_t* WriteEventWire(const v1::Event& event, uint8_t* out) {",
        "  return %s(event, out);" % writer_name(ROOT),
        "}",
        "",
        "uint8_t* WriteNotificationWire(const v1::Notification& notification, uint8_t* out) {",
        "  return %s(notification, out);" % writer_name(NOTIFICATION),
        "}",
        "",
        "}  // namespace collabflow::internal",
        "",
    ]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="the .cc file to write")
    ap.add_argument("--protoc", default="protoc", help="the protoc to read the .proto files with")
    args = ap.parse_args()
    text = generate(args.protoc)
    out = Path(args.out)
    # Rewritten only when it changes, so that a build does not recompile it.
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
