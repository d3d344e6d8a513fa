"""What every part of the generator shares: the fixed lists, the date helpers, and the
:class:`World` of records made so far, with the indexes that keep new records
consistent with the old (members by org, heads of state by day, citable sources).
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from cislog import dates
from synth import text

Record = dict[str, Any]
Reach = tuple[dt.date | None, dt.date | None]

# Code, ISO alpha-3, English name, capital (ASCII: places are written as a source
# in English would).
COUNTRIES = [
    ("az", "AZE", "Azerbaijan", "Baku"), ("am", "ARM", "Armenia", "Yerevan"),
    ("by", "BLR", "Belarus", "Minsk"), ("ru", "RUS", "Russia", "Moscow"),
    ("ua", "UKR", "Ukraine", "Kyiv"), ("kz", "KAZ", "Kazakhstan", "Astana"),
    ("kg", "KGZ", "Kyrgyzstan", "Bishkek"), ("tj", "TJK", "Tajikistan", "Dushanbe"),
    ("uz", "UZB", "Uzbekistan", "Tashkent"), ("tm", "TKM", "Turkmenistan", "Ashgabat"),
    ("ge", "GEO", "Georgia", "Tbilisi"), ("md", "MDA", "Moldova", "Chisinau"),
    ("ee", "EST", "Estonia", "Tallinn"), ("lv", "LVA", "Latvia", "Riga"),
    ("lt", "LTU", "Lithuania", "Vilnius"), ("tr", "TUR", "Turkey", "Ankara"),
    ("ir", "IRN", "Iran", "Tehran"), ("cn", "CHN", "China", "Beijing"),
    ("mn", "MNG", "Mongolia", "Ulaanbaatar"), ("in", "IND", "India", "New Delhi"),
    ("pk", "PAK", "Pakistan", "Islamabad"), ("af", "AFG", "Afghanistan", "Kabul"),
    ("de", "DEU", "Germany", "Berlin"), ("fr", "FRA", "France", "Paris"),
    ("pl", "POL", "Poland", "Warsaw"), ("ro", "ROU", "Romania", "Bucharest"),
    ("bg", "BGR", "Bulgaria", "Sofia"), ("gr", "GRC", "Greece", "Athens"),
    ("hu", "HUN", "Hungary", "Budapest"), ("cz", "CZE", "Czechia", "Prague"),
    ("sk", "SVK", "Slovakia", "Bratislava"), ("fi", "FIN", "Finland", "Helsinki"),
    ("se", "SWE", "Sweden", "Stockholm"), ("no", "NOR", "Norway", "Oslo"),
    ("it", "ITA", "Italy", "Rome"), ("es", "ESP", "Spain", "Madrid"),
    ("pt", "PRT", "Portugal", "Lisbon"), ("at", "AUT", "Austria", "Vienna"),
    ("ch", "CHE", "Switzerland", "Bern"), ("nl", "NLD", "Netherlands", "Amsterdam"),
    ("be", "BEL", "Belgium", "Brussels"), ("rs", "SRB", "Serbia", "Belgrade"),
    ("hr", "HRV", "Croatia", "Zagreb"), ("si", "SVN", "Slovenia", "Ljubljana"),
    ("al", "ALB", "Albania", "Tirana"), ("mk", "MKD", "North Macedonia", "Skopje"),
    ("ba", "BIH", "Bosnia and Herzegovina", "Sarajevo"), ("me", "MNE", "Montenegro",
    "Podgorica"), ("cy", "CYP", "Cyprus", "Nicosia"), ("jo", "JOR", "Jordan", "Amman"),
    ("eg", "EGY", "Egypt", "Cairo"), ("sa", "SAU", "Saudi Arabia", "Riyadh"),
    ("ae", "ARE", "United Arab Emirates", "Abu Dhabi"), ("qa", "QAT", "Qatar", "Doha"),
    ("kw", "KWT", "Kuwait", "Kuwait City"), ("iq", "IRQ", "Iraq", "Baghdad"),
    ("jp", "JPN", "Japan", "Tokyo"), ("kr", "KOR", "South Korea", "Seoul"),
    ("vn", "VNM", "Vietnam", "Hanoi"), ("th", "THA", "Thailand", "Bangkok"),
    ("my", "MYS", "Malaysia", "Kuala Lumpur"), ("id", "IDN", "Indonesia", "Jakarta"),
    ("bd", "BGD", "Bangladesh", "Dhaka"), ("lk", "LKA", "Sri Lanka", "Colombo"),
    ("np", "NPL", "Nepal", "Kathmandu"),
]  # fmt: skip
ORGS = 12
FIRST_DAY, LAST_DAY = dt.date(1992, 1, 1), dt.date(2025, 12, 31)
RUNNING = dt.date(2025, 6, 30)  # a term that reaches this day is still running ("..")

EVENT_KINDS = {
    "meeting": 30, "summit": 8, "speech": 8, "reception": 6, "initiative": 4,
    "conference": 12, "expert_meeting": 12, "appointment": 4, "reorganisation": 3,
    "transfer_of_power": 3, "other": 10,
}  # fmt: skip
DOCUMENT_KINDS = {
    "agreement": 30, "decision": 25, "programme": 10, "declaration": 8, "concept": 5,
    "charter": 1, "act": 2, "rules": 3, "treaty": 4, "statement": 8, "other": 4,
}  # fmt: skip
FACT_KINDS = {
    "description": 15, "position": 20, "official_position": 10, "assessment": 15,
    "statement": 10, "figure": 10, "relation": 10, "participation": 7, "designation": 3,
}  # fmt: skip
STATUSES = {
    "signed": 70, "signed_with_special_opinion": 8, "signed_with_reservation": 7,
    "not_signed": 15,
}  # fmt: skip
SOURCE_KINDS = {
    "official_page": 20, "article": 20, "op_ed": 15, "news": 25, "speech": 8, "book": 8,
    "chapter": 4,
}  # fmt: skip
LANGUAGES = ["en", "en", "en", "ru", "az", "tr", "kk", "de", "fr"]
# A body's name, category (None: no text says), how often it meets, whether supreme.
BODIES = [
    ("Council of Heads of Government", "statutory", "twice a year"),
    ("Council of Foreign Ministers", "statutory", "annually"),
    ("Committee of Permanent Representatives", "statutory", "monthly"),
    ("Economic Council", "sectoral", "every quarter"),
    ("Parliamentary Assembly", None, "annually"),
    ("Youth Council", None, None),
    ("Council on {t}", "sectoral", "annually"),
    ("Commission on {t}", "sectoral", "at least once a year"),
]


def weighted(table: dict[str, int]) -> tuple[list[str], list[int]]:
    """Keys and cumulative weights, for ``rng.choices``."""
    keys = list(table)
    total, cumulative = 0, []
    for key in keys:
        total += table[key]
        cumulative.append(total)
    return keys, cumulative


def short_slug(title: str, words: int = 5) -> str:
    """The slug of a title's first few words: ids as long as the bundled ones."""
    return "-".join(text.slug(title).split("-")[:words])


