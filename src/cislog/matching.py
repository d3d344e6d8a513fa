"""Matching what a user types to records, whatever the case, diacritics or script.

A user may type ``azerbaycan``, ``Azərbaycan``, ``AZE`` or ``Азербайджан``:
each is folded to one comparable form, and every id, name and alias of a
record is folded the same way, so that all of them find the same record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from cislog.dataset import Dataset
from cislog.errors import CislogError
from cislog.kinds import RecordKind
from cislog.suggest import did_you_mean

if TYPE_CHECKING:
    from cislog.model import Record

# Letters that Unicode does not decompose into a base letter and a mark.
_NO_DECOMPOSITION = str.maketrans({"ə": "e", "Ə": "e", "ı": "i", "ø": "o", "ł": "l", "đ": "d"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, without diacritics, with runs of spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def names_of(record: Record) -> list[str]:
    """Every form under which a record may be asked for: id, name or title, aliases."""
    names = [record.id, record.label]
    names.extend(getattr(record, "aliases", []))
    return names


class UnknownReference(CislogError):
    """A name given by the user matches no record of the kind asked for."""

    def __init__(self, kind: str, text: str, suggestion: str = "") -> None:
        self.kind = kind
        self.text = text
        super().__init__(f"no {kind} matches '{text}'{suggestion}")


class AmbiguousReference(CislogError):
    """A name matches several records; the user must pick one by id."""

    def __init__(self, kind: str, text: str, ids: list[str]) -> None:
        super().__init__(f"'{text}' matches several {kind} records: {', '.join(ids)}; give an id")


def resolve(dataset: Dataset, kinds: Iterable[RecordKind], text: str) -> Record:
    """The one record of ``kinds`` whose id, name or an alias is ``text`` (folded).

    An exact id wins; then a unique folded match of name or alias.
    """
    kinds = tuple(kinds)
    candidates = [r for kind in kinds for r in dataset.of_kind(kind)]
    exact = dataset.get(text)
    if exact is not None and exact.KIND in kinds:
        return exact
    wanted = fold(text)
    matches = [r for r in candidates if wanted in {fold(n) for n in names_of(r)}]
    if not matches:
        # A part of a name, such as a surname: every typed word must be a word of one name.
        words = set(wanted.split())
        matches = [r for r in candidates if any(words <= set(fold(n).split()) for n in names_of(r))]
    if len(matches) == 1:
        return matches[0]
    label = " or ".join(kinds)
    if matches:
        raise AmbiguousReference(label, text, sorted(r.id for r in matches))
    forms = {fold(n): r.id for r in candidates for n in names_of(r)}
    hint = did_you_mean(wanted, forms)
    if hint:
        hint = f" (did you mean '{forms[hint.split(chr(39))[1]]}'?)"
    raise UnknownReference(label, text, hint)


_WORD = re.compile(r"\w+")


def query_words(query: str) -> list[str]:
    """The words of a search, folded as the texts they are matched against."""
    return _WORD.findall(fold(query))


def matches_all_words(query: str, texts: Iterable[str]) -> bool:
    """Whether every word of ``query`` begins a word (folded) somewhere in ``texts``.

    Prefixes match (``secur`` finds "security"), but not the inside of a word:
    ``trade`` does not find "comrades".
    """
    return matches_folded(query_words(query), fold(" ".join(texts)))


def matches_folded(words: Iterable[str], folded: str) -> bool:
    """:func:`matches_all_words` for query words and a text that are folded already."""
    present = _WORD.findall(folded)
    return all(any(w.startswith(q) for w in present) for q in words)
