"""Readiness: scores and go/no-go with known answers, and deadline edges."""

from __future__ import annotations

import shutil

import pytest
import yaml

from eventsec.assess.readiness.deadlines import as_of_instant, deadlines, venue_zone
from eventsec.assess.readiness.scores import AT_RISK, NO_GO, ON_TRACK, assess_readiness
from eventsec.checks.validate import load_workspace
from eventsec.cli import main
from eventsec.plan.resolve import resolve
from tests.conftest import FIXTURES, ROOT

VENUE = yaml.safe_load((FIXTURES / "readiness" / "venue.yaml").read_text())
BASE_STATUS = {
    "CMD-001": {"state": "done", "evidence": "Order 12", "date": "2030-03-01"},
    "CMD-002": {"state": "in-progress"},
    "CRW-001": {"state": "in-progress"},
    "CRW-002": {"state": "done", "evidence": "Training log", "date": "2030-04-01"},
}


@pytest.fixture(scope="module")
def plan():
    workspace, result = load_workspace(FIXTURES / "readiness")
    assert workspace is not None, [f.message for f in result.findings]
    resolved, findings = resolve(workspace, "v1")
    assert resolved is not None, findings
    return resolved


def readiness(plan, as_of, **changes):
    items = {**BASE_STATUS, **changes}
    return assess_readiness(plan, {"items": items}, as_of)


def test_score_weights_criticality_and_credits_half_for_in_progress(plan):
    # weights 8/4/2/1; in progress earns 0.5:
    # CMD-001 8×1 + CMD-002 2×0.5 + CRW-001 8×0.5 + CRW-002 4×1 + CRW-003 2×0 + CRW-004 1×0 = 17
    # total weight 8 + 2 + 8 + 4 + 2 + 1 = 25 → 68 %
    r = readiness(plan, "2030-04-01")
    assert r.score == pytest.approx(68.0)
    command, crowd = r.domains
    assert (command.domain, command.done, len(command.items), command.score) == ("command", 1, 2, pytest.approx(90.0))
    assert (crowd.done, len(crowd.items)) == (1, 4)


def test_not_applicable_items_are_excluded_and_listed(plan):
    r = readiness(plan, "2030-04-01")
    assert [e["id"] for e in r.excluded] == ["CRW-005"]
    assert r.excluded[0]["why"] == "not_applicable" and r.excluded[0]["detail"] == "venue.features.fan_zone"
    marked = readiness(plan, "2030-04-01", **{"CRW-004": {"state": "not-applicable", "reason": "No debrief here"}})
    assert {e["id"] for e in marked.excluded} == {"CRW-005", "CRW-004"}
    assert len(marked.items) == 5


def test_due_today_is_not_overdue_and_the_next_day_is(plan):
    # CRW-001 is T-30d: first match day 2030-06-10 → due by the end of 2030-05-11, local time
    assert readiness(plan, "2030-05-11").verdict == ON_TRACK
    late = readiness(plan, "2030-05-12")
    assert late.verdict == NO_GO and late.reasons == ["critical item CRW-001 is overdue"]
    assert [i.item.id for i in late.overdue_critical] == ["CRW-001"]


def test_midnight_is_the_venues_midnight_not_utcs(plan):
    # Madrid is UTC+2 in May: the end of 2030-05-11 local is 2030-05-11T22:00Z
    assert readiness(plan, "2030-05-11T21:30:00Z").verdict == ON_TRACK  # 23:30 in Madrid
    assert readiness(plan, "2030-05-11T22:30:00Z").verdict == NO_GO  # 00:30 in Madrid, next day


def test_match_day_phases_count_per_match():
    # MD-4h: m1 kicks off 21:00 on 10 June → due 17:00; m2 18:00 on 14 June → due 14:00 (local)
    due = [d.due.isoformat() for d in deadlines("MD-4h", VENUE, "2030-06-30")]
    assert due == ["2030-06-10T17:00:00+02:00", "2030-06-14T14:00:00+02:00"]


def test_match_day_item_done_for_one_match_is_overdue_after_the_next(plan):
    done_for_m1 = {"CRW-003": {"state": "done", "evidence": "Briefing sheet", "date": "2030-06-10"}}
    between = readiness(plan, "2030-06-11", **done_for_m1)
    assert not next(i for i in between.items if i.item.id == "CRW-003").overdue
    after_m2 = readiness(plan, "2030-06-15", **done_for_m1)
    assert next(i for i in after_m2.items if i.item.id == "CRW-003").overdue


def test_blocked_critical_is_no_go_and_blocked_high_is_at_risk(plan):
    blocked = readiness(plan, "2030-04-01", **{"CRW-001": {"state": "blocked", "reason": "Operator has not signed"}})
    assert blocked.verdict == NO_GO and "blocked: Operator has not signed" in blocked.reasons[0]
    high = readiness(plan, "2030-04-01", **{"CRW-002": {"state": "blocked", "reason": "No trainer"}})
    assert high.verdict == AT_RISK and high.reasons == ["high item CRW-002 is blocked"]


