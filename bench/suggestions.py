"""Time ``validate`` on a dataset whose every event names a document that does not exist.

    python bench/suggestions.py [--events 100000] [--documents 5000] [--dir DIR]

The dataset is bench/generate.py's, with each event given a reference to a document
id one transposition off a real one ("ccs-agreemetn-on-trade-00042"), each a
different typo: the case where every problem asks for a "did you mean" against every
document id. Prints the number of problems, how many carry a suggestion, and the
seconds validation took.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def typo(document_id: str) -> str:
    """``document_id`` one transposition off: the last two letters of its first word of
    four letters or more swapped (``ccs-agreemetn-on-trade-00042``)."""
    words = document_id.split("-")
    for index, word in enumerate(words):
        if len(word) >= 4 and word.isalpha() and word[-1] != word[-2]:
            words[index] = word[:-2] + word[-1] + word[-2]
            return "-".join(words)
    return document_id[::-1]


def break_references(directory: Path, documents: list[str]) -> None:
    """Give every event a reference to a misspelt document id."""
    for path in sorted(directory.glob("events-*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        for n, event in enumerate(data["event"]):
            event["documents"] = [typo(documents[n % len(documents)])]
        path.write_text(tomli_w.dumps(data), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--dir", type=Path, help="a directory written by this script before")
    args = parser.parse_args()

    from cislog.pipeline import validate

    with tempfile.TemporaryDirectory() as scratch:
        directory = args.dir or Path(scratch) / "data"
        if args.dir is None or not args.dir.exists():
            export = generate(directory, args.events, args.documents)
            break_references(directory, [document["id"] for document in export["documents"]])
        started = time.perf_counter()
        problems = validate(directory)
        took = time.perf_counter() - started
    hinted = sum("did you mean" in p.message for p in problems)
    print(f"{len(problems)} problems, {hinted} with a suggestion, validated in {took:.2f} s")


if __name__ == "__main__":
    main()
