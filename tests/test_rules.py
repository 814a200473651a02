"""Every lint rule has a failing and a passing fixture, run over the same clean base workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsec.checks.lint import all_rules
from eventsec.checks.validate import validate
from tests.conftest import RULE_FIXTURES

RULE_IDS = [r.id for r in all_rules()]


def test_base_workspace_is_clean(rule_workspace):
    result = validate([rule_workspace()])
    assert result.findings == []
    assert result.files == 5


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_both_fixtures(rule_id):
    assert (RULE_FIXTURES / rule_id / "fail").is_dir(), f"rule {rule_id} has no failing fixture"
    assert (RULE_FIXTURES / rule_id / "pass").is_dir(), f"rule {rule_id} has no passing fixture"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_failing_fixture_raises_the_rule(rule_workspace, rule_id):
    workspace = rule_workspace(RULE_FIXTURES / rule_id / "fail")
    findings = validate([workspace]).findings
    raised = [f for f in findings if f.rule == rule_id]
    assert raised, f"{rule_id} not raised; got {[(f.rule, f.message) for f in findings]}"
    for finding in raised:
        assert finding.location.line >= 1 and finding.location.column >= 1
        assert "/fail/" not in finding.location.file and finding.location.file.endswith(".yaml")
    assert [f for f in findings if f.rule != rule_id] == [], "the failing fixture should fail only its own rule"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_passing_fixture_is_clean(rule_workspace, rule_id):
    workspace = rule_workspace(RULE_FIXTURES / rule_id / "pass")
    findings = validate([workspace]).findings
    assert findings == [], [(f.rule, f.message) for f in findings]


def test_rules_have_docs_and_unique_ids():
    for r in all_rules():
        assert r.summary.endswith(".") and len(r.summary) > 20
        assert r.id == r.id.lower() and " " not in r.id
    assert len(RULE_IDS) == len(set(RULE_IDS))


def test_rule_finding_points_at_the_offending_value(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "unknown-role" / "fail")
    (finding,) = validate([workspace]).findings
    assert finding.location.file.endswith("extra.yaml")
    line = (workspace / "extra.yaml").read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("steward-manager")
    assert finding.hint == "did you mean 'stewarding-manager'?"


def condition_finding(rule_workspace, condition: str):
    """The one finding of the expression rule's failing fixture with ``condition`` as its applies_when."""
    workspace = rule_workspace(RULE_FIXTURES / "expression" / "fail")
    extra = workspace / "extra.yaml"
    extra.write_text(extra.read_text().replace("venue.capacity >= 20000 and stadium.roof", condition))
    (finding,) = validate([workspace]).findings
    assert finding.rule == "expression"
    return finding, extra.read_text().splitlines()[finding.location.line - 1]


def test_expression_rule_refuses_method_calls_at_their_line(rule_workspace):
    """A condition that could change its context (``pop``) is a lint error, not a resolve surprise."""
    finding, line = condition_finding(rule_workspace, 'match.pop("risk", "") == "high"')
    assert "'match.pop(...)' cannot be called" in finding.message and "match.pop" in line


def _overlay_findings(rule_workspace, text: str, rule_id: str):
    """Findings of ``rule_id`` for a venue overlay holding ``text`` (after its header), with the overlay's lines."""
    workspace = rule_workspace()
    overlay = workspace / "overlay.yaml"
    overlay.write_text("kind: overlay\nid: o1\nlayer: venue\ntarget: v1\n" + text)
    findings = validate([workspace]).findings
    assert all(f.rule == rule_id for f in findings), [(f.rule, f.message) for f in findings]
    for finding in findings:
        assert finding.location.file.endswith("overlay.yaml")
    return findings, overlay.read_text().splitlines()


def _pointed_at(lines: list[str], finding) -> str:
    return lines[finding.location.line - 1][finding.location.column - 1 :]


def test_unknown_role_checks_owners_an_overlay_sets(rule_workspace):
    findings, lines = _overlay_findings(
        rule_workspace, "set:\n  - item: CRW-002\n    fields: {owner: steward-manager}\n", "unknown-role"
    )
    (finding,) = findings
    assert finding.message == "owner 'steward-manager' is not a role in the catalog"
    assert finding.hint == "did you mean 'stewarding-manager'?"
    assert _pointed_at(lines, finding).startswith("steward-manager}")


