"""Statuses as enumerations, each with one table of the moves allowed from it.

A service's domain declares its statuses as an `enum.StrEnum` (values are the strings read models
and API answers carry) and one `Transitions` table: status -> {action: next status}. The domain asks
the table before it records an event (`require` / `next`); projections and pages import the same
table to say what can happen next (`actions`), so the three never disagree.

Plain Python: domain modules may import it.
"""
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from shared.errors import Conflict, Invalid

S = TypeVar("S", bound=StrEnum)


class Transitions(Generic[S]):
    """The allowed moves of one kind of record (`what`: how a message names it, e.g. "application").

    `moves` maps each status to the actions allowed from it and the status each leads to; a status
    without moves is final. Every status of the enumeration must appear (final ones with {})."""

    def __init__(self, what: str, statuses: type[S], moves: Mapping[S, Mapping[str, S]]):
        missing = [s.value for s in statuses if s not in moves]
        if missing:
            raise ValueError(f"{what}: no row for {missing}")
        self.what = what
        self.statuses = statuses
        self.moves: dict[S, dict[str, S]] = {statuses(k): dict(v) for k, v in moves.items()}

    def parse(self, value: str, field: str = "status") -> S:
        """A status named from outside (a query's filter, a stored string); unknown is a 422."""
        try:
            return self.statuses(value)
        except ValueError:
            raise Invalid("not a known status: {status}", field=field, status=str(value)) from None

    def actions(self, current: str) -> tuple[str, ...]:
        """What may be done from this status (empty when final), in the table's order."""
        return tuple(self.moves[self.statuses(current)])

    def can(self, current: str, action: str) -> bool:
        return action in self.moves[self.statuses(current)]

    def next(self, current: str, action: str) -> S:
        """The status `action` leads to from `current`; a 409 naming the status when it is not allowed."""
        target = self.moves[self.statuses(current)].get(action)
        if target is None:
            raise Conflict("not possible while the {what} is '{status}'", what=self.what, status=str(current))
        return target

    def require(self, current: str, to: str) -> None:
        """A 409 unless some action leads from `current` to `to`."""
        if self.statuses(to) not in self.moves[self.statuses(current)].values():
            raise Conflict("not possible while the {what} is '{status}'", what=self.what, status=str(current))

    def reachable(self, start: str) -> set[S]:
        """Every status that can follow `start` (itself included)."""
        seen, todo = {self.statuses(start)}, [self.statuses(start)]
        while todo:
            for target in self.moves[todo.pop()].values():
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    def final(self) -> tuple[S, ...]:
        return tuple(status for status, moves in self.moves.items() if not moves)

    def table(self) -> list[tuple[str, str, str]]:
        """(from, action, to) rows, for documentation and pages."""
        return [(str(source), action, str(target)) for source, moves in self.moves.items()
                for action, target in moves.items()]


def values(statuses: Iterable[StrEnum]) -> tuple[str, ...]:
    return tuple(str(status) for status in statuses)
