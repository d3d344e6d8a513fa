"""The records every query, view, check and export reads: plain typed objects.

A dataset is validated by the Pydantic models of :mod:`cislog.model`, and then
read through these classes, whether it was read from the files (each record
converted from its validated model, :func:`from_model`) or from the cache (each
record decoded from the JSON its model dumped, :func:`from_json`). Both give the
same objects, so every query is written and type-checked once, and a query
answered from the cache never imports Pydantic.

The fields mirror the models' exactly, names, order and all (a test compares
them): a field added to a model is added here too. ``to_json`` gives what the
model's ``model_dump(mode="json", by_alias=True)`` gives.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from cislog import dates
from cislog.dates import EdtfDate
from cislog.kinds import DocumentKind, EventKind, FactKind, RecordKind, SignatoryStatus

Json = dict[str, Any]


class Entry:
    """A validated record or a nested entry, read-only by convention.

    Subclasses declare their fields as annotations, in the order of their model;
    the plan for reading and writing them is taken from the annotations once.
    """

    _plan: ClassVar[tuple[tuple[str, str, Any], ...] | None] = None
    _layout: ClassVar[_Layout | None] = None

    @classmethod
    def fields(cls) -> tuple[tuple[str, str, Any], ...]:
        """(attribute, key in the file, how to read it) for each field: ``"plain"``,
        ``"date"``, or the :class:`Entry` class of a list of nested entries."""
        plan = cls.__dict__.get("_plan")
        if plan is None:
            plan = tuple(
                (name, "from" if name == "from_" else name, _how(annotation))
                for klass in reversed(cls.__mro__)
                for name, annotation in vars(klass).get("__annotations__", {}).items()
                if not annotation.startswith("ClassVar") and not name.startswith("_")
            )
            cls._plan = plan
        return plan

    @classmethod
    def from_json(cls, data: Json) -> Any:
        """The entry a model dumped (JSON mode, keys by alias); ValueError if ``data``
        does not hold exactly its fields.

        The hot path of every query answered from the cache: the dumped dict,
        copied, becomes the entry's attributes, and only dates, nested entries and
        the key ``from`` are touched.
        """
        layout = cls.__dict__.get("_layout") or _Layout.of(cls)
        if type(data) is not dict or data.keys() != layout.keys:
            raise ValueError(f"not the fields of a {cls.__name__}")
        values = data.copy()
        for key, attribute in layout.renamed:
            values[attribute] = values.pop(key)
        for attribute in layout.dates:
            if values[attribute] is not None:
                values[attribute] = dates.parse(values[attribute], allow_open=True)
        for attribute, entry_class in layout.nested:
            values[attribute] = [entry_class.from_json(item) for item in values[attribute]]
        entry = object.__new__(cls)
        object.__setattr__(entry, "__dict__", values)
        return entry

    @classmethod
    def from_model(cls, model: Any) -> Any:
        """The entry a validated model holds (its dates are parsed already)."""
        entry = object.__new__(cls)
        for name, _, how in cls.fields():
            value = getattr(model, name)
            if isinstance(how, type) and issubclass(how, Entry) and value is not None:
                value = [how.from_model(item) for item in value]
            elif type(value) is list:
                value = list(value)
            object.__setattr__(entry, name, value)
        return entry

    def to_json(self) -> Json:
        """The entry as its model dumps it: JSON mode, keys by alias, every field."""
        data: Json = {}
        for name, key, how in self.fields():
            value = getattr(self, name)
            if value is None:
                data[key] = None
            elif how == "date":
                data[key] = str(value)
            elif how == "plain":
                data[key] = list(value) if type(value) is list else value
            else:
                data[key] = [item.to_json() for item in value]
        return data

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes`` made, as :func:`dataclasses.replace` gives: records
        are read-only, and a caller that needs another value makes another record."""
        unknown = set(changes) - {name for name, _, _ in self.fields()}
        if unknown:
            raise TypeError(f"a {type(self).__name__} has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(type(self))
        object.__setattr__(copy, "__dict__", {**self.__dict__, **changes})
        return copy

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a {type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n, _, _ in self.fields())

    def __hash__(self) -> int:
        # Equal entries must hash alike: by the class alone here (entries are rarely
        # hashed), by the id too for a record (see Record).
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()!r})"


def _how(annotation: str) -> Any:
    """How a field of this annotation (its text: the module defers annotations) is
    read: a date, a list of entries, or as it is. Read from the text rather than
    with ``typing.get_type_hints``, which costs each command 5 ms at start-up."""
    options = [option.strip() for option in annotation.split("|")]
    if "EdtfDate" in options:
        return "date"
    for option in options:
        if option.startswith("list[") and option.endswith("]"):
            item = globals().get(option[len("list[") : -1])
            if isinstance(item, type) and issubclass(item, Entry):
                return item
    return "plain"


