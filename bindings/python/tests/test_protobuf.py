"""Optional protobuf messages (python3-protobuf): the dataclasses to and
from protobuf messages and wire bytes, read and written by the library."""
import dataclasses
import hashlib
import sys

import pytest

import collabflow as cf
from collabflow import protobuf
from seed import DIRECTORY, INITIATOR, PLAN, REQUEST, REQUEST_ID, at, drive

json_format = pytest.importorskip("google.protobuf.json_format")


def test_dataclasses_convert_to_and_from_protobuf_messages():
    pb = protobuf.to_protobuf(REQUEST)
    assert type(pb).DESCRIPTOR.full_name == "collabflow.v1.CollaborationRequest"
    assert pb.topic == "Q3新品上市营销方案执行" and pb.priority == cf.Priority.HIGH
    assert pb.milestones[0].date.day == 10
    assert protobuf.from_protobuf(cf.CollaborationRequest, pb) == REQUEST
    assert protobuf.parse(cf.Plan, protobuf.serialize(PLAN)) == PLAN


def test_our_protobuf_bytes_are_read_by_the_library():
    request = dataclasses.replace(REQUEST, version=1)
    ours = protobuf.serialize(request)
    assert cf.request_from_protobuf(ours) == request
    # ... and the library's bytes by protobuf: the same deterministic encoding.
    assert cf.request_to_protobuf(request) == ours


def test_results_from_the_engine_as_protobuf(engine):
    req = drive(engine, 8)
    view_pb = protobuf.to_protobuf(req.view())
    assert view_pb.record.state == cf.RequestState.PLANNED
    assert [t.task_id for t in protobuf.to_protobuf(req.schedule()).tasks] == ["T1", "T2", "T3"]


def test_a_command_from_wire_bytes_runs_through_the_typed_path(engine):
    drive(engine, 1)
    cmd = cf.Command(actor_id=INITIATOR, request_id=REQUEST_ID, time=at(8, 31, 10),
                     submit_request=cf.SubmitRequest())
    received = protobuf.parse(cf.Command, protobuf.serialize(cmd))  # e.g. from a queue
    assert received == cmd
    assert engine.execute(received).event_kinds == ["request_submitted"]


def test_states_serialize_deterministically_across_replicas(tmp_path):
    digests = []
    for _ in range(2):
        with cf.Engine() as e:
            e.update_directory(DIRECTORY, at=at(8, 28, 9))
            drive(e, 8)
            data = protobuf.serialize(e.state())
            assert protobuf.parse(cf.EngineState, data) == e.state()
            digests.append(hashlib.sha256(data).hexdigest())
    assert digests[0] == digests[1]


def test_missing_protobuf_package_is_reported_clearly(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.protobuf", None)
    monkeypatch.setitem(sys.modules, "google.protobuf.json_format", None)
    with pytest.raises(ImportError, match="python3-protobuf"):
        protobuf.to_protobuf(REQUEST)
