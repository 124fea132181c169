"""--version says which package and which library run (no store needed);
--help, at the top and of every command, works without the library (it is
loaded at its first use, not at import)."""
import os
import shutil
import subprocess
import sys

import collabflow
from collabflow import cli

from cli_support import run, run_program

COMMANDS = [name for name in cli.build_parser()._subparsers._group_actions[0].choices]


def test_version_names_the_package_and_the_library(capsys):
    from collabflow.package_version import package_version
    code, out = run("--version")
    assert code == 0, capsys.readouterr().err
    package, library = out.splitlines()
    assert package == "collabflow %s (Python package)" % package_version()
    assert library == "libcollabflow %s (ABI %d) at %s" % (
        collabflow.version(), collabflow.ABI_VERSION, collabflow.library_path())


def test_version_as_a_program_needs_no_store(tmp_path):
    proc = run_program("--version", cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("collabflow ") and "libcollabflow " in proc.stdout
    assert list(tmp_path.iterdir()) == []  # nothing created


def package_without_library(tmp_path):
    """A copy of the package outside the source tree (so no build tree is
    near it), and an environment pointing the library at a missing file."""
    shutil.copytree(str(cli.__file__.rsplit("/", 1)[0]), str(tmp_path / "collabflow"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    return {"PYTHONPATH": str(tmp_path), "COLLABFLOW_LIBRARY": str(tmp_path / "missing.so")}


def test_help_works_without_the_library(tmp_path):
    env = package_without_library(tmp_path)
    proc = run_program("--help", env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: collabflow") and "list" in proc.stdout
    assert len(COMMANDS) > 10
    for name in COMMANDS:
        proc = run_program(name, "--help", env=env, cwd=str(tmp_path))
        assert proc.returncode == 0, (name, proc.stderr)
        assert proc.stdout.startswith("usage: collabflow " + name), name
    # A usage error needs no library either; using a store does, and says so.
    proc = run_program("status", env=env, cwd=str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.startswith("usage: collabflow status")
    proc = run_program("--version", env=env, cwd=str(tmp_path))
    assert proc.returncode == 1 and proc.stdout.startswith("collabflow ")
    assert "missing.so (absent)" in proc.stderr and "Traceback" not in proc.stderr


def test_the_library_is_loaded_at_first_use(tmp_path):
    env = dict(os.environ, **package_without_library(tmp_path))
    code = ("import collabflow, collabflow.cli, collabflow._ffi as f\n"
            "assert f.lib._cdll is None\n"
            "try:\n    collabflow.version()\nexcept collabflow.LibraryNotFound as e:\n"
            "    print('LibraryNotFound', e)\n")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("LibraryNotFound") and "missing.so (absent)" in proc.stdout
