"""Damage is always DATA_LOSS, so the CLI exits 4 (not 3, "your input is
wrong"): a store's journal segment or snapshot replaced by a directory."""
import io
from pathlib import Path

import pytest

from collabflow import Engine, cli

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "q3-launch"


def run(*argv):
    return cli.main([str(a) for a in argv], out=io.StringIO())


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    assert run("init", path, "--directory", EXAMPLE / "directory.json") == 0
    assert run("apply", path, EXAMPLE / "scenario.jsonl") == 0
    with Engine(path) as engine:
        engine.write_snapshot()
    return path


@pytest.mark.parametrize("prefix", ["journal-", "snapshot-"])
def test_a_store_file_replaced_by_a_directory_exits_4(store, prefix, capsys):
    victim = sorted(store.glob(prefix + "*"))[-1]
    victim.unlink()
    victim.mkdir()
    assert run("status", store, "REQ-Q3-LAUNCH") == cli.EXIT_DATA_LOSS
    assert "not a regular file" in capsys.readouterr().err
