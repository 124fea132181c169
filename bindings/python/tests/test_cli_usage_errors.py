"""A command line the tool cannot read -- an unknown command or option, a
missing argument, a time or a number that is not one -- exits 2 with
argparse's usage and the reason on stderr, before any store is opened."""
import pytest

from collabflow import cli

from cli_support import run

BAD = [
    ("no command", []),
    ("unknown command", ["frobnicate"]),
    ("unknown option", ["list", "S", "--frobnicate"]),
    ("missing argument", ["status", "S"]),
    ("bad time", ["tick", "S", "yesterday"]),
    ("time out of range", ["tick", "S", "10000-01-01T00:00"]),
    ("bad --at of todo", ["todo", "S", "p-li", "--at", "2026-13-01"]),
    ("bad --at of list", ["list", "S", "--at", "soon"]),
    ("bad --now of report", ["report", "S", "REQ", "--now", "2026-02-30"]),
    ("bad --at of plan-load", ["plan-load", "S", "REQ", "--generate", "3", "--actor", "p",
                               "--at", "noon"]),
    ("bad state", ["list", "S", "--state", "sleeping"]),
    ("--after not a number", ["outbox", "S", "--after", "ten"]),
    ("--after negative", ["outbox", "S", "--after", "-1"]),
    ("--after beyond 64 bits", ["outbox", "S", "--after", str(2 ** 64)]),
    ("--generate zero", ["plan-load", "S", "REQ", "--generate", "0", "--actor", "p"]),
    ("--generate a fraction", ["plan-load", "S", "REQ", "--generate", "2.5", "--actor", "p"]),
    ("plan-load: neither file nor --generate", ["plan-load", "S", "REQ", "--actor", "p"]),
    ("--width zero", ["status", "S", "REQ", "--width", "0"]),
    ("bad --format", ["report", "S", "REQ", "--format", "pdf"]),
]


@pytest.mark.parametrize("argv", [b[1] for b in BAD], ids=[b[0] for b in BAD])
def test_exits_2_with_the_usage(tmp_path, capsys, argv):
    # S does not exist: a usage error is found before the store is looked at.
    code, out = run(*[str(tmp_path / "S") if a == "S" else a for a in argv])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE, (code, out, err)
    assert err.startswith("usage: collabflow"), err
    assert "error: " in err and "Traceback" not in err
    assert out == ""
    assert not (tmp_path / "S").exists()


def test_the_reason_names_the_argument(capsys):
    run("tick", "S", "yesterday")
    assert ("collabflow tick: error: argument time: 'yesterday' is not a time the engine can "
            "read") in capsys.readouterr().err
    run("outbox", "S", "--after", "-1")
    assert "argument --after: -1 is out of range 0..18446744073709551615" in \
        capsys.readouterr().err
    run("list", "S", "--state", "sleeping")
    assert "argument --state: 'sleeping' is not a request state (one of draft, submitted" in \
        capsys.readouterr().err
