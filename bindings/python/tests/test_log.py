"""The library's messages reach the host's log callback, never stderr: a
snapshot that an engine's own thread fails to write (no call to raise in)
is logged as a warning."""
import time

import collabflow
from collabflow import LogLevel

from seed import DIRECTORY


def test_a_failed_background_snapshot_is_logged_to_the_callback(tmp_path):
    got = []
    collabflow.set_log_callback(lambda level, message: got.append((level, message)))
    try:
        store = tmp_path / "store"
        with collabflow.Engine(store, durability="none", snapshot_every_records=1) as engine:
            # A directory where the snapshot's temporary file goes: the
            # writer cannot create it.
            for covers in range(1, 50):
                (store / ("snapshot-%020d.cfs.tmp" % covers)).mkdir()
            engine.update_directory(DIRECTORY)
            deadline = time.monotonic() + 10
            while not got and time.monotonic() < deadline:
                time.sleep(0.01)
    finally:
        collabflow.set_log_callback(None)
    assert got, "nothing logged"
    level, message = got[0]
    assert level == LogLevel.WARNING
    assert "snapshot writer" in message and ".tmp" in message


def test_the_callback_is_replaced_and_removed():
    first, second = [], []
    collabflow.set_log_callback(lambda level, message: first.append(message))
    collabflow.set_log_callback(lambda level, message: second.append(message))
    collabflow.set_log_callback(None)
    collabflow.capture_protobuf_log(True)
    collabflow.capture_protobuf_log(False)
    assert first == [] and second == []
