"""The record model: what a dataset may say, and how each fact carries its sources.

Every kind of record is a strict Pydantic model: an unknown key, a wrong type
or a value outside an enumeration is an error, never silently dropped. Fields
that point at other records are marked with :class:`Ref`, so that reference
checking, "what refers to this" and writing all walk the same metadata instead
of each keeping a list of reference fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic_core import core_schema

from cislog import dates
from cislog.kinds import RecordKind, Reference, SignatoryStatus

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY_CODE = re.compile(r"[a-z]{2}")


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens, "
            "like 'cis-accession-azerbaijan'"
        )
    return value


def _check_country_code(value: str) -> str:
    if not _COUNTRY_CODE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid country id: "
            "use the ISO 3166-1 alpha-2 code in lower case, like 'az'"
        )
    return value


# The JSON Schema (``cislog schema``) states the same rules as patterns, so that an
# editor flags a bad id as it is typed; the validators above stay the authority.
SLUG_PATTERN = "^" + _SLUG.pattern + "$"
COUNTRY_CODE_PATTERN = "^" + _COUNTRY_CODE.pattern + "$"

Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "description": "A lower-case slug: letters, digits and single hyphens "
            "(cis-accession-azerbaijan).",
        }
    ),
]
CountryCode = Annotated[
    str,
    AfterValidator(_check_country_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": COUNTRY_CODE_PATTERN,
            "description": "The ISO 3166-1 alpha-2 code in lower case (az).",
        }
    ),
]


@dataclass(frozen=True, slots=True)
class Ref:
    """Marks a field whose value is the id of a record of one of ``kinds``."""

    kinds: tuple[RecordKind, ...]

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        """An id of the right shape; whether the record exists only validation can tell."""
        json_schema = dict(handler(schema))
        countries_only = self.kinds == ("country",)
        json_schema["pattern"] = COUNTRY_CODE_PATTERN if countries_only else SLUG_PATTERN
        kinds = " or ".join(f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in self.kinds)
        json_schema["description"] = f"The id of {kinds}."
        return json_schema


@dataclass(frozen=True, slots=True)
class _EdtfSchema:
    """Reads an EDTF date from its string form and writes it back the same way."""

    allow_open: bool = False

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            _parse_open_edtf if self.allow_open else _parse_edtf,
            core_schema.str_schema(strict=True),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        # The pattern is the shape dates.parse accepts, months 01-12 and days 01-31;
        # impossible days (2001-02-30) and intervals that end before they start are
        # left to validation.
        pattern = EDTF_TERM_END_PATTERN if self.allow_open else EDTF_PATTERN
        description = (
            "An EDTF date: YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ? "
            "(uncertain), ~ (approximate) or % (both), or an interval A/B whose ends may "
            "be open (..) or unknown (empty)."
        )
        if self.allow_open:
            description += ' ".." alone: still running when the sources were written.'
        return {"type": "string", "pattern": pattern, "description": description}


_DAY = r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?[?~%]?"
_INTERVAL = rf"{_DAY}/({_DAY}|\.\.)?|(\.\.)?/{_DAY}"
EDTF_PATTERN = rf"^({_DAY}|{_INTERVAL})$"
EDTF_TERM_END_PATTERN = rf"^({_DAY}|{_INTERVAL}|\.\.)$"

Edtf = Annotated[dates.EdtfDate, _EdtfSchema()]
# The end of a term: a date, or ".." for a term still running when the sources
# were written. Leaving it out means no source gives the end.
TermEnd = Annotated[dates.EdtfDate, _EdtfSchema(allow_open=True)]


def _parse_edtf(value: str, allow_open: bool = False) -> dates.EdtfDate:
    try:
        return dates.parse(value, allow_open=allow_open)
    except dates.DateError as error:
        raise ValueError(str(error)) from None


def _parse_open_edtf(value: str) -> dates.EdtfDate:
    return _parse_edtf(value, allow_open=True)


SourceRef = Annotated[str, Ref(("source",))]
CountryRef = Annotated[str, Ref(("country",))]
OrgRef = Annotated[str, Ref(("org",))]
BodyRef = Annotated[str, Ref(("body",))]
PersonRef = Annotated[str, Ref(("person",))]
DocumentRef = Annotated[str, Ref(("document",))]
SubjectRef = Annotated[str, Ref(("org", "country", "body", "person", "document"))]


class Strict(BaseModel):
    """Base of every model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Cited(Strict):
    """A part of a record that states a fact of its own and so needs sources."""

    sources: list[SourceRef] = []
    note: str | None = None


CheckRule = Literal[
    "dated-before-founding",
    "dated-after-leaving",
    "signed-by-non-member",
    "membership-event-mismatch",
    "overlapping-holders",
    "office-order",
    "event-document-date",
    "count-mismatch",
    "unused-source",
    "single-op-ed-source",
    "inferred-date-without-note",
]
CHECK_RULES: tuple[CheckRule, ...] = get_args(CheckRule)


def _check_reason(value: str) -> str:
    if not value.strip():
        raise ValueError("say why the finding is silenced: the reason may not be empty")
    return value


class CheckIgnore(Strict):
    """A `cislog check` finding silenced for one record, and why."""

    rule: CheckRule
    reason: Annotated[str, AfterValidator(_check_reason)]


