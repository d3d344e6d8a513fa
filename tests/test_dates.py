"""EDTF dates: precision kept, ranges right, impossible dates refused with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from cislog import dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1993", D(1993, 1, 1), D(1993, 12, 31)),
        ("1993-09", D(1993, 9, 1), D(1993, 9, 30)),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29)),
        ("1900-02", D(1900, 2, 1), D(1900, 2, 28)),
        ("1993-09-24", D(1993, 9, 24), D(1993, 9, 24)),
        ("2011-04-20/2011-04-21", D(2011, 4, 20), D(2011, 4, 21)),
        ("2023-10-11?", D(2023, 10, 11), D(2023, 10, 11)),
        ("1990/1995~", D(1990, 1, 1), D(1995, 12, 31)),
        ("../1993-09-23", None, D(1993, 9, 23)),
        ("2023-01-01/..", D(2023, 1, 1), None),
        ("/2002", None, D(2002, 12, 31)),
    ],
)
def test_each_date_covers_the_days_it_can_mean(
    text: str, earliest: D | None, latest: D | None
) -> None:
    parsed = dates.parse(text)

    assert (parsed.earliest, parsed.latest) == (earliest, latest)
    assert str(parsed) == text


def test_qualifiers_are_kept_apart() -> None:
    assert dates.parse("2024?").uncertain and not dates.parse("2024?").approximate
    assert dates.parse("2024~").approximate and not dates.parse("2024~").uncertain
    both = dates.parse("2024%")
    assert both.uncertain and both.approximate
    assert not dates.parse("2024").uncertain


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2001-02-30", "February 2001 has no day 30"),
        ("1993-13", "there is no month 13"),
        ("1993-00", "there is no month 00"),
        ("1993-9-24", "is not an EDTF date"),
        ("93", "is not an EDTF date"),
        ("1993-09-24 ", "surrounding spaces"),
        ("", "is empty"),
        ("1993/1992", "the interval starts after it ends"),
        ("../..", "needs at least one known end"),
        ("1993/1994/1995", "exactly one '/'"),
        ("0000", "year 0000"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(dates.DateError, match=reason.replace("?", r"\?")):
        dates.parse(text)


@pytest.mark.parametrize(
    ("text", "query", "meets"),
    [
        ("1993", ("1993-06-01", "1993-12-31"), True),
        ("1993-09", ("1993-09-30", "1993-10-01"), True),
        ("1993-09", ("1993-10-01", "1993-12-31"), False),
        ("1993-09-24", ("1993-09-25", "1993-12-31"), False),
        ("../1993-09-23", ("1900-01-01", "1900-01-01"), True),
        ("../1993-09-23", ("1993-09-24", "1993-09-24"), False),
        ("2023-01-01/..", ("2030-01-01", "2030-01-01"), True),
        ("XXXX-10-11", ("2023-10-11", "2023-10-11"), True),
        ("XXXX-10-11", ("2023-03-01", "2023-03-31"), False),
        ("[1667, 1670]", ("1668-01-01", "1669-12-31"), False),
        ("[..1993-09-24]", ("1800-01-01", "1800-12-31"), True),
    ],
)
def test_a_date_meets_a_range_when_a_day_it_can_mean_lies_in_it(
    text: str, query: tuple[str, str], meets: bool
) -> None:
    earliest, latest = (D.fromisoformat(day) for day in query)

    assert dates.parse(text).meets(earliest, latest) is meets


def test_query_dates_cover_their_whole_period() -> None:
    assert dates.parse_query("1993-06") == (D(1993, 6, 1), D(1993, 6, 30))
    assert dates.parse_query("1993") == (D(1993, 1, 1), D(1993, 12, 31))


def test_an_open_end_is_only_accepted_where_a_term_may_still_run() -> None:
    assert dates.parse("..", allow_open=True) is dates.OPEN
    assert dates.OPEN.earliest is None and dates.OPEN.latest is None
    with pytest.raises(dates.DateError):
        dates.parse("..")
