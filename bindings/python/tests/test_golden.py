"""The seed scenario (examples/q3-launch: negotiation, plan, tracking with a
blocker, a revision, an escalated resource request and missed reports, a
failed review and rework, acceptance and the archive) read back as golden
files: its process record table (协作流程记录表) and its report, in Chinese
and in English. Any change to what a project manager reads shows up here.

Regenerate after an intended change with COLLABFLOW_UPDATE_GOLDEN=1 and
review the diff of tests/testdata/golden/."""
import os
from pathlib import Path

import pytest

from test_cli import make_store, run

GOLDEN = Path(__file__).resolve().parents[3] / "tests" / "testdata" / "golden"
NOW = "2026-09-30T10:00"  # after the archive: the report's "as of"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("golden"))


def check(name, text):
    path = GOLDEN / name
    if os.environ.get("COLLABFLOW_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), "%s: no golden file (run with COLLABFLOW_UPDATE_GOLDEN=1)" % name
    assert text == path.read_text(encoding="utf-8"), name


def test_the_record_table_reads_as_recorded(store):
    code, out = run("record", store, "REQ-Q3-LAUNCH")
    assert code == 0, out
    check("q3-launch.record.zh.txt", out)
    code, out = run("record", store, "REQ-Q3-LAUNCH", "--json")
    assert code == 0, out
    check("q3-launch.record.zh.json", out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_reads_as_recorded(store, tmp_path, lang):
    out_file = tmp_path / ("report.%s.md" % lang)
    code, out = run("report", store, "REQ-Q3-LAUNCH", "--format", "md", "--lang", lang,
                    "--now", NOW, "--out", out_file)
    assert code == 0, out
    check("q3-launch.report.%s.md" % lang, out_file.read_text(encoding="utf-8"))
