"""Lead times of the library: no item tagged capacity, safety-certificate, ticketing-control or
legal-authority falls due after ticket on-sale, at any venue of either sample.

Tickets sold before a ground's capacity is certified, before the controls on who may buy them
are in place, or before the legal powers the plan relies on exist cannot be unsold."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest

from eventsec.assess.readiness.deadlines import item_deadlines, milestones, venue_zone
from eventsec.checks.validate import load_workspace
from eventsec.plan.model import PRESENT
from eventsec.plan.resolve import resolve
from tests.conftest import FIXTURES, ROOT

BEFORE_ON_SALE = frozenset({"capacity", "safety-certificate", "ticketing-control", "legal-authority"})
SAMPLES = ["wc2030", "afcon2025"]


def due_after_on_sale(path: Path) -> list[tuple[str, str, str, str]]:
    """(venue, item, due day, on-sale day) for every tagged item due after ticket on-sale."""
    workspace, result = load_workspace(path)
    assert workspace is not None, [f.message for f in result.findings]
    on_sale = milestones(workspace.tournament.data)["ticket-on-sale"].day
    late = []
    for venue_id in workspace.venues():
        plan, findings = resolve(workspace, venue_id)
        assert plan is not None, findings
        opens = datetime.combine(on_sale, time(0, 0), tzinfo=venue_zone(plan.venue["timezone"]))
        for item in plan.items():
            if item.state == PRESENT and BEFORE_ON_SALE & set(item.fields.get("tags") or []):
                (due,) = item_deadlines(item.fields, plan.venue, plan.tournament)
                if due.due > opens:
                    late.append((venue_id, item.id, due.shown(), on_sale.isoformat()))
    return late


@pytest.mark.parametrize("sample", SAMPLES)
def test_no_capacity_certificate_ticketing_or_legal_item_falls_due_after_on_sale(sample):
    assert due_after_on_sale(ROOT / "samples" / sample) == []


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_library_tags_items_of_each_kind(sample):
    """The check above is not vacuous: each tag is carried by items the sample's plans hold."""
    workspace, _ = load_workspace(ROOT / "samples" / sample)
    plan, _ = resolve(workspace, next(iter(workspace.venues())))
    tags = {tag for item in plan.items() for tag in item.fields.get("tags") or []}
    assert tags >= BEFORE_ON_SALE


def test_a_certificate_moved_after_on_sale_is_found(tmp_path):
    """The fixture overlay makes FIR-001 due at T-30d, long after on-sale, at every venue."""
    workspace = tmp_path / "afcon2025"
    shutil.copytree(ROOT / "samples" / "afcon2025", workspace)
    shutil.copy(FIXTURES / "lead_times" / "late-certificate.yaml", workspace / "overlays" / "late-certificate.yaml")
    late = due_after_on_sale(workspace)
    assert {item for _, item, _, _ in late} == {"FIR-001"}
    assert len(late) == len(load_workspace(workspace)[0].venues())
    assert all(date.fromisoformat(due) > date.fromisoformat(on_sale) for _, _, due, on_sale in late)
