"""Made-up text for the benchmark's dataset: topics, names, titles, summaries and notes.

The generated records must read like the bundled ones (titles of a few words,
summaries of a sentence or two, notes that say how a source was read, names in
several scripts and spellings) so that search, folding and rendering do the work
they do on real data. None of it is true and none of it is taken from a source
text: sentences are assembled from the templates below. Every choice goes through
the caller's seeded :class:`random.Random`, so that a seed always gives the same text.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence

# Topics of cooperation, commonest first. They are drawn with weight 1/rank (Zipf), as
# words are in real text: a search for two of the middle ranks ("railway", 16th, and
# "pipeline", 20th) then finds hundreds of records in 100,000, not none or all.
TOPICS = [
    "trade", "security", "energy", "transport", "customs", "investment", "border control",
    "migration", "health", "education", "culture", "science", "tourism", "agriculture",
    "water", "railway", "finance", "telecommunications", "youth", "pipeline", "standards",
    "statistics", "aviation", "shipping", "roads", "electricity", "gas", "oil", "environment",
    "climate", "emergencies", "humanitarian aid", "human rights", "elections", "justice",
    "policing", "terrorism", "drug trafficking", "cybersecurity", "defence", "peacekeeping",
    "archives", "heritage", "languages", "media", "broadcasting", "patents", "competition",
    "food safety", "veterinary control", "fisheries", "forestry", "mining", "metallurgy",
    "chemicals", "textiles", "industry", "small business", "innovation", "space research",
    "meteorology", "hydrology", "seismology", "geology", "mapping", "land registry",
    "housing", "urban planning", "social security", "pensions", "labour", "equal rights",
    "children", "disability", "veterans", "refugees", "consular affairs", "visas",
    "diaspora", "sport", "museums", "libraries", "translation", "higher education",
    "vocational training", "medicine", "vaccines", "epidemics", "pharmacy", "nutrition",
    "banking", "payments", "taxation", "insurance", "audit", "procurement", "accounting",
    "capital markets", "currency", "debt", "ports", "logistics", "postal services",
    "satellite navigation", "broadband", "digital services", "e-government",
    "data protection", "identity documents", "road safety", "nuclear safety", "radiation",
    "waste", "irrigation", "desertification", "biodiversity", "wildlife", "seed banks",
    "grain", "cotton",
]  # fmt: skip
_TOPIC_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(TOPICS) + 1)))

GIVEN_NAMES = [
    "Aidan", "Bakhyt", "Dilnoza", "Elnur", "Farid", "Gulnara", "Iskander", "Kamila", "Leyla",
    "Murat", "Nodira", "Oleg", "Pavel", "Rustam", "Saida", "Timur", "Umid", "Vera", "Yusuf",
    "Zarina", "Anton", "Boris", "Daria", "Emil", "Galina", "Igor", "Jana", "Karlis", "Liene",
    "Marta", "Nikolai", "Olga", "Petra", "Rasmus", "Sofia", "Tomas", "Ulla", "Viktor",
    "Aigul", "Nurlan", "Selim", "Ayten", "Goran", "Mirela", "Davit", "Nino", "Arman", "Lilit",
]  # fmt: skip
_SURNAME_ROOTS = [
    "Abdull", "Bakir", "Dzhur", "Ergash", "Gafur", "Ismail", "Karim", "Lukash", "Mamed",
    "Nazar", "Orl", "Petr", "Rahim", "Sadyk", "Tokar", "Usman", "Volkon", "Yakub", "Zakir",
    "Berz", "Kalnin", "Tamm", "Novak", "Horvat", "Popesc", "Sarkis", "Beridz", "Kuanysh",
]  # fmt: skip
_SURNAME_ENDINGS = ["ov", "ev", "enko", "yan", "idze", "ski", "li", "zade", "bekov", "uly", "ic"]

REGIONS = [
    "Caspian", "Pontic", "Eurasian", "Steppe", "Baltic", "Danubian", "Caucasian", "Volga",
    "Aral", "Silk Road", "Northern", "Highland", "Transcaspian", "Carpathian", "Tien Shan",
]  # fmt: skip
ORG_FORMS = [
    "Council of {r} States", "{r} Economic Community", "Organisation for Cooperation in the "
    "{r} Region", "{r} Transport Union", "Conference on Dialogue and Confidence in the {r} "
    "Area", "{r} Energy Community", "Assembly of {r} Parliaments", "{r} Customs Union",
    "{r} Development Bank", "Association of {r} Ports", "{r} Forum for Security",
    "{r} Water Commission", "{r} Research Network", "Union of {r} Cities",
]  # fmt: skip

_OPENINGS = [
    "The heads of state of {countries}", "Delegations of {countries}",
    "Ministers from {countries}", "The {body}", "Experts of the {org}", "{country}",
    "Representatives of {count} member states", "The chair of the {body}",
]  # fmt: skip
_VERBS = [
    "agree on", "discuss", "review", "approve", "adopt", "consider", "endorse", "propose",
    "launch", "extend", "assess", "outline", "take note of", "postpone",
]  # fmt: skip
_OBJECTS = [
    "a programme of joint work on {t1}", "measures on {t1} and {t2}",
    "the draft rules on {t1}", "a protocol on {t1}", "a plan for {t1} up to {year}",
    "a report on {t1} and {t2}", "the budget line for {t1}", "ways to link {t1} with {t2}",
    "common standards for {t1}", "the first results of the {t1} survey",
]  # fmt: skip
_TAILS = [
    "", "", " in {place}", ", and ask the {body} to report back within a year",
    "; {country} abstains", ", building on the decisions of {year}",
    " and set up a working group on {t3}", " \u201cwithout delay\u201d, in the chair\u2019s words",
]  # fmt: skip
_NOTES = [
    "{source} gives the date; {other} gives only the year.",
    "No place is stated.",
    "{source} names the participants; no other text lists them.",
    "The title is descriptive: {source} gives the meeting no name of its own.",
    "The sources disagree on the {what}: {source} gives one, {other} another; the record "
    "follows {source}.",
    "Only {source} mentions {t1}; its remarks on {t2} are left out of the summary.",
    "{source} writes the place as \u201c{place}\u201d in the local spelling.",
    "The summary follows {source}; {other} reports the same in fewer words.",
]  # fmt: skip
_INFERRED_NOTES = [
    "The date is inferred: {source} reports it within its account of the {t1} talks but "
    "gives it no date of its own.",
    "The day is inferred from the order in which {source} reports its meetings; no text "
    "states it.",
    "Dated by the session {source} places it in; the text itself is undated.",
]  # fmt: skip
_BEFORE_NOTES = [
    "No text dates it: {source} says only that it came before the {t1} meeting of {day}.",
    "{source} reports it as past in its account of {day}; how long before, no text says.",
]  # fmt: skip

# Latin to Cyrillic, as a transliteration would go: digraphs first. Code points rather
# than letters, so that no look-alike letter hides in this file.
_DIGRAPHS = {"sh": 0x448, "ch": 0x447, "zh": 0x436, "kh": 0x445, "ts": 0x446, "ya": 0x44F}
_LETTERS = dict(
    zip(
        "abvgdezijklmnoprstufhcywqx",
        [
            0x430, 0x431, 0x432, 0x433, 0x434, 0x435, 0x437, 0x438, 0x439, 0x43A, 0x43B,
            0x43C, 0x43D, 0x43E, 0x43F, 0x440, 0x441, 0x442, 0x443, 0x444, 0x445, 0x446,
            0x44B, 0x432, 0x43A, 0x43A,
        ],
        strict=True,
    )
)  # fmt: skip
_TRANSLITERATION = re.compile("|".join([*_DIGRAPHS, "."]), re.IGNORECASE | re.DOTALL)
# A local spelling: the letters a Turkic or Azerbaijani text would use.
_LOCAL = {"sh": "\u015f", "ch": "\u00e7", "kh": "x", "e": "\u0259", "Sh": "\u015e", "Ch": "\u00c7"}
_LOCAL_PATTERN = re.compile("|".join(sorted(_LOCAL, key=len, reverse=True)))


def topic(rng: random.Random) -> str:
    """One topic, the common ones more often."""
    return rng.choices(TOPICS, cum_weights=_TOPIC_WEIGHTS)[0]


def topics(rng: random.Random, count: int) -> list[str]:
    """``count`` different topics (fewer if the draws repeat)."""
    return list(dict.fromkeys(rng.choices(TOPICS, cum_weights=_TOPIC_WEIGHTS, k=count)))


def slug(text: str) -> str:
    """An id-shaped form of ASCII text: lower case, words joined by single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def cyrillic(text: str) -> str:
    """``text`` transliterated letter by letter into Cyrillic, keeping capitals."""

    def one(match: re.Match[str]) -> str:
        found = match.group()
        lower = found.lower()
        code = _DIGRAPHS.get(lower) or _LETTERS.get(lower)
        if code is None:
            return found
        letter = chr(code)
        return letter.upper() if found[0].isupper() else letter

    return _TRANSLITERATION.sub(one, text)


