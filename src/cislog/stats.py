"""Counts over a dataset: what ``cislog stats``, ``timeline --chart`` and ``on-this-day`` show.

Like :mod:`cislog.query`, every function returns plain, JSON-ready data; the
bar charts are drawn by :mod:`cislog.charts`. A count never guesses a date a
source does not give: entries whose earliest day is unknown are counted apart
instead of being put in a year or decade.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cislog.dataset import Dataset
from cislog.dates import Day, EdtfDate, parse
from cislog.kinds import RECORD_KINDS

if TYPE_CHECKING:
    from cislog.records import Document, Event

Json = dict[str, Any]


def _dated(dataset: Dataset) -> list[Event | Document]:
    """Events and documents, the records a chronology is made of."""
    return [*dataset.events.values(), *dataset.documents.values()]


def _by_count(rows: list[Json], key: str) -> list[Json]:
    """Largest first; ties in the order of ``key``, so that the output is stable."""
    return sorted(rows, key=lambda row: (-row["count"], row[key]))


def dataset_stats(dataset: Dataset) -> Json:
    """Counts by record kind, by organisation, by decade and by source.

    - ``kinds``: records of each kind, every kind listed (zero included).
    - ``orgs``: events and documents naming each organisation (an event's
      ``orgs``, a document's ``org``), every organisation listed.
    - ``decades``: events and dated documents by the decade of their earliest
      day; an interval spanning decades counts once, where it starts.
      ``undated`` counts documents without a date, ``open_start`` entries with
      no earliest day (``[..1993-09-24]``, on or before) and ``no_year`` those
      whose year, or its decade, no source gives (``XXXX-10-11``, ``19XX``): none
      is put in a decade.
    - ``sources``: records citing each source, directly or in a nested entry
      (the ``cited_by`` of ``cislog sources``).
    """
    from cislog.query import sources_list

    kinds = Counter(record.KIND for record in dataset)
    naming = Counter(org for event in dataset.events.values() for org in set(event.orgs))
    adopting = Counter(document.org for document in dataset.documents.values())
    orgs: list[Json] = []
    for org in dataset.orgs.values():
        events, documents = naming[org.id], adopting[org.id]
        orgs.append(
            {
                "org": org.id,
                "name": org.name,
                "events": events,
                "documents": documents,
                "count": events + documents,
            }
        )
    decades: Counter[int] = Counter()
    undated = open_start = no_year = 0
    for record in _dated(dataset):
        date = record.date
        if date is None:
            undated += 1
        elif date.earliest is None:
            open_start += date.latest is not None
            no_year += date.latest is None
        elif date.decade_given:
            decades[date.earliest.year // 10 * 10] += 1
        else:
            no_year += 1
    return {
        "kinds": [{"kind": kind, "count": kinds[kind]} for kind in RECORD_KINDS],
        "orgs": _by_count(orgs, "org"),
        "decades": [
            {"decade": f"{decade}s", "count": decades[decade]} for decade in sorted(decades)
        ],
        "undated": undated,
        "open_start": open_start,
        "no_year": no_year,
        "sources": _by_count(
            [
                {"source": row["id"], "title": row["title"], "count": row["cited_by"]}
                for row in sources_list(dataset)
            ],
            "source",
        ),
    }


def entries_per_year(entries: Iterable[Json], reverse: bool = False) -> list[Json]:
    """Timeline entries (as :func:`cislog.query.iter_timeline` yields them) per year.

    Each entry counts once, in the year of its earliest day, whatever its
    precision: ``1993``, ``1993-09`` and ``1993-09-24`` all count in 1993, and
    an interval in the year it starts. One with no earliest day (``[..1993-09-24]``,
    on or before) counts in the year of its latest, the year the timeline sorts
    it by; one whose year no source gives in full (``XXXX-10-11``, ``199X``) in a
    last row whose ``year`` is null, so that no chart spans the years a digit
    left open could mean. ``uncertain`` says how many of a row's entries are not
    placed for sure: a date marked ``?``, ``~`` or ``%``, with no earliest day or
    an unspecified digit, or only possibly within the asked dates. Years without
    entries between the first and the last are listed with zero, so that a chart
    shows the gaps.
    """
    counts: Counter[int | None] = Counter()
    inexact: Counter[int | None] = Counter()
    for entry in entries:
        date = parse(entry["date"])
        year = date.sort_day.year if date.year_given else None
        counts[year] += 1
        if _unsure(date) or entry.get("match") == "possible":
            inexact[year] += 1
    years = sorted(year for year in counts if year is not None)
    rows: list[Json] = [
        {"year": year, "count": counts[year], "uncertain": inexact[year]}
        for year in (range(years[0], years[-1] + 1) if years else ())
    ]
    if reverse:
        rows.reverse()
    if None in counts:
        rows.append({"year": None, "count": counts[None], "uncertain": inexact[None]})
    return rows


def _unsure(date: EdtfDate) -> bool:
    """Whether a date's place in a year is unsure: qualified, open at its start, with an
    unspecified digit, or one of several."""
    return (
        date.qualified
        or date.earliest is None
        or date.form == "set"
        or any(day.unspecified for day in (date.start, date.end) if day)
    )


def on_this_day(dataset: Dataset, month: int, day: int, today: dt.date) -> list[Json]:
    """Events and documents that happened on ``month``-``day`` in a year before ``today``'s.

    Only a date whose month and day are given can fall on a day: ``1993`` or
    ``1993-09`` never matches, and an interval matches on its first day when
    that day is given, a set when every member is that day. A date whose year is
    not given (``XXXX-10-11``) matches, with ``years_ago`` null. A date marked
    ``?`` (uncertain) or ``~`` (approximate) matches and keeps its mark, with
    ``uncertain`` true. Entries are those of the timeline, oldest first, each with
    ``years_ago``.
    """
    from cislog.query import TimelineFilter, iter_timeline

    found = []
    for entry in iter_timeline(dataset, TimelineFilter()):
        date = parse(entry["date"])
        # The written days it may be: an interval's first, or every member of a set.
        days = (
            [low if low is high else None for low, high in date.members]
            if date.form == "set"
            else [date.start]
        )
        if not days or not all(_on(written, month, day) for written in days):
            continue
        years = {written.year for written in days if written is not None}
        only = years.pop() if len(years) == 1 else None
        year = None if only is None or "X" in only else int(only)
        if year is not None and year >= today.year:
            continue
        found.append(
            {
                **entry,
                "uncertain": date.qualified,
                "years_ago": None if year is None else today.year - year,
            }
        )
    return found


def _on(day: Day | None, month: int, day_of_month: int) -> bool:
    """Whether a written date gives this month and day, digits and all."""
    return (
        day is not None
        and day.month is not None
        and day.day is not None
        and "X" not in day.month + day.day
        and (int(day.month), int(day.day)) == (month, day_of_month)
    )


def day_of_year(text: str) -> tuple[int, int]:
    """A month and day typed as ``MM-DD``; 02-29 is a day, 02-30 is not.

    Raises :class:`ValueError` with a message a user can act on.
    """
    parts = text.split("-")
    if len(parts) != 2 or not all(len(p) == 2 and p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a day of the year: use MM-DD, such as 09-24")
    month, day = (int(p) for p in parts)
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}': there is no month {month:02d}")
    # A leap year, so that 02-29 is a day that some years have.
    last = calendar.monthrange(2000, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"'{text}': month {month:02d} has no day {day:02d}")
    return month, day
