"""Write a synthetic dataset shaped like the bundled one, for benchmarks.

    python bench/generate.py OUT_DIR [--events 100000] [--documents 5000] [--seed 1]

The records use every field the bundled records use and refer to each other as
they do: events name orgs, bodies, countries, people and documents; documents
carry a dozen signatories, each citing sources and sometimes with a note; people
hold chains of offices; orgs declare counts and memberships; facts name their
subjects; countries, orgs, bodies and people have aliases in other spellings and
scripts. Dates take the bundled data's forms: days, months, years, uncertain (?)
and approximate (~) dates, intervals, on or before ([..D]) and on or after ([D..]),
and terms still running (..). The numbers of sources, people and facts follow the
number of events; countries, orgs and bodies are fixed.

The dataset passes ``cislog validate``, and ``cislog check`` finds no error in it:
the generator keeps what the rules compare consistent (dates after foundings,
signatories members when they sign, single holders one at a time, inferred dates
explained). It also writes OUT_DIR.json, every record as read from the files, by
kind ("events", "documents", "sources", "countries", "orgs", "bodies", "people",
"facts"), for the benchmark's jq anchors. The text is made up (see synth/text.py);
nothing here is a fact. The same seed writes the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Run as a script, imported by run.py, or loaded by the tests with runpy: each way
# finds the synth package beside this file.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from synth import dated, institutions, people  # noqa: E402
from synth.world import Record, World  # noqa: E402

Export = dict[str, list[Record]]


PER_FILE = 10_000  # events a file
HEADER = "# Written by bench/generate.py: synthetic records for benchmarks; nothing here is a fact."


def _value(value: Any) -> str:
    """A TOML value: JSON's string escapes are TOML's too."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _lines(kind: str, records: Sequence[Record]) -> Iterator[str]:
    """Records as the bundled files lay them out: ``[[kind]]``, one key a line, arrays
    on one line, and each entry of a nested list as its own ``[[kind.key]]`` table."""
    for record in records:
        yield f"\n[[{kind}]]"
        nested = []
        for key, value in record.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                nested.append((key, value))
            else:
                yield f"{key} = {_value(value)}"
        for key, entries in nested:
            for entry in entries:
                yield f"\n[[{kind}.{key}]]"
                for name, value in entry.items():
                    yield f"{name} = {_value(value)}"


def _write(path: Path, *tables: tuple[str, Sequence[Record]]) -> None:
    lines = [HEADER]
    for kind, records in tables:
        lines.extend(_lines(kind, records))
    path.write_text("\n".join(lines) + "\n", "utf-8")


def generate(out: Path, events: int, documents: int, seed: int = 1) -> Export:
    """Write the dataset to ``out`` and its records to ``out``.json; return the records."""
    rng = random.Random(seed)
    world = World(rng)
    institutions.make_sources(world, max(30, events // 400))
    institutions.make_countries(world)
    institutions.make_orgs(world)
    people.make_people(world, max(10, events // 200))
    dated.make_documents(world, documents)
    event_records = dated.make_events(world, events)
    dated.make_facts(world, max(10, events // 20))
    persons = people.finish_people(world)

    out.mkdir(parents=True, exist_ok=True)
    _write(out / "sources.toml", ("source", world.sources))
    _write(out / "countries.toml", ("country", world.countries))
    _write(out / "orgs.toml", ("org", world.orgs), ("body", world.bodies))
    _write(out / "people.toml", ("person", persons))
    _write(out / "documents.toml", ("document", world.documents))
    _write(out / "facts.toml", ("fact", world.facts))
    for start in range(0, len(event_records), PER_FILE):
        batch = event_records[start : start + PER_FILE]
        _write(out / f"events-{start // PER_FILE:03d}.toml", ("event", batch))
    export: Export = {
        "events": event_records,
        "documents": world.documents,
        "sources": world.sources,
        "countries": world.countries,
        "orgs": world.orgs,
        "bodies": world.bodies,
        "people": persons,
        "facts": world.facts,
    }
    Path(f"{out}.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    return export


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    export = generate(args.out, args.events, args.documents, args.seed)
    took = time.perf_counter() - started
    counts = ", ".join(f"{len(records)} {kind}" for kind, records in export.items())
    print(f"wrote {counts} to {args.out} in {took:.1f} s")


if __name__ == "__main__":
    main()
