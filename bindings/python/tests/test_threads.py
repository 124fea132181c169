"""Several threads on one engine: concurrent commands and reads stay
consistent (every command applied once, positions contiguous)."""
import dataclasses
import threading

import collabflow as cf
from seed import INITIATOR, MARKET_DELEGATE, REQUEST, REQUEST_ID, accept, at, drive

THREADS, PER_THREAD = 4, 15


def run_threads(target, n):
    errors = []
    barrier = threading.Barrier(n)

    def wrapped(i):
        barrier.wait()
        try:
            target(i)
        except BaseException as e:  # reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_concurrent_writers_and_readers_on_one_engine(engine):
    drive(engine, 1)

    def work(i):
        if i % 2:  # readers of the request and of the whole state
            for _ in range(60):
                assert engine.request(REQUEST_ID).view().record.request.topic == REQUEST.topic
                assert REQUEST_ID in engine.state().summaries
        else:  # writers: each files and submits its own requests
            for k in range(PER_THREAD):
                rid = "R-%d-%d" % (i, k)
                req = engine.create_request(INITIATOR, dataclasses.replace(REQUEST, id=rid),
                                            at=at(9, 1, 9))
                req.submit(INITIATOR, at=at(9, 1, 10))

    run_threads(work, THREADS)
    writers = THREADS // 2
    assert len(engine.state().summaries) == 1 + writers * PER_THREAD
    events = list(engine.history())
    positions = [e.position for e in events]
    assert positions == sorted(positions) and len(set(positions)) == positions[-1]
    assert sum(1 for e in events if e.kind == "request_submitted") == writers * PER_THREAD


def test_racing_answers_to_one_request_apply_exactly_once(engine):
    """Four threads answer for the same receiver at once: one answer is
    recorded per attempt that succeeds, each refusal changes nothing."""
    req = drive(engine, 2)
    outcomes = []

    def answer(i):
        try:
            req.respond(MARKET_DELEGATE, accept("market", "方案策划 %d" % i), at=at(8, 31, 15))
            outcomes.append("ok")
        except cf.FailedPrecondition:
            outcomes.append("refused")

    run_threads(answer, THREADS)
    recorded = [r for r in req.record().responses if r.receiver_id == "market"]
    assert len(recorded) == outcomes.count("ok") >= 1


def test_outbox_readers_in_threads_see_the_same_ordered_feed(engine):
    drive(engine, 8)
    expected = [(n.position, n.id) for n in engine.notifications()]
    seen = {}

    def read(i):
        seen[i] = [(n.position, n.id) for n in engine.notifications()]

    run_threads(read, THREADS)
    assert all(ids == expected for ids in seen.values())
