"""The Typer application, its global options, and the console-script entry point."""

import contextlib
import functools
import io
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from cislog.cli.common import Context, ExitCode, data_directory, escaping_errors
from cislog.cli.examples import epilog
from cislog.inert import not_utf8

# Every command but ``add``, in ``cislog --help`` order: the module of cislog.cli that
# defines it, and its function. Its help ends with how dates match if it has date
# options, told from the options themselves (see :func:`_command`).
COMMANDS: dict[str, tuple[str, str]] = {
    "timeline": ("timeline_cmd", "timeline"),
    "signed": ("signed_cmd", "signed"),
    "org": ("org_cmd", "org"),
    "country": ("people_cmd", "country"),
    "person": ("people_cmd", "person"),
    "show": ("lookup_cmd", "show"),
    "search": ("lookup_cmd", "search"),
    "sources": ("lookup_cmd", "sources"),
    "facts": ("list_cmd", "facts"),
    "documents": ("list_cmd", "documents"),
    "people": ("list_cmd", "people"),
    "orgs": ("list_cmd", "orgs"),
    "bodies": ("list_cmd", "bodies"),
    "countries": ("list_cmd", "countries"),
    "stats": ("stats_cmd", "stats"),
    "on-this-day": ("stats_cmd", "on_this_day"),
    "export": ("export_cmd", "export"),
    "validate": ("validate_cmd", "validate"),
    "check": ("check_cmd", "check"),
    "schema": ("schema_cmd", "schema"),
    "edit": ("write_cmd", "edit"),
    "remove": ("write_cmd", "remove"),
    "fmt": ("write_cmd", "fmt"),
}


# Click's types are left as Any: Typer vendors Click in some versions. Its UsageError
# (exit 2) is the base of the BadParameter that Typer exports.
UsageError: Any = typer.BadParameter.__base__
_ARGS = "cislog.args"  # where the root keeps the arguments, in the contexts' shared meta


def _global_options(ctx: Any) -> dict[str, Any]:
    """The options of ``cislog`` itself (its callback's, and any Typer adds), by name."""
    root = ctx.find_root().command
    return {
        name: param
        for param in root.params
        if param.param_type_name == "option"
        for name in [*param.opts, *param.secondary_opts]
    }


def _misplaced(command: Any, ctx: Any, args: Sequence[str]) -> list[list[str]]:
    """The global options in ``args`` (a command's), each with its value, and ``args``
    without them. An option's value that looks like a global option is not one, nor is
    anything after ``--``; a value left out is shown as the option's metavar."""
    known = _global_options(ctx)
    takes_value = {
        name
        for param in command.get_params(ctx)
        if param.param_type_name == "option" and not param.is_flag and not param.count
        for name in param.opts
    }
    moved: list[list[str]] = []
    kept: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        name, equals, _ = arg.partition("=")
        if arg == "--":
            kept += args[position:]
            break
        if name in known and name not in takes_value:
            option = known[name]
            if option.is_flag or option.count or equals:
                moved.append([arg])
            elif position + 1 < len(args):
                moved.append([arg, args[position + 1]])
                position += 1
            else:
                moved.append([arg, option.metavar or "VALUE"])
        else:
            kept.append(arg)
            if arg in takes_value and position + 1 < len(args):
                kept.append(args[position + 1])
                position += 1
        position += 1
    return [*moved, kept]


