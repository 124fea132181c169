#!/usr/bin/env python3
"""Generates collabflow/messages.py: one dataclass per collabflow.v1 message,
one IntEnum per enum, from the .proto files (through protoc's descriptor set);
and collabflow/_schema.py, the descriptor set itself (for collabflow.protobuf).

    /usr/bin/python3 bindings/python/tools/gen_messages.py          # rewrite
    /usr/bin/python3 bindings/python/tools/gen_messages.py --check  # exit 1 if either is stale

Needs protoc and python3-protobuf at generation time only; the generated module
is plain Python (3.9+) and needs neither. A test runs --check, so a .proto
change without a regeneration fails the Python suite.
"""
from __future__ import annotations

import argparse
import base64
import keyword
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Dict, List, Tuple

from google.protobuf import descriptor_pb2

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
PROTO_DIR = REPO / "proto"
OUTPUT = HERE.parent / "collabflow" / "messages.py"
SCHEMA_OUTPUT = HERE.parent / "collabflow" / "_schema.py"
PACKAGE = ".collabflow.v1."

# Messages mapped to Python types instead of generated classes.
WELL_KNOWN = {
    ".collabflow.v1.Date": "date",
    ".google.protobuf.Timestamp": "timestamp",
}
# Hand-written behaviour mixed into some generated classes (collabflow/_mixins.py).
MIXINS = {
    "PartyRef": "PartyRefMixin",
    "ScheduleView": "ScheduleViewMixin",
    "ScheduledTaskRow": "ScheduledTaskRowMixin",
    "Event": "OneofPayloadMixin",
    "Command": "OneofPayloadMixin",
}

F = descriptor_pb2.FieldDescriptorProto
SCALARS = {
    F.TYPE_STRING: ("str", "str", '""'),
    F.TYPE_BOOL: ("bool", "bool", "False"),
    F.TYPE_INT32: ("int", "int", "0"),
    F.TYPE_UINT32: ("int", "int", "0"),
    F.TYPE_SINT32: ("int", "int", "0"),
    F.TYPE_FIXED32: ("int", "int", "0"),
    F.TYPE_SFIXED32: ("int", "int", "0"),
    F.TYPE_INT64: ("int", "int64", "0"),
    F.TYPE_UINT64: ("int", "int64", "0"),
    F.TYPE_SINT64: ("int", "int64", "0"),
    F.TYPE_FIXED64: ("int", "int64", "0"),
    F.TYPE_SFIXED64: ("int", "int64", "0"),
    F.TYPE_DOUBLE: ("float", "float", "0.0"),
    F.TYPE_FLOAT: ("float", "float", "0.0"),
    F.TYPE_BYTES: ("bytes", "bytes", 'b""'),
}
PY_TYPES = {"date": "datetime.date", "timestamp": "datetime.datetime"}


