"""``cislog stats``: counts of a dataset as bar charts (and the charts of ``timeline``)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import typer

from cislog.cli.common import FieldsOption, JsonOption, emit, handles_errors, load_data

CHART_KEYS = ("year", "count", "uncertain")
STATS_KEYS = ("kinds", "orgs", "decades", "undated", "open_start", "sources")


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

    ``chart`` names the function of :mod:`cislog.charts` that draws the data;
    Rich is imported only when a chart is drawn.
    """
    if as_json or fields is not None:
        emit(data, as_json=True, fields=fields, keys=keys, table="", empty=empty)
        return
    if data == []:
        typer.echo(empty, err=True)
        return
    from cislog import charts, tables

    draw: Callable[[Any], Iterable[Any]] = getattr(charts, chart)
    console = tables.stdout_console()
    for part in draw(data):
        console.print(part)


@handles_errors
def stats(ctx: typer.Context, as_json: JsonOption = False, fields: FieldsOption = None) -> None:
    """Counts of the dataset as bar charts: records by kind, events and documents by
    organisation and by decade, records citing each source.

    An event or document counts in the decade of its earliest day (an interval
    where it starts); documents without a date and entries whose start no
    source gives (../1993-09-24) are counted apart, in no decade. With --json,
    the plain numbers.
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
