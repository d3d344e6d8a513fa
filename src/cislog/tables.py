"""Rich tables for the query results: the only module that knows about Rich.

Every string from a dataset goes through :func:`literal`, so that markup such
as ``[bold]``, a terminal escape sequence or a bidi override in a title is
shown as text and never interpreted (:func:`cislog.inert.visible`); so do the
titles and headers of tables. Every row shows the sources that state it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from cislog.inert import visible

Json = dict[str, Any]

# Symbol, short label for tables, and meaning for the matrix legend.
STATUS_SYMBOLS = {
    "signed": ("✔", "signed", "signed"),
    "signed_with_special_opinion": (
        "✔*",
        "signed, special opinion",
        "signed with a special opinion",
    ),
    "signed_with_reservation": ("✔r", "signed, reservation", "signed with a reservation"),
    "not_signed": ("✘", "not signed", "not signed (a source says so)"),
    "unknown": ("·", "unknown", "unknown (no source says)"),
}
# A matrix cell that a --status filter leaves out: never to be read as unknown.
NOT_SHOWN = "–"
POSSIBLE = "possible"
_STATUS_STYLES = {
    "signed": "green",
    "signed_with_special_opinion": "yellow",
    "signed_with_reservation": "yellow",
    "not_signed": "bold red",
    "unknown": "dim",
}


def stdout_console() -> Console:
    """A console that lets Rich decide about terminals: no styling for pipes.

    With NO_COLOR set there are no escape codes at all, not even bold or
    italic, whatever FORCE_COLOR says.
    """
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(highlight=False, soft_wrap=False, color_system=None if plain else "auto")


def literal(value: Any, style: str = "") -> Text:
    """Dataset text exactly as written: no markup; control and bidi characters shown as
    escapes (``\\x1b``, ``\\u202e``), tabs and line breaks kept as a cell's lines.

    Rich itself would print an escape sequence, a NUL or an override raw (it drops
    only a bell, a backspace, vertical tabs, form feeds and carriage returns), and
    would read a plain string's brackets as markup.
    """
    if value is None:
        return Text("")
    return Text(visible(str(value), lines=True), style=style)


def _title(title: str | None) -> Text | None:
    return None if title is None else literal(title)


def _joined(values: Iterable[Any]) -> Text:
    return literal(", ".join(str(v) for v in values))


def _lines(values: Iterable[Any]) -> Text:
    """One value a line: how ids (sources above all) read best in a narrow column."""
    return literal("\n".join(str(v) for v in values))


class Footnotes:
    """Notes kept out of narrow table cells: a cell shows [n], the note follows the table."""

    def __init__(self) -> None:
        self._notes: list[str] = []

    def mark(self, note: str | None) -> Text:
        if not note:
            return Text("")
        if note not in self._notes:
            self._notes.append(note)
        return Text(f"[{self._notes.index(note) + 1}]")

    def render(self) -> list[RenderableType]:
        if not self._notes:
            return []
        lines = Text()
        for number, note in enumerate(self._notes, start=1):
            lines.append_text(literal(f"[{number}] {note}"))
            lines.append("\n")
        lines.rstrip()
        return [lines]


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=_title(title), title_justify="left", expand=False)
    # Every column may fold. A column that may not (no_wrap, a minimum width) can
    # make the table wider than the terminal, and Rich then crops whole lines away:
    # letters of source ids vanished from 80-column tables that way.
    for column in columns:
        table.add_column(literal(column), overflow="fold")
    return table


def _fields(pairs: Sequence[tuple[str, Any]], title: str | None = None) -> Table:
    """A two-column table of a record's fields, leaving out empty ones."""
    table = Table(box=box.SIMPLE, show_header=False, title=_title(title), title_justify="left")
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in pairs:
        if value in (None, [], ""):
            continue
        shown = _joined(value) if isinstance(value, list) else literal(value)
        table.add_row(literal(name), shown)
    return table


class _MatchColumn:
    """The Match column of a table: present only when some row is a possible match
    (``header``), with a cell a row (``cells``), empty for a certain one."""

    def __init__(self, rows: Iterable[Json]) -> None:
        self.shown = any(row.get("match") == POSSIBLE for row in rows)
        self.header = ["Match"] if self.shown else []

    def cells(self, row: Json) -> list[Text]:
        if not self.shown:
            return []
        return [Text(POSSIBLE, style="yellow") if row.get("match") == POSSIBLE else Text("")]


