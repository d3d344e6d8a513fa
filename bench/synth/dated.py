"""Documents with their signatories, events, and facts: the bulk of the dataset."""

from __future__ import annotations

import datetime as dt

from synth import text
from synth.world import (
    COUNTRIES,
    DOCUMENT_KINDS,
    EVENT_KINDS,
    FACT_KINDS,
    STATUSES,
    Record,
    World,
    reach,
    short_slug,
    weighted,
)


def _document_title(world: World, kind: str, org: str | None, body: str | None, place: str,
                    year: int) -> str:  # fmt: skip
    rng = world.rng
    t1, t2 = text.topic(rng), text.topic(rng)
    acronym = world.acronym[org] if org else "member states"
    forms = {
        "agreement": [f"Agreement on cooperation in {t1}", f"Agreement on {t1} and {t2}"],
        "decision": [f"Decision of the {world.body_name[body]} on {t1}" if body else
                     f"Decision on {t1}", f"Decision on the {t1} programme"],
        "programme": [f"Programme of cooperation on {t1} for {year}\u2013{year + 2}"],
        "declaration": [f"{place} Declaration on {t1}"],
        "concept": [f"Concept of {t1} development in the {acronym}"],
        "charter": [f"Charter of the {acronym} on {t1}"],
        "act": [f"{place} Act on {t1}"],
        "rules": [f"Rules of procedure of the {world.body_name[body]}" if body else
                  f"Rules on {t1}"],
        "treaty": [f"Treaty on {t1} and {t2}"],
        "statement": [f"Joint statement on {t1}"],
        "other": [f"Memorandum on {t1}"],
    }  # fmt: skip
    return rng.choice(forms[kind])


def make_documents(world: World, count: int) -> None:
    """Documents with a dozen signatories, each signed by a member of the document's org
    when it was signed (or by a country never a member), and the meetings that signed
    half of them."""
    rng = world.rng
    kinds, weights = weighted(DOCUMENT_KINDS)
    statuses, status_weights = weighted(STATUSES)
    codes = [code for code, *_ in COUNTRIES]
    for n in range(count):
        day = world.day()
        r = rng.random()
        iso = day.isoformat()
        date = (
            iso if r < 0.80 else str(day.year) if r < 0.87 else iso[:7] if r < 0.91
            else iso + "?" if r < 0.94 else str(day.year) + "~" if r < 0.95 else None
        )  # fmt: skip
        eligible = world.eligible_orgs(day) if date else [o["id"] for o in world.orgs]
        org = rng.choice(eligible) if rng.random() < 0.92 else None
        body = rng.choice(world.bodies_of[org])["id"] if org and rng.random() < 0.7 else None
        place = world.capital[rng.choice(world.members[org] if org else codes)]
        kind = rng.choices(kinds, weights)[0]
        title = _document_title(world, kind, org, body, place, day.year)
        prefix = org or "intl"
        document: Record = {
            "id": world.unique(f"{prefix}-{short_slug(title)}-{n:05d}"),
            "title": title,
        }
        if rng.random() < 0.15:
            document["aliases"] = [f"{world.acronym.get(org or '', 'Joint')} {kind} of {day.year}"]
        document["kind"] = kind
        if date is not None:
            document["date"] = date
        if rng.random() < 0.6:
            document["place"] = place
        if org:
            document["org"] = org
        if body:
            document["body"] = body
        when = reach(date) if date else (None, None)
        pool = rng.sample(codes, len(codes))
        signatories: list[Record] = []
        for country in pool:
            if len(signatories) == 12:
                break
            status = rng.choices(statuses, status_weights)[0]
            # Only a country that may have been a member then signs (signed-by-non-member).
            if org and date and status != "not_signed" and not world.member_on(org, country, when):
                continue
            signatory: Record = {"country": country, "status": status, "sources": world.cite(2)}
            if rng.random() < 0.2:
                signatory["note"] = world.note(signatory["sources"], place)
            signatories.append(signatory)
        names = [world.country_name[s["country"]] for s in signatories]
        org_text = world.acronym[org] if org else "member states"
        body_text = world.body_name[body] if body else f"{org_text} council"
        document["summary"] = text.summary(rng, names, org_text, body_text, place, day.year)
        document["signatories"] = signatories
        document["sources"] = world.cite()
        if rng.random() < 0.8:
            document["note"] = world.note(document["sources"], place)
        world.documents.append(world.finish(document))
        if date and org and rng.random() < 0.5:
            world.events.append((day, _signing(world, document, day, place)))


