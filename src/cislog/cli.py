"""The ``cislog`` command: parses arguments, calls the library, prints the result.

No work is done here beyond choosing what to call and how to print it; the
library raises, this module maps errors to documented exit codes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer

from cislog import render
from cislog.loading import read_dataset


class ExitCode(IntEnum):
    """What a script can rely on from cislog's exit status."""

    OK = 0
    PROBLEMS = 1  # invalid data, or an unknown reference in the arguments
    USAGE = 2  # a malformed command line (Typer/Click's own code)
    INTERNAL = 70  # a bug in cislog (EX_SOFTWARE): please report it


@dataclass(slots=True)
class Context:
    """Options given before the command, shared by every command."""

    data: Path | None = None


app = typer.Typer(
    name="cislog",
    help="Offline, citation-first chronology of states and international organisations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"cislog {version('cislog')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="CISLOG_DATA",
            help="Dataset directory to use instead of the bundled one.",
            show_envvar=True,
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Offline, citation-first chronology of states and international organisations."""
    ctx.obj = Context(data=data)


def _data_dir(ctx: typer.Context, override: Path | None = None) -> Path | None:
    if override is not None:
        return override
    state = ctx.find_object(Context)
    return state.data if state else None


@app.command()
def validate(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Dataset directory (default: --data, $CISLOG_DATA, or the bundled data)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the problems as a JSON array.")
    ] = False,
) -> None:
    """Check a dataset and list every problem as FILE:LINE: ID: FIELD: message.

    Exits 0 when the dataset is valid and 1 when it has problems.
    """
    dataset, problems = read_dataset(_data_dir(ctx, directory))
    if as_json:
        sys.stdout.write(render.problems_json(problems))
    else:
        sys.stdout.write(render.problems_text(problems))
    if problems:
        typer.echo(f"{render.plural(len(problems), 'problem')} in {dataset.directory}", err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if not as_json:
        typer.echo(f"ok: {render.plural(len(dataset), 'record')} in {dataset.directory}", err=True)


def main() -> None:
    """Entry point of the console script: no traceback ever reaches the user."""
    try:
        app(prog_name="cislog")
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # The reader (``head``, a closed pager) went away: not an error worth a message.
        sys.stderr.close()
        sys.exit(0)
    except Exception as error:
        sys.stderr.write(
            f"cislog: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in cislog; please report it with the command you ran.\n"
        )
        sys.exit(ExitCode.INTERNAL)
