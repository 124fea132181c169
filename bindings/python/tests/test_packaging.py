"""Packaging: a wheel that bundles the library, installed into a target
directory with Debian's pip (offline), imports and finds the bundled library;
the sources stay Python 3.9 compatible; py.typed ships."""
import ast
import os
import re
import shutil
import subprocess
import sys
import typing
import zipfile
from pathlib import Path

import pytest

import collabflow as cf

HERE = Path(__file__).resolve().parent
PKG_ROOT = HERE.parent  # bindings/python
REPO = HERE.parents[2]
VERSION = (REPO / "VERSION").read_text().strip()
SOURCES = sorted((PKG_ROOT / "collabflow").glob("*.py"))


def pip(*args, env=None, cwd=None):
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, "%s\n%s\n%s" % (" ".join(cmd), proc.stdout, proc.stderr)
    return proc


def copy_sources(dest):
    """bindings/python as in the repository (VERSION two levels up), so the
    build leaves no build/ or egg-info in the source tree."""
    src = dest / "bindings" / "python"
    shutil.copytree(str(PKG_ROOT / "collabflow"), str(src / "collabflow"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(str(PKG_ROOT / name), str(src / name))
    shutil.copy(str(REPO / "VERSION"), str(dest / "VERSION"))
    return src


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLLABFLOW_LIBRARY", "PYTHONPATH", "COLLABFLOW_BUNDLE_LIBRARY")}
    env.update(PIP_NO_INDEX="1", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def run_python(code, env, cwd):
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=str(cwd),
                          capture_output=True, text=True, timeout=120)


IMPORT_CHECK = """
import collabflow as cf
with cf.Engine() as e:
    e.update_directory(cf.Directory(people=[cf.Person(id="p", name="张")]))
    assert e.state().directory.people[0].name == "张"
print(cf.library_path())
print(cf.__version__)
"""


def test_wheel_bundles_the_library_and_installs_offline(tmp_path):
    src = copy_sources(tmp_path)
    library = Path(cf.library_path()).resolve()
    pip("wheel", "--no-build-isolation", "--no-deps", "--no-index", str(src),
        "-w", str(tmp_path / "dist"),
        env=clean_env(COLLABFLOW_BUNDLE_LIBRARY=str(library)))
    wheels = list((tmp_path / "dist").glob("*.whl"))
    assert len(wheels) == 1
    assert re.match(r"collabflow-%s-py3-none-linux_\w+\.whl$" % re.escape(VERSION),
                    wheels[0].name), wheels[0].name
    names = zipfile.ZipFile(str(wheels[0])).namelist()
    soname = "collabflow/libcollabflow.so.%d" % cf.ABI_VERSION
    assert soname in names and "collabflow/py.typed" in names
    assert "collabflow/messages.py" in names

    target = tmp_path / "site"
    pip("install", "--no-index", "--no-deps", "--target", str(target), str(wheels[0]),
        env=clean_env())
    assert (target / soname).stat().st_size == library.stat().st_size
    # No COLLABFLOW_LIBRARY and no build tree near the target: only the
    # bundled copy can be found.
    proc = run_python(IMPORT_CHECK, clean_env(PYTHONPATH=str(target)), tmp_path)
    assert proc.returncode == 0, proc.stderr
    path, version = proc.stdout.split()
    assert Path(path) == target / soname and version == VERSION
    # The console script runs the CLI.
    script = target / "bin" / "collabflow"
    proc = subprocess.run([sys.executable, str(script), "status", "--help"],
                          env=clean_env(PYTHONPATH=str(target)), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "usage: collabflow status" in proc.stdout, proc.stderr


def test_plain_install_works_offline_and_needs_the_library(tmp_path):
    src = copy_sources(tmp_path)
    target = tmp_path / "site"
    pip("install", "--no-build-isolation", "--no-deps", "--no-index", "--target", str(target),
        str(src), env=clean_env())
    assert not list((target / "collabflow").glob("libcollabflow.so*"))
    assert (target / "collabflow" / "py.typed").exists()
    env = clean_env(PYTHONPATH=str(target), COLLABFLOW_LIBRARY=cf.library_path())
    proc = run_python(IMPORT_CHECK, env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == cf.library_path()
    # Without it, the first use (not the import) lists every place it looked.
    proc = run_python("import collabflow", clean_env(PYTHONPATH=str(target)), tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run_python("import collabflow; collabflow.version()",
                      clean_env(PYTHONPATH=str(target)), tmp_path)
    assert proc.returncode != 0 and "LibraryNotFound" in proc.stderr
    assert "COLLABFLOW_LIBRARY" in proc.stderr
    assert str(target / "collabflow" / ("libcollabflow.so.%d" % cf.ABI_VERSION)) in proc.stderr


def test_version_comes_from_the_version_file():
    assert cf.__version__ == VERSION
    text = (PKG_ROOT / "setup.py").read_text()
    assert "VERSION" in text and VERSION not in text  # read, not copied


# ---- Python 3.9 compatibility (the tests themselves run on Debian's 3.11) ----

@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_sources_parse_as_python_3_9(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path), feature_version=(3, 9))  # no match, ...
    annotations = set()
    for node in ast.walk(tree):
        for ann in (getattr(node, "annotation", None), getattr(node, "returns", None)):
            if ann is not None:
                annotations.update(id(n) for n in ast.walk(ann))
    for node in ast.walk(tree):
        # `X | Y` types are 3.10+ at run time; in annotations they are fine
        # only as strings (from __future__ import annotations).
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            assert id(node) in annotations, "%s:%d: `|` outside an annotation" % (
                path.name, node.lineno)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "dataclass":
            assert not {k.arg for k in node.keywords} & {"slots", "kw_only"}, path.name
    if annotations:
        assert "from __future__ import annotations" in source, path.name


def test_type_hints_resolve():
    for name in cf.messages.__all__:
        obj = getattr(cf.messages, name)
        if isinstance(obj, type) and issubclass(obj, cf.Message):
            typing.get_type_hints(obj)
    for method in ("execute", "execute_json", "create_request", "state", "history",
                   "notifications"):
        typing.get_type_hints(getattr(cf.Engine, method))
    for method in ("respond", "publish_plan", "view", "schedule"):
        typing.get_type_hints(getattr(cf.RequestHandle, method))
    typing.get_type_hints(cf.builders.task)


# Other interpreters to try: python3.9 ... python3.14 on PATH, plus the paths
# in $COLLABFLOW_EXTRA_PYTHONS (os.pathsep-separated; CMake passes the cache
# variable of that name, empty by default).
OTHER_PYTHONS = ["python3.%d" % m for m in range(9, 15) if m != sys.version_info[1]] + [
    p for p in os.environ.get("COLLABFLOW_EXTRA_PYTHONS", "").split(os.pathsep) if p]
OTHER_CHECK = """
import sys, typing
import collabflow as cf, collabflow.cli, collabflow.protobuf
for name in cf.messages.__all__:
    obj = getattr(cf.messages, name)
    if isinstance(obj, type) and issubclass(obj, cf.Message):
        typing.get_type_hints(obj)
        assert obj.from_json(obj().to_json()) == obj()
assert f"{cf.Priority.HIGH}" == "HIGH"
print("%d.%d" % sys.version_info[:2])
"""


@pytest.mark.parametrize("python", OTHER_PYTHONS)
def test_runs_on_other_python_versions_when_present(python, tmp_path):
    """Where other interpreters are installed (e.g. pyenv's 3.9), the package
    imports, resolves its type hints and runs the quickstart under them."""
    exe = shutil.which(python)
    if exe is None:
        pytest.skip("%s not installed" % python)
    probe = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:  # e.g. a pyenv shim for a version not selected
        pytest.skip("%s does not run here: %s" % (python, probe.stderr.strip()[:200]))
    version = probe.stdout.strip()
    assert tuple(int(x) for x in version.split(".")) >= (3, 9)
    env = clean_env(PYTHONPATH=str(PKG_ROOT), COLLABFLOW_LIBRARY=cf.library_path())
    proc = subprocess.run([exe, "-c", OTHER_CHECK], env=env, capture_output=True, text=True,
                          timeout=120, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == version
    proc = subprocess.run([exe, str(REPO / "examples" / "python_quickstart.py")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "critical path: T1 -> T2 -> T3" in proc.stdout


def test_public_functions_are_fully_annotated():
    """Type hints throughout: every public function and method of the modules
    we own annotates its parameters and its result."""
    import inspect
    from collabflow import _codec, _ffi, _mixins, builders, engine, errors, protobuf
    missing = []
    for module in (_codec, _ffi, _mixins, builders, engine, errors, protobuf, cf):
        for name, obj in vars(module).items():
            if name.startswith("__") or getattr(obj, "__module__", None) != module.__name__:
                continue
            members = [(name, obj)]
            if inspect.isclass(obj):
                members = [("%s.%s" % (name, k), v) for k, v in vars(obj).items()
                           if not (k.startswith("_") and k not in ("__init__", "__enter__"))]
            for label, fn in members:
                fn = getattr(fn, "fget", fn)  # properties
                fn = getattr(fn, "__func__", fn)  # class/static methods
                if not inspect.isfunction(fn):
                    continue
                sig = inspect.signature(fn)
                params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
                if (any(p.annotation is inspect.Parameter.empty for p in params)
                        or sig.return_annotation is inspect.Signature.empty):
                    missing.append("%s.%s" % (module.__name__, label))
    assert missing == []
