"""Generate a deterministic tournament workspace for the resolve benchmarks.

    .venv/bin/python bench/generate_workspace.py                        # 100 venues, 300 items
    .venv/bin/python bench/generate_workspace.py --venues 30 --items 150 -o /tmp/ws

Layout (everything inside the workspace, so ``eventsec validate DIR`` checks all of it)::

    tournament.yaml          protocols: [library]; hosts MA, ES, PT; a tournament-level set/add
    library/catalog.yaml     a copy of protocols/catalog.yaml (or a small fixed catalog)
    library/lessons.yaml     12 lessons, each answered by at least one item
    library/protocol-*.yaml  generated protocols (bench/generate.py's item maker), exactly --items items
    overlays/country-*.yaml  one per host: set (fields and append), add (after an anchor), remove,
                             a parameter setting
    overlays/venue-*.yaml    every 10th venue: set, add, remove
    overlays/match-*.yaml    two match overlays (set, add)
    venues/*.yaml            --venues venues with 2 matches each, a small geometry and contacts;
                             every 7th carries an inline ``overlay:`` (set + remove)

The library is the workspace's own (it has a catalog), so the built-in library is not loaded.
Seeded: the same arguments give byte-identical files. After writing, ``eventsec validate`` is run
on the workspace (``--no-check`` skips it) and the script fails unless it reports zero findings.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import _Dumper, check, fallback_catalog, load_catalog, make_protocol

BENCH = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH / "data" / "workspace"
SCHEMA_HEADER = "# yaml-language-server: $schema={up}schemas/{kind}.schema.json\n"

HOSTS = [
    ("MA", "Morocco", "Africa/Casablanca", ["Casablanca", "Rabat", "Marrakech", "Tangier", "Fes", "Agadir"]),
    ("ES", "Spain", "Europe/Madrid", ["Madrid", "Barcelona", "Seville", "Bilbao", "Valencia", "Malaga"]),
    ("PT", "Portugal", "Europe/Lisbon", ["Lisbon", "Porto", "Braga", "Coimbra", "Faro", "Aveiro"]),
]
LESSON_EVENT = "BENCH30"
LESSON_COUNT = 12
STAGES = ["group", "group", "group", "round-of-32", "round-of-16", "quarter-final"]
RISKS = ["low", "medium", "medium", "high"]
SECTION_NAMES = ["north", "south", "east", "west"]


def dump(path: Path, document: dict, up: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(SCHEMA_HEADER.format(up=up, kind=document["kind"]) + text, encoding="utf-8")


def make_library(rng: random.Random, total_items: int, domains: list[str], roles: list[str]) -> list[dict]:
    """Protocols with exactly ``total_items`` items (the last one trimmed)."""
    protocols: list[dict] = []
    count = 0
    index = 0
    while count < total_items:
        index += 1
        protocol = make_protocol(rng, index, domains, roles, 8)
        keep = min(len(protocol["items"]), total_items - count)
        protocol["items"] = protocol["items"][:keep]
        count += keep
        protocols.append(protocol)
    return protocols


def make_lessons(rng: random.Random, domains: list[str]) -> dict:
    lessons = []
    for number in range(1, LESSON_COUNT + 1):
        lessons.append(
            {
                "id": f"{LESSON_EVENT}-L{number:02d}",
                "domain": rng.choice(domains),
                "severity": rng.choice(["critical", "high", "medium", "low"]),
                "title": f"Benchmark lesson {number}: late changes left stewards without instructions",
                "observation": "At a past tournament match, gate changes announced late were not passed to every supervisor, "
                "and queues built at the wrong gates before kick-off.",
                "recommendation": "Freeze gate allocations before the final briefing and brief every supervisor on any change, "
                "with a record of who was told and when.",
                "sources": [
                    {
                        "outlet": "Benchmark source (generated)",
                        "date": f"2025-{rng.randint(1, 12):02d}",
                        "confidence": "unverified",
                        "note": "Generated for the benchmark; not a real report.",
                    }
                ],
            }
        )
    return {
        "kind": "lessons",
        "id": "bench-lessons",
        "title": "Benchmark lessons (generated)",
        "event": "A generated past tournament",
        "lessons": lessons,
    }


def link_lessons(protocols: list[dict]) -> None:
    """Every lesson answered by at least one item, spread over the library."""
    items = [item for protocol in protocols for item in protocol["items"]]
    step = max(1, len(items) // LESSON_COUNT)
    for number in range(1, LESSON_COUNT + 1):
        item = items[((number - 1) * step + step // 2) % len(items)]
        item.setdefault("lessons", []).append(f"{LESSON_EVENT}-L{number:02d}")


def plain_items(protocols: list[dict]) -> list[tuple[str, dict]]:
    """(protocol id, item) for items an overlay may lower or remove: neither locked nor critical."""
    return [
        (p["id"], i) for p in protocols for i in p["items"] if not i.get("locked") and i["criticality"] != "critical"
    ]


def added_item(rng: random.Random, item_id: str, roles: list[str], title: str) -> dict:
    return {
        "id": item_id,
        "title": title,
        "description": "Added by an overlay for the benchmark: the local arrangement is written down, rehearsed with the "
        "staff who will work on match day and signed by every agency involved.",
        "criticality": rng.choice(["high", "medium"]),
        "phase": rng.choice(["T-90d", "T-30d", "T-7d", "MD-4h"]),
        "owner": rng.choice(roles),
        "evidence": "Signed local arrangement and the briefing record",
        "basis": "practice",
        "tags": ["local"],
    }


def operations(
    rng: random.Random,
    picks: list[tuple[str, dict]],
    roles: list[str],
    prefix: str,
    adds: int,
    sets: int,
    removes: int,
    label: str,
) -> dict:
    """set / add / remove blocks over distinct items of ``picks`` (consumed from the front)."""
    block: dict = {}
    chosen = [picks.pop(0) for _ in range(min(len(picks), sets + removes + adds))]
    to_set, to_remove, anchors = chosen[:sets], chosen[sets : sets + removes], chosen[sets + removes :]
    if to_set:
        block["set"] = []
        for k, (_, item) in enumerate(to_set):
            if k % 3 == 2:
                block["set"].append(
                    {
                        "item": item["id"],
                        "append": {"tags": [f"{prefix.lower()}-local"]},
                        "note": f"{label}: tagged for local follow-up.",
                    }
                )
            else:
                fields = {
                    "criticality": "critical" if k % 3 == 0 else "high",
                    "phase": rng.choice(["T-60d", "T-30d", "T-14d"]),
                }
                if k % 2 == 0:
                    fields["description"] = (f"{label}: " + item["description"])[:600]
                block["set"].append(
                    {"item": item["id"], "fields": fields, "note": f"{label}: raised for local conditions."}
                )
    if anchors:
        block["add"] = [
            {
                "protocol": protocol,
                "after": item["id"],
                "item": added_item(rng, f"{prefix}-{n:03d}", roles, f"{label}: local arrangement {n}"),
                "note": f"{label}: a local measure.",
            }
            for n, (protocol, item) in enumerate(anchors, start=1)
        ]
    if to_remove:
        block["remove"] = [
            {
                "item": item["id"],
                "reason": f"{label}: covered by the host city's own arrangement, recorded in the local agreement.",
            }
            for _, item in to_remove
        ]
    return block


def make_venue(rng: random.Random, number: int, host: tuple, match_base: int) -> dict:
    code, _, timezone, cities = host
    capacity = rng.randrange(24000, 84000, 200)
    per = capacity // 4
    venue_id = f"{code.lower()}-v{number:03d}"
    day = 13 + (number % 28)
    matches = []
    for k in range(2):
        stage = rng.choice(STAGES)
        matches.append(
            {
                "id": f"m{match_base + k:03d}",
                "date": f"2030-{6 + (day + 8 * k) // 30:02d}-{(day + 8 * k) % 30 + 1:02d}",
                "kickoff": rng.choice(["15:00", "18:00", "21:00"]),
                "stage": stage,
                "risk": rng.choice(RISKS),
                "expected_attendance": capacity - rng.randrange(200, 3000, 100),
            }
        )
    return {
        "kind": "venue",
        "id": venue_id,
        "name": f"Benchmark Stadium {number}",
        "city": rng.choice(cities),
        "country": code,
        "timezone": timezone,
        "capacity": per * 4,
        "capacity_source": "Generated for the benchmark",
        "illustrative": "Every figure is generated; do not use for operations.",
        "features": {
            "roof": rng.choice(["open", "closed", "retractable"]),
            "fan_zone": rng.random() < 0.5,
            "heat_risk": rng.choice(["low", "medium", "high"]),
            "rail_link": rng.random() < 0.6,
        },
        "matches": matches,
        "geometry": {
            "sections": [{"id": s, "name": f"{s.capitalize()} stand", "seated": per} for s in SECTION_NAMES],
            "exits": [{"id": f"{s}-exits", "width_m": 22, "type": "stepped", "serves": [s]} for s in SECTION_NAMES],
            "entrances": [{"id": f"gate-{s}", "turnstiles": max(8, per // 600), "feeds": [s]} for s in SECTION_NAMES],
        },
        "contacts": [
            {
                "role": "venue-safety-officer",
                "name": f"Safety officer {number} (generated)",
                "phone": f"+00 000 000 {number:03d}",
            }
        ],
    }


def generate(out: Path, venues: int, items: int, seed: int) -> dict:
    """Write the workspace; returns counts (files, venues, items, overlays)."""
    domains, roles, catalog_text = load_catalog()
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    library = out / "library"
    library.mkdir(parents=True)
    (library / "catalog.yaml").write_text(
        catalog_text if catalog_text is not None else fallback_catalog(domains, roles), encoding="utf-8"
    )
    protocols = make_library(rng, items, domains, roles)
    link_lessons(protocols)
    for protocol in protocols:
        number = int(protocol["id"].split("-")[1])
        dump(library / f"protocol-{number:04d}.yaml", protocol, "../../../../")
    dump(library / "lessons.yaml", make_lessons(rng, domains), "../../../../")

    picks = plain_items(protocols)
    rng.shuffle(picks)
    parameters = sorted(name for p in protocols for name in p.get("parameters") or {})
    tournament = {
        "kind": "tournament",
        "id": "bench2030",
        "name": "Benchmark Cup 2030",
        "dates": {"start": "2030-06-13", "end": "2030-07-21"},
        "languages": ["en", "fr"],
        "hosts": [{"country": code, "name": name} for code, name, _, _ in HOSTS],
        "protocols": ["library"],
        "plan_version": "0.1",
        "classification": "internal",
        "distribution": ["Tournament security directorate", "Venue safety officers"],
        **operations(rng, picks, roles, "TOU", adds=1, sets=3, removes=0, label="Tournament"),
    }
    if parameters:
        tournament["parameters"] = {
            parameters[0]: {"value": 50, "source": "Tournament planning decision (generated)", "confidence": "assumed"}
        }
    dump(out / "tournament.yaml", tournament, "../../../")

    overlays = 0
    for k, (code, name, _, _) in enumerate(HOSTS):
        overlay = {
            "kind": "overlay",
            "id": f"country-{code.lower()}",
            "layer": "country",
            "target": code,
            "description": f"{name}: how the host country organises match security (generated).",
            **operations(rng, picks, roles, f"C{code}", adds=2, sets=4, removes=2, label=name),
        }
        if len(parameters) > k + 1:
            overlay["parameters"] = {
                parameters[k + 1]: {
                    "value": 40 + k,
                    "source": f"{name} planning figure (generated)",
                    "confidence": "assumed",
                }
            }
        dump(out / "overlays" / f"country-{code.lower()}.yaml", overlay, "../../../../")
        overlays += 1

    venue_docs = []
    for number in range(1, venues + 1):
        host = HOSTS[(number - 1) % len(HOSTS)]
        venue = make_venue(rng, number, host, 2 * number - 1)
        if number % 7 == 0:
            venue["overlay"] = operations(
                rng, picks, roles, f"V{number:03d}", adds=0, sets=1, removes=1, label=venue["name"]
            )
        venue_docs.append(venue)
        dump(out / "venues" / f"{venue['id']}.yaml", venue, "../../../../")
    for venue in venue_docs[9::10]:
        if venue.get("overlay"):
            continue  # one owner per layer: keep the inline overlay alone
        number = int(venue["id"].split("-v")[1])
        overlay = {
            "kind": "overlay",
            "id": f"venue-{venue['id']}",
            "layer": "venue",
            "target": venue["id"],
            "description": f"{venue['name']}: venue-specific changes (generated).",
            **operations(rng, picks, roles, f"W{number:03d}", adds=1, sets=2, removes=1, label=venue["name"]),
        }
        dump(out / "overlays" / f"venue-{venue['id']}.yaml", overlay, "../../../../")
        overlays += 1
    for venue in venue_docs[:2]:
        match = venue["matches"][0]["id"]
        overlay = {
            "kind": "overlay",
            "id": f"match-{match}",
            "layer": "match",
            "target": match,
            "description": f"Match {match} at {venue['name']} (generated).",
            **operations(rng, picks, roles, f"M{match.upper()}", adds=1, sets=2, removes=0, label=f"Match {match}"),
        }
        dump(out / "overlays" / f"match-{match}.yaml", overlay, "../../../../")
        overlays += 1
    files = sorted(out.rglob("*.yaml"))
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "venues": venues,
        "items": items,
        "protocols": len(protocols),
        "overlay_files": overlays,
        "inline_venue_overlays": sum(1 for v in venue_docs if v.get("overlay")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venues", type=int, default=100, help="venues, 2 matches each (default 100)")
    parser.add_argument("--items", type=int, default=300, help="library items in all (default 300)")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help="output directory (replaced)")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--no-check", action="store_true", help="skip the eventsec validate check")
    args = parser.parse_args()
    counts = generate(args.out, args.venues, args.items, args.seed)
    print(
        f"wrote {args.out}: {counts['venues']} venues, {counts['items']} items in {counts['protocols']} protocols, "
        f"{counts['overlay_files']} overlay files + {counts['inline_venue_overlays']} inline venue overlays "
        f"({counts['files']} files, {counts['bytes'] / 1e6:.1f} MB)"
    )
    if not args.no_check:
        summary = check(args.out)
        print(
            f"eventsec validate: {summary['files']} files, {summary['errors']} errors, "
            f"{summary['warnings']} warnings, {summary['notes']} notes"
        )


if __name__ == "__main__":
    main()
