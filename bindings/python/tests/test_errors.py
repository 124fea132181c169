"""Every C ABI status code maps to its own exception class, and the library's
real refusals arrive as those classes with the library's message."""
import dataclasses
import pickle
import re
import threading
from pathlib import Path

import pytest

import collabflow as cf
from collabflow import _ffi, errors
from seed import INITIATOR, OUTSIDER, REQUEST, accept, at, drive

HEADER = Path(__file__).resolve().parents[3] / "capi" / "collabflow.h"


def header_codes():
    """CFLOW_<NAME> = <value> from the status enum of the C header."""
    text = HEADER.read_text(encoding="utf-8")
    block = text[text.index("CFLOW_OK = 0"):]
    block = block[:block.index("};")]
    return {name: int(value) for name, value in re.findall(r"CFLOW_(\w+) = (-?\d+)", block)}


def camel(name):
    return "".join(part.capitalize() for part in name.split("_"))


CODES = sorted((v, k) for k, v in header_codes().items() if v != 0)


def test_header_lists_the_fifteen_canonical_codes():
    assert [v for v, _ in CODES] == list(range(-15, 0))


@pytest.mark.parametrize("code,name", CODES, ids=[n for _, n in CODES])
def test_each_code_has_its_exception(code, name):
    cls = getattr(cf, camel(name))  # collabflow.InvalidArgument, ...
    assert issubclass(cls, cf.Error) and cls is not cf.Error
    assert cls.code == code and cls.status == name
    assert _ffi.status_name(code) == name  # the library agrees on the name
    err = errors.error_for(code, "详细信息 detail")
    assert type(err) is cls
    assert err.code == code and err.message == "详细信息 detail" and str(err) == err.message
    with pytest.raises(cls):
        raise err


def test_classes_are_distinct_and_python_friendly():
    classes = [getattr(cf, camel(name)) for _, name in CODES]
    assert len(set(classes)) == len(classes)
    assert issubclass(cf.InvalidArgument, ValueError)
    assert issubclass(cf.NotFound, LookupError)
    assert issubclass(cf.PermissionDenied, PermissionError)
    assert issubclass(cf.Unavailable, ConnectionError)
    assert issubclass(cf.ObjectClosed, cf.FailedPrecondition)
    assert issubclass(cf.LibraryNotFound, OSError) and issubclass(cf.AbiMismatch, ImportError)


@pytest.mark.parametrize("cls,builtin", [(cf.PermissionDenied, PermissionError),
                                         (cf.Unavailable, ConnectionError)])
def test_os_error_kinds_keep_the_library_message(cls, builtin):
    """PermissionError and ConnectionError are OSErrors, whose constructor
    reads (errno, strerror) from two arguments: ours take the message alone,
    so str(e) is the message and there is no errno."""
    err = errors.error_for(cls.code, "详细信息 detail")
    assert type(err) is cls and isinstance(err, builtin) and isinstance(err, cf.Error)
    assert str(err) == err.message == "详细信息 detail" and err.args == ("详细信息 detail",)
    assert err.code == cls.code and err.errno is None and err.strerror is None
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is cls and str(again) == err.message and again.code == cls.code
    with pytest.raises(builtin):
        raise err


def test_unknown_and_future_codes_become_unknown_keeping_the_code():
    err = errors.error_for(-999, "future code")
    assert isinstance(err, cf.Unknown) and err.code == -999
    assert _ffi.status_name(-999) == "UNRECOGNIZED"


def test_check_passes_ok_and_raises_with_the_last_error():
    _ffi.check(0)
    status = _ffi.lib.cflow_request_from_json(None, None, b"{}", 2)
    with pytest.raises(cf.InvalidArgument) as info:
        _ffi.check(status)
    assert "out" in info.value.message  # the library names the NULL parameter


# ---- real refusals, triggered through the library ----