def _signing(world: World, document: Record, day: dt.date, place: str) -> Record:
    """The meeting that signed ``document``: on its date, so the two agree (event-document-date)."""
    org, body = document["org"], document.get("body")
    signed = [s["country"] for s in document["signatories"] if s["status"] != "not_signed"]
    countries = signed[: world.rng.randint(2, 5)] or [document["signatories"][0]["country"]]
    people = [p for p in (world.head_of(c, day) for c in countries[:2]) if p]
    where = world.body_name[body] if body else f"{world.acronym[org]} summit"
    event: Record = {
        "date": document["date"],
        "title": f"{where} meeting in {place}",
        "kind": "meeting" if body else "summit",
        "summary": f"The {where} meets in {place}; "
        f"{text.listing([world.country_name[c] for c in countries])} sign the {document['title']}.",
        "place": place,
        "orgs": [org],
    }
    if body:
        event["bodies"] = [body]
    event["countries"] = countries
    if people:
        event["people"] = list(dict.fromkeys(people))
    event["documents"] = [document["id"]]
    event["tags"] = [text.slug(t) for t in text.topics(world.rng, 2)]
    event["sources"] = world.cite()
    return event


def _event_title(world: World, kind: str, org: str | None, body: str | None, place: str,
                 country: str, person: str | None) -> str:  # fmt: skip
    rng = world.rng
    t1, t2 = text.topic(rng), text.topic(rng)
    acronym = world.acronym[org] if org else "regional"
    who = world.people[person]["name"] if person else f"The envoy of {country}"
    forms = {
        "meeting": f"{world.body_name[body]} meeting in {place} on {t1}" if body else
                   f"{acronym} ministers meet in {place} on {t1} and {t2}",
        "summit": f"{acronym} summit in {place} on {t1} and {t2}",
        "speech": f"{who} speaks on {t1} at the {acronym} forum",
        "reception": f"Reception of the {country} delegation on {t1}",
        "initiative": f"{country} proposes a forum on {t1}",
        "conference": f"Conference on {t1} and {t2} in {place}",
        "expert_meeting": f"{acronym} experts meet in {place} on {t1} and {t2}",
        "appointment": f"{who} is appointed to the {acronym} {t1} panel",
        "reorganisation": f"The {world.body_name[body]} is reorganised" if body else
                          f"The {acronym} merges its {t1} and {t2} units",
        "transfer_of_power": f"{country} hands the {acronym} chair to its successor",
        "other": f"Exhibition on {t1} in {place}",
    }  # fmt: skip
    return forms[kind]


def make_events(world: World, count: int) -> list[Record]:
    """``count`` events: the foundings, accessions and signings made so far (as many as
    fit), then events at random, sorted by date and given ids in that order."""
    rng = world.rng
    kinds, weights = weighted(EVENT_KINDS)
    codes = [code for code, *_ in COUNTRIES]
    made = world.events[:count]
    for _ in range(count - len(made)):
        day = world.day()
        date = world.dated(day)
        kind = rng.choices(kinds, weights)[0]
        eligible = world.eligible_orgs(day)
        r = rng.random()
        orgs = [] if r < 0.1 else rng.sample(eligible, min(len(eligible), 1 if r < 0.85 else 2))
        members = world.members[orgs[0]] if orgs else codes
        how_many = rng.randint(1, 5)
        countries = rng.sample(members, min(how_many, len(members)))
        body = None
        if orgs and rng.random() < 0.55:
            body = rng.choice(world.bodies_of[orgs[0]])["id"]
        people = []
        head = world.head_of(countries[0], day) if rng.random() < 0.45 else None
        if head:
            people.append(head)
        if rng.random() < 0.15:
            people.append(rng.choice(list(world.people)))
        place = world.capital[rng.choice(countries)]
        country = world.country_name[countries[0]]
        title = _event_title(world, kind, orgs[0] if orgs else None, body, place, country, head)
        names = [world.country_name[c] for c in countries]
        if rng.random() < 0.1:  # written in another spelling, as some sources do
            names[0] = rng.choice(world.countries[codes.index(countries[0])]["aliases"][1:])
        org_text = world.acronym[orgs[0]] if orgs else "regional"
        body_text = world.body_name[body] if body else f"{org_text} council"
        event: Record = {
            "date": date,
            "title": title,
            "kind": kind,
            "summary": text.summary(rng, names, org_text, body_text, place, day.year),
        }
        if rng.random() < 0.65:
            event["place"] = place
        if orgs:
            event["orgs"] = orgs
        if body:
            event["bodies"] = [body]
        event["countries"] = countries
        if people:
            event["people"] = list(dict.fromkeys(people))
        event["tags"] = [text.slug(t) for t in text.topics(rng, rng.randint(1, 3))]
        event["sources"] = world.cite()
        if date.startswith("[.."):
            event["note"] = world.note(event["sources"], place, kind="before")
        elif rng.random() < 0.8:
            event["note"] = world.note(event["sources"], place)
        made.append((day, event))
    made.sort(key=lambda pair: pair[0])
    events = []
    for n, (day, event) in enumerate(made):
        lead = (event.get("orgs") or event["countries"])[0]
        base = f"{lead}-{event['kind'].replace('_', '-')}-{day.year}-{n:06d}"
        events.append(world.finish({"id": world.unique(base), **event}))
    return events


