"""The shipped content: the built-in library and the sample workspaces meet their brief."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from eventsec.checks.validate import load_workspace, validate
from eventsec.plan.resolve import resolve
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
    """Every lesson names sources a reader can follow (outlet, date, headline, address) or says
    plainly that its source is unconfirmed, and no source points at files a user does not have."""
    documents = {doc["id"]: doc for doc in load_all(PROTOCOLS, "lessons")}
    assert set(documents) == {"afcon2025", "dgsn2025"}
    assert len(documents["afcon2025"]["lessons"]) >= 20
    linked = Counter(lesson for item in items for lesson in item.get("lessons", []))
    for lesson in (lesson for doc in documents.values() for lesson in doc["lessons"]):
        for source in lesson["sources"]:
            assert "notes" not in f"{source['outlet']} {source.get('note', '')}", lesson["id"]
            if source["confidence"] != "unconfirmed":
                assert source["date"] and source["title"] and source["url"].startswith("https://"), lesson["id"]
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


def test_under_a_third_of_items_rest_on_practice_alone(items):
    """An item says 'basis: practice' only where no document a reader can find stands behind it."""
    practice = [i["id"] for i in items if i.get("basis") == "practice"]
    assert len(practice) * 3 < len(items), f"{len(practice)} of {len(items)} items rest on practice alone"


def test_amnesty_bins_carry_the_counter_terrorism_caveat(items):
    """A bin that takes items anonymously can hide a device: every item placing one, in every
    language, says where it stands, that it is emptied and inspected, and agreed with the counter-terrorism unit."""
    placing = [i for i in items if "amnesty bin" in i["title"].lower()]
    assert placing
    for item in placing:
        assert "counter-terrorism unit" in item["description"] and "emptied and inspected" in item["description"]
        for language, words in {
            "fr": "antiterroriste",
            "ar": "مكافحة الإرهاب",
            "es": "antiterrorista",
            "pt": "antiterrorista",
        }.items():
            assert words in item["translations"][language]["description"], (item["id"], language)


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


def test_police_tasks_are_owned_by_the_police(items):
    """Policing supporter marches, running the casualty bureau and identifying offenders are police
    work: other agencies (fan-zone manager, civil protection, the NFIP) support, they do not own."""
    police_work = ("supporter march", "casualty information", "identify offenders")
    owned = {i["id"]: i["owner"] for i in items if any(words in i["title"].lower() for words in police_work)}
    assert len(owned) >= 3
    assert {item: owner for item, owner in owned.items() if not owner.startswith("police-")} == {}


def test_free_drinking_water_does_not_depend_on_heat_risk(items):
    water = [i for i in items if "free drinking water" in i["title"].lower()]
    assert water
    assert [i["id"] for i in water if "heat_risk" in (i.get("applies_when") or "")] == []


# --- national law in the country overlays ----------------------------------------------------------------------------

# venue -> (law items the country adds, words of JUD-001's adapted title, its country overlay,
#           references it cites, custody limit in hours, whether a security coordinator is required)
NATIONAL_LAW = {
    ("wc2030", "es-cartuja"): (
        {"CMD-ES-002", "SCR-ES-001", "SCR-ES-002"},
        "duty courts and the Fiscalía",
        "overlays/country-es.yaml",
        {"es-lecrim", "es-ley-19-2007", "es-lo-4-2015"},
        72,
        True,
    ),
    ("wc2030", "pt-luz"): (
        {"CRW-PT-001"},
        "summary proceedings",
        "overlays/country-pt.yaml",
        {"pt-cpp", "pt-lei-39-2009", "pt-crp"},
        48,
        True,
    ),
    ("wc2030", "ma-rabat"): (
        {"JUD-MA-001"},
        "judicial office with a duty prosecutor inside each Moroccan stadium",
        "overlays/country-ma.yaml",
        {"ma-cpp", "ma-law-09-09"},
        48,
        False,
    ),
    ("afcon2025", "ma-rabat-moulay-abdellah"): (
        {"JUD-MA-001"},
        "judicial office with a duty prosecutor inside each Moroccan stadium",
        "overlays/country-ma.yaml",
        {"ma-cpp", "ma-law-09-09"},
        48,
        False,
    ),
}
LAW_ITEMS = set().union(*(items for items, *_ in NATIONAL_LAW.values()))


@pytest.fixture(scope="module")
def sample_workspaces():
    return {name: load_workspace(SAMPLES / name)[0] for name in ("wc2030", "afcon2025")}


@pytest.mark.parametrize("sample,venue", sorted(NATIONAL_LAW))
def test_each_host_countrys_plan_carries_its_law_and_its_own_judicial_route(sample_workspaces, sample, venue):
    """Each country's legal roles are items of its venues' plans, with the law they rest on, and
    JUD-001 is the country's own route to a prosecutor or judge, set by its country overlay."""
    items, title, overlay, references, custody, coordinator = NATIONAL_LAW[(sample, venue)]
    plan, findings = resolve(sample_workspaces[sample], venue)
    assert plan is not None, findings
    present = {item.id for item in plan.items() if item.state == "present"}
    assert items <= present and not (LAW_ITEMS - items) & present
    for item_id in items:
        law = plan.item(item_id)
        assert (
            law.added
            and law.added.file == overlay
            and law.fields["references"]
            and "national-law" in law.fields["tags"]
        )
        assert {"fr", "ar", "es", "pt"} <= set(law.fields["translations"])
    judicial = plan.item("JUD-001")
    assert judicial.state == "present" and judicial.fields["locked"] and judicial.fields["criticality"] == "critical"
    assert title in judicial.fields["title"]
    for field in ("title", "description", "evidence", "references", "translations"):
        assert judicial.origin(field).layer == "country" and judicial.origin(field).file == overlay, field
    cited = {r if isinstance(r, str) else r["id"] for r in judicial.fields["references"]}
    assert cited == references
    assert all(judicial.fields["translations"][lang]["title"] for lang in ("fr", "ar", "es", "pt"))
    assert plan.parameters["custody_limit_hours"].value == custody
    assert plan.parameters["security_coordinator_required"].value is coordinator


def test_the_library_judicial_route_stands_alone_without_a_country_overlay(tmp_path):
    """Without its country overlays the sample still validates, and a Spanish venue gets the library's
    country-neutral JUD-001 (locked, critical) and none of the law items, whose condition is false."""
    root = tmp_path / "wc2030"
    shutil.copytree(SAMPLES / "wc2030", root)
    for path in [*root.glob("overlays/country-*.yaml"), *root.glob("status/*.yaml")]:
        path.unlink()
    result = validate([PROTOCOLS, root])
    assert result.findings == [], [f"{f.location} {f.message}" for f in result.findings]
    workspace, _ = load_workspace(root)
    plan, findings = resolve(workspace, "es-cartuja")
    assert plan is not None, findings
    judicial = plan.item("JUD-001")
    assert (
        judicial.fields["title"]
        == "Agree how offences at the stadium reach a prosecutor or judge promptly under national procedure"
    )
    assert (
        judicial.changed_fields() == [] and judicial.fields["locked"] and judicial.fields["criticality"] == "critical"
    )
    assert not LAW_ITEMS & {item.id for item in plan.items()}
    assert plan.parameters["security_coordinator_required"].value is False


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
