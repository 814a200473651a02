"""Status entries against each venue's resolved plan (validate's resolve pass)."""

from __future__ import annotations

import textwrap

import pytest

from eventsec.cli import main

EXTRA = """kind: protocol
id: extra
version: 1.0.0
title: Extra
domain: crowd
items:
  - {id: XTR-001, title: Check the gates, description: Gates are checked., criticality: critical, phase: T-10d,
     owner: stewarding-manager, evidence: Gate log, basis: practice}
"""
WAIVER = '{approved_by: "A. Example, safety officer", date: "2025-05-02", reason: Covered by the tournament plan.}'


def run(runner, rule_workspace, status_items: str, overlay: str = "") -> list[str]:
    workspace = rule_workspace()
    (workspace / "library" / "extra.yaml").write_text(EXTRA)
    if overlay:
        (workspace / "overlays").mkdir()
        (workspace / "overlays" / "o.yaml").write_text(
            "kind: overlay\nid: o\nlayer: venue\ntarget: v1\n" + textwrap.dedent(overlay)
        )
    (workspace / "status").mkdir()
    (workspace / "status" / "v1.yaml").write_text(
        "kind: status\nvenue: v1\nitems:\n" + textwrap.indent(textwrap.dedent(status_items), "  ")
    )
    output = runner.invoke(main, ["validate", str(workspace)]).output
    return [line.split(": ", 1)[1] for line in output.splitlines() if "error[" in line or "warning[" in line]


NOT_APPLICABLE = "{state: not-applicable, reason: Not relevant for this venue in our view.}"


@pytest.mark.parametrize(
    "item, overlay, expected",
    [
        (
            "CRW-001",
            "",
            [
                "error[status-waiver] item 'CRW-001' is locked or critical in this venue's plan; "
                "marking it not-applicable needs a waiver"
            ],
        ),  # locked
        (
            "CRW-002",
            "set:\n  - item: CRW-002\n    fields: {criticality: critical}\n",
            [
                "error[status-waiver] item 'CRW-002' is locked or critical in this venue's plan; "
                "marking it not-applicable needs a waiver"
            ],
        ),  # raised by an overlay
        ("XTR-001", "set:\n  - item: XTR-001\n    fields: {criticality: high}\n", []),  # lowered by an overlay
        ("CRW-002", "", []),  # medium: no waiver needed
    ],
)
def test_a_waiver_is_needed_for_what_is_critical_at_this_venue(runner, rule_workspace, item, overlay, expected):
    assert run(runner, rule_workspace, f"{item}: {NOT_APPLICABLE}\n", overlay) == expected


def test_a_waiver_lets_a_locked_item_be_marked_not_applicable(runner, rule_workspace):
    entry = f"CRW-001:\n  state: not-applicable\n  reason: Covered by the tournament plan for this single venue.\n  waiver: {WAIVER}\n"
    assert run(runner, rule_workspace, entry) == []


def test_entries_for_items_this_venue_removed_are_flagged(runner, rule_workspace):
    overlay = (
        "remove:\n  - item: CRW-002\n    reason: The venue has no stewards of its own; the league provides them.\n"
    )
    assert run(runner, rule_workspace, f"CRW-002: {NOT_APPLICABLE}\n", overlay) == [
        "warning[status-item] status entry for item 'CRW-002', which this venue's plan removes (overlays/o.yaml:6)"
    ]


def test_entries_for_items_added_at_other_venues_only_are_flagged(runner, rule_workspace):
    workspace = rule_workspace()
    v1 = (workspace / "venues" / "v1.yaml").read_text()
    (workspace / "venues" / "v2.yaml").write_text(
        v1.replace("id: v1", "id: v2").replace("id: m1", "id: m2")
        + textwrap.dedent("""\
        overlay:
          add:
            - protocol: crowd-management
              item: {id: CRW-V2-001, title: Walk the gates, description: Gates walked., criticality: low, phase: T-1d,
                     owner: stewarding-manager, evidence: Log, basis: practice}
        """)
    )
    (workspace / "status").mkdir()
    (workspace / "status" / "v1.yaml").write_text(
        "kind: status\nvenue: v1\nitems:\n  CRW-V2-001: {state: done, evidence: Log}\n"
    )
    output = runner.invoke(main, ["validate", str(workspace)]).output
    assert "warning[status-item] status entry for item 'CRW-V2-001', which venue 'v1' does not have" in output


def test_removing_an_item_a_venue_lowered_from_critical_needs_no_waiver(runner, rule_workspace):
    """removal-waiver judges the library value only when no overlay sets the item's criticality."""
    overlay = (
        "set:\n  - item: XTR-001\n    fields: {criticality: high}\n"
        "remove:\n  - item: XTR-001\n    reason: The venue has a single gate, checked under CRW-002.\n"
    )
    assert run(runner, rule_workspace, "CRW-001: {state: in-progress}\n", overlay) == []


def test_entries_for_items_a_match_overlay_adds_at_this_venue_are_not_flagged(runner, tmp_path):
    """CRW-M001-001 is added for the opening match at ma-hassan2: its status entry is not stale."""
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "samples" / "wc2030", tmp_path / "ws")
    (tmp_path / "ws" / "status" / "ma-hassan2.yaml").write_text(
        "kind: status\nvenue: ma-hassan2\nitems: {}\nmatches:\n  m001:\n    items:\n"
        "      CRW-M001-001: {state: done, at: 2030-06-13T12:00, by: Ops}\n"
    )
    result = runner.invoke(main, ["validate", "--strict", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    (tmp_path / "ws" / "status" / "ma-tanger.yaml").write_text(
        f"kind: status\nvenue: ma-tanger\nitems:\n  CRW-M001-001: {NOT_APPLICABLE}\n"
    )
    assert "which venue 'ma-tanger' does not have" in runner.invoke(main, ["validate", str(tmp_path / "ws")]).output
