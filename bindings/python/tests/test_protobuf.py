"""Optional protobuf messages (python3-protobuf), and the ABI's protobuf
wire format through Engine.execute_bytes / state_bytes."""
import dataclasses
import hashlib
import sys

import pytest

import collabflow as cf
from collabflow import protobuf
from seed import DIRECTORY, INITIATOR, PLAN, REQUEST, REQUEST_ID, at, drive

json_format = pytest.importorskip("google.protobuf.json_format")


def test_dataclasses_convert_to_and_from_protobuf_messages():
    pb = REQUEST.to_protobuf()
    assert type(pb).DESCRIPTOR.full_name == "collabflow.v1.CollaborationRequest"
    assert pb.topic == "Q3新品上市营销方案执行" and pb.priority == cf.Priority.HIGH
    assert pb.milestones[0].date.day == 10
    assert cf.CollaborationRequest.from_protobuf(pb) == REQUEST
    assert protobuf.parse(cf.Plan, protobuf.serialize(PLAN)) == PLAN


def test_our_protobuf_bytes_are_read_by_the_library():
    ours = protobuf.serialize(dataclasses.replace(REQUEST, version=1))
    back = cf.request_from_protobuf_typed(ours)
    assert back == dataclasses.replace(REQUEST, version=1)


def test_results_from_the_engine_as_protobuf(engine):
    req = drive(engine, 8)
    view_pb = req.view().to_protobuf()
    assert view_pb.record.state == cf.RequestState.PLANNED
    assert [t.task_id for t in req.schedule().to_protobuf().tasks] == ["T1", "T2", "T3"]


def test_execute_bytes_speaks_the_wire_format(engine):
    drive(engine, 1)
    cmd = cf.Command(actor_id=INITIATOR, request_id=REQUEST_ID, time=at(8, 31, 10),
                     submit_request=cf.SubmitRequest())
    result = protobuf.parse(cf.CommandResult, engine.execute_bytes(protobuf.serialize(cmd)))
    assert result.event_kinds == ["request_submitted"]
    with pytest.raises(cf.InvalidArgument):
        engine.execute_bytes(b"\xff\xff\xff")


def test_state_bytes_are_deterministic_across_replicas(tmp_path):
    digests = []
    for _ in range(2):
        with cf.Engine() as e:
            e.update_directory(DIRECTORY, at=at(8, 28, 9))
            drive(e, 8)
            data = e.state_bytes()
            assert protobuf.parse(cf.EngineState, data) == e.snapshot()
            digests.append(hashlib.sha256(data).hexdigest())
    assert digests[0] == digests[1]


def test_missing_protobuf_package_is_reported_clearly(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.protobuf", None)
    monkeypatch.setitem(sys.modules, "google.protobuf.json_format", None)
    with pytest.raises(ImportError, match="python3-protobuf"):
        REQUEST.to_protobuf()
