"""The progress bar: one line redrawn with carriage returns, erased when the
work ends, never glued onto what is printed next, on a terminal's stderr
only, and counting bytes when it reads a file."""
import io
import json

from collabflow import cli

from cli_support import EXAMPLE, run


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def screen(text):
    """What a terminal shows for `text`: each line as the carriage returns
    left it (a later write overwrites from the start of the line)."""
    lines = []
    for raw in text.split("\n"):
        shown = ""
        for part in raw.split("\r"):
            shown = part + shown[len(part):]
        lines.append(shown.rstrip())
    return lines


def test_draws_on_one_line_and_erases_itself():
    tty = FakeTerminal()
    bar = cli.Progress(200, "working", stream=tty)
    for _ in range(200):
        bar.step()
    assert "\n" not in tty.getvalue() and tty.getvalue().count("\r") > 50
    assert screen(tty.getvalue()) == ["working [##############################] 200/200"]
    bar.close()
    assert screen(tty.getvalue()) == [""]  # erased: the line is blank again
    assert tty.getvalue().endswith("\r")  # and the cursor at its start


def test_the_next_output_starts_on_a_clean_line():
    tty = FakeTerminal()
    bar = cli.Progress(100, "replaying", stream=tty)
    for _ in range(40):
        bar.step()
    bar.close()
    tty.write("result\n")
    assert screen(tty.getvalue()) == ["result", ""]


def test_apply_never_glues_its_lines_onto_the_bar(tmp_path, monkeypatch):
    """stdout and stderr on one terminal, as an operator sees them."""
    monkeypatch.setenv("NO_COLOR", "1")
    tty = FakeTerminal()
    monkeypatch.setattr("sys.stderr", tty)
    assert run("init", tmp_path / "s", "--directory", EXAMPLE / "directory.json")[0] == 0
    code = cli.main(["apply", str(tmp_path / "s"), str(EXAMPLE / "scenario.jsonl")], out=tty)
    assert code == 0
    shown = screen(tty.getvalue())
    assert "[#" in tty.getvalue()  # the bar was drawn (30+ steps)
    body = [l for l in shown if l]
    assert body and all(l.startswith("ok ") for l in body), [l for l in body
                                                             if not l.startswith("ok ")]


def test_silent_in_a_pipe():
    pipe = io.StringIO()
    bar = cli.Progress(1000, "working", stream=pipe)
    for _ in range(1000):
        bar.step()
    bar(500, 1000)
    bar.close()
    assert pipe.getvalue() == ""


def test_a_file_is_read_with_a_bar_over_its_bytes(tmp_path, monkeypatch):
    """One huge item still shows progress: the bar counts bytes, not items."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"tasks": [{"id": "T", "name": "x" * 300000}]}), encoding="utf-8")
    tty = FakeTerminal()
    monkeypatch.setattr("sys.stderr", tty)
    assert cli._read_with_progress(str(path), "reading", chunk=1 << 14) == path.read_bytes()
    drawn = tty.getvalue()
    assert drawn.count("\r") > 10 and "KiB/293.0 KiB" in drawn
    assert screen(drawn) == [""]