def possible_legend(rows: Sequence[Json], what: str) -> list[RenderableType]:
    """The line that explains the Match column, when a row is only possibly a match."""
    if not _MatchColumn(rows).shown:
        return []
    return [
        literal(
            f"Match: possible = the {what} may, but need not, fall in the asked dates (a date "
            "coarser than them, uncertain, or with an end or digit no source gives); "
            "--certain leaves it out.",
            "dim",
        )
    ]


def timeline(rows: list[Json]) -> list[RenderableType]:
    match = _MatchColumn(rows)
    columns = ["Date", *match.header, "Kind", "Title", "Place", "Sources"]
    table = _table(*columns)
    for row in rows:
        table.add_row(
            literal(row["date"]),
            *match.cells(row),
            literal(row["kind"], "dim"),
            literal(row["title"]),
            literal(row["place"]),
            _lines(row["sources"]),
        )
    return [table, *possible_legend(rows, "entry")]


def _count_text(count: Json) -> str:
    prefix = {"more_than": "more than ", "about": "about "}.get(count["qualifier"], "")
    what = count["of"] if not count.get("category") else f"{count['category']} {count['of']}"
    return f"{prefix}{count['value']} {what}"


def org(summary: Json) -> list[RenderableType]:
    head = _fields(
        [
            ("id", summary["id"]),
            ("name", summary["name"]),
            ("aliases", summary["aliases"]),
            ("description", summary["description"]),
            ("founded", summary["founded"]),
            ("founded in", summary["founded_place"]),
            ("seat", summary["seat"]),
            ("purpose", summary["purpose"]),
            ("sources", summary["sources"]),
            ("note", summary["note"]),
        ]
    )
    parts: list[RenderableType] = [head]
    if summary["areas"]:
        parts.append(_bullets("Areas of cooperation", summary["areas"]))
    if summary["tasks"]:
        parts.append(_bullets("Tasks", summary["tasks"]))
    if summary["counts"]:
        counts = _table("Declared", "Sources", title="Declared counts")
        for count in summary["counts"]:
            counts.add_row(literal(_count_text(count)), _lines(count["sources"]))
        parts.append(counts)
    return parts


def _bullets(title: str, items: Iterable[str]) -> Table:
    table = Table(box=None, show_header=False, title=_title(title), title_justify="left")
    table.add_column("item", overflow="fold")
    for item in items:
        table.add_row(Text("• ") + literal(item))
    return table


def org_bodies(data: Json) -> list[RenderableType]:
    table = _table("Category", "Count", "Named", "Bodies", title=f"Bodies of {data['org']}")
    for category in data["categories"]:
        count = str(category["count"]) + ("" if category["declared"] else " (named only)")
        names = ", ".join(b["name"] for b in category["bodies"])
        table.add_row(
            literal(category["category"]), literal(count), str(category["named"]), literal(names)
        )
    table.add_section()
    table.add_row(Text("total", style="bold"), str(data["total"]), "", "")
    parts: list[RenderableType] = [table]
    lines = Text()
    if data["declared_total"]:
        lines.append_text(
            literal(f"Declared in all: {_count_text({**data['declared_total'], 'of': 'bodies'})}\n")
        )
    if data["uncategorised"]:
        names = ", ".join(b["name"] for b in data["uncategorised"])
        lines.append_text(literal(f"Named, category not stated by any source: {names}\n"))
    lines.append_text(literal(f"Sources: {', '.join(data['sources'])}"))
    parts.append(lines)
    return parts


def _end(value: str | None) -> str:
    """A term's end as a reader should take it."""
    return {"..": "still (as of sources)", None: "not given"}.get(value, value or "")


def members(rows: list[Json]) -> list[RenderableType]:
    notes = Footnotes()
    match = _MatchColumn(rows)
    columns = ["Country", "Role", "From", "To", *match.header]
    table = _table(*columns, "Sources", "Note")
    for row in rows:
        table.add_row(
            literal(row["country"]),
            literal(row["role"]),
            literal(row["from"] or "not given"),
            literal(_end(row["to"])),
            *match.cells(row),
            _lines(row["sources"]),
            notes.mark(row["note"]),
        )
    return [table, *notes.render(), *possible_legend(rows, "membership")]


