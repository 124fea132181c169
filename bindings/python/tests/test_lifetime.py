"""Lifetimes: close order, garbage collection, use after close, children
keeping their parent alive, interpreter shutdown."""
import contextlib
import gc
import os
import subprocess
import sys
import textwrap
import threading
import warnings
import weakref
from pathlib import Path

import pytest

import collabflow as cf
from collabflow import _ffi
from seed import DIRECTORY, INITIATOR, REQUEST, REQUEST_ID, at, drive

PKG_DIR = str(Path(cf.__file__).resolve().parent.parent)


def open_seeded(path=None):
    e = cf.Engine(path, durability="none") if path else cf.Engine()
    e.update_directory(DIRECTORY, at=at(8, 28, 9))
    return e


def test_close_leaves_a_dead_pointer_and_is_idempotent():
    e = cf.Engine()
    assert not e.closed and e._ptr is not None
    e.close()
    assert e.closed and e._ptr is None
    e.close()
    with cf.Engine() as e2:
        pass
    assert e2.closed


def test_every_method_of_a_closed_engine_raises_object_closed():
    e = open_seeded()
    drive(e, 2)
    req = e.request(REQUEST_ID)
    e.close()
    now = at(9, 1)
    calls = {
        "execute": lambda: e.execute(cf.Command(actor_id=INITIATOR)),
        "execute_json": lambda: e.execute_json({"actor_id": INITIATOR}),
        "preview_revision": lambda: e.preview_revision(cf.Command(actor_id=INITIATOR)),
        "must_do": lambda: e.must_do(INITIATOR, now),
        "overdue": lambda: e.overdue(now),
        "state": lambda: e.state(),
        "tick": lambda: e.tick(now),
        "acknowledge": lambda: e.acknowledge(1),
        "update_directory": lambda: e.update_directory(DIRECTORY),
        "create_request": lambda: e.create_request(INITIATOR, REQUEST),
        "notifications": lambda: list(e.notifications()),
        "deliver": lambda: list(e.deliver()),
        "history": lambda: list(e.history()),
        "calendar": lambda: e.calendar(),
        "verify_history": lambda: cf.records.verify_history(e),
        "process_record": lambda: cf.records.process_record(e, REQUEST_ID),
        "export_archive": lambda: cf.records.export_archive(e, REQUEST_ID),
        "report": lambda: cf.records.report(e, REQUEST_ID, now=now),
        "child view": lambda: req.view(),
        "child submit": lambda: req.submit(INITIATOR, at=now),
        "child schedule": lambda: req.schedule(),
    }
    for name, call in calls.items():
        with pytest.raises(cf.ObjectClosed, match="engine is closed"):
            call()


def test_closing_the_engine_releases_the_store(tmp_path):
    e = open_seeded(tmp_path / "s")
    with pytest.raises(cf.FailedPrecondition):
        cf.Engine(tmp_path / "s")  # locked
    e.close()
    with cf.Engine(tmp_path / "s") as again:
        assert again.state().directory == DIRECTORY


@contextlib.contextmanager
def recorded_warnings():
    """The warnings raised inside (a finalizer's too: it collects at the end),
    as (category, message, whether its source object was closed). Not the
    records themselves: each holds its source, the engine, alive."""
    out = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield out
        gc.collect()
    out.extend((w.category, str(w.message), getattr(w.source, "closed", None)) for w in seen)


def resource_warnings(seen):
    return [message for category, message, _ in seen if issubclass(category, ResourceWarning)]


def test_garbage_collection_closes_the_engine(tmp_path):
    e = open_seeded(tmp_path / "s")
    ref = weakref.ref(e)
    with recorded_warnings() as seen:
        del e
    assert ref() is None
    assert resource_warnings(seen) == ["unclosed <collabflow.Engine %s>" % (tmp_path / "s")]
    # The finalizer closed it, so the store's lock is free again.
    with cf.Engine(tmp_path / "s") as again:
        assert again.state().directory == DIRECTORY


def test_engine_in_a_reference_cycle_is_collected_and_closed(tmp_path):
    e = open_seeded(tmp_path / "s")
    e.cycle = [e]
    with recorded_warnings() as seen:
        del e
    assert len(resource_warnings(seen)) == 1
    with cf.Engine(tmp_path / "s"):
        pass


def test_an_engine_left_open_warns_naming_its_store(tmp_path):
    with recorded_warnings() as seen:
        cf.Engine(tmp_path / "durable", durability="none")
        cf.Engine()
    assert resource_warnings(seen) == [
        "unclosed <collabflow.Engine %s>" % (tmp_path / "durable"),
        "unclosed <collabflow.Engine in memory>"]
    assert all(closed for _, _, closed in seen)  # its source, the engine, closed first


def test_an_engine_closed_or_used_as_a_context_manager_does_not_warn(tmp_path):
    with recorded_warnings() as seen:
        e = cf.Engine(tmp_path / "s", durability="none")
        e.close()
        del e
        with cf.Engine(tmp_path / "s", durability="none") as e:
            e.update_directory(DIRECTORY, at=at(8, 28, 9))
        del e
        with cf.Engine():
            pass
        # The objects that hold only memory never warn.
        opts = _ffi.Options()
        del opts
    assert resource_warnings(seen) == []


