"""The blocks of text each query result is shown as: which columns, which of them
hold ids, dates, kinds and statuses (never split, see :mod:`cislog.layout`) and
which hold prose.

Every string from a dataset goes through :func:`literal`, so that a terminal
escape sequence or a bidi override in a title is shown as text and never
interpreted (:func:`cislog.inert.visible`); so do the titles and headers of
tables. Every row shows the sources that state it, and every row that is a
record shows its id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cislog.inert import visible
from cislog.layout import Block, Cell, Column, Fields, Group, Span, Table, Text

Json = dict[str, Any]
# A table's records: given, or a function that gives them anew each time it is
# called, for a table to read twice without holding them.
Rows = Iterable[Json] | Callable[[], Iterable[Json]]

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


def literal(value: Any) -> str:
    """Dataset text exactly as written, with control and bidi characters shown as
    escapes (``\\x1b``, ``\\u202e``); line breaks kept as a cell's lines, tabs as spaces."""
    if value is None:
        return ""
    return visible(str(value), lines=True).replace("\t", " ")


def whole(value: Any, style: str = "") -> list[Span]:
    """Lines never to be split: an id, a date, a kind; one span a line of the text."""
    return [Span(line, style) for line in literal(value).split("\n")]


def prose(value: Any, style: str = "") -> list[Span]:
    """Lines that wrap at spaces: a title, a summary, a note."""
    return [Span(line, style, whole=False) for line in literal(value).split("\n")]


def _ids(values: Iterable[Any]) -> list[Span]:
    """One id a line: how ids (sources above all) read best, and stay whole, in a column."""
    return [span for value in values for span in whole(value)]


def _titled(title: Any, record_id: Any) -> list[Span]:
    """A record's title, with its id below it (dim), to copy into the next command: a
    column of its own would make most tables too wide for 80 columns (ids run to 40)."""
    return [*prose(title), *whole(record_id, "dim")]


def _value(value: Any) -> list[Span]:
    """A value of unknown meaning (a field of ``show``): one without spaces is a token."""
    items = value if isinstance(value, list) else [value]
    spans = []
    for item in items:
        for line in literal(item).split("\n"):
            spans.append(Span(line, whole=" " not in line))
    return spans


class Footnotes:
    """Notes kept out of narrow table cells: a cell shows [n], the note follows.

    One set serves a whole output, so that numbers never restart between its
    tables: a note met twice keeps its first number.
    """

    def __init__(self) -> None:
        self._notes: list[str] = []
        self._shown = 0

    def mark(self, note: str | None) -> str:
        if not note:
            return ""
        if note not in self._notes:
            self._notes.append(note)
        return f"[{self._notes.index(note) + 1}]"

    def render(self) -> list[Block]:
        """The notes marked since the last call, numbered as their marks are."""
        fresh = self._notes[self._shown :]
        first = self._shown + 1
        self._shown = len(self._notes)
        if not fresh:
            return []
        return [Group([Text(literal(note), hang=f"[{n}] ") for n, note in enumerate(fresh, first)])]


def _fields(pairs: Sequence[tuple[str, Any]], title: str | None = None) -> Fields:
    """A record's fields, a name a line, leaving out empty ones."""
    shown: list[tuple[str, Any]] = []
    for name, value in pairs:
        if value in (None, [], ""):
            continue
        shown.append((name, _value(value)))
    return Fields(shown, title=_title(title))


def _title(title: str | None) -> str | None:
    return None if title is None else literal(title)


class _MatchColumn:
    """The Match column of a table, shown only when some row is a possible match,
    and the line that explains it. Rows are marked as the table is built
    (``cells``), so that a table read from an iterator is read once."""

    column = Column("Match", style="yellow", optional=True)

    def __init__(self) -> None:
        self.shown = False

    def cells(self, row: Json) -> list[str]:
        if row.get("match") == POSSIBLE:
            self.shown = True
            return [POSSIBLE]
        return [""]

    def legend(self, what: str) -> list[Block]:
        """The line that explains the column, when a row is only possibly a match: a
        block that looks when it is printed, after the table it follows has read
        its rows (a streamed table reads them only then)."""
        return [_Legend(self, what)]


@dataclass(slots=True)
class _Legend:
    match: _MatchColumn
    what: str

    def lines(self, width: int, on: bool) -> Iterator[str]:
        if not self.match.shown:
            return iter(())
        text = Text(
            f"Match: possible = the {self.what} may, but need not, fall in the asked dates (a "
            "date coarser than them, uncertain, or with an end or digit no source gives); "
            "--certain leaves it out.",
            "dim",
        )
        return text.lines(width, on)