class _Layout:
    """What :meth:`Entry.from_json` needs of a class, worked out once: its keys, the
    keys whose attribute is named otherwise, its dates and its nested entries."""

    def __init__(self, plan: tuple[tuple[str, str, Any], ...]) -> None:
        self.keys = {key for _, key, _ in plan}
        self.renamed = tuple((key, name) for name, key, _ in plan if key != name)
        self.dates = tuple(name for name, _, how in plan if how == "date")
        self.nested: tuple[tuple[str, type[Entry]], ...] = tuple(
            (name, how) for name, _, how in plan if isinstance(how, type)
        )

    @staticmethod
    def of(cls: type[Entry]) -> _Layout:
        layout = _Layout(cls.fields())
        cls._layout = layout
        return layout


class Cited(Entry):
    """A part of a record that states a fact and so carries its sources."""

    sources: list[str]
    note: str | None


class CheckIgnore(Entry):
    rule: str
    reason: str


class Record(Cited):
    """A top-level record, with its dataset-wide unique id."""

    KIND: ClassVar[RecordKind]
    id: str
    check_ignore: list[CheckIgnore]

    def __hash__(self) -> int:
        return hash((type(self), self.id))

    @property
    def label(self) -> str:
        """The human-readable name of the record."""
        for attribute in ("title", "name", "text"):
            value = getattr(self, attribute, None)
            if isinstance(value, str):
                return value
        return self.id


class Source(Record):
    KIND: ClassVar[RecordKind] = "source"
    title: str
    kind: str
    author: str | None
    editors: list[str]
    publisher: str | None
    place: str | None
    date: EdtfDate | None
    language: str | None
    url: str | None
    pages: int | None
    part_of: str | None


class Country(Record):
    KIND: ClassVar[RecordKind] = "country"
    name: str
    aliases: list[str]


class DeclaredCount(Cited):
    of: str
    category: str | None
    value: int
    qualifier: str
    as_of: EdtfDate | None


class Membership(Cited):
    country: str
    role: str
    from_: EdtfDate | None
    to: EdtfDate | None


class Org(Record):
    KIND: ClassVar[RecordKind] = "org"
    name: str
    aliases: list[str]
    description: str | None
    founded: EdtfDate | None
    founded_place: str | None
    seat: str | None
    purpose: str | None
    areas: list[str]
    tasks: list[str]
    counts: list[DeclaredCount]
    memberships: list[Membership]


class Body(Record):
    KIND: ClassVar[RecordKind] = "body"
    org: str
    name: str
    aliases: list[str]
    category: str | None
    parent: str | None
    meets: str | None
    supreme: bool
    description: str | None


class Office(Cited):
    title: str
    single_holder: bool
    org: str | None
    body: str | None
    country: str | None
    from_: EdtfDate | None
    to: EdtfDate | None
    renamed_from: str | None


class Person(Record):
    KIND: ClassVar[RecordKind] = "person"
    name: str
    aliases: list[str]
    offices: list[Office]


class Signatory(Cited):
    """One country's stated position on a document. Countries not listed are unknown."""

    country: str
    status: SignatoryStatus


class Document(Record):
    KIND: ClassVar[RecordKind] = "document"
    title: str
    aliases: list[str]
    kind: DocumentKind
    date: EdtfDate | None
    place: str | None
    org: str | None
    body: str | None
    summary: str | None
    signatories: list[Signatory]


class Event(Record):
    KIND: ClassVar[RecordKind] = "event"
    date: EdtfDate
    title: str
    kind: EventKind
    summary: str | None
    place: str | None
    orgs: list[str]
    bodies: list[str]
    countries: list[str]
    people: list[str]
    documents: list[str]
    tags: list[str]


class Fact(Record):
    """What is neither an event nor a document: a position, a figure, a relation."""

    KIND: ClassVar[RecordKind] = "fact"
    text: str
    kind: FactKind
    subjects: list[str]
    date: EdtfDate | None


class SigningDocument(NamedTuple):
    """What a signature row shows of a document (its id, title, date and
    organisation) and its signatories: all the cache reads to answer ``signed
    --country``, from its table of signatories, without decoding a document."""

    id: str
    title: str
    date: EdtfDate | None
    org: str | None
    signatories: list[Signatory]

    @staticmethod
    def of(document: Document) -> SigningDocument:
        return SigningDocument(
            document.id, document.title, document.date, document.org, document.signatories
        )


RECORDS: dict[RecordKind, type[Record]] = {
    "source": Source,
    "country": Country,
    "org": Org,
    "body": Body,
    "person": Person,
    "document": Document,
    "event": Event,
    "fact": Fact,
}


_BY_NAME: dict[str, type[Record]] = dict(RECORDS.items())


def from_model(model: Any) -> Record:
    """The record a validated model holds."""
    record: Record = RECORDS[model.KIND].from_model(model)
    return record


def from_json(kind: str, data: Json) -> Record:
    """The record a cache row holds, or ValueError if the row cannot be one (a kind
    unknown, a field missing or of a shape its model never dumps)."""
    record_class = _BY_NAME.get(kind)
    if record_class is None:
        raise ValueError(f"not a kind of record: {kind!r}")
    try:
        record: Record = record_class.from_json(data)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ValueError(f"not a {kind} record: {error}") from None
    return record
