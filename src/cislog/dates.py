"""EDTF dates that say exactly what the sources say, and no more.

A source may say "1993", "October 2011", "24 September 1993", "on 11 October"
(no year) or "before the accession of 24 September 1993"; turning any of them
into one day would invent a fact. So a date is kept as its EDTF text and read
as the set of days it can mean. Filters then tell a record that *certainly*
falls in an asked range from one that only *may* (:func:`match`,
:func:`term_match`), and every output carries the same machine-usable bounds
(:meth:`EdtfDate.bounds`).

Supported, as EDTF (ISO 8601-2) defines them:

- level 0: ``1993``, ``1993-09``, ``1993-09-24``, and intervals ``A/B``;
- the qualifiers ``?`` (uncertain, e.g. inferred), ``~`` (approximate) and
  ``%`` (both), on a date or on an end of an interval;
- interval ends that are open (``..``) or unknown (empty);
- unspecified digits, ``X``, in any digit of the year, month or day:
  ``199X``, ``1993-XX``, ``XXXX-10-11`` (11 October, year not stated);
- one of a set, ``[1667, 1668, 1670..1672]``, whose first member may be open
  at its start and whose last at its end: ``[..1993-09-24]`` (on or before),
  ``[1993-09-24..]`` (on or after).

Digits are ASCII only: ``١٩٩٣`` is not a year here.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

_SINGLE = re.compile(
    r"(?P<year>[0-9X]{4})(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?(?P<q>[?~%])?",
    re.ASCII,
)
_PLAIN = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?", re.ASCII)

Precision = Literal["year", "month", "day"]
Match = Literal["certain", "possible"]
_COARSENESS: dict[Precision, int] = {"year": 0, "month": 1, "day": 2}
_FIRST, _LAST = dt.date.min, dt.date.max


# What is wrong with a date, for a caller to tell kinds of bad dates apart: text that
# is not a date of the supported forms; a form cislog does not support (year 0000, all
# of a set); a date no calendar has (month 13, 30 February); an interval or range that
# starts after it ends; an interval where one day is wanted (a term's start or end);
# a date to ask for (--from, --on) that is not plain digits.
DateProblem = Literal[
    "not-edtf", "unsupported", "impossible", "reversed", "not-one-day", "not-a-query"
]


class DateError(ValueError):
    """A string that is not a valid EDTF date of the supported kinds; ``code`` says which
    way (a :data:`DateProblem`), the message says it to a person.

    A ``ValueError``, so that the models' validators and callers catching that still do.
    """

    def __init__(self, code: DateProblem, message: str) -> None:
        super().__init__(message)
        self.code: DateProblem = code

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.code, str(self))


@functools.lru_cache(maxsize=1024)
def _numbers(pattern: str, low: int, high: int) -> Sequence[int]:
    """The numbers from ``low`` to ``high`` whose digits fit ``pattern`` ('19X5', 'X1'),
    in order. A pattern of X alone is every number (a range, not ten thousand ints)."""
    if "X" not in pattern:
        value = int(pattern)
        return (value,) if low <= value <= high else ()
    if set(pattern) == {"X"}:
        return range(low, min(high, 10 ** len(pattern) - 1) + 1)
    places = [10 ** (len(pattern) - 1 - i) for i in range(len(pattern))]
    fixed = sum(int(c) * place for c, place in zip(pattern, places, strict=True) if c != "X")
    free = [place for c, place in zip(pattern, places, strict=True) if c == "X"]
    values = sorted(
        fixed + sum(d * place for d, place in zip(digits, free, strict=True))
        for digits in itertools.product(range(10), repeat=len(free))
    )
    return tuple(v for v in values if low <= v <= high)


class Day(NamedTuple):
    """One calendar date as written: a year, maybe a month, maybe a day, any digit of
    which may be unspecified (``X``), and the qualifiers that follow it.

    It stands for every real day that fits it (``1993-09`` for the 30 days of
    September 1993); ``earliest`` and ``latest`` are the first and last of them,
    ``None`` when the year is not given at all (``XXXX-10-11``): the calendar's
    first and last years would be an artefact, not a bound any source gives.
    """

    text: str
    year: str
    month: str | None
    day: str | None
    uncertain: bool
    approximate: bool
    earliest: dt.date | None
    latest: dt.date | None

    @property
    def precision(self) -> Precision:
        """As written: ``1993-XX`` is written to the month, its month unspecified."""
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def unspecified(self) -> bool:
        return "X" in self.year + (self.month or "") + (self.day or "")

    @property
    def digits(self) -> str:
        """The date without its qualifier: ``1993-09-24`` of ``1993-09-24?``."""
        return self.text.rstrip("?~%")

    @property
    def qualified(self) -> bool:
        return self.uncertain or self.approximate

    @property
    def reach(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day it may fall on. A date marked ``?`` or ``~`` may be off
        by some amount no source states; it is read as reaching one unit of its
        precision beyond its bounds (``1995~`` from 1994 to 1996, ``2022-10-14?`` from
        the 13th to the 15th), so that no day next to it is ruled out for certain."""
        if not self.qualified:
            return self.earliest, self.latest
        return (
            None if self.earliest is None else _step(self.earliest, self.precision, -1),
            None if self.latest is None else _step(self.latest, self.precision, 1),
        )

    def meets(self, earliest: dt.date | None, latest: dt.date | None) -> bool:
        """Whether any day it may fall on lies in the inclusive range (``None``: unbounded)."""
        if self.qualified or not self.unspecified:
            return _overlap(*self.reach, earliest, latest)
        first_day = _scan(self.year, self.month, self.day, earliest or _FIRST, forward=True)
        return first_day is not None and (latest is None or first_day <= latest)


