"""Shared fixtures: an in-memory engine holding the seed directory."""
import pytest

import collabflow
from seed import DIRECTORY, at


@pytest.fixture
def engine():
    with collabflow.Engine() as e:
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        yield e
