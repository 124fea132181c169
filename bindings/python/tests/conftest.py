"""Shared fixtures: an in-memory engine holding the seed directory."""
import pytest

import collabflow
from seed import DIRECTORY, at


@pytest.fixture
def engine():
    with collabflow.Engine() as e:
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        yield e


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch):
    """The CLI fits tables to $COLUMNS: tests set it (or --width) when they
    mean to, never inherit the terminal's."""
    monkeypatch.delenv("COLUMNS", raising=False)
