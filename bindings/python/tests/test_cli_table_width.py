"""The tool's tables fit the width: --width, else $COLUMNS, else the
terminal's; and every column of every table has a name."""
import re

import pytest

from collabflow.table import display_width

from cli_support import make_store, run
from test_table_width import ELLIPSIS, header_cells


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("width"))


def test_cli_tables_fit_width_and_columns(store, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    code, wide = run("schedule", store, "REQ-Q3-LAUNCH")
    assert code == 0 and max(display_width(l) for l in wide.splitlines()) > 60
    code, out = run("schedule", store, "REQ-Q3-LAUNCH", "--width", 60)
    table = out.split("\n\n")[0].splitlines()
    assert code == 0 and all(display_width(l) <= 60 for l in table), out
    assert ELLIPSIS in out
    monkeypatch.setenv("COLUMNS", "50")
    code, out = run("record", store, "REQ-Q3-LAUNCH")
    table = [l for l in out.splitlines()[1:] if not l.startswith("  ")]
    assert code == 0 and all(display_width(l) <= 50 for l in table), out
    # --width wins over $COLUMNS.
    code, out = run("status", store, "REQ-Q3-LAUNCH", "--width", 200)
    assert ELLIPSIS not in out


def test_every_cli_table_has_named_columns(store):
    for argv in (["status", store, "REQ-Q3-LAUNCH"], ["schedule", store, "REQ-Q3-LAUNCH"],
                 ["todo", store, "p-li", "--at", "2026-09-01T09:00"],
                 ["record", store, "REQ-Q3-LAUNCH"], ["outbox", store], ["list", store]):
        code, out = run(*argv, "--width", 30)
        assert code == 0, (argv, out)
        lines = out.splitlines()
        for i, line in enumerate(lines):
            if i + 1 < len(lines) and re.fullmatch(r"-+(  -+)*", lines[i + 1]):
                assert all(c.strip() for c in header_cells(line, lines[i + 1])), (argv, line)
