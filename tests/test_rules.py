"""Every lint rule has a failing and a passing fixture, run over the same clean base workspace."""

from __future__ import annotations

import pytest

from eventsec.rules import all_rules
from eventsec.validate import validate
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
    assert line[finding.location.column - 1:].startswith("steward-manager")
    assert finding.hint == "did you mean 'stewarding-manager'?"


def test_expression_rule_refuses_method_calls_at_their_line(rule_workspace):
    """A condition that could change its context (``pop``) is a lint error, not a resolve surprise."""
    workspace = rule_workspace(RULE_FIXTURES / "expression" / "fail")
    extra = workspace / "extra.yaml"
    extra.write_text(extra.read_text().replace("venue.capacity >= 20000 and stadium.roof", 'match.pop("risk", "") == "high"'))
    (finding,) = validate([workspace]).findings
    assert finding.rule == "expression" and "'match.pop(...)' cannot be called" in finding.message
    assert "match.pop" in extra.read_text().splitlines()[finding.location.line - 1]
