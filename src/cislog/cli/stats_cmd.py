"""``cislog stats`` and ``cislog on-this-day``: counts and anniversaries of a dataset."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any

import typer

from cislog.cli.common import FieldsOption, JsonOption, emit, handles_errors, load_data

CHART_KEYS = ("year", "count", "uncertain")
STATS_KEYS = ("kinds", "orgs", "decades", "undated", "open_start", "no_year", "sources")


def today() -> dt.date:
    """The day ``on-this-day`` starts from: a function of its own so that tests can set it."""
    return dt.date.today()


def emit_chart(
    data: Any,
    *,
    as_json: bool,
    fields: str | None,
    keys: Sequence[str],
    chart: str,
    empty: str,
) -> None:
    """Plain numbers as JSON (exactly as :func:`emit` prints them), else bar charts.

    ``chart`` names the function of :mod:`cislog.charts` that draws the data.
    """
    if as_json or fields is not None:
        emit(data, as_json=True, fields=fields, keys=keys, table="", empty=empty)
        return
    if data == []:
        typer.echo(empty, err=True)
        return
    from cislog import charts, layout

    draw: Callable[[Any], Iterable[Any]] = getattr(charts, chart)
    layout.write(draw(data))


@handles_errors
def stats(ctx: typer.Context, as_json: JsonOption = False, fields: FieldsOption = None) -> None:
    """Counts of the dataset as bar charts: records by kind, events and documents by
    organisation and by decade, records citing each source.

    An event or document counts in the decade of its earliest day (an interval
    where it starts); documents without a date, entries with no earliest day
    ([..1993-09-24], on or before) and entries whose year no source gives
    (XXXX-10-11) are counted apart, in no decade. With --json, the plain numbers.
    """
    from cislog.stats import dataset_stats

    emit_chart(
        dataset_stats(load_data(ctx)),
        as_json=as_json,
        fields=fields,
        keys=STATS_KEYS,
        chart="stats",
        empty="the dataset is empty",
    )


def _day_of_year(value: str | None) -> tuple[int, int]:
    from cislog.stats import day_of_year

    if value is None:
        now = today()
        return now.month, now.day
    try:
        return day_of_year(value)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="MM-DD") from None


@handles_errors
def on_this_day(
    ctx: typer.Context,
    day: Annotated[
        str | None,
        typer.Argument(metavar="MM-DD", help="Month and day (default: today), such as 09-24."),
    ] = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Events and dated documents that happened on this month and day in earlier years.

    Only dates whose month and day are given can match (an interval by its
    first day); a year or a month alone never does. A date whose year no
    source gives (XXXX-10-11) matches, with "years_ago" null. A date marked
    uncertain (?) or approximate (~) matches and keeps its mark in the Date
    column; in JSON it has "uncertain": true. Earlier years are those before
    the current one. JSON entries are the timeline's, with "uncertain" and
    "years_ago".
    """
    from cislog.query import TIMELINE_KEYS
    from cislog.stats import on_this_day as find

    month, day_number = _day_of_year(day)
    dataset = load_data(ctx)
    emit(
        find(dataset, month, day_number, today()),
        as_json=as_json,
        fields=fields,
        keys=(*TIMELINE_KEYS, "uncertain", "years_ago"),
        table="timeline",
        empty=f"nothing happened on {month:02d}-{day_number:02d} in earlier years",
    )
