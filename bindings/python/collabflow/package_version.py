"""The version of this Python package (not of the library it loads: that is
``collabflow.version()``). Read without loading the library.

A source checkout's is the repository's VERSION file (what setup.py builds
the package as); an installed package's is its distribution's metadata.
"""
from __future__ import annotations

from pathlib import Path


def package_version() -> str:
    """E.g. "0.3.0"; "unknown" if neither source says."""
    here = Path(__file__).resolve().parent
    # A source checkout: bindings/python/collabflow -> the repository root.
    if here.parent.name == "python" and here.parents[1].name == "bindings":
        version_file = here.parents[2] / "VERSION"
        if version_file.is_file():
            return version_file.read_text(encoding="utf-8").strip()
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover (Python 3.7)
        return "unknown"
    try:
        return version("collabflow")
    except PackageNotFoundError:
        return "unknown"
