"""The command line against a hostile process, hostile queries and hostile data.

Each case gives a message naming what is wrong and a meaningful exit code, or the
right answer, with bounded work; each class is tried with generated cases too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cislog.cli import app
from cislog.cli.common import escaping_errors

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
