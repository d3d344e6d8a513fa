"""The command line against a hostile process, hostile queries and hostile data.

Each case gives a message naming what is wrong and a meaningful exit code, or the
right answer, with bounded work; each class is tried with generated cases too.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cislog import query, suggest, validation
from cislog.cli import app
from cislog.cli.common import escaping_errors
from cislog.datadir import DataDirError, resolve_data_dir
from cislog.folding import fold
from cislog.matching import MAX_WORDS, QueryError, matches_folded, query_words
from cislog.pipeline import read_dataset, validate
from tests.conftest import MakeDataset

runner = CliRunner()
CISLOG = shutil.which("cislog", path=str(Path(sys.executable).parent))


def _run(
    args: Sequence[str | bytes],
    *,
    env: dict[str, str] | None = None,
    shell: str | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """The installed ``cislog`` as a user runs it; ``shell`` redirections applied."""
    assert CISLOG, "the cislog console script is not installed next to this Python"
    environment = {k: v for k, v in os.environ.items() if k != "CISLOG_DATA"}
    environment.update(env or {})
    command: Any = [CISLOG, *args]
    if shell is not None:
        quoted = " ".join(f"'{a}'" for a in args if isinstance(a, str))
        command = ["/bin/sh", "-c", f"exec '{CISLOG}' {quoted} {shell}"]
    return subprocess.run(
        command, env=environment, capture_output=True, timeout=120, check=False, cwd=cwd
    )


# --- arguments that are not UTF-8 ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "hint", "shown"),
    [
        (["show", "\udcff\udcfe"], "argument 2", "'\\xff\\xfe'"),
        (["search", "caf\udce9"], "argument 2", "'caf\\xe9'"),
        (["--data", "/tmp/\udcff", "timeline"], "argument 2", "'/tmp/\\xff'"),
        (["--data=/tmp/\udcff", "timeline"], "--data", "'--data=/tmp/\\xff'"),
        (["timeline", "--search", "x", "--org", "c\udc80s"], "argument 5", "'c\\x80s'"),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error_naming_it(
    args: list[str], hint: str, shown: str
) -> None:
    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert f"Invalid value for {hint}: {shown} is not UTF-8 text" in result.stderr
    assert result.stdout == ""


@given(
    before=st.lists(st.text(st.characters(codec="utf-8"), max_size=8), max_size=3),
    text=st.text(st.characters(codec="utf-8"), max_size=8).filter(lambda t: t[:1] != "-"),
    byte=st.integers(0x80, 0xFF),
)
def test_any_argument_holding_a_byte_that_is_not_utf8_is_refused_by_position(
    before: list[str], text: str, byte: int
) -> None:
    # Python decodes such a byte as the lone surrogate U+DC80 + (byte - 0x80).
    bad = text + chr(0xDC00 + byte)
    args = ["search", *(b for b in before if not b.startswith("-")), bad]
    position = len(args)

    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert f"argument {position}:" in result.stderr
    assert f"\\x{byte:02x}' is not UTF-8 text" in result.stderr


def test_bytes_that_are_not_utf8_in_the_real_argv_give_a_usage_message() -> None:
    for args in ([b"search", b"caf\xe9"], [b"--data", b"/tmp/\xff", b"timeline"]):
        result = _run(list(args))

        assert result.returncode == 2, result.stderr
        assert b"is not UTF-8 text" in result.stderr
        assert b"Traceback" not in result.stderr


# --- standard output: its encoding, closed, unwritable ---------------------------------


def test_an_ascii_stdout_gets_visible_escapes_not_a_crash() -> None:
    table = _run(["show", "shakirzade-2007"], env={"PYTHONIOENCODING": "ascii"})

    assert table.returncode == 0, table.stderr
    text = table.stdout.decode("ascii")
    # "Содружество", its first letters escaped where the encoding lacks them.
    assert "\\u0421\\u043e\\u0434" in text


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
    ],
)
def test_json_on_a_stdout_that_is_not_utf8_reads_as_the_same_data(env: dict[str, str]) -> None:
    expected = _run(["timeline", "--json"])
    assert expected.returncode == 0

    result = _run(["timeline", "--json"], env=env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("latin-1")) == json.loads(expected.stdout)


@given(st.text())
def test_the_escapes_of_any_text_read_back_as_that_text_in_json(text: str) -> None:
    written = json.dumps(text, ensure_ascii=False).encode("ascii", escaping_errors())

    assert json.loads(written) == text


@pytest.mark.parametrize(
    "args", [["timeline"], ["timeline", "--json"], ["--version"], ["validate"]]
)
def test_a_closed_stdout_is_a_message_not_a_bug(args: list[str]) -> None:
    result = _run(args, shell=">&-")

    assert result.returncode == 2
    assert result.stderr == (
        b"cislog: standard output is closed, so nothing cislog printed could be read; "
        b"run it with standard output open (>/dev/null discards it)\n"
    )


def test_closed_stdout_and_stderr_still_exit_with_a_status() -> None:
    result = _run(["timeline"], shell=">&- 2>&-")

    assert result.returncode == 2


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [("1</dev/null", b"Bad file descriptor"), (">/dev/full", b"No space left on device")],
)
@pytest.mark.parametrize(
    "args",
    [["timeline"], ["timeline", "--json"], ["--version"], ["export", "--format", "ndjson"]],
)
def test_a_stdout_that_cannot_be_written_is_a_message_not_a_bug(
    args: list[str], redirect: str, reason: bytes
) -> None:
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")

    result = _run(args, shell=redirect)

    assert result.returncode == 1
    assert result.stderr == b"cislog: cannot write to standard output: " + reason + b"\n"


def test_a_reader_that_goes_away_is_still_no_bug() -> None:
    # What a closed pipe does is not this file's to change, only that it is no bug.
    for args in (["timeline"], ["timeline", "--json"]):
        result = _run(args, shell="| head -c 1 >/dev/null")

        assert b"internal error" not in result.stderr
        assert b"Traceback" not in result.stderr


# --- the dataset directory ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--data", "", "timeline"],
        ["--data=", "search", "council"],
        ["validate", ""],
        ["check", ""],
        ["fmt", ""],
        ["--data", "", "add", "country", "--id", "kg", "--name", "Kyrgyzstan"],
    ],
)
def test_an_empty_dataset_directory_is_a_usage_error(
    args: list[str], make_dataset: MakeDataset
) -> None:
    # A dataset in the current directory, which '' used to read (and fmt to rewrite).
    make_dataset()
    for path in Path("data").iterdir():
        shutil.copy(path, Path.cwd() / path.name)
    before = {p.name: p.read_bytes() for p in Path.cwd().glob("*.toml")}

    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert "an empty path names no dataset directory" in result.stderr
    assert {p.name: p.read_bytes() for p in Path.cwd().glob("*.toml")} == before


@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["validate"],
        ["check"],
        ["fmt", "--check"],
        ["show", "cis"],
        ["export", "--format", "json"],
        ["add", "country", "--id", "kg", "--name", "K"],
    ],
)
def test_an_empty_cislog_data_is_refused_not_taken_for_the_bundled_data(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CISLOG_DATA", "")

    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert "cislog: $CISLOG_DATA is set but empty" in result.stderr


def test_an_empty_cislog_data_does_not_stop_help() -> None:
    result = runner.invoke(app, ["timeline", "--help"], env={"CISLOG_DATA": ""})

    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: cislog timeline")


def test_a_file_given_as_the_dataset_directory_is_a_usage_error(make_dataset: MakeDataset) -> None:
    make_dataset()

    result = runner.invoke(app, ["--data", "data/events.toml", "timeline"])

    assert result.exit_code == 2
    assert "'data/events.toml' is a file, not a dataset directory" in result.stderr


@pytest.mark.parametrize("name", ["a" * 300, "a/" * 3000])
@pytest.mark.parametrize("before", [["--data"], ["validate"]])
def test_a_directory_name_too_long_for_the_system_is_a_usage_error(
    before: list[str], name: str
) -> None:
    args = [*before, name, "timeline"] if before == ["--data"] else [*before, name]

    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert "cannot be a directory: File name too long" in result.stderr


def test_a_cislog_data_that_is_not_utf8_is_a_usage_message() -> None:
    assert CISLOG
    environment = {os.fsencode(k): os.fsencode(v) for k, v in os.environ.items()}
    environment[b"CISLOG_DATA"] = b"/tmp/\xff"

    result = subprocess.run(
        [CISLOG, "timeline"], env=environment, capture_output=True, timeout=60, check=False
    )

    assert result.returncode == 2
    assert b"cislog: $CISLOG_DATA: '/tmp/\\xff' is not UTF-8 text" in result.stderr


def test_the_library_refuses_an_empty_directory_too(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DataDirError, match="an empty path"):
        resolve_data_dir("")
    monkeypatch.setenv("CISLOG_DATA", "")
    with pytest.raises(DataDirError, match=r"\$CISLOG_DATA is set but empty"):
        resolve_data_dir()


# --- bounded search ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["$", "", "--", " ... ", "¿?", "—"])
@pytest.mark.parametrize("command", ["search", "timeline"])
def test_a_search_with_no_word_is_a_usage_error_not_everything(command: str, text: str) -> None:
    args = (
        ["search", "--json", "--", text]
        if command == "search"
        else ["timeline", "--json", f"--search={text}"]
    )

    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert "holds no word to look for" in result.stderr
    assert result.stdout == ""


def test_an_office_title_with_no_word_is_a_usage_error_not_every_holder() -> None:
    result = runner.invoke(app, ["person", "--office", "$", "--json"])

    assert result.exit_code == 2
    assert "holds no word to look for" in result.stderr
    assert result.stdout == ""


def test_a_search_word_too_long_to_be_any_word_is_refused() -> None:
    for command in (["search"], ["timeline", "--search"]):
        result = runner.invoke(app, [*command, "a" * 10_000])

        assert result.exit_code == 2
        assert "is 10000 characters long; a search word has at most 100" in result.stderr


def test_thousands_of_different_words_are_refused() -> None:
    words = " ".join(f"w{n}" for n in range(3000))

    result = runner.invoke(app, ["search", words])

    assert result.exit_code == 2
    assert f"holds 3000 different words; a search looks for at most {MAX_WORDS}" in result.stderr


def test_a_word_repeated_thousands_of_times_is_searched_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    once = runner.invoke(app, ["search", "council", "--json"])
    looked_for: list[list[str]] = []

    def counting(words: list[str], folded: str) -> bool:
        looked_for.append(list(words))
        return matches_folded(words, folded)

    monkeypatch.setattr(query, "matches_folded", counting)
    repeated = runner.invoke(app, ["search", " ".join(["council"] * 3000), "--json"])

    assert repeated.exit_code == 0
    assert json.loads(repeated.stdout) == json.loads(once.stdout) != []
    # One word tested once per record: the work of a search for "council".
    assert looked_for and all(words == ["council"] for words in looked_for)


_WORD = re.compile(r"\w+")


def _old_matches(words: list[str], folded: str) -> bool:
    """How matches_folded decided before: every word a prefix of a word of the text."""
    present = _WORD.findall(folded)
    return all(any(w.startswith(q) for w in present) for q in words)


_TEXT = st.text(st.sampled_from("abcəé _-.,'1٢ \u00a0Ωω"), max_size=30)


@given(text=_TEXT, query_text=_TEXT)
def test_the_bounded_search_matches_exactly_what_it_did(text: str, query_text: str) -> None:
    folded = fold(text)
    try:
        words = query_words(query_text)
    except QueryError:
        assert _WORD.findall(fold(query_text)) == []
        return

    assert words == list(dict.fromkeys(_WORD.findall(fold(query_text))))
    assert matches_folded(words, folded) == _old_matches(words, folded)


@given(st.lists(st.sampled_from(["council", "heads", "state", "cis", "azerb", "1993"]), min_size=1))
def test_repeating_words_changes_no_result(words: list[str]) -> None:
    dataset = read_dataset()[0]
    text = " ".join(words)

    assert query.search(dataset, text + " " + text) == query.search(dataset, text)


# --- bounded suggestions -----------------------------------------------------------


def _legacy_closest(word: str, candidates: list[str]) -> str | None:
    """The suggestion as it was made before: difflib over every candidate."""
    pool = [c for c in candidates if suggest._negated(c) == suggest._negated(word)]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return found[0] if found else None


_ID = st.text(st.sampled_from("abnotu-_0123"), max_size=10)


@given(word=_ID, candidates=st.lists(_ID, max_size=15))
def test_the_indexed_suggestion_is_the_one_difflib_gives(word: str, candidates: list[str]) -> None:
    assert suggest.closest(word, candidates) == _legacy_closest(word, candidates)


@given(words=st.lists(_ID, max_size=10), candidates=st.lists(_ID, max_size=15))
def test_a_suggester_answers_each_word_as_closest_does(
    words: list[str], candidates: list[str]
) -> None:
    suggester = suggest.Suggester(candidates, budget=None)

    assert [suggester.closest(w) for w in words] == [_legacy_closest(w, candidates) for w in words]


def _broken_references(make_dataset: MakeDataset, documents: int, events: int) -> Path:
    """A dataset whose every event names a misspelt document id, each a different one."""
    docs = "".join(
        f'[[document]]\nid = "document-{n:04d}"\ntitle = "D{n}"\nkind = "agreement"\n'
        'sources = ["src-a"]\n\n'
        for n in range(documents)
    )
    evts = "".join(
        f'[[event]]\nid = "e{n}"\ndate = "1993"\ntitle = "E"\nkind = "other"\n'
        f'documents = ["documnet-{n:04d}"]\nsources = ["src-a"]\n\n'
        for n in range(events)
    )
    return make_dataset({"documents.toml": docs, "events.toml": evts})


class _Counting(suggest.Suggester):
    made: ClassVar[list[suggest.Suggester]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _Counting.made.append(self)


def test_suggestions_for_thousands_of_broken_references_do_bounded_work(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents, events = 1000, 2000
    data = _broken_references(make_dataset, documents, events)
    _Counting.made = []
    monkeypatch.setattr(validation, "Suggester", _Counting)

    problems = [p for p in validate(data) if p.code == "unknown-reference"]

    assert len(problems) == events
    comparisons = sum(s.comparisons for s in _Counting.made)
    # Each word costs at most one comparison per candidate and one per full ratio.
    assert comparisons <= suggest.BUDGET + 2 * documents
    # Comparing every problem with every id, as before, made 2,000,000.
    assert comparisons * 10 < events * documents
    # The first problems keep the suggestion they had; later ones go without.
    ids = [f"document-{n:04d}" for n in range(documents)] + ["src-a", "az", "cis"]
    hinted = [p for p in problems if "did you mean" in p.message]
    assert len(hinted) >= 20
    for problem in problems[: len(hinted)]:
        target = problem.message.split("'")[1]
        assert problem.message.endswith(f"(did you mean '{_legacy_closest(target, ids)}'?)")
    assert "did you mean" not in problems[-1].message


def test_one_broken_reference_repeated_is_compared_once(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    evts = "".join(
        f'[[event]]\nid = "e{n}"\ndate = "1993"\ntitle = "E"\nkind = "other"\n'
        'orgs = ["cys"]\nsources = ["src-a"]\n\n'
        for n in range(3000)
    )
    data = make_dataset({"events.toml": evts})
    _Counting.made = []
    monkeypatch.setattr(validation, "Suggester", _Counting)

    problems = validate(data)

    assert len(problems) == 3000
    assert all(p.message == "no org with id 'cys' (did you mean 'cis'?)" for p in problems)
    assert sum(s.comparisons for s in _Counting.made) <= 2


# --- cycles in parent and part_of --------------------------------------------------

_BODIES = """\
    [[org]]
    id = "cis"
    name = "Commonwealth of Independent States"
    sources = ["src-a"]
    {bodies}
    """


def _body(body_id: str, parent: str | None) -> str:
    line = f'parent = "{parent}"\n' if parent else ""
    return (
        f'\n[[body]]\nid = "{body_id}"\norg = "cis"\nname = "{body_id}"\n{line}'
        'sources = ["src-a"]\n'
    )


def _cycle_problems(data: Path) -> list[str]:
    return [str(p) for p in validate(data) if p.code == "cycle"]


def test_a_cycle_of_parents_is_reported_once_with_its_place(make_dataset: MakeDataset) -> None:
    bodies = _body("a", "b") + _body("b", "c") + _body("c", "a") + _body("d", "a")
    data = make_dataset({"orgs.toml": textwrap.dedent(_BODIES).format(bodies=bodies)})

    assert _cycle_problems(data) == [
        "data/orgs.toml:10: a: parent: body 'a' is its own ancestor: a → b → c → a"
    ]


def test_a_body_that_is_its_own_parent_is_reported(make_dataset: MakeDataset) -> None:
    bodies = _body("a", None) + _body("b", "b")
    data = make_dataset({"orgs.toml": textwrap.dedent(_BODIES).format(bodies=bodies)})

    assert _cycle_problems(data) == [
        "data/orgs.toml:16: b: parent: body 'b' is its own ancestor: b → b"
    ]
    result = runner.invoke(app, ["check", "data"])
    assert result.exit_code == 1
    assert "body 'b' is its own ancestor: b → b" in result.stdout


def test_a_cycle_of_sources_by_id_or_by_title_is_reported(make_dataset: MakeDataset) -> None:
    sources = """\
        [[source]]
        id = "src-a"
        title = "A source"
        kind = "article"

        [[source]]
        id = "chapter"
        title = "A chapter"
        kind = "chapter"
        part_of = "Book"
        sources = ["src-a"]

        [[source]]
        id = "book"
        title = "Book"
        kind = "book"
        part_of = "chapter"
        sources = ["src-a"]

        [[source]]
        id = "intro"
        title = "Introduction"
        kind = "chapter"
        part_of = "Introduction"
        sources = ["src-a"]
        """
    data = make_dataset({"sources.toml": sources})

    # "intro" shares its title with the work it names: no source is that work.
    assert _cycle_problems(data) == [
        "data/sources.toml:10: chapter: part_of: source 'chapter' is part of itself: "
        "chapter → book → chapter"
    ]


@given(st.lists(st.one_of(st.none(), st.integers(0, 7)), min_size=1, max_size=8))
def test_every_cycle_of_parents_is_found_once(parents: list[int | None]) -> None:
    bodies = "".join(
        _body(f"b{n}", None if p is None or p >= len(parents) else f"b{p}")
        for n, p in enumerate(parents)
    )
    directory = Path.cwd() / "generated"
    directory.mkdir(exist_ok=True)
    for name in ("sources.toml", "countries.toml"):
        (directory / name).write_text(
            textwrap.dedent(
                '[[source]]\nid = "src-a"\ntitle = "A"\nkind = "article"\n'
                if name == "sources.toml"
                else '[[country]]\nid = "az"\nname = "Azerbaijan"\nsources = ["src-a"]\n'
            ),
            "utf-8",
        )
    (directory / "orgs.toml").write_text(textwrap.dedent(_BODIES).format(bodies=bodies), "utf-8")

    # The cycles, by brute force: each set of nodes a walk returns to.
    expected = set()
    for start in range(len(parents)):
        seen: list[int] = []
        node: int | None = start
        while node is not None and node < len(parents) and node not in seen:
            seen.append(node)
            node = parents[node]
        if node is not None and node < len(parents) and node == start:
            expected.add(frozenset(seen))

    reported = [p for p in validate(directory) if p.code == "cycle"]

    found = {frozenset(p.message.split(": ")[-1].split(" → ")) for p in reported}
    assert len(reported) == len(expected)
    assert found == {frozenset(f"b{n}" for n in cycle) for cycle in expected}
    for problem in reported:
        chain = problem.message.split(": ")[-1].split(" → ")
        assert chain[0] == chain[-1] == problem.id
        assert all(f"b{parents[int(a[1:])]}" == b for a, b in pairwise(chain))


def test_queries_on_a_dataset_with_cycles_still_end(make_dataset: MakeDataset) -> None:
    bodies = _body("a", "b") + _body("b", "a")
    data = make_dataset({"orgs.toml": textwrap.dedent(_BODIES).format(bodies=bodies)})
    dataset, problems = read_dataset(data)
    assert problems

    for record in dataset:
        assert query.record_detail(dataset, record)["id"] == record.id
    org = dataset.orgs["cis"]
    assert query.org_bodies(dataset, org)
    assert query.org_summary(dataset, org)["bodies"] == ["a", "b"]


def test_a_dataset_directory_that_is_a_link_loop_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")

    for arguments in (["--data", "loop", "timeline"], ["--data", "loop", "show", "x"]):
        result = CliRunner().invoke(app, arguments)

        assert result.exit_code == 2, result.output
        assert "loop is a loop of symbolic links" in result.stderr
