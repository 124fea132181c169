"""The scheduler on its own: a dependency graph of tasks and its critical
path, without an engine (cflow_task_graph_* of the C ABI).

    g = TaskGraph.from_edge_list(Path("tasks.csv"), Path("edges.csv"))
    g = TaskGraph.from_networkx(dag, duration="weeks", type="kind", lag="delay")
    finish = g.schedule()               # full CPM; the dates stay in the graph
    g.add_dependency("T7", "T9")        # cycle-checked; refused edits change nothing
    g.set_duration("T3", 5)
    g.reschedule()                      # only what the edits can affect
    times = g.times()                   # columns by handle: early_start, ...

Units are working days: durations and lags are counts, dates are ordinals
(day 0 is the first working day of the project unless ``project_start``
says otherwise). A task is named by its handle (0, 1, 2, ... in creation
order) or, where a method takes ``task``, by its id.

Thread safety: calls on one graph are serialized inside the library; one
object may be shared between threads. Close it (or use ``with``) to release
it early; a closed graph raises :class:`collabflow.ObjectClosed`.
"""
from __future__ import annotations

import array
import json as _json
import os
from ctypes import byref, c_char_p, c_int, c_int32, c_size_t, c_uint32, c_void_p
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _ffi, errors

#: Dependency types by name, as the C ABI numbers them (cflow_link_type).
LINK_TYPES: Dict[str, int] = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}

TaskRef = Union[int, str]
TextOrPath = Union[str, bytes, "os.PathLike[str]"]


class ScheduleTimes(NamedTuple):
    """The schedule's dates by handle, each an ``array.array('i')``."""

    early_start: "array.array[int]"
    early_finish: "array.array[int]"
    late_start: "array.array[int]"
    late_finish: "array.array[int]"
    total_float: "array.array[int]"
    free_float: "array.array[int]"


def _text(source: TextOrPath) -> bytes:
    """A path-like is read; str and bytes are the text itself."""
    if isinstance(source, os.PathLike):
        with open(source, "rb") as f:
            return f.read()
    if isinstance(source, str):
        return source.encode("utf-8")
    if isinstance(source, bytes):
        return source
    raise TypeError("expected text (str or bytes) or a path (os.PathLike), got %r" % (source,))


