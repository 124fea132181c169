"""Only `init` creates a store: every other command given a store directory
that does not exist (or that holds no store) says so, exits 1 without a
traceback, and creates nothing."""
import pytest

from collabflow import cli

from cli_support import EXAMPLE, run

COMMANDS = [
    ("list", "{store}"),
    ("status", "{store}", "REQ"),
    ("schedule", "{store}", "REQ"),
    ("todo", "{store}", "p-li"),
    ("outbox", "{store}"),
    ("record", "{store}", "REQ"),
    ("report", "{store}", "REQ"),
    ("verify", "{store}"),
    ("archive", "{store}", "REQ", "{tmp}/a.bin"),
    ("tick", "{store}", "2026-09-01T09:00"),
    ("apply", "{store}", str(EXAMPLE / "scenario.jsonl")),
    ("plan-load", "{store}", "REQ", "--generate", "5", "--actor", "p-li"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_missing_store_is_an_error_and_is_not_created(tmp_path, capsys, argv):
    store = tmp_path / "no" / "store"
    code, out = run(*[a.format(store=store, tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR, (code, out, err)
    assert err == "error: store %s does not exist (`collabflow init %s` creates one)\n" % (
        store, store)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_directory_that_holds_no_store_is_left_alone(tmp_path, capsys, argv):
    store = tmp_path / "empty"
    store.mkdir()
    code, _ = run(*[a.format(store=store, tmp=tmp_path) for a in argv])
    assert code == cli.EXIT_ERROR
    assert "is not a collabflow store" in capsys.readouterr().err
    assert list(store.iterdir()) == []


def test_init_still_creates_one(tmp_path):
    assert run("init", tmp_path / "new")[0] == 0
    assert run("list", tmp_path / "new") == (0, "no requests\n")


@pytest.mark.parametrize("argv", [c for c in COMMANDS if c[0] in ("list", "status", "verify")],
                         ids=["list", "status", "verify"])
def test_a_postgresql_store_is_the_databases_to_check(capsys, argv):
    """A postgresql:// URI is not a directory to look for: the command
    reaches for the server (here none) and says so."""
    uri = "postgresql://nobody@127.0.0.1:1/collabflow?connect_timeout=2"
    code, _ = run(*[a.format(store=uri, tmp="/tmp") for a in argv])
    err = capsys.readouterr().err
    assert code != 0
    assert "does not exist" not in err and "127.0.0.1" in err, err
