"""Packaging of the collabflow Python bindings (see pyproject.toml).

The version is the repository's VERSION file (or a VERSION file next to this
one, for a copy of the package outside the repository). With
COLLABFLOW_BUNDLE_LIBRARY=/path/to/libcollabflow.so the shared library is
copied into the package as libcollabflow.so.<ABI> (where collabflow looks
second, after $COLLABFLOW_LIBRARY) and the wheel is tagged py3-none-<platform>.
"""
import os
import re
import shutil
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLE = os.environ.get("COLLABFLOW_BUNDLE_LIBRARY", "")


def read_version():
    for path in (HERE.parents[1] / "VERSION", HERE / "VERSION"):
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise RuntimeError("no VERSION file found next to %s or two levels up" % HERE)


def abi_version():
    text = (HERE / "collabflow" / "_ffi.py").read_text(encoding="utf-8")
    return int(re.search(r"^ABI_VERSION = (\d+)", text, re.M).group(1))


class BuildPyWithLibrary(build_py):
    """build_py that also copies the bundled shared library, if any."""

    def run(self):
        super().run()
        for stale in (Path(self.build_lib) / "collabflow").glob("libcollabflow.so*"):
            stale.unlink()  # from an earlier bundled build in the same tree
        if BUNDLE:
            src = Path(BUNDLE)
            if not src.is_file():
                raise SystemExit("COLLABFLOW_BUNDLE_LIBRARY=%s: no such file" % BUNDLE)
            dest = Path(self.build_lib) / "collabflow" / ("libcollabflow.so.%d" % abi_version())
            shutil.copyfile(str(src), str(dest))  # follows the soname symlink


class BinaryDistribution(Distribution):
    """With a bundled library the package is platform-specific (platlib)."""

    def has_ext_modules(self):
        return bool(BUNDLE)


cmdclass = {"build_py": BuildPyWithLibrary}
try:
    from wheel.bdist_wheel import bdist_wheel

    class BdistWheel(bdist_wheel):
        """A wheel with a bundled library is for one platform, any Python 3."""

        def finalize_options(self):
            super().finalize_options()
            if BUNDLE:
                self.root_is_pure = False

        def get_tag(self):
            python, abi, plat = super().get_tag()
            return ("py3", "none", plat) if BUNDLE else (python, abi, plat)

    cmdclass["bdist_wheel"] = BdistWheel
except ImportError:  # no wheel package: sdist and direct installs still work
    pass

setup(
    name="collabflow",
    version=read_version(),
    description="Cross-department collaboration workflow engine: Python bindings (ctypes)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8")
    if (HERE / "README.md").is_file() else "",
    long_description_content_type="text/markdown",
    license="Proprietary",
    python_requires=">=3.9",
    packages=["collabflow"],
    package_data={"collabflow": ["py.typed"]},
    include_package_data=False,
    zip_safe=False,
    entry_points={"console_scripts": ["collabflow = collabflow.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Typing :: Typed",
        "Operating System :: POSIX :: Linux",
    ],
    cmdclass=cmdclass,
    distclass=BinaryDistribution,
)
