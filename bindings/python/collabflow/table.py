"""Aligned text tables for terminals, honest about what takes a column.

A CJK character takes two terminal columns (East Asian width W or F), a
combining mark none, and an ANSI colour code none; ``display_width`` counts
so, so columns of Chinese, Latin and coloured text line up. Given a width,
``render`` fits the table into it: the widest columns give up columns first
and a cell that no longer fits ends in an ellipsis "…" (one column).
"""
from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Sequence

ELLIPSIS = "\u2026"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_GAP = 2  # columns between two columns
# The fewest columns a column keeps when it gives up room for the others
# (fewer only if it never needed more): a header's first letter, wide or
# not, and the ellipsis, so no header ever shows blank.
_NARROWEST = 3


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal (colour codes take none)."""
    return sum(_char_width(ch) for ch in _ANSI.sub("", text))


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, ending in "…" when cut.
    Colour codes are kept (and reset after a cut); a wide character that
    would straddle the edge is left out whole."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    room, used, parts, coloured = width - 1, 0, [], False
    pos = 0
    while pos < len(text):
        m = _ANSI.match(text, pos)
        if m:
            parts.append(m.group())
            coloured = True
            pos = m.end()
            continue
        w = _char_width(text[pos])
        if used + w > room:
            break
        parts.append(text[pos])
        used += w
        pos += 1
    return "".join(parts) + ELLIPSIS + ("\x1b[0m" if coloured else "")


def pad(text: str, width: int, align: str = "<") -> str:
    gap = max(0, width - display_width(text))
    return (" " * gap + text) if align == ">" else (text + " " * gap)


def _fit(natural: List[int], width: int) -> List[int]:
    """Column widths that fit ``width`` if they can: the column with the
    most to give gives up one column at a time, none below _NARROWEST."""
    widths = list(natural)
    floors = [min(n, _NARROWEST) for n in natural]
    excess = sum(widths) + _GAP * (len(widths) - 1) - width
    while excess > 0:
        i = max(range(len(widths)), key=lambda k: (widths[k] - floors[k], widths[k]))
        if widths[i] <= floors[i]:
            break  # as narrow as it goes: the terminal wraps the rest
        widths[i] -= 1
        excess -= 1
    return widths


def _cell(value: object) -> str:
    # A line break inside a cell would break the row in two.
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def render(headers: Sequence[str], rows: Sequence[Sequence[object]],
           align: Sequence[str] = (), width: Optional[int] = None) -> str:
    """Renders rows under headers, each column as wide as its widest cell;
    with ``width``, the table fits in that many columns (cells cut with
    "…"). Headers must not be blank: a column says what it holds."""
    if any(not h.strip() for h in headers):
        raise ValueError("a table header is blank: %r" % (list(headers),))
    cols = len(headers)
    cells = [[_cell(row[i]) for i in range(cols)] for row in rows]
    natural = [display_width(h) for h in headers]
    for row in cells:
        for i in range(cols):
            natural[i] = max(natural[i], display_width(row[i]))
    widths = natural if width is None else _fit(natural, width)
    aligns = list(align) + ["<"] * (cols - len(align))

    def line(values: Sequence[str]) -> str:
        return "  ".join(pad(truncate(v, widths[i]), widths[i], aligns[i])
                         for i, v in enumerate(values)).rstrip()

    lines: List[str] = [line(headers), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in cells]
    return "\n".join(lines)
