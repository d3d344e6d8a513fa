"""How the calendar-like formats (ICS, TimelineJS, Markdown) speak of a date whose
precision, certainty or ends the sources leave open, without inventing any."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from cislog.dates import Day, EdtfDate, Precision

if TYPE_CHECKING:
    from cislog.export import Export, Json

_PARTS = ("year", "month", "day")


def placed(date: EdtfDate) -> bool:
    """Whether any day bounds the date: one whose year no source gives (``XXXX-10-11``)
    has no place on a calendar or a time axis."""
    return date.earliest is not None or date.latest is not None


def left_out(
    export: Export, fits: Callable[[EdtfDate], bool] | None = None
) -> list[tuple[Json, str]]:
    """The timeline entries a calendar or a time axis has no place for, each with why:
    a date with no year, or one that ``fits`` (the format's own range) refuses."""
    found = []
    for entry in export.timeline:
        date = export.date(entry)
        if not placed(date):
            found.append((entry, "gives no year"))
        elif fits is not None and not fits(date):
            found.append((entry, "reaches the last day a calendar can write"))
    return found


def parts(day: Day) -> dict[str, int]:
    """The year, month and day a date gives, and no more (``1993-09`` has no day); a part
    with an unspecified digit ends them (``1993-XX-24`` gives the year only)."""
    given: dict[str, int] = {}
    for name, value in zip(_PARTS, (day.year, day.month, day.day), strict=True):
        if value is None or "X" in value:
            break
        given[name] = int(value)
    return given


def day_parts(day: dt.date, precision: Precision | None) -> dict[str, int]:
    """A bound of a date as the parts its precision allows (``1990`` of a ``199X``)."""
    values = {"year": day.year, "month": day.month, "day": day.day}
    depth = _PARTS.index(precision) + 1 if precision else 3
    return {name: values[name] for name in _PARTS[:depth]}


def _unspecified(day: Day) -> str | None:
    missing = [
        name
        for name, value in zip(_PARTS, (day.year, day.month, day.day), strict=True)
        if value is not None and "X" in value
    ]
    if not missing:
        return None
    return f"{' and '.join(missing)} not {'fully ' if day.year != 'XXXX' else ''}given"


POSSIBLE = "possibly in the asked dates"


def qualifier(date: EdtfDate, match: str | None = None) -> str | None:
    """What a reader must know besides the days: an open end, one of a set, a digit no
    source gives, uncertainty, approximation, and, for an entry a date filter only
    possibly kept (``match``), that it may lie outside the asked dates."""
    said = []
    if date.form == "interval":
        left, right = date.text.split("/")
        # ".." is an open end (it went on), an empty one an end no source gives.
        if date.start is None:
            said.append("start open" if left == ".." else "start not given")
        if date.end is None:
            said.append("end open" if right == ".." else "end not given")
    elif date.form == "set":
        said.append(_set_text(date))
    for day in dict.fromkeys(d for d in (date.start, date.end) if d is not None):
        missing = _unspecified(day)
        if missing:
            said.append(missing)
    if date.uncertain:
        said.append("date uncertain")
    if date.approximate:
        said.append("date approximate")
    if match == "possible":
        said.append(POSSIBLE)
    return ", ".join(said) or None


def _set_text(date: EdtfDate) -> str:
    members = []
    for low, high in date.members:
        if low is high and low is not None:
            members.append(low.digits)
        elif low is None and high is not None:
            members.append(f"on or before {high.digits}")
        elif high is None and low is not None:
            members.append(f"on or after {low.digits}")
        elif low is not None and high is not None:
            members.append(f"{low.digits} to {high.digits}")
    if len(members) == 1:
        return members[0]
    return "one of " + ", ".join(members)


def bounds_text(date: EdtfDate) -> str:
    """The bounds every output carries, in words: ``earliest 1993-01-01, latest
    1993-12-31, to the year``."""
    bounds = date.bounds()
    said = [
        f"earliest {bounds['earliest'] or 'not given'}",
        f"latest {bounds['latest'] or 'not given'}",
    ]
    if bounds["precision"]:
        said.append(f"to the {bounds['precision']}")
    if bounds["interval"]:
        said.append("lasting from the one to the other")
    return ", ".join(said)
