"""`collabflow ... | head -1`: when the reader of the output goes away, the
tool ends quietly -- no BrokenPipeError traceback, nothing on stderr -- with
exit status 141 (128 + SIGPIPE, what a C tool killed by SIGPIPE reports)."""
import os
import subprocess
import sys

import pytest

from collabflow import cli

from cli_support import PACKAGE_ROOT, make_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("pipe"))


def run_into_closed_pipe(*argv):
    """Runs the tool with its standard output a pipe whose reader is
    already gone; returns (exit status, stderr)."""
    read, write = os.pipe()
    os.close(read)  # nobody will ever read: every write fails with EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "collabflow", *map(str, argv)],
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
                              env=dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT)))
    finally:
        os.close(write)
    return proc.returncode, proc.stderr


@pytest.mark.parametrize("argv", [
    ["status", "{store}", "REQ-Q3-LAUNCH"],
    ["record", "{store}", "REQ-Q3-LAUNCH", "--json"],
    ["outbox", "{store}"],
    ["list", "{store}"],
    ["--help"],
    ["--version"],
], ids=lambda a: " ".join(a).replace("{store}", "S"))
def test_a_closed_pipe_ends_quietly_with_141(store, argv):
    code, err = run_into_closed_pipe(*[a.format(store=store) for a in argv])
    assert (code, err) == (cli.EXIT_PIPE, "")
    assert cli.EXIT_PIPE == 141


def test_a_pipe_read_to_its_end_is_exit_0(store):
    proc = subprocess.run("'%s' -m collabflow outbox '%s' | head -1" % (sys.executable, store),
                          shell=True, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT)))
    assert proc.returncode == 0 and proc.stdout.startswith("position")
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
