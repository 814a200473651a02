"""Venue geometry adds up: ids are unique, every reference names a section, every section has a way in and
out and holds people, and the sections hold the declared capacity. Widths, turnstile counts and areas
have physical floors in the venue schema (an exit at least 0.5 m wide, at least one turnstile)."""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Index
from eventsec.vocabulary import did_you_mean

LINKS = (("exits", "serves"), ("entrances", "feeds"), ("holding_areas", "serves"))


@rule(
    "geometry-reference",
    Severity.ERROR,
    "Sections, exits, entrances and holding areas have unique ids, and serve sections that exist.",
    explanation="Sections, exits, entrances and holding areas are referred to by id, so each id is unique and every `serves` list names sections that exist.",
    failing="exits:\n  - {id: x1, width_m: 4, serves: [nort]}\n",
    fixed="exits:\n  - {id: x1, width_m: 4, serves: [north]}\n",
)
def geometry_reference(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        geometry = venue.value.get("geometry") or {}
        for group in ("sections", "routes") + tuple(group for group, _ in LINKS):
            seen: dict[str, int] = {}
            for position, element in enumerate(geometry.get(group) or []):
                ident = element.get("id") if isinstance(element, dict) else None
                if isinstance(ident, str) and ident in seen:
                    yield r.finding(
                        venue.at("geometry", group, position, "id"),
                        f"{group[:-1].replace('_', ' ')} id '{ident}' is used twice in this venue (first at "
                        f"{venue.at('geometry', group, seen[ident], 'id')})",
                        "rename one: a repeated id merges two places into one in the safety figures",
                    )
                elif isinstance(ident, str):
                    seen[ident] = position
        sections = {s.get("id") for s in geometry.get("sections") or [] if isinstance(s, dict)}
        for group, link in LINKS:
            for position, element in enumerate(geometry.get(group) or []):
                for k, section in enumerate(element.get(link) or []):
                    if section not in sections:
                        yield r.finding(
                            venue.at("geometry", group, position, link, k),
                            f"{group[:-1].replace('_', ' ')} '{element.get('id')}' {link} unknown section '{section}'",
                            did_you_mean(str(section), {s for s in sections if s})
                            or "declare the section under geometry.sections",
                        )


@rule(
    "geometry-route",
    Severity.ERROR,
    "Exit routes pass through exits that exist and serve their sections, and carry every section; steward posts name places that exist.",
    explanation="A route is a series of exit elements from seat to outside, so every element it names is declared under `exits` and serves the sections the route serves; a steward post's `section` and `at` name a section and an entrance, exit or route of the venue.",
    failing="routes:\n  - {id: r1, serves: [north], through: [v1, gate-9]}\n",
    fixed="routes:\n  - {id: r1, serves: [north], through: [v1, gate-1]}\n",
)
def geometry_route(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        geometry = venue.value.get("geometry") or {}
        sections = {s.get("id") for s in geometry.get("sections") or [] if isinstance(s, dict)}
        exits = {e.get("id"): e for e in geometry.get("exits") or [] if isinstance(e, dict)}
        for position, route in enumerate(geometry.get("routes") or []):
            for k, section in enumerate(route.get("serves") or []):
                if section not in sections:
                    yield r.finding(
                        venue.at("geometry", "routes", position, "serves", k),
                        f"route '{route.get('id')}' serves unknown section '{section}'",
                        did_you_mean(str(section), {s for s in sections if s})
                        or "declare the section under geometry.sections",
                    )
            for k, element in enumerate(route.get("through") or []):
                if element not in exits:
                    yield r.finding(
                        venue.at("geometry", "routes", position, "through", k),
                        f"route '{route.get('id')}' passes through unknown exit element '{element}'",
                        did_you_mean(str(element), {e for e in exits if e})
                        or "declare the element under geometry.exits",
                    )
                    continue
                unserved = [
                    s for s in route.get("serves") or [] if s in sections and s not in exits[element].get("serves", [])
                ]
                if unserved:
                    yield r.finding(
                        venue.at("geometry", "routes", position, "through", k),
                        f"route '{route.get('id')}' carries section '{unserved[0]}' through exit '{element}', which does not serve it",
                        f"add '{unserved[0]}' to the serves of exit '{element}', or take it off the route",
                    )
        routes = [r for r in geometry.get("routes") or [] if isinstance(r, dict)]
        on_route = {s for r in routes for s in r.get("serves") or []}
        for position, section in enumerate(geometry.get("sections") or [] if routes else []):
            if isinstance(section, dict) and section.get("id") not in on_route:
                yield r.finding(
                    venue.at("geometry", "sections", position, "id"),
                    f"section '{section.get('id')}' is on no exit route: with routes declared, its exit capacity would be nil",
                    f"add '{section.get('id')}' to the serves of the route(s) its spectators leave by",
                )
        places = {
            p.get("id")
            for group in ("entrances", "exits", "routes")
            for p in geometry.get(group) or []
            if isinstance(p, dict)
        }
        for position, post in enumerate(geometry.get("steward_posts") or []):
            if "section" in post and post["section"] not in sections:
                yield r.finding(
                    venue.at("geometry", "steward_posts", position, "section"),
                    f"steward post ({post.get('kind')}) names unknown section '{post['section']}'",
                    did_you_mean(str(post["section"]), {s for s in sections if s})
                    or "declare the section under geometry.sections",
                )
            if "at" in post and post["at"] not in places:
                yield r.finding(
                    venue.at("geometry", "steward_posts", position, "at"),
                    f"steward post ({post.get('kind')}) stands at unknown place '{post['at']}'",
                    did_you_mean(str(post["at"]), {p for p in places if p})
                    or "name an entrance, exit or route of this venue",
                )


@rule(
    "geometry-coverage",
    Severity.ERROR,
    "Every section is served by at least one exit (and one entrance when entrances are given).",
    explanation="Every section needs a way out: at least one exit serves it, and when the venue lists entrances, at least one entrance too.",
    failing="geometry:\n  sections: [{id: north, seated: 600}, {id: south, seated: 400}]\n  exits:\n    - {id: x1, width_m: 4, serves: [north]}\n",
    fixed="geometry:\n  sections: [{id: north, seated: 600}, {id: south, seated: 400}]\n  exits:\n    - {id: x1, width_m: 4, serves: [north, south]}\n",
)
def geometry_coverage(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        geometry = venue.value.get("geometry") or {}
        exits = {s for e in geometry.get("exits") or [] for s in e.get("serves") or []}
        entrances = {s for e in geometry.get("entrances") or [] for s in e.get("feeds") or []}
        for position, section in enumerate(geometry.get("sections") or []):
            ident = section.get("id")
            if ident not in exits:
                yield r.finding(
                    venue.at("geometry", "sections", position, "id"),
                    f"section '{ident}' is served by no exit: nobody in it could leave",
                    f"add an exit with 'serves: [{ident}]'",
                )
            if geometry.get("entrances") and ident not in entrances:
                yield r.finding(
                    venue.at("geometry", "sections", position, "id"),
                    f"section '{ident}' is fed by no entrance",
                    f"add '{ident}' to an entrance's 'feeds'",
                )


@rule(
    "geometry-size",
    Severity.ERROR,
    "Every section has seated or standing places, and a standing area when it has standing places.",
    explanation="A section holds people: it has seated or standing places, and standing places need a standing area so density can be computed.",
    failing="sections:\n  - {id: south, seated: 300, standing: 100}\n",
    fixed="sections:\n  - {id: south, seated: 300, standing: 100, standing_area_m2: 40}\n",
)
def geometry_size(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        geometry = venue.value.get("geometry") or {}
        for position, section in enumerate(geometry.get("sections") or []):
            if not (section.get("seated") or section.get("standing")):
                yield r.finding(
                    venue.at("geometry", "sections", position, "id"),
                    f"section '{section.get('id')}' has no seated or standing places",
                )
            if section.get("standing") and "standing_area_m2" not in section:
                yield r.finding(
                    venue.at("geometry", "sections", position, "standing"),
                    f"section '{section.get('id')}' has standing places but no standing_area_m2",
                    "give the standing area so density can be checked",
                )


@rule(
    "geometry-capacity",
    Severity.ERROR,
    "The sections' seated and standing places add up to the declared capacity.",
    explanation="The seated and standing places of a venue's sections must add up to its declared capacity, or the safety figures would be computed for a different crowd.",
    failing="capacity: 1200\ngeometry:\n  sections:\n    - {id: north, seated: 600}\n    - {id: south, seated: 400}\n",
    fixed="capacity: 1000\ngeometry:\n  sections:\n    - {id: north, seated: 600}\n    - {id: south, seated: 400}\n",
)
def geometry_capacity(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        sections = (venue.value.get("geometry") or {}).get("sections") or []
        declared = venue.value.get("capacity")
        if not sections or not isinstance(declared, int):
            continue
        total = sum(int(s.get("seated") or 0) + int(s.get("standing") or 0) for s in sections)
        if total != declared:
            yield r.finding(
                venue.at("capacity"),
                f"sections hold {total:,} places but the declared capacity is {declared:,}",
                "make the section figures add up to the capacity (or correct the capacity)",
            )
