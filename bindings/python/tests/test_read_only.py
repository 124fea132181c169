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


def test_the_cli_reads_a_store_a_host_holds(tmp_path):
    """An operator's read commands beside a running host: they open the
    store read-only (a writing open would be refused by the host's lock)."""
    from cli_support import make_store, run_program
    store = make_store(tmp_path)
    with cf.Engine(store) as host:
        request = sorted(host.state().summaries)[0]
        for argv in (["status", store, request], ["schedule", store, request], ["list", store],
                     ["verify", store], ["outbox", store, "--json"]):
            done = run_program(*argv)
            assert done.returncode == 0, (argv, done.stderr)
        refused = run_program("tick", store, "2026-09-03T09:00:00+08:00")  # writes: refused
        assert refused.returncode != 0
        assert "lock" in refused.stderr or "held" in refused.stderr or "pid" in refused.stderr
