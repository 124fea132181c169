"""Helpers of the CLI tests: run the tool in-process or as a program, and
stores of the seed example."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from collabflow import cli

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "q3-launch"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # bindings/python


def run(*argv):
    """The tool in this process: (exit code, standard output)."""
    out = io.StringIO()
    code = cli.main([str(a) for a in argv], out=out)
    return code, out.getvalue()


def run_program(*argv, env=None, **kwargs):
    """``python -m collabflow ARGV`` in a child process."""
    full_env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT), PYTHONDONTWRITEBYTECODE="1")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "collabflow", *map(str, argv)], env=full_env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def make_store(tmp_path, until=None, extra=()):
    """A store with the example applied, whole or up to the first line
    containing `until` (inclusive), then the commands `extra` (dicts)."""
    path = tmp_path / "store"
    code, out = run("init", path, "--directory", EXAMPLE / "directory.json")
    assert code == 0, out
    lines = (EXAMPLE / "scenario.jsonl").read_text(encoding="utf-8").splitlines()
    if until is not None:
        lines = lines[:next(i for i, l in enumerate(lines) if until in l) + 1]
    lines += [json.dumps(c, ensure_ascii=False) for c in extra]
    scenario = tmp_path / "steps.jsonl"
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run("apply", path, scenario)
    assert code == 0, out
    return path
