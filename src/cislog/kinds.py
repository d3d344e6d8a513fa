"""The kinds of record and where each is written: names every module may import
without paying for Pydantic (the models live in :mod:`cislog.model`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

RecordKind = Literal["source", "country", "org", "body", "person", "document", "event", "fact"]
RECORD_KINDS: tuple[RecordKind, ...] = get_args(RecordKind)

SignatoryStatus = Literal[
    "signed", "signed_with_special_opinion", "signed_with_reservation", "not_signed"
]
SIGNATORY_STATUSES: tuple[SignatoryStatus, ...] = get_args(SignatoryStatus)

# Where each kind goes when a file is not named: the bundled data's layout.
DEFAULT_FILES: dict[str, str] = {
    "source": "sources.toml",
    "country": "countries.toml",
    "org": "orgs.toml",
    "body": "orgs.toml",
    "person": "people.toml",
    "document": "documents.toml",
    "event": "events.toml",
    "fact": "facts.toml",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference from a record, with where in the record it stands."""

    path: tuple[str | int, ...]
    kinds: tuple[RecordKind, ...]
    target: str
