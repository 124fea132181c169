"""The what-if preview of a plan revision, and the progress callback of a
durable engine."""
import pytest

import collabflow
import collabflow.records
from seed import OWNER, REQUEST_ID, SALES_HEAD, at, drive


def test_preview_shows_the_effect_and_commits_nothing(engine):
    req = drive(engine)
    before = engine.state()
    preview = req.preview_revision(
        OWNER, [collabflow.PlanChange(update_task=collabflow.TaskUpdate(task_id="T1",
                                                                        duration_days=4))],
        reason="系统接口问题", at=at(9, 3, 10))
    assert preview.finish_shift_working_days == 2
    moved = {c.task_id for c in preview.changes}
    assert {"T1", "T2", "T3"} <= moved
    assert engine.state() == before
    with pytest.raises(collabflow.PermissionDenied):
        req.preview_revision(SALES_HEAD, [], reason="x", at=at(9, 3, 10))
    with pytest.raises(collabflow.InvalidArgument, match="revise_plan"):
        engine.preview_revision(collabflow.Command(actor_id=OWNER, request_id=REQUEST_ID,
                                                   time=at(9, 3, 10),
                                                   submit_request=collabflow.SubmitRequest()))


def test_progress_of_a_durable_engine(tmp_path):
    calls = []
    with collabflow.Engine(tmp_path / "s", durability="none") as e:
        from seed import DIRECTORY
        for i in range(300):
            e.update_directory(DIRECTORY, at=at(8, 28, 9))
    with collabflow.Engine(tmp_path / "s", progress=lambda d, t: calls.append((d, t))) as e:
        assert calls and calls[-1] == (300, 300) and len(calls) <= 110
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
        del calls[:]
        collabflow.records.verify_history(e)
        assert calls[-1] == (300, 300)
    with pytest.raises(collabflow.Cancelled, match="cancelled"):
        collabflow.Engine(tmp_path / "s", progress=lambda d, t: d >= 100)
    # A callback that raises stops the work too (nothing crosses into C).
    with pytest.raises(collabflow.Cancelled):
        collabflow.Engine(tmp_path / "s", progress=lambda d, t: 1 / 0)
    with collabflow.Engine(tmp_path / "s") as e:  # the store is intact
        collabflow.records.verify_history(e)
    # Options can drop a callback again (NULL in C).
    opts = collabflow._ffi.Options()
    opts.set_progress(collabflow._ffi.progress_fn(lambda d, t, p: 0))
    opts.set_progress(None)
    opts.close()
