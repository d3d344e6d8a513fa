"""The one folding of text (cislog.folding): what it makes of the letters people type,
its properties, and the places that compare text agreeing with it: search, name
matching and completion through the CLI, and the SQLite export's full-text index."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
import typer
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import cislog
from cislog import checks, folding, query, recordtext, suggest, writing
from cislog.cli import app, complete
from cislog.export import sqlitefmt
from cislog.folding import fold, fold_character
from cislog.matching import QueryError, UnknownReference, matches_folded, query_words, resolve
from tests.conftest import MakeDataset

runner = CliRunner()


def cislog_cli(*args: str) -> Result:
    return runner.invoke(app, list(args))


def search_ids(text: str, *data: str) -> set[str]:
    """The ids ``cislog search`` finds for ``text``, in ``data`` (``--data DIR``) if given."""
    result = cislog_cli(*data, "search", "--json", "--", text)
    assert result.exit_code == 0, result.output
    return {row["id"] for row in json.loads(result.stdout)}


# --- what the letters fold to -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "typed", "folded"),
    [
        ("Łódź", "Lodz", "lodz"),
        ("ŁÓDŹ", "lodz", "lodz"),
        ("Øresund", "Oresund", "oresund"),
        ("ØRESUND", "oresund", "oresund"),
        ("Đorđe", "Dorde", "dorde"),
        ("ĐORĐE", "dorde", "dorde"),
        ("Ðuríður", "Duridur", "duridur"),
        ("straße", "strasse", "strasse"),
        ("STRAẞE", "Strasse", "strasse"),
        ("Færøerne", "Faeroerne", "faeroerne"),
        ("Œuvre", "oeuvre", "oeuvre"),
        ("Þórshöfn", "Thorshofn", "thorshofn"),
        ("Ħamrun", "Hamrun", "hamrun"),
        ("Iğdır", "IGDIR", "igdir"),
        ("İstanbul", "Istanbul", "istanbul"),
        ("Azərbaycan", "azerbaycan", "azerbaycan"),
        ("AZƏRBAYCAN", "Azerbaycan", "azerbaycan"),
        ("Müstəqil Dövlətlər Birliyi", "MUSTEQIL dovletler", "musteqil dovletler birliyi"),
        ("İlham Əliyev", "ilham eliyev", "ilham eliyev"),
        ("Азербайджан", "АЗЕРБАЙДЖАН", "азербаиджан"),
        ("Содружество Независимых Государств", "СОДРУЖЕСТВО", "содружество независимых государств"),
        ("Ёлка", "елка", "елка"),
        ("ﬁnal", "FINAL", "final"),
        ("\uff22\uff41\uff4b\uff55", "baku", "baku"),  # full-width forms
        (" Heydər\u00a0 Əliyev\t", "Heyder  Eliyev", "heyder eliyev"),
    ],
)
def test_letters_fold_as_people_type_them(written: str, typed: str, folded: str) -> None:
    assert fold(written) == folded
    assert fold(typed).startswith(folded.split()[0])


def test_decided_spellings_that_do_not_meet() -> None:
    # Each letter folds to one form: đ to the common d, ə to Azerbaijani's own e.
    assert fold("Đorđe") != fold("Djordje")
    assert fold("Əliyev") != fold("Aliyev")
    # Cyrillic stays Cyrillic: a transliteration is a record's alias, not a fold.
    assert fold("Азербайджан") != fold("Azerbaidzhan")


def test_composed_and_decomposed_accents_fold_alike() -> None:
    assert fold("Dövlət") == fold("Do\u0308vle\u0301t") == "dovlet"
    assert fold("e\u0301\u0301") == "e"


# --- properties -----------------------------------------------------------------------------


def _reference(text: str) -> str:
    """The fold as the module describes it, on the whole text at once: case folded,
    the letters replaced, decomposed without marks, until nothing changes; then the
    whitespace."""
    while True:
        decomposed = unicodedata.normalize("NFKD", text.casefold().translate(folding._LETTERS))
        again = "".join(c for c in decomposed if not unicodedata.combining(c))
        if again == text:
            return " ".join(text.split())
        text = again


@given(st.text())
def test_fold_is_the_described_fold_character_by_character(text: str) -> None:
    assert fold(text) == _reference(text)


MIXED = "aZ 9.\t\u00e9E\u0301\u0130\u0259\u0141\u00a0\u13a0\uab70\u00df\u0439"


@given(st.text(st.sampled_from(MIXED), max_size=300) | st.text(min_size=250, max_size=400))
def test_ascii_between_other_letters_folds_as_the_whole_text(text: str) -> None:
    """A long text's ASCII runs between other characters are lower-cased on their own:
    the same fold as folding every character, marks, spaces and Cherokee's case
    included, on either side of the length where that starts."""
    assert fold(text) == _reference(text)


@given(st.text())
def test_folding_a_fold_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_case_never_matters(text: str) -> None:
    assert fold(text.upper()) == fold(text) == fold(text.lower()) == fold(text.casefold())


@given(st.text())
def test_composed_or_decomposed_text_folds_alike(text: str) -> None:
    composed = unicodedata.normalize("NFC", text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == fold(composed)


@given(st.text(st.characters(codec="ascii")))
def test_the_ascii_fast_path_is_the_general_fold(text: str) -> None:
    general = " ".join("".join(fold_character(c) for c in text).split())
    assert fold(text) == general == _reference(text)


def test_every_character_folds_to_a_fold_that_stays() -> None:
    """Every assigned code point: its fold is folded already and does not depend on case
    (the properties above, for all characters rather than a sample)."""
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if unicodedata.category(character) in ("Cn", "Cs"):
            continue
        folded = fold(character)
        assert fold(folded) == folded, hex(code)
        assert fold(character.upper()) == folded == fold(character.lower()), hex(code)


# --- one folding everywhere -----------------------------------------------------------


def test_every_module_that_compares_text_uses_the_one_fold() -> None:
    for module in (query, recordtext, checks, writing, suggest):
        assert module.fold is fold, module.__name__
    source = Path(folding.__file__).parent
    elsewhere = [
        f"{path.relative_to(source)}: {line.strip()}"
        for path in sorted(source.rglob("*.py"))
        if path.name != "folding.py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"\.casefold\(|unicodedata\.normalize\(", line)
    ]
    assert elsewhere == []


# --- search and matching through the CLI ------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Azərbaycan", "azərbaycan", "AZƏRBAYCAN", "Azerbaycan", "azerbaycan", "AZERBAYCAN"],
        ["Азербайджан", "азербайджан", "АЗЕРБАЙДЖАН"],
        ["Müstəqil Dövlətlər", "müstəqil dövlətlər", "MÜSTƏQİL DÖVLƏTLƏR", "musteqil dovletler"],
        ["İlham", "ilham", "ILHAM", "Ilham"],
    ],
)
def test_search_finds_the_same_records_however_a_name_is_spelt(spellings: list[str]) -> None:
    found = [search_ids(spelling) for spelling in spellings]

    assert found[0] and all(ids == found[0] for ids in found)


def test_search_for_azerbaycan_finds_the_country_and_the_books_about_it() -> None:
    found = search_ids("azerbaycan")

    assert "az" in found
    # Sources whose titles write Azərbaycan with its ə.
    assert any(cislog.load()[record_id].KIND == "source" for record_id in found)


LETTERS_DATA = {
    "countries.toml": """\
        [[country]]
        id = "az"
        name = "Azerbaijan"
        aliases = ["AZE", "Azərbaycan"]
        sources = ["src-a"]

        [[country]]
        id = "fo"
        name = "Faroe Islands"
        aliases = ["Færøerne", "Føroyar"]
        sources = ["src-a"]

        [[country]]
        id = "ci"
        name = "Côte d'Ivoire"
        sources = ["src-a"]
        """,
    "more.toml": """\
        [[event]]
        id = "lodz-talks"
        date = "2001-03-01"
        title = "Talks in Łódź"
        kind = "meeting"
        sources = ["src-a"]

        [[event]]
        id = "bridge-opening"
        date = "2000-07-01"
        title = "The Øresund bridge opens"
        kind = "meeting"
        summary = "Đorđe and the Þórshöfn delegation cross the STRAẞE to the Æbeltoft hall."
        countries = ["fo"]
        sources = ["src-a"]
        """,
}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Lodz", {"lodz-talks"}),
        ("ŁÓDŹ", {"lodz-talks"}),
        ("łódź talks", {"lodz-talks"}),
        ("oresund", {"bridge-opening"}),
        ("ØRESUND", {"bridge-opening"}),
        ("dorde", {"bridge-opening"}),
        ("thorshofn", {"bridge-opening"}),
        ("strasse", {"bridge-opening"}),
        ("aebeltoft", {"bridge-opening"}),
        ("faeroerne", {"fo"}),
        ("Foroyar", {"fo"}),
    ],
)
def test_search_finds_letters_that_do_not_decompose(
    make_dataset: MakeDataset, typed: str, expected: set[str]
) -> None:
    data = make_dataset(LETTERS_DATA)

    assert search_ids(typed, "--data", str(data)) == expected


@pytest.mark.parametrize("typed", ["Foroyar", "FØROYAR", "faeroerne", "Færøerne"])
def test_a_country_is_found_by_its_folded_alias(make_dataset: MakeDataset, typed: str) -> None:
    data = make_dataset(LETTERS_DATA)
    result = cislog_cli("--data", str(data), "country", typed, "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "fo"


def test_an_unknown_name_carries_its_suggestion_as_data(make_dataset: MakeDataset) -> None:
    dataset = cislog.load(make_dataset(LETTERS_DATA))

    with pytest.raises(UnknownReference) as raised:
        resolve(dataset, ["country"], "Azerbajan")
    assert raised.value.suggestion == "az"
    assert str(raised.value) == "no country matches 'Azerbajan' (did you mean 'az'?)"
    with pytest.raises(UnknownReference) as raised:
        resolve(dataset, ["country"], "qqqqqqqq")
    assert raised.value.suggestion is None
    assert str(raised.value) == "no country matches 'qqqqqqqq'"


def test_a_suggestion_whose_name_holds_a_quote_is_offered_by_id(make_dataset: MakeDataset) -> None:
    # The hint was once read back out of its own message, split on quotes.
    data = make_dataset(LETTERS_DATA)
    result = cislog_cli("--data", str(data), "country", "Cote d'Ivoir")

    assert result.exit_code == 1
    assert "no country matches 'Cote d'Ivoir' (did you mean 'ci'?)" in result.stderr
    assert suggest.hint("ci") == " (did you mean 'ci'?)" and suggest.hint(None) == ""


# --- completion --------------------------------------------------------------------------


def _context(*global_options: str) -> typer.Context:
    """The top-level context as a completer receives it, global options parsed."""
    command = typer.main.get_command(app)
    context = command.make_context("cislog", list(global_options), resilient_parsing=True)
    return cast(typer.Context, context)


def test_completion_offers_what_was_typed_folded_when_nothing_starts_with_it() -> None:
    entries = [("talks-2001", "Talks in Łódź", ["Łódź", "ŁÓDŹ-2001"])]

    assert complete.match(entries, "lod") == [
        ("lodz", "Talks in Łódź"),
        ("lodz-2001", "Talks in Łódź"),
    ]
    # Typed letters stay as typed; the rest is folded.
    assert complete.match(entries, "Lo") == [
        ("Lodz", "Talks in Łódź"),
        ("Lodz-2001", "Talks in Łódź"),
    ]
    # Something starts with it as typed: only that is offered.
    assert complete.match(entries, "Łód") == [("Łódź", "Talks in Łódź")]
    assert complete.match(entries, "x") == complete.match(entries, "lod z") == []


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("azerb", ["azerbaijan", "azerbaycan"]), ("AZƏRB", ["AZƏRBaijan", "AZƏRBaycan"])],
)
def test_a_folded_completion_of_the_bundled_data_resolves(typed: str, offered: list[str]) -> None:
    candidates = [value for value, _ in complete.countries(_context(), typed)]

    assert candidates == offered
    for candidate in candidates:
        assert candidate.startswith(typed)
        result = cislog_cli("country", candidate, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["id"] == "az"


def test_folded_completion_reads_the_letters_that_do_not_decompose(
    make_dataset: MakeDataset,
) -> None:
    context = _context("--data", str(make_dataset(LETTERS_DATA)))

    assert complete.countries(context, "faer") == [("faeroerne", "Faroe Islands")]
    assert complete.countries(context, "Foro") == [("Foroyar", "Faroe Islands")]
    assert complete.countries(context, "F") == [
        ("Færøerne", "Faroe Islands"),
        ("Føroyar", "Faroe Islands"),
    ]


# --- the SQLite export's full-text index ----------------------------------------------


def _fts_ids(db: sqlite3.Connection, text: str) -> set[str]:
    rows = db.execute(
        "SELECT records.id FROM records_fts JOIN records ON records.rowid = records_fts.rowid "
        "WHERE records_fts MATCH ?",
        (sqlitefmt.match_query(text),),
    )
    return {record_id for (record_id,) in rows}


def _export(*data: str) -> sqlite3.Connection:
    result = cislog_cli(*data, "export", "--format", "sqlite", "--out", "fold.db")
    assert result.exit_code == 0, result.output
    return sqlite3.connect("fold.db")


BUNDLED_QUERIES = [
    "azerbaycan",
    "Azərbaycan",
    "AZƏRBAYCAN",
    "Азербайджан",
    "СНГ",
    "musteqil dovletler",
    "MÜSTƏQİL Dövlətlər",
    "İlham Əliyev",
    "aliyev",
    "secur",
    "free trade",
    "cis",
    "cica summit",
    "1993",
    "trade comrades",
]


def test_the_index_finds_what_search_finds_on_the_bundled_data() -> None:
    db = _export()
    dataset = cislog.load()

    for text in BUNDLED_QUERIES:
        assert _fts_ids(db, text) == search_ids(text), text
    stored = dict(db.execute("SELECT id, text_folded FROM records"))
    assert stored == {record.id: dataset.search_text(record) for record in dataset}


def test_the_index_refuses_what_search_refuses() -> None:
    for text in ["", "--", "$ %"]:
        with pytest.raises(QueryError):
            sqlitefmt.match_query(text)


# Letters of the scripts and forms the data holds: accents composed and apart, the
# letters that do not decompose, capitals, ligatures and full-width forms, and the
# punctuation and spaces between words.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "éèêëáàâäåçñóôöúüýíîşğŞĞÇÖÜ"
    "ŁłØøĐđÐðÞþÆæŒœßẞıİƏəĦħŧŊŋ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΑΣΩΆ"
    "\u0301\u0308\u0327ﬁﬂ²\uff21\uff41½\u02bc_"
    "     -'.,;:()“”–\u00a0"
)
texts = st.text(st.sampled_from(ALPHABET), max_size=40)
CASES: tuple[Callable[[str], str], ...] = (str, str.upper, str.lower, str.title)


@st.composite
def texts_and_a_query(draw: st.DrawFn) -> tuple[list[str], str]:
    """Some texts and a query: new text, or a piece of one of the texts, in its case or
    another, so that some queries find something."""
    found = draw(st.lists(texts, min_size=1, max_size=6))
    piece = draw(st.sampled_from(found))
    start = draw(st.integers(0, len(piece)))
    taken = piece[start : start + draw(st.integers(1, 12))]
    changed = draw(st.sampled_from(CASES))(taken)
    return found, draw(st.one_of(st.just(changed), texts))


@given(texts_and_a_query())
def test_the_index_and_search_agree_on_generated_text(case: tuple[list[str], str]) -> None:
    found, text = case
    try:
        words = query_words(text)
    except QueryError:
        with pytest.raises(QueryError):
            sqlitefmt.match_query(text)
        return
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE t USING fts5(text, tokenize="{sqlitefmt.TOKENIZE}")')
    db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(map(fold, found)))
    matched = db.execute("SELECT rowid FROM t WHERE t MATCH ?", (sqlitefmt.match_query(text),))

    assert {row for (row,) in matched} == {
        i for i, piece in enumerate(found) if matches_folded(words, fold(piece))
    }


def _generated_events(count: int, seed: int) -> tuple[str, list[str]]:
    """A file of ``count`` events with titles and summaries drawn from :data:`ALPHABET`,
    and queries: pieces of those texts in another case, and words of none."""
    chance = random.Random(seed)
    letters = ALPHABET.replace("\u0301", "").replace("\u0308", "").replace("\u0327", "")

    def text(size: int) -> str:
        return "".join(chance.choice(letters) for _ in range(size)).strip() or "x"

    entries: list[dict[str, Any]] = []
    queries: list[str] = []
    for number in range(count):
        title, summary = text(chance.randint(3, 30)), text(chance.randint(0, 120))
        entries.append({"id": f"generated-{number}", "title": title, "summary": summary})
        for source in (title, summary):
            start = chance.randint(0, len(source))
            piece = source[start : start + chance.randint(1, 8)]
            queries.append(chance.choice(CASES)(piece))
    lines = []
    for entry in entries:
        lines += [
            "[[event]]",
            f'id = "{entry["id"]}"',
            'date = "2005-05-05"',
            f"title = {json.dumps(entry['title'], ensure_ascii=False)}",
            'kind = "meeting"',
            f"summary = {json.dumps(entry['summary'], ensure_ascii=False)}",
            'sources = ["src-a"]',
            "",
        ]
    return "\n".join(lines), queries


def test_the_exported_index_finds_what_search_finds_on_generated_records(
    make_dataset: MakeDataset,
) -> None:
    events, queries = _generated_events(40, seed=15)
    data = str(make_dataset({"generated.toml": events}))
    db = _export("--data", data)

    compared = 0
    for text in queries:
        try:
            query_words(text)
        except QueryError:
            continue
        assert _fts_ids(db, text) == search_ids(text, "--data", data), text
        compared += 1
    assert compared > 40


def _texts_as_defined(value: object) -> list[str]:
    """Every string of ``value``, in order, but under the keys ``sources`` and ``id``:
    what a record's text is, written as plainly as it can be."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts_as_defined(item)]
    if isinstance(value, dict):
        return [
            text
            for key, item in value.items()
            if key not in ("sources", "id")
            for text in _texts_as_defined(item)
        ]
    return []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "sources", "title", "tags", "x"]), inner, max_size=4
        )
    ),
    max_leaves=30,
)


@given(_JSON)
@example({"title": "a", "offices": [{"title": "b", "id": "x", "sources": ["s"]}, "c"]})
@example({"tags": ["t", ["u", {"id": "x", "note": "v"}]], "id": "y", "sources": "z"})
@example([{"sources": ["s"], "x": [["w"]]}, "e"])
def test_a_records_texts_are_every_string_but_its_ids_and_sources(value: object) -> None:
    from cislog.recordtext import dumped_texts

    assert dumped_texts(value) == _texts_as_defined(value)
