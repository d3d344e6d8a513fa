"""The JSON Schema of a data file, for editors that check TOML as it is typed.

The schema is generated from the models in :mod:`cislog.model`, so it cannot
drift from what ``cislog validate`` accepts field by field. It describes what
one file may hold; what only the whole dataset can tell (that a reference
points at an existing record, that ids are unique, that a day exists) stays
with ``cislog validate``, and the descriptions say so where an editor user
would otherwise be surprised.

TOML has no null, so the ``X | None`` of optional fields is written as plain
``X``: an editor then offers the real type instead of a union nobody can write.
"""

from __future__ import annotations

import json
from typing import Any

from cislog.kinds import KINDS, RECORD_KINDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# The name of the schema file kept beside the bundled data files, which name it
# in their ``#:schema`` directive.
SCHEMA_FILE = "cislog.schema.json"
DIRECTIVE = f"#:schema ./{SCHEMA_FILE}"

# Hovers for fields, by key; a (model title, key) entry overrides the general one.
_FIELD_HELP: dict[str, str] = {
    "id": "Unique across the whole dataset, whatever the kind of record.",
    "sources": "Ids of the [[source]] records that state this. Everything cites at least one.",
    "note": "What a reader must know: where sources disagree, how a value was inferred "
    "or a garbled date read.",
    "aliases": "Other names a user may type: abbreviations, other languages and scripts.",
    "check_ignore": "'cislog check' rules silenced for this record, each with its reason.",
    "title": "The title, in its own language and script.",
    "name": "The usual name.",
    "date": "When, with the precision the sources give.",
    "from": "Start of the term; leave it out when no source gives it.",
    "to": "End of the term; '..' while it was still running when the sources were written; "
    "leave it out when no source gives it.",
    "summary": "What happened or what the document says, in a sentence or two.",
    "place": "Where, as the source names it.",
    "description": "What it is, as the sources describe it.",
    "org": "The organisation.",
    "body": "The body.",
    "country": "The country.",
    "orgs": "Organisations the record names.",
    "bodies": "Bodies the record names.",
    "countries": "Countries the record names.",
    "people": "People the record names.",
    "documents": "Documents the record names.",
    "tags": "Free tags (slugs) to filter the timeline by.",
}
_MODEL_FIELD_HELP: dict[tuple[str, str], str] = {
    ("Source", "author"): "Who wrote it, as the source gives the name.",
    ("Source", "editors"): "Editors of a collected work.",
    ("Source", "language"): "ISO 639 language code (en, az, ru).",
    ("Source", "pages"): "Number of pages.",
    ("Source", "part_of"): "The work a chapter belongs to.",
    ("Source", "sources"): "Optional: where this source was found, such as a reading list.",
    ("Org", "founded"): "When it was founded.",
    ("Org", "founded_place"): "Where it was founded.",
    ("Org", "seat"): "Where it has its seat.",
    ("Org", "purpose"): "Its stated purpose.",
    ("Org", "areas"): "Areas of cooperation.",
    ("Org", "tasks"): "Its tasks.",
    ("Org", "counts"): "Numbers the sources declare: bodies, members, areas.",
    ("Org", "memberships"): "Which countries belonged, in what role, when.",
    ("Body", "category"): "Leave it out when no source states the category.",
    ("Body", "parent"): "The body this one belongs to.",
    ("Body", "meets"): "How often it meets, as the source puts it.",
    ("Body", "supreme"): "Whether it is the organisation's supreme body.",
    ("Person", "offices"): "Offices the person held, with terms.",
    ("Office", "title"): "The title of the office.",
    ("Office", "single_holder"): "True for an office one person holds at a time.",
    ("Document", "body"): "The body that adopted it.",
    ("Document", "signatories"): "Countries' stated positions. A country not listed is "
    "unknown: record not_signed only where a source says so.",
    ("Document", "date"): "When it was adopted or signed.",
    ("Signatory", "status"): "What a source says the country did.",
    ("Fact", "text"): "The statement, as the sources make it.",
    ("Fact", "subjects"): "Ids of the orgs, countries, bodies, people or documents it is about.",
    ("DeclaredCount", "of"): "What is counted.",
    ("DeclaredCount", "category"): "For bodies, the body category; for members, a role.",
    ("DeclaredCount", "value"): "The number the source declares.",
    ("DeclaredCount", "qualifier"): "exactly (the default), more_than or about.",
    ("DeclaredCount", "as_of"): "The date the number holds for.",
    ("CheckIgnore", "rule"): "The 'cislog check' rule silenced.",
    ("CheckIgnore", "reason"): "Why the finding is silenced (not empty).",
}
_MODEL_HELP: dict[str, str] = {
    "Membership": "A country's membership of the organisation in one role over one term.",
    "Office": "An office a person held, with its term.",
    "Country": "A country.",
    "Org": "An international organisation.",
    "Body": "An organ of an organisation.",
    "Person": "A person.",
    "Document": "A document: an agreement, a decision, a charter.",
    "Event": "A dated event.",
}