@contextlib.contextmanager
def _global_options_first(command: Any, ctx: Any, args: Sequence[str]) -> Iterator[None]:
    """An unknown option that is a global option given after a command is a usage error
    that says so, with the command line as it must be typed: that option (and any
    other global one) moved to the front."""
    args = list(args)  # Click's parser consumes the list it is given
    try:
        yield
    except UsageError as error:
        name = getattr(error, "option_name", None)
        if ctx.parent is None or name not in _global_options(ctx):
            raise
        # The command's arguments end the whole command line that the root was given.
        given = list(ctx.meta.get(_ARGS, args))
        start = len(given) - len(args)
        if start < 0 or given[start:] != args:
            raise
        *moved, kept = _misplaced(command, ctx, args)
        names = list(dict.fromkeys(option[0].partition("=")[0] for option in moved)) or [name]
        line = [ctx.find_root().info_name, *(a for o in moved for a in o), *given[:start], *kept]
        where = "is a global option: put it" if len(names) == 1 else "are global options: put them"
        from cislog.render import visible

        raise UsageError(
            f"{' and '.join(names)} {where} before the command: {visible(shlex.join(line))}",
            ctx=ctx,
        ) from None


class _Group(TyperGroup):
    """A group of cislog: a mistyped command gets a "did you mean", a global option given
    after it a message saying where it goes."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with _global_options_first(self, ctx, args):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        unknown = name and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            from cislog.render import visible
            from cislog.suggest import did_you_mean

            known = self.list_commands(ctx)
            ctx.fail(f"No such command '{visible(name)}'{did_you_mean(name, known)}.")
        return super().resolve_command(ctx, args)


def _usage_name(argument: Any) -> str:
    """An argument as a usage line shows it: ``DOCUMENT``, ``[ID]`` when it may be left
    out, ``TEXT...`` when it takes many; not Typer's ``{ID}`` and ``[[ID]]``."""
    name = (argument.metavar or argument.name.upper()).strip("[]{}.")
    many = "..." if argument.nargs != 1 else ""
    return f"{name}{many}" if argument.required else f"[{name}]{many}"


class _Command(TyperCommand):
    """A command of cislog: a global option given after it gets a message saying where
    it goes, and its usage line reads as usage lines do (see :func:`_usage_name`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with _global_options_first(self, ctx, args):
            return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_usage_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class _Commands(_Group):
    """The top-level commands, each imported and built only when it is used.

    Building every command's options at each start cost more than a query on
    the cache takes; a run now builds the one command it runs (``--help``
    builds them all to list them).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, "add"]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Every argument is text cislog may store, print or match: bytes that are not
        # UTF-8 (which Python passes on as lone surrogates) are refused by position,
        # before any command runs, rather than failing wherever they are first used.
        for position, arg in enumerate([] if ctx.resilient_parsing else args, start=1):
            bad = not_utf8(arg)
            if bad is not None:
                option, _, value = arg.partition("=")
                hint = option if arg.startswith("--") and value else f"argument {position}"
                raise typer.BadParameter(f"{bad}; cislog reads arguments as UTF-8", param_hint=hint)
        ctx.meta[_ARGS] = list(args)
        return super().parse_args(ctx, args)

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

    module, function = COMMANDS[name]
    callback = getattr(import_module(f"cislog.cli.{module}"), function)
    single = typer.Typer(add_completion=False, rich_markup_mode=None)
    single.command(name=name, cls=_Command)(callback)
    command = typer.main.get_command(single)
    # The help speaks of the options the command has: its date options, if any.
    command.epilog = epilog(name, [n for param in command.params for n in param.opts])
    return command


@functools.cache
def _add_group() -> Any:
    from cislog.cli.write_cmd import add_app

    # Built of cislog's own classes, as the top-level commands are (Typer's own ``cls``).
    add_app.info.cls = _Group
    for info in add_app.registered_commands:
        info.cls = _Command
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
            help="Dataset directory to use instead of the bundled one (default: $CISLOG_DATA).",
            parser=data_directory,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read and validate the data files instead of using the cache "
            "(default: $CISLOG_NO_CACHE).",
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
    ctx.obj = Context(data=data, use_cache=False if no_cache else None)


class OutputError(OSError):
    """Standard output could not be written (a full disk, a descriptor not open for
    writing): the output is lost, but that is not a bug in cislog."""


