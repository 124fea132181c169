"""TypedCommand: the library's typed command helpers from Python, run
through the same path as the JSON commands; the what-if preview; and the
progress callback of a durable engine."""
import datetime as dt

import pytest

import collabflow
import collabflow.records
from collabflow import TypedCommand
from seed import OWNER, REQUEST_ID, SALES_HEAD, at, drive

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def test_seed_runs_on_typed_commands(engine):
    drive(engine, steps=7)  # confirmed
    plan = (TypedCommand.publish_plan(OWNER, at(9, 2, 10), REQUEST_ID,
                                      acknowledge_omissions=True)
            .add_task("T1", "客户数据收集与分析", "department", "d-sales", 2)
            .add_delivery_item("T1", "覆盖全部销售区域")
            .add_task("T2", "营销方案初稿撰写", "department", "d-market", 4)
            .add_predecessor("T2", "T1")
            .add_task_serves("T2", "final")
            .add_task_serves("T2"))
    assert plan.to_json()["publish_plan"]["plan"]["tasks"][1]["serves"] == [
        {"milestone_id": "final"}, {"goal": True}]
    assert "plan_published" in engine.execute_command(plan)["event_kinds"]
    plan.close()
    assert engine.request(REQUEST_ID).ready_tasks() == ["T1"]
    run = engine.execute_command
    run(TypedCommand.start_task(SALES_HEAD, at(9, 3, 9), REQUEST_ID, "T1"))
    run(TypedCommand.report_progress(SALES_HEAD, at(9, 3, 17), REQUEST_ID, "T1", 50, "华北完成",
                                     reason="系统接口问题"))
    run(TypedCommand.raise_risk(SALES_HEAD, at(9, 3, 18), REQUEST_ID, "T1", "CRM导出故障",
                                type="delay", severity="high", blocker=True))
    assert engine.request(REQUEST_ID).record().executions[0].state.name == "BLOCKED"
    run(TypedCommand.resolve_risk(OWNER, at(9, 4, 10), REQUEST_ID, "risk-1", "IT已修复"))
    run(TypedCommand.submit_deliverables(SALES_HEAD, at(9, 4, 17), REQUEST_ID, "T1")
        .add_deliverable("区域客户数据表", "https://files.example/d.xlsx", SHA, 2048))
    review = TypedCommand.review_submission(OWNER, at(9, 7, 10), REQUEST_ID, "T1", passed=False,
                                            accurate=False, accuracy_comment="缺华南")
    review.add_review_item("覆盖全部销售区域", met=False).add_rectification("补充华南区域数据")
    assert "submission_reviewed" in run(review)["event_kinds"]
    assert engine.request(REQUEST_ID).record().executions[0].state.name == "REWORK"
    assert engine.request(REQUEST_ID).ready_tasks() == []  # T2 waits for T1
    final = TypedCommand.review_final("p-zhang", at(9, 8, 10), REQUEST_ID, passed=False)
    final.add_rectification("补充竞品分析")
    assert final.to_json()["review_final"] == {
        "verdict": "VERDICT_FAIL", "rectification": [{"description": "补充竞品分析"}]}
    with pytest.raises(collabflow.FailedPrecondition, match="final submission"):
        run(final)  # nothing submitted yet
    archive = TypedCommand.archive_request(OWNER, at(9, 8, 11), REQUEST_ID, "归档")
    with pytest.raises(collabflow.FailedPrecondition):
        run(archive)  # not accepted yet
    submit_final = TypedCommand.submit_final(OWNER, at(9, 8, 9), REQUEST_ID)
    submit_final.add_deliverable("营销方案定稿", "https://files.example/final.pdf", SHA)
    assert submit_final.to_json()["submit_final"]["deliverables"][0]["title"] == "营销方案定稿"


