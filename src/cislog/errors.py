"""The library's own errors and the problems it reports.

The library raises these; only the CLI turns them into exit codes and text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cislog.inert import visible


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a dataset, with the place a person must look."""

    file: str
    line: int | None
    id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """One line for a person to read: a file name or value from the dataset shows its
        control and bidi characters (and a file name's undecodable bytes) as escapes."""
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [place, *(part for part in (self.id, self.field) if part), self.message]
        return visible(": ".join(parts))

    def to_dict(self) -> dict[str, Any]:
        """The problem as data. The file name stays exact, for a script to open (a lone
        surrogate of an undecodable byte reaches JSON as an escape, see
        :mod:`cislog.render`); the id, field and message are text for a person and show
        their control and bidi characters as :meth:`__str__` does."""
        data = asdict(self)
        for key in ("id", "field", "message"):
            if data[key] is not None:
                data[key] = visible(data[key])
        return data


class CislogError(Exception):
    """Base of every error cislog raises on purpose."""


class DatasetError(CislogError):
    """The dataset has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the dataset")
