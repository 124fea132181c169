"""A store written by collabflow 0.2.0 (tests/testdata/format1, made by its
make_fixture.sh) opens converted to streams, and every view a host read from
it then reads the same now: each request's status, process record and
schedule, everyone's must-do list, the outbox's notifications (renumbered
within their requests and read by position, so compared without those
numbers), and its archive bundle still verifies.

The views 0.2 gave are the library's proto3 JSON; the tool's --json now
prints them regular (collabflow.json_output), so each is made regular the
same way before the comparison."""
import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collabflow import cli
from collabflow.json_output import regular
from test_cli import run

MESSAGES = {"status": "RequestView", "record": "ProcessRecordTable", "schedule": "ScheduleView",
            "todo": "MustDoList", "outbox": "Notification"}

FIXTURE = Path(__file__).resolve().parents[3] / "tests" / "testdata" / "format1"


def strip_conversion(view):
    """What 0.3 adds to the views 0.2 gave: an archived request's seal names
    the version it sealed in the request's new stream, and a record its
    last event's time (new fields)."""
    if isinstance(view, dict):
        return {k: strip_conversion(v) for k, v in view.items()
                if not (k == "last_version" and "head_hash" in view)
                and k != "last_event_at"}
    if isinstance(view, list):
        return [strip_conversion(v) for v in view]
    return view


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("format1") / "store"
    shutil.copytree(FIXTURE / "store", path)
    return path


def then(name):
    """The view 0.2 gave (views/<name>), made regular as the tool prints it."""
    value = json.loads((FIXTURE / "views" / name).read_text(encoding="utf-8"))
    message = MESSAGES.get(name.split(".")[-2] if name.startswith("REQ-") else
                           name.split(".")[0])
    if message is None:
        return value
    tz = ZoneInfo(cli.DEFAULT_TZ)
    if isinstance(value, list):
        return [regular(v, message, tz) for v in value]
    return regular(value, message, tz)


@pytest.mark.parametrize("request_id", ["REQ-A", "REQ-B", "REQ-C", "REQ-D"])
def test_every_request_reads_as_0_2_read_it(store, request_id):
    for view in ("status", "record", "schedule"):
        name = "%s.%s.json" % (request_id, view)
        if not (FIXTURE / "views" / name).exists():
            continue  # no plan: 0.2 had no schedule either
        code, out = run(view, store, request_id, "--json")
        assert code == 0, out
        assert strip_conversion(json.loads(out)) == then(name), name


def test_everyones_must_do_list_reads_as_before(store):
    for path in sorted((FIXTURE / "views").glob("todo.*.json")):
        person = path.name[len("todo."):-len(".json")]
        code, out = run("todo", store, person, "--at", "2026-09-16T09:00", "--json")
        assert code == 0, out
        assert json.loads(out) == then(path.name), person


def test_the_outbox_holds_what_was_not_delivered(store):
    code, out = run("outbox", store, "--json")
    assert code == 0, out
    now = json.loads(out)

    def content(n):
        return {k: v for k, v in n.items() if k not in ("id", "position")}

    # Every notification 0.2 had not delivered is still waiting, in order;
    # at most a few more (a tick's, spread over several requests' records,
    # may come again: at least once, never lost).
    waiting = [content(n) for n in now]
    before = [content(n) for n in then("outbox.json")]
    it = iter(waiting)
    assert all(any(b == w for w in it) for b in before)
    assert len(waiting) - len(before) <= 2


def test_the_history_verifies_and_the_old_store_is_kept(store):
    code, out = run("verify", store, "--json")
    assert code == 0, out
    assert json.loads(out)["events"] == then("verify.json")["events"]
    assert (Path(str(store) + ".format1") / "journal-00000000000000000001.cfj").read_bytes() == \
        (FIXTURE / "store" / "journal-00000000000000000001.cfj").read_bytes()


def test_a_bundle_exported_by_0_2_still_verifies():
    code, out = run("verify-archive", FIXTURE / "a.archive")
    assert code == 0, out
