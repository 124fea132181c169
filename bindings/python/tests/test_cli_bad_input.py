"""The CLI never shows a traceback: input that is not what it expects is a
clear message on stderr and the documented exit code (3: a file's content
refused or invalid; 2: a command-line argument, with the usage), never exit 1
with a Python traceback."""
import io
import json
from pathlib import Path

import pytest

from collabflow import cli

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "q3-launch"
DEEP = 100000


def run(*argv):
    out = io.StringIO()
    code = cli.main([str(a) for a in argv], out=out)
    return code, out.getvalue()


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    assert run("init", path, "--directory", EXAMPLE / "directory.json")[0] == 0
    return path


def refused(capsys, *argv):
    """Runs the CLI; asserts exit 3 and no traceback; returns stderr + stdout."""
    code, out = run(*argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err + out
    assert code == cli.EXIT_REFUSED, (code, err, out)
    return err + out


def usage_error(capsys, *argv):
    """Runs the CLI; asserts exit 2 with argparse's usage on stderr and no
    traceback; returns stderr."""
    code, out = run(*argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err + out
    assert code == cli.EXIT_USAGE, (code, err, out)
    assert err.startswith("usage: collabflow "), err
    return err


def scenario(tmp_path, data):
    path = tmp_path / "scenario.jsonl"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_a_json_array_where_an_object_is_expected(store, tmp_path, capsys):
    text = refused(capsys, "apply", store, scenario(tmp_path, "[1, 2]\n"))
    assert "scenario.jsonl:1: expected a JSON object, got array" in text
    directory = tmp_path / "directory.json"
    directory.write_text("[]", encoding="utf-8")
    text = refused(capsys, "init", tmp_path / "other", "--directory", directory)
    assert "directory.json: expected a JSON object, got array" in text
    plan = tmp_path / "plan.json"
    plan.write_text('{"plan": [1]}', encoding="utf-8")
    text = refused(capsys, "plan-load", store, "REQ", plan, "--actor", "p-li")
    assert "plan: expected a JSON object" in text


def test_json_nested_100000_deep(store, tmp_path, capsys):
    text = refused(capsys, "apply", store, scenario(tmp_path, "[" * DEEP + "]" * DEEP + "\n"))
    assert "scenario.jsonl:1: JSON nested too deeply" in text
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * DEEP + "1" + "}" * DEEP, encoding="utf-8")
    assert "nested too deeply" in refused(capsys, "init", tmp_path / "o", "--directory", deep)
    assert "nested too deeply" in refused(capsys, "plan-load", store, "REQ", deep,
                                          "--actor", "p-li")


def test_invalid_utf8_in_a_scenario_file(store, tmp_path, capsys):
    data = b'{"tick": "2026-09-10T09:00"}\n{"actor_id": "p-\xff"}\n'
    text = refused(capsys, "apply", store, scenario(tmp_path, data))
    assert "scenario.jsonl:2: not valid UTF-8" in text


def test_a_time_in_the_year_10000(store, tmp_path, capsys):
    text = refused(capsys, "apply", store,
                   scenario(tmp_path, '{"tick": "10000-01-01T00:00:00"}\n'))
    assert "tick: '10000-01-01T00:00:00' is not a time" in text
    # Year 9999 in New York is year 10000 in UTC.
    command = {"actor_id": "p-zhang", "time": "9999-12-31T23:00:00-05:00",
               "request_id": "R", "cancel_request": {}}
    text = refused(capsys, "apply", store, scenario(tmp_path, json.dumps(command) + "\n"))
    assert "time: '9999-12-31T23:00:00-05:00' is not a time" in text
    # On the command line, it is a usage error (exit 2), naming the argument.
    assert "argument time: '10000-01-01T00:00'" in usage_error(capsys, "tick", store,
                                                             "10000-01-01T00:00")
    assert "argument --at" in usage_error(capsys, "todo", store, "p-li", "--at", "10000-01-01")
    assert "argument --now" in usage_error(capsys, "report", store, "REQ", "--now", "10000-01-01")


def test_a_directive_of_the_wrong_type(store, tmp_path, capsys):
    text = refused(capsys, "apply", store, scenario(tmp_path, '{"tick": 5}\n'))
    assert "tick: expected an ISO 8601 time, got 5" in text


def test_acknowledge_takes_a_json_integer_in_range(store, tmp_path, capsys):
    # int() would truncate 2.5 to 2 and read "2" and true as positions;
    # 2**64 + 2 would wrap to 2 in ctypes.
    for value in ("2.5", '"2"', "true"):
        text = refused(capsys, "apply", store,
                       scenario(tmp_path, '{"acknowledge": %s}\n' % value))
        assert "acknowledge: expected an integer, got %s" % value in text
    text = refused(capsys, "apply", store,
                   scenario(tmp_path, '{"acknowledge": %d}\n' % (2 ** 64 + 2)))
    assert "up_to: 18446744073709551618 is out of range" in text
    text = usage_error(capsys, "outbox", store, "--after", "-5")
    assert "argument --after: -5 is out of range" in text
