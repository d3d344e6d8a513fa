"""Dates that say exactly what the sources say: unspecified digits, one of a set, and
matches that are certain or only possible, checked against an independent reading of
each date as the set of days it can mean."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from functools import lru_cache

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cislog import dates

D = dt.date


# --- the new forms ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("XXXX-10-11", None, None, "day"),  # 11 October, year not stated
        ("199X", D(1990, 1, 1), D(1999, 12, 31), "year"),
        ("1993-XX", D(1993, 1, 1), D(1993, 12, 31), "month"),
        ("1993-XX-31", D(1993, 1, 31), D(1993, 12, 31), "day"),
        ("19X5-X1-3X", D(1905, 1, 30), D(1995, 11, 30), "day"),
        ("20XX-02-29", D(2000, 2, 29), D(2096, 2, 29), "day"),
        ("[..1993-09-24]", None, D(1993, 9, 24), "day"),  # on or before
        ("[1993-09-24..]", D(1993, 9, 24), None, "day"),  # on or after
        ("[1667, 1668, 1670..1672]", D(1667, 1, 1), D(1672, 12, 31), "year"),
        ("[..1990, 1995-06]", None, D(1995, 6, 30), "year"),
        ("199X/2003", D(1990, 1, 1), D(2003, 12, 31), "year"),
    ],
)
def test_each_new_form_has_the_bounds_of_the_days_it_can_mean(
    text: str, earliest: D | None, latest: D | None, precision: str
) -> None:
    parsed = dates.parse(text)

    assert (parsed.earliest, parsed.latest, parsed.precision) == (earliest, latest, precision)
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("XXXX-02-30", "no day of the calendar fits it"),
        ("1993-2X", "there is no month 2X"),
        ("1993-01-4X", "no month has a day 4X"),
        ("[..1993, ..1994]", "only the first member may be open at its start"),
        ("[1993.., 1994]", "only the last member may be open at its end"),
        ("[1995..1993]", "the range '1995..1993' starts after it ends"),
        ("[]", "a set needs at least one member"),
        ("[1993,,1994]", "separated by single commas"),
        ("{1993, 1994}", "all of a set"),
        ("[1993..1994..1995]", "more than one '..'"),
        ("١٩٩٣", "is not an EDTF date"),  # Arabic-Indic digits
        ("\uff11\uff19\uff19\uff13", "is not an EDTF date"),  # full-width digits
        ("1993\n", "surrounding spaces"),
    ],
)
def test_malformed_new_forms_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(dates.DateError, match=reason.replace("?", r"\?").replace(".", r"\.")):
        dates.parse(text)


def test_a_term_end_is_one_day_and_an_interval_gets_the_set_it_means() -> None:
    with pytest.raises(dates.DateError, match=r"write \[\.\.2015-10-16\] for on or before"):
        dates.parse("../2015-10-16", allow_interval=False)
    with pytest.raises(dates.DateError, match=r"write \[2022-10-14\.\.\] for on or after"):
        dates.parse("2022-10-14/..", allow_open=True, allow_interval=False)
    assert dates.parse("..", allow_open=True, allow_interval=False) is dates.OPEN


@pytest.mark.parametrize("text", ["199X", "1993?", "١٩٩٣", "1993/1994", "[..1993]"])
def test_an_asked_date_is_plain_digits(text: str) -> None:
    with pytest.raises(dates.DateError, match="is not a date to ask for"):
        dates.parse_query(text)


def test_bounds_are_the_json_every_output_carries() -> None:
    assert dates.parse("[..1993-09-24]").bounds() == {
        "earliest": None,
        "latest": "1993-09-24",
        "precision": "day",
        "uncertain": False,
        "approximate": False,
        "interval": False,
    }
    assert dates.parse("2011-04-20/2011-04-21?").bounds()["interval"] is True
    assert dates.parse("2011-04-20/2011-04-21?").bounds()["uncertain"] is True
    assert dates.OPEN.bounds()["precision"] is None
    assert list(dates.parse("1993").bounds()) == list(dates.BOUNDS_KEYS)


# --- certain and possible -----------------------------------------------------------


def _range(query: str) -> tuple[D | None, D | None]:
    low, _, high = query.partition("..")
    return (
        dates.parse_query(low)[0] if low else None,
        dates.parse_query(high)[1] if high else None,
    )


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("1993-09-24", "1993..1993", "certain"),
        ("1993-09-24", "1993-09-25..", None),
        ("1993", "1993-09..1993-09", "possible"),  # coarser than the range
        ("1993", "1992..1994", "certain"),
        ("1993?", "1992..1994", "possible"),  # uncertain: its days may lie elsewhere
        ("1995~", "1990..2000", "possible"),
        ("[..1993-09-24]", "1800..1801", "possible"),  # on or before: how long before, unknown
        ("[..1993-09-24]", "..1993-09-24", "certain"),
        ("[..1993-09-24]", "1993-09-25..", None),
        ("[1993-09-24..]", "2030..", "possible"),
        ("../1993-09-24", "1800..1801", "possible"),  # an open start is not a known one
        ("../1993-09-24", "1993-09-24..1993-09-24", "certain"),  # it lasted into that day
        ("2011-04-20/2011-04-21", "2011-04-21..2011-04-21", "certain"),
        ("2011-04/2011-06", "2011-05..2011-05", "certain"),
        ("2011-04/2011-06", "2011-04-01..2011-04-01", "possible"),
        ("XXXX-10-11", "2023..2023", "possible"),
        ("XXXX-10-11", "2023-03..2023-09", None),
        ("[1667, 1670]", "1668..1669", None),
        ("[1667, 1670]", "1667..1670", "certain"),
        ("199X", "1990..1999", "certain"),
        ("199X", "1995..1995", "possible"),
        ("1993", "..", "certain"),  # nothing asked: everything is in it
    ],
)
def test_a_date_falls_certainly_possibly_or_not_in_a_range(
    text: str, query: str, expected: str | None
) -> None:
    assert dates.match(dates.parse(text), *_range(query)) == expected


@pytest.mark.parametrize(
    ("start", "end", "query", "expected"),
    [
        # Ilham Aliyev: president on 2015-10-16 and on 2022-10-14, no term given.
        ("[..2015-10-16]", "[2022-10-14..]", "2022-10-14..2022-10-14", "certain"),
        ("[..2015-10-16]", "[2022-10-14..]", "2018..2018", "certain"),
        ("[..2015-10-16]", "[2022-10-14..]", "1980..1980", "possible"),
        ("[..2015-10-16]", "[2022-10-14..]", "2030..2030", "possible"),
        # Still running when undated sources were written: beyond the start, possible.
        ("2023-01-01", "..", "2023-01-01..2023-01-01", "certain"),
        ("2023-01-01", "..", "2030..2030", "possible"),
        ("2023-01-01", "..", "2022..2022", None),
        ("2007-10-05", "2022-12-31", "2020-01-01..2020-01-01", "certain"),
        ("2007-10-05", "2022-12-31?", "2020-01-01..2020-01-01", "possible"),
        (None, None, "2000..2000", "possible"),  # no source dates it at all
        ("1993-09-24", None, "1993-09-24..1993-09-24", "certain"),
        ("1993-09-24", None, "1994..1994", "possible"),
        ("1993-09-24", None, "1992..1992", None),
    ],
)
def test_a_term_covers_a_range_certainly_possibly_or_not(
    start: str | None, end: str | None, query: str, expected: str | None
) -> None:
    parsed_start = dates.parse(start) if start else None
    parsed_end = dates.parse(end, allow_open=True) if end else None

    assert dates.term_match(parsed_start, parsed_end, *_range(query)) == expected


def test_two_terms_overlap_only_when_certainly_sharing_a_day() -> None:
    def term(start: str | None, end: str | None) -> tuple[dates.EdtfDate | None, ...]:
        return (
            dates.parse(start) if start else None,
            dates.parse(end, allow_open=True) if end else None,
        )

    assert dates.terms_overlap(term("1990", "2000"), term("1999", "2005"))  # type: ignore[arg-type]
    assert not dates.terms_overlap(term("1990", "2000"), term("2000-06", ".."))  # type: ignore[arg-type]
    assert not dates.terms_overlap(term("2007", ".."), term("2023", ".."))  # type: ignore[arg-type]
    assert not dates.terms_overlap(term("1990?", "2000"), term("1991", "1999"))  # type: ignore[arg-type]


# --- an independent reading, for generated dates -----------------------------------------
#
# Generated years are 19XX patterns, so that every day a date can mean (but for the
# open members of a set) lies in the window, which the oracle walks day by day.

WINDOW = (D(1900, 1, 1), D(1999, 12, 31))
MONTHS = [f"{m:02d}" for m in range(1, 13)] + ["0X", "1X", "XX"] + [f"X{d}" for d in range(10)]
DAYS = [f"{d:02d}" for d in range(1, 32)] + ["0X", "1X", "2X", "3X", "XX"]
DAYS += [f"X{d}" for d in range(10)]


def _digits(pattern: str) -> list[int]:
    """The numbers whose digits fit a pattern, digit by digit ('1X' is 10 to 19)."""
    options = [range(10) if char == "X" else [int(char)] for char in pattern]
    return [int("".join(map(str, digits))) for digits in itertools.product(*options)]


@lru_cache(maxsize=4096)
def _days_of(day_text: str) -> tuple[D, ...]:
    """Every real day a written date can be: each fitting year, month and day that the
    calendar has (a part left out allows every value)."""
    parts = day_text.rstrip("?~%").split("-")
    years = _digits(parts[0])
    months = _digits(parts[1]) if len(parts) > 1 else list(range(1, 13))
    days = _digits(parts[2]) if len(parts) > 2 else list(range(1, 32))
    found = []
    for year, month, day in itertools.product(years, months, days):
        try:
            found.append(D(year, month, day))
        except ValueError:  # no such month, or no such day in that month
            continue
    return tuple(sorted(found))


class Oracle:
    """A date as an explicit set of days, with a flag for each unbounded side."""

    def __init__(self, days: set[D], below: bool, above: bool, qualified: bool) -> None:
        self.days, self.below, self.above, self.qualified = days, below, above, qualified
        self.ordered = sorted(days)

    def possible(self, low: D | None, high: D | None) -> bool:
        first = bisect.bisect_left(self.ordered, low or D.min)
        if first < len(self.ordered) and (high is None or self.ordered[first] <= high):
            return True
        # An open side holds days outside the window, which the generated ranges reach.
        return (self.below and (low is None or low < WINDOW[0])) or (
            self.above and (high is None or high > WINDOW[1])
        )

    def certain(self, low: D | None, high: D | None) -> bool:
        if low is None and high is None:
            return True
        if self.qualified or (self.below and low is not None) or (self.above and high is not None):
            return False
        return (low is None or self.ordered[0] >= low) and (
            high is None or self.ordered[-1] <= high
        )


def _span_of(first: D, last: D) -> set[D]:
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


def _reach_of(day_text: str) -> set[D]:
    """The days a written date may fall on: those that fit it, or, when it is marked ? or
    ~, every day from one unit of its precision before the first to one after the last
    (the year before and after for a year; the month, the day, likewise)."""
    days = _days_of(day_text)
    if not any(q in day_text for q in "?~%"):
        return set(days)
    first, last = days[0], days[-1]
    depth = len(day_text.rstrip("?~%").split("-"))
    if depth == 1:
        first, last = D(first.year - 1, 1, 1), D(last.year + 1, 12, 31)
    elif depth == 2:
        before = D(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
        after = D(last.year + (last.month == 12), last.month % 12 + 1, 1)
        following = D(after.year + (after.month == 12), after.month % 12 + 1, 1)
        first, last = before, following - dt.timedelta(days=1)
    else:
        first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    return _span_of(first, last)


def _oracle(text: str) -> Oracle:
    qualified = any(q in text for q in "?~%")
    if text.startswith("["):
        days: set[D] = set()
        below = above = False
        for member in text[1:-1].split(","):
            member = member.strip()
            low, dots, high = member.partition("..")
            if not dots:
                days.update(_reach_of(member))
                continue
            first = min(_days_of(low)) if low else WINDOW[0]
            last = max(_days_of(high)) if high else WINDOW[1]
            below, above = below or not low, above or not high
            days.update(_span_of(first, last))
        return Oracle(days, below, above, qualified)
    return Oracle(_reach_of(text), False, False, qualified)


_year = st.tuples(st.sampled_from("0123456789X"), st.sampled_from("0123456789X")).map(
    lambda ds: "19" + "".join(ds)
)


def _valid(text: str) -> str:
    """A generated date the parser accepts; others (no day fits them) are discarded."""
    try:
        dates.parse(text)
    except dates.DateError:
        assume(False)
    return text


@st.composite
def written_days(draw: st.DrawFn) -> str:
    """A written date (19XX years) with any digits unspecified and any qualifier."""
    text = draw(_year)
    month = draw(st.none() | st.sampled_from(MONTHS))
    if month is not None:
        text += f"-{month}"
        day = draw(st.none() | st.sampled_from(DAYS))
        if day is not None:
            text += f"-{day}"
    text += draw(st.sampled_from(["", "", "", "?", "~", "%"]))
    return _valid(text)


@st.composite
def one_of_sets(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 3))
    members = []
    for index in range(count):
        shape = draw(st.sampled_from(["day", "range", "open"]))
        if shape == "day":
            members.append(draw(written_days()))
            continue
        low, high = sorted(
            [draw(written_days()).rstrip("?~%"), draw(written_days()).rstrip("?~%")],
            key=lambda t: dates.parse(t).sort_day,
        )
        if shape == "open" and index == 0:
            members.append(f"..{high}")
        elif shape == "open" and index == count - 1:
            members.append(f"{low}..")
        else:
            members.append(f"{low}..{high}")
    text = "[" + ", ".join(members) + "]"
    return _valid(text)


@st.composite
def intervals(draw: st.DrawFn) -> str:
    start = draw(st.sampled_from(["..", ""]) | written_days())
    end = draw(st.sampled_from(["..", ""]) | written_days())
    assume(start not in ("..", "") or end not in ("..", ""))
    text = f"{start}/{end}"
    return _valid(text)


asked_days = st.none() | st.dates(D(1890, 1, 1), D(2009, 12, 31))


@st.composite
def ranges(draw: st.DrawFn) -> tuple[D | None, D | None]:
    low, high = draw(asked_days), draw(asked_days)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def _widen(asked: tuple[D | None, D | None], by: tuple[int, int]) -> tuple[D | None, D | None]:
    low, high = asked
    return (
        None if low is None else low - dt.timedelta(days=by[0]),
        None if high is None else high + dt.timedelta(days=by[1]),
    )


every_form = st.one_of(written_days(), one_of_sets(), intervals())


@given(every_form)
def test_earliest_is_never_after_latest_and_the_bounds_say_so(text: str) -> None:
    date = dates.parse(text)
    bounds = date.bounds()

    if date.earliest is not None and date.latest is not None:
        assert date.earliest <= date.latest
    assert bounds["earliest"] == (date.earliest.isoformat() if date.earliest else None)
    assert bounds["latest"] == (date.latest.isoformat() if date.latest else None)
    assert bounds["interval"] is (date.form == "interval")
    # The documented sort key: earliest, else latest, else last of all.
    assert date.sort_day == (date.earliest or date.latest or D.max)


@given(st.one_of(written_days(), one_of_sets()))
def test_bounds_are_the_first_and_last_days_a_date_can_mean(text: str) -> None:
    stated = _oracle(text.translate(str.maketrans("", "", "?~%")))
    reach = _oracle(text)
    date = dates.parse(text)

    # The bounds are those written; a ? or ~ only widens the days it may fall on.
    assert date.earliest == (None if stated.below else min(stated.days))
    assert date.latest == (None if stated.above else max(stated.days))
    assert date.reach == (
        None if reach.below else min(reach.days),
        None if reach.above else max(reach.days),
    )


@given(st.one_of(written_days(), one_of_sets()), ranges())
def test_a_match_agrees_with_the_days_a_date_can_mean(
    text: str, asked: tuple[D | None, D | None]
) -> None:
    oracle = _oracle(text)
    found = dates.match(dates.parse(text), *asked)

    assert (found is not None) == oracle.possible(*asked)
    assert (found == "certain") == oracle.certain(*asked)


@given(every_form, ranges(), st.tuples(st.integers(0, 4000), st.integers(0, 4000)))
def test_certain_is_within_possible_and_a_wider_range_keeps_both(
    text: str, asked: tuple[D | None, D | None], by: tuple[int, int]
) -> None:
    date = dates.parse(text)
    narrow = dates.match(date, *asked)
    wide = dates.match(date, *_widen(asked, by))

    if narrow == "certain":
        assert wide == "certain"
    if narrow is not None:
        assert wide is not None


BEFORE, AFTER = D.min, D.max  # beyond any day a range is asked for


def _points(oracle: Oracle | None) -> list[D]:
    """The days a term's end can be; an unbounded side stands as the calendar's first or
    last day, beyond every generated range."""
    if oracle is None:  # no source gives it: any day at all
        return [BEFORE, *_days_of("19XX"), AFTER]
    return oracle.ordered + [BEFORE] * oracle.below + [AFTER] * oracle.above


def _term_oracle(
    start: Oracle | None, end: Oracle | None, low: D | None, high: D | None
) -> tuple[bool, bool]:
    """(possibly, certainly) held in the range, for a term from a day of ``start`` to a day
    of ``end``, the start never after the end: from the days themselves."""
    starts, ends = _points(start), _points(end)
    last_end, first_start = max(ends), min(starts)
    feasible_starts = [s for s in starts if s <= last_end]
    feasible_ends = [e for e in ends if e >= first_start]
    # Possibly: the earliest start and the latest end reach the range.
    possible = (high is None or min(feasible_starts) <= high) and (
        low is None or max(feasible_ends) >= low
    )
    qualified = any(o is not None and o.qualified for o in (start, end))
    # Certainly: even the latest start and the earliest end reach it.
    certain = possible and (
        (low is None and high is None)
        or (
            not qualified
            and (high is None or max(feasible_starts) <= high)
            and (low is None or min(feasible_ends) >= low)
        )
    )
    return possible, certain


term_ends = st.none() | written_days() | one_of_sets()


@given(term_ends, term_ends | st.just(".."), ranges())
def test_a_term_match_agrees_with_every_start_and_end_the_dates_allow(
    start: str | None, end: str | None, asked: tuple[D | None, D | None]
) -> None:
    parsed_start = dates.parse(start) if start else None
    parsed_end = dates.parse(end, allow_open=True) if end else None
    if parsed_start and parsed_end and parsed_start.earliest and parsed_end.latest:
        assume(parsed_start.earliest <= parsed_end.latest)  # validation refuses the rest
    possible, certain = _term_oracle(
        _oracle(start) if start else None,
        _oracle(end) if end and end != ".." else None,
        *asked,
    )
    found = dates.term_match(parsed_start, parsed_end, *asked)

    assert (found is not None) == possible
    # Never certain where some start and end the dates allow miss the range; a date
    # with gaps between its days (one of a set, an unspecified digit: 19X3 is ten
    # years apart) may leave a certain match possible, as the README says.
    if found == "certain":
        assert certain
    gaps = any(text and (text.startswith("[") or "X" in text) for text in (start, end))
    if certain and not gaps:
        assert found == "certain"


@given(term_ends, term_ends, ranges(), st.tuples(st.integers(0, 4000), st.integers(0, 4000)))
def test_for_terms_too_certain_is_within_possible_and_wider_keeps_both(
    start: str | None, end: str | None, asked: tuple[D | None, D | None], by: tuple[int, int]
) -> None:
    parsed_start = dates.parse(start) if start else None
    parsed_end = dates.parse(end) if end else None
    narrow = dates.term_match(parsed_start, parsed_end, *asked)
    wide = dates.term_match(parsed_start, parsed_end, *_widen(asked, by))

    if narrow == "certain":
        assert wide == "certain"
    if narrow is not None:
        assert wide is not None
