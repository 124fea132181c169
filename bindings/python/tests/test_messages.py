"""The generated dataclasses and the JSON codec: dates and times, enums,
64-bit integers, oneofs, unknown fields, schedule rows; the generated module
is current."""
import datetime as dt
import importlib.util
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import collabflow as cf
from collabflow import _codec
from seed import PLAN, REQUEST, SHANGHAI, at, drive

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def test_dates_times_enums_and_int64_in_json_form():
    r = cf.ResourceNeed(id="planners", kind=cf.ResourceKind.PEOPLE, quantity=2**40,
                        provider=cf.PartyRef.department("d-market"))
    assert r.to_json() == {"id": "planners", "kind": "RESOURCE_KIND_PEOPLE",
                           "quantity": str(2**40), "provider": {"department_id": "d-market"}}
    assert cf.ResourceNeed.from_json(r.to_json()) == r
    m = cf.Milestone(id="final", date=dt.date(2026, 9, 20))
    assert m.to_json()["date"] == {"year": 2026, "month": 9, "day": 20}
    k = cf.KickoffMeeting(time=dt.datetime(2026, 9, 1, 9, 30, 0, 250000, tzinfo=SHANGHAI))
    assert k.to_json() == {"time": "2026-09-01T01:30:00.250Z"}
    back = cf.KickoffMeeting.from_json(k.to_json()).time
    assert back == k.time and back.tzinfo is not None and back.utcoffset() == dt.timedelta(0)


def test_timestamps_parse_every_rfc3339_form():
    p = _codec.parse_timestamp
    assert p("2026-09-01T01:30:00Z") == at(9, 1, 9, 30)
    assert p("2026-09-01T09:30:00+08:00") == at(9, 1, 9, 30)
    assert p("2026-09-01T01:30:00.123456789Z").microsecond == 123456
    with pytest.raises(ValueError):
        p("2026-09-01 09:30")


def test_naive_datetimes_and_wrong_types_are_refused_naming_the_field():
    with pytest.raises(ValueError, match="KickoffMeeting.time"):
        cf.KickoffMeeting(time=dt.datetime(2026, 9, 1, 9)).to_json()
    with pytest.raises(TypeError, match="Milestone.date"):
        cf.Milestone(date=at(9, 1)).to_json()  # a datetime where a date belongs
    with pytest.raises(TypeError, match="Milestone.name"):
        cf.Milestone(name=3).to_json()


def test_enums_parse_from_members_numbers_and_names():
    assert cf.Priority.parse("PRIORITY_HIGH") is cf.Priority.HIGH
    assert cf.Priority.parse("HIGH") is cf.Priority.HIGH
    assert cf.Priority.parse(3) is cf.Priority.HIGH
    assert cf.Priority.HIGH.proto_name == "PRIORITY_HIGH"
    assert cf.Cadence.Kind.WEEKLY.proto_name == "KIND_WEEKLY"
    assert cf.Priority.parse(99) == 99  # a newer library's value stays an int
    with pytest.raises(ValueError, match="Priority"):
        cf.Priority.parse("SOMETIMES")
    assert cf.Task(priority="URGENT").to_json() == {"priority": "PRIORITY_URGENT"}
    assert str(cf.Priority.HIGH) == "%s" % cf.Priority.HIGH == f"{cf.Priority.HIGH}" == "HIGH"
    assert cf.Priority.HIGH == 3 and cf.Priority.HIGH > cf.Priority.NORMAL


def test_oneofs_report_which_field_is_set():
    assert cf.ServedItem(goal=True).which("item") == "goal"
    assert cf.ServedItem(milestone_id="").which("item") == "milestone_id"  # set, though empty
    assert cf.ServedItem(milestone_id="").to_json() == {"milestone_id": ""}
    assert cf.ServedItem().which("item") is None
    with pytest.raises(KeyError):
        cf.ServedItem().which("nope")
    cmd = cf.Command(submit_request=cf.SubmitRequest())
    assert cmd.kind == "submit_request" and cmd.to_json() == {"submit_request": {}}