class ReaderGone(Exception):
    """The reader of standard output went away (``| head``, a pager closed): the command
    stops, quietly, with exit 0.

    Not an :class:`OSError`: Click and Typer turn a broken pipe into exit 1, which a
    script under ``set -o pipefail`` takes for a failure, and only now and then,
    depending on whether the reader was gone before the output was written.
    """


class _Guarded:
    """A stream of standard output as it is, whose write errors are told apart from
    every other file's: the same object underneath, so that it buffers and encodes
    exactly as before.

    A broken pipe raises :class:`ReaderGone`; any other failure :class:`OutputError`.
    Once either has been met, what the stream is given is dropped (``dropping``), so
    that nothing written on the way out fails again."""

    dropping = False

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _guarded(self, call: Any, *args: Any) -> Any:
        if _Guarded.dropping:
            return None
        try:
            return call(*args)
        except BrokenPipeError:
            _Guarded.dropping = True
            raise ReaderGone from None
        except OSError as error:
            raise OutputError(error.errno, error.strerror) from error

    def write(self, data: Any) -> Any:
        written = self._guarded(self._stream.write, data)
        return len(data) if written is None else written

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    @property
    def buffer(self) -> Any:
        # Bytes written past the text layer (an export) are guarded the same way.
        return _Guarded(self._stream.buffer)


def _discard_stdout() -> None:
    """Point standard output's descriptor at the null device, so that what is still
    buffered in it (and Python's flush at exit) is written to nothing rather than
    meeting the closed pipe again, which Python would report on stderr with status 120."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(null)


def _guard_stdout() -> None:
    """Tell write errors on standard output apart (see :class:`_Guarded`), and escape
    what its encoding cannot hold instead of failing on it.

    Under ``PYTHONIOENCODING=ascii`` or a locale that is not UTF-8, a character
    the encoding lacks is written as a visible ``\\uXXXX`` escape (which JSON
    also reads as that character); a name that is not UTF-8 (a lone surrogate)
    the same way.
    """
    stream = sys.stdout
    if stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return  # not the process's own stream (a test's capture): leave it alone
    try:
        stream.reconfigure(errors=escaping_errors())
    except (OSError, ValueError):
        return
    sys.stdout = _Guarded(stream)


def _say(message: str) -> None:
    if sys.stderr is not None:
        sys.stderr.write(f"cislog: {message}\n")
        sys.stderr.flush()


def main() -> None:
    """Entry point of the console script: no traceback ever reaches the user."""
    if sys.stdout is None:
        # Started with standard output closed (``cislog timeline >&-``): whatever the
        # command printed would be lost, so it does not run at all.
        _say(
            "standard output is closed, so nothing cislog printed could be read; "
            "run it with standard output open (>/dev/null discards it)"
        )
        sys.exit(ExitCode.USAGE)
    if sys.stderr is None:
        # Nowhere to tell anything: messages are dropped, the exit status still tells.
        sys.stderr = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115
    _guard_stdout()
    status: Any = ExitCode.OK
    try:
        try:
            app(prog_name="cislog")
        except SystemExit as ended:
            status = ended.code
        finally:
            # What is still buffered is written now, while a failure can still be told.
            sys.stdout.flush()
    except KeyboardInterrupt:
        sys.exit(130)
    except ReaderGone:
        # The reader (``head``, a closed pager) went away: it had what it wanted, so
        # the command stops with nothing to say and the rest of its output is dropped.
        # Its status is success, unless it had already ended with another.
        _discard_stdout()
        sys.exit(status)
    except OutputError as error:
        _Guarded.dropping = True
        _say(f"cannot write to standard output: {error.strerror}")
        sys.exit(ExitCode.PROBLEMS)
    except Exception as error:  # the last line of defence
        sys.stderr.write(
            f"cislog: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in cislog; please report it with the command you ran.\n"
        )
        sys.exit(ExitCode.INTERNAL)
    sys.exit(status)
