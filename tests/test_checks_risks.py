"""Risk registers checked (checks/risks.py): against the files (lint) and against the resolved
plan of their match (validate's resolve pass): a control the venue removes, the declared match
category against the register's ratings, a high-risk match with a match plan and no register."""

from __future__ import annotations

from pathlib import Path

from eventsec.checks.validate import validate
from tests.conftest import RULE_FIXTURES

REGISTER = RULE_FIXTURES / "risk-match" / "pass"


def findings(workspace: Path, rule: str | None = None):
    found = validate([workspace]).findings
    return [f for f in found if rule is None or f.rule == rule]


def pointed_at(finding) -> str:
    line = Path(finding.location.file).read_text().splitlines()[finding.location.line - 1]
    return line[finding.location.column - 1 :]


def set_match_risk(workspace: Path, risk: str) -> None:
    venue = workspace / "venues" / "v1.yaml"
    venue.write_text(venue.read_text().replace("risk: high", f"risk: {risk}"))


def set_register(workspace: Path, old: str, new: str) -> Path:
    path = workspace / "risks" / "m1.yaml"
    path.write_text(path.read_text().replace(old, new))
    return path


def test_the_register_fixture_is_clean_on_a_high_risk_match(rule_workspace):
    assert findings(rule_workspace(REGISTER)) == []


def test_a_medium_match_with_a_critical_inherent_risk_is_warned_at_the_risk(rule_workspace):
    workspace = rule_workspace(REGISTER)
    set_match_risk(workspace, "medium")
    (finding,) = findings(workspace)
    assert finding.rule == "risk-category" and finding.severity.value == "warning"
    assert finding.message == (
        "risk 'R02' is rated critical (4 × 4 = 16), above what match 'm1' declared 'medium' risk allows (at most high)"
    )
    assert finding.location.file.endswith("risks/m1.yaml") and pointed_at(finding) == "4"
    assert finding.location.line == 17


def test_a_medium_match_whose_register_stays_high_agrees(rule_workspace):
    workspace = rule_workspace(REGISTER)
    set_match_risk(workspace, "medium")
    set_register(workspace, "likelihood: 4\n    impact: 4", "likelihood: 3\n    impact: 4")
    assert findings(workspace) == []


def test_a_low_match_allows_medium_risks_only(rule_workspace):
    workspace = rule_workspace(REGISTER)
    set_match_risk(workspace, "low")
    set_register(workspace, "likelihood: 4\n    impact: 4", "likelihood: 2\n    impact: 3")
    (finding,) = findings(workspace, "risk-category")
    assert "risk 'R01' is rated high (3 × 4 = 12)" in finding.message and "(at most medium)" in finding.message
    set_register(workspace, "likelihood: 3\n    impact: 4", "likelihood: 2\n    impact: 2")
    set_register(workspace, "residual: {likelihood: 2, impact: 4}", "residual: {likelihood: 1, impact: 2}")
    assert findings(workspace) == []


def test_a_high_risk_match_with_its_own_match_plan_and_no_register_is_warned(rule_workspace):
    workspace = rule_workspace()
    (workspace / "overlay.yaml").write_text(
        "kind: overlay\nid: o1\nlayer: match\ntarget: m1\nset:\n  - item: CRW-002\n    fields: {criticality: high}\n"
    )
    (finding,) = findings(workspace)
    assert finding.rule == "risk-category" and finding.location.file.endswith("venues/v1.yaml")
    assert "declared high risk and has its own match plan, but no risk register" in finding.message
    assert pointed_at(finding).startswith("high")
    set_match_risk(workspace, "medium")
    assert findings(workspace) == []


def test_a_high_risk_match_with_a_match_plan_and_a_register_is_not_warned(rule_workspace):
    workspace = rule_workspace(REGISTER)
    (workspace / "overlay.yaml").write_text(
        "kind: overlay\nid: o1\nlayer: match\ntarget: m1\nset:\n  - item: CRW-002\n    fields: {criticality: high}\n"
    )
    assert findings(workspace) == []


def test_a_control_the_venue_removes_is_an_error_at_the_control(rule_workspace):
    workspace = rule_workspace(REGISTER)
    (workspace / "overlay.yaml").write_text(
        "kind: overlay\nid: o1\nlayer: venue\ntarget: v1\nremove:\n  - item: CRW-002\n"
        "    reason: Stewards are briefed at the tournament-wide session instead\n"
    )
    found = findings(workspace)
    assert [f.rule for f in found] == ["risk-control", "risk-control"]
    assert found[0].message.startswith("control 'CRW-002' of risk 'R01' is removed (")
    assert "overlay.yaml:6) from the plan of match 'm1' at venue 'v1'; it can never be in place" in found[0].message
    assert [f.location.line for f in found] == [12, 20] and all(pointed_at(f).startswith("CRW-002") for f in found)