def _status(status: str) -> Text:
    symbol, label, _ = STATUS_SYMBOLS[status]
    return Text(f"{symbol} {label}", style=_STATUS_STYLES[status])


def signed(rows: list[Json]) -> list[RenderableType]:
    notes = Footnotes()
    match = _MatchColumn(rows)
    columns = ["Date", *match.header, "Document", "Country", "Status"]
    table = _table(*columns, "Sources", "Note")
    for row in rows:
        table.add_row(
            literal(row["date"]),
            *match.cells(row),
            literal(row["title"]),
            literal(row["country"]),
            _status(row["status"]),
            _lines(row["sources"]),
            notes.mark(row["note"]),
        )
    return [table, *notes.render(), *possible_legend(rows, "document")]


def signed_matrix(rows: list[Json], filtered: str | None = None) -> list[RenderableType]:
    """Documents by countries, each cell a status symbol with its note's number.

    A pair that no row gives is unknown (the document does not list the country),
    visibly unlike not signed; but when a status filter chose the rows
    (``filtered`` names it, as the legend shows it), such a pair may hold any
    status and is marked not shown.
    """
    documents = {row["document"]: row for row in rows}
    countries = sorted({row["country"] for row in rows})
    cells = {(row["document"], row["country"]): row for row in rows}
    notes = Footnotes()
    match = _MatchColumn(rows)
    table = _table("Date", *match.header, "Document", *countries)
    for document, row in documents.items():
        shown = []
        for country in countries:
            cell = cells.get((document, country))
            if cell is None and filtered:
                shown.append(Text(NOT_SHOWN))
                continue
            value = cell["status"] if cell else "unknown"
            text = Text(STATUS_SYMBOLS[value][0], style=_STATUS_STYLES[value])
            mark = notes.mark(cell["note"] if cell else None)
            if mark:
                text.append(" ")
                text.append_text(mark)
            shown.append(text)
        table.add_row(literal(row["date"]), *match.cells(row), literal(row["title"]), *shown)
    legend = Table(box=None, show_header=False, title="Legend", title_justify="left")
    legend.add_column("symbol", no_wrap=True)
    legend.add_column("meaning")
    for value, (symbol, _, meaning) in STATUS_SYMBOLS.items():
        legend.add_row(Text(symbol, style=_STATUS_STYLES[value]), meaning)
    if filtered:
        legend.add_row(Text(NOT_SHOWN), literal(f"not shown: left out by {filtered}"))
    sources = sorted({s for row in rows for s in row["sources"]})
    cited = (
        f"Sources: {', '.join(sources)}"
        if sources
        else "Sources: none (no source lists these countries as signatories)"
    )
    return [
        table,
        *notes.render(),
        legend,
        *possible_legend(rows, "document"),
        literal(cited),
    ]


def country(profile: Json) -> list[RenderableType]:
    parts: list[RenderableType] = [
        _fields([("id", profile["id"]), ("name", profile["name"]), ("aliases", profile["aliases"])])
    ]
    notes = Footnotes()
    rows = profile["standing"]
    match = _MatchColumn(rows)
    columns = ["Org", "Standing", *match.header, "Role", "From", "To"]
    standing = _table(*columns, "Sources", "Note", title="Standing")
    for row in rows:
        standing.add_row(
            literal(row["org"]),
            literal(row["status"]),
            *match.cells(row),
            literal(row["role"]),
            literal(row["from"]),
            literal(_end(row["to"]) if row["role"] else ""),
            _lines(row["sources"]),
            notes.mark(row["note"]),
        )
    parts.extend([standing, *notes.render(), *possible_legend(rows, "standing")])
    if profile["documents"]:
        parts.extend(signed(profile["documents"]))
    if profile["events"]:
        parts.extend(_briefs("Events", profile["events"]))
    return parts


def _briefs(title: str, rows: list[Json]) -> list[RenderableType]:
    match = _MatchColumn(rows)
    table = _table("Date", *match.header, "Id", "Title", title=title)
    for row in rows:
        table.add_row(
            literal(row["date"]), *match.cells(row), literal(row["id"]), literal(row["title"])
        )
    return [table, *possible_legend(rows, "event")]


