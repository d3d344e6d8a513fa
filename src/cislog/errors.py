"""The library's own errors and the problems it reports.

The library raises these; only the CLI turns them into exit codes and text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from typing import Any, Literal

from cislog.inert import visible

# What kind of problem a problem is, for a script or a caller to act on: the message is
# for a person and may be reworded, a code is not. Every problem carries one.
ProblemCode = Literal[
    "no-directory",
    "not-a-directory",
    "no-data-files",
    "unreadable",
    "not-utf8",
    "binary-file",
    "toml-syntax",
    "too-deep",
    "unknown-kind",
    "not-array-of-tables",
    "missing-field",
    "unknown-field",
    "wrong-type",
    "unknown-value",
    "out-of-range",
    "bad-id",
    "bad-date",
    "bad-url",
    "too-long",
    "control-character",
    "empty-reason",
    "invalid-value",
    "duplicate-id",
    "unknown-reference",
    "wrong-reference-kind",
    "uncited",
    "ends-before-start",
    "duplicate-signatory",
    "count-too-small",
    "cycle",
]

# What each code means, in the order of ProblemCode: the README's table of codes.
PROBLEM_CODES: dict[ProblemCode, str] = {
    "no-directory": "the dataset directory does not exist",
    "not-a-directory": "the dataset path is not a directory",
    "no-data-files": "the directory holds no `*.toml` file",
    "unreadable": "a data file cannot be read (permissions, a device)",
    "not-utf8": "a file is not UTF-8 text (UTF-16, or bytes of another encoding)",
    "binary-file": "a file holds a NUL byte: it is not text",
    "toml-syntax": "invalid TOML, placed at its line and column",
    "too-deep": "arrays or tables nested too deeply to read or check",
    "unknown-kind": "a top-level table that is not a kind of record",
    "not-array-of-tables": "a kind whose records are not written as `[[kind]]` tables",
    "missing-field": "a required field is missing",
    "unknown-field": "a field the record (or entry) does not have",
    "wrong-type": "a value of the wrong type: text for a number, a table for a list",
    "unknown-value": "a value outside its enumeration: a kind, a status, a rule",
    "out-of-range": "a number beyond its bounds",
    "bad-id": "an id, or a country code, of the wrong shape",
    "bad-date": "a date that is not EDTF of the supported forms, or that no calendar has",
    "bad-url": "a link that is not `https://`, `http://` or `mailto:`",
    "too-long": "a text longer than its field holds",
    "control-character": "a text holding a control character (or, in one line, a line break)",
    "empty-reason": "a `check_ignore` whose reason is empty",
    "invalid-value": "a value its field refuses for another reason",
    "duplicate-id": "an id that another record has already",
    "unknown-reference": "a reference to an id no record has",
    "wrong-reference-kind": "a reference to a record of another kind",
    "uncited": "a record or entry that cites no source",
    "ends-before-start": "a term of office or membership that ends before it starts",
    "duplicate-signatory": "a country listed twice among a document's signatories",
    "count-too-small": "a declared exact count smaller than the records it counts",
    "cycle": "a body that is its own ancestor, or a source part of itself",
}


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a dataset, with the place a person must look, and its
    :data:`ProblemCode`: the record (``id``) and field it concerns, where known, are
    its target."""

    file: str
    line: int | None
    id: str | None
    field: str | None
    message: str
    code: ProblemCode = dataclass_field(kw_only=True)

    def __str__(self) -> str:
        """One line for a person to read: a file name or value from the dataset shows its
        control and bidi characters (and a file name's undecodable bytes) as escapes."""
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [place, *(part for part in (self.id, self.field) if part), self.message]
        return visible(": ".join(parts))

    def to_dict(self) -> dict[str, Any]:
        """The problem as data, its code last. The file name stays exact, for a script to
        open (a lone surrogate of an undecodable byte reaches JSON as an escape, see
        :mod:`cislog.render`); the id, field and message are text for a person and show
        their control and bidi characters as :meth:`__str__` does."""
        data = asdict(self)
        for key in ("id", "field", "message"):
            if data[key] is not None:
                data[key] = visible(data[key])
        return data


class InvalidValue(ValueError):
    """A field value a record model refuses, with the code of the problem it becomes.

    The models' validators raise it (Pydantic keeps the exception with the error), so
    that loading reads the kind of a refusal from its code, never from its wording.
    """

    def __init__(self, code: ProblemCode, message: str) -> None:
        super().__init__(message)
        self.code: ProblemCode = code

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.code, str(self))


class CislogError(Exception):
    """Base of every error cislog raises on purpose."""


class DatasetError(CislogError):
    """The dataset has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the dataset")
