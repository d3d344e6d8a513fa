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

from cislog import dates, inert
from cislog.errors import InvalidValue
from cislog.kinds import (
    SLUG_PATTERN,
    SUBJECT_KINDS,
    DocumentKind,
    EventKind,
    FactKind,
    RecordKind,
    Reference,
    SignatoryStatus,
)

_SLUG = re.compile(SLUG_PATTERN.strip("^$"))
_COUNTRY_CODE = re.compile(r"[a-z]{2}")


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise InvalidValue(
            "bad-id",
            f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens, "
            "like 'cis-accession-azerbaijan'",
        )
    return value


def _check_country_code(value: str) -> str:
    if not _COUNTRY_CODE.fullmatch(value):
        raise InvalidValue(
            "bad-id",
            f"'{value}' is not a valid country id: "
            "use the ISO 3166-1 alpha-2 code in lower case, like 'az'",
        )
    return value


# The JSON Schema (``cislog schema``) states the same rules as patterns, so that an
# editor flags a bad id as it is typed; the validators above stay the authority.
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


# Every integer a dataset holds (a count, a page number) is at most 2^53 - 1: TOML
# and SQLite hold 64 bits, but JavaScript reads a JSON number as a double, exact only
# up to here (TimelineJS, Datasette's pages), so this is what every export carries
# exactly.
MAX_INTEGER = 2**53 - 1


# Bounds on one text, far beyond any title or note, so that a hostile file's single
# huge string is refused rather than copied into every index and export.
LONGEST_LINE = 2_000
LONGEST_PROSE = 200_000


@dataclass(frozen=True, slots=True)
class _PlainText:
    """Marks text a dataset may hold: never a control character (an escape sequence,
    a NUL, a C1 control) or a lone surrogate. ``prose`` (a summary, a note, a
    description) may break lines and hold tabs; one line of text (a title, a name, a
    place) may not, nor hold U+2028 or U+2029, as it goes into one table cell, CSV
    cell, heading or calendar summary. Bidi marks are right-to-left text's own and
    stay; outputs show them where they could mislead (see :mod:`cislog.inert`)."""

    prose: bool = False

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        prose = self.prose
        longest = LONGEST_PROSE if prose else LONGEST_LINE

        def check(value: str, info: core_schema.ValidationInfo) -> str:
            if len(value) > longest:
                what = "a paragraph" if prose else "one line of text"
                raise InvalidValue(
                    "too-long",
                    f"'{info.field_name or 'text'}' is {len(value):,} characters long; "
                    f"{what} holds {longest:,} at most (longer texts belong in the sources)",
                )
            found = inert.first_control(value, prose=prose)
            if found is None:
                return value
            position, char = found
            if "\ud800" <= char <= "\udfff":
                rule = "that is half of a UTF-16 pair, not a character, and no file holds it"
            elif prose:
                rule = "it may break lines and hold tabs, but no other control character"
            else:
                rule = "it is one line of plain text, without control characters or line breaks"
            raise InvalidValue(
                "control-character",
                f"'{info.field_name or 'text'}' holds {inert.describe(char)} "
                f"at character {position + 1}: {rule}",
            )

        return core_schema.with_info_after_validator_function(check, handler(source_type))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        json_schema = dict(handler(schema))
        json_schema["maxLength"] = LONGEST_PROSE if self.prose else LONGEST_LINE
        if self.prose:
            json_schema["pattern"] = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"
        else:
            json_schema["pattern"] = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"
        return json_schema


# One line of text: a title, a name, a place, an alias.
Line = Annotated[str, _PlainText()]
# Paragraphs: a summary, a description, a note, a fact's text, a reason.
Prose = Annotated[str, _PlainText(prose=True)]
# A count or a number of pages: never beyond what every export holds.
Integer = Annotated[int, Field(le=MAX_INTEGER)]


