"""The seed scenario end to end through the typed API; the one typed and the
one dict path for commands; the queries."""
import datetime as dt

import pytest

import collabflow as cf
from seed import (DIRECTORY, INITIATOR, MARKET_DELEGATE, OUTSIDER, OWNER, PLAN, REQUEST,
                  REQUEST_ID, SALES_DATA, SALES_HEAD, SHANGHAI, accept, at, drive)


def test_negotiation_round_moves_states(engine):
    req = drive(engine, 4)
    assert req.state is cf.RequestState.NEGOTIATING
    view = req.view()
    sales = next(r for r in view.receivers if r.receiver_id == "sales")
    assert sales.decision is cf.Decision.ACCEPT_WITH_CHANGES
    drive_from_five(req)
    assert req.state is cf.RequestState.CONFIRMED
    record = req.record()
    assert record.request.version == 2
    assert [v.version for v in record.earlier_versions] == [1]
    assert record.confirmed_at == at(9, 1, 16)


def drive_from_five(req):
    from seed import REVISED
    req.revise(INITIATOR, REVISED, change_note="客户数据提前至9月4日", at=at(9, 1, 11))
    req.respond(OWNER, accept("market", "方案策划"), at=at(9, 1, 14))
    req.respond(SALES_HEAD, accept("sales", "客户画像分析"), at=at(9, 1, 16))


def test_seed_scenario_end_to_end(engine):
    req = drive(engine, 8)
    view = req.view()
    record = view.record
    assert record.state is cf.RequestState.PLANNED
    assert record.request.topic == "Q3新品上市营销方案执行"
    assert record.request.priority is cf.Priority.HIGH
    assert record.request.milestones[2].date == dt.date(2026, 9, 4)
    assert record.plan.tasks[1].delivery_standard == ["包含推广渠道", "包含预算分配", "包含执行步骤"]
    assert record.plan.tasks[1].predecessors[0].predecessor_id == "T1"
    assert record.coverage.uncovered_milestone_ids == [] and not record.coverage.goal_uncovered
    # Times come back timezone-aware, at the instants given.
    assert record.planned_at == at(9, 2, 10) and record.planned_at.tzinfo is not None
    assert record.created_at.astimezone(SHANGHAI).hour == 9
    assert INITIATOR in view.members and SALES_DATA in view.members

    schedule = req.schedule()
    assert schedule.critical_path == ["T1", "T2", "T3"]
    # Published Wed 9-02: starts Thu 9-03; T1 two working days; T2 four (over
    # the weekend); T3 three.
    assert schedule.project_start == dt.date(2026, 9, 3)
    t1, t2, t3 = schedule.rows
    assert (t1.early_start, t1.early_finish) == (dt.date(2026, 9, 3), dt.date(2026, 9, 4))
    assert (t2.early_start, t2.early_finish) == (dt.date(2026, 9, 7), dt.date(2026, 9, 10))
    assert t3.early_finish == schedule.project_finish == dt.date(2026, 9, 15)
    assert t3.driving_chain == ["T1", "T2", "T3"] and t3.assignee.id == "d-market"
    first = next(m for m in schedule.milestones if m.milestone_id == "first-draft")
    assert first.forecast == dt.date(2026, 9, 10) and first.slack_days == 0

    notes = list(engine.notifications())
    # Numbered within the request, read in the order of their records.
    assert [n.id for n in notes] == list(range(1, len(notes) + 1))
    assert [n.position for n in notes] == sorted(n.position for n in notes)
    assert notes[0].kind is cf.NotificationKind.REQUEST_SUBMITTED
    mine = [n for n in notes if n.kind is cf.NotificationKind.PLAN_PUBLISHED
            and n.recipient_ids == [SALES_DATA]]
    assert mine and mine[0].task_ids == ["T1"]
    assert list(req.notifications()) == notes  # every note so far is about this request

    kinds = [e.kind for e in req.history()]
    assert kinds == ["request_created", "request_submitted", "response_recorded",
                     "response_recorded", "request_revised", "response_recorded",
                     "response_recorded", "request_confirmed", "plan_published"]
    events = list(engine.history())
    assert events[0].kind == "directory_updated" and events[0].request_id == ""
    # One record per command: positions 1, 2, ... (a record may hold several
    # events); versions count within each stream (the directory's, the
    # request's).
    positions = [e.position for e in events]
    assert positions == sorted(positions) and sorted(set(positions)) == \
        list(range(1, positions[-1] + 1))
    assert [e.version for e in events] == [1] + list(range(1, len(events)))
    published = events[-1].payload
    assert isinstance(published, cf.PlanPublished) and len(published.plan.tasks) == 3


