"""The shipped content: the built-in library and the sample workspaces meet their brief."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from eventsec.checks.validate import validate
from tests.conftest import ROOT

PROTOCOLS = ROOT / "protocols"
SAMPLES = ROOT / "samples"
REQUIRED_DOMAINS = {
    "access",
    "screening",
    "ticketing",
    "crowd",
    "command",
    "counter-terrorism",
    "counter-drone",
    "cyber",
    "misinformation",
    "violent-content",
    "medical",
    "fire",
    "transport",
    "fan-zones",
    "protection",
    "fan-intelligence",
    "pyrotechnics",
    "visitor",
    "judicial",
    "media",
    "hospitality",
    "weather",
    "recovery",
}
REQUIRED_ROLES = {
    "police-match-commander",
    "venue-safety-officer",
    "stewarding-manager",
    "medical-coordinator",
    "fire-safety-officer",
    "counter-terrorism-unit",
    "counter-drone-unit",
    "cyber-unit",
    "digital-vigilance-unit",
    "traffic-police",
    "tourist-police",
    "nfip-officer",
    "accreditation-manager",
    "ticketing-manager",
    "venue-manager",
    "judicial-liaison",
    "civil-protection",
}


def load_all(root: Path, kind: str) -> list[dict]:
    documents = [yaml.safe_load(p.read_text()) for p in sorted(root.rglob("*.yaml"))]
    return [d for d in documents if d.get("kind") == kind]


@pytest.fixture(scope="module")
def protocols():
    return load_all(PROTOCOLS, "protocol")


@pytest.fixture(scope="module")
def items(protocols):
    return [item for p in protocols for item in p["items"]]


def test_library_and_samples_validate_clean_in_strict_mode():
    result = validate([PROTOCOLS, SAMPLES])
    assert [f"{f.location} {f.rule} {f.message}" for f in result.findings] == []


def test_library_covers_every_domain_with_enough_items(protocols, items):
    assert len(protocols) >= 18
    assert {p["domain"] for p in protocols} >= REQUIRED_DOMAINS
    assert len(items) >= 260
    assert all(len(p["items"]) >= 10 for p in protocols)


def test_catalog_has_the_joint_operation_roles():
    (catalog,) = load_all(PROTOCOLS, "catalog")
    roles = {r["id"]: r for r in catalog["roles"]}
    assert set(roles) >= REQUIRED_ROLES
    assert all(r["remit"] and r["remit"] != r["title"] for r in roles.values())
    assert {d["id"] for d in catalog["domains"]} >= REQUIRED_DOMAINS


def test_lessons_are_many_sourced_and_all_addressed(items):
    (lessons,) = load_all(PROTOCOLS, "lessons")
    assert len(lessons["lessons"]) >= 25
    linked = Counter(lesson for item in items for lesson in item.get("lessons", []))
    for lesson in lessons["lessons"]:
        assert lesson["sources"] and all(s["outlet"] and s["date"] for s in lesson["sources"])
        assert linked[lesson["id"]] >= 1, f"{lesson['id']} is not addressed by any item"


def test_article_initiatives_appear_in_the_library(items):
    text = " ".join(f"{i['title']} {i['description']}" for i in items).lower()
    for topic in (
        "misinformation",
        "rumour",
        "violent",
        "tourist police",
        "accident investigation",
        "cyber",
        "interpol",
        "spain",
        "portugal",
        "school",
    ):
        assert topic in text, topic


def test_items_are_complete_distinct_and_honestly_sourced(items):
    titles = Counter(i["title"].strip().lower() for i in items)
    assert [t for t, n in titles.items() if n > 1] == []
    for item in items:
        sourced = (
            item.get("references")
            or item.get("basis") == "practice"
            or (item.get("basis") == "lesson" and item.get("lessons"))
        )
        assert sourced, item["id"]
        assert len(item["description"]) >= 80, f"{item['id']} description is too thin"
        assert item["title"].split()[0][0].isupper()
    assert sum(1 for i in items if i.get("applies_when")) >= 20
    assert sum(1 for i in items if i.get("locked")) >= 40
    assert set(Counter(i["criticality"] for i in items)) >= {"critical", "high", "medium"}


def test_parameters_declare_unit_source_and_confidence(protocols):
    parameters = {name: d for p in protocols for name, d in (p.get("parameters") or {}).items()}
    assert {
        "turnstile_rate_per_hour",
        "flow_rate_level",
        "flow_rate_stepped",
        "egress_target_min",
        "steward_ratio",
        "doctor_threshold",
        "ambulance_threshold",
    } <= set(parameters)
    for name, declaration in parameters.items():
        assert declaration.get("confidence"), name
        assert declaration.get("unit") and declaration.get("description"), name
    assert parameters["flow_rate_level"]["confidence"] == "unverified"


# ASCII bounds, so that an Arabic prefix glued to a name (وsteward_ratio) still leaves it a name.
IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


def item_texts(item: dict) -> Iterator[tuple[str, str]]:
    """(language, text) of an item's title, description and evidence, English and translations."""
    for lang, fields in [("en", item), *(item.get("translations") or {}).items()]:
        for field in ("title", "description", "evidence"):
            if fields.get(field):
                yield lang, fields[field]


