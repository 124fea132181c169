"""Tables fit the width they are given: long cells are cut with "…", wide
(CJK) characters count two columns, colour codes none, and no header is
ever blank."""
import pytest

from collabflow import table as tables
from collabflow.table import display_width, render

ELLIPSIS = "\u2026"


def header_cells(header, rule):
    """The header line cut at the rule's columns (headers are ASCII here)."""
    cells, at = [], 0
    for dashes in rule.split("  "):
        cells.append(header[at:at + len(dashes)])
        at += len(dashes) + 2
    return cells


def test_display_width_counts_wide_as_two_and_colour_as_none():
    assert display_width("市场部") == 6
    assert display_width("ｆｕｌｌ") == 8  # fullwidth forms (F)
    assert display_width("e\u0301") == 1  # a combining accent
    assert display_width("\x1b[31mACCEPT\x1b[0m") == 6


def test_truncate_cuts_with_an_ellipsis_by_columns():
    assert tables.truncate("abcdef", 6) == "abcdef"
    assert tables.truncate("abcdef", 4) == "abc" + ELLIPSIS
    # A wide character never straddles the edge: 4 columns hold 市 and "…".
    assert tables.truncate("市场部", 4) == "市" + ELLIPSIS
    assert display_width(tables.truncate("市场部", 4)) == 3
    # Colour is kept and reset after the cut.
    assert tables.truncate("\x1b[31mhello\x1b[0m", 3) == "\x1b[31mhe" + ELLIPSIS + "\x1b[0m"


@pytest.mark.parametrize("width", [20, 30, 45, 60, 200])
def test_render_fits_the_width(width):
    headers = ["receiver", "decision", "may answer", "due"]
    rows = [["市场部市场部市场部", "\x1b[32mACCEPT\x1b[0m", "p-li, p-chen, p-zhao",
             "2026-09-01 10:00"],
            ["sales", "pending", "p-wu", ""]]
    table = render(headers, rows, width=width)
    natural = max(display_width(line) for line in render(headers, rows).splitlines())
    for line in table.splitlines():
        assert display_width(line) <= max(width, 4 * 3 + 3 * 2), (width, table)
    if width >= natural:
        assert table == render(headers, rows)  # nothing cut when it fits
    else:
        assert ELLIPSIS in table
    for header in header_cells(table.splitlines()[0], table.splitlines()[1]):
        assert header.strip() not in ("", ELLIPSIS)  # a header never blank
    # The columns still line up on screen: each row as wide as the rule.
    rule = display_width(table.splitlines()[1])
    assert all(display_width(l) <= rule for l in table.splitlines())


def test_render_refuses_a_blank_header():
    with pytest.raises(ValueError, match="blank"):
        render(["a", ""], [["1", "2"]])


def test_a_cell_with_a_line_break_stays_on_its_row():
    assert render(["a", "b"], [["x\ny", "z"]]).splitlines()[2] == "x y  z"