def test_unknown_lesson_checks_lessons_an_overlay_sets_or_appends(rule_workspace):
    findings, lines = _overlay_findings(
        rule_workspace,
        (
            "set:\n"
            "  - item: CRW-002\n"
            "    fields: {lessons: [T25-L01, T25-L99]}\n"
            "  - item: CRW-001\n"
            "    append:\n"
            "      lessons: [T25-L01, T26-L07]\n"
        ),
        "unknown-lesson",
    )
    assert [f.message for f in findings] == ["lesson 'T25-L99' does not exist", "lesson 'T26-L07' does not exist"]
    assert [f.location.line for f in findings] == [7, 10]
    assert _pointed_at(lines, findings[0]).startswith("T25-L99]")
    assert _pointed_at(lines, findings[1]).startswith("T26-L07]")


def test_unknown_reference_checks_overlay_sets_appends_and_added_items(rule_workspace):
    findings, lines = _overlay_findings(
        rule_workspace,
        (
            "set:\n"
            "  - item: CRW-002\n"
            "    fields:\n"
            "      references: [sgsa, green-guide]\n"
            "  - item: CRW-001\n"
            "    append: {references: [sgas]}\n"
            "  - item: XYZ-404\n"
            "    optional: true\n"
            "    append: {references: [whatever]}\n"
            "add:\n"
            "  - protocol: crowd-management\n"
            "    item:\n"
            "      id: CRW-900\n"
            "      title: Count the turnstiles\n"
            "      description: Every turnstile is counted.\n"
            "      criticality: low\n"
            "      phase: T-10d\n"
            "      owner: stewarding-manager\n"
            "      evidence: Count sheet\n"
            "      references: [made-up]\n"
        ),
        "unknown-reference",
    )
    assert [f.message for f in findings] == [
        "reference 'green-guide' is not declared in protocol 'crowd-management'",
        "reference 'sgas' is not declared in protocol 'crowd-management'",
        "reference 'made-up' is not declared in protocol 'crowd-management'",
    ]
    assert [f.location.line for f in findings] == [8, 10, 24]
    assert [_pointed_at(lines, f).split("]")[0] for f in findings] == ["green-guide", "sgas", "made-up"]
    assert findings[1].hint == "did you mean 'sgsa'?"


def test_unknown_reference_accepts_what_an_overlay_file_declares_for_its_own_items(rule_workspace):
    """A country overlay cites its national law: declared in the overlay, known to the items it adds
    and sets, and to nothing else (another overlay citing it still fails)."""
    workspace = rule_workspace()
    (workspace / "law.yaml").write_text(
        "kind: overlay\nid: law\nlayer: venue\ntarget: v1\n"
        "references:\n  - {id: national-act, title: National Sports Safety Act, publisher: Gazette, edition: '2009'}\n"
        "set:\n  - item: CRW-001\n    append: {references: [{id: national-act, section: Art. 3}]}\n"
        "add:\n  - protocol: crowd-management\n    item:\n      id: CRW-900\n      title: Count the turnstiles\n"
        "      description: Every turnstile is counted.\n      criticality: low\n      phase: T-10d\n"
        "      owner: stewarding-manager\n      evidence: Count sheet\n      references: [national-act]\n"
    )
    assert validate([workspace]).findings == []
    (workspace / "other.yaml").write_text(
        "kind: overlay\nid: other\nlayer: venue\ntarget: v1\n"
        "set:\n  - item: CRW-002\n    append: {references: [national-act]}\n"
    )
    findings = validate([workspace]).findings
    assert [(f.rule, f.message, Path(f.location.file).name) for f in findings] == [
        ("unknown-reference", "reference 'national-act' is not declared in protocol 'crowd-management'", "other.yaml")
    ]


def test_phase_checks_phases_an_overlay_sets(rule_workspace):
    findings, lines = _overlay_findings(
        rule_workspace, "set:\n  - item: CRW-002\n    fields:\n      phase: T-800d\n", "phase"
    )
    (finding,) = findings
    assert "T-800d" in finding.message
    assert finding.location.line == 8 and _pointed_at(lines, finding) == "T-800d"