def test_a_control_that_does_not_apply_at_the_venue_is_an_error(rule_workspace):
    workspace = rule_workspace(REGISTER)
    crowd = workspace / "library" / "crowd.yaml"
    crowd.write_text(
        crowd.read_text().replace(
            "    basis: practice\n", '    basis: practice\n    applies_when: match.risk == "low"\n'
        )
    )
    found = findings(workspace, "risk-control")
    assert len(found) == 2 and "does not apply in the plan of match 'm1'" in found[0].message


def test_a_library_without_the_band_parameters_is_reported_at_the_register(rule_workspace):
    workspace = rule_workspace(REGISTER)
    crowd = workspace / "library" / "crowd.yaml"
    crowd.write_text("".join(line for line in crowd.read_text().splitlines(True) if "risk_band_" not in line))
    (finding,) = findings(workspace)
    assert finding.rule == "risk-bands" and finding.location.file.endswith("risks/m1.yaml")
    assert "risk_band_medium_from, risk_band_high_from, risk_band_critical_from" in finding.message


def test_an_unknown_match_suggests_the_nearest(rule_workspace):
    (finding,) = findings(rule_workspace(RULE_FIXTURES / "risk-match" / "fail"))
    assert finding.message == "risk register for match 'm01', which no venue of this workspace hosts"
    assert finding.hint == "did you mean 'm1'?" and pointed_at(finding) == "m01"


def test_a_second_register_for_a_match_names_the_first(rule_workspace):
    workspace = rule_workspace(REGISTER)
    (workspace / "risks" / "m1-copy.yaml").write_text((workspace / "risks" / "m1.yaml").read_text())
    (finding,) = findings(workspace)
    assert finding.rule == "risk-match" and finding.location.file.endswith("risks/m1.yaml")
    assert "a second risk register for match 'm1' (the first is " in finding.message
    assert "m1-copy.yaml:2:8)" in finding.message


def test_residual_above_inherent_points_at_the_value(rule_workspace):
    (residual,) = findings(rule_workspace(RULE_FIXTURES / "risk-residual" / "fail"))
    assert residual.message == (
        "risk 'R02': residual likelihood 5 is above its inherent likelihood 4; controls cannot raise a risk"
    )
    assert pointed_at(residual).startswith("5")


def test_a_repeated_risk_id_names_the_first(rule_workspace):
    (repeated,) = findings(rule_workspace(RULE_FIXTURES / "risk-id" / "fail"))
    assert repeated.message == "risk id 'R01' is used twice in this register (first at line 6)"


def test_an_unknown_control_suggests_the_nearest(rule_workspace):
    (control,) = findings(rule_workspace(RULE_FIXTURES / "risk-control" / "fail"))
    assert control.message == "control 'CRW-009' of risk 'R02' is not an item of the library or of any overlay"
    assert control.hint == "did you mean 'CRW-002'?"


def test_an_unknown_owner_suggests_the_nearest(rule_workspace):
    (owner,) = findings(rule_workspace(RULE_FIXTURES / "risk-owner" / "fail"))
    assert owner.message == "owner 'venue-safety-oficer' of risk 'R02' is not a role in the catalog"
    assert owner.hint == "did you mean 'venue-safety-officer'?"


def test_validate_lang_lists_risks_whose_hazard_is_not_translated(rule_workspace):
    workspace = rule_workspace(REGISTER)
    set_register(
        workspace,
        "    residual: {likelihood: 2, impact: 3}\n",
        "    residual: {likelihood: 2, impact: 3}\n"
        "    translations: {fr: {hazard: Des groupes rivaux se rencontrent sur le trajet du stade}}\n",
    )
    found = [f for f in validate([workspace], lang="fr").findings if f.location.file.endswith("m1.yaml")]
    assert [(f.rule, f.location.line) for f in found] == [("translation", 8)]
    assert "risk 'R01'" in found[0].message and "hazard" in found[0].message


def test_whoever_accepts_a_residual_risk_is_a_catalog_role(rule_workspace):
    workspace = rule_workspace(REGISTER)
    set_register(
        workspace,
        "    residual: {likelihood: 2, impact: 3}\n",
        "    residual: {likelihood: 2, impact: 3}\n    accepted: {by: police-stratgic-commander, date: '2025-06-01'}\n",
    )
    (found,) = findings(workspace, "risk-owner")
    assert found.message == "'police-stratgic-commander', who accepts risk 'R02', is not a role in the catalog"
    assert pointed_at(found).startswith("police-stratgic-commander")
