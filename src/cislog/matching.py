"""Matching what a user types to records, whatever the case, diacritics or script.

A user may type ``azerbaycan``, ``Azərbaycan``, ``AZE`` or ``Азербайджан``:
each is folded to one comparable form (:func:`cislog.folding.fold`), and every
id, name and alias of a record is folded the same way, so that all of them find
the same record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from cislog.errors import CislogError
from cislog.folding import fold
from cislog.kinds import RecordKind
from cislog.suggest import closest, hint

if TYPE_CHECKING:
    from cislog.dataset import Dataset
    from cislog.records import Record


def names_of(record: Record) -> list[str]:
    """Every form under which a record may be asked for: id, name or title, aliases."""
    names = [record.id, record.label]
    names.extend(getattr(record, "aliases", []))
    return names


class UnknownReference(CislogError):
    """A name given by the user matches no record of the kind asked for."""

    def __init__(self, kind: str, text: str, suggestion: str | None = None) -> None:
        self.kind = kind
        self.text = text
        # The id of the record the user most likely meant, if any is close enough.
        self.suggestion = suggestion
        super().__init__(f"no {kind} matches '{text}'{hint(suggestion)}")


class AmbiguousReference(CislogError):
    """A name matches several records; the user must pick one by id."""

    def __init__(self, kind: str, text: str, ids: list[str]) -> None:
        super().__init__(f"'{text}' matches several {kind} records: {', '.join(ids)}; give an id")


def resolve(dataset: Dataset, kinds: Iterable[RecordKind], text: str) -> Record:
    """The one record of ``kinds`` whose id, name or an alias is ``text`` (folded).

    An exact id wins; then a unique folded match of name or alias.
    """
    kinds = tuple(kinds)
    exact = dataset.get(text)  # one indexed lookup in the cache, before reading any kind
    if exact is not None and exact.KIND in kinds:
        return exact
    candidates = [r for kind in kinds for r in dataset.of_kind(kind)]
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
    # The nearest folded name or alias, offered as the id of its record.
    forms = {fold(n): r.id for r in candidates for n in names_of(r)}
    nearest = closest(wanted, forms)
    raise UnknownReference(label, text, forms[nearest] if nearest is not None else None)


_WORD = re.compile(r"\w+")

# A search looks for at most this many different words, each at most this long: a
# word longer than any word of any text can never match, and every word costs a scan
# of every text searched, so a bound on both keeps a search linear in the data.
MAX_WORDS = 50
MAX_WORD_LENGTH = 100


class QueryError(CislogError):
    """A search text that cannot be searched for: no word in it, too many, or too long.

    A mistake in how the command was asked, not in the data (the CLI's exit 2).
    """


def _shown(text: str, width: int = 40) -> str:
    return text if len(text) <= width else f"{text[:width]}…"


def query_words(query: str) -> list[str]:
    """The different words of a search, folded as the texts they are matched against,
    in the order typed.

    A text with no word in it (``$``, ``--``, or nothing) would match every record,
    and a huge one would take minutes: both are a :class:`QueryError`.
    """
    folded = fold(query)
    words = list(dict.fromkeys(_WORD.findall(folded)))
    if not words:
        raise QueryError(
            f"the search text '{_shown(query)}' holds no word to look for "
            "(a word is a run of letters or digits)"
        )
    tokens = len(set(folded.split()))
    if max(len(words), tokens) > MAX_WORDS:
        raise QueryError(
            f"the search text holds {max(len(words), tokens)} different words; "
            f"a search looks for at most {MAX_WORDS}"
        )
    for word in words:
        if len(word) > MAX_WORD_LENGTH:
            raise QueryError(
                f"the search word '{_shown(word)}' is {len(word)} characters long; "
                f"a search word has at most {MAX_WORD_LENGTH}"
            )
    return words


def matches_all_words(query: str, texts: Iterable[str]) -> bool:
    """Whether every word of ``query`` begins a word (folded) somewhere in ``texts``.

    Prefixes match (``secur`` finds "security"), but not the inside of a word:
    ``trade`` does not find "comrades". A query with no word is a :class:`QueryError`.
    """
    return matches_folded(query_words(query), fold(" ".join(texts)))


@lru_cache(maxsize=64)
def _word_starts(words: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # A word at a word boundary: the start of a run of \w that it begins, as a prefix
    # of one of the words _WORD finds.
    return tuple(re.compile(rf"\b{re.escape(word)}") for word in words)


def matches_folded(words: Iterable[str], folded: str) -> bool:
    """:func:`matches_all_words` for query words and a text that are folded already.

    Each word is one scan of the text that tries it only where a word of the text
    begins, so a text costs at most its length per query word.
    """
    return all(pattern.search(folded) for pattern in _word_starts(tuple(words)))
