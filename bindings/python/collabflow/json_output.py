"""The command-line tool's JSON: the library's proto3 JSON, made regular for
scripts.

The library writes proto3 JSON as protobuf does: a list, a map or a field
left at its default is omitted, a timestamp is RFC 3339 in UTC, a date is
``{"year", "month", "day"}``. Every ``--json`` of the tool goes through
``regular`` instead, which walks the value by its message's schema (the
field table of collabflow.messages) and

* always writes a repeated field (``[]`` when empty) and a map (``{}``);
* writes a timestamp as ISO 8601 with its offset, in the tool's time zone
  (``2026-09-03T09:00:00+08:00``), and a date as ``2026-09-03``.

Other fields are as the library wrote them (enums by name, 64-bit integers
as strings); fields the schema does not know are kept as they are.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Optional

from ._codec import _MESSAGES, parse_timestamp


def iso_time(rfc3339: str, tz: dt.tzinfo) -> str:
    """An RFC 3339 timestamp as ISO 8601 in ``tz``, with its offset."""
    return parse_timestamp(rfc3339).astimezone(tz).isoformat()


def iso_date(date: Dict[str, Any]) -> Optional[str]:
    """A ``{year, month, day}`` date as ISO 8601; None for the unset date."""
    if not date or not date.get("year"):
        return None
    return "%04d-%02d-%02d" % (date["year"], date.get("month", 0), date.get("day", 0))


def _value(kind: str, ref: str, value: Any, tz: dt.tzinfo) -> Any:
    if kind == "timestamp" and isinstance(value, str):
        return iso_time(value, tz)
    if kind == "date" and isinstance(value, dict):
        return iso_date(value)
    if kind == "message" and isinstance(value, dict):
        return regular(value, ref, tz)
    return value


def regular(value: Dict[str, Any], message: str, tz: dt.tzinfo) -> Dict[str, Any]:
    """``value`` (the proto3 JSON of collabflow.v1.``message``, e.g.
    "RequestView") with every list and map present and times and dates as
    ISO 8601 (see the module's docstring); a new dict."""
    specs = _MESSAGES[message]._specs  # type: ignore[attr-defined]
    out = dict(value)
    for _, js, kind, ref, label, _ in specs:
        if label == "repeated":
            out[js] = [_value(kind, ref, v, tz) for v in value.get(js) or []]
        elif label == "map":
            out[js] = {k: _value(kind, ref, v, tz) for k, v in (value.get(js) or {}).items()}
        elif js in value:
            out[js] = _value(kind, ref, value[js], tz)
    return out
