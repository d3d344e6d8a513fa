"""How the calendar-like formats (ICS, TimelineJS, Markdown) speak of a date whose
precision, certainty or ends the sources leave open, without inventing any."""

from __future__ import annotations

from cislog.dates import Day, EdtfDate


def parts(day: Day) -> dict[str, int]:
    """The year, month and day a date gives, and no more (``1993-09`` has no day)."""
    numbers = day.text.rstrip("?~%").split("-")
    return dict(zip(("year", "month", "day"), map(int, numbers), strict=False))


def qualifier(date: EdtfDate) -> str | None:
    """What a reader must know besides the days: an open end, uncertainty, approximation."""
    said = []
    if date.is_interval and date.start is None and date.end is not None:
        said.append(f"on or before {date.end.text.rstrip('?~%')}")
    elif date.is_interval and date.end is None and date.start is not None:
        said.append(f"on or after {date.start.text.rstrip('?~%')}")
    if date.uncertain:
        said.append("date uncertain")
    if date.approximate:
        said.append("date approximate")
    return ", ".join(said) or None
