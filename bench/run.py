"""Run each speed target of cislog side by side with its anchor and print a table.

    python bench/run.py [--events 100000] [--documents 5000] [--repeat 5] [--dir DIR]

Ratios are measured in one run, each command alternating with its anchor round by
round, so that the machine's noise falls on both: start-up
against a one-command Typer app, warm queries against jq over the same records
in one JSON file, the first query after a file changed against bare tomllib
parsing every file. Needs jq on PATH. The dataset is generated (bench/generate.py)
unless --dir names one generated before.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable
# The console script users run, beside this Python; `python -m cislog` when there is none.
_SCRIPT = Path(PYTHON).parent / "cislog"
CISLOG = [str(_SCRIPT)] if _SCRIPT.is_file() else [PYTHON, "-m", "cislog"]


def compile_bytecode() -> None:
    """Compile cislog's modules, as ``pip install`` does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile its source on every run."""
    subprocess.run(
        [PYTHON, "-c", "import compileall, cislog, pathlib; "
         "compileall.compile_dir(pathlib.Path(cislog.__file__).parent, quiet=1)"],
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )  # fmt: skip


def run(command: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def side_by_side(commands: Sequence[Sequence[str]], repeat: int) -> list[float]:
    """The median wall time of each command over ``repeat`` rounds, after one untimed
    round. Each round runs every command once in turn, so that a change in the
    machine's load falls on all of them alike rather than on whichever ran then."""
    runs: list[list[float]] = [[] for _ in commands]
    for attempt in range(repeat + 1):
        for times, command in zip(runs, commands, strict=True):
            elapsed = run(command)
            if attempt:
                times.append(elapsed)
    return [statistics.median(times) for times in runs]


def peak_megabytes(command: Sequence[str]) -> float:
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return int(out.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if shutil.which("jq") is None:
        sys.exit("jq is not on PATH: install it to run the benchmark")

    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="cislog-bench-"))
    data = args.dir or work / "data"
    if args.dir is None:
        print(
            f"generating {args.events} events and {args.documents} documents ...", file=sys.stderr
        )
        generate(data, args.events, args.documents)
    export = f"{data}.json"
    rows: list[tuple[str, float, float, float, float | None]] = []

    # Start-up runs are short and cheap: three times the rounds, for a steadier median.
    hello, timeline, bodies = side_by_side(
        [
            [PYTHON, str(HERE / "hello.py")],
            [*CISLOG, "timeline", "--json"],
            [*CISLOG, "org", "cis", "--bodies", "--json"],
        ],
        args.repeat * 3,
    )
    rows.append(("start-up: timeline --json", timeline, hello, 1.2, None))
    rows.append(("start-up: org cis --bodies --json", bodies, hello, 1.2, None))

    big = [*CISLOG, "--data", str(data)]
    in_range = '(.date[0:7] >= "2001-01" and .date[0:7] <= "2001-03") or .date == "2001"'
    words = (
        '((.title + " " + (.summary // "")) | ascii_downcase) as $t'
        ' | ($t | contains("railway")) and ($t | contains("pipeline"))'
    )
    queries = [
        ("warm: date range", [*big, "timeline", "--from", "2001-01", "--to", "2001-03", "--json"],
         f"[(.events[], .documents[]) | select({in_range})]"),
        ("warm: text search", [*big, "timeline", "--search", "railway pipeline", "--json"],
         f"[(.events[], .documents[]) | select({words})]"),
        ("warm: signatures by country", [*big, "signed", "--country", "kz", "--json"],
         '[.documents[] as $d | $d.signatories[] | select(.country == "kz") '
         "| {document: $d.id, title: $d.title, date: $d.date, country, status, sources}]"),
    ]  # fmt: skip
    for label, command, jq_filter in queries:
        ours, anchor = side_by_side([command, ["jq", jq_filter, export]], args.repeat)
        rows.append((label, ours, anchor, 0.25, None))

    tomllib_all = (
        "import glob, sys, tomllib;"
        "[tomllib.load(open(f, 'rb')) for f in sorted(glob.glob(sys.argv[1] + '/*.toml'))]"
    )
    colds, parses = [], []
    for attempt in range(max(1, args.repeat // 2)):
        target = sorted(data.glob("events-*.toml"))[attempt % 3]
        with target.open("a", encoding="utf-8") as stream:
            stream.write(f"# touched by the benchmark {time.time_ns()}\n")
        colds.append(run(queries[0][1]))
        parses.append(run([PYTHON, "-c", tomllib_all, str(data)]))
    cold, parse = statistics.median(colds), statistics.median(parses)
    rows.append(("cold: first query after a change", cold, parse, 1.0, None))

    memory = peak_megabytes([*big, "timeline", "--json"])
    rows.append(("peak memory: full timeline --json (MB)", memory, 300.0, 1.0, memory))
    # A table must see every row before it knows its columns' widths; it keeps their
    # text, never their records, and is held to the same limit.
    memory = peak_megabytes([*big, "timeline"])
    rows.append(("peak memory: full timeline table (MB)", memory, 300.0, 1.0, memory))

    print(f"cislog benchmark: {args.events} events, {args.documents} documents, "
          f"median of {args.repeat}; Python {platform.python_version()}, "
          f"{os.cpu_count()} cores, {platform.machine()}")  # fmt: skip
    print()
    print("| target | cislog | anchor | ratio | limit | met |")
    print("|---|---:|---:|---:|---:|---|")
    for label, ours, anchor_value, limit, megabytes in rows:
        ratio = ours / anchor_value
        unit = "MB" if megabytes is not None else "s"
        print(f"| {label} | {ours:.3f} {unit} | {anchor_value:.3f} {unit} | {ratio:.2f}x | "
              f"{limit:.2f}x | {'yes' if ratio <= limit else 'no'} |")  # fmt: skip
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
