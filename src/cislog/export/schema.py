"""The shape of each record kind, read from the models: which fields are plain
values, lists, references or nested tables. The tabular formats (CSV, SQLite)
lay out their columns from it, so that a field added to a model is exported
without touching them.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from cislog.dates import EdtfDate
from cislog.kinds import RecordKind
from cislog.model import MODELS, Ref, find_ref


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record or nested entry, by its key in the data."""

    key: str
    many: bool  # a list
    ref: tuple[RecordKind, ...] | None  # the kinds it may point at
    nested: type[BaseModel] | None  # a list of nested entries (signatories, offices, ...)
    integer: bool  # stored as an integer (a count, a page number, true/false)
    date: bool = False  # an EDTF date: its bounds get columns of their own


def bound_columns(key: str) -> list[str]:
    """The columns beside a date's own (``date_earliest``, ``date_latest``, ...), one for
    each key of :meth:`cislog.dates.EdtfDate.bounds`."""
    from cislog.dates import BOUNDS_KEYS

    return [f"{key}_{name}" for name in BOUNDS_KEYS]


def bound_values(value: str | None) -> list[Any]:
    """The bounds of a date as written in the data, in the order of :func:`bound_columns`;
    all empty for a date no source gives."""
    from cislog import dates

    if value is None:
        return [None] * len(dates.BOUNDS_KEYS)
    return list(dates.parse(value, allow_open=True).bounds().values())


def _inner(annotation: Any) -> Any:
    """The type under ``X | None`` and ``Annotated``."""
    while True:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif hasattr(annotation, "__metadata__"):
            annotation = get_args(annotation)[0]
        else:
            return annotation


_LAST = ("sources", "note", "check_ignore")


@cache
def fields(model: type[BaseModel]) -> tuple[Field, ...]:
    """The fields of a model, in the order the tabular formats lay out their columns."""
    found = []
    for name, info in model.model_fields.items():
        marker = next((m for m in info.metadata if isinstance(m, Ref)), None)
        marker = marker or find_ref(info.annotation)
        inner = _inner(info.annotation)
        many = get_origin(inner) is list
        item = _inner(get_args(inner)[0]) if many else inner
        nested = item if isinstance(item, type) and issubclass(item, BaseModel) else None
        found.append(
            Field(
                key=info.alias or name,
                many=many,
                ref=marker.kinds if marker else None,
                nested=nested,
                integer=item in (int, bool),
                date=item is EdtfDate,
            )
        )
    # As ``show`` prints a record: its id, its own fields, then what every record has.
    found.sort(key=lambda f: 0 if f.key == "id" else 2 if f.key in _LAST else 1)
    return tuple(found)


def record_fields(kind: RecordKind) -> tuple[Field, ...]:
    return fields(MODELS[kind])


def nested_owners() -> dict[str, list[RecordKind]]:
    """For each nested table (``signatories``, ``check_ignore``, ...) the kinds holding it."""
    owners: dict[str, list[RecordKind]] = {}
    for kind, model in MODELS.items():
        for field in fields(model):
            if field.nested is not None:
                owners.setdefault(field.key, []).append(kind)  # type: ignore[arg-type]
    return owners
