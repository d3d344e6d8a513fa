"""``markdown``: a chronology to read or paste into notes, sources as footnotes.

A heading per year (the year an entry sorts by; entries whose year no source
gives in full come last, under a heading of their own), an entry per event or document
with its date exactly as the data gives it (and its bounds in words, unless
it is one day given in full and for sure), and
``[^source-id]`` footnotes defined once at the end. The data's text is escaped so that it
shows literally, whatever characters it holds. A source's url is a link only when
it is a web or mail address (:func:`cislog.inert.safe_link`); any other is text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cislog.export import Export, Json
from cislog.export.when import bounds_text, qualifier
from cislog.inert import controls_visible, safe_link

if TYPE_CHECKING:
    from cislog.dates import EdtfDate

# Markdown's inline syntax, an entity's & and the $ of the maths GitHub renders.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
# Spaces, tabs and line breaks, U+2028 and U+2029 among them: one space in a paragraph.
_BREAKS = re.compile("[ \t\n\r\u2028\u2029]+")


def escape(text: str) -> str:
    """Text shown as written: Markdown's inline characters escaped, lines kept in one
    paragraph, control characters made visible (``\\x1b``) as the tables show them, so
    that printing the chronology on a terminal cannot run an escape sequence. Other
    spaces (a no-break space) and bidi marks stay as written."""
    text = _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", text).strip(" "))
    return controls_visible(text)


def _entry(export: Export, entry: Json, cited: dict[str, None]) -> list[str]:
    record = export.record(entry["id"])
    parsed = export.date(entry)
    said = qualifier(parsed, entry["match"])
    date = f"{entry['date']}" + (f" ({said})" if said else "")
    lines = [f"### {escape(date)}: {escape(entry['title'])}", ""]
    if not _exact_day(parsed):
        lines += [f"*Date:* {escape(entry['date'])}: {escape(bounds_text(parsed))}.", ""]
    facts = [entry["kind"].replace("_", " ")]
    if entry["place"]:
        facts.append(escape(entry["place"]))
    text = ", ".join(facts)
    text = text[0].upper() + text[1:] + "."
    if entry["summary"]:
        text += " " + escape(entry["summary"])
    for source_id in entry["sources"]:
        cited.setdefault(source_id)
        text += f"[^{source_id}]"
    lines += [text, ""]
    if record.note:
        lines += [f"*Note:* {escape(record.note)}", ""]
    return lines


def _exact_day(date: EdtfDate) -> bool:
    """A day given in full and for sure: its text says its bounds, and says them better."""
    return (
        date.form == "date"
        and not date.qualified
        and date.earliest is not None
        and date.earliest == date.latest
    )


def _footnote(export: Export, source_id: str) -> str:
    source = export.source(source_id)
    parts = [f"*{escape(source.title)}*"]
    parts += [escape(str(v)) for v in (source.author, source.date) if v]
    if source.url:
        # A safe url holds no space, < or >, so it is whole between the brackets.
        parts.append(f"<{source.url}>" if safe_link(source.url) else escape(source.url))
    return f"[^{source_id}]: " + ", ".join(parts) + "."


def render(export: Export) -> str:
    lines = ["# Chronology", ""]
    cited: dict[str, None] = {}
    year: int | str | None = None
    for entry in export.timeline:
        date = export.date(entry)
        entry_year = date.sort_day.year if date.year_given else "Year not given"
        if entry_year != year:
            year = entry_year
            lines += [f"## {year}", ""]
        lines += _entry(export, entry, cited)
    if not export.timeline:
        lines += ["No events or dated documents.", ""]
    if cited:
        lines += [_footnote(export, source_id) for source_id in cited]
        lines.append("")
    return "\n".join(lines)
