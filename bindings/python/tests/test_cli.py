"""The collabflow CLI on the seed example: output checked, exits, --json."""
import io
import json
import os
from pathlib import Path

import pytest

from collabflow import cli

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "q3-launch"


def run(*argv):
    out = io.StringIO()
    code = cli.main([str(a) for a in argv], out=out)
    return code, out.getvalue()


def make_store(tmp_path, until=None):
    """A store with the example applied, whole or up to the first line
    containing `until` (inclusive)."""
    path = tmp_path / "store"
    code, out = run("init", path, "--directory", EXAMPLE / "directory.json")
    assert code == 0, out
    scenario = EXAMPLE / "scenario.jsonl"
    if until is not None:
        lines = scenario.read_text(encoding="utf-8").splitlines()
        cut = next(i for i, l in enumerate(lines) if until in l)
        scenario = tmp_path / "partial.jsonl"
        scenario.write_text("\n".join(lines[:cut + 1]) + "\n", encoding="utf-8")
    code, out = run("apply", path, scenario)
    assert code == 0, out
    return path


@pytest.fixture
def store(tmp_path):
    """The whole seed example, from request to archive."""
    return make_store(tmp_path)


@pytest.fixture
def planned(tmp_path):
    """The seed example up to the published plan."""
    return make_store(tmp_path, until='"publish_plan"')


def test_apply_reports_each_command(tmp_path):
    path = tmp_path / "s"
    assert run("init", path, "--directory", EXAMPLE / "directory.json")[0] == 0
    code, out = run("apply", path, EXAMPLE / "scenario.jsonl")
    assert code == 0
    assert "respond by p-wu: response_recorded" in out
    assert "request_confirmed" in out
    assert "publish_plan by p-li: plan_published" in out
    assert "review_submission by p-li: submission_reviewed" in out
    assert "archive_request by p-li: request_archived" in out
    assert "tick 2026-09-11T09:00: 2 event(s)" in out  # a missed report, reminded


def test_status_shows_state_and_receivers_aligned(store):
    code, out = run("status", store, "REQ-Q3-LAUNCH")
    assert code == 0
    assert "Q3新品上市营销方案执行" in out
    assert "ARCHIVED" in out
    lines = out.splitlines()
    header = next(l for l in lines if l.startswith("receiver"))
    market = next(l for l in lines if l.startswith("market"))
    assert header.index("decision") == market.index("ACCEPT")


def test_schedule_marks_the_critical_path_and_milestones(planned):
    code, out = run("schedule", planned, "REQ-Q3-LAUNCH")
    assert code == 0
    assert "*T1" in out and "*T2" in out and "*T3" in out
    assert "critical path: T1 -> T2 -> T3" in out
    assert "ready to start: T1\n" in out  # the ready set: T1 has no predecessor
    assert "客户数据收集与分析" in out
    # Published Wed 9-02 -> starts Thu 9-03; T1 (2 days) ends Fri 9-04.
    assert "2026-09-03   2026-09-04" in out


def test_schedule_after_the_fact_counts_from_actual_dates(store):
    code, out = run("schedule", store, "REQ-Q3-LAUNCH", "--json")
    view = json.loads(out)
    t2 = next(t for t in view["tasks"] if t["task_id"] == "T2")
    # T2 really ran 9-09 .. 9-15 (a failed first review): the milestone is late.
    assert t2["early_start"] == "2026-09-09"
    first_draft = next(m for m in view["milestones"] if m["milestone_id"] == "first-draft")
    assert first_draft["slack_days"] < 0


def test_schedule_json_parses(planned):
    code, out = run("schedule", planned, "REQ-Q3-LAUNCH", "--json")
    assert code == 0
    view = json.loads(out)
    assert view["critical_path"] == ["T1", "T2", "T3"]
    assert [m["milestone_id"] for m in view["milestones"]][:2] == ["first-draft", "final"]


def test_todo_and_outbox(store):
    code, out = run("todo", store, "p-li", "--at", "2026-09-03T09:00", "--json")
    assert code == 0 and json.loads(out)["person_id"] == "p-li"
    code, out = run("outbox", store, "--json")
    items = json.loads(out)
    assert items and items[0]["kind"] == "NOTIFICATION_KIND_REQUEST_SUBMITTED"
    code, out = run("outbox", store, "--acknowledge")
    assert code == 0
    code, out = run("outbox", store, "--json")
    assert json.loads(out) == []


def test_verify_replays_identically(store):
    code, out = run("verify", store, "--json")
    assert code == 0
    assert json.loads(out)["events"] > 10


def test_refusal_exits_3_and_names_the_reason(planned, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"actor_id": "p-ma", "time": "2026-09-03T10:00",
                               "request_id": "REQ-Q3-LAUNCH", "cancel": {"reason": "x"}}) + "\n",
                   encoding="utf-8")
    code, out = run("apply", planned, bad)
    assert code == cli.EXIT_REFUSED
    assert "PERMISSION_DENIED" in out and "bad.jsonl:1" in out


