"""Records read back from the cache: the validated data, without Pydantic.

A cached record was validated when the cache was built; reading it again
needs no model, only the same attributes the models offer (``event.date``,
``office.from_``, ``document.signatories[0].status``, ``record.label``,
``record.model_dump()``), so that queries cannot tell the two apart. This is
what lets a query start as fast as the command-line framework allows.
"""

from __future__ import annotations

import json
from typing import Any

from cislog import dates
from cislog.kinds import DATE_FIELDS, RECORD_KINDS


class StoredEntry:
    """A validated record or nested entry, as ``model_dump(mode="json", by_alias=True)``
    wrote it, read through the attribute names of its model.

    A value is converted (dates parsed, nested entries wrapped) the first time it
    is read, then kept as an instance attribute, which later reads find without
    calling ``__getattr__`` again: queries read the same few fields many times.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        key = "from" if name == "from_" else name
        try:
            raw = self._data[key]
        except KeyError:
            raise AttributeError(name) from None
        value = _read(key, raw)
        self.__dict__[name] = value
        return value

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """The data as the model dumped it (JSON mode, keys by alias)."""
        return dict(self._data)


class StoredRecord(StoredEntry):
    """A top-level record read back from the cache."""

    def __init__(self, kind: str, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.KIND = kind

    @property
    def label(self) -> str:
        for key in ("title", "name", "text"):
            value = self._data.get(key)
            if isinstance(value, str):
                return value
        return str(self._data["id"])


def _read(key: str, raw: Any) -> Any:
    if raw is None:
        return None
    if key in DATE_FIELDS:
        # Validated when the cache was built; ".." is a term's end still running.
        return dates.parse(raw, allow_open=True)
    if isinstance(raw, list) and raw and isinstance(raw[0], dict):
        return [StoredEntry(item) for item in raw]
    return raw


def decode_record(kind: str, data: str, record_id: str) -> StoredRecord:
    """The record a cache row holds, or ValueError if the row cannot be that record.

    A row's digest is checked before it gets here; this is the check that the row
    is the shape a record is (a known kind, a JSON object with the row's own id),
    so that no damage the digest let through meets the code that reads records
    later, where it could only end in a crash.
    """
    value = json.loads(data)
    if kind not in RECORD_KINDS or type(value) is not dict or value.get("id") != record_id:
        raise ValueError(f"a cache row that is no {kind} record: {record_id!r}")
    return StoredRecord(kind, value)
