"""--json is regular for scripts: every list and map of the message is there
(empty or not), times are ISO 8601 with their offset, dates ISO 8601 -- the
same for every command, as they all print through one place."""
import datetime as dt
import json
import re

import pytest

from collabflow import messages

from cli_support import make_store, run

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def assert_regular(value, message):
    """Every repeated and map field of `message` present; times and dates
    ISO 8601 (a time with an offset), recursively."""
    for py, js, kind, ref, label, _ in message._specs:
        where = "%s.%s" % (message.__name__, js)
        if label in ("repeated", "map"):
            assert js in value, where + " missing"
            items = value[js] if label == "repeated" else list(value[js].values())
            assert isinstance(value[js], list if label == "repeated" else dict), where
        elif js in value:
            items = [value[js]]
        else:
            continue
        for item in items:
            if kind == "timestamp":
                assert TIME.match(item), (where, item)
                assert dt.datetime.fromisoformat(item).utcoffset() is not None
            elif kind == "date":
                assert item is None or re.match(r"^\d{4}-\d\d-\d\d$", item), (where, item)
            elif kind == "message":
                assert_regular(item, getattr(messages, ref))


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("json"), until='"submit_request"')


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("json"))


def json_of(*argv):
    code, out = run(*argv, "--json")
    assert code == 0, out
    return json.loads(out)


def test_times_carry_their_offset_and_dates_are_iso(submitted):
    view = json_of("status", submitted, "REQ-Q3-LAUNCH")
    assert view["record"]["request"]["final_deadline"] == "2026-09-20"
    due = view["record"]["open_dues"][0]
    assert due["due_at"] == "2026-09-01T10:00:00+08:00"
    assert due["opened_at"] == "2026-08-31T10:00:00+08:00"


def test_empty_lists_are_there(submitted):
    view = json_of("status", submitted, "REQ-Q3-LAUNCH")
    assert view["record"]["executions"] == []  # no plan yet
    assert json_of("todo", submitted, "p-ma", "--at", "2026-09-01T09:00") == {
        "person_id": "p-ma", "items": []}


@pytest.mark.parametrize("which, argv, message", [
    ("submitted", ["status", "REQ-Q3-LAUNCH"], messages.RequestView),
    ("store", ["status", "REQ-Q3-LAUNCH"], messages.RequestView),
    ("store", ["schedule", "REQ-Q3-LAUNCH"], messages.ScheduleView),
    ("store", ["record", "REQ-Q3-LAUNCH"], messages.ProcessRecordTable),
    ("submitted", ["todo", "p-li", "--at", "2026-09-10T09:00"], messages.MustDoList),
])
def test_every_view_is_regular(request, which, argv, message):
    store = request.getfixturevalue(which)
    assert_regular(json_of(argv[0], store, *argv[1:]), message)


def test_the_outbox_and_list_are_regular(submitted):
    notes = json_of("outbox", submitted)
    assert notes
    for note in notes:
        assert_regular(note, messages.Notification)
        assert note["task_ids"] == []
    for request in json_of("list", submitted)["requests"]:
        assert TIME.match(request["next_due_at"])
        for due in request["open_dues"]:
            assert_regular(due, messages.DueItem)


def test_verify_archive_manifest_is_regular(store, tmp_path):
    bundle = tmp_path / "a.bin"
    assert run("archive", store, "REQ-Q3-LAUNCH", bundle)[0] == 0
    checked = json_of("verify-archive", bundle)
    assert checked["manifest"]
    for entry in checked["manifest"]:
        assert_regular(entry, messages.ManifestEntry)