def timeline(rows: Rows) -> list[Block]:
    """The timeline; given a function that gives the entries anew (the query), the
    table reads them twice, to measure and to lay out, and holds none of them."""
    match = _MatchColumn()
    columns = [
        Column("Date"),
        match.column,
        Column("Kind", style="dim"),
        Column("Title / id", prose=True),
        Column("Place", prose=True),
        Column("Sources"),
    ]

    def cells(row: Json) -> list[Cell]:
        return [
            literal(row["date"]),
            *match.cells(row),
            literal(row["kind"]),
            _titled(row["title"], row["id"]),
            literal(row["place"]),
            _ids(row["sources"]),
        ]

    if callable(rows):
        again = rows
        table = Table.streamed(columns, lambda: (cells(row) for row in again()))
    else:
        table = Table(columns)
        for row in rows:
            table.add(*cells(row))
    return [table, *match.legend("entry")]


def _count_text(count: Json) -> str:
    prefix = {"more_than": "more than ", "about": "about "}.get(count["qualifier"], "")
    what = count["of"] if not count.get("category") else f"{count['category']} {count['of']}"
    return f"{prefix}{count['value']} {what}"


def org(summary: Json) -> list[Block]:
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
    parts: list[Block] = [head]
    if summary["areas"]:
        parts.append(_bullets("Areas of cooperation", summary["areas"]))
    if summary["tasks"]:
        parts.append(_bullets("Tasks", summary["tasks"]))
    if summary["counts"]:
        counts = Table([Column("Declared", prose=True), Column("Sources")], title="Declared counts")
        for count in summary["counts"]:
            counts.add(literal(_count_text(count)), _ids(count["sources"]))
        parts.append(counts)
    return parts


def _bullets(title: str, items: Iterable[str]) -> Group:
    return Group(
        [Text(literal(title), "bold"), *(Text(literal(item), hang="• ") for item in items)]
    )


def org_bodies(data: Json) -> list[Block]:
    table = Table(
        [
            Column("Category"),
            Column("Count"),
            Column("Named", right=True),
            Column("Bodies", prose=True),
        ],
        title=f"Bodies of {literal(data['org'])}",
    )
    for category in data["categories"]:
        count = str(category["count"]) + ("" if category["declared"] else " (named only)")
        bodies = [span for b in category["bodies"] for span in _titled(b["name"], b["id"])]
        table.add(literal(category["category"]), literal(count), str(category["named"]), bodies)
    table.section()
    table.add(Span("total", "bold"), str(data["total"]), "", "")
    lines = []
    if data["declared_total"]:
        lines.append(f"Declared in all: {_count_text({**data['declared_total'], 'of': 'bodies'})}")
    if data["uncategorised"]:
        names = ", ".join(f"{b['name']} ({b['id']})" for b in data["uncategorised"])
        lines.append(f"Named, category not stated by any source: {names}")
    lines.append(f"Sources: {', '.join(data['sources'])}")
    return [table, Group([Text(literal(line)) for line in lines])]


def _end(value: str | None) -> str:
    """A term's end as a reader should take it."""
    return {"..": "still (as of sources)", None: "not given"}.get(value, value or "")


def members(rows: Iterable[Json]) -> list[Block]:
    notes = Footnotes()
    match = _MatchColumn()
    table = Table(
        [
            Column("Country"),
            Column("Role"),
            Column("From"),
            Column("To"),
            match.column,
            Column("Sources"),
            Column("Note"),
        ]
    )
    for row in rows:
        table.add(
            literal(row["country"]),
            literal(row["role"]),
            literal(row["from"] or "not given"),
            literal(_end(row["to"])),
            *match.cells(row),
            _ids(row["sources"]),
            notes.mark(row["note"]),
        )
    return [table, *notes.render(), *match.legend("membership")]


def _status(status: str, country: str = "") -> Span:
    """A status as symbol and label, in its colour; after a country, when given."""
    symbol, label, _ = STATUS_SYMBOLS[status]
    return Span(f"{country} {symbol} {label}".lstrip(), _STATUS_STYLES[status])


def signed(
    rows: Iterable[Json], notes: Footnotes | None = None, title: str | None = None
) -> list[Block]:
    own = notes is None
    notes = notes or Footnotes()
    match = _MatchColumn()
    table = Table(
        [
            Column("Date"),
            match.column,
            Column("Document / id", prose=True),
            Column("Country"),
            Column("Status"),
            Column("Sources"),
            Column("Note"),
        ],
        title=title,
    )
    for row in rows:
        table.add(
            literal(row["date"]),
            *match.cells(row),
            _titled(row["title"], row["document"]),
            literal(row["country"]),
            _status(row["status"]),
            _ids(row["sources"]),
            notes.mark(row["note"]),
        )
    return [table, *(notes.render() if own else []), *match.legend("document")]


