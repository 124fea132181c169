"""The Python examples (examples/*.py and README's) run and print what their
comments promise."""
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import collabflow as cf

REPO = Path(__file__).resolve().parents[3]


def run_python(*args: str) -> List[str]:
    """The lines a Python run with `args` prints, on this library and these
    bindings; the run must succeed."""
    env = dict(os.environ, COLLABFLOW_LIBRARY=cf.library_path(),
               PYTHONPATH=str(REPO / "bindings" / "python"))
    proc = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_quickstart_runs():
    out = run_python(str(REPO / "examples" / "python_quickstart.py"))
    assert out[0] == "CONFIRMED"
    assert out[1].split()[:4] == ["T1", "客户数据收集与分析", "2026-09-03", "2026-09-04"]
    assert "critical path: T1 -> T2 -> T3" in out
    assert any("PLAN_PUBLISHED" in line and "协作任务拆分清单已发布" in line for line in out)
    assert out[-1].startswith("refused: PERMISSION_DENIED")


def test_readme_python_example_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python\n"):]
    start = section.index("```python\n") + len("```python\n")
    code = section[start:section.index("```", start)]
    lines = run_python("-c", code)
    assert lines[0].split() == ["T1", "客户数据收集与分析", "2026-09-03", "2026-09-04", "True"]
    assert lines[-1].startswith("PERMISSION_DENIED")


def test_request_example_reads_the_request_back():
    out = run_python(str(REPO / "examples" / "q3_launch_request.py"))
    assert "read back through the C ABI" in out[1]
    assert out[2].split() == ["协作主题", "topic", "Q3新品上市营销方案执行"]
    assert "  时间节点  milestone   2026-09-20  定稿并启动推广" in out
    assert out[-1].split()[-3:] == ["p-zhang", "/", "p-li"]
