"""Shell completion of ids and names: the completers, and the bash script Typer
generates, run in a real bash against the installed cislog."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
import typer

from cislog.cli import app, complete
from tests.conftest import MakeDataset

BASH = shutil.which("bash")


def _context(*global_options: str) -> typer.Context:
    """The top-level context as a completion sees it: global options parsed, resiliently."""
    command = typer.main.get_command(app)
    context = command.make_context("cislog", list(global_options), resilient_parsing=True)
    # Typer vendors Click in some versions: the context is Click's, which is what
    # a completer receives too.
    return cast(typer.Context, context)


def _values(candidates: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in candidates]


def test_match_offers_ids_first_then_names_without_spaces() -> None:
    entries = [
        ("cis", "Commonwealth of Independent States", ["CIS", "СНГ", "MDB", "Commonwealth"]),
        ("cica", "Conference on Interaction", ["CICA"]),
        ("commonwealth", "Commonwealth", []),
    ]

    assert complete.match(entries, "c") == [
        ("cica", "Conference on Interaction"),
        ("cis", "Commonwealth of Independent States"),
        ("commonwealth", "Commonwealth"),
    ]
    # An alias spelled like an id is offered once, as the id; a name with spaces never.
    assert complete.match(entries, "C") == [
        ("CICA", "Conference on Interaction"),
        ("CIS", "Commonwealth of Independent States"),
        ("Commonwealth", "Commonwealth of Independent States"),
    ]
    # Cyrillic, as a user types the Russian abbreviation.
    cyrillic = "СН"  # noqa: RUF001
    assert complete.match(entries, cyrillic) == [("СНГ", "Commonwealth of Independent States")]
    assert complete.match(entries, "x") == []


def test_org_ids_complete_from_the_bundled_data() -> None:
    assert _values(complete.orgs(_context(), "c")) == ["cica", "cis"]
    assert complete.orgs(_context(), "MD") == [("MDB", "Commonwealth of Independent States")]


def test_completion_reads_the_dataset_named_by_data(make_dataset: MakeDataset) -> None:
    context = _context("--data", str(make_dataset()))

    # The org's only name has spaces: its id alone is offered.
    assert _values(complete.orgs(context, "")) == ["cis"]
    assert _values(complete.countries(context, "")) == ["az", "AZE", "Azerbaijan"]
    assert _values(complete.any_record(context, "a")) == ["accession", "az"]
    assert _values(complete.any_record(context, "A")) == ["AZE", "Accession", "Azerbaijan"]


def test_completion_reads_cislog_data_from_the_environment(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CISLOG_DATA", str(make_dataset()))

    assert complete.bodies(_context(), "") == [("council", "Council"), ("Council", "Council")]


def test_completion_of_broken_data_gives_nothing_and_says_nothing(
    make_dataset: MakeDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = make_dataset({"events.toml": "[[event]\n"})

    assert complete.orgs(_context("--data", str(broken)), "") == []
    assert complete.tags(_context("--data", "no-such-directory"), "") == []
    assert capsys.readouterr() == ("", "")


def test_fixed_words_complete_by_prefix() -> None:
    context = _context()

    assert _values(complete.signed_statuses(context, "s")) == [
        "signed",
        "signed_with_special_opinion",
        "signed_with_reservation",
    ]
    assert _values(complete.signed_statuses(context, "u")) == ["unknown"]
    assert _values(complete.signatory_statuses(context, "u")) == []
    assert _values(complete.field_values("event", "kind")(context, "s")) == ["summit", "speech"]
    assert _values(complete.field_values("document", "kind")(context, "c")) == [
        "charter",
        "concept",
    ]
    assert "accession" in _values(complete.timeline_kinds(context, "a"))
    assert "cica" in _values(complete.tags(context, "c"))


def test_record_ids_and_sources_complete() -> None:
    context = _context()

    assert _values(complete.any_record(context, "az"))[0] == "az"
    assert _values(complete.sources(context, "azerbaijan-cis-")) == [
        "azerbaijan-cis-page",
        "azerbaijan-cis-summit-op-ed",
    ]
    assert _values(complete.people(context, "sergei")) == ["sergei-lebedev"]


def _bash_complete(words: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Source the completion script the installed cislog prints, then call its function
    as bash does on TAB, and print the candidates one a line."""
    assert BASH is not None
    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable, "the cislog console script is not installed next to this Python"
    script = subprocess.run(
        [executable, "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=cwd,
    ).stdout
    assert "complete " in script and "_cislog_completion" in script
    (cwd / "completion.bash").write_text(script, encoding="utf-8")
    words_array = " ".join(f"'{word}'" for word in words)
    program = (
        "source ./completion.bash\n"
        f"COMP_WORDS=({words_array})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        f'_cislog_completion "{executable}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    return subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
    )


needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed on this machine")


@needs_bash
def test_bash_completes_organisation_ids(tmp_path: Path) -> None:
    result = _bash_complete(["cislog", "org", "c"], tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["cica", "cis"]
    assert result.stderr == ""


@needs_bash
def test_bash_completes_country_ids_after_an_option(tmp_path: Path) -> None:
    result = _bash_complete(["cislog", "timeline", "--country", ""], tmp_path)

    assert result.returncode == 0, result.stderr
    assert "az" in result.stdout.splitlines()


@needs_bash
def test_bash_completion_reads_data_given_earlier_on_the_line(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    directory = make_dataset()

    result = _bash_complete(["cislog", "--data", str(directory), "org", ""], tmp_path)

    assert result.stdout.splitlines() == ["cis"]


@needs_bash
def test_bash_completion_of_broken_data_prints_nothing(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    directory = make_dataset({"events.toml": "[[event]\n"})

    result = _bash_complete(["cislog", "--data", str(directory), "org", ""], tmp_path)

    assert result.returncode == 0
    assert result.stdout.strip() == ""
    assert result.stderr == ""