def test_command_results_are_typed(engine):
    req = drive(engine, 6)
    result = req.respond(SALES_HEAD, accept("sales", "客户画像分析"), at=at(9, 1, 16))
    assert isinstance(result, cf.CommandResult)
    assert result.event_kinds == ["response_recorded", "request_confirmed"]
    assert result.last_version == result.first_version + 1
    assert result.position == max(e.position for e in engine.history())


def test_the_request_view_and_the_state_agree(engine):
    req = drive(engine, 8)
    state = engine.state()
    assert isinstance(state, cf.EngineState)
    assert list(state.summaries) == [REQUEST_ID]
    summary = state.summaries[REQUEST_ID]
    record = req.view().record
    assert summary.state is cf.RequestState.PLANNED is record.state
    assert summary.topic == record.request.topic
    assert summary.open_dues == record.open_dues
    assert not state.requests  # records are read per request
    assert state.directory == DIRECTORY


@pytest.mark.parametrize("budget", [0, 1 << 20])
def test_an_engine_holding_no_record_reads_the_same(engine, tmp_path, budget):
    """Records left out of memory (request_cache_bytes) are read back from
    their streams: the same views, schedule and lists, live and reopened."""
    with cf.Engine(tmp_path / "store", durability="none", request_cache_bytes=budget) as lean:
        lean.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(lean, 8)
        drive(engine, 8)
        for e in (engine, lean):
            assert e.request(REQUEST_ID).record() == engine.request(REQUEST_ID).record()
        assert lean.request(REQUEST_ID).schedule() == engine.request(REQUEST_ID).schedule()
        assert lean.state() == engine.state()
    with cf.Engine(tmp_path / "store", request_cache_bytes=budget) as reopened:
        assert reopened.request(REQUEST_ID).record() == engine.request(REQUEST_ID).record()
        assert reopened.state() == engine.state()
    with pytest.raises(ValueError):
        cf.Engine(request_cache_bytes=-1)


def test_a_snapshot_leaves_the_next_open_the_records_after_it(tmp_path):
    """write_snapshot(), and the snapshots written in the background every
    snapshot_every_records records: an open replays only what came after,
    to the same state."""
    store = tmp_path / "store"

    def reopened():
        totals = []
        with cf.Engine(store, progress=lambda done, total: totals.append(total)) as e:
            return (totals[-1] if totals else 0), e.state()

    with cf.Engine(store, durability="none", snapshot_every_records=0) as e:
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(e, 8)
        e.write_snapshot()
        e.write_snapshot()  # nothing new: nothing written
        for day in range(1, 6):
            e.update_directory(DIRECTORY, at=at(9, day, 9))
        state = e.state()
    assert reopened() == (5, state)

    with cf.Engine(store, durability="none", snapshot_every_records=4) as e:
        for day in range(1, 31):
            e.update_directory(DIRECTORY, at=at(10, day, 9))
        state = e.state()
    replayed, reopened_state = reopened()
    assert replayed < 4  # without the background snapshots: 30
    assert reopened_state == state
    with pytest.raises(ValueError):
        cf.Engine(snapshot_every_records=-1)


