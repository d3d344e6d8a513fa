"""EDTF dates that keep the precision a source gives.

A source may say "1993", "October 2011" or "24 September 1993"; turning the
first two into a day would invent a fact. So a date is kept as its EDTF text
and reduced to the range of days it can mean (``earliest``..``latest``), which
is all that filtering and sorting need.

Supported: EDTF level 0 (``1993``, ``1993-09``, ``1993-09-24``), the level 1
qualifiers ``?`` (uncertain, e.g. inferred), ``~`` (approximate) and ``%``
(both), and intervals ``A/B`` whose ends may be open (``..``) or unknown
(empty).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

_SINGLE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<q>[?~%])?")


class DateError(ValueError):
    """A string that is not a valid EDTF date of the supported kinds."""


@dataclass(frozen=True, slots=True)
class Day:
    """One end of a date: a calendar date at year, month or day precision."""

    text: str
    earliest: dt.date
    latest: dt.date
    uncertain: bool
    approximate: bool


@dataclass(frozen=True, slots=True, repr=False)
class EdtfDate:
    """A parsed EDTF date or interval, with the range of days it covers.

    ``earliest`` or ``latest`` is ``None`` where an interval's end is open or
    unknown: the date then overlaps everything on that side.
    """

    text: str
    start: Day | None
    end: Day | None
    is_interval: bool

    @property
    def earliest(self) -> dt.date | None:
        return self.start.earliest if self.start else None

    @property
    def latest(self) -> dt.date | None:
        return self.end.latest if self.end else None

    @property
    def uncertain(self) -> bool:
        """True when any part is marked ``?`` (for example, inferred by an editor)."""
        return any(d.uncertain for d in (self.start, self.end) if d)

    @property
    def approximate(self) -> bool:
        return any(d.approximate for d in (self.start, self.end) if d)

    @property
    def sort_day(self) -> dt.date:
        """The day a chronology sorts it by: its earliest, or its end when the start is open."""
        return self.earliest or self.latest or dt.date.max

    def overlaps(self, earliest: dt.date | None, latest: dt.date | None) -> bool:
        """Whether any day of this date falls in the inclusive range given."""
        if latest is not None and self.earliest is not None and self.earliest > latest:
            return False
        return not (earliest is not None and self.latest is not None and self.latest < earliest)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"EdtfDate({self.text!r})"


def _parse_day(text: str) -> Day:
    match = _SINGLE.fullmatch(text)
    if not match:
        raise DateError(
            f"'{text}' is not an EDTF date: use YYYY, YYYY-MM or YYYY-MM-DD, "
            "optionally followed by ? (uncertain) or ~ (approximate)"
        )
    year = int(match["year"])
    if year == 0:
        raise DateError(f"'{text}': year 0000 is not supported")
    qualifier = match["q"] or ""
    if match["month"] is None:
        earliest, latest = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise DateError(f"'{text}': there is no month {month:02d}")
        last_day = calendar.monthrange(year, month)[1]
        if match["day"] is None:
            earliest, latest = dt.date(year, month, 1), dt.date(year, month, last_day)
        else:
            day = int(match["day"])
            if not 1 <= day <= last_day:
                month_name = calendar.month_name[month]
                raise DateError(f"'{text}': {month_name} {year} has no day {day}")
            earliest = latest = dt.date(year, month, day)
    return Day(
        text=text,
        earliest=earliest,
        latest=latest,
        uncertain=qualifier in ("?", "%"),
        approximate=qualifier in ("~", "%"),
    )


OPEN = EdtfDate(text="..", start=None, end=None, is_interval=True)
"""The end of a term that had not ended when the sources were written (EDTF's open end)."""


@functools.lru_cache(maxsize=4096)
def parse(text: str, allow_open: bool = False) -> EdtfDate:
    """Parse an EDTF string, raising :class:`DateError` with a reason.

    With ``allow_open``, a bare ``..`` is accepted as :data:`OPEN`: the end of a
    term still running, unlike an end left out, which no source gives. Dates
    are immutable and a dataset repeats many, so parsed ones are kept for reuse.
    """
    if allow_open and text == "..":
        return OPEN
    if text != text.strip() or not text:
        raise DateError(f"'{text}' is not an EDTF date: it is empty or has surrounding spaces")
    if "/" not in text:
        day = _parse_day(text)
        return EdtfDate(text=text, start=day, end=day, is_interval=False)
    if text.count("/") > 1:
        raise DateError(f"'{text}': an interval has exactly one '/'")
    left, right = text.split("/")
    if left in ("", "..") and right in ("", ".."):
        raise DateError(f"'{text}': an interval needs at least one known end")
    start = None if left in ("", "..") else _parse_day(left)
    end = None if right in ("", "..") else _parse_day(right)
    if start and end and start.earliest > end.latest:
        raise DateError(f"'{text}': the interval starts after it ends")
    return EdtfDate(text=text, start=start, end=end, is_interval=True)


def parse_query(text: str) -> tuple[dt.date, dt.date]:
    """Turn a partial date typed by a user into the inclusive range of days it covers."""
    day = _parse_day(text.strip())
    return day.earliest, day.latest
