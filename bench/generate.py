"""Generate a deterministic set of valid ``kind: protocol`` files for benchmarks.

    .venv/bin/python bench/generate.py                  # 1000 files into bench/data/protocols
    .venv/bin/python bench/generate.py -n 200 -o /tmp/p  # elsewhere, fewer files

Each file is a protocol with ~8 checklist items of realistic size (a paragraph of description,
evidence, references, tags, some ``applies_when`` conditions and some fr/es/pt translations),
about the size of the hand-written protocols in ``protocols/``. Owners and domains come from
``protocols/catalog.yaml`` when it exists (a copy is written next to the protocols, so the
cross-file rules find their roles and domains and the built-in library is not pulled in);
otherwise a small fixed catalog is written. Output is a pure function of ``--seed`` and the
catalog: the same arguments give byte-identical files.

After writing, the set is validated with the project's ``eventsec`` (``--no-check`` skips it)
and the script fails unless eventsec reports zero findings.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CATALOG = ROOT / "protocols" / "catalog.yaml"
DEFAULT_OUT = BENCH / "data" / "protocols"
HEADER = "# yaml-language-server: $schema=../../../schemas/protocol.schema.json\n"

FALLBACK_DOMAINS = ["access", "screening", "crowd", "command", "medical", "fire", "transport", "media"]
FALLBACK_ROLES = [
    "venue-safety-officer",
    "stewarding-manager",
    "police-match-commander",
    "medical-lead",
    "control-room-supervisor",
    "transport-coordinator",
    "media-officer",
    "venue-manager",
]

# Vocabulary for plausible item text ---------------------------------------------------------
VERBS = [
    "Approve",
    "Rehearse",
    "Brief",
    "Inspect",
    "Test",
    "Publish",
    "Staff",
    "Map",
    "Audit",
    "Agree",
    "Deploy",
    "Review",
    "Certify",
    "Train",
    "Stock",
    "Record",
]
OBJECTS = [
    "the layered perimeter plan",
    "the stewarding deployment",
    "the search-lane layout",
    "the emergency exit routes",
    "the hand-over of control to police",
    "the casualty plan",
    "the public address scripts",
    "the radio channel plan",
    "the Zone Ex crowd-flow model",
    "the prohibited-items list",
    "the accreditation zoning matrix",
    "the hostile-vehicle barriers",
    "the counter-drone coverage",
    "the rumour-response message set",
    "the fan-zone capacity limits",
    "the team-hotel protection plan",
    "the turnstile read rates",
    "the ambulance access routes",
    "the CCTV coverage of every gate",
    "the lost-child procedure",
]
QUALIFIERS = [
    "for every venue",
    "before the first test event",
    "with the police match commander",
    "for high-risk fixtures",
    "at every gate and sector",
    "with the local authority",
    "for each match day",
    "in all host languages",
]
SENTENCES = [
    "A gap here was a contributing factor in past tournament incidents, where late changes left stewards without clear instructions.",
    "The plan must reflect the venue's certified capacities and the entry, holding and exit figures in the safety certificate.",
    "Without a tested procedure the control room cannot tell whether a sector is overfilling until pressure builds at the gates.",
    "Every supervisor must know the trigger points, who decides, and how the decision is logged and communicated.",
    "Done means a signed document, a briefing record for every supervisor and a drill observed by the safety advisory group.",
    "The measure is checked again after every significant change to the venue layout, the fixture risk or the threat level.",
    "Spectators with reduced mobility, families and visiting supporters are covered explicitly, not left to improvisation.",
    "Evidence from the test event, including counts per gate and timings per lane, is kept for the post-tournament review.",
    "Responsibilities are written down for each agency so that nothing falls between stadium management and police.",
    "The arrangement is rehearsed with the real radio channels, the real public address and the staff who will work on match day.",
    "Where the venue shares infrastructure with a fan zone or a transport hub, the plan covers the interface explicitly.",
    "Contingencies for power loss, system failure and severe weather are included and tested at least once.",
]
EVIDENCE = [
    "Signed plan with version, date and approvers",
    "Drill report with timings, observations and actions",
    "Briefing attendance sheet per supervisor",
    "Test-event log with counts per gate and lane",
    "Inspection checklist signed by the venue safety officer",
    "Agreed memorandum between the agencies involved",
    "Published message set in every host language",
    "Equipment register with test dates and results",
]
TAGS = [
    "perimeter",
    "zone-ex",
    "capacity",
    "turnstiles",
    "test-event",
    "stewarding",
    "briefing",
    "evacuation",
    "radio",
    "cctv",
    "medical",
    "transport",
    "media",
    "accessibility",
    "weather",
    "drill",
]
PHASES = [
    "T-180d",
    "T-120d",
    "T-90d",
    "T-60d",
    "T-45d",
    "T-30d",
    "T-14d",
    "T-7d",
    "T-2d",
    "MD-6h",
    "MD-4h",
    "MD-2h",
    "MD",
    "MD+1h",
    "MD+3h",
    "post",
]
CRITICALITY = ["critical", "high", "high", "medium", "medium", "low"]
CONDITIONS = [
    "venue.capacity >= 20000",
    "match.risk == 'high'",
    "match.stage == 'final' or match.stage == 'opening'",
    "venue.features.fan_zone",
    "venue.capacity >= 40000 and match.risk != 'low'",
]
FR = {
    "title": "Valider le dispositif {n} avec les services concernés",
    "description": "Le dispositif est validé par écrit, répété avec les équipes du jour de match et revu après "
    "chaque changement important de configuration du stade ou du niveau de menace.",
    "evidence": "Document signé, compte rendu d'exercice et liste d'émargement des briefings",
}
ES = {
    "title": "Aprobar el dispositivo {n} con los servicios implicados",
    "description": "El dispositivo se aprueba por escrito, se ensaya con los equipos del día de partido y se "
    "revisa tras cada cambio importante en la configuración del estadio o en el nivel de amenaza.",
    "evidence": "Documento firmado, informe del simulacro y hoja de asistencia a las sesiones informativas",
}
PT = {
    "title": "Aprovar o dispositivo {n} com os serviços envolvidos",
    "description": "O dispositivo é aprovado por escrito, ensaiado com as equipas do dia de jogo e revisto após "
    "cada alteração importante da configuração do estádio ou do nível de ameaça.",
    "evidence": "Documento assinado, relatório do exercício e folha de presenças das reuniões de briefing",
}
REFERENCES = [
    {"id": "fifa-ssr", "title": "FIFA Stadium Safety and Security Regulations", "publisher": "FIFA"},
    {"id": "uefa-ssr-2019", "title": "UEFA Safety and Security Regulations", "publisher": "UEFA", "edition": "2019"},
    {
        "id": "green-guide-6",
        "title": "Guide to Safety at Sports Grounds (Green Guide)",
        "publisher": "Sports Grounds Safety Authority (SGSA)",
        "edition": "6th edition, 2018",
    },
    {
        "id": "coe-cets-218",
        "title": "Council of Europe Convention on an Integrated Safety, Security and Service "
        "Approach at Football Matches and Other Sports Events",
        "publisher": "Council of Europe",
        "edition": "CETS No. 218",
    },
    {
        "id": "cisa-venue-guide-2024",
        "title": "Venue Guide for Security Considerations",
        "publisher": "Cybersecurity and Infrastructure Security Agency (CISA)",
        "edition": "2024",
    },
]


class _Dumper(yaml.SafeDumper):
    """Block style like the hand-written files: long texts as folded '>-' scalars."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if len(value) > 90 and "\n" not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def load_catalog() -> tuple[list[str], list[str], str | None]:
    """(domain ids, role ids, catalog text) from protocols/catalog.yaml, or fixed ids and None."""
    if CATALOG.is_file():
        data = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
        domains = [d["id"] for d in data.get("domains") or [] if isinstance(d, dict) and "id" in d]
        roles = [r["id"] for r in data.get("roles") or [] if isinstance(r, dict) and "id" in r]
        if domains and roles:
            return domains, roles, CATALOG.read_text(encoding="utf-8")
    return FALLBACK_DOMAINS, FALLBACK_ROLES, None