def test_typed_command_equals_its_json_form(engine):
    drive(engine, steps=2)
    cmd = TypedCommand.respond("p-zhao", at(9, 1, 9), REQUEST_ID, "sales", "accept_with_changes",
                               "需提前2天提供数据")
    cmd.add_counter_proposal("final", dt.date(2026, 9, 20), "数据提前2天").add_duty("客户画像")
    body = cmd.to_json()
    assert body["respond"]["response"]["decision"] == "DECISION_ACCEPT_WITH_CHANGES"
    assert body["respond"]["response"]["counter_proposals"][0]["proposed_date"] == {
        "year": 2026, "month": 9, "day": 20}
    # The same bytes through the generic entry point are accepted the same way.
    result = engine.execute_bytes(cmd.to_protobuf())
    assert result  # CommandResult bytes
    assert engine.request(REQUEST_ID).view().receivers[1].decision.name == "ACCEPT_WITH_CHANGES"


def test_typed_command_refusals(engine):
    with pytest.raises(collabflow.InvalidArgument, match="decision"):
        TypedCommand.respond("p", at(9, 1), REQUEST_ID, "sales", 7)
    with pytest.raises(ValueError):
        TypedCommand.respond("p", at(9, 1), REQUEST_ID, "sales", "maybe")
    with pytest.raises(collabflow.InvalidArgument, match="actor_id"):
        TypedCommand.submit_request("", at(9, 1), REQUEST_ID)
    cmd = TypedCommand.publish_plan(OWNER, at(9, 2), REQUEST_ID)
    with pytest.raises(collabflow.NotFound, match="T9"):
        cmd.add_predecessor("T9", "T1")
    with pytest.raises(collabflow.InvalidArgument, match="submit_deliverables"):
        cmd.add_deliverable("t", "u", SHA)
    with pytest.raises(collabflow.NotFound, match=REQUEST_ID):
        engine.execute_command(cmd.add_task("T1", "x", "person", OWNER, 1))  # no such request
    cmd.close()
    with pytest.raises(collabflow.ObjectClosed):
        cmd.to_json()


def test_preview_shows_the_effect_and_commits_nothing(engine):
    req = drive(engine)
    before = engine.state_bytes()
    preview = req.preview_revision(OWNER, [{"update_task": {"task_id": "T1", "duration_days": 4}}],
                                   reason="系统接口问题", at=at(9, 3, 10))
    assert preview.finish_shift_working_days == 2
    moved = {c.task_id for c in preview.changes}
    assert {"T1", "T2", "T3"} <= moved
    assert engine.state_bytes() == before
    with pytest.raises(collabflow.PermissionDenied):
        req.preview_revision(SALES_HEAD, [], reason="x", at=at(9, 3, 10))
    with pytest.raises(collabflow.InvalidArgument, match="revise_plan"):
        engine.preview_revision({"actor_id": OWNER, "request_id": REQUEST_ID,
                                 "time": "2026-09-03T02:00:00Z", "submit_request": {}})


def test_progress_of_a_durable_engine(tmp_path):
    calls = []
    with collabflow.Engine(tmp_path / "s", durability="none") as e:
        from seed import DIRECTORY
        for i in range(300):
            e.update_directory(DIRECTORY, at=at(8, 28, 9))
    with collabflow.Engine(tmp_path / "s", progress=lambda d, t: calls.append((d, t))) as e:
        assert calls and calls[-1] == (300, 300) and len(calls) <= 110
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
        del calls[:]
        collabflow.records.verify_history(e)
        assert calls[-1] == (300, 300)
    with pytest.raises(collabflow.Cancelled, match="cancelled"):
        collabflow.Engine(tmp_path / "s", progress=lambda d, t: d >= 100)
    # A callback that raises stops the work too (nothing crosses into C).
    with pytest.raises(collabflow.Cancelled):
        collabflow.Engine(tmp_path / "s", progress=lambda d, t: 1 / 0)
    with collabflow.Engine(tmp_path / "s") as e:  # the store is intact
        collabflow.records.verify_history(e)
    # Options can drop a callback again (NULL in C).
    opts = collabflow._ffi.Options()
    opts.set_progress(collabflow._ffi.progress_fn(lambda d, t, p: 0))
    opts.set_progress(None)
    opts.close()
