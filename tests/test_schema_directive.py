"""The ``#:schema`` directive stays the first line of a data file, whatever cislog writes."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from cislog import tomlfile, writing
from cislog.cli import app
from cislog.datadir import bundled_data_dir
from cislog.schema import DIRECTIVE
from tests.conftest import MINIMAL_FILES, MakeDataset

runner = CliRunner()

SOURCE = '[[source]]\nid = "src-b"\ntitle = "B"\nkind = "book"\n'
EVENT = '[[event]]\nid = "e"\ndate = "1993"\ntitle = "E"\nkind = "other"\nsources = ["src-a"]\n'


def test_fmt_keeps_the_directive_first_when_it_reorders_kinds() -> None:
    text = f"{DIRECTIVE}\n# What this file holds.\n\n{EVENT}\n{SOURCE}"

    formatted = tomlfile.format_text(text)

    assert formatted == f"{DIRECTIVE}\n# What this file holds.\n\n{SOURCE}\n{EVENT}"


def test_fmt_keeps_the_directive_but_not_a_records_own_comment_on_top() -> None:
    text = f"{DIRECTIVE}\n# About the event.\n{EVENT}\n{SOURCE}"

    formatted = tomlfile.format_text(text)

    assert formatted == f"{DIRECTIVE}\n\n{SOURCE}\n# About the event.\n{EVENT}"


def test_fmt_keeps_the_directive_of_a_file_with_crlf_or_no_records() -> None:
    crlf = f"{DIRECTIVE}\r\n\r\n{SOURCE}".replace("\n", "\r\n").replace("\r\r", "\r")

    assert tomlfile.format_text(crlf) == crlf
    assert tomlfile.format_text(f"{DIRECTIVE}\n") == f"{DIRECTIVE}\n"


def test_removing_the_first_record_keeps_the_directive_touching_it() -> None:
    text = f"{DIRECTIVE}\n{SOURCE}\n{EVENT}"

    assert tomlfile.remove_record(text, "source", 0) == f"{DIRECTIVE}\n{EVENT}"


def test_fmt_check_passes_on_the_bundled_data_and_keeps_its_directives(tmp_path: Path) -> None:
    copy = tmp_path / "bundled"
    shutil.copytree(bundled_data_dir(), copy)

    check = runner.invoke(app, ["fmt", "--check", str(copy)])
    assert check.exit_code == 0, check.output
    result = runner.invoke(app, ["fmt", str(copy)])
    assert result.exit_code == 0, result.output

    for path in sorted(copy.glob("*.toml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == DIRECTIVE, path.name


def test_fmt_check_fails_on_a_file_whose_directive_is_not_first(
    make_dataset: MakeDataset,
) -> None:
    directory = make_dataset({"more.toml": f"\n{DIRECTIVE}\n\n{SOURCE}"})

    result = runner.invoke(app, ["fmt", "--check", str(directory)])

    assert result.exit_code == 1
    assert "more.toml" in result.output


def test_add_starts_a_new_file_with_the_datasets_directive(make_dataset: MakeDataset) -> None:
    sources = f"{DIRECTIVE}\n" + textwrap.dedent(MINIMAL_FILES["sources.toml"])
    directory = make_dataset({"sources.toml": sources})

    writing.add_records(
        directory,
        "event",
        [{"title": "New", "date": "2001", "kind": "other", "sources": ["src-a"]}],
        file="new.toml",
    )

    text = (directory / "new.toml").read_text(encoding="utf-8")
    assert text.startswith(f"{DIRECTIVE}\n\n[[event]]\n")
    # An existing file is appended to and keeps its own first line.
    assert (directory / "sources.toml").read_text(encoding="utf-8").startswith(DIRECTIVE)


def test_add_writes_no_directive_where_the_dataset_uses_none(make_dataset: MakeDataset) -> None:
    directory = make_dataset()

    writing.add_records(
        directory,
        "event",
        [{"title": "New", "date": "2001", "kind": "other", "sources": ["src-a"]}],
        file="new.toml",
    )

    assert (directory / "new.toml").read_text(encoding="utf-8").startswith("[[event]]\n")
