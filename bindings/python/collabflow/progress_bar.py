"""A one-line progress bar for long work, on a terminal's stderr only.

The bar is redrawn in place (a carriage return, never a new line) and
erased when the work ends or before anything else is printed (``clear``),
so it never leaves a line behind nor glues onto the output that follows.
Written to a stream that is not a terminal (a pipe, a file), it writes
nothing at all.

Two sources drive it: counted here (``step``/``advance``: items, or bytes
with ``unit="bytes"``, e.g. a file read chunk by chunk), or the library
while it reads a store's journal (pass the object as
``Engine(progress=...)``). The library reports records read, not bytes
(cflow_progress_fn), so a store of a few huge records shows few steps.
"""
from __future__ import annotations

import sys
from typing import Optional, TextIO

_BAR = 30  # columns of the bar itself


def _size(n: int) -> str:
    """A byte count for people: "512 B", "7.0 KiB", "95.4 MiB"."""
    if n < 1024:
        return "%d B" % n
    size = n / 1024.0
    for unit in ("KiB", "MiB"):
        if size < 1024:
            return "%.1f %s" % (size, unit)
        size /= 1024
    return "%.1f GiB" % size


class Progress:
    """The bar of one piece of work; ``label`` may change between passes
    ("replaying", "verifying", ...). Shown only on a terminal, and only for
    more than 20 steps (short work would only flicker)."""

    def __init__(self, total: int, label: str, stream: Optional[TextIO] = None,
                 unit: str = "") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total, self.label, self.done, self.unit = max(total, 1), label, 0, unit
        self.tty = self.stream.isatty()
        self.on = self.tty and total > 20
        self.drawn = 0  # the columns the bar takes on screen now (0: not shown)
        self._every = max(1, self.total // 100)
        self._next = self._every

    def step(self) -> None:
        self.advance(1)

    def advance(self, n: int) -> None:
        """``n`` more done (items, or bytes with unit="bytes"); redrawn about
        100 times over the whole, and whenever it was cleared meanwhile."""
        self.done += n
        if self.on and (self.done >= self._next or self.done >= self.total or not self.drawn):
            self._next = self.done + self._every
            self._draw()

    def __call__(self, done: int, total: int) -> bool:
        """The engine's progress callback (records read); never asks to stop."""
        self.done, self.total = done, max(total, 1)
        if self.tty and total > 20:
            self._draw()
        return False

    def _text(self) -> str:
        filled = min(_BAR, int(_BAR * self.done / self.total))
        if self.unit == "bytes":
            count = "%s/%s" % (_size(self.done), _size(self.total))
        else:
            count = "%d/%d" % (self.done, self.total)
        return "%s [%s%s] %s" % (self.label, "#" * filled, "." * (_BAR - filled), count)

    def _draw(self) -> None:
        text = self._text()
        # Spaces over what a longer previous text left on the line.
        self.stream.write("\r" + text + " " * max(0, self.drawn - len(text)))
        self.stream.flush()
        self.drawn = len(text)

    def clear(self) -> None:
        """Erases the bar (the cursor back at the start of its line), e.g.
        before printing a result; the next step draws it again."""
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
        self.drawn = 0

    def close(self) -> None:
        """The work is over: the bar is erased."""
        self.clear()