def _step(day: dt.date, precision: Precision, by: int) -> dt.date:
    """``day`` moved one unit of ``precision`` earlier (``by`` -1, to the unit's first day)
    or later (1, to its last day), within the calendar."""
    try:
        if precision == "day":
            return day + dt.timedelta(days=by)
        if precision == "month":
            month = day.year * 12 + day.month - 1 + by
            year, month = divmod(month, 12)
            last = calendar.monthrange(year, month + 1)[1]
            return dt.date(year, month + 1, 1 if by < 0 else last)
        return dt.date(day.year + by, 1, 1) if by < 0 else dt.date(day.year + by, 12, 31)
    except (OverflowError, ValueError):  # before year 1 or after 9999
        return _FIRST if by < 0 else _LAST


def _candidates(
    year: str, month: str | None, day: str | None
) -> tuple[Sequence[int], Sequence[int], Sequence[int]]:
    """Years, months and days of the month that fit the pattern; a part left out
    (``1993`` has no month) allows every value."""
    return (
        _numbers(year, 1, 9999),
        _numbers(month, 1, 12) if month is not None else range(1, 13),
        _numbers(day, 1, 31) if day is not None else range(1, 32),
    )


def _scan(
    year: str, month: str | None, day: str | None, start: dt.date, forward: bool
) -> dt.date | None:
    """The first real day fitting the pattern on or after ``start`` (on or before it,
    going backward), or None. Only a few years are ever tried: in any year but the
    first, the first fitting month and day that exists is the answer, and only
    29 February is missing from most years."""
    years, months, days = _candidates(year, month, day)
    if forward:
        years = years[bisect.bisect_left(years, start.year) :]
    else:
        years = years[: bisect.bisect_right(years, start.year)][::-1]
        months, days = months[::-1], days[::-1]
    for y in years:
        for m in months:
            if y == start.year and (m < start.month if forward else m > start.month):
                continue
            last = calendar.monthrange(y, m)[1]
            for d in days:
                before = d < start.day if forward else d > start.day
                if d > last or (y == start.year and m == start.month and before):
                    continue
                return dt.date(y, m, d)
    return None