def descriptor_set(source_info: bool = True) -> descriptor_pb2.FileDescriptorSet:
    protos = sorted(str(p.relative_to(PROTO_DIR)) for p in PROTO_DIR.glob("collabflow/v1/*.proto"))
    if not protos:
        raise SystemExit("no collabflow/v1/*.proto under %s" % PROTO_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.pb"
        subprocess.run(["protoc"] + (["--include_source_info"] if source_info else [])
                       + ["--include_imports",
                        "--descriptor_set_out=%s" % out, "-I%s" % PROTO_DIR, "-I/usr/include"]
                       + protos, check=True, cwd=str(PROTO_DIR))
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(out.read_bytes())
    return fds


def py_name(full: str) -> str:
    """.collabflow.v1.Minutes.ActionItem -> MinutesActionItem."""
    return full[len(PACKAGE):].replace(".", "")


def field_name(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


def clean_comment(text: str) -> List[str]:
    """A proto comment as docstring lines (one leading space dropped, safe
    inside triple quotes)."""
    lines = [l.rstrip() for l in text.strip("\n").splitlines()]
    lines = [l[1:] if l.startswith(" ") else l for l in lines]
    return [l.replace('"""', "'''").replace("\\", "\\\\") for l in lines]


class Collector:
    def __init__(self) -> None:
        self.messages: List[Tuple[str, descriptor_pb2.DescriptorProto, List[str], str]] = []
        self.enums: List[Tuple[str, descriptor_pb2.EnumDescriptorProto, List[str]]] = []
        self.comments: Dict[Tuple[int, ...], str] = {}
        self.field_docs: Dict[str, List[str]] = {}

    def add_file(self, f: descriptor_pb2.FileDescriptorProto) -> None:
        self.comments = {tuple(loc.path): loc.leading_comments or loc.trailing_comments
                         for loc in f.source_code_info.location}
        for i, e in enumerate(f.enum_type):
            self.enums.append((PACKAGE + e.name, e, self.doc((5, i))))
        for i, m in enumerate(f.message_type):
            self.add_message(PACKAGE + m.name, m, (4, i), f.name)

    def doc(self, path: Tuple[int, ...]) -> List[str]:
        text = self.comments.get(path, "")
        return clean_comment(text) if text.strip() else []

    def add_message(self, full: str, m: descriptor_pb2.DescriptorProto, path: Tuple[int, ...],
                    file: str) -> None:
        if m.options.map_entry:
            return
        for i, e in enumerate(m.enum_type):
            self.enums.append((full + "." + e.name, e, self.doc(path + (4, i))))
        for i, n in enumerate(m.nested_type):
            self.add_message(full + "." + n.name, n, path + (3, i), file)
        if full in WELL_KNOWN:
            return
        field_docs = []
        for i, fd in enumerate(m.field):
            text = self.comments.get(path + (2, i), "").strip()
            field_docs.append(" ".join(text.split()) if text else "")
        self.messages.append((full, m, self.doc(path), file))
        self.field_docs[full] = field_docs


def enum_prefix(e: descriptor_pb2.EnumDescriptorProto) -> str:
    names = [v.name for v in e.value]
    prefix = names[0]
    for n in names[1:]:
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    return prefix[:prefix.rfind("_") + 1] if "_" in prefix else ""


def render_enum(full: str, e: descriptor_pb2.EnumDescriptorProto, doc: List[str]) -> List[str]:
    name = py_name(full)
    prefix = enum_prefix(e)
    out = ["", "", "class %s(ProtoEnum):" % name]
    if len(doc) <= 1:
        summary = doc[0].rstrip(".") if doc else "collabflow.v1 enum"
        out.append('    """%s (%s)."""' % (summary, full[1:]))
    else:
        out.append('    """' + "\n    ".join(doc) + '\n    (%s)\n    """' % full[1:])
    for v in e.value:
        member = v.name[len(prefix):]
        if not member or member[0].isdigit() or keyword.iskeyword(member):
            member = v.name
        out.append("    %s = %d" % (member, v.number))
    out.append("")
    out.append("")
    names = textwrap.wrap(" ".join("%r," % v.name for v in e.value), 92)
    out.append("_enum(%s, (" % name)
    out += ["    " + line for line in names]
    out.append("))")
    return out


def field_spec(fd: descriptor_pb2.FieldDescriptorProto, maps: Dict[str, Tuple]) -> Tuple:
    """(annotation, default, kind, ref, label)."""
    repeated = fd.label == F.LABEL_REPEATED
    if fd.type in (F.TYPE_MESSAGE, F.TYPE_GROUP):
        if repeated and fd.type_name in maps:
            key_fd, value_fd = maps[fd.type_name]
            vann, _, vkind, vref, _ = field_spec(value_fd, maps)
            return ("Dict[str, %s]" % vann, "field(default_factory=dict)", vkind, vref, "map")
        if fd.type_name in WELL_KNOWN:
            kind, ref = WELL_KNOWN[fd.type_name], ""
            ann = PY_TYPES[kind]
        else:
            kind, ref = "message", py_name(fd.type_name)
            ann = ref
    elif fd.type == F.TYPE_ENUM:
        kind, ref = "enum", py_name(fd.type_name)
        ann = ref
    else:
        ann, kind, _ = SCALARS[fd.type]
        ref = ""
    if repeated:
        return ("List[%s]" % ann, "field(default_factory=list)", kind, ref, "repeated")
    optional = fd.HasField("oneof_index") or kind in ("message", "date", "timestamp")
    if optional:
        return ("Optional[%s]" % ann, "None", kind, ref, "optional")
    if kind == "enum":
        return (ann, "%s(0)" % ref, kind, ref, "single")
    return (ann, SCALARS[fd.type][2], kind, ref, "single")


def render_message(full: str, m: descriptor_pb2.DescriptorProto, doc: List[str], file: str,
                   field_docs: List[str], maps: Dict[str, Tuple]) -> List[str]:
    name = py_name(full)
    bases = ("_mixins.%s, Message" % MIXINS[name]) if name in MIXINS else "Message"
    out = ["", "", "@dataclass", "class %s(%s):" % (name, bases)]
    body = doc or ["collabflow.v1 message."]
    body = body + ["", "(%s, in %s)" % (full[1:], file)]
    out.append('    """' + "\n    ".join(body).replace("\n    \n", "\n\n") + '\n    """')
    out.append("")
    specs = []
    for fd, fdoc in zip(m.field, field_docs):
        ann, default, kind, ref, label = field_spec(fd, maps)
        py = field_name(fd.name)
        for line in textwrap.wrap(fdoc, 92):
            out.append("    #: %s" % line)
        out.append("    %s: %s = %s" % (py, ann, default))
        oneof = ""
        if fd.HasField("oneof_index") and not fd.proto3_optional:
            oneof = m.oneof_decl[fd.oneof_index].name
        specs.append((py, fd.name, kind, ref, label, oneof))
    if not m.field:
        out.append("    pass")
    out.append("")
    out.append("")
    out.append("_message(%s, %r, (" % (name, full[1:]))
    for s in specs:
        out.append("    %r," % (s,))
    out.append("))")
    return out


HEADER = '''"""The collabflow.v1 schema as Python dataclasses and enums.

GENERATED by bindings/python/tools/gen_messages.py from proto/collabflow/v1/*.proto;
do not edit by hand (a test fails when this file is stale).

Every message is a dataclass with keyword arguments and defaults; build inputs
with them and read results as them. ``collabflow.v1.Date`` is ``datetime.date``
and ``google.protobuf.Timestamp`` a timezone-aware ``datetime.datetime``;
64-bit integers are ``int``; enums are :class:`ProtoEnum` (an ``IntEnum``
whose members drop the proto prefix: ``Priority.HIGH`` is ``PRIORITY_HIGH``).
Fields of a oneof and message fields are ``None`` when unset.
"""
# flake8: noqa
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from . import _mixins
from ._codec import Message, ProtoEnum, _enum, _message
'''


def generate() -> str:
    fds = descriptor_set()
    col = Collector()
    maps: Dict[str, Tuple] = {}
    for f in fds.file:
        if f.package != "collabflow.v1":
            continue

        def walk(prefix: str, m: descriptor_pb2.DescriptorProto) -> None:
            for n in m.nested_type:
                if n.options.map_entry:
                    maps[prefix + "." + m.name + "." + n.name] = (n.field[0], n.field[1])
                walk(prefix + "." + m.name, n)

        for m in f.message_type:
            walk(".collabflow.v1", m)
    for f in fds.file:
        if f.package == "collabflow.v1":
            col.add_file(f)
    lines = [HEADER.rstrip("\n")]
    for full, e, doc in sorted(col.enums, key=lambda x: x[0]):
        lines += render_enum(full, e, doc)
    for full, m, doc, file in sorted(col.messages, key=lambda x: x[0]):
        lines += render_message(full, m, doc, file, col.field_docs[full], maps)
    # Nested names, as in the schema: Minutes.ActionItem, Cadence.Kind, ...
    nested = [full for full, _, _, _ in col.messages if full[len(PACKAGE):].count(".")]
    nested += [full for full, _, _ in col.enums if full[len(PACKAGE):].count(".")]
    if nested:
        lines.append("")
    for full in sorted(nested):
        outer, inner = full[len(PACKAGE):].rsplit(".", 1)
        lines.append("%s.%s = %s  # type: ignore[attr-defined]" % (
            outer.replace(".", ""), inner, py_name(full)))
    names = sorted([py_name(f) for f, _, _, _ in col.messages] + [py_name(f) for f, _, _ in col.enums])
    lines.append("")
    lines.append("__all__ = [")
    for n in names:
        lines.append("    %r," % n)
    lines.append("]")
    return "\n".join(lines) + "\n"


SCHEMA_HEADER = '''"""The collabflow.v1 schema as a serialized FileDescriptorSet (with its
imports), for collabflow.protobuf, which builds protobuf classes from it when
the protobuf package is installed.

GENERATED by bindings/python/tools/gen_messages.py; do not edit by hand.
"""
'''


def generate_schema() -> str:
    """_schema.py: the descriptor set, base64, deterministic."""
    fds = descriptor_set(source_info=False)
    data = base64.b64encode(fds.SerializeToString(deterministic=True)).decode("ascii")
    lines = [SCHEMA_HEADER, "DESCRIPTOR_SET_BASE64 = ("]
    lines += ["    %r" % data[i:i + 88] for i in range(0, len(data), 88)]
    lines.append(")")
    return "\n".join(lines) + "\n"


def main() -> int:
    global PROTO_DIR
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if messages.py is stale")
    ap.add_argument("--proto-dir", default=str(PROTO_DIR), help="the directory holding collabflow/")
    ap.add_argument("--output-dir", default=str(OUTPUT.parent),
                    help="where messages.py and _schema.py go")
    args = ap.parse_args()
    PROTO_DIR = Path(args.proto_dir).resolve()
    out_dir = Path(args.output_dir)
    outputs = [(out_dir / OUTPUT.name, generate()), (out_dir / SCHEMA_OUTPUT.name,
                                                      generate_schema())]
    stale = 0
    for path, text in outputs:
        if args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                print("%s is stale: run %s" % (path, Path(__file__).relative_to(REPO)),
                      file=sys.stderr)
                stale = 1
        else:
            path.write_text(text, encoding="utf-8")
    return stale


if __name__ == "__main__":
    sys.exit(main())