def fallback_catalog(domains: list[str], roles: list[str]) -> str:
    data = {
        "kind": "catalog",
        "id": "bench",
        "domains": [
            {"id": d, "title": d.replace("-", " ").capitalize(), "order": i + 1} for i, d in enumerate(domains)
        ],
        "roles": [
            {"id": r, "title": r.replace("-", " ").capitalize(), "remit": f"Owns the {r.replace('-', ' ')} items."}
            for r in roles
        ],
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def make_item(
    rng: random.Random, number: int, prefix: str, refs: list[str], roles: list[str], params: list[str]
) -> dict:
    obj = rng.choice(OBJECTS)
    item: dict = {
        "id": f"{prefix}-{number:03d}",
        "title": f"{rng.choice(VERBS)} {obj} {rng.choice(QUALIFIERS)}",
        "description": " ".join(rng.sample(SENTENCES, rng.randint(3, 5))),
        "criticality": rng.choice(CRITICALITY),
        "phase": rng.choice(PHASES),
        "owner": rng.choice(roles),
        "evidence": rng.choice(EVIDENCE),
    }
    if rng.random() < 0.85:
        cited = rng.sample(refs, rng.randint(1, min(3, len(refs))))
        item["references"] = [
            c if rng.random() < 0.7 else {"id": c, "section": f"Ch. {rng.randint(1, 20)}"} for c in cited
        ]
    else:
        item["basis"] = "practice"
    if item["criticality"] == "critical":
        item["locked"] = True
    if rng.random() < 0.25:
        condition = rng.choice(CONDITIONS + [f"{p} > 0" for p in params])
        item["applies_when"] = condition
    item["tags"] = rng.sample(TAGS, rng.randint(1, 3))
    languages = rng.choices([(), ("fr",), ("fr", "es"), ("fr", "es", "pt")], weights=[4, 3, 2, 1])[0]
    if languages:
        texts = {"fr": FR, "es": ES, "pt": PT}
        item["translations"] = {lang: {k: v.format(n=number) for k, v in texts[lang].items()} for lang in languages}
    return item


def make_protocol(rng: random.Random, index: int, domains: list[str], roles: list[str], items: int) -> dict:
    prefix = f"B{index:04d}"  # item ids B0001-001 … unique across the whole set
    refs = rng.sample(REFERENCES, rng.randint(2, len(REFERENCES)))
    params = {}
    for name in rng.sample(["steward_ratio", "search_lanes", "entry_window_min", "medical_posts"], rng.randint(0, 2)):
        params[f"{name}_{index:04d}"] = {
            "type": "integer",
            "default": rng.randint(2, 400),
            "unit": "per venue",
            "description": "Planning figure used by the items of this protocol; venues may override it.",
            "source": refs[0]["id"],
            "confidence": rng.choice(["documented", "secondary", "assumed"]),
            "minimum": 1,
        }
    domain = rng.choice(domains)
    protocol: dict = {
        "kind": "protocol",
        "id": f"bench-{index:04d}",
        "version": f"1.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        "title": f"Benchmark protocol {index} ({domain.replace('-', ' ')})",
        "domain": domain,
        "summary": " ".join(rng.sample(SENTENCES, 3)),
        "references": refs,
    }
    if params:
        protocol["parameters"] = params
    count = max(1, items + rng.randint(-1, 1))
    protocol["items"] = [
        make_item(rng, n, prefix, [r["id"] for r in refs], roles, list(params)) for n in range(1, count + 1)
    ]
    return protocol


def generate(out: Path, count: int, items: int, seed: int) -> list[Path]:
    domains, roles, catalog_text = load_catalog()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    written = []
    catalog = out / "catalog.yaml"
    catalog.write_text(catalog_text if catalog_text is not None else fallback_catalog(domains, roles), encoding="utf-8")
    for index in range(1, count + 1):
        document = make_protocol(rng, index, domains, roles, items)
        path = out / f"protocol-{index:04d}.yaml"
        text = HEADER + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def check(out: Path) -> dict:
    """Validate the set with the project's eventsec; returns the JSON summary."""
    eventsec = Path(sys.executable).with_name("eventsec")
    command = [str(eventsec) if eventsec.exists() else "eventsec", "validate", "--format", "json", str(out)]
    run = subprocess.run(command, capture_output=True, text=True)
    try:
        payload = json.loads(run.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"eventsec validate failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}") from None
    if payload["findings"] or run.returncode != 0:
        for finding in payload["findings"][:20]:
            print(f"  {finding['file']}:{finding['line']}: {finding['rule']}: {finding['message']}", file=sys.stderr)
        raise SystemExit(f"generated set is not clean: {len(payload['findings'])} findings (exit {run.returncode})")
    return payload["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1000, help="number of protocol files (default 1000)")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help="output directory (replaced)")
    parser.add_argument("--items", type=int, default=8, help="items per protocol, ±1 (default 8)")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--no-check", action="store_true", help="skip the eventsec validate check")
    args = parser.parse_args()
    written = generate(args.out, args.count, args.items, args.seed)
    size = sum(p.stat().st_size for p in written)
    print(
        f"wrote {len(written)} protocols + catalog.yaml to {args.out} "
        f"({size / 1e6:.1f} MB, {size / len(written) / 1024:.1f} KiB per protocol on average)"
    )
    if not args.no_check:
        summary = check(args.out)
        print(
            f"eventsec validate: {summary['files']} files, {summary['errors']} errors, "
            f"{summary['warnings']} warnings, {summary['notes']} notes"
        )


if __name__ == "__main__":
    main()
