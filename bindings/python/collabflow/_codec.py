"""Between the generated dataclasses (messages.py) and the proto3 JSON form
the C ABI speaks: field names as in the .proto, 64-bit integers as strings,
enums by name, ``Date`` as ``{year, month, day}``, timestamps as RFC 3339.

Decoding ignores fields it does not know, so a newer library still talks to
an older package. (Protobuf messages are :mod:`collabflow.protobuf`'s, which
builds on this module; this one needs nothing from it.)
"""
from __future__ import annotations

import base64
import dataclasses
import datetime
import enum
import json
import re
from typing import Any, Dict, Optional, Tuple, Type, TypeVar, Union

UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

# (python name, json name, kind, referenced class name, label, oneof name)
FieldSpec = Tuple[str, str, str, str, str, str]

_MESSAGES: Dict[str, type] = {}
_ENUMS: Dict[str, type] = {}
_FULL_NAMES: Dict[type, Dict[int, str]] = {}

M = TypeVar("M", bound="Message")
JsonDict = Dict[str, Any]


def require_aware(t: datetime.datetime, what: str = "time") -> None:
    if not isinstance(t, datetime.datetime):
        raise TypeError("%s: expected a datetime, got %s" % (what, type(t).__name__))
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError("%s: naive datetime %s; give a timezone-aware datetime" % (what, t))


def to_unix_micros(t: datetime.datetime, what: str = "time") -> int:
    require_aware(t, what)
    delta = t - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def format_timestamp(t: datetime.datetime, what: str = "time") -> str:
    require_aware(t, what)
    u = t.astimezone(UTC)
    text = u.strftime("%Y-%m-%dT%H:%M:%S")
    # As protobuf writes it: 0, 3 or 6 fraction digits, whichever is exact.
    if u.microsecond % 1000 == 0 and u.microsecond:
        text += ".%03d" % (u.microsecond // 1000)
    elif u.microsecond:
        text += ".%06d" % u.microsecond
    return text + "Z"


_RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?"
                      r"(Z|z|[+-]\d\d:\d\d)$")


def parse_timestamp(text: str) -> datetime.datetime:
    """RFC 3339 (as protobuf writes it) -> an aware datetime in UTC."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError("not an RFC 3339 timestamp: %r" % text)
    y, mo, d, h, mi, s, frac, zone = m.groups()
    micros = int((frac or "0").ljust(6, "0")[:6])
    tz = UTC
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        tz = datetime.timezone(sign * datetime.timedelta(hours=int(zone[1:3]),
                                                         minutes=int(zone[4:6])))
    t = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micros, tzinfo=tz)
    return t.astimezone(UTC)


class ProtoEnum(enum.IntEnum):
    """A collabflow.v1 enum. Members drop the proto prefix (``Priority.HIGH``);
    :attr:`proto_name` gives the full name (``"PRIORITY_HIGH"``)."""

    @property
    def proto_name(self) -> str:
        return _FULL_NAMES[type(self)][int(self)]

    @classmethod
    def parse(cls, value: Union[str, int, "ProtoEnum"]) -> Any:
        """A member from itself, its number, its short or its proto name.
        Unknown numbers stay ints (a newer library); unknown names raise."""
        if isinstance(value, cls):
            return value
        if isinstance(value, bool):
            raise TypeError("%s: expected a name or number, got a bool" % cls.__name__)
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                return value
        if isinstance(value, str):
            for number, full in _FULL_NAMES[cls].items():
                if value == full:
                    return cls(number)
            if value in cls.__members__:
                return cls.__members__[value]
            raise ValueError("%r is not a %s (one of %s)" % (
                value, cls.__name__, ", ".join(cls.__members__)))
        raise TypeError("%s: expected a name or number, got %s" % (cls.__name__,
                                                                   type(value).__name__))

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:  # the same on 3.9 and 3.11+
        return format(self.name, spec)


def _enum(cls: type, full_names: Tuple[str, ...]) -> None:
    """Registers a generated enum with its proto value names, in member order."""
    _FULL_NAMES[cls] = {int(m): n for m, n in zip(cls, full_names)}  # type: ignore[var-annotated]
    _ENUMS[cls.__name__] = cls


def _message(cls: type, proto_name: str, specs: Tuple[FieldSpec, ...]) -> None:
    cls._proto_name = proto_name  # type: ignore[attr-defined]
    cls._specs = specs  # type: ignore[attr-defined]
    oneofs: Dict[str, Tuple[str, ...]] = {}
    for spec in specs:
        if spec[5]:
            oneofs[spec[5]] = oneofs.get(spec[5], ()) + (spec[0],)
    cls._oneofs = oneofs  # type: ignore[attr-defined]
    _MESSAGES[cls.__name__] = cls


class Message:
    """Base of every generated message dataclass."""

    _proto_name = ""
    _specs: Tuple[FieldSpec, ...] = ()
    _oneofs: Dict[str, Tuple[str, ...]] = {}

    @classmethod
    def from_json(cls: Type[M], data: Union[JsonDict, str, bytes]) -> M:
        """Builds the message from its proto3 JSON form (a dict or JSON text)."""
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise TypeError("%s: expected a JSON object, got %s" % (cls.__name__,
                                                                    type(data).__name__))
        kwargs: Dict[str, Any] = {}
        for py, js, kind, ref, label, _ in cls._specs:
            if js not in data or data[js] is None:
                continue
            value = data[js]
            if label == "repeated":
                kwargs[py] = [_decode(kind, ref, v) for v in value]
            elif label == "map":
                kwargs[py] = {k: _decode(kind, ref, v) for k, v in value.items()}
            else:
                kwargs[py] = _decode(kind, ref, value)
        return cls(**kwargs)

    def to_json(self) -> JsonDict:
        """The proto3 JSON form (a dict ready for ``json.dumps``)."""
        out: JsonDict = {}
        for py, js, kind, ref, label, _ in self._specs:
            value = getattr(self, py)
            where = "%s.%s" % (type(self).__name__, py)
            if label == "repeated":
                if value:
                    out[js] = [_encode(kind, ref, v, where) for v in value]
            elif label == "map":
                if value:
                    out[js] = {str(k): _encode(kind, ref, v, where) for k, v in value.items()}
            elif label == "optional":
                if value is not None:
                    out[js] = _encode(kind, ref, value, where)
            elif value is not None and value != _default(kind):
                out[js] = _encode(kind, ref, value, where)
        return out

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    def which(self, oneof: str) -> Optional[str]:
        """The name of the field set in ``oneof``, or None."""
        if oneof not in self._oneofs:
            raise KeyError("%s has no oneof %r (has %s)" % (type(self).__name__, oneof,
                                                            sorted(self._oneofs)))
        for name in self._oneofs[oneof]:
            if getattr(self, name) is not None:
                return name
        return None

    def to_dict(self) -> Dict[str, Any]:
        """A plain dict of Python values (dates, datetimes and enums kept)."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]