def test_overdue_share_threshold_turns_at_risk(plan):
    # as of 2030-06-10 (start of day): due so far CMD-001, CRW-001, CRW-002, CMD-002 (T-1d: end of 9 June)
    # CMD-002 (medium, weight 2) overdue: 2 / (8 + 8 + 4 + 2) = 9 % < 10 % → still ON-TRACK
    done = {"CRW-001": {"state": "done", "evidence": "Plan", "date": "2030-05-01"}}
    assert readiness(plan, "2030-06-10", **done).verdict == ON_TRACK
    # a threshold of 5 % makes the same situation AT-RISK
    plan.parameters["readiness_at_risk_overdue_pct"].value = 5
    try:
        r = readiness(plan, "2030-06-10", **done)
        assert r.verdict == AT_RISK and "9% of the work due so far is overdue" in r.reasons[0]
    finally:
        plan.parameters["readiness_at_risk_overdue_pct"].value = 10


def test_critical_safety_finding_is_no_go(plan):
    r = assess_readiness(plan, {"items": BASE_STATUS}, "2030-04-01", ["North stand egress 11.2 min"])
    assert r.verdict == NO_GO and r.reasons == ["critical safety finding: North stand egress 11.2 min"]


def test_as_of_date_is_the_start_of_the_local_day():
    assert as_of_instant("2030-05-11", venue_zone("Africa/Casablanca")).isoformat() == "2030-05-11T00:00:00+01:00"


# --- CLI and samples ---------------------------------------------------------------------------


def test_cli_overview_is_worst_first_and_gates(runner):
    result = runner.invoke(
        main, ["status", str(ROOT / "samples" / "wc2030"), "--as-of", "2030-03-01", "--format", "json"]
    )
    import json

    venues = json.loads(result.stdout)["venues"]
    order = ["NO-GO", "AT-RISK", "ON-TRACK"]
    keys = [(order.index(v["verdict"]), v["score"]) for v in venues]
    assert keys == sorted(keys)
    assert result.exit_code == (1 if any(v["verdict"] == "NO-GO" for v in venues) else 0)


def test_sample_status_files_show_the_spread_they_were_written_for(runner):
    import json

    result = runner.invoke(
        main, ["status", str(ROOT / "samples" / "wc2030"), "--as-of", "2030-03-01", "--format", "json"]
    )
    scores = {v["venue"]: v["score"] for v in json.loads(result.stdout)["venues"]}  # stderr names the failing venues
    status_dir = ROOT / "samples" / "wc2030" / "status"
    tracked = sorted(p.stem for p in status_dir.glob("*.yaml"))
    assert len(tracked) >= 4
    tracked_scores = sorted(scores[v] for v in tracked)
    assert tracked_scores[-1] >= 80 and tracked_scores[0] <= 40, tracked_scores
    assert tracked_scores[-1] - tracked_scores[0] >= 40


def test_cli_single_venue_and_fail_under(runner, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(FIXTURES / "readiness", ws)
    (ws / "status.yaml").write_text(
        "kind: status\nvenue: v1\nitems:\n"
        "  CMD-001: {state: done, evidence: Order 12, date: '2030-03-01'}\n"
        "  CRW-009: {state: in-progress}\n"
    )
    result = runner.invoke(main, ["status", str(ws), "--venue", "v1", "--as-of", "2030-04-01"])
    assert "Readiness — Test Stadium (v1), as of 2030-04-01: ON-TRACK" in result.output
    assert "warning[status-item] status entry for item 'CRW-009'" in result.output  # stale entry, with file:line
    assert runner.invoke(main, ["status", str(ws), "--venue", "v1", "--as-of", "2030-04-01"]).exit_code == 0
    assert (
        runner.invoke(
            main, ["status", str(ws), "--venue", "v1", "--as-of", "2030-04-01", "--fail-under", "90"]
        ).exit_code
        == 1
    )
    assert runner.invoke(main, ["status", str(ws), "--as-of", "not-a-date"]).exit_code == 2


def test_the_ci_gate_fails_a_no_go_venue_and_one_under_the_threshold(plan):
    from dataclasses import replace

    from eventsec.assess.readiness.overview import gate_failures

    shown = readiness(plan, "2030-03-01")
    assert shown.verdict != NO_GO
    assert gate_failures([shown], None) == []
    assert gate_failures([shown], shown.score) == []
    assert gate_failures([shown], shown.score + 0.1) == [shown]
    assert gate_failures([replace(shown, verdict=NO_GO)], None) != []