def _check_url(value: str) -> str:
    problem = inert.url_problem(value)
    if problem is not None:
        raise InvalidValue("bad-url", problem)
    return value


Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([hH][tT][tT][pP][sS]?://[^/?#]|[mM][aA][iI][lL][tT][oO]:.)"
            r'[^\s<>"{}|\\^`\u0000-\u001f\u007f-\u009f]*$',
            "description": "A web or mail address: https://, http:// or mailto:, "
            "nothing else (a javascript: link would run where an export shows it).",
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
    """Reads an EDTF date from its string form and writes it back the same way.

    ``allow_open`` admits a bare ``..`` (a term still running); without
    ``allow_interval`` (a term's start or end, which is one day) an interval is
    refused with the set that says what was meant.
    """

    allow_open: bool = False
    allow_interval: bool = True

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def parse(value: str) -> dates.EdtfDate:
            try:
                return dates.parse(value, self.allow_open, self.allow_interval)
            except dates.DateError as error:
                raise InvalidValue("bad-date", str(error)) from error

        return core_schema.no_info_after_validator_function(
            parse,
            core_schema.str_schema(strict=True),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        # The pattern is the shape dates.parse accepts, months 01-12 and days 01-31
        # (or X for an unspecified digit); impossible days (2001-02-30) and intervals
        # that end before they start are left to validation.
        forms = [_SET, _DAY]
        if self.allow_interval:
            forms.append(_INTERVAL)
        if self.allow_open:
            forms.append(r"\.\.")
        description = (
            "An EDTF date: YYYY, YYYY-MM or YYYY-MM-DD, any digit of which may be X "
            "(unspecified: XXXX-10-11, 199X), optionally followed by ? (uncertain), ~ "
            "(approximate) or % (both); or one of a set, [A, B, C..D], whose first member may "
            "be open at its start and last at its end ([..1993-09-24]: on or before)"
        )
        if self.allow_interval:
            description += "; or an interval A/B whose ends may be open (..) or unknown (empty)"
        else:
            description += "; one day, not an interval"
        if self.allow_open:
            description += '; or ".." alone: still running when the sources were written'
        return {
            "type": "string",
            "pattern": "^(" + "|".join(forms) + ")$",
            "description": description + ".",
        }


_MONTH = r"(0[1-9]|1[0-2]|[01X]X|X[0-9])"
_DAY_OF_MONTH = r"(0[1-9]|[12][0-9]|3[01]|[0-3X]X|X[0-9])"
_DAY = rf"[0-9X]{{4}}(-{_MONTH}(-{_DAY_OF_MONTH})?)?[?~%]?"
_INTERVAL = rf"{_DAY}/({_DAY}|\.\.)?|(\.\.)?/{_DAY}"
_RANGE = rf"{_DAY}(\.\.{_DAY})?"
_SET = (
    rf"\[ *(\.\.{_DAY}|{_DAY}\.\.|{_RANGE}|(\.\.{_DAY}|{_RANGE})( *, *{_RANGE})* *, *"
    rf"({_RANGE}|{_DAY}\.\.)) *\]"
)

Edtf = Annotated[dates.EdtfDate, _EdtfSchema()]
# The start and end of a term (an office, a membership) are each one day, maybe
# known only as on or before ([..2015-10-16]) or on or after; the end may also be
# ".." for a term still running when the sources were written. Leaving either
# out means no source gives it.
TermStart = Annotated[dates.EdtfDate, _EdtfSchema(allow_interval=False)]
TermEnd = Annotated[dates.EdtfDate, _EdtfSchema(allow_open=True, allow_interval=False)]


SourceRef = Annotated[str, Ref(("source",))]
CountryRef = Annotated[str, Ref(("country",))]
OrgRef = Annotated[str, Ref(("org",))]
BodyRef = Annotated[str, Ref(("body",))]
PersonRef = Annotated[str, Ref(("person",))]
DocumentRef = Annotated[str, Ref(("document",))]
SubjectRef = Annotated[str, Ref(SUBJECT_KINDS)]


class Strict(BaseModel):
    """Base of every model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Cited(Strict):
    """A part of a record that states a fact of its own and so needs sources."""

    sources: list[SourceRef] = Field(default_factory=list)
    note: Prose | None = None


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
        raise InvalidValue(
            "empty-reason", "say why the finding is silenced: the reason may not be empty"
        )
    return value


class CheckIgnore(Strict):
    """A `cislog check` finding silenced for one record, and why."""

    rule: CheckRule
    reason: Annotated[Prose, AfterValidator(_check_reason)]


class Record(Cited):
    """A top-level record: it has a dataset-wide unique id."""

    id: Slug
    check_ignore: list[CheckIgnore] = Field(default_factory=list)

    KIND: ClassVar[RecordKind]


SourceKind = Literal[
    "official_page", "article", "op_ed", "news", "speech", "book", "chapter", "other"
]


class Source(Record):
    """A text that records cite. A source may cite the source that lists it (a reading list)."""

    KIND: ClassVar[RecordKind] = "source"
    title: Line
    kind: SourceKind
    author: Line | None = None
    editors: list[Line] = Field(default_factory=list)
    publisher: Line | None = None
    place: Line | None = None
    date: Edtf | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    url: Url | None = None
    pages: Integer | None = Field(None, gt=0)
    part_of: Line | None = None


class Country(Record):
    KIND: ClassVar[RecordKind] = "country"
    id: CountryCode
    name: Line
    aliases: list[Line] = Field(default_factory=list)


CountSubject = Literal["bodies", "members", "areas"]


class DeclaredCount(Cited):
    """A number a source states, such as '8 charter bodies' or '27 members'."""

    of: CountSubject
    category: Line | None = None
    value: Integer = Field(ge=0)
    qualifier: Literal["exactly", "more_than", "about"] = "exactly"
    as_of: Edtf | None = None


MembershipRole = Literal["founder", "member", "observer", "partner"]


class Membership(Cited):
    country: CountryRef
    role: MembershipRole
    from_: TermStart | None = Field(None, alias="from")
    to: TermEnd | None = None


class Org(Record):
    KIND: ClassVar[RecordKind] = "org"
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    description: Prose | None = None
    founded: Edtf | None = None
    founded_place: Line | None = None
    seat: Line | None = None
    purpose: Prose | None = None
    areas: list[Line] = Field(default_factory=list)
    tasks: list[Line] = Field(default_factory=list)
    counts: list[DeclaredCount] = Field(default_factory=list)
    memberships: list[Membership] = Field(default_factory=list)


class Body(Record):
    KIND: ClassVar[RecordKind] = "body"
    org: OrgRef
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    category: Line | None = None
    parent: BodyRef | None = None
    meets: Line | None = None
    supreme: bool = False
    description: Prose | None = None


class Office(Cited):
    title: Line
    # Only one person holds it at a time (a president, a secretary general):
    # `cislog check` then reports holders whose terms overlap.
    single_holder: bool = False
    org: OrgRef | None = None
    body: BodyRef | None = None
    country: CountryRef | None = None
    from_: TermStart | None = Field(None, alias="from")
    to: TermEnd | None = None
    # The title the same post had until this term began with its renaming: asking
    # for either title finds the holders under both (see query.office_holders).
    renamed_from: Line | None = None


class Person(Record):
    KIND: ClassVar[RecordKind] = "person"
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    offices: list[Office] = Field(default_factory=list)


class Signatory(Cited):
    """One country's stated position on a document. Countries not listed are unknown."""

    country: CountryRef
    status: SignatoryStatus


class Document(Record):
    KIND: ClassVar[RecordKind] = "document"
    title: Line
    aliases: list[Line] = Field(default_factory=list)
    kind: DocumentKind
    date: Edtf | None = None
    place: Line | None = None
    org: OrgRef | None = None
    body: BodyRef | None = None
    summary: Prose | None = None
    signatories: list[Signatory] = Field(default_factory=list)


class Event(Record):
    KIND: ClassVar[RecordKind] = "event"
    date: Edtf
    title: Line
    kind: EventKind
    summary: Prose | None = None
    place: Line | None = None
    orgs: list[OrgRef] = Field(default_factory=list)
    bodies: list[BodyRef] = Field(default_factory=list)
    countries: list[CountryRef] = Field(default_factory=list)
    people: list[PersonRef] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)


class Fact(Record):
    """What is neither an event nor a document: a position, a figure, a relation."""

    KIND: ClassVar[RecordKind] = "fact"
    text: Prose
    kind: FactKind
    subjects: list[SubjectRef] = Field(default_factory=list)
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


def find_ref(annotation: Any) -> Ref | None:
    """The Ref marker inside an annotation such as ``list[OrgRef]`` or ``OrgRef | None``."""
    for part in getattr(annotation, "__metadata__", ()):
        if isinstance(part, Ref):
            return part
    for arg in get_args(annotation):
        found = find_ref(arg)
        if found is not None:
            return found
    return None


def entry_model(annotation: Any) -> type[BaseModel] | None:
    """The model class of the entries of a field such as ``list[Signatory]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = entry_model(arg)
        if found is not None:
            return found
    return None


@cache
def _reference_fields(
    model_type: type[BaseModel],
) -> tuple[tuple[str, str, Ref | None, type[BaseModel] | None], ...]:
    """(attribute, key in the file, Ref marker or None, model of nested entries or None)
    for each field of a model that refers to records or holds entries that may: the
    walk of every record's references looks at these alone."""
    fields = []
    for name, field in model_type.model_fields.items():
        marker = next((m for m in field.metadata if isinstance(m, Ref)), None)
        marker = marker or find_ref(field.annotation)
        nested = None if marker else entry_model(field.annotation)
        if marker is not None or nested is not None:
            fields.append((name, field.alias or name, marker, nested))
    return tuple(fields)


def references(model: BaseModel, path: tuple[str | int, ...] = ()) -> Iterator[Reference]:
    """Every reference a record makes, found through the :class:`Ref` markers."""
    return _references(type(model), model, path)


def raw_references(
    model_type: type[BaseModel], data: dict[str, Any], path: tuple[str | int, ...] = ()
) -> Iterator[Reference]:
    """The references of a record as read from its file, before or without its model:
    those of a record that failed it are still checked, so that one run of
    ``validate`` reports a broken reference beside a bad date. A value of the wrong
    type is left to the model's own message."""
    return _references(model_type, data, path)


def _references(
    model_type: type[BaseModel], value: Any, path: tuple[str | int, ...]
) -> Iterator[Reference]:
    raw = isinstance(value, dict)
    for name, key, ref, nested in _reference_fields(model_type):
        item = value.get(key) if raw else getattr(value, name)
        if ref is not None:
            if isinstance(item, str):
                yield Reference((*path, key), ref.kinds, item)
            elif isinstance(item, list):
                for index, target in enumerate(item):
                    if isinstance(target, str):
                        yield Reference((*path, key, index), ref.kinds, target)
        elif nested is not None and isinstance(item, list):
            for index, entry in enumerate(item):
                if isinstance(entry, dict | BaseModel):
                    yield from _references(nested, entry, (*path, key, index))