def test_library_refusals_arrive_as_their_classes(engine, tmp_path):
    req = drive(engine, 2)
    seen = {}

    def expect(cls, fn):
        with pytest.raises(cls) as info:
            fn()
        assert type(info.value) is cls, info.value
        assert info.value.message and info.value.code == cls.code
        seen[cls] = info.value.message

    expect(cf.InvalidArgument, lambda: engine.execute_json({"actor_id": INITIATOR, "bogus": 1}))
    expect(cf.ResourceExhausted, lambda: cf.request_to_protobuf(
        dataclasses.replace(REQUEST, version=1, topic="x" * 100000)))
    expect(cf.NotFound, lambda: engine.request("REQ-NONE").view())
    expect(cf.AlreadyExists, lambda: engine.create_request(INITIATOR, REQUEST, at=at(9, 1)))
    expect(cf.PermissionDenied, lambda: req.respond(OUTSIDER, accept("market", "x"),
                                                    at=at(9, 1)))
    expect(cf.FailedPrecondition, lambda: req.submit(INITIATOR, at=at(9, 1)))
    expect(cf.OutOfRange, lambda: engine.acknowledge(10**6))
    assert "p-ma" in seen[cf.PermissionDenied]
    assert "REQ-NONE" in seen[cf.NotFound]


def test_refusals_are_caught_as_the_builtin_exceptions_they_match(engine):
    req = drive(engine, 2)
    with pytest.raises(PermissionError) as info:
        req.respond(OUTSIDER, accept("market", "x"), at=at(9, 1))
    assert type(info.value) is cf.PermissionDenied and str(info.value) == info.value.message
    assert OUTSIDER in str(info.value)
    with pytest.raises(LookupError):
        engine.request("REQ-NONE").view()
    with pytest.raises(ValueError):
        engine.execute_json({"actor_id": INITIATOR, "no_such_field": 1})


def test_unreachable_store_is_a_connection_error():
    """Nothing listens on port 1: the PostgreSQL store is unavailable."""
    with pytest.raises(ConnectionError) as info:
        cf.Engine("postgresql://nobody@127.0.0.1:1/collabflow")
    assert type(info.value) is cf.Unavailable
    assert str(info.value) == info.value.message and "127.0.0.1:1" in info.value.message


def test_damaged_store_raises_data_loss(tmp_path):
    store = tmp_path / "store"
    with cf.Engine(store, durability="none") as e:
        from seed import DIRECTORY
        e.update_directory(DIRECTORY, at=at(8, 28, 9))
        drive(e, 3)
    journal = sorted(store.glob("journal-*"))[0]
    data = bytearray(journal.read_bytes())
    data[40] ^= 0x01
    journal.write_bytes(bytes(data))
    with pytest.raises(cf.DataLoss) as info:
        cf.Engine(store)
    assert "journal" in info.value.message


def test_unimplemented_commands_raise_unimplemented(engine):
    """Commands the engine does not run yet are refused as Unimplemented (this
    skips once every command in the schema is implemented)."""
    req = drive(engine, 8)
    payloads = {spec[0]: spec[3] for spec in cf.Command._specs if spec[5] == "payload"}
    for name in reversed(list(payloads)):  # the newest commands are last
        try:
            engine.execute(cf.Command(actor_id="p-li", request_id=req.id, time=at(9, 3),
                                      **{name: getattr(cf, payloads[name])()}))
        except cf.Unimplemented as e:
            assert name in e.message
            return
        except cf.Error:
            continue
    pytest.skip("every command is implemented")


def test_error_messages_are_per_thread():
    """cflow_last_error is thread-local: concurrent failures in different
    threads each report their own message."""
    failures = []
    barrier = threading.Barrier(4)

    def worker(i):
        with cf.Engine() as e:
            barrier.wait()
            for _ in range(100):
                try:
                    e.request("REQ-%d" % i).view()
                except cf.NotFound as err:
                    if "REQ-%d" % i not in err.message:
                        failures.append(err.message)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_abi_mismatch_is_refused_at_first_use(tmp_path):
    """A package expecting another ABI refuses the library at its first use
    (the library is loaded then, not at import), naming both."""
    import os
    import subprocess
    import sys
    pkg = tmp_path / "collabflow"
    pkg.mkdir()
    for f in Path(cf.__file__).parent.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        if f.name == "_ffi.py":
            text = text.replace("ABI_VERSION = %d" % cf.ABI_VERSION, "ABI_VERSION = 77")
        (pkg / f.name).write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path), COLLABFLOW_LIBRARY=cf.library_path())
    proc = subprocess.run([sys.executable, "-c", "import collabflow; collabflow.version()"],
                          env=env, capture_output=True, text=True, cwd=str(tmp_path), timeout=60)
    assert proc.returncode != 0
    assert "AbiMismatch" in proc.stderr
    assert "ABI version %d" % cf.ABI_VERSION in proc.stderr and "needs 77" in proc.stderr
