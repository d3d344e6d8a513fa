"""``timelinejs``: the JSON a TimelineJS3 timeline loads (``new TL.Timeline(id, data)``).

One slide a timeline entry: ``start_date`` (and ``end_date`` for an
interval, or for a date that may fall on several days, such as ``199X``) with
integer year, month and day parts as precise as the data and no more; an
entry whose year no source gives has no place on the time axis and gets no
slide (the command says so); ``display_date`` with the EDTF text and what it leaves open when a
date is uncertain, approximate or open-ended; ``group`` the first
organisation named; ``unique_id`` the record id, unique across the dataset.
Headlines, texts, groups and display dates are HTML in TimelineJS3, so the
data's text is escaped, and a source's url is a link only when it is a web or
mail address (:func:`cislog.inert.safe_link`): a ``javascript:`` one would run
when clicked.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from cislog.export import Export, Json, when
from cislog.export.when import day_parts, parts, placed, qualifier
from cislog.inert import safe_link
from cislog.render import to_json

if TYPE_CHECKING:
    from cislog.dates import EdtfDate


def _text(export: Export, entry: Json) -> str:
    html = []
    if entry["summary"]:
        html.append(f"<p>{escape(entry['summary'])}</p>")
    note = getattr(export.record(entry["id"]), "note", None)
    if note:
        html.append(f"<p><em>Note:</em> {escape(note)}</p>")
    if entry["sources"]:
        items = "".join(f"<li>{_cite(export, s)}</li>" for s in entry["sources"])
        html.append(f"<p>Sources:</p><ul>{items}</ul>")
    return "".join(html)


def _cite(export: Export, source_id: str) -> str:
    url = export.source(source_id).url
    text = escape(export.citation(source_id))
    return f'<a href="{escape(url)}">{text}</a>' if url and safe_link(url) else text


def _dates(date: EdtfDate) -> tuple[Json, Json | None]:
    """start_date and end_date (or None): the parts a date gives where it names its days
    plainly, else its bounds at its precision (``199X`` from 1990 to 1999)."""
    plain = date.form in ("date", "interval") and not any(
        day.unspecified for day in (date.start, date.end) if day
    )
    if plain:
        known = date.start or date.end
        assert known is not None  # a parsed date or interval has at least one end
        end = date.end if date.start is not None and date.end is not date.start else None
        return parts(known), parts(end) if end else None
    first = date.earliest or date.latest
    assert first is not None  # only placed dates get a slide
    last = date.latest if date.earliest and date.latest and date.latest != first else None
    return day_parts(first, date.precision), day_parts(last, date.precision) if last else None


def _slide(export: Export, entry: Json) -> Json:
    date = export.date(entry)
    start, end = _dates(date)
    slide: Json = {"unique_id": entry["id"], "start_date": start}
    if end is not None:
        slide["end_date"] = end
    said = qualifier(date, entry["match"])
    if said:
        slide["display_date"] = escape(f"{date.text} ({said})")
    slide["text"] = {"headline": escape(entry["title"]), "text": _text(export, entry)}
    if entry["orgs"]:
        # TimelineJS3 writes the group's label into the page as HTML, as it does headlines.
        slide["group"] = escape(export.record(entry["orgs"][0]).label)
    return slide


def render(export: Export) -> Json:
    orgs = [org.label for org in export.records["org"]]
    count = len(export.timeline)
    return {
        "title": {
            "text": {
                "headline": escape("Chronology" + (f": {', '.join(orgs)}" if orgs else "")),
                "text": escape(
                    f"{count} events and documents from cislog; each slide lists its sources."
                ),
            }
        },
        "events": [
            _slide(export, entry) for entry in export.timeline if placed(export.date(entry))
        ],
    }


def render_text(export: Export) -> str:
    """The timeline's JSON as the file a TimelineJS page loads."""
    return to_json(render(export))


def left_out(export: Export) -> list[tuple[Json, str]]:
    """The entries a time axis has no place for: those with no year."""
    return when.left_out(export)