def reach(edtf: str) -> Reach:
    """The first and last day a date may mean, as cislog reads it."""
    return dates.parse(edtf, allow_open=True).reach


def _uncertain(record: Record) -> bool:
    """Whether a date of the record or of one of its entries is marked inferred (?)."""
    values = [record.get("date"), record.get("founded")]
    for key in ("offices", "memberships", "counts", "signatories"):
        for entry in record.get(key, []):
            values.extend(entry.get(k) for k in ("from", "to", "as_of"))
    return any(isinstance(v, str) and ("?" in v or "%" in v) for v in values)


class World:
    """The records made so far and the indexes that keep new ones consistent with them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()
        self.sources: list[Record] = []
        self.source_kind: dict[str, str] = {}
        self.source_label: dict[str, str] = {}
        self.citable: list[str] = []
        self._next_citable = 0
        self.countries: list[Record] = []
        self.country_name = {code: name for code, _, name, _ in COUNTRIES}
        self.capital = {code: capital for code, _, _, capital in COUNTRIES}
        self.orgs: list[Record] = []
        self.acronym: dict[str, str] = {}
        # Orgs sorted by the first day they may have been founded (None: not stated).
        self.founded: list[tuple[dt.date, str]] = []
        self.unfounded: list[str] = []
        self.members: dict[str, list[str]] = {}
        # The reach of each membership term, by org and country: what check compares.
        self.terms: dict[str, dict[str, list[Reach]]] = {}
        self.bodies: list[Record] = []
        self.bodies_of: dict[str, list[Record]] = {}
        self.body_name: dict[str, str] = {}
        self.people: dict[str, Record] = {}
        # Offices with the day each starts, kept apart until people are written.
        self.offices: dict[str, list[tuple[dt.date, Record]]] = {}
        self.heads: dict[str, tuple[list[dt.date], list[str]]] = {}
        self.documents: list[Record] = []
        self.events: list[tuple[dt.date, Record]] = []
        self.facts: list[Record] = []

    # --- helpers ------------------------------------------------------------------

    def unique(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``...: ids are unique across all kinds."""
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate

    def cite(self, most: int = 3) -> list[str]:
        """One to ``most`` source ids: every citable source once before any repeats,
        so that none is left unused (``check``'s unused-source), then at random."""
        count = self.rng.choices(range(1, most + 1), weights=[50, 35, 15][:most])[0]
        chosen: list[str] = []
        while self._next_citable < len(self.citable) and len(chosen) < count:
            chosen.append(self.citable[self._next_citable])
            self._next_citable += 1
        while len(chosen) < count:
            source = self.rng.choice(self.citable)
            if source not in chosen:
                chosen.append(source)
        return chosen

    def note(self, sources: Sequence[str], place: str = "", kind: str = "plain") -> str:
        first = self.source_label[sources[0]]
        other = self.source_label[sources[-1]] if len(sources) > 1 else "the other texts"
        return text.note(self.rng, first, other, place or self.rng.choice(COUNTRIES)[3], kind)

    def day(self, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def dated(self, day: dt.date) -> str:
        """An event's date around ``day``, in one of the forms the bundled data uses.
        Every form's last possible day is ``day`` or later, so that an org founded by
        ``day`` is founded before it (``check``'s dated-before-founding)."""
        r = self.rng.random()
        iso, month, year = day.isoformat(), day.isoformat()[:7], str(day.year)
        if r < 0.70:
            return iso
        if r < 0.80:
            return month
        if r < 0.85:
            return year
        if r < 0.88:
            return iso + "?"
        if r < 0.90:
            return iso + "~"
        if r < 0.91:
            return month + "~"
        if r < 0.92:
            return year + "~"
        if r < 0.96:
            return f"{iso}/{day + dt.timedelta(days=self.rng.randint(1, 4))}"
        if r < 0.97:
            later = day + dt.timedelta(days=self.rng.randint(31, 90))
            return f"{month}/{later.isoformat()[:7]}"
        if r < 0.98:
            return f"[..{iso}]"
        if r < 0.99:
            return f"[{iso}..]"
        if r < 0.995:
            return f"{iso}/.."
        return f"[{iso}..{day + dt.timedelta(days=self.rng.randint(2, 40))}]"

    def eligible_orgs(self, day: dt.date) -> list[str]:
        """Orgs that may exist on ``day``: founded on or before it, or of unstated founding."""
        cut = bisect.bisect_right(self.founded, (day, "\uffff"))
        return [org for _, org in self.founded[:cut]] + self.unfounded

    def head_of(self, country: str, day: dt.date) -> str | None:
        """The president of ``country`` on ``day``, as the generated offices have it."""
        starts, ids = self.heads.get(country, ([], []))
        index = bisect.bisect_right(starts, day) - 1
        return ids[index] if index >= 0 else None

    def member_on(self, org: str, country: str, reach: Reach) -> bool:
        """Whether ``country`` may be a member of ``org`` within ``reach``, or was never
        one (``check``'s signed-by-non-member asks the same of each signatory)."""
        terms = self.terms.get(org, {}).get(country)
        if not terms:
            return True
        low, high = reach
        return any(
            not (start and high and start > high) and not (end and low and end < low)
            for start, end in terms
        )

    def finish(self, record: Record) -> Record:
        """A record whose inferred dates get the note ``check`` asks for."""
        if "note" not in record and _uncertain(record):
            record["note"] = self.note(record.get("sources") or self.citable, kind="inferred")
        return record
