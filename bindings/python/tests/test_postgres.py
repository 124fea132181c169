"""Python hosts on one PostgreSQL database (docs/store.md, "Many hosts"):
two engines decide on each other's commits and agree, and the CLI's
verify checks the database. The server is the throwaway one ctest starts
($COLLABFLOW_TEST_PG_URI); each test gets a database of its own."""
import os
import shutil
import subprocess
import uuid

import pytest

import collabflow as cf
from cli_support import run
from seed import (DIRECTORY, INITIATOR, OWNER, REQUEST_ID, REVISED, SALES_COUNTER, SALES_DATA,
                  accept, at, drive)

SERVER = os.environ.get("COLLABFLOW_TEST_PG_URI", "")
PSQL = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"

pytestmark = pytest.mark.skipif(
    not SERVER, reason="needs ctest's PostgreSQL server ($COLLABFLOW_TEST_PG_URI)")


def _sql(uri, statement):
    subprocess.run([PSQL, "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", statement],
                   check=True, capture_output=True)


@pytest.fixture
def database():
    """A fresh database's URI, dropped after the test."""
    name = "cflow_py_%s" % uuid.uuid4().hex[:12]
    _sql(SERVER, "CREATE DATABASE %s" % name)
    head, _, query = SERVER.partition("?")
    yield "%s/%s?%s" % (head.rsplit("/", 1)[0], name, query)
    _sql(SERVER, "DROP DATABASE %s WITH (FORCE)" % name)


def test_two_hosts_decide_on_each_others_commits(database):
    with cf.Engine(database, snapshot_every_records=0) as a, \
            cf.Engine(database, snapshot_every_records=0) as b:
        a.update_directory(DIRECTORY, at=at(8, 28, 9))
        # B decides on the directory A set; A on the request B filed, which it
        # may not have read yet (a refusal is confirmed on the latest state).
        drive(b, 3)
        a.request(REQUEST_ID).respond(SALES_DATA, SALES_COUNTER, at=at(9, 1, 9, 30))
        b.request(REQUEST_ID).revise(INITIATOR, REVISED, change_note="客户数据提前至9月4日",
                                     at=at(9, 1, 11))
        result = a.request(REQUEST_ID).respond(OWNER, accept("market", "方案策划"),
                                               at=at(9, 1, 14))
        b.catch_up(result.position)
        a.catch_up()
        assert a.state() == b.state()
        assert a.request(REQUEST_ID).record() == b.request(REQUEST_ID).record()
        with pytest.raises(cf.FailedPrecondition):  # submitted long ago, on either host
            b.request(REQUEST_ID).submit(INITIATOR, at=at(9, 2, 9))


def test_catch_up_to_a_position_not_reached_ends_at_the_statement_timeout(database):
    with cf.Engine(database, snapshot_every_records=0, statement_timeout_ms=300) as e:
        result = e.update_directory(DIRECTORY, at=at(8, 28, 9))
        e.catch_up(result.position)
        with pytest.raises(cf.DeadlineExceeded):
            e.catch_up(result.position + 10)


def test_cli_verify_checks_the_database(database, capsys):
    with cf.Engine(database, snapshot_every_records=0) as host:
        host.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(host, 8)
        code, out = run("verify", database)
    assert code == 0, capsys.readouterr().err
    assert "hash chain intact" in out
