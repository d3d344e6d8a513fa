"""Writes that stay inside the dataset, keep what they replace, and change nothing when refused.

Each test builds the hostile or unusual fixture it needs (links, pipes,
read-only files and directories, another user, a full file system) and
checks three things: the exit code and message, that nothing outside the
dataset was created or changed, and that a refused write left every entry
of the data directory (names, bytes, modes, owners) as it was.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MakeDataset, as_another_user, write_minimal
from tests.test_writing import cislog_cli

ADD_EVENT = (
    "add", "event", "--title", "Summit", "--date", "1994-04-15", "--kind", "summit",
    "--org", "cis", "--source", "src-a",
)  # fmt: skip


def entries(directory: Path) -> dict[str, tuple[int, int, bytes | str]]:
    """Every entry of a directory: mode, owner, and bytes (or a link's target)."""
    found: dict[str, tuple[int, int, bytes | str]] = {}
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        status = entry.stat(follow_symlinks=False)
        if entry.is_symlink():
            content: bytes | str = str(Path(entry.path).readlink())
        elif entry.is_file(follow_symlinks=False):
            content = Path(entry.path).read_bytes()
        else:
            content = ""
        found[entry.name] = (status.st_mode, status.st_uid, content)
    return found


# --- links --------------------------------------------------------------------------


def test_export_refuses_a_target_that_is_a_data_file_through_a_link(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    data = make_dataset()
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    (data / "events.toml").rename(elsewhere / "events.toml")
    (data / "events.toml").symlink_to(elsewhere / "events.toml")
    before = (elsewhere / "events.toml").read_bytes()

    result = cislog_cli("export", "--format", "json", "--out", str(elsewhere / "events.toml"))

    assert result.exit_code == 1
    assert "is a data file of the dataset" in result.stderr
    assert (elsewhere / "events.toml").read_bytes() == before


def test_a_lock_file_that_is_a_link_creates_nothing_where_it_points(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    data = make_dataset()
    victim = tmp_path / "victim"
    (data / ".cislog.lock").symlink_to(victim)
    before = entries(data)

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 1
    assert ".cislog.lock is a symbolic link" in result.stderr
    assert not victim.exists()
    assert entries(data) == before


@pytest.mark.parametrize("link_kind", ["dangling", "outside", "loop"])
def test_add_file_never_writes_through_a_link_that_leaves_the_dataset(
    make_dataset: MakeDataset, tmp_path: Path, link_kind: str
) -> None:
    data = make_dataset()
    outside = tmp_path / "outside.toml"
    if link_kind == "outside":
        outside.write_text("", encoding="utf-8")
    link = data / "linked.toml"
    link.symlink_to(link if link_kind == "loop" else outside)
    before = entries(data)

    result = cislog_cli(*ADD_EVENT, "--file", "linked.toml")

    assert result.exit_code == 1, result.output
    assert "linked.toml" in result.stderr
    assert "nothing was written" in result.stderr
    assert entries(data) == before
    assert not outside.exists() or outside.read_text() == ""


def test_a_link_inside_the_dataset_is_written_through_and_kept(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    (data / "real").mkdir()
    (data / "events.toml").rename(data / "real" / "events.toml")
    (data / "events.toml").symlink_to(Path("real") / "events.toml")

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 0, result.output
    assert (data / "events.toml").is_symlink()
    assert "Summit" in (data / "real" / "events.toml").read_text(encoding="utf-8")


# --- permissions and owners ---------------------------------------------------------------


def test_a_read_only_data_file_is_refused_not_replaced(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    (data / "events.toml").chmod(0o444)
    before = entries(data)

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 1
    assert "events.toml is read-only (mode 444)" in result.stderr
    assert entries(data) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_replaced_data_file_keeps_its_owner_and_mode(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    events = data / "events.toml"
    os.chown(events, 65534, 65534)
    events.chmod(0o640)

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 0, result.output
    status = events.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (65534, 65534, 0o640)
    assert "Summit" in events.read_text(encoding="utf-8")


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory user 'nobody' can reach (pytest's own temporary tree is root's alone)."""
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="cislog-shared-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_another_users_read_only_directory_gets_a_message(shared_dir: Path) -> None:
    command = as_another_user()
    data = write_minimal(shared_dir)
    data.chmod(0o755)  # root's directory: nobody may read but not write
    before = entries(data)
    env = {**os.environ, "CISLOG_CACHE_DIR": str(shared_dir / "cache")}

    result = subprocess.run(
        [*command, "--data", str(data), *ADD_EVENT], capture_output=True, text=True, env=env
    )

    assert result.returncode == 1, result.stderr
    assert "Permission denied" in result.stderr
    assert "Traceback" not in result.stderr
    assert entries(data) == before


def test_a_file_another_user_cannot_read_is_reported_with_and_without_cache(
    shared_dir: Path,
) -> None:
    command = as_another_user()
    data = write_minimal(shared_dir)
    (data / "events.toml").chmod(0o600)  # root's file
    env = {**os.environ, "CISLOG_CACHE_DIR": str(shared_dir / "cache")}

    for options in (["--no-cache"], []):
        result = subprocess.run(
            [*command, "--data", str(data), *options, "timeline"],
            capture_output=True,
            text=True,
            env=env,
        )

        assert result.returncode == 1, result.stderr
        assert "events.toml: cannot read: Permission denied" in result.stderr
        assert "Traceback" not in result.stderr


# --- files that are not regular files ---------------------------------------------------


def test_add_to_a_pipe_named_like_a_data_file_is_refused_without_waiting(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset({"events.toml": None})
    os.mkfifo(data / "events.toml")
    before = entries(data)
    command = [sys.executable, "-m", "cislog", "--data", str(data)]

    result = subprocess.run([*command, *ADD_EVENT], capture_output=True, text=True, timeout=60)

    assert result.returncode == 1, result.stderr
    assert "events.toml is a named pipe (FIFO), not a data file" in result.stderr
    assert entries(data) == before


@pytest.mark.parametrize("kind", ["directory", "pipe", "dangling link", "link loop"])
def test_entries_named_toml_that_are_not_files_are_named_when_skipped(
    make_dataset: MakeDataset, kind: str
) -> None:
    data = make_dataset()
    odd = data / "odd.toml"
    if kind == "directory":
        odd.mkdir()
    elif kind == "pipe":
        os.mkfifo(odd)
    elif kind == "dangling link":
        odd.symlink_to(data / "nowhere.toml")
    else:
        odd.symlink_to(odd)

    for options in (["--no-cache"], [], []):
        result = cislog_cli(*options, "timeline", "--json")

        assert result.exit_code == 0, result.output
        assert f"skipped {odd}" in result.stderr
    validated = cislog_cli("validate")
    assert validated.exit_code == 0
    assert f"skipped {odd}" in validated.stderr


def test_a_directory_where_the_data_file_should_be_is_refused(make_dataset: MakeDataset) -> None:
    data = make_dataset({"events.toml": None})
    (data / "events.toml").mkdir()
    before = entries(data)

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 1, result.output
    assert "events.toml is a directory, not a data file" in result.stderr
    assert entries(data) == before


def test_records_written_as_an_inline_array_get_a_message(make_dataset: MakeDataset) -> None:
    data = make_dataset(
        {
            "events.toml": 'event = [{id = "accession", date = "1993-09-24", title = "A", '
            'kind = "accession", orgs = ["cis"], countries = ["az"], sources = ["src-a"]}]\n'
        }
    )
    before = entries(data)

    for command in (["remove", "accession"], ["edit", "accession", "--set", "place=Baku"]):
        result = cislog_cli(*command)

        assert result.exit_code == 1, result.output
        assert "written as an inline array (line 1)" in result.stderr
        assert "cislog fmt" in result.stderr
    assert entries(data) == before


# --- leftovers ------------------------------------------------------------------------------


def test_a_refused_or_dry_run_write_leaves_the_directory_entry_for_entry(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    before = entries(data)

    refused = cislog_cli("add", "event", "--title", "X", "--kind", "summit", "--source", "nope")
    dry = cislog_cli(*ADD_EVENT, "--dry-run")

    assert refused.exit_code == 1
    assert dry.exit_code == 0
    assert entries(data) == before  # no .cislog.lock, no temporary file


def test_a_write_leaves_no_lock_file_behind(make_dataset: MakeDataset) -> None:
    data = make_dataset()

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 0, result.output
    assert not (data / ".cislog.lock").exists()


def test_temporary_files_of_a_killed_write_are_removed_by_the_next_write(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    leftover = data / ".events.toml.0123abcd.tmp"
    leftover.write_text("half a file", encoding="utf-8")
    unrelated = data / ".notes.tmp"
    unrelated.write_text("mine", encoding="utf-8")

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert f"removed {leftover}, left by an interrupted write" in result.stderr
    assert unrelated.read_text(encoding="utf-8") == "mine"


def test_a_write_killed_before_its_rename_leaves_the_old_file_and_a_cleanable_leftover(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    before = (data / "events.toml").read_bytes()
    # Stop the writer for good just before the rename, as a SIGKILL there would.
    script = (
        "import os, pathlib, sys\n"
        "pathlib.Path.replace = lambda self, target: os._exit(9)\n"
        "from cislog.cli.app import main\n"
        "sys.argv = ['cislog', *sys.argv[1:]]\n"
        "main()\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, "--data", str(data), *ADD_EVENT], capture_output=True
    )
    assert killed.returncode == 9
    assert (data / "events.toml").read_bytes() == before
    assert [p.name for p in data.glob(".events.toml.*.tmp")]

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 0, result.output
    assert not list(data.glob(".*.tmp"))


# --- a full file system ---------------------------------------------------------------------


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, where the test can mount one."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("this machine does not let the test mount a tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_file_system_changes_nothing_and_says_so(tiny_filesystem: Path) -> None:
    data = write_minimal(tiny_filesystem)
    filler = tiny_filesystem / "filler"
    with filler.open("wb", buffering=0) as stream, pytest.raises(OSError):
        while True:
            stream.write(b"x" * 4096)
    before = entries(data)
    long_note = "a" * 8000

    result = cislog_cli("--data", str(data), *ADD_EVENT, "--set", f"note={long_note}")

    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr
    assert entries(data) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_as_such(make_dataset: MakeDataset, encoding: str) -> None:
    make_dataset({"extra.toml": '[[event]]\nid = "x"\n'.encode(encoding)})

    result = cislog_cli("validate")

    assert result.exit_code == 1
    assert "data/extra.toml:1: UTF-16 text, but data files are UTF-8" in result.stdout


# --- values no data file can hold -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"title": null, "kind": "summit", "sources": ["src-a"]}', "null is not a value"),
        ('{"title": "\\ud800", "kind": "summit", "sources": ["src-a"]}', "not valid Unicode"),
        ('{"title": "A", "kind": "summit", "sources": ["src-a"], "pages": ' + "9" * 5000 + "}",
         "thousands of digits"),
        ('{"title": "A", "kind": "summit", "sources": ["src-a"], "x": ' + "[" * 5000 + "]" * 5000
         + "}", "nested too deeply"),
        ('{"title": "A", "kind": "summit", "sources": ["src-a"], "x": ' + "[" * 20 + "]" * 20
         + "}", "nested too deeply"),
        ('{"title": "A", "kind": "summit", "sources": ["src-a"], "n": ' + "9" * 30 + "}",
         "too large for a data file"),
    ],
)  # fmt: skip
def test_from_json_values_no_file_can_hold_get_a_message(
    make_dataset: MakeDataset, text: str, message: str
) -> None:
    data = make_dataset()
    before = entries(data)

    result = cislog_cli("add", "event", "--from-json", "-", stdin=text)

    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert entries(data) == before


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        # Bytes that are not UTF-8 (Python hands them over as lone surrogates).
        ("place=\udcff", "is not UTF-8 text"),
        ("tags=" + "[" * 3000 + "]" * 3000, "not a list a record can hold"),
        ("tags=[null]", "null is not a value"),
    ],
)
def test_set_values_no_file_can_hold_get_a_message(
    make_dataset: MakeDataset, assignment: str, message: str
) -> None:
    data = make_dataset()
    before = entries(data)

    result = cislog_cli("edit", "accession", "--set", assignment)

    assert result.exit_code in (1, 2), result.output
    assert message in result.stderr
    assert entries(data) == before


@pytest.mark.parametrize(
    "digits", ["\u0661\u0669\u0669\u0663", "\uff11\uff19\uff19\uff13", "1_993", "19" * 20]
)
def test_whole_numbers_are_ascii_digits_of_64_bits_at_most(
    make_dataset: MakeDataset, digits: str
) -> None:
    make_dataset()

    result = cislog_cli("edit", "council", "--set", f"members={digits}")

    assert result.exit_code == 1
    assert (
        "expected a whole number (digits 0-9)" in result.stderr or "has no field" in result.stderr
    )


def test_a_file_name_too_long_for_the_file_system_gets_a_message(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    before = entries(data)

    result = cislog_cli(*ADD_EVENT, "--file", "e" * 300 + ".toml")

    assert result.exit_code == 1
    assert "file systems allow 255 at most" in result.stderr
    assert entries(data) == before


def test_a_text_far_longer_than_any_title_or_note_is_refused_with_its_length(
    make_dataset: MakeDataset,
) -> None:
    from cislog.model import LONGEST_LINE, LONGEST_PROSE

    make_dataset({"more.toml": f'[[source]]\nid = "s2"\ntitle = "{"t" * (LONGEST_LINE + 1)}"\n'
                  f'kind = "article"\nnote = "{"n" * (LONGEST_PROSE + 1)}"\n'})  # fmt: skip

    result = cislog_cli("validate")

    assert result.exit_code == 1
    assert f"'title' is {LONGEST_LINE + 1:,} characters long" in result.stdout
    assert f"'note' is {LONGEST_PROSE + 1:,} characters long" in result.stdout


# --- found by an attacker after the first round -------------------------------------------------


def test_a_lock_file_that_was_there_before_stays(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    (data / ".cislog.lock").write_text("mine", encoding="utf-8")
    before = entries(data)

    refused = cislog_cli("edit", "accession", "--set", "title=")
    written = cislog_cli("edit", "accession", "--set", "place=Baku")

    assert refused.exit_code == 1
    assert written.exit_code == 0, written.output
    assert (data / ".cislog.lock").read_text(encoding="utf-8") == "mine"
    assert entries(data)[".cislog.lock"] == before[".cislog.lock"]


def test_a_data_file_linked_to_a_temporary_looking_name_is_never_cleaned_away(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    target = data / ".more.toml.0badcafe.tmp"
    target.write_text('[[country]]\nid = "kz"\nname = "Kazakhstan"\nsources = ["src-a"]\n')
    (data / "more.toml").symlink_to(target.name)

    result = cislog_cli("edit", "accession", "--set", "place=Baku")

    assert result.exit_code == 0, result.output
    assert target.exists()
    assert "removed" not in result.stderr


def test_a_refused_write_removes_no_leftover(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    (data / ".events.toml.deadbeef.tmp").write_text("junk", encoding="utf-8")
    before = entries(data)

    result = cislog_cli("edit", "accession", "--set", "title=")

    assert result.exit_code == 1
    assert entries(data) == before


def test_another_users_directory_with_a_writable_lock_gets_a_message(shared_dir: Path) -> None:
    command = as_another_user()
    data = write_minimal(shared_dir)
    for path in data.iterdir():
        path.chmod(0o666)
    (data / ".cislog.lock").touch(mode=0o666)
    data.chmod(0o755)
    before = entries(data)
    env = {**os.environ, "CISLOG_CACHE_DIR": str(shared_dir / "cache")}

    result = subprocess.run(
        [*command, "--data", str(data), "edit", "accession", "--set", "place=Baku"],
        capture_output=True,
        text=True,
        env=env,
    )

    assert result.returncode == 1, result.stderr
    assert "Permission denied" in result.stderr
    assert entries(data) == before


ENTRY_APART = """\
    [[document]]
    id = "doc"
    title = "An agreement"
    kind = "agreement"
    sources = ["src-a"]

    [[event]]
    id = "summit"
    date = "1994"
    title = "Summit"
    kind = "summit"
    sources = ["src-a"]

    [[document.signatories]]
    country = "az"
    status = "signed"
    sources = ["src-a"]
    """


def test_entries_written_apart_from_their_record_get_the_fmt_hint(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset({"documents.toml": ENTRY_APART})
    before = entries(data)

    for command in (
        ["remove", "doc"],
        ["add", "signatory", "doc", "--country", "az", "--status", "not_signed",
         "--source", "src-a"],
    ):  # fmt: skip
        result = cislog_cli(*command)

        assert result.exit_code == 1, result.output
        assert "written after other records" in result.stderr
        assert "cislog fmt" in result.stderr
    assert entries(data) == before
    assert cislog_cli("remove", "summit").exit_code == 0


def test_adding_to_records_written_inline_gets_the_fmt_hint(make_dataset: MakeDataset) -> None:
    data = make_dataset(
        {
            "events.toml": 'event = [{id = "accession", date = "1993-09-24", title = "A", '
            'kind = "accession", orgs = ["cis"], countries = ["az"], sources = ["src-a"]}]\n'
        }
    )
    before = entries(data)

    result = cislog_cli(*ADD_EVENT)

    assert result.exit_code == 1
    assert "inline array (line 1)" in result.stderr and "cislog fmt" in result.stderr
    assert entries(data) == before


def test_a_csv_export_never_makes_a_directory_inside_the_dataset(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    before = entries(data)

    for out in ("data/x.toml/", "data/tables", "data/sub/more.csv"):
        result = cislog_cli("export", "--format", "csv", "--out", out)

        assert result.exit_code == 1, (out, result.output)
        assert "in the dataset's own directory" in result.stderr
    assert entries(data) == before


def test_an_export_target_that_is_a_link_loop_gets_a_message(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")

    for out in ("loop", "loop/x.json"):
        result = cislog_cli("export", "--format", "json", "--out", out)

        assert result.exit_code == 1, result.output
        assert "loop of symbolic links" in result.stderr


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"name": "P", "sources": ["src-a"], "offices": [{"title": "a", "sources": ["src-a"]}, 5]},
         "offices[1]: expected an entry"),
        ({"name": "P", "sources": ["src-a"], "aliases": {"a": 1}},
         "aliases: an object is not a value"),
        ({"name": "P", "sources": ["src-a"], "note": float("nan")}, "not a number"),
        ({"name": "P", "sources": ["src-a"], "offices": [{"title": {"a": 1}}]},
         "an object is not a value"),
    ],
)  # fmt: skip
def test_values_of_the_wrong_shape_are_refused_naming_the_field(
    make_dataset: MakeDataset, record: dict[str, object], message: str
) -> None:
    import json

    data = make_dataset()
    before = entries(data)

    result = cislog_cli("add", "person", "--from-json", "-", stdin=json.dumps(record))

    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert entries(data) == before


def test_a_file_name_with_an_escape_sequence_is_refused(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    before = entries(data)

    result = cislog_cli(*ADD_EVENT, "--file", "b\x1b[31m.toml")

    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "b\\x1b[31m.toml" in result.stderr
    assert entries(data) == before


def test_a_write_on_a_dataset_that_cannot_be_read_says_why_not_no_such_id(
    make_dataset: MakeDataset,
) -> None:
    make_dataset({"events.toml": "[[event]\nid = 'accession'\n"})

    for command in (["edit", "accession", "--set", "place=Baku"], ["remove", "accession"]):
        result = cislog_cli(*command)

        assert result.exit_code == 1
        assert "invalid TOML" in result.stderr
        assert "no record has the id" not in result.stderr
