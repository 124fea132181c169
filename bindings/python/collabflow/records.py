"""Records of a collaboration, from Python: the hash-chain check of the
history, the process record table (协作流程记录表), the archive bundle
(export and verification) and the reports (Markdown, HTML, Gantt SVG).

The C functions used here are declared in this module's own table (they are
the records entry points appended to collabflow.h), so the module can be
merged without touching the core table in ``_ffi``.

Also a small command line over a durable engine::

    python -m collabflow.records report STORE_DIR REQUEST_ID [--format html|md|svg] [--lang zh|en]
    python -m collabflow.records export STORE_DIR REQUEST_ID OUT_FILE
    python -m collabflow.records verify-archive FILE
    python -m collabflow.records verify-history STORE_DIR
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from ctypes import byref, c_size_t, c_void_p
from typing import Optional, Sequence

from . import _ffi
from ._codec import to_unix_micros
from .engine import Engine, Json

_JSON = 1
_REPORT_FORMATS = {"md": 0, "markdown": 0, "html": 1, "svg": 2}
_LANGUAGES = {"zh": 0, "en": 1}

def verify_history(engine: Engine) -> None:
    """Checks the hash chain of the engine's stored history; raises
    :class:`collabflow.DataLoss` naming the event that was changed, removed or
    reordered."""
    with engine._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_verify_history(h))


def process_record(engine: Engine, request_id: str) -> Json:
    """The collabflow.v1.ProcessRecordTable of a request, as a dict."""
    out, out_len = c_void_p(), c_size_t()
    with engine._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_process_record(
            byref(out), byref(out_len), h, _JSON, request_id.encode("utf-8")))
    return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))


def export_archive(engine: Engine, request_id: str) -> bytes:
    """The archive bundle (collabflow.v1.ArchiveBundle protobuf bytes)."""
    out, out_len = c_void_p(), c_size_t()
    with engine._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_export_archive(
            byref(out), byref(out_len), h, request_id.encode("utf-8")))
    return _ffi.take_buffer(out, out_len)


def verify_archive(bundle: bytes) -> Json:
    """Verifies a bundle (manifest, hashes, links, record against events) and
    returns it as a dict; raises :class:`collabflow.DataLoss` saying what is
    wrong."""
    out, out_len = c_void_p(), c_size_t()
    _ffi.check(_ffi.lib.cflow_archive_verify(
        byref(out), byref(out_len), _JSON, _ffi.as_u8(bundle), len(bundle)))
    return json.loads(_ffi.take_buffer(out, out_len).decode("utf-8"))


def report(engine: Engine, request_id: str, *, format: str = "html", language: str = "zh",
           now: Optional[_dt.datetime] = None) -> str:
    """A report as text: ``format`` is "html", "md" or "svg"; ``language``
    "zh" (default) or "en"; ``now`` (timezone-aware; default: the current
    time) places the Gantt chart's today line."""
    if format not in _REPORT_FORMATS:
        raise ValueError("format must be one of %s" % sorted(_REPORT_FORMATS))
    if language not in _LANGUAGES:
        raise ValueError("language must be one of %s" % sorted(_LANGUAGES))
    when = now if now is not None else _dt.datetime.now(_dt.timezone.utc)
    out, out_len = c_void_p(), c_size_t()
    with engine._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_report(
            byref(out), byref(out_len), h, request_id.encode("utf-8"),
            _REPORT_FORMATS[format], _LANGUAGES[language], to_unix_micros(when, "now")))
    return _ffi.take_buffer(out, out_len).decode("utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m collabflow.records")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="print a request's report")
    p.add_argument("store_dir")
    p.add_argument("request_id")
    p.add_argument("--format", default="html", choices=sorted(_REPORT_FORMATS))
    p.add_argument("--lang", default="zh", choices=sorted(_LANGUAGES))
    p = sub.add_parser("export", help="write a request's archive bundle to a file")
    p.add_argument("store_dir")
    p.add_argument("request_id")
    p.add_argument("out_file")
    p = sub.add_parser("verify-archive", help="verify an archive bundle file")
    p.add_argument("file")
    p = sub.add_parser("verify-history", help="verify an engine's stored history")
    p.add_argument("store_dir")
    args = parser.parse_args(argv)
    from .errors import Error
    try:
        if args.command == "verify-archive":
            with open(args.file, "rb") as f:
                bundle = verify_archive(f.read())
            print("ok: %s, %d events, %d manifest entries" % (
                bundle.get("request_id", ""), len(bundle.get("events", [])),
                len(bundle.get("manifest", []))))
            return 0
        with Engine(args.store_dir) as engine:
            if args.command == "verify-history":
                verify_history(engine)
                print("ok")
            elif args.command == "export":
                with open(args.out_file, "wb") as f:
                    f.write(export_archive(engine, args.request_id))
            else:
                sys.stdout.write(report(engine, args.request_id, format=args.format,
                                        language=args.lang))
        return 0
    except Error as e:
        print("error: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
