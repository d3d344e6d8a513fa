"""Near-miss suggestions for names a user or a data file got slightly wrong.

A suggestion is the candidate :func:`difflib.get_close_matches` finds (``n=1``,
``cutoff=0.6``), among the candidates of the same polarity (see :func:`closest`).
:class:`Suggester` finds the same one without comparing every candidate in full,
and bounds the work of many suggestions against one pool, as validation asks for
one per broken reference.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

from cislog.folding import fold

_NEGATIONS = ("un", "non", "not", "no-", "no_")
CUTOFF = 0.6
# Comparisons a Suggester makes before it stops offering suggestions (about 5 µs
# each): some twenty words against 5,000 ids, thousands against a few dozen, and
# about half a second in all, however many problems there are.
BUDGET = 100_000


def _negated(word: str) -> bool:
    return fold(word).startswith(_NEGATIONS)


def _ratio(matches: int, length: int) -> float:
    # difflib's own arithmetic (_calculate_ratio), so that bounds compare exactly.
    return 2.0 * matches / length if length else 1.0


class Suggester:
    """Suggestions for many words against one pool of candidates.

    Each answer is the one :func:`closest` gives, found without running
    difflib's full comparison on every candidate: candidates are indexed by
    length and by their letters, and compared in order of difflib's own upper
    bound on the ratio (the letters they share), stopping as soon as no
    remaining candidate can beat the best found. Answers are remembered, and
    once ``budget`` comparisons have been made (``comparisons`` counts them: one
    per candidate whose bound is computed, one per full ratio) no new word gets
    a suggestion: the first problems of a run get theirs, thousands more cannot
    make it slow.
    """

    def __init__(self, candidates: Iterable[str], budget: int | None = BUDGET) -> None:
        self.budget = budget
        self.comparisons = 0
        self._answers: dict[str, str | None] = {}
        # Per polarity, the distinct candidates by length, each with its letters
        # (counted when a word of a near length first needs them).
        self._pools: dict[bool, dict[int, list[str]]] = {False: {}, True: {}}
        self._letters: dict[tuple[bool, int], list[Counter[str]]] = {}
        for candidate in dict.fromkeys(candidates):
            by_length = self._pools[_negated(candidate)]
            by_length.setdefault(len(candidate), []).append(candidate)

    def closest(self, word: str) -> str | None:
        """The candidate most like ``word`` (as :func:`closest`), or None; None too
        for a new word once the budget is spent."""
        if word in self._answers:
            return self._answers[word]
        if self.budget is not None and self.comparisons >= self.budget:
            return None
        answer = self._find(word)
        self._answers[word] = answer
        return answer

    def did_you_mean(self, word: str) -> str:
        """:func:`did_you_mean` for ``word``."""
        return hint(self.closest(word))

    def _find(self, word: str) -> str | None:
        negated = _negated(word)
        pool = self._pools[negated]
        size = len(word)
        letters = Counter(word).items()
        bounded: list[tuple[float, str]] = []
        for length, group in pool.items():
            total = length + size
            # difflib's real_quick_ratio: from the lengths alone.
            if _ratio(min(length, size), total) < CUTOFF:
                continue
            counted = self._letters.get((negated, length))
            if counted is None:
                counted = self._letters[negated, length] = [Counter(c) for c in group]
            self.comparisons += len(group)
            for candidate, counts in zip(group, counted, strict=True):
                # difflib's quick_ratio: the letters both hold, counted with repeats.
                shared = sum(min(n, counts[c]) for c, n in letters if c in counts)
                bound = _ratio(shared, total)
                if bound >= CUTOFF:
                    bounded.append((bound, candidate))
        bounded.sort(reverse=True)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for bound, candidate in bounded:
            # A bound below the best ratio cannot win; an equal one still may, as
            # difflib breaks ties of ratio by the greater candidate.
            if best is not None and bound < best[0]:
                break
            self.comparisons += 1
            matcher.set_seq1(candidate)
            ratio = matcher.ratio()
            if ratio >= CUTOFF and (best is None or (ratio, candidate) > best):
                best = (ratio, candidate)
        return best[1] if best else None


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, if any is close enough to be a likely typo.

    A hint must never turn a "no" into a "yes": ``unsigned`` is not offered
    ``signed``, since accepting that hint would reverse a recorded fact.
    """
    return Suggester(candidates, budget=None).closest(word)


def hint(suggestion: str | None) -> str:
    """`` (did you mean 'x'?)`` for a suggestion, else an empty string, ready to append.

    Code that needs the suggestion keeps it (:func:`closest`) and renders it here, so
    that nothing has to read it back out of a message.
    """
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """:func:`hint` for the candidate most like ``word`` (:func:`closest`), if any."""
    return hint(closest(word, candidates))