def test_execute_takes_a_command_and_execute_json_a_dict(engine):
    drive(engine, 1)
    cmd = cf.Command(actor_id=INITIATOR, request_id=REQUEST_ID, time=at(8, 31, 10),
                     submit_request=cf.SubmitRequest())
    assert cmd.kind == "submit_request"
    result = engine.execute(cmd)
    assert isinstance(result, cf.CommandResult)
    assert result.event_kinds == ["request_submitted"]
    with pytest.raises(cf.FailedPrecondition):
        engine.execute_json(cmd.to_json())  # already submitted
    answer = {"actor_id": "p-chen", "request_id": REQUEST_ID, "time": "2026-08-31T07:00:00Z",
              "respond": {"response": {"receiver_id": "market", "timing_accepted": True,
                                       "decision": "DECISION_ACCEPT"}}}
    assert engine.execute_json(answer)["event_kinds"] == ["response_recorded"]
    # Each path takes its own kind of command, and says which path fits.
    with pytest.raises(TypeError, match="execute_json"):
        engine.execute(answer)
    with pytest.raises(TypeError, match="Engine.execute"):
        engine.execute_json(cmd)


def test_refusals_raise_typed_errors_and_change_nothing(engine):
    req = drive(engine, 2)
    before = engine.state()
    with pytest.raises(cf.PermissionDenied) as info:
        req.respond(OUTSIDER, accept("market", "x"), at=at(9, 1, 9))
    assert info.value.code == -7 and "p-ma" in info.value.message
    with pytest.raises(cf.FailedPrecondition) as info:
        req.publish_plan(OWNER, PLAN, at=at(9, 1, 9))
    assert "SUBMITTED" in info.value.message
    with pytest.raises(cf.NotFound):
        engine.request("nope").view()
    with pytest.raises(cf.AlreadyExists):
        engine.create_request(INITIATOR, REQUEST, at=at(9, 1, 9))
    with pytest.raises(cf.InvalidArgument):
        engine.execute_json({"actor_id": INITIATOR, "request_id": REQUEST_ID, "no_such": 1})
    assert engine.state() == before


def test_tick_reminds_once_and_must_do_lists_what_is_owed(engine):
    drive(engine, 2)
    todo = engine.must_do(SALES_DATA, at(9, 1, 12))
    assert todo.person_id == SALES_DATA
    item = todo.items[0]
    assert item.due.key == "response/sales/v1" and item.due.kind is cf.DueKind.RESPONSE
    assert item.overdue is True and item.topic == "Q3新品上市营销方案执行"
    # One working day after submission (Mon 8-31 10:00) is Tue 9-01 10:00.
    assert item.due.due_at == at(9, 1, 10)
    assert engine.tick(at(9, 1, 12)) == 2
    assert engine.tick(at(9, 1, 12)) == 0
    overdue = engine.overdue(at(9, 1, 12))
    assert sorted(d.subject_id for d in overdue) == ["market", "sales"]
    reminders = [n for n in engine.notifications()
                 if n.kind is cf.NotificationKind.REMINDER]
    assert len(reminders) == 2 and reminders[0].due_key.startswith("response/")


def test_outbox_acknowledge_and_resume(engine):
    drive(engine, 8)
    first = list(engine.notifications())
    # A record may call for several notifications: the cursor is its position.
    later = [n for n in first if n.position > first[2].position]
    engine.acknowledge(first[2])  # a Notification, or a position
    assert next(engine.notifications()).position == later[0].position
    assert next(engine.notifications(after=later[0].position)).position > later[0].position
    with pytest.raises(cf.OutOfRange):
        engine.acknowledge(10**9)


def test_catch_up_on_a_store_one_engine_writes(engine):
    result = engine.update_directory(DIRECTORY, at=at(8, 28, 9))
    engine.catch_up()
    engine.catch_up(result.position)
    with pytest.raises(cf.OutOfRange):
        engine.catch_up(result.position + 1)