def make_facts(world: World, count: int) -> None:
    """Positions, figures, relations... about orgs, countries, bodies, people and
    documents; official positions cite an official page, but for one, silenced."""
    rng = world.rng
    kinds, weights = weighted(FACT_KINDS)
    official = [s for s in world.citable if world.source_kind[s] == "official_page"]
    op_eds = [s for s in world.citable if world.source_kind[s] == "op_ed"]
    people = list(world.people)
    for n in range(count):
        kind = rng.choices(kinds, weights)[0] if n else "official_position"
        org = rng.choice(world.orgs)["id"]
        acronym = world.acronym[org]
        country = rng.choice(world.members[org])
        other = rng.choice(world.members[org])
        name, other_name = world.country_name[country], world.country_name[other]
        body = rng.choice(world.bodies_of[org])
        t1, t2 = text.topic(rng), text.topic(rng)
        subjects = [country, org]
        if kind == "position":
            said = f"{name} holds that {t1} and {t2} belong within the {acronym}, not to talks."
        elif kind == "official_position":
            said = f"{name}'s government says its work in the {acronym} on {t1} serves it well."
        elif kind == "figure":
            projects = rng.randint(3, 400)
            said = (
                f"The {acronym} counts {projects} joint projects on {t1}, {projects // 3} on {t2}."
            )
            subjects = [org]
        elif kind == "relation":
            said = (
                f"{name} and {other_name} coordinate their positions on {t1} within the {acronym}."
            )
            subjects = list(dict.fromkeys([country, other, org]))
        elif kind == "participation":
            said = (
                f"{name} takes part in the yearly meetings of the {body['name']} of the {acronym}."
            )
            subjects = [country, body["id"]]
        elif kind == "designation":
            person = rng.choice(people)
            said = (
                f"{world.people[person]['name']} is named the {acronym}'s special envoy for {t1}."
            )
            subjects = [person, org]
        else:
            said = f"Work on {t1} is the {acronym}'s most advanced area, ahead of {t2}."
        if world.documents and rng.random() < 0.1:
            subjects.append(rng.choice(world.documents)["id"])
        fact: Record = {
            "id": world.unique(f"{subjects[0]}-{kind.replace('_', '-')}-{n:05d}"),
            "text": said,
            "kind": kind,
            "subjects": subjects,
        }  # fmt: skip
        if rng.random() < 0.3:
            day = world.day()
            r = rng.random()
            iso = day.isoformat()
            fact["date"] = (
                str(day.year)
                if r < 0.4
                else iso
                if r < 0.8
                else iso + "?"
                if r < 0.9
                else f"{day.year}~"
            )
        if n == 0 and op_eds:
            fact["sources"] = op_eds[:2]
            fact["check_ignore"] = [
                {
                    "rule": "single-op-ed-source",
                    "reason": "No official text states it; kept to show what the op-eds claim.",
                }
            ]
        elif kind == "official_position" and official:
            fact["sources"] = list(dict.fromkeys([rng.choice(official), *world.cite(2)]))
        else:
            fact["sources"] = world.cite()
        if rng.random() < 0.25:
            fact["note"] = world.note(fact["sources"])
        world.facts.append(world.finish(fact))