def _parse_day(text: str) -> Day:
    match = _SINGLE.fullmatch(text)
    if not match:
        raise DateError(
            "not-edtf",
            f"'{text}' is not an EDTF date: use YYYY, YYYY-MM or YYYY-MM-DD (X for a digit "
            "no source gives), optionally followed by ? (uncertain) or ~ (approximate)",
        )
    year, month, day = match["year"], match["month"], match["day"]
    qualifier = match["q"] or ""
    if year == "0000":
        raise DateError("unsupported", f"'{text}': year 0000 is not supported")
    if month is not None and not _numbers(month, 1, 12):
        raise DateError("impossible", f"'{text}': there is no month {month}")
    if day is not None and not _numbers(day, 1, 31):
        raise DateError("impossible", f"'{text}': no month has a day {day}")
    if "X" in text:
        earliest = _scan(year, month, day, _FIRST, forward=True)
        if earliest is None:
            raise DateError("impossible", f"'{text}': no day of the calendar fits it")
        latest = _scan(year, month, day, _LAST, forward=False)
        if year == "XXXX":
            earliest = latest = None
    else:  # digits alone, as most dates are: the days they span, computed directly
        earliest, latest = _span(text, int(year), month, day)
    return Day(
        text=text,
        year=year,
        month=month,
        day=day,
        uncertain=qualifier in ("?", "%"),
        approximate=qualifier in ("~", "%"),
        earliest=earliest,
        latest=latest,
    )


