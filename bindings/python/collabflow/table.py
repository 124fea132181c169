"""Aligned text tables for terminals, honest about East Asian widths.

A CJK character takes two terminal columns; ``display_width`` counts them so
columns of Chinese and Latin text line up.
"""
from __future__ import annotations

import unicodedata
from typing import List, Sequence


def display_width(text: str) -> int:
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, align: str = "<") -> str:
    gap = max(0, width - display_width(text))
    return (" " * gap + text) if align == ">" else (text + " " * gap)


def render(headers: Sequence[str], rows: Sequence[Sequence[str]],
           align: Sequence[str] = ()) -> str:
    """Renders rows under headers, each column as wide as its widest cell."""
    cols = len(headers)
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i in range(cols):
            widths[i] = max(widths[i], display_width(str(row[i])))
    aligns = list(align) + ["<"] * (cols - len(align))
    lines: List[str] = []
    lines.append("  ".join(pad(h, widths[i], aligns[i]) for i, h in enumerate(headers)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(pad(str(row[i]), widths[i], aligns[i])
                               for i in range(cols)).rstrip())
    return "\n".join(lines)