def test_proto3_optional_fields_keep_an_explicit_zero():
    # TaskUpdate changes only the fields set: duration 0 is a change, None is not.
    assert cf.TaskUpdate(task_id="T3", duration_days=0).to_json() == {
        "task_id": "T3", "duration_days": 0}
    assert cf.TaskUpdate(task_id="T3").to_json() == {"task_id": "T3"}
    assert cf.TaskUpdate.from_json({"task_id": "T3", "duration_days": 0}).duration_days == 0
    assert cf.TaskTransition.from_json({"from": "TASK_STATE_READY"}).from_ is cf.TaskState.READY


def test_unknown_json_fields_are_ignored_for_forward_compatibility():
    m = cf.Milestone.from_json({"id": "x", "added_in_v2": {"a": 1}})
    assert m == cf.Milestone(id="x")


def test_nested_dicts_are_accepted_inside_dataclasses():
    t = cf.Task(id="T1", assignee={"person_id": "p-li"})
    assert t.to_json()["assignee"] == {"person_id": "p-li"}


def test_seed_inputs_serialize_to_the_documented_json():
    j = REQUEST.to_json()
    assert j["priority"] == "PRIORITY_HIGH" and j["receivers"][1] == {
        "id": "sales", "department_id": "d-sales"}
    t2 = PLAN.to_json()["tasks"][1]
    assert t2["predecessors"] == [{"predecessor_id": "T1"}]
    assert t2["serves"] == [{"milestone_id": "first-draft"}, {"resource_id": "planners"}]


def test_builders_refuse_ambiguous_assignees():
    with pytest.raises(ValueError, match="exactly one"):
        cf.builders.task("T", "x", days=1)
    with pytest.raises(ValueError, match="exactly one"):
        cf.builders.task("T", "x", person="p", department="d", days=1)
    dep = cf.builders.after("T1", type="START_TO_START", lag_days=-1)
    assert dep.to_json() == {"predecessor_id": "T1", "type": "DEPENDENCY_TYPE_START_TO_START",
                             "lag_days": -1}


def test_schedule_rows_convert_to_dicts(engine):
    schedule = drive(engine, 8).schedule()
    assert len(schedule) == 3 and schedule.row("T2").name == "营销方案初稿撰写"
    rows = schedule.to_dicts()
    assert rows[0] == {
        "task_id": "T1", "name": "客户数据收集与分析", "assignee": "d-sales",
        "assignee_kind": "department", "duration_days": 2,
        "early_start": dt.date(2026, 9, 3), "early_finish": dt.date(2026, 9, 4),
        "late_start": dt.date(2026, 9, 3), "late_finish": dt.date(2026, 9, 4),
        "total_float_days": 0, "free_float_days": 0, "critical": True,
        "driving_predecessor_id": "", "driving_chain": ["T1"]}
    with pytest.raises(KeyError):
        schedule.row("T9")


def test_to_dataframe_uses_pandas_only_when_present(engine, monkeypatch):
    schedule = drive(engine, 8).schedule()
    if importlib.util.find_spec("pandas") is None:
        with pytest.raises(ImportError, match="pandas"):
            schedule.to_dataframe()
    # A stand-in pandas shows what the method hands over.
    fake = types.ModuleType("pandas")

    class Frame:
        def __init__(self, rows):
            self.rows, self.index = rows, None

        def __len__(self):
            return len(self.rows)

        def set_index(self, column):
            self.index = [r[column] for r in self.rows]
            return self

    fake.DataFrame = Frame
    monkeypatch.setitem(sys.modules, "pandas", fake)
    frame = schedule.to_dataframe()
    assert frame.rows == schedule.to_dicts() and frame.index == ["T1", "T2", "T3"]


def test_every_message_round_trips_its_default_and_has_a_proto_name():
    for name in cf.messages.__all__:
        cls = getattr(cf.messages, name)
        if isinstance(cls, type) and issubclass(cls, cf.Message):
            assert cls._proto_name.startswith("collabflow.v1.")
            assert cls.from_json(cls().to_json()) == cls()


@pytest.mark.skipif(shutil.which("protoc") is None or
                    importlib.util.find_spec("google.protobuf") is None,
                    reason="needs protoc and python3-protobuf")
def test_generated_messages_match_the_protos():
    proc = subprocess.run([sys.executable, str(TOOLS / "gen_messages.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
