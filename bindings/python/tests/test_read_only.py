"""An engine opened read-only (``read_only=True``) beside a host that holds
the store: it reads what the host acknowledged before it opened, refuses
every write (what it leaves on disk: tests/store/read_only_open_test.cc)."""
import pytest

import collabflow as cf
from seed import DIRECTORY, REQUEST_ID, at, drive


def test_a_reader_beside_the_host_sees_what_it_acknowledged(tmp_path):
    store = tmp_path / "store"
    with cf.Engine(store, durability="none", snapshot_every_records=0) as host:
        host.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(host, 8)
        with cf.Engine(store, read_only=True) as reader:
            assert reader.read_only
            assert reader.state() == host.state()
            assert reader.request(REQUEST_ID).record() == host.request(REQUEST_ID).record()
            for write in (lambda: reader.update_directory(DIRECTORY, at=at(9, 3, 9)),
                          lambda: reader.tick(at(9, 3, 9)),
                          lambda: reader.acknowledge(1),
                          reader.write_snapshot):
                with pytest.raises(cf.FailedPrecondition, match="opened read-only"):
                    write()
            seen = reader.state()
            host.update_directory(DIRECTORY, at=at(9, 3, 10))  # not seen until it opens again
            assert reader.state() == seen != host.state()
        with cf.Engine(store, read_only=True) as again:
            assert again.state() == host.state()


def test_a_missing_store_is_not_found_and_not_created(tmp_path):
    with pytest.raises(cf.NotFound):
        cf.Engine(tmp_path / "none", read_only=True)
    assert not (tmp_path / "none").exists()
    with pytest.raises(cf.InvalidArgument):
        cf.Engine(read_only=True)  # in memory: nothing to read
