"""``ics``: an iCalendar file (RFC 5545) with one all-day event per timeline entry.

A date keeps its precision: ``1993-09`` spans September (DTEND is the first day
after, exclusive, as RFC 5545 wants), and an interval spans its range. A
calendar cannot say "some day before" or "still going on": a date with no
earliest day sits on the last day it may fall on, one with no latest day on
its first, with no DTEND. Uncertainty, approximation, open ends and
sets are said in the SUMMARY, and every event carries the date as written and
its bounds (``X-CISLOG-DATE``, ``X-CISLOG-EARLIEST``, ...). An entry whose year
no source gives has no day to sit on, nor one reaching 31 December 9999 a day
after it for DTEND: each is left out (the command says so).
UIDs are ``ID@cislog`` and DTSTAMP is fixed, so the same data always gives the
same bytes and a calendar re-importing the file updates events instead of
duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from cislog.export import Export, Json, when
from cislog.export.when import bounds_text, placed, qualifier

if TYPE_CHECKING:
    from cislog.dates import EdtfDate

# The export has no moment of its own: a fixed stamp keeps the output reproducible.
DTSTAMP = "19700101T000000Z"
# What TEXT may not hold (RFC 5545 CONTROL), the C1 controls a terminal may act on
# too, and lone surrogates, which UTF-8 cannot write.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_ENDS = re.compile("\r\n|[\r\u2028\u2029]")


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped
    (U+2028 and U+2029 are newlines too); control characters, which TEXT may not hold,
    become spaces."""
    text = _LINE_ENDS.sub("\n", text)
    text = _CONTROL.sub(" ", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def _day(day: dt.date) -> str:
    """A DATE value, four digits of year always (``strftime`` gives ``993`` for 993)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def fits(date: EdtfDate) -> bool:
    """Whether a date has a day to sit on that a calendar can write: one whose year no
    source gives has none, and one reaching 31 December 9999 has no day after it for
    DTEND to name."""
    return placed(date) and date.latest != dt.date.max


def _span(date: EdtfDate) -> tuple[dt.date, dt.date | None]:
    """First day, and the day after the last (exclusive) or None for an open end."""
    if date.earliest is None:  # no earliest day (on or before): the last day it may be
        assert date.latest is not None
        return date.latest, date.latest + dt.timedelta(days=1)
    if date.latest is None:  # on or after: no end is known
        return date.earliest, None
    return date.earliest, date.latest + dt.timedelta(days=1)


def _bounds(date: EdtfDate) -> list[str]:
    """The date as the data gives it and its bounds, as properties of their own: DTSTART
    alone cannot say that a day is only the last one possible."""
    bounds = date.bounds()
    lines = [f"X-CISLOG-DATE:{escape(date.text)}"]
    for name in ("earliest", "latest"):
        if bounds[name] is not None:
            day = dt.date.fromisoformat(bounds[name])
            lines.append(f"X-CISLOG-{name.upper()};VALUE=DATE:{_day(day)}")
    if bounds["precision"]:
        lines.append(f"X-CISLOG-PRECISION:{bounds['precision']}")
    for name in ("uncertain", "approximate", "interval"):
        lines.append(f"X-CISLOG-{name.upper()};VALUE=BOOLEAN:{str(bounds[name]).upper()}")
    return lines


def _description(export: Export, entry: Json, date: EdtfDate) -> str:
    record = export.record(entry["id"])
    lines = [
        f"Date: {date.text} ({bounds_text(date)})",
        f"Kind: {entry['kind']} ({entry['record']})",
    ]
    if entry["summary"]:
        lines += ["", entry["summary"]]
    note = getattr(record, "note", None)
    if note:
        lines += ["", f"Note: {note}"]
    if entry["sources"]:
        lines += ["", "Sources:"]
        lines += [f"- {export.citation(source_id)}" for source_id in entry["sources"]]
    return "\n".join(lines)


def _event(export: Export, entry: Json) -> str:
    date = export.date(entry)
    start, end = _span(date)
    said = qualifier(date, entry["match"])
    summary = entry["title"] + (f" ({said})" if said else "")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{entry['id']}@cislog",
        f"DTSTAMP:{DTSTAMP}",
        f"DTSTART;VALUE=DATE:{_day(start)}",
        *([f"DTEND;VALUE=DATE:{_day(end)}"] if end else []),
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(_description(export, entry, date))}",
        *_bounds(date),
        f"X-CISLOG-MATCH:{entry['match']}",
        *([f"LOCATION:{escape(entry['place'])}"] if entry["place"] else []),
        f"CATEGORIES:{escape(entry['kind'])}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return "".join(fold(line) for line in lines)


def left_out(export: Export) -> list[tuple[Json, str]]:
    """The entries an iCalendar file cannot hold: no year, or past year 9999."""
    return when.left_out(export, fits)


def render(export: Export) -> str:
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//cislog//cislog export//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:cislog chronology",
    ]
    body = "".join(_event(export, entry) for entry in export.timeline if fits(export.date(entry)))
    return "".join(fold(line) for line in head) + body + fold("END:VCALENDAR")
