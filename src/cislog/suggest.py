"""Near-miss suggestions for names a user or a data file got slightly wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_NEGATIONS = ("un", "non", "not", "no-", "no_")


def _negated(word: str) -> bool:
    return word.casefold().startswith(_NEGATIONS)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, if any is close enough to be a likely typo.

    A hint must never turn a "no" into a "yes": ``unsigned`` is not offered
    ``signed``, since accepting that hint would reverse a recorded fact.
    """
    pool = [c for c in candidates if _negated(c) == _negated(word)]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else an empty string, ready to append."""
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""
