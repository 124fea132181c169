"""The package's modules import one way: no module imports, directly or
through others, one that imports it back (lazy imports inside functions
count too), and each one imports first in a fresh interpreter."""
import ast
import os
import subprocess
import sys
from pathlib import Path

import collabflow

PACKAGE = Path(collabflow.__file__).resolve().parent


def imports_of(path):
    """The package modules `path` imports, anywhere in its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("collabflow"):
            parts = node.module.split(".")
            found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names
                      if a.name.startswith("collabflow.")}
    return found


def import_graph():
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return {m: (imports_of(PACKAGE / (m + ".py")) & modules) - {m} for m in modules}


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph()
    # __init__ imports every module to re-export it; no module imports the
    # package itself back, so it is the root, not part of a circle.
    assert not any("__init__" in deps for deps in graph.values())
    circles = []

    def walk(module, path):
        for dep in sorted(graph[module]):
            if dep in path:
                circles.append(" -> ".join(path[path.index(dep):] + [dep]))
            else:
                walk(dep, path + [dep])

    for module in sorted(graph):
        walk(module, [module])
    assert circles == []


def test_the_layers_point_down():
    graph = import_graph()
    assert "records" not in graph["engine"] and "engine" in graph["records"]
    assert "protobuf" not in graph["_codec"] and "_codec" in graph["protobuf"]
    assert graph["_ffi"] <= {"errors"}


def test_each_module_imports_first_in_a_fresh_interpreter():
    env = dict(os.environ, COLLABFLOW_LIBRARY=collabflow.library_path(),
               PYTHONPATH=str(PACKAGE.parent))
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem in ("__init__", "__main__"):
            continue
        proc = subprocess.run([sys.executable, "-c", "import collabflow.%s" % path.stem],
                              env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (path.stem, proc.stderr)
