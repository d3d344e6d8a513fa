"""``markdown``: a chronology to read or paste into notes, sources as footnotes.

A heading per year (the year an entry sorts by; entries whose year no source
gives in full come last, under a heading of their own), an entry per event or document
with its date exactly as the data gives it (and its bounds in words, unless
it is one day given in full and for sure), and
``[^source-id]`` footnotes defined once at the end. The data's text is escaped so that it
shows literally, whatever characters it holds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cislog.export import Export, Json
from cislog.export.when import bounds_text, qualifier

if TYPE_CHECKING:
    from cislog.dates import EdtfDate

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Text shown as written: Markdown's inline characters escaped, lines kept in one
    paragraph, control characters made visible (``\\x1b``) as the tables show them, so
    that printing the chronology on a terminal cannot run an escape sequence."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
        autolink = re.fullmatch(r"[^\s<>]+", source.url) and not _CONTROL.search(source.url)
        parts.append(f"<{source.url}>" if autolink else escape(source.url))
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
