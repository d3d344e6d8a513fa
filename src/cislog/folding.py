"""The one folding of text that every comparison of what a user types with the data uses.

Search, name matching, the checks that compare titles, and the SQLite export's
full-text index all compare folded text, so that a name typed one way finds
what is written another, and all of them find the same records. A text folds:

- case first (:meth:`str.casefold`), so that a capital folds exactly as its small
  letter: ``Ł`` as ``ł``, ``İ`` as ``i``, ``ẞ`` and ``ß`` as ``ss``;
- then without diacritics: the compatibility decomposition (NFKD) without its
  combining marks, ``Dövlətlər`` as ``dovletler``, ``й`` as ``и``, ``ﬁ`` as ``fi``;
- the letters that Unicode does not decompose into a base letter and a mark
  become what a person types on a keyboard that lacks them (:data:`LETTERS`):
  ``Łódź`` as ``lodz``, ``Øresund`` as ``oresund``, ``Đorđe`` as ``dorde``,
  ``Æ`` as ``ae``, ``Þ`` as ``th``, the dotless ``ı`` as ``i`` (as ``I``, ``İ``
  and ``i`` already fold), and the Azerbaijani ``ə`` as ``e``;
- and runs of whitespace become one space, with none at either end.

Scripts stay as they are: ``Азербайджан`` folds to ``азербаиджан``, not to a
Latin transliteration, so a Cyrillic name is found by what a Russian reader types
(``ё`` and ``е`` alike) and the records' Latin names and aliases serve the rest.

Each letter folds on its own (case folding and decomposition have no context,
and the marks that decomposition would reorder are dropped), so the fold of a
text is the folds of its characters, looked up in a table that fills itself as
characters are met. A text of ASCII alone, the usual case, is only lower-cased.

Why ``ə`` is ``e``: Azerbaijanis writing without their alphabet write
``Azerbaycan``, ``Musteqil``, ``Eliyev``, and the bundled data's aliases do too.
English renders some names with ``a`` instead (``Aliyev``, ``Ganja``); a fold
can send a letter to one form only, and English names belong in a record's
``aliases``. Likewise ``đ`` is ``d``, the usual ASCII form, and the older
``Djordje`` is found only as an alias.

Why a table of our own and not ``anyascii`` or ``unidecode``: both transliterate
every script to ASCII, which is not wanted here: Cyrillic would no longer match as
it is written (nor would the SQLite export's index find a query typed in Cyrillic
into Datasette), and a snippet's place in the text would move. ``unidecode`` also
folds ``ə`` to ``@`` (``Azərbaycan`` to ``az@rbaycan``). Neither is faster:
measured on the bundled records' text, this fold, ``anyascii`` and ``unidecode``
take about 31, 32 and 61 ns a character (ASCII text alone: 9, 10 and 20), the fold
this one replaced, which ran ``unicodedata.combining`` on every character, 111
(67 on ASCII). Importing either package and folding a first text adds 5-6 ms to a
command; this module about 1 ms.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that neither case folding nor decomposition reduce to ASCII, as people type
# them without the letter (keys are small letters: the text is case-folded first).
LETTERS: dict[str, str] = {
    "ł": "l",  # Polish: Łódź
    "ø": "o",  # Danish and Norwegian: Øresund
    "đ": "d",  # Croatian, Serbian, Vietnamese: Đorđe
    "ð": "d",  # Icelandic and Faroese eth
    "þ": "th",  # Icelandic thorn: Þórr
    "æ": "ae",
    "œ": "oe",
    "ı": "i",  # Turkish and Azerbaijani dotless i
    "ə": "e",  # Azerbaijani schwa: Azərbaycan
    "ħ": "h",  # Maltese
    "ŧ": "t",  # Northern Sami
    "ŋ": "ng",  # Northern Sami
}
_LETTERS = str.maketrans(LETTERS)

# Characters whose fold the table keeps: beyond any real text's alphabet, so that a
# text of every code point cannot grow the table without end (about 7 MB at most).
_REMEMBERED = 65536


def _fold_step(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_character(character: str) -> str:
    """What one character folds to: case-folded, decomposed, without marks, the letters
    of :data:`LETTERS` replaced, repeated until nothing changes (a decomposition can
    yield a capital: the black-letter H, U+210C, gives ``H``), so that folding a fold
    changes nothing."""
    folded = character
    while (again := _fold_step(folded)) != folded:
        folded = again
    return folded


class _Folds(dict[int, str]):
    """Each character's fold by code point, as :meth:`str.translate` reads a table,
    computed the first time a character is met."""

    def __missing__(self, code: int) -> str:
        folded = fold_character(chr(code))
        if len(self) < _REMEMBERED:
            self[code] = folded
        return folded


_FOLDS = _Folds()
_OTHER_THAN_ASCII = re.compile("([^\x00-\x7f]+)")


def fold(text: str) -> str:
    """``text`` as every comparison sees it: lower-case, without diacritics, with
    letters such as ``ł`` and ``ə`` written as keyboards without them write them,
    and runs of whitespace as one space (see the module's description)."""
    if text.isascii():
        return " ".join(text.lower().split())
    if len(text) < 256:  # a name: splitting costs more than it saves
        return " ".join(text.translate(_FOLDS).split())
    # A record's text, mostly ASCII: the ASCII between the other characters is only
    # lower-cased, at C speed, where the table would look each character up.
    runs = _OTHER_THAN_ASCII.split(text)
    runs[::2] = [run.lower() for run in runs[::2]]
    runs[1::2] = [run.translate(_FOLDS) for run in runs[1::2]]
    return " ".join("".join(runs).split())
