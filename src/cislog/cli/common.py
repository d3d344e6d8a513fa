"""What every command shares: exit codes, data loading, options, error handling, output."""

import codecs
import functools
import itertools
import sys
from collections.abc import Callable, Collection, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, NamedTuple, NoReturn, ParamSpec, TypeVar

import typer

from cislog import render
from cislog.dataset import Dataset
from cislog.errors import CislogError, DatasetError
from cislog.kinds import RecordKind

P = ParamSpec("P")
T = TypeVar("T")


class ExitCode(IntEnum):
    """What a script can rely on from cislog's exit status."""

    OK = 0
    PROBLEMS = 1  # invalid data, or an unknown reference in the arguments
    USAGE = 2  # a malformed command line (Typer/Click's own code)
    INTERNAL = 70  # a bug in cislog (EX_SOFTWARE): please report it


class Context(NamedTuple):
    """Options given before the command, shared by every command."""

    data: Path | None = None
    use_cache: bool | None = None  # None: as $CISLOG_NO_CACHE says (the library reads it)


def date_help(options: Collection[str]) -> str:
    """How dates match, for the help of a command with these options: the range of
    ``--from``/``--to`` (and ``--on``), or the one date of ``--on``; ``--certain`` only
    where the command has it. Empty for a command without them."""
    examples = "(1993, 1993-09, 1993-09-24)"
    ranged = [option for option in ("--from", "--to") if option in options]
    if ranged:
        covers = {
            ("--from", "--to"): "--from 1993-06 --to 1993-12 covers the whole of June to the "
            "whole of December",
            ("--from",): "--from 1993-06 covers the whole of June and after",
            ("--to",): "--to 1993-12 covers up to the whole of December",
        }[tuple(ranged)]
        opening = f"Dates may be partial {examples} and are inclusive at both ends: {covers}."
        if "--on" in options and len(ranged) == 2:
            opening += " --on 1993-09 is the same as --from 1993-09 --to 1993-09."
        asked = "the asked range"
    elif "--on" in options:
        opening = (
            f"The date of --on may be partial {examples} and stands for every day it can "
            "mean: --on 1993-09 asks about the whole of September 1993."
        )
        asked = "the asked date"
    else:
        return ""
    matching = (
        f"A record matches certainly when every day its date can mean lies in {asked} "
        "(an interval or a term: when it certainly lasted into it), and possibly when only "
        "some do: a coarser date (1993 asked as 1993-09), an open or unknown end, an "
        "unspecified digit (XXXX-10-11), one of a set ([..1993-09-24], on or before) or a "
        'date marked ? or ~. Possible matches are shown and marked (JSON: "match": '
        '"possible")'
    )
    open_end = "An open end bounds nothing: an entry on or before 1993 is possible in 1800 too"
    if "--certain" in options:
        return (
            f"{opening} {matching}; --certain leaves them out. {open_end}, "
            "and --certain is how to rule such entries out."
        )
    return f"{opening} {matching}. {open_end}."


def data_directory(value: str) -> Path:
    """A dataset directory given on the command line (``--data`` or a command's
    DIRECTORY), checked as the library checks it, and never a file: a usage error
    when it cannot be one."""
    from cislog.datadir import DataDirError, named_directory

    try:
        path = named_directory(value)
    except DataDirError as error:
        raise typer.BadParameter(str(error)) from None
    if path.is_file():
        shown = value if len(value) <= 80 else f"{value[:80]}…"
        raise typer.BadParameter(f"'{shown}' is a file, not a dataset directory")
    return path


DirectoryArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Dataset directory (default: --data, $CISLOG_DATA, or the bundled data).",
        parser=data_directory,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (UTF-8) on stdout instead of a table.")
]
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,C",
        help="Only these keys in the JSON output (implies --json).",
    ),
]
FromOption = Annotated[
    str | None, typer.Option("--from", metavar="DATE", help="On or after DATE (see below).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="DATE", help="On or before DATE (see below).")
]
OnOption = Annotated[
    str | None, typer.Option("--on", metavar="DATE", help="Overlapping DATE (see below).")
]
CertainOption = Annotated[
    bool,
    typer.Option(
        "--certain", help="With dates: only what certainly falls in them, not what only may."
    ),
]


def data_dir(ctx: typer.Context, override: Path | None = None) -> Path | None:
    """The dataset directory the command line names: the command's DIRECTORY, else
    --data; None for the library's default ($CISLOG_DATA, else the bundled data)."""
    if override is not None:
        return override
    state = ctx.find_object(Context)
    return state.data if state is not None else None


def _escape(error: UnicodeError) -> tuple[str, int]:
    """An encoding's error handler: each character it cannot hold as ``\\uXXXX``
    (a pair of them beyond U+FFFF), which reads as the character in JSON too."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for character in error.object[error.start : error.end]:
        code = ord(character)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


@functools.cache
def escaping_errors() -> str:
    """The name of the error handler :func:`_escape`, registered once."""
    codecs.register_error("cislog-escape", _escape)
    return "cislog-escape"


def load_data(ctx: typer.Context) -> Dataset:
    """The dataset selected by --data or $CISLOG_DATA, from the cache when it matches the
    files (unless --no-cache); invalid data ends the command."""
    from cislog.cache import load

    state = ctx.find_object(Context)
    dataset = load(data_dir(ctx), use_cache=state.use_cache if state else None)
    for note in dataset.notes:
        typer.echo(f"cislog: note: {note}", err=True)
    return dataset


def fail(message: str, code: ExitCode = ExitCode.PROBLEMS) -> NoReturn:
    typer.echo(f"cislog: {render.visible(message)}", err=True)
    raise typer.Exit(code)


def handles_errors(command: Callable[P, T]) -> Callable[P, T]:
    """Turn the library's errors into messages on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return command(*args, **kwargs)
        except CislogError as error:
            from cislog.datadir import DataDirError
            from cislog.matching import QueryError

            if isinstance(error, QueryError | DataDirError):
                # A search text that cannot be searched for, or a $CISLOG_DATA that
                # names no directory: how it was asked is wrong.
                fail(str(error), ExitCode.USAGE)
            # Invalid data, or a write refused for the problems it would cause:
            # the problems first, as 'cislog validate' prints them.
            sys.stderr.write(render.problems_text(getattr(error, "problems", [])))
            if isinstance(error, DatasetError):
                fail(f"the dataset is invalid ({error}); run 'cislog validate' for details")
            fail(str(error))

    return wrapper


def period(from_: str | None, to: str | None, on: str | None = None, certain: bool = False) -> Any:
    """The asked range of days from --from/--to/--on (and whether only certain matches are
    wanted, --certain), or a usage error naming the option."""
    from cislog.dates import DateError, parse_query
    from cislog.query import Period

    if on is not None and (from_ is not None or to is not None):
        raise typer.BadParameter("give either --on or --from/--to, not both", param_hint="--on")

    def parse(value: str, option: str) -> tuple[Any, Any]:
        try:
            return parse_query(value)
        except DateError as error:
            raise typer.BadParameter(str(error), param_hint=option) from None

    if on is not None:
        return Period(*parse(on, "--on"), certain=certain)
    earliest = parse(from_, "--from")[0] if from_ else None
    latest = parse(to, "--to")[1] if to else None
    if earliest and latest and earliest > latest:
        raise typer.BadParameter(f"--from {from_} is after --to {to}", param_hint="--from")
    return Period(earliest, latest, certain=certain)


def resolve_all(
    dataset: Dataset, kind: RecordKind, values: Sequence[str] | None
) -> tuple[str, ...]:
    """Ids for names typed by the user; an unknown one is an error, never an empty result."""
    from cislog.matching import resolve

    return tuple(resolve(dataset, (kind,), value).id for value in values or ())


def check_choices(what: str, values: Sequence[str] | None, known: Sequence[str]) -> tuple[str, ...]:
    """Values of an enumerated filter (kinds, tags, statuses), each checked against ``known``."""
    from cislog.suggest import did_you_mean

    for value in values or ():
        if value not in known:
            fail(f"unknown {what} '{value}'{did_you_mean(value, known)}; known: {', '.join(known)}")
    return tuple(values or ())


def _wanted(fields: str, keys: Sequence[str]) -> list[str]:
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in keys]
    if unknown or not wanted:
        raise typer.BadParameter(
            f"unknown field {', '.join(repr(f) for f in unknown) or '(none given)'}; "
            f"valid fields: {', '.join(keys)}",
            param_hint="--fields",
        )
    return wanted