def test_an_archived_request_is_read_only(store, tmp_path):
    bad = tmp_path / "late.jsonl"
    bad.write_text(json.dumps({"actor_id": "p-zhang", "time": "2026-09-22T10:00",
                               "request_id": "REQ-Q3-LAUNCH", "cancel": {"reason": "x"}}) + "\n",
                   encoding="utf-8")
    code, out = run("apply", store, bad)
    assert code == cli.EXIT_REFUSED
    assert "ARCHIVED and read-only" in out


def test_unknown_request_exits_3(store, capsys):
    code, _ = run("status", store, "NOPE")
    assert code == cli.EXIT_REFUSED
    assert "NOT_FOUND" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    assert run("status")[0] == cli.EXIT_USAGE
    assert run("no-such-command")[0] == cli.EXIT_USAGE


def test_every_subcommand_has_help(capsys):
    for sub in ("init", "apply", "status", "schedule", "todo", "tick", "outbox", "verify",
                "record", "report", "archive", "verify-archive"):
        assert run(sub, "--help")[0] == 0
        assert "usage: collabflow " + sub in capsys.readouterr().out


def test_damaged_store_exits_4(store):
    journal = sorted(Path(store).glob("journal-*"))[0]
    data = bytearray(journal.read_bytes())
    data[40] ^= 0x01  # a bit flip inside the first record
    journal.write_bytes(bytes(data))
    code, _ = run("status", store, "REQ-Q3-LAUNCH")
    assert code == cli.EXIT_DATA_LOSS


def test_display_width_counts_cjk_as_two():
    from collabflow.table import display_width, render
    assert display_width("市场部") == 6
    table = render(["a", "b"], [["市场部", "x"], ["ab", "y"]])
    rows = table.splitlines()
    # Columns line up on screen: the display width before each cell is equal.
    assert display_width(rows[2][:rows[2].index("x")]) == display_width(rows[3][:rows[3].index("y")])


def test_record_table_shows_the_five_steps(store):
    code, out = run("record", store, "REQ-Q3-LAUNCH")
    assert code == 0
    assert "协作流程记录表" in out
    for name in ("需求发起与确认", "任务拆分与分工", "信息同步与资源协调", "执行跟踪与反馈",
                 "成果验收与归档"):
        assert name in out
    assert "进度反馈逾期" in out  # the missed report of T2 is recorded
    code, out = run("record", store, "REQ-Q3-LAUNCH", "--json")
    assert [s["met"] for s in json.loads(out)["steps"]][:2] == ["MET_YES", "MET_YES"]


def test_report_writes_html_with_the_gantt_chart(store, tmp_path):
    target = tmp_path / "r.html"
    code, out = run("report", store, "REQ-Q3-LAUNCH", "--now", "2026-09-21T10:00",
                    "--out", target)
    assert code == 0 and "wrote" in out
    html = target.read_text(encoding="utf-8")
    assert "<svg" in html and "Q3新品上市营销方案执行" in html


def test_archive_exports_and_verifies_and_tampering_is_data_loss(store, tmp_path):
    target = tmp_path / "q3.archive"
    code, out = run("archive", store, "REQ-Q3-LAUNCH", target)
    assert code == 0 and "verified" in out
    assert run("verify-archive", target)[0] == 0
    data = bytearray(target.read_bytes())
    i = data.find("客户数据".encode("utf-8"))
    data[i] ^= 0x01
    target.write_bytes(bytes(data))
    assert run("verify-archive", target)[0] in (cli.EXIT_DATA_LOSS, cli.EXIT_REFUSED)


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def confirmed(tmp_path):
    """The seed example up to the request's confirmation (no plan yet)."""
    return make_store(tmp_path, until='"receiver_id": "sales", "duties": ["销售部负责客户画像分析"], '
                                      '"timing_accepted": true')


def test_plan_load_generates_a_large_plan(confirmed):
    code, out = run("plan-load", confirmed, "REQ-Q3-LAUNCH", "--generate", 3000, "--actor", "p-li",
                    "--at", "2026-09-02T10:00", "--acknowledge-omissions")
    assert code == 0, out
    assert "published a plan of 3000 task(s) for REQ-Q3-LAUNCH: plan_published" in out
    code, out = run("schedule", confirmed, "REQ-Q3-LAUNCH", "--json")
    view = json.loads(out)
    assert len(view["tasks"]) == 3000
    assert view["critical_path"][0] in {"T%d" % i for i in range(8)}
    assert view["tasks"][100]["early_start"]  # scheduled through the calendar


@pytest.mark.skipif(os.environ.get("COLLABFLOW_LONG_TESTS") != "1",
                    reason="long (~1 min, ~3 GB): set COLLABFLOW_LONG_TESTS=1 (CMake option)")