def test_unknown_timezone_names_the_venue_zone_and_a_close_match(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "unknown-timezone" / "fail")
    (finding,) = validate([workspace]).findings
    assert finding.rule == "unknown-timezone" and finding.message == "timezone 'Mars/Olympus' is not an IANA time zone"
    venue = workspace / "venues" / "v2.yaml"
    assert _pointed_at(venue.read_text().splitlines(), finding) == "Mars/Olympus"
    venue.write_text(venue.read_text().replace("Mars/Olympus", "africa/casablanca"))
    (finding,) = validate([workspace]).findings
    assert finding.hint == "did you mean 'Africa/Casablanca'?"
    venue.write_text(venue.read_text().replace("africa/casablanca", "Europe/Madird"))
    (finding,) = validate([workspace]).findings
    assert finding.hint == "did you mean 'Europe/Madrid'?"


@pytest.mark.parametrize(
    "condition, compared, hint",
    [
        ('match.risk == "hihg"', "compares 'match.risk' with 'hihg', which it never is", "did you mean 'high'?"),
        (
            'match.stage in ["quarterfinal", "final"]',
            "compares 'match.stage' with 'quarterfinal'",
            "did you mean 'quarter-final'?",
        ),
        ('match.risk in ["hihg"]', "compares 'match.risk' with 'hihg', which it never is", "did you mean 'high'?"),
    ],
)
def test_expression_rule_catches_a_value_a_fact_never_has(rule_workspace, condition, compared, hint):
    """A misspelt risk or stage makes a condition quietly false everywhere."""
    finding, _ = condition_finding(rule_workspace, condition)
    assert compared in finding.message and finding.hint == hint


@pytest.mark.parametrize(
    "condition, read, hint",
    [
        ("venue.capcity >= 40000", "venue.capcity", "did you mean 'capacity'?"),
        ("venue.featurs.fan_zone", "venue.featurs", "did you mean 'features'?"),
        ('match.stag == "final"', "match.stag", "did you mean 'stage'?"),
    ],
)
def test_expression_rule_catches_a_misspelt_field(rule_workspace, condition, read, hint):
    """A field no venue or match can have reads as empty: the condition would be quietly false."""
    finding, _ = condition_finding(rule_workspace, condition)
    assert f"reads '{read}', which no" in finding.message and finding.hint == hint


def test_two_overlay_files_with_one_id_are_reported(rule_workspace):
    """Overlay ids name overlays in provenance and diffs: a copied file keeping its id is an error."""
    workspace = rule_workspace()
    (workspace / "overlays").mkdir()
    for name, criticality in (("a", "high"), ("b", "low")):
        (workspace / "overlays" / f"{name}.yaml").write_text(
            f"kind: overlay\nid: ov\nlayer: venue\ntarget: v1\nset:\n  - item: CRW-00{1 if name == 'a' else 2}\n"
            f"    fields: {{evidence: Log {criticality}}}\n"
        )
    (finding,) = validate([workspace]).findings
    assert finding.rule == "duplicate-id" and "duplicate overlay id 'ov'" in finding.message
    assert finding.location.file.endswith("overlays/b.yaml") and finding.location.line == 2


def test_match_dates_catches_a_tournament_ending_before_it_starts(rule_workspace):
    workspace = rule_workspace()
    tournament = workspace / "tournament.yaml"
    tournament.write_text(tournament.read_text().replace('end: "2025-06-30"', 'end: "2024-06-30"'))
    (finding,) = validate([workspace]).findings
    assert finding.rule == "match-dates" and "ends (2024-06-30) before it starts (2025-06-01)" in finding.message
    assert finding.location.line == 4


def test_a_section_id_used_twice_is_reported(rule_workspace):
    """Two sections with one id were merged into one by the safety figures, silently."""
    workspace = rule_workspace(RULE_FIXTURES / "geometry-reference" / "pass")
    (venue,) = [p for p in workspace.rglob("*.yaml") if "geometry:" in p.read_text()]
    venue.write_text(venue.read_text().replace("{id: south,", "{id: north,").replace("south]", "north]"))
    findings = [f for f in validate([workspace]).findings if f.rule == "geometry-reference"]
    assert [f.message for f in findings] == [f"section id 'north' is used twice in this venue (first at {venue}:12:12)"]


