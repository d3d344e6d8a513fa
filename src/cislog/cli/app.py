"""The Typer application, its global options, and the console-script entry point."""

import functools
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cislog.cli.common import Context, ExitCode
from cislog.cli.examples import epilog

# Every command but ``add``, in ``cislog --help`` order: the module of cislog.cli that
# defines it, its function, and whether it takes --from/--to/--on (its help then
# ends with how dates match).
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "timeline": ("timeline_cmd", "timeline", True),
    "signed": ("signed_cmd", "signed", True),
    "org": ("org_cmd", "org", True),
    "country": ("people_cmd", "country", True),
    "person": ("people_cmd", "person", True),
    "show": ("lookup_cmd", "show", False),
    "search": ("lookup_cmd", "search", False),
    "sources": ("lookup_cmd", "sources", False),
    "stats": ("stats_cmd", "stats", False),
    "on-this-day": ("stats_cmd", "on_this_day", False),
    "export": ("export_cmd", "export", True),
    "validate": ("validate_cmd", "validate", False),
    "check": ("check_cmd", "check", False),
    "schema": ("schema_cmd", "schema", False),
    "edit": ("write_cmd", "edit", False),
    "remove": ("write_cmd", "remove", False),
    "fmt": ("write_cmd", "fmt", False),
}


class _Commands(TyperGroup):
    """The top-level commands, each imported and built only when it is used.

    Building every command's options at each start cost more than a query on
    the cache takes; a run now builds the one command it runs (``--help``
    builds them all to list them).
    """

    # Click's types are left as Any: Typer vendors Click in some versions.
    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, "add"]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name == "add":
            return _add_group()
        if cmd_name in COMMANDS:
            return _command(cmd_name)
        return None


@functools.cache
def _command(name: str) -> Any:
    from importlib import import_module

    from cislog.cli.examples import epilog

    module, function, dated = COMMANDS[name]
    callback = getattr(import_module(f"cislog.cli.{module}"), function)
    single = typer.Typer(add_completion=False, rich_markup_mode=None)
    single.command(name=name, epilog=epilog(name, dates=dated))(callback)
    return typer.main.get_command(single)


@functools.cache
def _add_group() -> Any:
    from cislog.cli.write_cmd import add_app

    return typer.main.get_command(add_app)


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
            metavar="DIR",
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
