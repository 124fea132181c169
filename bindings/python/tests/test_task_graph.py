"""collabflow.TaskGraph: the scheduler on its own, without an engine."""
import threading
from pathlib import Path

import pytest

import collabflow
from collabflow import TaskGraph

EXAMPLE = Path(__file__).resolve().parents[3] / "benchmarks" / "graph" / "example"


def diamond():
    # A -> B -> D, A -> C -> D
    return TaskGraph.build([2, 3, 1, 4], [(0, 1), (0, 2), (1, 3), (2, 3)],
                           ids=["A", "B", "C", "D"])


def test_build_schedule_and_times():
    with diamond() as g:
        assert (g.handle_count, g.task_count, g.dependency_count) == (4, 4, 4)
        assert g.schedule() == 9
        t = g.times()
        assert list(t.early_start) == [0, 2, 2, 5]
        assert list(t.total_float) == [0, 0, 2, 0]
        assert g.critical_path() == [0, 1, 3]
        assert g.order()[0] == 0 and g.order()[-1] == 3
        assert g.ids() == ["A", "B", "C", "D"]


def test_reschedule_after_edits_equals_a_full_schedule():
    g = diamond()
    g.schedule()
    g.set_duration("C", 7)
    with pytest.raises(collabflow.FailedPrecondition, match="reschedule"):
        g.times()
    assert g.reschedule() == 13
    assert g.last_reschedule_visits > 0
    incremental = g.times()
    g.schedule()
    assert g.times() == incremental


def test_insert_refuses_a_cycle_and_changes_nothing():
    g = diamond()
    with pytest.raises(collabflow.InvalidArgument, match="cycle"):
        g.add_dependency("D", "A")
    with pytest.raises(collabflow.AlreadyExists):
        g.add_dependency("A", "B", type="SS")
    with pytest.raises(collabflow.NotFound):
        g.add_dependency("A", "nope")
    with pytest.raises(collabflow.InvalidArgument, match="unknown type"):
        g.add_dependency("B", "C", type="XX")
    assert g.dependency_count == 4
    e = g.add_task("E", 2)
    g.add_dependency(e, "A", type="FF", lag=-1)
    assert g.dependency_count == 5
    g.remove_dependency("E", "A")
    assert g.dependency_count == 4


def test_from_edge_list_text_and_paths():
    g = TaskGraph.from_edge_list("id,duration\n客户数据收集,3\n方案初稿,4\n",
                                 "from,to,type,lag\n客户数据收集,方案初稿,SS,1\n")
    assert g.schedule() == 5
    assert g.find("方案初稿") == 1
    example = TaskGraph.from_edge_list(EXAMPLE / "tasks.csv", EXAMPLE / "edges.csv")
    assert example.task_count > 10 and example.schedule() > 0


@pytest.mark.parametrize("edges, error, text", [
    ("A,B\nB,Q\n", collabflow.NotFound, 'edges line 2: to: unknown task id "Q"'),
    ("A,B\nB,A\n", collabflow.InvalidArgument, "cycle: \"A\" -> \"B\" -> \"A\" (lines 1, 2)"),
    ("A,B,FS,0,9\n", collabflow.InvalidArgument, "edges line 1: expected 2 to 4 fields"),
    ("A,B,XY\n", collabflow.InvalidArgument, 'edges line 1: unknown type "XY"'),
    ("A,B\nA,B\n", collabflow.AlreadyExists, "edges line 2 repeats edges line 1"),
])
def test_bad_edge_lists_name_the_line(edges, error, text):
    with pytest.raises(error) as e:
        TaskGraph.from_edge_list("A,1\nB,2\n", edges)
    assert text in e.value.message


def test_from_json_dict_and_errors():
    g = TaskGraph.from_json({"tasks": [{"id": "A", "duration": 2}, {"id": "B", "duration": 3}],
                             "dependencies": [{"from": "A", "to": "B", "lag": 2}]})
    assert g.schedule() == 7
    with pytest.raises(collabflow.NotFound, match=r"dependencies\[0\]\.to: unknown task id"):
        TaskGraph.from_json('{"tasks":[{"id":"A","duration":1}],'
                            '"dependencies":[{"from":"A","to":"B"}]}')
    example = TaskGraph.from_json(EXAMPLE / "plan.json")
    csv = TaskGraph.from_edge_list(EXAMPLE / "tasks.csv", EXAMPLE / "edges.csv")
    assert example.schedule() == csv.schedule()


def test_from_networkx_with_attribute_names():
    nx = pytest.importorskip("networkx")
    d = nx.DiGraph()
    d.add_node("调研", weeks=2)
    d.add_node("初稿", weeks=3)
    d.add_node("定稿", weeks=1)
    d.add_edge("调研", "初稿", kind="SS", delay=1)
    d.add_edge("初稿", "定稿")
    g = TaskGraph.from_networkx(d, duration="weeks", type="kind", lag="delay")
    assert g.ids() == ["调研", "初稿", "定稿"]
    assert g.schedule() == 5  # 初稿 1-4 (SS + 1), 定稿 4-5
    d.add_node("无工期")
    with pytest.raises(collabflow.InvalidArgument, match="no 'weeks' attribute"):
        TaskGraph.from_networkx(d, duration="weeks", type="kind", lag="delay")
    assert TaskGraph.from_networkx(d, duration="weeks", type="kind", lag="delay",
                                   default_duration=0).task_count == 4
    d.add_edge("定稿", "调研")
    with pytest.raises(collabflow.InvalidArgument, match="cycle"):
        TaskGraph.from_networkx(d, duration="weeks", type="kind", lag="delay",
                                default_duration=0)


def test_save_and_load_round_trip():
    g = diamond()
    back = TaskGraph.load(g.save())
    assert back.ids() == g.ids() and back.schedule(10) == 19
    with pytest.raises(collabflow.InvalidArgument):
        TaskGraph.load(b"\xff\xff\xff")


def test_closed_graph_is_refused_and_threads_share_one():
    g = diamond()
    g.schedule()
    errors = []

    def work():
        try:
            for _ in range(200):
                g.times()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    g.close()
    with pytest.raises(collabflow.ObjectClosed):
        g.schedule()