def _default(kind: str) -> Any:
    if kind == "str":
        return ""
    if kind == "bool":
        return False
    if kind == "bytes":
        return b""
    return 0  # numbers and enums


def _decode(kind: str, ref: str, value: Any) -> Any:
    if kind in ("str", "bool"):
        return value
    if kind in ("int", "int64"):
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bytes":
        return base64.b64decode(value.replace("-", "+").replace("_", "/") + "==")
    if kind == "enum":
        return _ENUMS[ref].parse(value)
    if kind == "message":
        return _MESSAGES[ref].from_json(value)
    if kind == "date":
        if not value.get("year"):
            return None
        return datetime.date(value["year"], value.get("month", 1), value.get("day", 1))
    if kind == "timestamp":
        return parse_timestamp(value)
    raise AssertionError("unknown field kind %r" % kind)


def _encode(kind: str, ref: str, value: Any, where: str) -> Any:
    if kind == "str":
        if not isinstance(value, str):
            raise TypeError("%s: expected str, got %s" % (where, type(value).__name__))
        return value
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "int64":
        return str(int(value))
    if kind == "float":
        return float(value)
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "enum":
        member = _ENUMS[ref].parse(value)
        return member.proto_name if isinstance(member, ProtoEnum) else int(member)
    if kind == "message":
        if isinstance(value, Message):
            return value.to_json()
        if isinstance(value, dict):
            return value
        raise TypeError("%s: expected %s or a dict, got %s" % (where, ref, type(value).__name__))
    if kind == "date":
        return encode_date(value, where)
    if kind == "timestamp":
        if isinstance(value, str):
            return value
        return format_timestamp(value, where)
    raise AssertionError("unknown field kind %r" % kind)


def encode_date(value: Any, where: str = "date") -> Dict[str, int]:
    if isinstance(value, dict):
        return value
    if isinstance(value, datetime.datetime):
        raise TypeError("%s: expected a date, got a datetime (use .date())" % where)
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if not isinstance(value, datetime.date):
        raise TypeError("%s: expected a date, got %s" % (where, type(value).__name__))
    return {"year": value.year, "month": value.month, "day": value.day}


def to_json(value: Union[Message, JsonDict]) -> JsonDict:
    """A message or a dict in proto3 JSON form -> a dict."""
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, dict):
        return value
    raise TypeError("expected a collabflow message or a dict, got %s" % type(value).__name__)
