"""Sources, countries, and organisations with their bodies, memberships and counts."""

from __future__ import annotations

import bisect
import datetime as dt

from synth import text
from synth.world import (
    BODIES,
    COUNTRIES,
    FIRST_DAY,
    LANGUAGES,
    ORGS,
    SOURCE_KINDS,
    Reach,
    Record,
    World,
    reach,
    short_slug,
    weighted,
)


def make_sources(world: World, count: int) -> None:
    """Sources of every kind. Books on one article's reading list cite that article and
    are silenced for unused-source, as the bundled reading list is; all the others are
    cited by some record."""
    rng = world.rng
    kinds, weights = weighted(SOURCE_KINDS)
    books: list[str] = []
    for n in range(count):
        # The reading list's article and its books first, then one of every kind, so that
        # even a small dataset has an official page for its official positions to cite.
        if n < 6:
            kind = "article" if n == 0 else "book"
        else:
            kind = kinds[n - 6] if n - 6 < len(kinds) else rng.choices(kinds, weights)[0]
        t1, t2 = text.topic(rng), text.topic(rng)
        region = rng.choice(text.REGIONS)
        country = rng.choice(COUNTRIES)
        year = rng.randint(1995, 2024)
        record: Record = {}
        if kind == "official_page":
            title = f"{country[2]} and the {region} states: cooperation on {t1}"
        elif kind == "article":
            title = f"Pages on {t1}: {country[2]} and the {region} states"
        elif kind == "op_ed":
            title = f"The case for {t1} in the {region} region"
            record["author"] = text.person_name(rng)
        elif kind == "news":
            title = f"{region} talks on {t1} open in {country[3]}"
            record["publisher"] = f"{region} News Agency"
        elif kind == "speech":
            title = f"Address on {t1} and {t2} at the {region} summit"
            record["author"] = text.person_name(rng)
        elif kind == "book":
            title = f"{t1.capitalize()} and {t2} in the {region} states"
            given, surname = text.person_name(rng).split(" ", 1)
            record["author"] = f"{surname}, {given}"
            if rng.random() < 0.4:
                record["editors"] = [f"{text.person_name(rng)} (editor)"]
            record["publisher"] = rng.choice(["Elm", "Nauka", "Steppe Press", f"{region} House"])
            record["place"] = country[3]
            record["pages"] = rng.randint(90, 600)
            books.append(title)
        else:  # chapter
            title = f"The {t1} question"
            record["author"] = text.person_name(rng)
            record["part_of"] = rng.choice(books)
            record["pages"] = rng.randint(8, 40)
        source_id = world.unique(f"{short_slug(title)}-{year}")
        if kind in ("news", "speech") or rng.random() < 0.3:
            record["date"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif kind in ("book", "chapter"):
            record["date"] = str(year)
        record["language"] = rng.choice(LANGUAGES)
        if kind in ("official_page", "news", "article"):
            record["url"] = f"https://example.org/{source_id}"
        source: Record = {"id": source_id, "title": title, "kind": kind, **record}
        if 1 <= n < 6:  # on the reading list of source 0
            source["sources"] = [world.sources[0]["id"]]
            source["note"] = f"Item {n} of the reading list at the end of {world.sources[0]['id']}."
            source["check_ignore"] = [
                {
                    "rule": "unused-source",
                    "reason": "Listed for further reading; no record draws on it.",
                }
            ]
        elif rng.random() < 0.3:
            source["note"] = "No author or date is given; the page writes in the first person."
        world.sources.append(source)
        world.source_kind[source_id] = kind
        world.source_label[source_id] = f"\u201c{title}\u201d"
        if not 1 <= n < 6:
            world.citable.append(source_id)


def make_countries(world: World) -> None:
    rng = world.rng
    for code, alpha3, name, _ in COUNTRIES:
        aliases = [alpha3]
        if rng.random() < 0.6 and " " not in name:
            aliases.append(f"Republic of {name}")
        local = text.local_spelling(name)
        if local != name:
            aliases.append(local)
        aliases.append(text.cyrillic(name))
        world.taken.add(code)
        country: Record = {"id": code, "name": name, "aliases": aliases, "sources": world.cite()}
        if rng.random() < 0.15:
            country["note"] = world.note(country["sources"])
        world.countries.append(country)


# --- organisations, their bodies and memberships -------------------------------------


def _acronym(name: str) -> str:
    small = {"of", "the", "in", "for", "and", "on"}
    return "".join(word[0] for word in name.replace("-", " ").split() if word not in small)


def make_orgs(world: World) -> None:
    """Orgs with bodies, counts that match what the dataset names, and memberships; the
    founding and accession events their memberships start with go to ``world.events``."""
    rng = world.rng
    codes = [code for code, *_ in COUNTRIES]
    for n in range(ORGS):
        region = text.REGIONS[n % len(text.REGIONS)]
        name = text.ORG_FORMS[n % len(text.ORG_FORMS)].format(r=region)
        acronym = _acronym(name).upper()
        org_id = world.unique(acronym.lower() if len(acronym) >= 3 else acronym.lower() + "o")
        world.acronym[org_id] = acronym
        members = rng.sample(codes, rng.randint(min(8, len(codes)), min(30, len(codes))))
        world.members[org_id] = members
        org: Record = {
            "id": org_id,
            "name": name,
            "aliases": [acronym, text.cyrillic(name), text.local_spelling(acronym + " " + name)],
        }
        founded: str | None = None
        founding_day = dt.date(1992, 1, 1)
        if n < ORGS - 1:  # the last org's founding is not stated, as CICA's is not
            founding_day = world.day(dt.date(1949, 1, 1), dt.date(2004, 12, 31))
            r = rng.random()
            iso = founding_day.isoformat()
            founded = (
                iso if r < 0.7 else iso[:7] if r < 0.8 else iso[:4] if r < 0.9 else iso[:4] + "~"
            )
            first = reach(founded)[0]
            assert first is not None
            bisect.insort(world.founded, (first, org_id))
        else:
            world.unfounded.append(org_id)
        t1, t2, t3 = text.topic(rng), text.topic(rng), text.topic(rng)
        org["description"] = (
            f"A regional organisation of {len(members)} states whose work covers {t1}, "
            f"{t2} and {t3}."
        )
        if founded is not None:
            org["founded"] = founded
            org["founded_place"] = world.capital[members[0]]
        if rng.random() < 0.8:
            org["seat"] = world.capital[rng.choice(members)]
        org["purpose"] = f"Cooperation among its members on {t1} and {t2}."
        org["areas"] = [f"cooperation on {t}" for t in text.topics(rng, rng.randint(3, 9))]
        if rng.random() < 0.7:
            org["tasks"] = [f"joint programmes on {t}" for t in text.topics(rng, rng.randint(2, 6))]
        bodies = _make_bodies(world, org_id, acronym)
        memberships = _make_memberships(world, org_id, founded, founding_day, bodies[0])
        org["counts"] = _counts(world, n, bodies, memberships, len(org["areas"]))
        org["memberships"] = memberships
        org["sources"] = world.cite()
        if rng.random() < 0.5:
            org["note"] = world.note(org["sources"])
        if n == 1:
            org["check_ignore"] = [
                {
                    "rule": "count-mismatch",
                    "reason": "The texts give how many observers there are but name only some.",
                }
            ]
        world.orgs.append(world.finish(org))


def _make_bodies(world: World, org_id: str, acronym: str) -> list[Record]:
    """A supreme council, a secretariat and a few more; working groups under commissions."""
    rng = world.rng
    chosen = [("Council of Heads of State", "statutory", "annually"), *rng.sample(BODIES, 4)]
    chosen.insert(1, ("Secretariat", "administrative", None))
    bodies: list[Record] = []
    for index, (form, category, meets) in enumerate(chosen):
        name = form.format(t=text.topic(rng))
        body: Record = {
            "id": world.unique(f"{org_id}-{text.slug(name)}"),
            "org": org_id,
            "name": name,
            "aliases": [f"{acronym} {name}"],
        }
        if category is not None:
            body["category"] = category
        if meets is not None:
            body["meets"] = meets
        if index == 0:
            body["supreme"] = True
        body["description"] = f"Prepares the decisions of the {acronym} on {text.topic(rng)}."
        body["sources"] = world.cite()
        if category is None:
            body["note"] = "No text says what kind of body this is, so no category is set."
        bodies.append(body)
        if form == "Commission on {t}":
            group = f"Working Group on {text.topic(rng)}"
            bodies.append(
                {
                    "id": world.unique(f"{org_id}-{text.slug(group)}"),
                    "org": org_id,
                    "name": group,
                    "category": "sectoral",
                    "parent": body["id"],
                    "description": f"Reports to the {name}.",
                    "sources": world.cite(),
                }
            )
    world.bodies.extend(bodies)
    world.bodies_of[org_id] = bodies
    for body in bodies:
        world.body_name[body["id"]] = body["name"]
    return bodies


def _make_memberships(
    world: World, org_id: str, founded: str | None, founding_day: dt.date, supreme: Record
) -> list[Record]:
    """Founders from the founding, members from their accession (each with its event),
    observers and partners, members that left and stayed on as observers."""
    rng = world.rng
    acronym = world.acronym[org_id]
    members = world.members[org_id]
    founders = members[: rng.randint(3, 6)] if founded is not None else []
    memberships: list[Record] = []
    terms: dict[str, list[Reach]] = {}

    def add(entry: Record) -> None:
        entry["sources"] = world.cite(2)
        memberships.append(entry)
        start = reach(entry["from"])[0] if "from" in entry else None
        end = reach(entry["to"])[1] if "to" in entry else None
        terms.setdefault(entry["country"], []).append((start, end))

    if founded is not None:
        for country in founders:
            add({"country": country, "role": "founder", "from": founded})
        world.events.append(
            (
                founding_day,
                {
                    "date": founded,
                    "title": f"Founding of the {acronym}",
                    "kind": "founding",
                    "summary": f"{text.listing([world.country_name[c] for c in founders])} "
                    f"found the {acronym} in {world.capital[founders[0]]}.",
                    "place": world.capital[founders[0]],
                    "orgs": [org_id],
                    "countries": founders,
                    "tags": ["founding", org_id],
                    "sources": world.cite(),
                },
            )
        )
    joined_after = max(founding_day + dt.timedelta(days=365), FIRST_DAY)
    for country in members[len(founders) :]:
        r = rng.random()
        entry: Record = {"country": country}
        if r < 0.70:
            day = world.day(joined_after, dt.date(2022, 12, 31))
            entry["role"] = "member"
            if rng.random() < 0.1:
                entry["from"] = f"[..{day}]"
                entry["note"] = world.note(world.citable, kind="before")
            else:
                entry["from"] = day.isoformat() if rng.random() < 0.9 else day.isoformat()[:7]
                world.events.append(
                    (day, _accession(world, org_id, country, entry["from"], supreme))
                )
            if rng.random() < 0.1 and day < dt.date(2020, 1, 1):
                left = world.day(day + dt.timedelta(days=730), dt.date(2023, 12, 31))
                entry["to"] = left.isoformat()
                add(entry)
                # Still an observer: a country's last term never ends on a known day, so
                # no dated record naming it is after it left (dated-after-leaving).
                entry = {"country": country, "role": "observer"}
                entry["from"] = (left + dt.timedelta(days=1)).isoformat()
                if rng.random() < 0.5:
                    entry["to"] = ".."
            elif rng.random() < 0.1:
                entry["to"] = ".."
            elif rng.random() < 0.05:
                entry["to"] = f"[{world.day(dt.date(2020, 1, 1), dt.date(2024, 12, 31))}..]"
        elif r < 0.85:
            entry["role"] = "observer"
            if rng.random() < 0.5:
                entry["from"] = world.day(joined_after, dt.date(2022, 12, 31)).isoformat()
        elif r < 0.95:
            entry["role"] = "partner"
            entry["note"] = "Implied, not stated: the texts speak of joint work, not membership."
        else:
            entry["role"] = "member"
            entry["note"] = "No date is given for its membership."
        add(entry)
    world.terms[org_id] = terms
    return memberships


def _accession(world: World, org_id: str, country: str, date: str, supreme: Record) -> Record:
    acronym, name = world.acronym[org_id], world.country_name[country]
    return {
        "date": date,
        "title": f"{name}'s accession to the {acronym}",
        "kind": "accession",
        "summary": f"The {supreme['name']} of the {acronym} admits {name} as a member.",
        "orgs": [org_id],
        "bodies": [supreme["id"]],
        "countries": [country],
        "tags": ["accession", org_id],
        "sources": world.cite(),
    }


def _counts(
    world: World, n: int, bodies: list[Record], memberships: list[Record], areas: int
) -> list[Record]:
    """Declared counts that agree with the bodies, members and areas named, and for one
    org a declared number of observers larger than those named, silenced by the org."""
    rng = world.rng
    counts: list[Record] = []
    categories: dict[str, int] = {}
    for body in bodies:
        if "category" in body:
            categories[body["category"]] = categories.get(body["category"], 0) + 1
    for category, value in sorted(categories.items()):
        counts.append({"of": "bodies", "category": category, "value": value})
    counts.append({"of": "bodies", "value": len(bodies) - 1, "qualifier": "more_than"})
    countries = {m["country"] for m in memberships}
    members: Record = {"of": "members", "value": len(countries)}
    if rng.random() < 0.5:
        members["as_of"] = str(rng.randint(2020, 2024))
    counts.append(members)
    founders = sum(m["role"] == "founder" for m in memberships)
    if founders:
        counts.append({"of": "members", "category": "founder", "value": founders})
    if n == 1:
        observers = len({m["country"] for m in memberships if m["role"] == "observer"})
        counts.append({"of": "members", "category": "observer", "value": observers + 4})
    if rng.random() < 0.5:
        counts.append({"of": "areas", "value": areas})
    else:
        counts.append({"of": "areas", "value": areas + 2, "qualifier": "about"})
    for count in counts:
        count["sources"] = world.cite(2)
        if rng.random() < 0.3:
            count["note"] = "Both texts give the figure as the present state, without a date."
    return counts
