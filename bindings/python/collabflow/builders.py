"""Short builders for the common inputs: parties, answers, tasks, plans.

Everything here returns the dataclasses of :mod:`collabflow.messages`; build
those directly when you need a field a builder does not take.
"""
from __future__ import annotations

import datetime
from typing import Iterable, Optional, Union

from .messages import (Cadence, Decision, Dependency, DependencyType, PartyRef, Plan, Priority,
                       ReceiverResponse, ServedItem, Task)


def person(person_id: str) -> PartyRef:
    """A person of the directory, as an assignee or provider."""
    return PartyRef(person_id=person_id)


def department(department_id: str) -> PartyRef:
    """A department of the directory, as an assignee or provider."""
    return PartyRef(department_id=department_id)


def accept(receiver_id: str, *duties: str, comment: str = "") -> ReceiverResponse:
    """A receiver accepts the current version as it stands, taking ``duties``."""
    return ReceiverResponse(receiver_id=receiver_id, duties=list(duties), timing_accepted=True,
                            decision=Decision.ACCEPT, comment=comment)


def decline(receiver_id: str, comment: str) -> ReceiverResponse:
    """A receiver declines the current version, saying why."""
    return ReceiverResponse(receiver_id=receiver_id, decision=Decision.DECLINE, comment=comment)


def after(task_id: str, *, type: Union[DependencyType, str] = DependencyType.FINISH_TO_START,
          lag_days: int = 0) -> Dependency:
    """A predecessor link: ``after("T1")``, ``after("T1", type="START_TO_START",
    lag_days=1)`` (lags in working days; negative = lead)."""
    return Dependency(predecessor_id=task_id, type=DependencyType.parse(type), lag_days=lag_days)


def task(task_id: str, name: str, *, person: Optional[str] = None,
         department: Optional[str] = None, days: int, after: Iterable[Union[str, Dependency]] = (),
         deliverable: str = "", description: str = "", standard: Iterable[str] = (),
         milestones: Iterable[str] = (), resources: Iterable[str] = (), goal: bool = False,
         priority: Union[Priority, str, int] = Priority.UNSPECIFIED,
         start_no_earlier_than: Optional[datetime.date] = None,
         finish_no_later_than: Optional[datetime.date] = None,
         cadence: Optional[Cadence] = None) -> Task:
    """A plan task assigned to exactly one of ``person`` or ``department``,
    lasting ``days`` working days, after the tasks in ``after`` (ids:
    finish-to-start, or :func:`collabflow.builders.after` links), serving the
    given milestone ids, resource ids and/or the goal."""
    if (person is None) == (department is None):
        raise ValueError("task %s: give exactly one of person= or department=" % task_id)
    assignee = PartyRef(person_id=person) if person is not None else \
        PartyRef(department_id=department)
    serves = ([ServedItem(milestone_id=m) for m in milestones]
              + [ServedItem(resource_id=r) for r in resources]
              + ([ServedItem(goal=True)] if goal else []))
    return Task(id=task_id, name=name, assignee=assignee, description=description,
                delivery_standard=list(standard),
                predecessors=[p if isinstance(p, Dependency) else Dependency(predecessor_id=p)
                              for p in after],
                duration_days=days, priority=Priority.parse(priority), serves=serves,
                deliverable=deliverable, start_no_earlier_than=start_no_earlier_than,
                finish_no_later_than=finish_no_later_than, cadence=cadence)


def plan(*tasks: Task, start: Optional[datetime.date] = None,
         cadence: Optional[Cadence] = None) -> Plan:
    """A plan of ``tasks`` (in order); ``start`` defaults to the first working
    day after publication."""
    return Plan(tasks=list(tasks), project_start=start, cadence=cadence)


__all__ = ["accept", "after", "decline", "department", "person", "plan", "task"]
