"""The engine from Python: the seed scenario, typed errors, lifetimes, threads."""
import threading

import pytest

import collabflow
from seed import (DIRECTORY, INITIATOR, OUTSIDER, OWNER, PLAN, REQUEST, REQUEST_ID, SALES_DATA,
                  accept, at, drive)


@pytest.fixture
def engine():
    with collabflow.Engine() as e:
        e.update_directory(DIRECTORY, time=at(8, 28, 9))
        yield e


def test_negotiation_round_moves_states(engine):
    drive(engine, 4)
    assert engine.get_request(REQUEST_ID)["record"]["state"] == "REQUEST_STATE_NEGOTIATING"
    drive_from_five(engine)
    assert engine.get_request(REQUEST_ID)["record"]["state"] == "REQUEST_STATE_CONFIRMED"


def drive_from_five(engine):
    from seed import REVISED, SALES_HEAD
    engine.revise_request(INITIATOR, REVISED, "客户数据提前至9月4日", time=at(9, 1, 11))
    engine.respond(OWNER, REQUEST_ID, accept("market", "方案策划"), time=at(9, 1, 14))
    engine.respond(SALES_HEAD, REQUEST_ID, accept("sales", "客户画像分析"), time=at(9, 1, 16))


def test_full_scenario_and_chinese_text_round_trip():
    with collabflow.Engine() as e:
        e.update_directory(DIRECTORY, time=at(8, 28, 9))
        drive(e, 8)
        view = e.get_request(REQUEST_ID)
        assert view["record"]["state"] == "REQUEST_STATE_PLANNED"
        assert view["record"]["request"]["topic"] == "Q3新品上市营销方案执行"
        assert view["record"]["request"]["version"] == 2
        assert [t["name"] for t in view["record"]["plan"]["tasks"]][0] == "客户数据收集与分析"
        notes = list(e.outbox())
        assert [n["id"] for n in notes] == [str(i) for i in range(1, len(notes) + 1)]
        mine = [n for n in notes if n["kind"] == "NOTIFICATION_KIND_PLAN_PUBLISHED"
                and n["recipient_ids"] == [SALES_DATA]]
        assert mine and mine[0]["task_ids"] == ["T1"]


def test_refusals_raise_typed_errors_and_change_nothing(engine):
    drive(engine, 2)
    before = engine.state()
    with pytest.raises(collabflow.PermissionDenied) as info:
        engine.respond(OUTSIDER, REQUEST_ID, accept("market", "x"), time=at(9, 1, 9))
    assert info.value.code == -7 and "p-ma" in str(info.value)
    with pytest.raises(collabflow.FailedPrecondition) as info:
        engine.publish_plan(OWNER, REQUEST_ID, PLAN, time=at(9, 1, 9))
    assert "SUBMITTED" in str(info.value)
    with pytest.raises(collabflow.NotFound):
        engine.get_request("nope")
    with pytest.raises(collabflow.AlreadyExists):
        engine.create_request(INITIATOR, REQUEST, time=at(9, 1, 9))
    with pytest.raises(collabflow.InvalidArgument):
        engine.execute({"actor_id": INITIATOR, "request_id": REQUEST_ID, "no_such": 1})
    assert engine.state() == before


def test_tick_reminds_once_and_must_do_lists_what_is_owed(engine):
    drive(engine, 2)
    todo = engine.must_do(SALES_DATA, at(9, 1, 12))
    assert todo["items"][0]["due"]["key"] == "response/sales/v1"
    assert todo["items"][0]["overdue"] is True
    assert engine.tick(at(9, 1, 12)) == 2
    assert engine.tick(at(9, 1, 12)) == 0
    assert len(engine.overdue(at(9, 1, 12))["items"]) == 2


def test_outbox_acknowledge_and_resume(engine):
    drive(engine, 8)
    first = list(engine.outbox())
    engine.acknowledge(int(first[2]["id"]))
    assert next(engine.outbox())["id"] == first[3]["id"]
    with pytest.raises(collabflow.OutOfRange):
        engine.acknowledge(10**9)


def test_durable_store_reopens_to_the_same_state(tmp_path):
    with collabflow.Engine(str(tmp_path / "store"), durability="none") as e:
        e.update_directory(DIRECTORY, time=at(8, 28, 9))
        drive(e, 8)
        state = e.state()
    with collabflow.Engine(str(tmp_path / "store")) as e:
        assert e.state() == state
        assert [ev["sequence"] for ev in e.events()][:3] == ["1", "2", "3"]


def test_second_handle_on_a_store_is_refused(tmp_path):
    with collabflow.Engine(str(tmp_path / "store")):
        with pytest.raises(collabflow.FailedPrecondition):
            collabflow.Engine(str(tmp_path / "store"))


def test_use_after_close_raises_instead_of_crashing():
    e = collabflow.Engine()
    e.close()
    e.close()  # idempotent
    assert e.closed
    with pytest.raises(collabflow.FailedPrecondition):
        e.get_request(REQUEST_ID)


def test_naive_datetimes_are_refused(engine):
    import datetime as dt
    with pytest.raises(ValueError):
        engine.tick(dt.datetime(2026, 9, 1, 12))


def test_many_threads_share_one_engine(engine):
    drive(engine, 1)
    errors = []

    def reader():
        try:
            for _ in range(200):
                assert engine.get_request(REQUEST_ID)["record"]["request"]["id"] == REQUEST_ID
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(50):
        r = dict(REQUEST, id="R-%d" % i)
        engine.create_request(INITIATOR, r, time=at(9, 1, 9))
    for t in threads:
        t.join()
    assert not errors
    assert len(engine.state()["requests"]) == 51
