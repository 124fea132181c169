"""Optional: the collabflow.v1 schema as protobuf messages.

Needs the protobuf package (Debian: python3-protobuf); nothing else in
collabflow does. The classes are built at first use from the descriptor set
embedded in :mod:`collabflow._schema`, in a private descriptor pool (so they
never clash with ``*_pb2`` modules a host may have generated itself; pass
your own class to :func:`to_protobuf` to get one of those instead).

    from collabflow import protobuf
    pb = protobuf.to_protobuf(request)              # a CollaborationRequest dataclass
    pb.SerializeToString()
    back = protobuf.from_protobuf(cf.CollaborationRequest, pb)
    data = protobuf.serialize(request)              # wire bytes, deterministic
    back = protobuf.parse(cf.CollaborationRequest, data)
"""
from __future__ import annotations

import base64
import threading
from typing import Any, Dict, Optional, Type

from . import _schema
from ._codec import M, Message

_lock = threading.Lock()
_classes: Dict[str, Any] = {}
_pool: Any = None


def _protobuf() -> Any:
    try:
        from google.protobuf import json_format
    except ImportError as e:
        raise ImportError("collabflow.protobuf needs the protobuf package "
                          "(Debian: python3-protobuf); the dataclass API does not") from e
    return json_format


def _load_pool() -> Any:
    global _pool
    if _pool is None:
        _protobuf()
        from google.protobuf import descriptor_pb2, descriptor_pool
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(base64.b64decode("".join(_schema.DESCRIPTOR_SET_BASE64)))
        pool = descriptor_pool.DescriptorPool()
        for f in fds.file:  # dependencies first, as protoc writes them
            pool.Add(f)
        _pool = pool
    return _pool


def message_class(name: str) -> Any:
    """The protobuf class of ``"collabflow.v1.RequestView"`` (or ``"RequestView"``)."""
    full = name if "." in name else "collabflow.v1." + name
    with _lock:
        if full not in _classes:
            from google.protobuf import message_factory
            descriptor = _load_pool().FindMessageTypeByName(full)
            if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
                cls = message_factory.GetMessageClass(descriptor)
            else:
                cls = message_factory.MessageFactory(_pool).GetPrototype(descriptor)
            _classes[full] = cls
        return _classes[full]


def to_protobuf(message: Message, cls: Optional[Type[Any]] = None) -> Any:
    """The protobuf message equal to ``message`` (of ``cls`` if given)."""
    json_format = _protobuf()
    target = (cls or message_class(message._proto_name))()
    return json_format.ParseDict(message.to_json(), target)


def from_protobuf(cls: Type[M], pb: Any) -> M:
    """The dataclass ``cls`` equal to the protobuf message ``pb``."""
    json_format = _protobuf()
    return cls.from_json(json_format.MessageToDict(pb, preserving_proto_field_name=True))


def parse(cls: Type[M], data: bytes) -> M:
    """The dataclass ``cls`` from protobuf wire bytes."""
    pb = message_class(cls._proto_name)()
    pb.ParseFromString(data)
    return from_protobuf(cls, pb)


def serialize(message: Message) -> bytes:
    """Protobuf wire bytes of ``message`` (deterministic)."""
    return to_protobuf(message).SerializeToString(deterministic=True)


__all__ = ["from_protobuf", "message_class", "parse", "serialize", "to_protobuf"]
