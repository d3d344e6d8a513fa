"""Run each speed target of cislog side by side with its anchor and print a table.

    python bench/run.py [--events 100000] [--documents 5000] [--repeat 5] [--dir DIR]
    python bench/run.py --million [--repeat 1] [--dir DIR]

Ratios are measured in one run, each command alternating with its anchor round by
round, so that the machine's noise falls on both: start-up against a one-command
Typer app; warm queries (date ranges, searches, one record, signatures) against jq
over the same records in one JSON file; the first query after a file changed
against bare tomllib parsing every file and that file; a build from nothing and
``validate`` against parsing every file; ``check`` against ``validate``; and the
peak memory of the commands and of a build against 300 MB. Before any timing,
each query is run once by cislog with its cache, once without it and once by jq,
and their answers compared: an anchor that computes something else would measure
nothing, so a difference stops the run. Needs jq on PATH. The dataset is
generated (bench/generate.py) unless --dir names one generated before; cislog's
cache goes to a scratch directory, removed at the end with a generated dataset.

With --million, the dataset has a million events and 50,000 documents, and the run
measures what is held at that size: a build from nothing in at most 1 GB (and
validate's memory beside it), and the build's time against parsing the files.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable
# The console script users run, beside this Python; `python -m cislog` when there is none.
_SCRIPT = Path(PYTHON).parent / "cislog"
CISLOG = [str(_SCRIPT)] if _SCRIPT.is_file() else [PYTHON, "-m", "cislog"]

# jq's reading of the generated dates, as cislog reads them (cislog.dates): the first
# and last day each may mean (its reach), a ? or ~ reaching one unit of its precision
# further, an open or unknown end (.., [D..], [..D]) reaching without bound. It
# covers every form bench/generate.py writes, not unspecified digits (199X) or sets
# of several members, which it never writes.
JQ_DATES = r"""
def bare: rtrimstr("?") | rtrimstr("~") | rtrimstr("%");
def pad2: tostring | if length == 1 then "0" + . else . end;
def shift_day($n): strptime("%Y-%m-%d") | mktime + $n * 86400 | strftime("%Y-%m-%d");
def add_months($n): ((.[0:4] | tonumber) * 12 + (.[5:7] | tonumber) - 1 + $n) as $m
  | "\($m / 12 | floor)-\($m % 12 + 1 | pad2)";
def first_day: if length == 4 then . + "-01-01" elif length == 7 then . + "-01" else . end;
def last_day: if length == 4 then . + "-12-31"
  elif length == 7 then add_months(1) + "-01" | shift_day(-1) else . end;
def day_reach: bare as $b
  | if $b == . then [($b | first_day), ($b | last_day)]
    elif ($b | length) == 4 then ($b | tonumber)
      | [(. - 1 | tostring) + "-01-01", (. + 1 | tostring) + "-12-31"]
    elif ($b | length) == 7
      then [($b | add_months(-1) | first_day), ($b | add_months(1) | last_day)]
    else [($b | shift_day(-1)), ($b | shift_day(1))] end;
def reach:
  if startswith("[") then .[1:-1]
    | if startswith("..") then [null, (.[2:] | day_reach[1])]
      elif endswith("..") then [(.[:-2] | day_reach[0]), null]
      else split("..") | [(.[0] | day_reach[0]), (.[1] | day_reach[1])] end
  elif contains("/") then split("/")
    | [(if .[0] == "" or .[0] == ".." then null else .[0] | day_reach[0] end),
       (if .[1] == "" or .[1] == ".." then null else .[1] | day_reach[1] end)]
  else day_reach end;
def in_range($from; $to): (.date | reach) as [$lo, $hi]
  | ($lo == null or $lo <= $to) and ($hi == null or $hi >= $from);
"""
# jq's reading of cislog's search: every string of a record but its id and sources
# holds each word at the start of a word, whatever its case. (cislog also folds
# diacritics; the benchmark's words are ASCII, and the answers are compared.) Each
# string is tried alone, which finds what joining them would, since no word spans
# two: jq 1.6's join and ascii_downcase are written in jq and would take most of
# its time.
JQ_WORDS = r"""
def texts: if type == "object"
    then to_entries[] | select(.key != "sources" and .key != "id") | .value | texts
  elif type == "array" then .[] | texts
  elif type == "string" then .
  else empty end;
def holds($words): [texts] as $texts
  | all($words[]; . as $word | any($texts[]; test("\\b" + $word; "i")));