def schema_fields(node) -> Iterator[str]:
    """Every property name the JSON schemas define (venue fields such as fire_risk, s_factor)."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            yield from properties
        for value in node.values():
            yield from schema_fields(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_fields(value)


def test_identifiers_in_item_texts_name_declared_parameters_or_fields(protocols, items):
    """An item that names a parameter (steward_ratio) or a file field (fire_risk) in any language
    names one that still exists: a renamed or retired parameter left in an item's text would send
    a reader to nothing."""
    known = {name for p in protocols for name in p.get("parameters") or {}}
    for schema in sorted((ROOT / "schemas").glob("*.json")):
        known |= set(schema_fields(json.loads(schema.read_text(encoding="utf-8"))))
    stale = {
        (item["id"], lang, name)
        for item in items
        for lang, text in item_texts(item)
        for name in IDENTIFIER.findall(text)
        if name not in known
    }
    assert not stale, sorted(stale)


def test_critical_items_carry_french_and_arabic(items):
    for item in items:
        if item["criticality"] == "critical":
            for lang in ("fr", "ar", "es", "pt"):
                assert item.get("translations", {}).get(lang, {}).get("title"), (item["id"], lang)


def test_protocols_carry_their_title_and_summary_in_every_language(protocols):
    """A protocol's title is its domain's chapter title: the same words in each language."""
    catalog = next(iter(load_all(PROTOCOLS, "catalog")))
    domains = {d["id"]: d for d in catalog["domains"]}
    for protocol in protocols:
        for lang in ("fr", "ar", "es", "pt"):
            translated = protocol.get("translations", {}).get(lang, {})
            assert translated.get("summary"), (protocol["id"], lang)
            assert translated.get("title") == domains[protocol["domain"]]["translations"][lang]["title"], (
                protocol["id"],
                lang,
            )


def test_wc2030_sample_has_its_venues_overlays_and_status_spread():
    root = SAMPLES / "wc2030"
    venues = load_all(root, "venue")
    assert len(venues) >= 12
    assert {v["country"] for v in venues} == {"MA", "ES", "PT"}
    assert all(v.get("illustrative") for v in venues)
    overlays = load_all(root, "overlay")
    assert {o["target"] for o in overlays if o["layer"] == "country"} == {"MA", "ES", "PT"}
    match_overlays = [o for o in overlays if o["layer"] == "match"]
    assert len(match_overlays) >= 3
    stages = {m["id"]: (m.get("stage"), m.get("risk")) for v in venues for m in v.get("matches", [])}
    targets = [stages[o["target"]] for o in match_overlays]
    assert tuple({s for s, _ in targets} & {"opening"}) == ("opening",)
    assert any(s == "final" for s, _ in targets) and any(r == "high" for _, r in targets)
    assert len(load_all(root, "status")) >= 4


def test_afcon2025_sample_has_the_nine_stadiums():
    venues = load_all(SAMPLES / "afcon2025", "venue")
    assert len(venues) == 9
    assert {v["city"] for v in venues} >= {"Rabat", "Casablanca", "Agadir", "Marrakech", "Tangier"}


NEW_DOMAINS = {"cbrn": "CBR", "surveillance-governance": "SRV", "temporary-structures": "TMP"}
"""The domains issue 18 adds as protocols of their own, with each one's item prefix."""


