"""Run each speed target of cislog side by side with its anchor and print a table.

    python bench/run.py [--events 100000] [--documents 5000] [--repeat 5] [--dir DIR]

Ratios are measured in one run, so that the machine's noise cancels: start-up
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


def seconds(command: Sequence[str], repeat: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of ``repeat`` runs, after one untimed run."""
    runs = []
    for attempt in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        if attempt:
            runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def once(command: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


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

    hello = seconds([PYTHON, str(HERE / "hello.py")], args.repeat)
    for label, command in (
        ("start-up: timeline --json", [*CISLOG, "timeline", "--json"]),
        ("start-up: org cis --bodies --json", [*CISLOG, "org", "cis", "--bodies", "--json"]),
    ):
        rows.append((label, seconds(command, args.repeat), hello, 1.2, None))

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
        ours = seconds(command, args.repeat)
        anchor = seconds(["jq", jq_filter, export], args.repeat)
        rows.append((label, ours, anchor, 0.25, None))

    tomllib_all = (
        "import glob, sys, tomllib;"
        "[tomllib.load(open(f, 'rb')) for f in sorted(glob.glob(sys.argv[1] + '/*.toml'))]"
    )
    anchor = seconds([PYTHON, "-c", tomllib_all, str(data)], max(1, args.repeat // 2))
    colds = []
    for attempt in range(max(1, args.repeat // 2)):
        target = sorted(data.glob("events-*.toml"))[attempt % 3]
        with target.open("a", encoding="utf-8") as stream:
            stream.write(f"# touched by the benchmark {time.time_ns()}\n")
        colds.append(once(queries[0][1]))
    rows.append(("cold: first query after a change", statistics.median(colds), anchor, 1.0, None))

    memory = peak_megabytes([*big, "timeline", "--json"])
    rows.append(("peak memory: full timeline --json (MB)", memory, 300.0, 1.0, memory))

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