def signed_matrix(rows: Iterable[Json], filtered: str | None = None) -> list[Block]:
    """Documents by countries, each cell a status symbol with its note's number.

    A pair that no row gives is unknown (the document does not list the country),
    visibly unlike not signed; but when a status filter chose the rows
    (``filtered`` names it, as the legend shows it), such a pair may hold any
    status and is marked not shown.
    """
    rows = list(rows)  # read three times: for the documents, the countries and the cells
    documents = {row["document"]: row for row in rows}
    countries = sorted({row["country"] for row in rows})
    cells = {(row["document"], row["country"]): row for row in rows}
    notes = Footnotes()
    match = _MatchColumn()
    table = Table(
        [
            Column("Date"),
            match.column,
            Column("Document / id", prose=True),
            *(Column(literal(country)) for country in countries),
        ]
    )
    for document, row in documents.items():
        shown: list[Span] = []
        for country in countries:
            cell = cells.get((document, country))
            if cell is None and filtered:
                shown.append(Span(NOT_SHOWN))
                continue
            value = cell["status"] if cell else "unknown"
            mark = notes.mark(cell["note"] if cell else None)
            symbol = STATUS_SYMBOLS[value][0]
            shown.append(Span(f"{symbol} {mark}" if mark else symbol, _STATUS_STYLES[value]))
        table.add(literal(row["date"]), *match.cells(row), _titled(row["title"], document), *shown)
    legend = [(symbol, meaning) for symbol, _, meaning in STATUS_SYMBOLS.values()]
    if filtered:
        legend.append((NOT_SHOWN, f"not shown: left out by {filtered}"))
    sources = sorted({s for row in rows for s in row["sources"]})
    cited = (
        f"Sources: {', '.join(sources)}"
        if sources
        else "Sources: none (no source lists these countries as signatories)"
    )
    return [
        table,
        *notes.render(),
        _fields(legend, title="Legend"),
        *match.legend("document"),
        Text(literal(cited)),
    ]


def country(profile: Json, on: str | None = None, dated: bool = False) -> list[Block]:
    """Every part of a country's view under its own heading: its standing ``on`` a
    date, and the documents, events and facts (those that fall on it when
    ``dated``). Note numbers run on through the whole view."""
    name = literal(profile["id"])
    when = f" on {literal(on)}" if on else ""
    parts: list[Block] = [
        _fields(
            [
                ("id", profile["id"]),
                ("name", profile["name"]),
                ("aliases", profile["aliases"]),
                ("sources", profile["sources"]),
                ("note", profile["note"]),
            ]
        )
    ]
    notes = Footnotes()
    rows = profile["standing"]
    match = _MatchColumn()
    standing = Table(
        [
            Column("Org"),
            Column("Standing"),
            match.column,
            Column("Role"),
            Column("From"),
            Column("To"),
            Column("Sources"),
            Column("Note"),
        ],
        title=f"Standing of {name}{when}",
    )
    for row in rows:
        standing.add(
            literal(row["org"]),
            literal(row["status"]),
            *match.cells(row),
            literal(row["role"]),
            literal(row["from"]),
            literal(_end(row["to"]) if row["role"] else ""),
            _ids(row["sources"]),
            notes.mark(row["note"]),
        )
    parts.extend([standing, *notes.render(), *match.legend("standing")])
    also = when if dated else ""
    sections = [
        ("documents", f"Documents listing {name} as a signatory{also}"),
        ("events", f"Events naming {name}{also}"),
        ("facts", f"Facts about {name}{also}"),
    ]
    for key, title in sections:
        if not profile[key]:
            parts.append(Text(f"{title}: none.", "dim"))
        elif key == "documents":
            parts.extend(signed(profile[key], notes, title=title))
            parts.extend(notes.render())
        else:
            parts.extend(_briefs(title, profile[key]))
    return parts