def test_plan_load_publishes_a_million_task_plan(confirmed):
    code, out = run("plan-load", confirmed, "REQ-Q3-LAUNCH", "--generate", 1000000, "--actor",
                    "p-li", "--at", "2026-09-02T10:00", "--acknowledge-omissions")
    assert code == 0, out
    assert "published a plan of 1000000 task(s)" in out
    # Reopening replays the one large record; the plan is whole.
    code, out = run("status", confirmed, "REQ-Q3-LAUNCH", "--json")
    assert code == 0, out
    view = json.loads(out)
    assert view["record"]["state"] == "REQUEST_STATE_PLANNED"
    assert len(view["record"]["plan"]["tasks"]) == 1000000


def test_plan_load_from_a_file_and_its_refusals(confirmed, tmp_path):
    plan = {"tasks": [{"id": "A", "name": "数据", "assignee": {"department_id": "d-sales"},
                       "duration_days": 2},
                      {"id": "B", "name": "方案", "assignee": {"department_id": "d-market"},
                       "duration_days": 3, "predecessors": [{"predecessor_id": "A"}],
                       "serves": [{"milestone_id": "final"}, {"goal": True}]}]}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    code, out = run("plan-load", confirmed, "REQ-Q3-LAUNCH", path, "--actor", "p-li", "--at",
                    "2026-09-02T10:00", "--acknowledge-omissions", "--json")
    assert code == 0, out
    assert json.loads(out)["tasks"] == 2
    # Published already: the engine refuses a second plan (exit 3).
    assert run("plan-load", confirmed, "REQ-Q3-LAUNCH", path, "--actor", "p-li")[0] == \
        cli.EXIT_REFUSED
    # Neither a file nor --generate (or both) is a usage error, named.
    assert run("plan-load", confirmed, "REQ-Q3-LAUNCH", "--actor", "p-li")[0] == cli.EXIT_USAGE


def test_plan_load_cycle_is_refused_with_its_name(confirmed, tmp_path, capsys):
    plan = {"tasks": [{"id": "A", "name": "a", "assignee": {"department_id": "d-sales"},
                       "duration_days": 1, "predecessors": [{"predecessor_id": "B"}]},
                      {"id": "B", "name": "b", "assignee": {"department_id": "d-sales"},
                       "duration_days": 1, "predecessors": [{"predecessor_id": "A"}]}]}
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps({"plan": plan}), encoding="utf-8")
    assert run("plan-load", confirmed, "REQ-Q3-LAUNCH", path, "--actor", "p-li", "--at",
               "2026-09-02T10:00", "--acknowledge-omissions")[0] == cli.EXIT_REFUSED
    assert "cycle" in capsys.readouterr().err


def test_progress_bar_draws_on_a_terminal_only(store):
    from collabflow import Engine, records
    tty = FakeTerminal()
    bar = cli.Progress(0, "replaying", stream=tty)
    with Engine(store, progress=bar) as engine:
        bar.close()
        events = sum(1 for _ in engine.history())
        bar.label = "verifying"
        records.verify_history(engine)
        bar.close()
    drawn = tty.getvalue()
    assert "replaying [" in drawn and "verifying [" in drawn
    total = drawn.rsplit("/", 1)[1].strip()
    assert int(total) > 20 and events >= int(total)  # records hold one command's events
    assert "\r" in drawn and "\n" not in drawn and drawn.endswith("\r")  # erased, see
    # test_progress_bar.py
    pipe = io.StringIO()
    bar = cli.Progress(0, "replaying", stream=pipe)
    with Engine(store, progress=bar) as engine:
        records.verify_history(engine)
    bar.close()
    assert pipe.getvalue() == ""


def test_verify_and_archive_print_no_progress_in_pipes(store, tmp_path, capsys):
    assert run("verify", store)[0] == 0
    assert run("archive", store, "REQ-Q3-LAUNCH", tmp_path / "a.bin")[0] == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "[" not in err


def test_plan_load_has_help(capsys):
    assert run("plan-load", "--help")[0] == 0
    assert "usage: collabflow plan-load" in capsys.readouterr().out


def test_plan_file_is_read_with_a_progress_bar_on_a_terminal(tmp_path, monkeypatch):
    text = json.dumps({"tasks": [{"id": "T%d" % i, "name": "任务%d" % i} for i in range(200)]},
                      ensure_ascii=False)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    tty = FakeTerminal()
    monkeypatch.setattr("sys.stderr", tty)
    assert cli._read_with_progress(str(path), "reading", chunk=64) == text.encode("utf-8")
    drawn = tty.getvalue()
    assert "reading [" in drawn and "7.0 KiB/7.0 KiB" in drawn  # counted in bytes
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    assert cli._read_with_progress(str(path), "reading", chunk=64) == text.encode("utf-8")
    assert pipe.getvalue() == ""