def _link_type(value: Any, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
        return value
    if isinstance(value, str) and value.upper() in LINK_TYPES:
        return LINK_TYPES[value.upper()]
    raise errors.InvalidArgument("%s: unknown type %r (FS, SS, FF or SF)" % (where, value))


_C_TYPES = {"i": "int32_t", "I": "uint32_t"}


def _out_of_range(where: str, kind: str, value: Any) -> errors.InvalidArgument:
    return errors.InvalidArgument("%s: %r is out of range for %s" % (where, value, _C_TYPES[kind]))


def _column(kind: str, values: Sequence[int], where: str) -> "array.array[int]":
    """``values`` as a C column; InvalidArgument naming ``where`` and the
    index for a value the column's C type cannot hold (array.array refuses
    it, where ctypes would keep the low bits)."""
    if isinstance(values, array.array) and values.typecode == kind:
        return values
    try:
        return array.array(kind, values)
    except OverflowError:
        column = array.array(kind)
        for i, value in enumerate(values):
            _append(column, value, "%s[%d]" % (where, i))
        raise  # not reached: one of them overflows


def _append(column: "array.array[int]", value: Any, where: str) -> None:
    try:
        column.append(value)
    except OverflowError:
        raise _out_of_range(where, column.typecode, value) from None


def _pointer(column: "array.array[int]", ctype: Any) -> Any:
    if not len(column):
        return None
    return (ctype * len(column)).from_buffer(column)


class TaskGraph(_ffi.ObjectRef):
    """A cflow_task_graph. ``TaskGraph()`` is empty; build one with
    :meth:`build`, :meth:`from_edge_list`, :meth:`from_json`,
    :meth:`from_networkx` or :meth:`load`."""

    _dispose_name = "cflow_task_graph_free"
    _kind = "task graph"

    def __init__(self, ptr: Any = None) -> None:
        if ptr is None:
            ptr = _ffi.task_graph_p()
            _ffi.check(_ffi.lib.cflow_task_graph_new(byref(ptr)))
        super().__init__(ptr)
        self.last_reschedule_visits = 0

    # --- construction -------------------------------------------------------

    @classmethod
    def build(cls, durations: Sequence[int],
              dependencies: Iterable[Sequence[Any]] = (),
              ids: Optional[Sequence[Optional[str]]] = None) -> "TaskGraph":
        """From lists: task i has ``durations[i]`` working days (and
        ``ids[i]``, if given); each dependency is ``(predecessor, successor)``
        handles, optionally followed by a type ("FS", "SS", "FF", "SF") and a
        lag. Refusals name the index (InvalidArgument, NotFound,
        AlreadyExists); a cycle names its tasks."""
        dur = _column("i", durations, "durations")
        preds, succs, types, lags = (array.array("I"), array.array("I"), array.array("i"),
                                     array.array("i"))
        for k, d in enumerate(dependencies):
            if not 2 <= len(d) <= 4:
                raise errors.InvalidArgument(
                    "dependencies[%d]: expected (predecessor, successor[, type[, lag]])" % k)
            _append(preds, d[0], "dependencies[%d].predecessor" % k)
            _append(succs, d[1], "dependencies[%d].successor" % k)
            types.append(_link_type(d[2], "dependencies[%d].type" % k) if len(d) > 2 else 0)
            _append(lags, d[3] if len(d) > 3 else 0, "dependencies[%d].lag" % k)
        id_array = None
        if ids is not None:
            if len(ids) != len(dur):
                raise errors.InvalidArgument(
                    "ids: %d ids for %d durations" % (len(ids), len(dur)))
            id_array = (c_char_p * len(ids))(
                *[None if i is None else str(i).encode("utf-8") for i in ids])
        ptr = _ffi.task_graph_p()
        _ffi.check(_ffi.lib.cflow_task_graph_build(
            byref(ptr), id_array, _pointer(dur, c_int32), len(dur), _pointer(preds, c_uint32),
            _pointer(succs, c_uint32), _pointer(types, c_int), _pointer(lags, c_int32),
            len(preds)))
        return cls(ptr)

    @classmethod
    def from_edge_list(cls, tasks: TextOrPath, edges: TextOrPath) -> "TaskGraph":
        """From an edge list: ``tasks`` lines "id,duration", ``edges`` lines
        "from,to[,type[,lag]]" (commas, or tabs; an optional header line;
        '#' comments). Each is the text itself (str, bytes) or a path
        (``pathlib.Path``). Errors name the text and the line: "edges line
        7: to: unknown task id "Q""."""
        t, e = _text(tasks), _text(edges)
        ptr = _ffi.task_graph_p()
        _ffi.check(_ffi.lib.cflow_task_graph_from_edge_list(byref(ptr), t, len(t), e, len(e)))
        return cls(ptr)

    @classmethod
    def from_json(cls, source: Union[TextOrPath, Dict[str, Any]]) -> "TaskGraph":
        """From ``{"tasks": [{"id", "duration"}], "dependencies": [{"from",
        "to", "type", "lag"}]}``: a dict, JSON text, or a path to it. Errors
        name the element: "dependencies[4].type: ..."."""
        data = (_json.dumps(source, ensure_ascii=False).encode("utf-8")
                if isinstance(source, dict) else _text(source))
        ptr = _ffi.task_graph_p()
        _ffi.check(_ffi.lib.cflow_task_graph_from_json(byref(ptr), data, len(data)))
        return cls(ptr)

    @classmethod
    def from_networkx(cls, graph: Any, duration: str = "duration", type: str = "type",
                      lag: str = "lag", default_duration: Optional[int] = None) -> "TaskGraph":
        """From a networkx ``DiGraph``: nodes are tasks (id ``str(node)``,
        in the graph's node order), node attribute ``duration`` their working
        days; edges are dependencies, with edge attributes ``type`` ("FS"
        when absent) and ``lag`` (0 when absent). Pass the attribute names
        your graph uses. A node without a duration is InvalidArgument naming
        it, unless ``default_duration`` is given."""
        if graph.is_multigraph() or not graph.is_directed():
            raise errors.InvalidArgument(
                "graph: expected a networkx DiGraph, got a %s" % builtin_type(graph).__name__)
        index: Dict[Any, int] = {}
        ids: List[str] = []
        durations = array.array("i")
        for node, attrs in graph.nodes(data=True):
            value = attrs.get(duration, default_duration)
            if value is None:
                raise errors.InvalidArgument(
                    "node %r: no %r attribute (pass duration=NAME or default_duration=N)"
                    % (node, duration))
            if not isinstance(value, int) or isinstance(value, bool):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    raise errors.InvalidArgument(
                        "node %r: %s %r is not an integer number of working days"
                        % (node, duration, value))
            _append(durations, value, "node %r: %s" % (node, duration))
            index[node] = len(ids)
            ids.append(str(node))
        preds, succs, types, lags = (array.array("I"), array.array("I"), array.array("i"),
                                     array.array("i"))
        for u, v, attrs in graph.edges(data=True):
            preds.append(index[u])
            succs.append(index[v])
            types.append(_link_type(attrs.get(type, "FS"), "edge %r -> %r: %s" % (u, v, type)))
            value = attrs.get(lag, 0)
            if not isinstance(value, int) or isinstance(value, bool):
                raise errors.InvalidArgument(
                    "edge %r -> %r: %s %r is not an integer" % (u, v, lag, value))
            _append(lags, value, "edge %r -> %r: %s" % (u, v, lag))
        id_array = (c_char_p * len(ids))(*[i.encode("utf-8") for i in ids])
        ptr = _ffi.task_graph_p()
        _ffi.check(_ffi.lib.cflow_task_graph_build(
            byref(ptr), id_array, _pointer(durations, c_int32), len(durations),
            _pointer(preds, c_uint32), _pointer(succs, c_uint32), _pointer(types, c_int),
            _pointer(lags, c_int32), len(preds)))
        return cls(ptr)

    @classmethod
    def load(cls, data: bytes) -> "TaskGraph":
        """A graph saved by :meth:`save` (collabflow.v1.TaskGraph bytes)."""
        ptr = _ffi.task_graph_p()
        _ffi.check(_ffi.lib.cflow_task_graph_load(byref(ptr), _ffi.as_u8(data), len(data)))
        return cls(ptr)

    def save(self) -> bytes:
        """The graph as collabflow.v1.TaskGraph protobuf bytes (no schedule)."""
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_save(byref(out), byref(out_len), h))
        return _ffi.take_buffer(out, out_len)

    # --- size and names -----------------------------------------------------

    def _sizes(self) -> Tuple[int, int, int]:
        handles, tasks, deps = c_size_t(), c_size_t(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_size(byref(handles), byref(tasks), byref(deps),
                                                      h))
        return handles.value, tasks.value, deps.value

    @property
    def handle_count(self) -> int:
        """Handles ever issued (live or removed): the length of every column."""
        return self._sizes()[0]

    @property
    def task_count(self) -> int:
        return self._sizes()[1]

    @property
    def dependency_count(self) -> int:
        return self._sizes()[2]

    def __len__(self) -> int:
        return self.task_count

    def find(self, task_id: str) -> int:
        """The handle of the task with this id; NotFound if none."""
        out = c_uint32()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_find(byref(out), h, task_id.encode("utf-8")))
        return out.value

    def _handle_of(self, task: TaskRef) -> int:
        return self.find(task) if isinstance(task, str) else task

    def ids(self) -> List[str]:
        """Every handle's id ("" for none), by handle."""
        out, out_len = c_void_p(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_ids(byref(out), byref(out_len), h))
        data = _ffi.take_buffer(out, out_len)
        return [s.decode("utf-8") for s in data.split(b"\0")[:-1]]

    # --- edits --------------------------------------------------------------

    def add_task(self, task_id: Optional[str] = None, duration: int = 0) -> int:
        """Adds a task and returns its handle; AlreadyExists for a taken id."""
        out = c_uint32()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_add_task(
                byref(out), h, None if task_id is None else task_id.encode("utf-8"), duration))
        return out.value

    def add_dependency(self, predecessor: TaskRef, successor: TaskRef, type: str = "FS",
                       lag: int = 0) -> None:
        """Adds predecessor -> successor (handles or ids), checking for a
        cycle: InvalidArgument "... would close the cycle A -> B -> A",
        AlreadyExists for a second dependency of the pair, NotFound for an
        unknown task. A refused edit changes nothing."""
        p, s = self._handle_of(predecessor), self._handle_of(successor)
        t = _link_type(type, "type")
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_add_dependency(h, p, s, t, lag))

    def remove_dependency(self, predecessor: TaskRef, successor: TaskRef) -> None:
        p, s = self._handle_of(predecessor), self._handle_of(successor)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_remove_dependency(h, p, s))

    def set_duration(self, task: TaskRef, duration: int) -> None:
        t = self._handle_of(task)
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_set_duration(h, t, duration))

    # --- order and schedule -------------------------------------------------

    def order(self) -> List[int]:
        """The live tasks in a topological order (handles)."""
        n = self.handle_count
        out, count = (c_uint32 * max(n, 1))(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_order(out, n, byref(count), h))
        return list(out[:count.value])

    def schedule(self, project_start: int = 0) -> int:
        """Computes the schedule in full (every task starting no earlier than
        ordinal ``project_start``), keeps it, and returns the project finish."""
        finish = c_int32()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_schedule(byref(finish), h, project_start))
        return finish.value

    def reschedule(self) -> int:
        """Brings the schedule up to date after edits, touching only what
        they can affect (equal to a full :meth:`schedule`), and returns the
        project finish; ``last_reschedule_visits`` says how many tasks were
        recomputed. FailedPrecondition if never scheduled."""
        finish, visits = c_int32(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_reschedule(byref(finish), byref(visits), h))
        self.last_reschedule_visits = visits.value
        return finish.value

    def times(self) -> ScheduleTimes:
        """The dates of the current schedule, by handle. FailedPrecondition
        if the graph was edited since its last (re)schedule."""
        n = self.handle_count
        columns = [array.array("i", bytes(4 * n)) for _ in range(6)]
        pointers = [_pointer(c, c_int32) for c in columns]
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_times(*pointers, n, h))
        return ScheduleTimes(*columns)

    def critical_path(self) -> List[int]:
        """The driving chain of the task that finishes last (handles, first
        task first)."""
        n = self.task_count
        out, count = (c_uint32 * max(n, 1))(), c_size_t()
        with self._use() as h:
            _ffi.check(_ffi.lib.cflow_task_graph_critical_path(out, n, byref(count), h))
        return list(out[:count.value])


builtin_type = type

__all__ = ["LINK_TYPES", "ScheduleTimes", "TaskGraph"]