def fields_wanted(fields: str | None, keys: Sequence[str]) -> list[str] | None:
    """The keys ``--fields`` keeps, checked as :func:`emit` checks them (an unknown one is
    a usage error listing ``keys``); None without ``--fields``."""
    return None if fields is None else _wanted(fields, keys)


def problems_json(problems: Sequence[Any], wanted: Sequence[str] | None = None) -> str:
    """:func:`cislog.render.problems_json`, each problem with only the ``wanted`` keys
    (``--fields``), in that order."""
    text = render.problems_json(problems)
    if wanted is None:
        return text
    import json

    return render.to_json([{key: row[key] for key in wanted} for row in json.loads(text)])


_NOTHING = object()  # what an empty iterator gives emit's peek


def emit(
    data: Any,
    *,
    as_json: bool,
    fields: str | None,
    keys: Sequence[str],
    table: str,
    empty: str = "nothing matches",
    notes: Sequence[str] = (),
    table_options: dict[str, Any] | None = None,
) -> None:
    """Print a result as JSON (on stdout alone) or as tables.

    ``data`` is an object, a list, an iterator of objects, which JSON output
    streams, or a function that gives such an iterator anew each time it is
    called (a query), for a table that reads its rows twice, to measure and to
    lay out, without holding them (see :meth:`cislog.layout.Table.streamed`).
    ``table`` names the function of :mod:`cislog.tables` that draws the result
    (given ``table_options`` as keywords). ``notes`` follow the tables: what a
    reader of the table must know about the filters.
    """
    again = data if callable(data) else None
    if again is not None:
        data = again()
    if fields is not None:
        wanted = _wanted(fields, keys)
        as_json = True
        if isinstance(data, dict):
            data = {k: data[k] for k in wanted}
        else:
            data = ({k: item[k] for k in wanted} for item in data)
    if as_json:
        if isinstance(data, dict):
            sys.stdout.write(render.to_json(data))
        else:
            render.write_json_array(data, sys.stdout.write)
        return
    if not isinstance(data, dict | list):
        # Peek, rather than list, so that a long result is never held as records.
        first = next(iter(data), _NOTHING)
        data = [] if first is _NOTHING else itertools.chain([first], data)
    if data == []:
        # What the filters left out still matters when nothing is left.
        typer.echo("\n".join([empty, *notes]), err=True)
        return
    from cislog import layout, tables

    rows: Any = data
    if again is not None:
        # The table reads its rows twice; its first reading goes on with the query
        # begun here to peek, and only the second runs it again.
        begun = [data]

        def read() -> Any:
            return begun.pop() if begun else again()

        rows = read

    blocks = getattr(tables, table)(rows, **(table_options or {}))
    layout.write([*blocks, *(layout.Text(tables.literal(note), "dim") for note in notes)])


def certain_note(period: Any) -> list[str]:
    """What a table must say when --certain may have left possible matches out."""
    if period.certain and period.bounded:
        return [
            "Only what certainly falls in the asked dates is shown (--certain); "
            "what only may is left out."
        ]
    return []
