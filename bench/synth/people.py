"""People: the presidents and foreign ministers of every country, the secretaries
general of every org, and others, each with the chain of offices they held."""

from __future__ import annotations

import datetime as dt
from typing import Any

from synth import text
from synth.world import COUNTRIES, FIRST_DAY, RUNNING, Record, World, reach


def _person(world: World, name: str | None = None) -> str:
    rng = world.rng
    name = name or text.person_name(rng)
    aliases = [text.cyrillic(name)]
    variant = name.replace("ev", "yev").replace("ov", "ow")
    if variant != name:
        aliases.append(variant)
    local = text.local_spelling(name)
    if local != name:
        aliases.append(local)
    person: Record = {"id": world.unique(text.slug(name)), "name": name, "aliases": aliases}
    person["sources"] = world.cite()
    if rng.random() < 0.2:
        person["note"] = world.note(person["sources"])
    world.people[person["id"]] = person
    world.offices[person["id"]] = []
    return str(person["id"])


def _chain(
    world: World, start: dt.date, shortest: int, longest: int
) -> list[tuple[dt.date, dt.date | None]]:
    """Consecutive terms from ``start``, each ending before the next begins; the last
    one still running (None)."""
    terms: list[tuple[dt.date, dt.date | None]] = []
    begin = start
    while True:
        end = begin + dt.timedelta(days=world.rng.randint(shortest, longest))
        if end >= RUNNING:
            terms.append((begin, None))
            return terms
        terms.append((begin, end))
        begin = end + dt.timedelta(days=world.rng.randint(1, 60))


def _office(
    world: World, person: str, title: str, term: tuple[dt.date, dt.date | None], **where: Any
) -> Record:
    """An office held by ``person`` for ``term``: a start given as a day or as on or before
    it, an end as a day, on or after it, or still running."""
    rng = world.rng
    begin, end = term
    office: Record = {"title": title, **where}
    r = rng.random()
    if r < 0.75:
        office["from"] = begin.isoformat()
    elif r < 0.9:
        office["from"] = f"[..{begin}]"
    if end is None:
        office["to"] = ".."
    else:
        office["to"] = end.isoformat() if rng.random() < 0.8 else f"[{end}..]"
    office["sources"] = world.cite(2)
    if "[" in office.get("from", "") or rng.random() < 0.2:
        office["note"] = world.note(office["sources"], kind="before")
    world.offices[person].append((begin, office))
    return office


def make_people(world: World, extra: int) -> None:
    """Presidents and foreign ministers of every country, secretaries general of every
    org (one post renamed on the way, as the bundled data's is), and ``extra`` others."""
    rng = world.rng
    for code, _, name, _ in COUNTRIES:
        ministers: list[tuple[dt.date, str]] = []  # (end of term, person)
        for term in _chain(world, world.day(dt.date(1990, 1, 1), dt.date(1993, 1, 1)), 365, 2500):
            person = _person(world)
            title = f"Minister of Foreign Affairs of {name}"
            _office(world, person, title, term, single_holder=True, country=code)
            if term[1] is not None:
                ministers.append((term[1], person))
        starts, ids = [], []
        used: set[str] = set()
        for term in _chain(world, world.day(dt.date(1990, 1, 1), dt.date(1992, 6, 1)), 700, 3650):
            former = [p for end, p in ministers if end < term[0] and p not in used]
            person = former[-1] if former and rng.random() < 0.3 else _person(world)
            used.add(person)
            _office(world, person, f"President of {name}", term, single_holder=True, country=code)
            starts.append(term[0])
            ids.append(person)
        world.heads[code] = (starts, ids)
    for index, org in enumerate(world.orgs):
        org_id, acronym = org["id"], world.acronym[org["id"]]
        secretariat = world.bodies_of[org_id][1]["id"]
        start = max(reach(org.get("founded", "1992"))[0] or FIRST_DAY, dt.date(1975, 1, 1))
        title = (
            f"Executive Secretary of the {acronym}" if index % 2 else f"{acronym} Secretary General"
        )
        renamed = world.day(dt.date(2005, 1, 1), dt.date(2022, 12, 31)) if index % 2 else None
        where = {"single_holder": True, "org": org_id, "body": secretariat}
        for begin, end in _chain(world, start, 1000, 3000):
            person = _person(world)
            if renamed is not None and begin < renamed and (end is None or end >= renamed):
                before = renamed - dt.timedelta(days=1)
                _office(world, person, title, (begin, before), **where)
                new_title = f"{acronym} Secretary General"
                office = _office(world, person, new_title, (renamed, end), **where)
                office["from"] = renamed.isoformat()
                office["renamed_from"] = title
                title = new_title
            else:
                _office(world, person, title, (begin, end), **where)
    for _ in range(extra):
        person = _person(world)
        r = rng.random()
        if r < 0.3:
            org = rng.choice(world.orgs)["id"]
            country = rng.choice(world.members[org])
            title = f"Ambassador of {world.country_name[country]} to the {world.acronym[org]}"
            begin = world.day(dt.date(1992, 1, 1), dt.date(2015, 1, 1))
            end = begin + dt.timedelta(days=rng.randint(300, 2000))
            _office(world, person, title, (begin, end), org=org, country=country)
        elif r < 0.5:
            body = rng.choice(world.bodies)
            begin = world.day(dt.date(1995, 1, 1), dt.date(2018, 1, 1))
            end = begin + dt.timedelta(days=rng.randint(300, 1500))
            title = f"Chair of the {body['name']}"
            _office(world, person, title, (begin, end), org=body["org"], body=body["id"])


def finish_people(world: World) -> list[Record]:
    """People with their offices in the order they were held (``check``'s office-order)."""
    people = []
    for person_id, person in world.people.items():
        held = sorted(world.offices[person_id], key=lambda pair: pair[0])
        record = dict(person)
        if held:
            record["offices"] = [office for _, office in held]
        people.append(world.finish(record))
    return people
