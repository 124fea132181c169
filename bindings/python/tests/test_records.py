"""Records from Python: history verification, the process record table, the
archive bundle (and tampering refused), and reports with their SVG parsed by
xml.etree. (Their command line is cli.py's: test_cli.py.)"""
import xml.etree.ElementTree as ET

import pytest

import collabflow
from collabflow import records
from seed import DIRECTORY, REQUEST_ID, at, drive

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def engine():
    with collabflow.Engine() as e:
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(e, 8)
        yield e


def test_history_verifies_and_events_carry_hashes(engine):
    records.verify_history(engine)
    events = list(engine.history())
    assert events and all(len(ev.hash) == 32 for ev in events)


def test_process_record_has_five_steps_with_step_one_met(engine):
    table = records.process_record(engine, REQUEST_ID)
    assert isinstance(table, collabflow.ProcessRecordTable)
    assert [s.step for s in table.steps] == [1, 2, 3, 4, 5]
    assert table.steps[0].name == "需求发起与确认"
    assert table.steps[0].met is collabflow.ProcessStepRecordMet.YES
    assert table.steps[1].outputs == ["《协作任务拆分清单》(3项任务)"]


def test_archive_round_trips_and_refuses_tampering(engine):
    bundle = records.export_archive(engine, REQUEST_ID)
    read = records.verify_archive(bundle)
    assert isinstance(read, collabflow.ArchiveBundle)
    assert read.request_id == REQUEST_ID
    assert len(read.request_versions) == 2
    assert {m.name for m in read.manifest} >= {"record", "events", "communication_log"}
    topic = "Q3新品上市营销方案执行".encode("utf-8")
    assert topic in bundle
    forged = bundle.replace(topic, "Q4新品上市营销方案执行".encode("utf-8"), 1)
    with pytest.raises(collabflow.DataLoss, match="does not match"):
        records.verify_archive(forged)


def test_reports_render_with_well_formed_svg(engine):
    html = records.report(engine, REQUEST_ID, now=at(9, 8, 15))
    assert html.startswith("<!DOCTYPE html>")
    assert "协作流程记录表" in html and "甘特图" in html
    svg = records.report(engine, REQUEST_ID, format="svg", language="en", now=at(9, 28, 9))
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    classes = [e.get("class") or "" for e in root.iter()]
    assert classes.count("bar critical") == 3
    assert classes.count("holiday") >= 3
    assert classes.count("today") == 1
    md = records.report(engine, REQUEST_ID, format="md", language="en", now=at(9, 8, 15))
    assert "## Process record table" in md
    with pytest.raises(collabflow.NotFound):
        records.report(engine, "REQ-NONE")
    with pytest.raises(ValueError):
        records.report(engine, REQUEST_ID, format="pdf")
