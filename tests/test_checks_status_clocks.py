"""Status entries on the two clocks: validate refuses match-day work recorded as preparation,
preparation recorded under a match, a match the venue does not host, and an entry dated before
its match's window, each at its file:line with a fix."""

from __future__ import annotations

import pytest

from eventsec.checks.validate import validate

# the rule base: CRW-001 is T-60d, CRW-002 MD-4h; venue v1 (Europe/Madrid) hosts m1, 2025-06-10 20:00


@pytest.fixture
def workspace(rule_workspace):
    built = rule_workspace()
    (built / "status").mkdir()
    return built


def findings(workspace, status: str):
    """validate's findings for the rule base with ``status`` as v1's status file, and its lines."""
    path = workspace / "status" / "v1.yaml"
    path.write_text("kind: status\nvenue: v1\n" + status)
    return validate([workspace]).findings, path.read_text().splitlines()


def test_a_match_day_entry_under_items_is_refused_with_the_venues_matches(workspace):
    (finding,), lines = findings(workspace, "items:\n  CRW-002: {state: done, evidence: Briefing register}\n")
    assert finding.rule == "status-clock" and finding.location.line == 4
    assert lines[3].strip().startswith("CRW-002")
    assert finding.message == "match-day item 'CRW-002' (MD-4h) is recorded under items:, which holds preparation only"
    assert "matches: <id>: items:" in finding.hint and "this venue's matches: m1" in finding.hint


def test_a_match_day_item_may_be_marked_not_applicable_under_items(workspace):
    found, _ = findings(workspace, "items:\n  CRW-002: {state: not-applicable, reason: No stewards briefed here}\n")
    assert found == []


def test_a_preparation_item_under_a_match_is_refused(workspace):
    (finding,), _ = findings(
        workspace,
        "items: {}\nmatches:\n  m1:\n    items:\n      CRW-001: {state: done, at: 2025-06-10T12:00, by: Ops}\n",
    )
    assert finding.rule == "status-clock" and finding.location.line == 7
    assert finding.message == "preparation item 'CRW-001' (T-60d) is recorded under match 'm1'"


def test_an_unknown_match_is_refused_with_a_suggestion(workspace):
    (finding,), _ = findings(
        workspace,
        "items: {}\nmatches:\n  m01:\n    items:\n      CRW-002: {state: done, at: 2025-06-10T15:00, by: Ops}\n",
    )
    assert finding.rule == "status-match" and finding.location.line == 5
    assert finding.message == "execution entries for match 'm01', which venue 'v1' does not host"
    assert finding.hint == "did you mean 'm1'?"


def test_an_entry_dated_before_its_matchs_window_is_refused_at_its_line(workspace):
    # m1 kicks off 2025-06-10 20:00 in Madrid: its window opens 72 h earlier, 2025-06-07 20:00 local
    (finding,), lines = findings(
        workspace,
        "items: {}\nmatches:\n  m1:\n    items:\n      CRW-002: {state: done, at: '2025-06-07T19:59', by: Ops}\n",
    )
    assert finding.rule == "status-window" and finding.location.line == 7
    assert lines[6][finding.location.column - 1 :].startswith("'2025-06-07T19:59'")
    assert (
        "before the match's window opens at 2025-06-07 20:00 (Europe/Madrid, 72 h before kick-off)" in finding.message
    )
    on_time, _ = findings(
        workspace,
        "items: {}\nmatches:\n  m1:\n    items:\n      CRW-002: {state: done, at: '2025-06-07T20:00', by: Ops}\n",
    )
    assert on_time == []


def test_an_offset_is_honoured_and_an_unquoted_time_is_read_as_text(workspace):
    # 18:30Z is 20:30 in Madrid (summer time): inside the window; unquoted, YAML would make a datetime
    found, _ = findings(
        workspace,
        "items: {}\nmatches:\n  m1:\n    items:\n      CRW-002: {state: done, at: 2025-06-07T18:30:00Z, by: Ops}\n",
    )
    assert found == []
    (finding,), _ = findings(
        workspace,
        "items: {}\nmatches:\n  m1:\n    items:\n      CRW-002: {state: done, at: 2025-06-07T17:30:00Z, by: Ops}\n",
    )
    assert finding.rule == "status-window"


def test_a_badly_written_time_gets_the_schemas_message(workspace):
    (finding,), _ = findings(
        workspace,
        "items: {}\nmatches:\n  m1:\n    items:\n      CRW-002: {state: done, at: 2025-06-10 15:00, by: Ops}\n",
    )
    assert finding.rule == "schema" and finding.location.line == 7