def test_issue18_domains_are_full_protocols_owned_by_catalog_roles(protocols):
    (catalog,) = load_all(PROTOCOLS, "catalog")
    roles = {r["id"] for r in catalog["roles"]}
    orders = {d["id"]: d["order"] for d in catalog["domains"]}
    assert len(set(orders.values())) == len(orders)
    by_domain = {p["domain"]: p for p in protocols}
    for domain, prefix in NEW_DOMAINS.items():
        assert 24 <= orders[domain] <= 27, domain
        items = by_domain[domain]["items"]
        assert len(items) >= 10 and all(i["id"].startswith(prefix + "-") for i in items), domain
        assert {i["owner"] for i in items} <= roles, domain
        assert {"critical", "high"} <= {i["criticality"] for i in items}, domain
        assert 4 * sum(i.get("basis") == "practice" for i in items) <= len(items), domain


def test_threat_level_search_regime_is_appended_to_screening(protocols):
    (screening,) = [p for p in protocols if p["id"] == "screening"]
    regime = [i for i in screening["items"] if "threat-level" in i.get("tags", [])]
    assert [i["id"] for i in regime] == ["SCR-019", "SCR-020", "SCR-021", "SCR-022"]
    assert screening["items"][-len(regime) :] == regime


def resolved_states(venue_id: str) -> dict[str, str]:
    from eventsec.checks.validate import load_workspace
    from eventsec.plan.resolve import resolve

    workspace, result = load_workspace(SAMPLES / "wc2030")
    assert workspace is not None, result.findings
    plan, findings = resolve(workspace, venue_id)
    assert plan is not None and findings == [], findings
    assert set(NEW_DOMAINS) <= {i.protocol for i in plan.items()} | set(plan.domains)
    return {item.id: item.state for item in plan.items()}


@pytest.mark.parametrize("venue_id", ["ma-rabat", "es-cartuja", "pt-luz", "es-bernabeu"])
def test_new_domains_resolve_into_the_sample_plans_with_country_law_applied_where_it_holds(venue_id):
    """The EU AI Act and GDPR items apply in Spain and Portugal only, Morocco's Law 09-08 item in
    Morocco only; the rest of the new protocols apply at every venue (the ventilation procedure
    only under a closed or retractable roof: the Bernabéu's)."""
    from eventsec.plan.model import NOT_APPLICABLE, PRESENT

    states = resolved_states(venue_id)
    in_eu = not venue_id.startswith("ma-")
    expected = {
        "SRV-002": PRESENT if in_eu else NOT_APPLICABLE,
        "SRV-004": PRESENT if in_eu else NOT_APPLICABLE,
        "SRV-003": NOT_APPLICABLE if in_eu else PRESENT,
        "CBR-011": PRESENT if venue_id == "es-bernabeu" else NOT_APPLICABLE,
    }
    assert {ident: states[ident] for ident in expected} == expected
    for ident in ("CBR-001", "CBR-005", "SRV-001", "SRV-006", "TMP-002", "TMP-009", "SCR-019", "SCR-020"):
        assert states[ident] == PRESENT, ident