def test_warnings_as_errors_still_close_the_leaked_engine(tmp_path):
    """With ResourceWarning an error (-W error), the warning raises in
    __del__, which Python reports as unraisable; the store is released."""
    unraisable = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ResourceWarning)
            e = cf.Engine(tmp_path / "s", durability="none")
            del e
            gc.collect()
    finally:
        sys.unraisablehook = hook
    assert [type(u.exc_value) for u in unraisable] == [ResourceWarning]
    assert str(tmp_path / "s") in str(unraisable[0].exc_value)
    with cf.Engine(tmp_path / "s") as again:  # the lock is free
        assert again.state() is not None


def test_request_handle_keeps_its_engine_alive(tmp_path):
    e = open_seeded(tmp_path / "s")
    req = drive(e, 2)
    ref = weakref.ref(e)
    del e
    gc.collect()
    assert ref() is not None  # the child holds its parent
    assert req.state is cf.RequestState.SUBMITTED
    req.respond("p-chen", cf.builders.accept("market", "方案策划"), at=at(8, 31, 15))
    engine = req.engine
    del req
    gc.collect()
    assert ref() is engine
    with recorded_warnings() as seen:
        del engine
    assert ref() is None
    assert len(resource_warnings(seen)) == 1
    with cf.Engine(tmp_path / "s") as again:  # closed by the finalizer
        assert again.request(REQUEST_ID).record().responses[0].receiver_id == "market"


def test_close_order_engine_before_child_and_child_after():
    e = open_seeded()
    req = drive(e, 1)
    e.close()
    with pytest.raises(cf.ObjectClosed):
        req.submit(INITIATOR, at=at(8, 31, 10))
    del e
    gc.collect()
    with pytest.raises(cf.ObjectClosed):
        req.view()


def test_options_object_is_an_object_ref():
    opts = _ffi.Options()
    opts.set_host_actor("admin")
    opts.close()
    assert opts.closed
    with pytest.raises(cf.ObjectClosed, match="options is closed"):
        opts.set_host_actor("x")


def test_a_handle_passed_to_c_after_close_is_refused_by_the_library():
    """Belt and braces: even a stale raw pointer (kept past close) is refused by
    the library's handle registry instead of crashing."""
    e = cf.Engine()
    raw = e._ptr
    e.close()
    with pytest.raises(cf.InvalidArgument):
        _ffi.check(_ffi.lib.cflow_engine_tick(None, raw, 0))


def test_close_while_other_threads_call_never_crashes():
    e = open_seeded()
    drive(e, 1)
    outcomes = []
    started = threading.Barrier(5)

    def reader():
        started.wait()
        try:
            while True:
                e.request(REQUEST_ID).view()
        except cf.ObjectClosed:
            outcomes.append("closed")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    e.close()
    for t in threads:
        t.join(timeout=30)
    # close() waited for the calls in flight; none reached C with a dead handle.
    assert outcomes == ["closed"] * 4


def run_python(code, tmp_path):
    env = dict(os.environ, PYTHONPATH=PKG_DIR, COLLABFLOW_LIBRARY=_ffi.library_path)
    env["COLLABFLOW_LIBRARY"] = str(_ffi.library_path)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, cwd=str(tmp_path), timeout=60)


def test_interpreter_shutdown_with_live_objects_is_clean(tmp_path):
    proc = run_python("""
        import collabflow as cf
        engines = [cf.Engine() for _ in range(3)]          # module globals
        durable = cf.Engine("store", durability="none")
        handle = engines[0].request("R")                    # a child
        cycle = [cf.Engine()]; cycle.append(cycle)          # a cycle
        class Holder:
            def __del__(self):
                self.engine.close()                          # closes during teardown
        h = Holder(); h.engine = cf.Engine()
        print("ok")
    """, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr


def test_close_waits_for_calls_in_flight_and_refuses_new_ones():
    """The guard behind every call, shown deterministically: close() marks
    the object closed at once, but releases the handle only after the call
    in flight ends."""
    opts = _ffi.Options()
    released = []
    in_call, may_finish = threading.Event(), threading.Event()

    def call_in_flight():
        with opts._use():
            in_call.set()
            may_finish.wait(10)
            released.append(("call ends", opts.closed))

    caller = threading.Thread(target=call_in_flight)
    caller.start()
    in_call.wait(10)
    closer = threading.Thread(target=lambda: (opts.close(), released.append(("released", None))))
    closer.start()
    closer.join(0.2)
    assert closer.is_alive() and opts.closed  # refused to new calls, not yet released
    with pytest.raises(cf.ObjectClosed):
        opts.set_host_actor("x")
    may_finish.set()
    caller.join(10)
    closer.join(10)
    assert released == [("call ends", True), ("released", None)]
