"""The Typer application, its global options, and the console-script entry point."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cislog.cli.common import Context, ExitCode
from cislog.cli.examples import epilog


class _Commands(TyperGroup):
    """The top-level commands, with the ``add`` group built only when it is used:
    its ten commands and their options cost more to build than a query takes."""

    # Click's types are left as Any: Typer vendors Click in some versions.
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), "add"]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name == "add":
            from cislog.cli.write_cmd import add_app

            return typer.main.get_command(add_app)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="cislog",
    cls=_Commands,
    help="Offline, citation-first chronology of states and international organisations.",
    epilog=epilog(""),
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
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="CISLOG_NO_CACHE",
            help="Read and validate the data files instead of using the cache.",
            show_envvar=True,
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Offline, citation-first chronology of states and international organisations.

    Every answer carries the sources that state it. Add --json to any command
    for output a script can read.
    """
    ctx.obj = Context(data=data, use_cache=not no_cache)


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
    except Exception as error:  # the last line of defence
        sys.stderr.write(
            f"cislog: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in cislog; please report it with the command you ran.\n"
        )
        sys.exit(ExitCode.INTERNAL)