def _drop_null(node: dict[str, Any]) -> None:
    """``anyOf: [X, null]`` with ``default: null`` becomes X: TOML cannot write null."""
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        del node["anyOf"]
        if len(rest) == 1:
            node.update(rest[0])
        else:
            node["anyOf"] = rest
        if node.get("default", 0) is None:
            del node["default"]


def _describe(definitions: dict[str, Any]) -> None:
    """Titles and descriptions for hovers, and TOML's types for optional fields."""
    for title, definition in definitions.items():
        if "description" not in definition and title in _MODEL_HELP:
            definition["description"] = _MODEL_HELP[title]
        for key, prop in definition.get("properties", {}).items():
            _drop_null(prop)
            prop["title"] = key
            help_text = _MODEL_FIELD_HELP.get((title, key)) or _FIELD_HELP.get(key)
            if help_text is None:
                continue
            # Keep what the type says (the date format, the id pattern) after the field's
            # role; a list's items keep theirs on the items.
            type_help = prop.get("description")
            prop["description"] = f"{help_text} {type_help}" if type_help else help_text


def _require_sources(definitions: dict[str, Any]) -> None:
    """Every record and entry cites at least one source, a source itself excepted (its
    ``sources`` only say where it was found): the models leave this to validation, but
    an editor can flag it at once. A reason to silence a check may not be blank."""
    for title, definition in definitions.items():
        properties = definition.get("properties", {})
        if "sources" not in properties or title == "Source":
            continue
        properties["sources"]["minItems"] = 1
        properties["sources"].pop("default", None)
        definition["required"] = [*definition.get("required", []), "sources"]
    definitions["CheckIgnore"]["properties"]["reason"]["pattern"] = r"\S"


def _empty_lists(definitions: dict[str, Any]) -> None:
    """An optional list defaults to an empty one: say so, as the models do (their
    ``default_factory=list``, which spares Pydantic a deep copy of ``[]`` for every
    record, is left out of the schema Pydantic writes)."""
    for definition in definitions.values():
        required = set(definition.get("required", []))
        for key, prop in definition.get("properties", {}).items():
            if prop.get("type") == "array" and key not in required and "default" not in prop:
                prop["default"] = []


def file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one data file: each kind an optional array
    of tables, nothing else at the top level."""
    from pydantic.json_schema import models_json_schema

    from cislog.model import MODELS

    _, top = models_json_schema(
        [(MODELS[kind], "validation") for kind in RECORD_KINDS],
        by_alias=True,
        ref_template="#/$defs/{model}",
    )
    definitions: dict[str, Any] = top["$defs"]
    _empty_lists(definitions)
    _describe(definitions)
    _require_sources(definitions)
    properties = {
        kind: {
            "type": "array",
            "title": f"[[{kind}]]",
            "description": KINDS[kind].description,
            "items": {"$ref": f"#/$defs/{MODELS[kind].__name__}"},
        }
        for kind in RECORD_KINDS
    }
    return {
        "$schema": DRAFT,
        "title": "cislog data file",
        "description": "A TOML file of a cislog dataset: arrays of tables, one per kind of "
        "record ([[event]], [[document]], ...). References to other records and unique "
        "ids are checked by 'cislog validate', which sees the whole dataset.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "$defs": definitions,
    }


def schema_text() -> str:
    """The schema as the file kept in the repository holds it: sorted keys, so that
    the same models always give the same bytes."""
    return json.dumps(file_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