"""
TIMELINE = "[(.events[], .documents[]) | select(.date != null and in_range($from; $to))]"
SEARCH_WORDS = ["railway", "pipeline"]


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


def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """The size and modification time of each of cislog's modules. cislog's cache is
    rebuilt whenever they change, so a row timed while someone edits the code may
    time a rebuild: such rows are marked."""
    import cislog

    package = Path(cislog.__file__).parent
    return tuple(
        (str(path.relative_to(package)), path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(package.rglob("*.py"))
    )


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


def json_of(command: Sequence[str]) -> Any:
    """What a command prints, read as JSON; its failure stops the benchmark."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)[:200]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    if not done.stdout.strip():
        sys.exit(f"{' '.join(command)[:200]} printed nothing")
    return json.loads(done.stdout)


def ids(entries: Any) -> list[str]:
    """The answer of a list of records: their ids."""
    return [str(entry["id"]) for entry in entries]


def signature_keys(rows: Any) -> list[str]:
    return [f"{row['document']} {row['country']}" for row in rows]


def record_keys(detail: Any) -> list[str]:
    """The answer of ``show``: the record, and each record that refers to it."""
    return [str(detail["id"]), *(f"{r['kind']} {r['id']}" for r in detail["referenced_by"])]


@dataclass(frozen=True)
class Query:
    """A query cislog answers and the jq program that answers it from the JSON export."""

    label: str
    command: list[str]
    jq: list[str]
    answer: Callable[[Any], list[str]]

    def same_answers(self) -> int:
        """How many answers both give, after checking they give the same ones, and
        that cislog gives the same JSON from the cache as from the files."""
        cached = json_of(self.command)
        position = self.command.index("--data")
        uncached = json_of([*self.command[:position], "--no-cache", *self.command[position:]])
        if cached != uncached:
            sys.exit(f"{self.label}: cislog answers otherwise with --no-cache")
        ours = Counter(self.answer(cached))
        theirs = Counter(self.answer(json_of(self.jq)))
        if ours != theirs:
            only_ours = sorted((ours - theirs).elements())[:5]
            only_jq = sorted((theirs - ours).elements())[:5]
            sys.exit(
                f"{self.label}: cislog gives {ours.total()} answers, jq {theirs.total()}; "
                f"only cislog: {only_ours}; only jq: {only_jq}"
            )
        return ours.total()


def most_referred_document(export: dict[str, list[dict[str, Any]]]) -> str:
    """The document that most records name (the first by id among equals): what ``show``
    is asked for, so that its list of referrers is as long as the data makes one."""
    named: Counter[str] = Counter()
    named.update(d for event in export["events"] for d in event.get("documents", []))
    documents = {document["id"] for document in export["documents"]}
    named.update(s for fact in export["facts"] for s in fact["subjects"] if s in documents)
    return min(named, key=lambda document: (-named[document], document))


def queries(big: list[str], export_path: str, shown: str) -> list[Query]:
    def jq(program: str, *args: str) -> list[str]:
        return ["jq", *args, program, export_path]

    quarter = ["--arg", "from", "2001-01-01", "--arg", "to", "2001-03-31"]
    years = ["--arg", "from", "2001-01-01", "--arg", "to", "2005-12-31"]
    words = ["--argjson", "words", json.dumps(SEARCH_WORDS)]
    phrase = " ".join(SEARCH_WORDS)
    return [
        Query("warm: date range (a quarter)",
              [*big, "timeline", "--from", "2001-01", "--to", "2001-03", "--json"],
              jq(JQ_DATES + TIMELINE, *quarter), ids),
        Query("warm: date range (five years)",
              [*big, "timeline", "--from", "2001", "--to", "2005", "--json"],
              jq(JQ_DATES + TIMELINE, *years), ids),
        Query("warm: timeline --search",
              [*big, "timeline", "--search", phrase, "--json"],
              jq(JQ_WORDS + "[(.events[], .documents[]) "
                 "| select(.date != null and holds($words))]", *words), ids),
        Query("warm: search (two words)",
              [*big, "search", phrase, "--json"],
              jq(JQ_WORDS + "[.[][] | select(holds($words)) "
                 "| {id, title: (.title // .name // .text)}]", *words), ids),
        Query("warm: show ID",
              [*big, "show", shown, "--json"],
              jq("(.documents[] | select(.id == $id)) + {referenced_by: ["
                 "(.events[] | select(any(.documents[]?; . == $id))"
                 ' | {kind: "event", id, title, field: "documents"}),'
                 "(.facts[] | select(any(.subjects[]?; . == $id))"
                 ' | {kind: "fact", id, title: .text, field: "subjects"})]}',
                 "--arg", "id", shown), record_keys),
        Query("warm: signatures by country",
              [*big, "signed", "--country", "kz", "--json"],
              jq('[.documents[] as $d | $d.signatories[] | select(.country == "kz") '
                 "| {document: $d.id, title: $d.title, date: $d.date, country, status, "
                 "sources}]"), signature_keys),
    ]  # fmt: skip