def _briefs(title: str, rows: list[Json]) -> list[Block]:
    """Events or facts as parts of another view: date, id, kind, what, who says so."""
    match = _MatchColumn()
    what = "Text" if rows and "text" in rows[0] else "Title"
    table = Table(
        [
            Column("Date"),
            match.column,
            Column("Kind", style="dim"),
            Column(f"{what} / id", prose=True),
            Column("Sources"),
        ],
        title=title,
    )
    for row in rows:
        table.add(
            literal(row["date"]),
            *match.cells(row),
            literal(row["kind"]),
            _titled(row[what.lower()], row["id"]),
            _ids(row["sources"]),
        )
    return [table, *match.legend("fact" if what == "Text" else "event")]


def person(profile: Json) -> list[Block]:
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
    offices = Table(
        [
            Column("Office", prose=True),
            Column("Post of"),
            Column("From"),
            Column("To"),
            Column("Sources"),
            Column("Note"),
        ],
        title="Offices",
    )
    for office in profile["offices"]:
        offices.add(
            _office_title(office),
            _post_of(office),
            literal(office["from"] or "not given"),
            literal(_end(office["to"])),
            _ids(office["sources"]),
            notes.mark(office["note"]),
        )
    parts: list[Block] = [head, offices, *notes.render()]
    if profile["events"]:
        parts.extend(_briefs("Events", profile["events"]))
    return parts


def _post_of(office: Json) -> list[Span]:
    """What an office is a post of: its organisation, body or country, a line each."""
    return _ids(office[key] for key in ("org", "body", "country") if office.get(key))


def _office_title(office: Json) -> list[Span]:
    title = prose(office["title"])
    if office.get("renamed_from"):
        title += prose(f"(renamed from {office['renamed_from']})", "dim")
    return title


def holders(rows: Iterable[Json], title: str | None = None) -> list[Block]:
    """Who held an office then: the title in force during each term, its dates, whether
    the term certainly or only possibly covers the asked date, and the post's titles."""
    held = [(row, office) for row in rows for office in row["held"]]
    notes = Footnotes()
    match = _MatchColumn()
    table = Table(
        [
            Column("Holder / id", prose=True),
            Column("Office held then", prose=True),
            Column("Post of"),
            Column("From"),
            Column("To"),
            match.column,
            Column("Sources"),
            Column("Note"),
        ],
        title=_title(title),
    )
    renamed: dict[str, None] = {}
    for row, office in held:
        table.add(
            _titled(row["name"], row["id"]),
            literal(office["title"]),
            _post_of(office),
            literal(office["from"] or "not given"),
            literal(_end(office["to"])),
            *match.cells(office),
            _ids(office["sources"]),
            notes.mark(office["note"]),
        )
        if len(office["post_titles"]) > 1:
            renamed.setdefault(" → ".join(office["post_titles"]))
    parts: list[Block] = [table, *notes.render()]
    for history in renamed:
        parts.append(Text(literal(f"The post was renamed: {history}."), "dim"))
    parts.extend(match.legend("term"))
    return parts


def record(detail: Json) -> list[Block]:
    # The bounds beside each date are for scripts; the date itself says them to a reader.
    skip = {"referenced_by", *(key for key in detail if key.endswith("_bounds"))}
    pairs = [(k, v) for k, v in detail.items() if k not in skip and not isinstance(v, list | dict)]
    pairs += [
        (k, v)
        for k, v in detail.items()
        if isinstance(v, list) and v and not isinstance(v[0], dict)
    ]
    parts: list[Block] = [_fields(pairs)]
    for key, value in detail.items():
        if key in skip or not (isinstance(value, list) and value and isinstance(value[0], dict)):
            continue
        columns = [column for column in value[0] if not column.endswith("_bounds")]
        nested = Table([Column(literal(c), prose=True) for c in columns], title=literal(key))
        for item in value:
            nested.add(
                *(
                    [_status(item[c])]
                    if c == "status" and item[c] in STATUS_SYMBOLS
                    else _value(item[c])
                    for c in columns
                )
            )
        parts.append(nested)
    if not detail["referenced_by"]:
        parts.append(Text("Nothing refers to this record.", "dim"))
        return parts
    referrers = Table(
        [Column("Kind"), Column("Id"), Column("Field"), Column("Title", prose=True)],
        title="Referenced by",
    )
    for row in detail["referenced_by"]:
        referrers.add(
            literal(row["kind"]), literal(row["id"]), literal(row["field"]), literal(row["title"])
        )
    parts.append(referrers)
    return parts


def search(rows: Iterable[Json]) -> list[Block]:
    table = Table(
        [
            Column("Kind", style="dim"),
            Column("Title / id", prose=True),
            Column("Snippet", prose=True),
        ]
    )
    for row in rows:
        table.add(literal(row["kind"]), _titled(row["title"], row["id"]), literal(row["snippet"]))
    return [table]