def test_deliver_acknowledges_only_what_the_body_finished(engine):
    drive(engine, 8)
    notes = list(engine.notifications())
    sent = []
    with pytest.raises(RuntimeError):
        for note in engine.deliver():
            if len(sent) == 3:
                raise RuntimeError("the chat gateway is down")
            sent.append(note)
    assert [n.id for n in sent] == [1, 2, 3]
    # Acknowledged: the records wholly delivered, not the one the 4th is in.
    done = [n.position for n in notes[:3] if n.position != notes[3].position]
    assert engine.state().acknowledged_position == (done[-1] if done else 0)
    rest = [n.id for n in notes if n.position > engine.state().acknowledged_position]
    assert [n.id for n in engine.deliver()] == rest
    assert engine.state().acknowledged_position == notes[-1].position
    assert list(engine.deliver()) == []


def test_paging_sees_every_item_once(engine):
    drive(engine, 8)
    with pytest.raises(ValueError, match="page_size"):
        list(engine.notifications(page_size=0))
    assert [n.id for n in engine.notifications(page_size=1)] == \
        [n.id for n in engine.notifications()]
    assert [e.position for e in engine.history(page_size=2)] == \
        [e.position for e in engine.history()]
    assert len(list(engine.history(page_size=2))) == len(list(engine.history()))


def test_durable_store_reopens_to_the_same_state(tmp_path):
    store = tmp_path / "store"
    with cf.Engine(store, durability="none") as e:
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(e, 8)
        state = e.state()
    with cf.Engine(str(store), durability=cf.Durability.GROUP_COMMIT) as e:
        assert e.state() == state
        assert [ev.position for ev in e.history()][:3] == [1, 2, 3]
        assert e.request(REQUEST_ID).schedule().critical_path == ["T1", "T2", "T3"]


def test_second_handle_on_a_store_is_refused(tmp_path):
    with cf.Engine(tmp_path / "store"):
        with pytest.raises(cf.FailedPrecondition) as info:
            cf.Engine(tmp_path / "store")
        assert not isinstance(info.value, cf.ObjectClosed)


def test_bad_durability_is_refused():
    with pytest.raises(ValueError):
        cf.Engine(durability="sometimes")


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(ValueError, match="timezone-aware"):
        engine.tick(dt.datetime(2026, 9, 1, 12))
    with pytest.raises(ValueError, match="timezone-aware"):
        engine.request(REQUEST_ID).submit(INITIATOR, at=dt.datetime(2026, 9, 1, 12))
    with pytest.raises(TypeError):
        engine.must_do(SALES_DATA, dt.date(2026, 9, 1))


def test_tracking_commands_reach_the_engine_well_formed(engine):
    """Steps 3-4 helpers build commands the library parses: each is accepted,
    or refused for a domain reason, never as malformed JSON."""
    req = drive(engine, 8)
    calls = [
        lambda: req.start_task(SALES_DATA, "T1", at=at(9, 3, 9)),
        lambda: req.report_progress(SALES_DATA, cf.ProgressReport(
            task_id="T1", percent_complete=50, work_done="整理华东区客户数据"), at=at(9, 3, 18)),
        lambda: req.raise_risk(SALES_DATA, cf.Risk(task_id="T1", type=cf.RiskType.DELAY,
                                                   severity=cf.Severity.HIGH,
                                                   description="数据源延迟"), at=at(9, 3, 19)),
        lambda: req.respond_to_risk(OWNER, "R1", "协调IT支持", at=at(9, 3, 20)),
        lambda: req.resolve_risk(OWNER, "R1", "已解决", at=at(9, 3, 21)),
        lambda: req.request_resource(SALES_DATA, cf.ResourceRequest(
            task_id="T1", kind=cf.ResourceKind.PEOPLE, description="数据分析师", quantity=1,
            needed_by=dt.date(2026, 9, 4)), at=at(9, 3, 21)),
        lambda: req.decide_resource(OWNER, "RR1", "GRANTED", reason="同意", at=at(9, 3, 22)),
        lambda: req.revise_plan(OWNER, [cf.PlanChange(update_task=cf.TaskUpdate(
            task_id="T3", duration_days=4))], reason="延期一天", at=at(9, 3, 22)),
        lambda: req.record_minutes(OWNER, cf.Minutes(title="方案评审会",
                                                     attendee_ids=[OWNER, SALES_HEAD],
                                                     decisions=["推迟定稿"]), at=at(9, 3, 23)),
        lambda: req.record_channel(OWNER, cf.ChannelLink(
            channel=cf.Channel.COLLABORATION_PLATFORM, uri="https://docs.example/q3"),
            at=at(9, 3, 23)),
    ]
    for call in calls:
        try:
            assert isinstance(call(), cf.CommandResult)
        except cf.InvalidArgument as e:
            # A domain refusal names a field; a malformed command says
            # "invalid collabflow.v1.Command JSON".
            assert "JSON" not in e.message, e.message
        except cf.Error:  # a domain refusal (or not implemented yet)
            pass


