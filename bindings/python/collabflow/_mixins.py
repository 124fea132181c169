"""Hand-written behaviour of some generated message classes (messages.py
names these mixins as bases; the generator's MIXINS table says which)."""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional


class PartyRefMixin:
    """A person or a department: ``PartyRef.person("p-li")``,
    ``PartyRef.department("d-sales")``; ``.id`` is whichever is set."""

    person_id: Optional[str]
    department_id: Optional[str]

    @classmethod
    def person(cls, person_id: str) -> Any:
        return cls(person_id=person_id)  # type: ignore[call-arg]

    @classmethod
    def department(cls, department_id: str) -> Any:
        return cls(department_id=department_id)  # type: ignore[call-arg]

    @property
    def id(self) -> str:
        return self.person_id or self.department_id or ""

    @property
    def is_department(self) -> bool:
        return self.department_id is not None


class ScheduledTaskRowMixin:
    """One schedule row; :meth:`to_row` flattens it to plain values."""

    def to_row(self) -> Dict[str, Any]:
        """A flat dict: ids and names as str, dates as ``datetime.date``,
        the assignee as its id (with ``assignee_kind`` "person"/"department")."""
        r: Any = self
        assignee = r.assignee
        return {
            "task_id": r.task_id,
            "name": r.name,
            "assignee": assignee.id if assignee is not None else "",
            "assignee_kind": ("" if assignee is None else
                              "department" if assignee.is_department else "person"),
            "duration_days": r.duration_days,
            "early_start": r.early_start,
            "early_finish": r.early_finish,
            "late_start": r.late_start,
            "late_finish": r.late_finish,
            "total_float_days": r.total_float_days,
            "free_float_days": r.free_float_days,
            "critical": r.critical,
            "driving_predecessor_id": r.driving_predecessor_id,
            "driving_chain": list(r.driving_chain),
        }


class ScheduleViewMixin:
    """The schedule as rows: iterate it, ``to_dicts()``, or ``to_dataframe()``
    when pandas is installed (collabflow itself does not need pandas)."""

    tasks: List[Any]

    @property
    def rows(self) -> List[Any]:
        """The scheduled tasks, in plan order (ScheduledTaskRow)."""
        return self.tasks

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def row(self, task_id: str) -> Any:
        for r in self.tasks:
            if r.task_id == task_id:
                return r
        raise KeyError(task_id)

    def to_dicts(self) -> List[Dict[str, Any]]:
        return [r.to_row() for r in self.tasks]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`to_dicts`, indexed by task id.
        Raises ImportError (saying so) when pandas is not installed."""
        try:
            import pandas  # type: ignore[import-not-found]
        except ImportError as e:
            raise ImportError("ScheduleView.to_dataframe() needs pandas, which is not "
                              "installed; to_dicts() gives the same rows") from e
        frame = pandas.DataFrame(self.to_dicts())
        if len(frame):
            frame = frame.set_index("task_id")
        return frame


class OneofPayloadMixin:
    """Messages whose content is a ``payload`` oneof (Event, Command)."""

    which: Any  # provided by Message

    @property
    def kind(self) -> str:
        """The payload's field name, e.g. ``"request_confirmed"`` ("" if unset)."""
        return self.which("payload") or ""

    @property
    def payload(self) -> Any:
        """The payload message itself (None if unset)."""
        name = self.which("payload")
        return getattr(self, name) if name else None