def findings(data: Path) -> str:
    """What ``validate`` and ``check`` say of the dataset; a problem or an error stops
    the benchmark, since timing them on invalid data would time something else."""
    problems = json_of([*CISLOG, "validate", str(data), "--json"])
    if problems:
        sys.exit(f"validate reports {len(problems)} problems, the first: {problems[0]}")
    found = Counter(f["severity"] for f in json_of([*CISLOG, "check", str(data), "--json"]))
    if found["error"]:
        sys.exit(f"check reports {found['error']} errors in the generated data")
    return f"validate: no problem; check: {found['error']} errors, {found['warning']} warnings"


class Table:
    """The rows measured so far, each marked when cislog's code changed while it was."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float, str]] = []
        self._stamp = code_stamp()
        self.moved = False

    def add(self, label: str, ours: float, anchor: float, limit: float, unit: str = "s") -> None:
        stamp = code_stamp()
        if stamp != self._stamp:
            label, self._stamp, self.moved = f"{label} (*)", stamp, True
        self.rows.append((label, ours, anchor, limit, unit))

    def print(self) -> None:
        print("| target | cislog | anchor | ratio | limit | met |")
        print("|---|---:|---:|---:|---:|---|")
        for label, ours, anchor, limit, unit in self.rows:
            ratio = ours / anchor
            print(f"| {label} | {ours:.3f} {unit} | {anchor:.3f} {unit} | {ratio:.2f}x | "
                  f"{limit:.2f}x | {'yes' if ratio <= limit else 'no'} |")  # fmt: skip
        if self.moved:
            print()
            print("(*) cislog's code changed while this row was measured, and its cache is "
                  "rebuilt on any change: the row may time a rebuild.")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="a dataset bench/generate.py wrote before")
    parser.add_argument(
        "--million",
        action="store_true",
        help="1,000,000 events and 50,000 documents, and only what is held at that size: "
        "the peak memory of a build from nothing (1 GB at most) and of validate, and the "
        "build's time",
    )
    args = parser.parse_args()
    if args.million:
        args.events, args.documents = 1_000_000, 50_000
    if shutil.which("jq") is None:
        sys.exit("jq is not on PATH: install it to run the benchmark")

    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="cislog-bench-"))
    # A cache of its own, so that the run neither uses nor leaves one in the user's.
    os.environ["CISLOG_CACHE_DIR"] = str(work / "cache")
    try:
        data: Path = args.dir or work / "data"
        generated = ""
        if args.dir is None:
            print(f"generating {args.events} events, {args.documents} documents ...",
                  file=sys.stderr)  # fmt: skip
            started = time.perf_counter()
            generate(data, args.events, args.documents)
            generated = f"generated in {time.perf_counter() - started:.1f} s; "
        if args.million:
            print(f"{generated}{at_scale(data, args.repeat)}")
            return
        export = json.loads(Path(f"{data}.json").read_text("utf-8"))
        said = findings(data)
        shown = most_referred_document(export)
        table = Table()
        measure_start_up(table, args.repeat)
        measure_queries(table, data, shown, args.repeat)
        measure_reading(table, data, args.repeat)
        measure_memory(table, data, shown)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    records = ", ".join(f"{len(found):,} {kind}" for kind, found in export.items())
    machine = f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
    print(f"cislog benchmark: {records}; median of {args.repeat}; {machine}")
    print(f"{generated}{said}; show asks for {shown}")
    print()
    table.print()


def measure_start_up(table: Table, repeat: int) -> None:
    # Start-up runs are short and cheap: three times the rounds, for a steadier median.
    hello, timeline, bodies = side_by_side(
        [
            [PYTHON, str(HERE / "hello.py")],
            [*CISLOG, "timeline", "--json"],
            [*CISLOG, "org", "cis", "--bodies", "--json"],
        ],
        repeat * 3,
    )
    table.add("start-up: timeline --json", timeline, hello, 1.2)
    table.add("start-up: org cis --bodies --json", bodies, hello, 1.2)


def measure_queries(table: Table, data: Path, shown: str, repeat: int) -> None:
    """Each warm query against jq, once both are known to give the same answers."""
    for query in queries([*CISLOG, "--data", str(data)], f"{data}.json", shown):
        answers = query.same_answers()
        print(f"{query.label}: {answers} answers, the same from jq", file=sys.stderr)
        ours, anchor = side_by_side([query.command, query.jq], repeat)
        table.add(f"{query.label}: {answers:,} answers", ours, anchor, 0.25)


def _parse(*files: str) -> list[str]:
    """Bare tomllib parsing the files (or, given a directory, all its data files)."""
    program = (
        "import glob, os, sys, tomllib;"
        "files = [g for a in sys.argv[1:] for g in "
        "(sorted(glob.glob(a + '/*.toml')) if os.path.isdir(a) else [a])];"
        "[tomllib.load(open(f, 'rb')) for f in files]"
    )
    return [PYTHON, "-c", program, *files]


def _touch(path: Path) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"# touched by the benchmark {time.time_ns()}\n")


def _drop_cache() -> None:
    for built in Path(os.environ["CISLOG_CACHE_DIR"]).glob("*"):
        built.unlink()


def measure_reading(table: Table, data: Path, repeat: int) -> None:
    """Reading the files: the first query after one changed (against parsing all files,
    and against parsing that file), a build from nothing, validate, and check."""
    parse_all = _parse(str(data))
    query = [*CISLOG, "--data", str(data), "timeline", "--from", "2001-01", "--to", "2001-03"]
    touched = sorted(data.glob("events-*.toml"))
    refreshes, parses, parses_one = [], [], []
    for attempt in range(max(1, repeat // 2)):
        changed = touched[attempt % len(touched)]
        _touch(changed)
        refreshes.append(run([*query, "--json"]))
        parses.append(run(parse_all))
        parses_one.append(run(_parse(str(changed))))
    refresh = statistics.median(refreshes)
    table.add("cold: first query after a change", refresh, statistics.median(parses), 1.0)
    table.add("refresh after a one-file change, against parsing that file", refresh,
              statistics.median(parses_one), 1.5)  # fmt: skip

    builds, parses = [], []
    for _ in range(max(1, repeat // 2)):
        _drop_cache()
        builds.append(run([*query, "--json"]))
        parses.append(run(parse_all))
    table.add("cold full build (no cache), against tomllib parsing", statistics.median(builds),
              statistics.median(parses), 1.0)  # fmt: skip

    validate = [*CISLOG, "validate", str(data)]
    ours, anchor = side_by_side([validate, parse_all], repeat)
    table.add("validate, against tomllib parsing", ours, anchor, 1.0)
    checked, validated = side_by_side([[*CISLOG, "check", str(data)], validate], repeat)
    table.add("check, against validate", checked, validated, 1.5)


def measure_memory(table: Table, data: Path, shown: str) -> None:
    """The peak memory of each command a user runs most, and of a build from nothing,
    each held to 300 MB at 100,000 events."""
    big = [*CISLOG, "--data", str(data)]
    # Each after a run that refreshes the cache, if a change left it to refresh: the
    # rows are about answering, not rebuilding.
    run([*big, "timeline", "--json"])
    commands = {
        "full timeline --json": [*big, "timeline", "--json"],
        # A table keeps no row: it reads its query twice, to measure and to lay out.
        "full timeline table": [*big, "timeline"],
        "search (two words)": [*big, "search", " ".join(SEARCH_WORDS), "--json"],
        "show ID": [*big, "show", shown, "--json"],
        "validate": [*CISLOG, "validate", str(data)],
        "check": [*CISLOG, "check", str(data)],
    }
    for label, command in commands.items():
        table.add(f"peak memory: {label}", peak_megabytes(command), 300.0, 1.0, "MB")
    _drop_cache()
    table.add("peak memory: cold full build", peak_megabytes([*big, "timeline", "--json"]),
              300.0, 1.0, "MB")  # fmt: skip


def at_scale(data: Path, repeat: int) -> str:
    """The rows held at a million events, as a table: each command is run once, or
    ``repeat`` times for the build's time (a median); the JSON export is not read,
    and check, which holds the whole dataset, is not run."""
    problems = json_of([*CISLOG, "validate", str(data), "--json"])
    if problems:
        sys.exit(f"validate reports {len(problems)} problems, the first: {problems[0]}")
    table = Table()
    big = [*CISLOG, "--data", str(data)]
    _drop_cache()
    table.add("peak memory: cold full build", peak_megabytes([*big, "timeline", "--json"]),
              1000.0, 1.0, "MB")  # fmt: skip
    table.add("peak memory: validate", peak_megabytes([*CISLOG, "validate", str(data)]),
              1000.0, 1.0, "MB")  # fmt: skip
    builds, parses = [], []
    for _ in range(repeat):
        _drop_cache()
        builds.append(run([*big, "timeline", "--from", "2001-01", "--to", "2001-03", "--json"]))
        parses.append(run(_parse(str(data))))
    table.add("cold full build (no cache), against tomllib parsing", statistics.median(builds),
              statistics.median(parses), 1.0)  # fmt: skip
    files = sorted(data.glob("*.toml"))
    size = sum(path.stat().st_size for path in files) / 1e6
    machine = f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
    print(f"cislog benchmark at scale: {len(files)} files, {size:,.0f} MB of TOML; {machine}")
    print()
    table.print()
    return "validate: no problem"


if __name__ == "__main__":
    main()
