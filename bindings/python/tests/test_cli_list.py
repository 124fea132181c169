"""`collabflow list`: every request with its state, owner, next due time and
overdue count; --state and --person filter; --json for scripts."""
import json

import pytest

from cli_support import make_store, run

# A second request, filed and kept as a draft by p-sun (no dues yet).
DRAFT = {"actor_id": "p-sun", "time": "2026-08-31T12:00", "request_id": "REQ-DRAFT",
         "create_request": {"request": {
             "id": "REQ-DRAFT", "topic": "草稿需求", "background": "b", "goal": "g",
             "final_deadline": {"year": 2026, "month": 10, "day": 30},
             "receivers": [{"id": "sales", "department_id": "d-sales"}],
             "initiator_id": "p-sun"}}}


@pytest.fixture
def store(tmp_path):
    """REQ-Q3-LAUNCH submitted (market and sales owe answers by 9-01
    10:00, owner p-li), and REQ-DRAFT, a draft of p-sun."""
    return make_store(tmp_path, until='"submit_request"', extra=[DRAFT])


def rows(out):
    return {line.split()[0]: line.split() for line in out.splitlines()[2:]}


def test_lists_each_request_with_state_owner_next_due_and_overdue(store):
    code, out = run("list", store, "--at", "2026-09-01T11:00")
    assert code == 0, out
    assert out.splitlines()[0].split() == ["request", "state", "owner", "next", "due", "overdue",
                                          "topic"]
    table = rows(out)
    assert table["REQ-Q3-LAUNCH"] == ["REQ-Q3-LAUNCH", "SUBMITTED", "p-li", "2026-09-01",
                                      "10:00", "2", "Q3新品上市营销方案执行"]
    assert table["REQ-DRAFT"] == ["REQ-DRAFT", "DRAFT", "p-sun", "0", "草稿需求"]
    # Before the due time nothing is overdue yet.
    assert rows(run("list", store, "--at", "2026-09-01T09:00")[1])["REQ-Q3-LAUNCH"][5] == "0"


def test_state_filter(store):
    code, out = run("list", store, "--state", "draft")
    assert code == 0 and list(rows(out)) == ["REQ-DRAFT"]
    code, out = run("list", store, "--state", "REQUEST_STATE_SUBMITTED")
    assert code == 0 and list(rows(out)) == ["REQ-Q3-LAUNCH"]
    code, out = run("list", store, "--state", "archived")
    assert code == 0 and out == "no requests match\n"


def test_person_filter_owner_or_owing(store):
    # p-wu owes sales' answer; p-li owns (and may answer for market);
    # p-sun owns the draft; p-ma neither owns nor owes anything.
    assert list(rows(run("list", store, "--person", "p-wu")[1])) == ["REQ-Q3-LAUNCH"]
    assert list(rows(run("list", store, "--person", "p-li")[1])) == ["REQ-Q3-LAUNCH"]
    assert list(rows(run("list", store, "--person", "p-sun")[1])) == ["REQ-DRAFT"]
    assert run("list", store, "--person", "p-ma")[1] == "no requests match\n"


def test_json(store):
    code, out = run("list", store, "--at", "2026-09-01T11:00", "--json")
    assert code == 0
    listing = json.loads(out)
    assert listing["at"] == "2026-09-01T11:00:00+08:00"
    by_id = {r["request_id"]: r for r in listing["requests"]}
    assert by_id["REQ-Q3-LAUNCH"] == {
        "request_id": "REQ-Q3-LAUNCH", "topic": "Q3新品上市营销方案执行",
        "state": "REQUEST_STATE_SUBMITTED", "owner_id": "p-li",
        "next_due_at": "2026-09-01T10:00:00+08:00", "overdue": 2,
        "open_dues": by_id["REQ-Q3-LAUNCH"]["open_dues"]}
    assert [d["key"] for d in by_id["REQ-Q3-LAUNCH"]["open_dues"]] == [
        "response/market/v1", "response/sales/v1"]
    assert by_id["REQ-DRAFT"]["next_due_at"] is None and by_id["REQ-DRAFT"]["open_dues"] == []


def test_help_says_it_reads_every_request(capsys):
    assert run("list", "--help")[0] == 0
    assert "reads every request" in capsys.readouterr().out
