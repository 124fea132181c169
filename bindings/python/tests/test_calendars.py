"""WorkCalendar: the C ABI's calendar operations from Python, on the seed's
2026 dates (Sunday 9-20 a make-up working day, 9-25..27 Mid-Autumn)."""
import datetime as dt

import pytest

import collabflow
from collabflow import WorkCalendar
from seed import SHANGHAI


@pytest.fixture
def cn():
    with WorkCalendar.china_mainland() as cal:
        yield cal


def test_knows_the_2026_holidays_and_make_up_days(cn):
    assert cn.is_working_day(dt.date(2026, 9, 20))
    assert not cn.is_working_day(dt.date(2026, 9, 25))
    assert cn.add_working_days(dt.date(2026, 9, 24), 1) == dt.date(2026, 9, 28)
    assert cn.add_working_days(dt.date(2026, 9, 28), -1) == dt.date(2026, 9, 24)
    assert cn.working_days_between(dt.date(2026, 9, 18), dt.date(2026, 9, 25)) == 6


def test_deadline_and_working_time(cn):
    filed = dt.datetime(2026, 9, 25, 10, tzinfo=SHANGHAI)  # during the holiday
    due = cn.deadline_within(filed, 1)
    assert due == dt.datetime(2026, 9, 28, 18, tzinfo=SHANGHAI)
    assert due.tzinfo is not None
    monday = dt.datetime(2026, 9, 28, 9, tzinfo=SHANGHAI)
    assert cn.working_time_between(monday, monday + dt.timedelta(hours=9)) == dt.timedelta(hours=8)
    assert cn.working_time_between(filed, monday) == dt.timedelta(0)


def test_text_round_trip_and_bytes():
    text = ('name: "acme" time_zone: "UTC" working_weekdays: [WEEKDAY_MONDAY] '
            'exceptions { date { year: 2026 month: 9 day: 7 } kind: DAY_KIND_STATUTORY_HOLIDAY '
            'name: "公司日" }')
    with WorkCalendar.from_text(text) as cal:
        assert cal.is_working_day(dt.date(2026, 8, 31))
        assert not cal.is_working_day(dt.date(2026, 9, 7))
        assert not cal.is_working_day(dt.date(2026, 9, 1))
        again = WorkCalendar.from_text(cal.to_text())
        assert "公司日" in again.to_text()
        assert not again.is_working_day(dt.date(2026, 9, 7))
        again.close()
    with WorkCalendar.from_bytes(b"") as default:
        assert default.is_working_day(dt.date(2026, 9, 1))


def test_engine_calendar_is_the_mainland_one(engine):
    cal = engine.calendar()
    assert cal.is_working_day(dt.date(2026, 9, 20))
    cal.close()


def test_refusals_are_typed():
    with pytest.raises(collabflow.InvalidArgument, match="line"):
        WorkCalendar.from_text("name: ")
    with pytest.raises(collabflow.InvalidArgument):
        WorkCalendar.from_bytes(b"\xff\xff\xff")
    cal = WorkCalendar.china_mainland()
    with pytest.raises(collabflow.InvalidArgument, match="from: year 1969"):
        cal.working_days_between(dt.date(1969, 12, 31), dt.date(2026, 1, 1))
    with pytest.raises(TypeError):
        cal.is_working_day(dt.datetime(2026, 9, 1, 9))
    with pytest.raises(ValueError):
        cal.deadline_within(dt.datetime(2026, 9, 1, 9), 1)  # naive: refused
    cal.close()
    with pytest.raises(collabflow.ObjectClosed):
        cal.is_working_day(dt.date(2026, 9, 1))
