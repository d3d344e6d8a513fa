"""Write a synthetic dataset of N events and M documents for benchmarks.

    python bench/generate.py OUT_DIR [--events 100000] [--documents 5000]

The dataset is valid under ``cislog validate``: it reuses the bundled sources
and organisations, adds countries so that every document can list 12
signatories, and spreads events over files of 10,000. It also writes
OUT_DIR.json, the same records as one JSON file, for the jq anchor of the
benchmark. The text is made up; nothing here is a fact.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

import tomli_w

from cislog.datadir import bundled_data_dir

WORDS = [
    "council", "heads", "state", "government", "agreement", "cooperation", "security",
    "summit", "meeting", "transport", "corridor", "energy", "trade", "customs", "border",
    "culture", "youth", "science", "health", "migration", "finance", "investment",
    "railway", "pipeline", "declaration", "programme", "treaty", "protocol", "committee",
    "ministers", "defence", "humanitarian", "economic", "forum", "capital",
]  # fmt: skip
EXTRA_COUNTRIES = {
    "kg": "Kyrgyzstan", "tj": "Tajikistan", "uz": "Uzbekistan", "tm": "Turkmenistan",
    "lv": "Latvia", "lt": "Lithuania", "tr": "Türkiye", "ir": "Iran", "cn": "China",
}  # fmt: skip
EVENT_KINDS = ["meeting", "summit", "speech", "conference", "expert_meeting", "other"]
STATUSES = ["signed", "signed", "signed", "signed_with_special_opinion", "not_signed"]
SOURCES = [
    "azerbaijan-cis-page", "pages-from-history", "azerbaijan-cis-summit-op-ed",
    "no-internal-threats", "cica-azerbaijan-page",
]  # fmt: skip
PER_FILE = 10_000


def _date(rng: random.Random) -> str:
    day = dt.date(1991, 12, 8) + dt.timedelta(days=rng.randrange(34 * 365))
    precision = rng.random()
    return (
        day.isoformat()
        if precision < 0.8
        else f"{day:%Y-%m}"
        if precision < 0.95
        else str(day.year)
    )


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def generate(out: Path, events: int, documents: int, seed: int = 1) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    bundled = bundled_data_dir()
    for name in ("sources.toml", "orgs.toml", "countries.toml"):
        shutil.copy(bundled / name, out / name)
    countries = [
        {"id": code, "name": name, "sources": ["pages-from-history"]}
        for code, name in EXTRA_COUNTRIES.items()
    ]
    (out / "more-countries.toml").write_text(tomli_w.dumps({"country": countries}), "utf-8")
    codes = ["az", "by", "ru", "ua", "am", "kz", "ge", "md", "ee", *EXTRA_COUNTRIES]
    export: dict[str, list[dict]] = {"events": [], "documents": []}

    for start in range(0, events, PER_FILE):
        batch = []
        for n in range(start, min(start + PER_FILE, events)):
            event = {
                "id": f"event-{n:06d}",
                "date": _date(rng),
                "title": _words(rng, 6).capitalize(),
                "kind": rng.choice(EVENT_KINDS),
                "summary": _words(rng, 25).capitalize() + ".",
                "orgs": rng.sample(["cis", "cica"], rng.randint(1, 2)),
                "countries": rng.sample(codes, rng.randint(1, 4)),
                "tags": rng.sample(WORDS, 2),
                "sources": rng.sample(SOURCES, rng.randint(1, 2)),
            }
            batch.append(event)
        (out / f"events-{start // PER_FILE:03d}.toml").write_text(
            tomli_w.dumps({"event": batch}), "utf-8"
        )
        export["events"].extend(batch)

    docs = []
    for n in range(documents):
        signatories = [
            {"country": code, "status": rng.choice(STATUSES), "sources": [rng.choice(SOURCES)]}
            for code in rng.sample(codes, 12)
        ]
        docs.append(
            {
                "id": f"document-{n:05d}",
                "title": ("Agreement on " + _words(rng, 5)).capitalize(),
                "kind": rng.choice(["agreement", "decision", "programme", "declaration"]),
                "date": _date(rng),
                "org": rng.choice(["cis", "cica"]),
                "sources": [rng.choice(SOURCES)],
                "signatories": signatories,
            }
        )
    (out / "documents.toml").write_text(tomli_w.dumps({"document": docs}), "utf-8")
    export["documents"] = docs
    Path(f"{out}.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    return export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.events, args.documents, args.seed)
    print(f"wrote {args.events} events and {args.documents} documents to {args.out}")


if __name__ == "__main__":
    main()