def person(profile: Json) -> list[RenderableType]:
    head = _fields(
        [
            ("id", profile["id"]),
            ("name", profile["name"]),
            ("aliases", profile["aliases"]),
            ("sources", profile["sources"]),
            ("note", profile["note"]),
        ]
    )
    notes = Footnotes()
    offices = _table("Office", "From", "To", "Sources", "Note", title="Offices")
    for office in profile["offices"]:
        offices.add_row(
            _office_title(office),
            literal(office["from"] or "not given"),
            literal(_end(office["to"])),
            _lines(office["sources"]),
            notes.mark(office["note"]),
        )
    parts: list[RenderableType] = [head, offices, *notes.render()]
    if profile["events"]:
        parts.extend(_briefs("Events", profile["events"]))
    return parts


def _office_title(office: Json) -> Text:
    title = literal(office["title"])
    if office.get("renamed_from"):
        title.append_text(literal(f"\n(renamed from {office['renamed_from']})", "dim"))
    return title


def people(profiles: list[Json]) -> list[RenderableType]:
    return [Group(*person(profile)) for profile in profiles]


def holders(rows: list[Json], title: str | None = None) -> list[RenderableType]:
    """Who held an office then: the title in force during each term, its dates, whether
    the term certainly or only possibly covers the asked date, and the post's titles."""
    held = [(row, office) for row in rows for office in row["held"]]
    match = _MatchColumn(office for _, office in held)
    columns = ["Holder", "Office held then", "From", "To"]
    table = _table(*columns, *match.header, "Sources", title=title)
    renamed: dict[str, None] = {}
    for row, office in held:
        holder = literal(row["name"])
        holder.append_text(literal(f"\n{row['id']}", "dim"))
        table.add_row(
            holder,
            literal(office["title"]),
            literal(office["from"] or "not given"),
            literal(_end(office["to"])),
            *match.cells(office),
            _lines(office["sources"]),
        )
        if len(office["post_titles"]) > 1:
            renamed.setdefault(" → ".join(office["post_titles"]))
    parts: list[RenderableType] = [table]
    for history in renamed:
        parts.append(literal(f"The post was renamed: {history}.", "dim"))
    parts.extend(possible_legend([office for _, office in held], "term"))
    return parts


def record(detail: Json) -> list[RenderableType]:
    # The bounds beside each date are for scripts; the date itself says them to a reader.
    skip = {"referenced_by", *(key for key in detail if key.endswith("_bounds"))}
    pairs = [(k, v) for k, v in detail.items() if k not in skip and not isinstance(v, list | dict)]
    pairs += [
        (k, v)
        for k, v in detail.items()
        if isinstance(v, list) and v and not isinstance(v[0], dict)
    ]
    parts: list[RenderableType] = [_fields(pairs)]
    for key, value in detail.items():
        if key in skip or not (isinstance(value, list) and value and isinstance(value[0], dict)):
            continue
        columns = [column for column in value[0] if not column.endswith("_bounds")]
        nested = _table(*columns, title=key)
        for item in value:
            nested.add_row(
                *(
                    _joined(item[c]) if isinstance(item[c], list) else literal(item[c])
                    for c in columns
                )
            )
        parts.append(nested)
    if not detail["referenced_by"]:
        parts.append(Text("Nothing refers to this record.", style="dim"))
        return parts
    referrers = _table("Kind", "Id", "Field", "Title", title="Referenced by")
    for row in detail["referenced_by"]:
        referrers.add_row(
            literal(row["kind"]), literal(row["id"]), literal(row["field"]), literal(row["title"])
        )
    parts.append(referrers)
    return parts


def search(rows: list[Json]) -> list[RenderableType]:
    table = _table("Kind", "Id", "Title", "Snippet")
    for row in rows:
        table.add_row(
            literal(row["kind"], "dim"),
            literal(row["id"]),
            literal(row["title"]),
            literal(row["snippet"]),
        )
    return [table]


def sources(rows: list[Json]) -> list[RenderableType]:
    table = _table("Id", "Title", "Kind", "Date", "Cited by")
    for row in rows:
        title = literal(row["title"])
        if row["author"]:
            title.append_text(literal(f"\nby {row['author']}", "dim"))
        table.add_row(
            literal(row["id"]),
            title,
            literal(row["kind"], "dim"),
            literal(row["date"]),
            str(row["cited_by"]),
        )
    return [table]


def citing(rows: list[Json]) -> list[RenderableType]:
    table = _table("Kind", "Id", "Title")
    for row in rows:
        table.add_row(literal(row["kind"], "dim"), literal(row["id"]), literal(row["title"]))
    return [table]
