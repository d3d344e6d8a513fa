"""``markdown``: a chronology to read or paste into notes, sources as footnotes.

A heading per year (the year an entry sorts by), an entry per event or
document with its date exactly as the data gives it, and ``[^source-id]``
footnotes defined once at the end. The data's text is escaped so that it
shows literally, whatever characters it holds.
"""

from __future__ import annotations

import re

from cislog.export import Export, Json
from cislog.export.when import qualifier

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
    said = qualifier(export.date(entry))
    date = f"{entry['date']}" + (f" ({said})" if said else "")
    lines = [f"### {escape(date)}: {escape(entry['title'])}", ""]
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
    year = None
    for entry in export.timeline:
        entry_year = export.date(entry).sort_day.year
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