class Record(Cited):
    """A top-level record: it has a dataset-wide unique id."""

    id: Slug
    check_ignore: list[CheckIgnore] = []

    KIND: ClassVar[RecordKind]

    @property
    def label(self) -> str:
        """The human-readable name of the record."""
        for attribute in ("title", "name", "text"):
            value = getattr(self, attribute, None)
            if isinstance(value, str):
                return value
        return self.id


SourceKind = Literal[
    "official_page", "article", "op_ed", "news", "speech", "book", "chapter", "other"
]


class Source(Record):
    """A text that records cite. A source may cite the source that lists it (a reading list)."""

    KIND: ClassVar[RecordKind] = "source"
    title: str
    kind: SourceKind
    author: str | None = None
    editors: list[str] = []
    publisher: str | None = None
    place: str | None = None
    date: Edtf | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    url: str | None = None
    pages: int | None = Field(None, gt=0)
    part_of: str | None = None


class Country(Record):
    KIND: ClassVar[RecordKind] = "country"
    id: CountryCode
    name: str
    aliases: list[str] = []


CountSubject = Literal["bodies", "members", "areas"]


class DeclaredCount(Cited):
    """A number a source states, such as '8 charter bodies' or '27 members'."""

    of: CountSubject
    category: str | None = None
    value: int = Field(ge=0)
    qualifier: Literal["exactly", "more_than", "about"] = "exactly"
    as_of: Edtf | None = None


MembershipRole = Literal["founder", "member", "observer", "partner"]


class Membership(Cited):
    country: CountryRef
    role: MembershipRole
    from_: Edtf | None = Field(None, alias="from")
    to: TermEnd | None = None


class Org(Record):
    KIND: ClassVar[RecordKind] = "org"
    name: str
    aliases: list[str] = []
    description: str | None = None
    founded: Edtf | None = None
    founded_place: str | None = None
    seat: str | None = None
    purpose: str | None = None
    areas: list[str] = []
    tasks: list[str] = []
    counts: list[DeclaredCount] = []
    memberships: list[Membership] = []


class Body(Record):
    KIND: ClassVar[RecordKind] = "body"
    org: OrgRef
    name: str
    aliases: list[str] = []
    category: str | None = None
    parent: BodyRef | None = None
    meets: str | None = None
    supreme: bool = False
    description: str | None = None


class Office(Cited):
    title: str
    # Only one person holds it at a time (a president, a secretary general):
    # `cislog check` then reports holders whose terms overlap.
    single_holder: bool = False
    org: OrgRef | None = None
    body: BodyRef | None = None
    country: CountryRef | None = None
    from_: Edtf | None = Field(None, alias="from")
    to: TermEnd | None = None


class Person(Record):
    KIND: ClassVar[RecordKind] = "person"
    name: str
    aliases: list[str] = []
    offices: list[Office] = []


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


class Signatory(Cited):
    """One country's stated position on a document. Countries not listed are unknown."""

    country: CountryRef
    status: SignatoryStatus


class Document(Record):
    KIND: ClassVar[RecordKind] = "document"
    title: str
    aliases: list[str] = []
    kind: DocumentKind
    date: Edtf | None = None
    place: str | None = None
    org: OrgRef | None = None
    body: BodyRef | None = None
    summary: str | None = None
    signatories: list[Signatory] = []


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


class Event(Record):
    KIND: ClassVar[RecordKind] = "event"
    date: Edtf
    title: str
    kind: EventKind
    summary: str | None = None
    place: str | None = None
    orgs: list[OrgRef] = []
    bodies: list[BodyRef] = []
    countries: list[CountryRef] = []
    people: list[PersonRef] = []
    documents: list[DocumentRef] = []
    tags: list[Slug] = []


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


class Fact(Record):
    """What is neither an event nor a document: a position, a figure, a relation."""

    KIND: ClassVar[RecordKind] = "fact"
    text: str
    kind: FactKind
    subjects: list[SubjectRef] = []
    date: Edtf | None = None


MODELS: dict[str, type[Record]] = {
    "source": Source,
    "country": Country,
    "org": Org,
    "body": Body,
    "person": Person,
    "document": Document,
    "event": Event,
    "fact": Fact,
}


def _find_ref(annotation: Any) -> Ref | None:
    """The Ref marker inside an annotation such as ``list[OrgRef]`` or ``OrgRef | None``."""
    for part in getattr(annotation, "__metadata__", ()):
        if isinstance(part, Ref):
            return part
    for arg in get_args(annotation):
        found = _find_ref(arg)
        if found is not None:
            return found
    return None


@cache
def _reference_fields(model_type: type[BaseModel]) -> tuple[tuple[str, str, Ref | None], ...]:
    """(attribute, key in the file, Ref marker or None) for each field of a model."""
    fields = []
    for name, field in model_type.model_fields.items():
        marker = next((m for m in field.metadata if isinstance(m, Ref)), None)
        fields.append((name, field.alias or name, marker or _find_ref(field.annotation)))
    return tuple(fields)


def references(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[Reference]:
    """Every reference a record makes, found through the :class:`Ref` markers."""
    for name, key, ref in _reference_fields(type(model)):
        value = getattr(model, name)
        if ref is not None:
            if isinstance(value, str):
                yield Reference((*path, key), ref.kinds, value)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    yield Reference((*path, key, index), ref.kinds, item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from references(item, (*path, key, index))