def test_step_five_from_python_review_rework_accept_archive():
    """The typed step-5 methods: a failed review, rework, acceptance, archive."""
    from seed import MARKET_DELEGATE, SALES_DATA
    doc = cf.Deliverable(title="区域客户数据表", uri="https://docs.example.com/d.xlsx",
                         sha256="ab" * 32, size_bytes=10)
    with cf.Engine() as e:
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(e, 8)
        req = e.request(REQUEST_ID)
        req.start_task(SALES_DATA, "T1", at=at(9, 3, 9))
        req.submit_deliverables(SALES_DATA, "T1", [doc], at=at(9, 4, 10))
        req.review(OWNER, "T1", passed=False, rectification=["补充华北区域数据"], at=at(9, 4, 11))
        assert req.record().executions[0].state.name == "REWORK"
        req.submit_deliverables(SALES_DATA, "T1", [doc], at=at(9, 4, 16))
        req.review(OWNER, "T1", passed=True, at=at(9, 4, 17))
        for task, start, end in (("T2", 7, 9), ("T3", 10, 14)):
            req.start_task(MARKET_DELEGATE, task, at=at(9, start, 9))
            req.submit_deliverables(MARKET_DELEGATE, task, [doc], at=at(9, end, 10))
            items = ["包含推广渠道", "包含预算分配", "包含执行步骤"] if task == "T2" else []
            req.review(OWNER, task, passed=True, items_met=items, at=at(9, end, 11))
        req.submit_final(OWNER, [doc], note="定稿", at=at(9, 15, 10))
        with pytest.raises(cf.PermissionDenied):
            req.review_final(OWNER, passed=True, at=at(9, 15, 11))
        req.review_final(INITIATOR, passed=True, comment="通过", at=at(9, 15, 14))
        req.archive(OWNER, at=at(9, 16, 10))
        assert req.state.name == "ARCHIVED"
        table = cf.records.process_record(e, REQUEST_ID)
        assert [s.met.name for s in table.steps][:2] == ["YES", "YES"]
        assert "<svg" in cf.records.report(e, REQUEST_ID, format="svg", now=at(9, 16, 12))
        assert len(cf.records.export_archive(e, REQUEST_ID)) > 1000
        with pytest.raises(cf.FailedPrecondition):
            req.start_task(MARKET_DELEGATE, "T3", at=at(9, 16, 11))


def test_commands_dated_back_beyond_the_clock_tolerance_are_refused():
    with cf.Engine(clock_tolerance=dt.timedelta(minutes=1)) as engine:
        engine.update_directory(DIRECTORY)
        req = drive(engine, 2)  # submitted at 8-31 10:00
        with pytest.raises(cf.InvalidArgument) as info:
            req.respond(MARKET_DELEGATE, accept("market", "x"), at=at(8, 31, 9, 58))
        assert "2026-08-31 09:58:00 +08:00" in info.value.message
        assert "2026-08-31 10:00:00 +08:00" in info.value.message
        req.respond(MARKET_DELEGATE, accept("market", "x"), at=at(8, 31, 9, 59) + dt.timedelta(seconds=30))
    with pytest.raises(ValueError):
        cf.Engine(clock_tolerance=dt.timedelta(seconds=-1))