def _span(text: str, year: int, month: str | None, day: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day of a date written in digits alone."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    number = int(month)
    last = calendar.monthrange(year, number)[1]
    if day is None:
        return dt.date(year, number, 1), dt.date(year, number, last)
    if int(day) > last:
        raise DateError(
            "impossible", f"'{text}': {calendar.month_name[number]} {year} has no day {int(day)}"
        )
    first = dt.date(year, number, int(day))
    return first, first


# A member of a one-of set: a date (both ends the same), a range ``A..B``, or a range
# open at one end (``..B``, ``A..``), whose missing end is None.
Member = tuple["Day | None", "Day | None"]

Form = Literal["date", "interval", "set", "open"]


@dataclass(frozen=True, slots=True, repr=False)
class EdtfDate:
    """A parsed EDTF value and the days it can mean.

    ``form`` says how to read it:

    - ``date``: one day, to the precision written (``start`` is ``end``);
    - ``interval``: something that lasted from a day of ``start`` to a day of
      ``end``; an end that is open or unknown is ``None``;
    - ``set``: one day, in one of ``members``;
    - ``open``: a term still running when its sources were written (``..``).

    ``earliest`` and ``latest`` are ``None`` on a side with no bound: an open
    or unknown end, or a year not given at all.
    """

    text: str
    form: Form
    start: Day | None = None
    end: Day | None = None
    members: tuple[Member, ...] = ()
    # Read once when parsed (dates are immutable and shared): a timeline of 100,000
    # entries asks each for its bounds.
    earliest: dt.date | None = field(init=False, compare=False)
    """The first day it can mean (an interval: the first day it can start)."""
    latest: dt.date | None = field(init=False, compare=False)
    """The last day it can mean (an interval: the last day it can end)."""
    uncertain: bool = field(init=False, compare=False)
    """Any part is marked ``?`` (for example, inferred by an editor)."""
    approximate: bool = field(init=False, compare=False)
    precision: Precision | None = field(init=False, compare=False)
    """The coarsest precision any part is written to; None for a bare ``..``."""
    reach: tuple[dt.date | None, dt.date | None] = field(init=False, compare=False)
    """The first and last day it may fall on: its bounds, reaching one unit further
    where a part is marked ``?`` or ``~`` (see :attr:`Day.reach`)."""

    def __post_init__(self) -> None:
        if self.form == "date":  # one written day, as most dates are: its own reading
            day = self.start
            assert day is not None
            derived: dict[str, Any] = {
                "earliest": day.earliest,
                "latest": day.latest,
                "reach": day.reach,
                "uncertain": day.uncertain,
                "approximate": day.approximate,
                "precision": day.precision,
            }
        else:
            if self.form == "set":
                days = [day for member in self.members for day in member if day is not None]
                lows = [low for low, _ in self.members]
                highs = [high for _, high in self.members]
            else:
                days = [day for day in (self.start, self.end) if day is not None]
                lows, highs = [self.start], [self.end]
            derived = {
                "earliest": _first([low.earliest if low else None for low in lows]),
                "latest": _last([high.latest if high else None for high in highs]),
                "reach": (
                    _first([low.reach[0] if low else None for low in lows]),
                    _last([high.reach[1] if high else None for high in highs]),
                ),
                "uncertain": any(day.uncertain for day in days),
                "approximate": any(day.approximate for day in days),
                "precision": min(
                    (d.precision for d in days), key=_COARSENESS.__getitem__, default=None
                ),
            }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def is_interval(self) -> bool:
        return self.form == "interval"

    def _written_to(self, digits: int) -> bool:
        """Whether the first ``digits`` digits of the year are given wherever a year is
        written, and some bound places the date."""
        parts = [d for member in self.members for d in member] if self.form == "set" else []
        years = [day.year for day in (*parts, self.start, self.end) if day is not None]
        return (
            bool(years)
            and self.sort_day != dt.date.max
            and all("X" not in year[:digits] for year in years)
        )

    @property
    def year_given(self) -> bool:
        """Whether its year is written in full wherever it is written (not ``XXXX-10-11``
        nor ``199X``), and some bound places it: a chronology can put it in a year."""
        return self._written_to(4)

    @property
    def decade_given(self) -> bool:
        """Whether the decade of its year is written wherever it is (``199X`` has one)."""
        return self._written_to(3)

    @property
    def qualified(self) -> bool:
        """Marked uncertain or approximate: its true days may lie outside its bounds."""
        return self.uncertain or self.approximate

    @property
    def sort_day(self) -> dt.date:
        """The day a chronology sorts it by: its earliest, else its latest, else last of all.

        The same key jq and SQL users reproduce from the bounds (see the README):
        ``earliest // latest``, dates without either last, ties broken by id.
        """
        return self.earliest or self.latest or dt.date.max

    def meets(self, earliest: dt.date | None, latest: dt.date | None) -> bool:
        """Whether it may fall in the inclusive range (``None``: unbounded): some day it
        can mean lies there, or, for an interval, it may have lasted into it."""
        if self.form == "set":
            return any(_member_meets(member, earliest, latest) for member in self.members)
        if self.form == "date":
            assert self.start is not None
            return self.start.meets(earliest, latest)
        return _span_match(_range(self.start), _range(self.end), earliest, latest, True) is not None

    def bounds(self) -> dict[str, Any]:
        """The machine-usable reading every output carries beside the EDTF text.

        ``earliest``/``latest`` are ISO days or null (no bound on that side),
        ``precision`` is ``year``, ``month`` or ``day`` as written (null for a bare
        ``..``), ``interval`` says whether it lasted from ``earliest`` to
        ``latest`` (true) or happened on one day between them (false).
        """
        return {
            "earliest": _iso(self.earliest),
            "latest": _iso(self.latest),
            "precision": self.precision,
            "uncertain": self.uncertain,
            "approximate": self.approximate,
            "interval": self.is_interval,
        }

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"EdtfDate({self.text!r})"


def _first(days: list[dt.date | None]) -> dt.date | None:
    """The earliest of several lower bounds; None (no bound) if any has none."""
    return None if None in days or not days else min(d for d in days if d is not None)


def _last(days: list[dt.date | None]) -> dt.date | None:
    """The latest of several upper bounds; None (no bound) if any has none."""
    return None if None in days or not days else max(d for d in days if d is not None)


BOUNDS_KEYS = ("earliest", "latest", "precision", "uncertain", "approximate", "interval")
"""The keys of :meth:`EdtfDate.bounds`, in order: the JSON contract and the CSV and
SQLite columns (``date_earliest``, ...) all follow them."""


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def bounds(date: EdtfDate | None) -> dict[str, Any] | None:
    """:meth:`EdtfDate.bounds`, or None for a date no source gives."""
    return None if date is None else date.bounds()


def _member_meets(member: Member, earliest: dt.date | None, latest: dt.date | None) -> bool:
    low, high = member
    if low is high and low is not None:
        return low.meets(earliest, latest)
    return _overlap(
        low.reach[0] if low else None, high.reach[1] if high else None, earliest, latest
    )


def _overlap(
    first: dt.date | None, last: dt.date | None, earliest: dt.date | None, latest: dt.date | None
) -> bool:
    """Whether the days from ``first`` to ``last`` meet the range from ``earliest`` to
    ``latest``, all inclusive, None being no bound on that side."""
    return not (
        (latest is not None and first is not None and first > latest)
        or (earliest is not None and last is not None and last < earliest)
    )


OPEN = EdtfDate(text="..", form="open")
"""The end of a term still running when the sources were written (EDTF's open end)."""


def _parse_member(text: str, first: bool, last: bool, whole: str) -> Member:
    if ".." not in text:
        day = _parse_day(text)
        return day, day
    left, _, right = text.partition("..")
    if ".." in right:
        raise DateError("not-edtf", f"'{whole}': '{text}' has more than one '..'")
    if not left and not right:
        raise DateError("not-edtf", f"'{whole}': '..' alone is not a member of a set")
    if not left and not first:
        raise DateError(
            "not-edtf", f"'{whole}': only the first member may be open at its start ('..{right}')"
        )
    if not right and not last:
        raise DateError(
            "not-edtf", f"'{whole}': only the last member may be open at its end ('{left}..')"
        )
    low = _parse_day(left) if left else None
    high = _parse_day(right) if right else None
    if low and high and low.earliest and high.latest and low.earliest > high.latest:
        raise DateError("reversed", f"'{whole}': the range '{text}' starts after it ends")
    return low, high


def _parse_set(text: str) -> EdtfDate:
    inner = text[1:-1]
    if not inner.strip():
        raise DateError("not-edtf", f"'{text}': a set needs at least one member")
    parts = [part.strip() for part in inner.split(",")]
    if any(not part for part in parts):
        raise DateError("not-edtf", f"'{text}': a set's members are separated by single commas")
    members = tuple(
        _parse_member(part, i == 0, i == len(parts) - 1, text) for i, part in enumerate(parts)
    )
    return EdtfDate(text=text, form="set", members=members)


@functools.lru_cache(maxsize=4096)
def parse(text: str, allow_open: bool = False, allow_interval: bool = True) -> EdtfDate:
    """Parse an EDTF string, raising :class:`DateError` with a reason.

    With ``allow_open``, a bare ``..`` is accepted as :data:`OPEN`: the end of a
    term still running, unlike an end left out, which no source gives. Without
    ``allow_interval`` (a term's start or end, which is one day), an interval
    is refused with the set that says what was probably meant. Dates are
    immutable and a dataset repeats many, so parsed ones are kept for reuse.
    """
    if allow_open and text == "..":
        return OPEN
    if text != text.strip() or not text:
        raise DateError(
            "not-edtf", f"'{text}' is not an EDTF date: it is empty or has surrounding spaces"
        )
    if text.startswith("{"):
        raise DateError(
            "unsupported",
            f"'{text}': all of a set ({{...}}) is not supported; a date says when one thing "
            "happened: use [...] for one of a set",
        )
    if text.startswith("[") and text.endswith("]"):
        return _parse_set(text)
    if "/" not in text:
        day = _parse_day(text)
        return EdtfDate(text=text, form="date", start=day, end=day)
    if text.count("/") > 1:
        raise DateError("not-edtf", f"'{text}': an interval has exactly one '/'")
    left, right = text.split("/")
    if left in ("", "..") and right in ("", ".."):
        raise DateError("not-edtf", f"'{text}': an interval needs at least one known end")
    if not allow_interval:
        said = (
            f"[..{right}] for on or before {right}"
            if left in ("", "..")
            else f"[{left}..] for on or after {left}"
            if right in ("", "..")
            else f"[{left}..{right}] for a day between them"
        )
        raise DateError(
            "not-one-day",
            f"'{text}': the start or end of a term is one day, not an interval: write {said}",
        )
    start = None if left in ("", "..") else _parse_day(left)
    end = None if right in ("", "..") else _parse_day(right)
    if start and end and start.earliest and end.latest and start.earliest > end.latest:
        raise DateError("reversed", f"'{text}': the interval starts after it ends")
    return EdtfDate(text=text, form="interval", start=start, end=end)


def parse_query(text: str) -> tuple[dt.date, dt.date]:
    """Turn a partial date typed by a user into the inclusive range of days it covers."""
    text = text.strip()
    if not _PLAIN.fullmatch(text):
        raise DateError(
            "not-a-query",
            f"'{text}' is not a date to ask for: use YYYY, YYYY-MM or YYYY-MM-DD "
            "(ASCII digits, no qualifier)",
        )
    day = _parse_day(text)
    assert day.earliest is not None and day.latest is not None
    return day.earliest, day.latest


# --- certain and possible --------------------------------------------------------

Range = tuple[dt.date | None, dt.date | None]


def _range(date: Day | EdtfDate | None) -> Range:
    """The first and last day a date may fall on (its reach); (None, None) for one no
    source gives."""
    if date is None:
        return None, None
    return date.reach


def _span_match(
    start: Range, end: Range, earliest: dt.date | None, latest: dt.date | None, qualified: bool
) -> Match | None:
    """Whether something that lasted from a day of ``start`` to a day of ``end`` (each the
    range of days it can be, None on an unbounded side) shared a day with the asked range.

    Possible: some start and end consistent with the dates (start on or before end)
    reach the range. Certain: every such start and end do, which a qualified date
    (whose days may lie outside its bounds) never guarantees.
    """
    first_start, last_end = start[0], end[1]
    if latest is not None and first_start is not None and first_start > latest:
        return None
    if earliest is not None and last_end is not None and last_end < earliest:
        return None
    if qualified and not (earliest is None and latest is None):
        return "possible"
    latest_start, earliest_end = _surely_held(start, end)
    starts_in_time = latest is None or (latest_start is not None and latest_start <= latest)
    ends_in_time = earliest is None or (earliest_end is not None and earliest_end >= earliest)
    return "certain" if starts_in_time and ends_in_time else "possible"


def _surely_held(start: Range, end: Range) -> Range:
    """The latest day a span can start and the earliest it can end, each None when
    unbounded: a start is never after the end, nor an end before the start."""
    return _lesser(start[1], end[1]), _greater(end[0], start[0])


def _lesser(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    """The earlier of two upper bounds, None being no bound (later than any day)."""
    return b if a is None else a if b is None else min(a, b)


def _greater(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    """The later of two lower bounds, None being no bound (earlier than any day)."""
    return b if a is None else a if b is None else max(a, b)


def match(date: EdtfDate, earliest: dt.date | None, latest: dt.date | None) -> Match | None:
    """Whether a record dated ``date`` falls in the inclusive range asked for.

    ``certain`` when every day the date can mean lies in the range (an interval:
    when it certainly lasted into the range), ``possible`` when only some do,
    None when none does. An open or unknown end, an unspecified digit, a
    coarser precision or a ``?``/``~`` mark can only make a match possible:
    none is ever read as a known bound. With no range at all, everything is
    certainly in it.
    """
    if earliest is None and latest is None:
        return "certain"
    if date.form in ("interval", "open"):
        return _span_match(_range(date.start), _range(date.end), earliest, latest, date.qualified)
    if not date.meets(earliest, latest):
        return None
    inside = (
        not date.qualified
        and (earliest is None or (date.earliest is not None and earliest <= date.earliest))
        and (latest is None or (date.latest is not None and date.latest <= latest))
    )
    return "certain" if inside else "possible"


def term_match(
    start: EdtfDate | None, end: EdtfDate | None, earliest: dt.date | None, latest: dt.date | None
) -> Match | None:
    """Whether a term (an office, a membership) from ``start`` to ``end`` covers a day of
    the asked range: ``certain``, ``possible`` or None (certainly not).

    A missing start or end (no source gives it) and an end of ``..`` (still
    running when the undated sources were written) bound nothing: the term may
    have begun at any time before its end and may have ended at any time after
    its start. ``[..2015-10-16]`` as a start says it began on or before that day.
    """
    qualified = any(date.qualified for date in (start, end) if date is not None)
    return _span_match(_range(start), _range(end), earliest, latest, qualified)


def terms_overlap(
    first: tuple[EdtfDate | None, EdtfDate | None], second: tuple[EdtfDate | None, EdtfDate | None]
) -> bool:
    """Whether two terms (start, end) certainly share a day: each certainly began
    before the other can have ended. Open, unknown and qualified ends never make
    an overlap certain."""
    if any(date is not None and date.qualified for term in (first, second) for date in term):
        return False
    starts_a, ends_a = _surely_held(_range(first[0]), _range(first[1]))
    starts_b, ends_b = _surely_held(_range(second[0]), _range(second[1]))
    if None in (starts_a, ends_a, starts_b, ends_b):
        return False
    assert starts_a and ends_a and starts_b and ends_b
    return starts_a <= ends_b and starts_b <= ends_a
