"""The thin slice through every layer: Python -> C ABI -> C++ -> protobuf."""
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import collabflow

SEED = collabflow.CollaborationRequest.from_json({
    "id": "REQ-Q3-LAUNCH",
    "version": 1,
    "topic": "Q3新品上市营销方案执行",
    "background": "新品研发完成,需市场部配合制定推广计划",
    "goal": "30天内完成营销方案设计并启动推广",
    "milestones": [
        {"id": "first-draft", "name": "方案初稿", "date": {"year": 2026, "month": 9, "day": 10}},
        {"id": "final", "name": "定稿并启动推广", "date": {"year": 2026, "month": 9, "day": 20}},
    ],
    "final_deadline": {"year": 2026, "month": 9, "day": 20},
    "receivers": [
        {"id": "market", "department_id": "d-market"},
        {"id": "sales", "department_id": "d-sales"},
    ],
    "initiator_id": "p-zhang",
})

REPO = Path(__file__).resolve().parents[3]


def test_version_matches_version_file():
    assert collabflow.__version__ == (REPO / "VERSION").read_text().strip()
    assert collabflow.version() == collabflow.__version__


def test_request_round_trips_with_chinese_text():
    pb = collabflow.request_to_protobuf(SEED)
    assert isinstance(pb, bytes) and len(pb) > 0
    assert collabflow.request_to_protobuf(SEED) == pb  # deterministic
    back = collabflow.request_from_protobuf(pb)
    assert back == SEED
    assert back.topic == "Q3新品上市营销方案执行"
    assert back.milestones[1].name == "定稿并启动推广"
    assert back.receivers[1].department_id == "d-sales"


def test_invalid_request_raises_typed_error_naming_field():
    bad = dataclasses.replace(SEED, receivers=[])
    with pytest.raises(collabflow.InvalidArgument) as info:
        collabflow.request_to_protobuf(bad)
    assert info.value.code == -3
    assert info.value.status == "INVALID_ARGUMENT"
    assert "receivers" in str(info.value)
    assert isinstance(info.value, collabflow.Error)


def test_overlong_text_raises_resource_exhausted():
    with pytest.raises(collabflow.ResourceExhausted):
        collabflow.request_to_protobuf(dataclasses.replace(SEED, topic="x" * 100000))


def test_request_conversions_take_only_a_request():
    with pytest.raises(TypeError, match="CollaborationRequest"):
        collabflow.request_to_protobuf({"id": "REQ"})


def test_garbage_protobuf_raises_invalid_argument():
    with pytest.raises(collabflow.InvalidArgument):
        collabflow.request_from_protobuf(b"\xff\xff\xff\xff\x0f")


def test_error_for_unknown_code_is_unknown():
    err = collabflow.errors.error_for(-999, "future code")
    assert isinstance(err, collabflow.Unknown) and err.code == -999


def test_missing_library_lists_the_paths_tried(tmp_path):
    env = dict(os.environ, COLLABFLOW_LIBRARY=str(tmp_path / "nope.so"))
    # A copy of the package outside the source tree, so no build tree is found.
    pkg = tmp_path / "collabflow"
    pkg.mkdir()
    src = Path(collabflow.__file__).parent
    for f in src.glob("*.py"):
        (pkg / f.name).write_bytes(f.read_bytes())
    env["PYTHONPATH"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-c", "import collabflow; collabflow.version()"],
                          env=env, capture_output=True, text=True, cwd=str(tmp_path))
    assert proc.returncode != 0
    assert "LibraryNotFound" in proc.stderr
    assert "nope.so (absent)" in proc.stderr
