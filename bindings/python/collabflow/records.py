"""Records of a collaboration, from Python: the hash-chain check of an
engine's history, the process record table (协作流程记录表), the archive
bundle (export and verification) and the reports (Markdown, HTML, Gantt SVG).

Functions over an open :class:`collabflow.Engine`, like the records layer of
the library they call (the engine itself does not know them):

    from collabflow import records
    table = records.process_record(engine, "REQ-Q3-LAUNCH")
    html = records.report(engine, "REQ-Q3-LAUNCH", format="html", language="zh")
    bundle = records.export_archive(engine, "REQ-Q3-LAUNCH")
    records.verify_archive(bundle)      # raises DataLoss saying what is wrong

The command-line tool (``python -m collabflow record|report|archive|
verify-archive|verify``) is their shell.
"""
from __future__ import annotations

import datetime as _dt
import json
from ctypes import byref, c_size_t, c_void_p
from typing import Optional

from . import _ffi
from ._codec import to_unix_micros
from .engine import Engine
from .messages import ArchiveBundle, ProcessRecordTable

_JSON = 1
_REPORT_FORMATS = {"md": 0, "markdown": 0, "html": 1, "svg": 2}
_LANGUAGES = {"zh": 0, "en": 1}


def verify_history(engine: Engine) -> None:
    """Checks the hash chain of the engine's stored history; raises
    :class:`collabflow.DataLoss` naming the event that was changed, removed or
    reordered."""
    with engine._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_verify_history(h))


def process_record(engine: Engine, request_id: str) -> ProcessRecordTable:
    """The process record table of a request as its history stands: each
    step with its responsible role, time rule, actual times and whether the
    rule was met. NotFound for an unknown request."""
    return ProcessRecordTable.from_json(
        engine._query(_ffi.lib.cflow_engine_process_record, request_id.encode("utf-8")))


def export_archive(engine: Engine, request_id: str) -> bytes:
    """The archive bundle (collabflow.v1.ArchiveBundle protobuf bytes): the
    final deliverables and the process records, verifiable later with
    :func:`verify_archive`."""
    out, out_len = c_void_p(), c_size_t()
    with engine._use() as h:
        _ffi.check(_ffi.lib.cflow_engine_export_archive(
            byref(out), byref(out_len), h, request_id.encode("utf-8")))
    return _ffi.take_buffer(out, out_len)


def verify_archive(bundle: bytes) -> ArchiveBundle:
    """Verifies a bundle (manifest, hashes, links, record against events) and
    returns it; raises :class:`collabflow.DataLoss` saying what is wrong."""
    out, out_len = c_void_p(), c_size_t()
    _ffi.check(_ffi.lib.cflow_archive_verify(
        byref(out), byref(out_len), _JSON, _ffi.as_u8(bundle), len(bundle)))
    return ArchiveBundle.from_json(json.loads(_ffi.take_buffer(out, out_len).decode("utf-8")))


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


__all__ = ["export_archive", "process_record", "report", "verify_archive", "verify_history"]