def local_spelling(text: str) -> str:
    """``text`` as a local spelling with diacritics would write it (ş, ç, ə, x for kh)."""
    return _LOCAL_PATTERN.sub(lambda match: _LOCAL[match.group()], text)


def person_name(rng: random.Random) -> str:
    """A given name and a surname, in the Latin script."""
    surname = rng.choice(_SURNAME_ROOTS) + rng.choice(_SURNAME_ENDINGS)
    return f"{rng.choice(GIVEN_NAMES)} {surname}"


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summary(
    rng: random.Random, countries: Sequence[str], org: str, body: str, place: str, year: int
) -> str:
    """One or two sentences about what a meeting did, naming who took part."""
    sentences = []
    for _ in range(1 + (rng.random() < 0.75)):
        t1, t2, t3 = (topic(rng) for _ in range(3))
        fill = {
            "countries": listing(countries[:3]) or "the member states",
            "country": countries[0] if countries else "The host",
            "count": str(max(2, len(countries))),
            "body": body,
            "org": org,
            "place": place,
            "year": str(year),
            "t1": t1,
            "t2": t2,
            "t3": t3,
        }
        text = (
            f"{rng.choice(_OPENINGS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
            f"{rng.choice(_TAILS)}."
        )
        sentences.append(text.format(**fill))
    return " ".join(sentences)


def note(rng: random.Random, source: str, other: str, place: str, kind: str = "plain") -> str:
    """A note on how the sources were read; ``inferred`` says how an inferred (?) date
    was reached, ``before`` what an on-or-before date rests on."""
    forms = {"plain": _NOTES, "inferred": _INFERRED_NOTES, "before": _BEFORE_NOTES}[kind]
    chosen = [rng.choice(forms)]
    if rng.random() < 0.6:  # most notes say two things, as the bundled ones do
        chosen.append(rng.choice(_NOTES))
    sentences = []
    for form in dict.fromkeys(chosen):
        what = rng.choice(["date", "place", "number of participants", "title"])
        day = f"{rng.randint(1, 28)} {rng.choice(_MONTHS)} {rng.randint(1992, 2024)}"
        sentences.append(
            form.format(
                source=source,
                other=other,
                place=place,
                what=what,
                day=day,
                t1=topic(rng),
                t2=topic(rng),
            )
        )
    return " ".join(sentences)


_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