def test_sensitivity_levels_follow_the_tournaments_names(rule_workspace):
    """With levels renamed to open/team/closed, 'restricted' is unknown (and would be withheld everywhere)."""
    workspace = rule_workspace(RULE_FIXTURES / "sensitivity-level" / "pass")
    tournament = workspace / "tournament.yaml"
    tournament.write_text(tournament.read_text() + "sensitivity_levels: [open, team, closed]\n")
    (finding,) = validate([workspace]).findings
    assert finding.rule == "sensitivity-level" and finding.message.startswith(
        "'restricted' is not a release level (open, team, closed)"
    )
    assert finding.location.file.endswith("extra.yaml") and finding.location.line == 6


@pytest.mark.parametrize(
    "condition", ['venue.country in ["MA", "PT"] and venue.country != "ES"', 'match.risk != "hihg"']
)
def test_expression_rule_accepts_other_countries_and_inequalities(rule_workspace, condition):
    """Overlays may name countries this tournament does not host; '!=' an unknown value is just true."""
    workspace = rule_workspace(RULE_FIXTURES / "expression" / "fail")
    extra = workspace / "extra.yaml"
    extra.write_text(extra.read_text().replace("venue.capacity >= 20000 and stadium.roof", condition))
    assert [f for f in validate([workspace]).findings if f.rule == "expression"] == []


def test_unknown_role_names_a_contact_reports_to_it_cannot_find(rule_workspace):
    """A contact's reports_to is a role id too: the command structure draws a line to it."""
    workspace = rule_workspace(RULE_FIXTURES / "reporting-loop" / "pass")
    venue = workspace / "venues" / "v1.yaml"
    venue.write_text(venue.read_text().replace("reports_to: venue-safety-officer", "reports_to: venue-safety-oficer"))
    (finding,) = validate([workspace]).findings
    assert finding.rule == "unknown-role" and "reports_to 'venue-safety-oficer'" in finding.message
    assert finding.hint == "did you mean 'venue-safety-officer'?"
    line = venue.read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("venue-safety-oficer")


def test_reporting_loop_is_said_once_with_its_roles(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "reporting-loop" / "fail")
    (finding,) = validate([workspace]).findings
    assert finding.message == "reporting line loops: venue-safety-officer → stewarding-manager → venue-safety-officer"


def test_reference_identity_refuses_one_id_with_two_definitions(rule_workspace):
    """An id the base defines as 'SGSA stewarding guidance' cannot name another edition in another file."""
    workspace = rule_workspace(RULE_FIXTURES / "reference-identity" / "pass")
    extra = workspace / "extra.yaml"
    extra.write_text(
        extra.read_text().replace(
            "title: SGSA stewarding guidance}", "title: SGSA stewarding guidance, edition: '2024'}"
        )
    )
    (finding,) = validate([workspace]).findings
    assert finding.rule == "reference-identity" and "'sgsa' is defined differently in" in finding.message
    here, there = Path(finding.location.file).name, finding.message.split(" in ")[1].split(":")[0]
    assert {here, Path(there).name} == {"extra.yaml", "crowd.yaml"}
    line = Path(finding.location.file).read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("sgsa")


def test_reference_identity_holds_an_overlays_laws_to_the_librarys_definition(rule_workspace):
    """A country overlay may declare the law it cites, but under the library's id and definition:
    the same id with another title is refused at the overlay's line."""
    workspace = rule_workspace(RULE_FIXTURES / "reference-identity" / "pass")
    (workspace / "country-xx.yaml").write_text(
        "kind: overlay\nid: country-xx\nlayer: country\ntarget: XX\n"
        "references:\n  - {id: sgsa, title: Stewarding guidance of the SGSA}\n"
    )
    (finding,) = validate([workspace]).findings
    assert finding.rule == "reference-identity" and "'sgsa' is defined differently in" in finding.message
    assert Path(finding.location.file).name == "country-xx.yaml" and finding.location.line == 6


def test_reference_identity_accepts_the_library():
    """The library keeps one id per document: no protocol redefines or renames a reference."""
    findings = validate([Path(__file__).parent.parent / "protocols"]).findings
    assert [f for f in findings if f.rule == "reference-identity"] == []
