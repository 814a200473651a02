"""The library's domains for anti-discrimination, fan services, alcohol and the safety certificate:
their catalog entries, and the items that national law makes country-specific."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml

from eventsec.checks.validate import load_workspace
from eventsec.plan.model import NOT_APPLICABLE, PRESENT
from eventsec.plan.phases import parse_phase
from eventsec.plan.resolve import resolve
from tests.conftest import ROOT

PROTOCOLS = ROOT / "protocols"
DOMAINS = {"anti-discrimination": 28, "fan-service": 29, "alcohol": 30, "safety-certificate": 31}
ROLES = {
    "match-commissioner",
    "fan-services-coordinator",
    "police-liaison-lead",
    "human-rights-officer",
    "certifying-authority",
    "concessions-manager",
}
# One venue of the wc2030 sample in each host country.
VENUES = {"ES": "es-cartuja", "PT": "pt-luz", "MA": "ma-rabat"}
# Items whose law differs by host country, and the countries where each applies.
COUNTRY_ITEMS = {
    "ALC-002": {"ES"},
    "ALC-003": {"PT"},
    "ALC-004": {"MA"},
    "ALC-008": {"PT", "MA"},
    "ALC-011": {"PT", "MA"},
    "SFC-002": {"ES"},
    "SFC-003": {"PT"},
    "SFC-004": {"MA"},
    "ALC-001": {"ES", "PT", "MA"},
    "SFC-001": {"ES", "PT", "MA"},
}
EARLY_TAGS = {"capacity", "safety-certificate", "legal-authority", "ticketing-control"}


def protocol(name: str) -> dict:
    return yaml.safe_load((PROTOCOLS / f"{name}.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def plans():
    """The resolved plan of one wc2030 venue per host country."""
    workspace, result = load_workspace(ROOT / "samples" / "wc2030")
    assert workspace is not None, [f"{f.location} {f.message}" for f in result.findings]
    resolved = {}
    for country, venue in VENUES.items():
        plan, findings = resolve(workspace, venue)
        assert plan is not None, [f"{f.location} {f.message}" for f in findings]
        resolved[country] = plan
    return resolved


def test_catalog_orders_the_new_domains_and_has_their_roles():
    catalog = yaml.safe_load((PROTOCOLS / "catalog.yaml").read_text("utf-8"))
    orders = {d["id"]: d["order"] for d in catalog["domains"]}
    assert {domain: orders.get(domain) for domain in DOMAINS} == DOMAINS
    assert {r["id"] for r in catalog["roles"]} >= ROLES


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_each_new_domain_has_a_protocol_with_critical_items(domain):
    documents = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(PROTOCOLS.glob("*.yaml"))]
    (document,) = [d for d in documents if d["kind"] == "protocol" and d["domain"] == domain]
    criticalities = [item["criticality"] for item in document["items"]]
    assert len(criticalities) >= 10 and "critical" in criticalities
    # a realistic spread: never mostly critical
    assert criticalities.count("critical") * 2 < len(criticalities)


@pytest.mark.parametrize("item_id, countries", sorted(COUNTRY_ITEMS.items()), ids=sorted(COUNTRY_ITEMS))
def test_country_items_apply_only_in_their_country(plans, item_id, countries):
    states = {country: plan.item(item_id).state for country, plan in plans.items()}
    assert states == {c: PRESENT if c in countries else NOT_APPLICABLE for c in VENUES}


@pytest.mark.parametrize("name", ["safety-certificate", "alcohol"])
def test_certificate_capacity_and_legal_items_fall_due_before_tickets_sell(name):
    """Capacity, certificate, ticketing-control and legal-authority items of these protocols fall
    due at least 240 days before the first match, ahead of the usual first ticket sales."""
    early = [i for i in protocol(name)["items"] if EARLY_TAGS & set(i.get("tags", []))]
    assert early
    for item in early:
        phase = parse_phase(item["phase"])
        assert phase.anchor == "T" and -phase.offset >= timedelta(days=240), (item["id"], item["phase"])
