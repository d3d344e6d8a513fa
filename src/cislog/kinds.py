"""The kinds of record and where each is written: names every module may import
without paying for Pydantic (the models live in :mod:`cislog.model`)."""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

# An id: lower-case letters, digits and single hyphens (a tag is one too).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

RecordKind = Literal["source", "country", "org", "body", "person", "document", "event", "fact"]
RECORD_KINDS: tuple[RecordKind, ...] = get_args(RecordKind)

SignatoryStatus = Literal[
    "signed", "signed_with_special_opinion", "signed_with_reservation", "not_signed"
]
SIGNATORY_STATUSES: tuple[SignatoryStatus, ...] = get_args(SignatoryStatus)

EventKind = Literal[
    "founding",
    "accession",
    "meeting",
    "summit",
    "speech",
    "reception",
    "initiative",
    "conference",
    "expert_meeting",
    "inauguration",
    "appointment",
    "reorganisation",
    "transfer_of_power",
    "other",
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

DocumentKind = Literal[
    "agreement",
    "charter",
    "concept",
    "decision",
    "programme",
    "declaration",
    "act",
    "rules",
    "treaty",
    "statement",
    "other",
]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)

FactKind = Literal[
    "description",
    "position",
    "official_position",
    "assessment",
    "statement",
    "figure",
    "relation",
    "participation",
    "designation",
]
FACT_KINDS: tuple[FactKind, ...] = get_args(FactKind)

# What a fact may be about: the kinds of record its ``subjects`` name.
SUBJECT_KINDS: tuple[RecordKind, ...] = ("org", "country", "body", "person", "document")

# The kinds a timeline entry may have: an event's, or a dated document's. A filter
# accepts each of them, whether or not the data uses it yet.
TIMELINE_KINDS: tuple[str, ...] = tuple(sorted({*EVENT_KINDS, *DOCUMENT_KINDS}))
TIMELINE_RECORDS = ("event", "document")

# The fields that hold EDTF dates, by their key in the data, whatever the kind: where
# every output puts the date's bounds beside it (``date`` and ``date_bounds``).
DATE_FIELDS = frozenset({"date", "founded", "as_of", "from", "to"})


class KindInfo(NamedTuple):
    """What the code needs to know of a kind of record besides its fields (its
    model in :mod:`cislog.model`, its record in :mod:`cislog.records`): the plural
    a table or file of it is named by (``events.csv``), the data file it goes to
    when none is named (the bundled data's layout), and what it holds, for the
    JSON Schema's hovers and the help."""

    plural: str
    default_file: str
    description: str


KINDS: dict[RecordKind, KindInfo] = {
    "source": KindInfo(
        "sources",
        "sources.toml",
        "Texts that records cite: pages, articles, op-eds, books, chapters.",
    ),
    "country": KindInfo(
        "countries",
        "countries.toml",
        "Countries, with the ISO 3166-1 alpha-2 code in lower case as id.",
    ),
    "org": KindInfo(
        "orgs",
        "orgs.toml",
        "International organisations, with declared counts and memberships.",
    ),
    "body": KindInfo(
        "bodies",
        "orgs.toml",
        "Organs of an organisation: councils, committees, secretariats.",
    ),
    "person": KindInfo(
        "people",
        "people.toml",
        "People, with the offices the sources give them.",
    ),
    "document": KindInfo(
        "documents",
        "documents.toml",
        "Agreements, decisions, charters and other documents, with signatories.",
    ),
    "event": KindInfo(
        "events",
        "events.toml",
        "Dated events: foundings, accessions, meetings, summits.",
    ),
    "fact": KindInfo(
        "facts",
        "facts.toml",
        "What is neither an event nor a document: positions, figures, relations.",
    ),
}
# The plural of each kind, and where it goes, as the CLI and the exports read them.
PLURALS: dict[RecordKind, str] = {kind: info.plural for kind, info in KINDS.items()}
DEFAULT_FILES: dict[RecordKind, str] = {kind: info.default_file for kind, info in KINDS.items()}


class Reference(NamedTuple):
    """One reference from a record, with where in the record it stands."""

    path: tuple[str | int, ...]
    kinds: tuple[RecordKind, ...]
    target: str