def sources(rows: Iterable[Json]) -> list[Block]:
    table = Table(
        [
            Column("Id"),
            Column("Title", prose=True),
            Column("Kind", style="dim"),
            Column("Date"),
            Column("Cited by", right=True),
        ]
    )
    for row in rows:
        title = prose(row["title"])
        if row["author"]:
            title += prose(f"by {row['author']}", "dim")
        table.add(
            literal(row["id"]),
            title,
            literal(row["kind"]),
            literal(row["date"]),
            str(row["cited_by"]),
        )
    return [table]


def citing(rows: Iterable[Json]) -> list[Block]:
    table = Table([Column("Kind", style="dim"), Column("Title / id", prose=True)])
    for row in rows:
        table.add(literal(row["kind"]), _titled(row["title"], row["id"]))
    return [table]


# --- listings (cislog facts, documents, people, orgs, bodies, countries) -------


def fact_list(rows: Iterable[Json]) -> list[Block]:
    notes = Footnotes()
    match = _MatchColumn()
    table = Table(
        [
            Column("Date"),
            match.column,
            Column("Kind", style="dim"),
            Column("Fact / id", prose=True),
            Column("Subjects"),
            Column("Sources"),
            Column("Note"),
        ]
    )
    for row in rows:
        table.add(
            literal(row["date"]),
            *match.cells(row),
            literal(row["kind"]),
            _titled(row["text"], row["id"]),
            _ids(row["subjects"]),
            _ids(row["sources"]),
            notes.mark(row["note"]),
        )
    return [table, *notes.render(), *match.legend("fact")]


def document_list(rows: Iterable[Json]) -> list[Block]:
    notes = Footnotes()
    match = _MatchColumn()
    table = Table(
        [
            Column("Date"),
            match.column,
            Column("Document / id", prose=True),
            Column("Kind", style="dim"),
            Column("Org/body"),
            Column("Signatories"),
            Column("Sources"),
            Column("Note"),
        ]
    )
    for row in rows:
        signatories = [_status(s["status"], literal(s["country"])) for s in row["signatories"]]
        table.add(
            literal(row["date"]),
            *match.cells(row),
            _titled(row["title"], row["id"]),
            literal(row["kind"]),
            _ids(row[key] for key in ("org", "body") if row[key]),
            signatories,
            _ids(row["sources"]),
            notes.mark(row["note"]),
        )
    legend = Text(
        "Signatories: the countries a document lists, with their status; a country it "
        "does not list is unknown, not 'not signed'.",
        "dim",
    )
    return [table, *notes.render(), legend, *match.legend("document")]


def person_list(rows: Iterable[Json]) -> list[Block]:
    table = Table(
        [
            Column("Person / id", prose=True),
            Column("Offices", prose=True),
            Column("Orgs"),
            Column("Sources"),
        ]
    )
    for row in rows:
        table.add(
            _titled(row["name"], row["id"]),
            [span for title in row["offices"] for span in prose(title)],
            _ids(row["orgs"]),
            _ids(row["sources"]),
        )
    return [table]


def org_list(rows: Iterable[Json]) -> list[Block]:
    table = Table(
        [
            Column("Organisation / id", prose=True),
            Column("Founded"),
            Column("Seat", prose=True),
            Column("Bodies", right=True),
            Column("Sources"),
        ]
    )
    for row in rows:
        table.add(
            _titled(row["name"], row["id"]),
            literal(row["founded"]),
            literal(row["seat"]),
            str(row["bodies"]),
            _ids(row["sources"]),
        )
    return [table]


def body_list(rows: Iterable[Json]) -> list[Block]:
    table = Table(
        [
            Column("Body / id", prose=True),
            Column("Org"),
            Column("Category"),
            Column("Sources"),
        ]
    )
    uncategorised = False
    for row in rows:
        uncategorised = uncategorised or row["category"] is None
        table.add(
            _titled(row["name"], row["id"]),
            literal(row["org"]),
            literal(row["category"]),
            _ids(row["sources"]),
        )
    parts: list[Block] = [table]
    if uncategorised:
        parts.append(Text("No category shown: no source states the body's category.", "dim"))
    return parts


def country_list(rows: Iterable[Json]) -> list[Block]:
    table = Table(
        [Column("Id"), Column("Name", prose=True), Column("Aliases", prose=True), Column("Sources")]
    )
    for row in rows:
        table.add(
            literal(row["id"]),
            literal(row["name"]),
            [span for alias in row["aliases"] for span in prose(alias)],
            _ids(row["sources"]),
        )
    return [table]
