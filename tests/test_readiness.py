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
    # weights 8/4/2/1; in progress earns 0.5; preparation only (CRW-003, CRW-006 and CRW-007
    # are match-day items, CRW-004 a post item before the tournament has ended):
    # CMD-001 8×1 + CMD-002 2×0.5 + CRW-001 8×0.5 + CRW-002 4×1 = 17
    # total weight 8 + 2 + 8 + 4 = 22 → 77.3 %
    r = readiness(plan, "2030-04-01")
    assert r.score == pytest.approx(100 * 17 / 22)
    command, crowd = r.domains
    assert (command.domain, command.done, len(command.items), command.score) == ("command", 1, 2, pytest.approx(90.0))
    assert (crowd.done, len(crowd.items)) == (1, 2)
    assert [c.item.id for c in r.match_day] == ["CRW-003", "CRW-006", "CRW-007"]
    assert [i.item.id for i in r.later] == ["CRW-004"]


def test_not_applicable_items_are_excluded_and_listed(plan):
    r = readiness(plan, "2030-04-01")
    assert [e["id"] for e in r.excluded] == ["CRW-005"]
    assert r.excluded[0]["why"] == "not_applicable" and r.excluded[0]["detail"] == "venue.features.fan_zone"
    marked = readiness(plan, "2030-04-01", **{"CRW-004": {"state": "not-applicable", "reason": "No debrief here"}})
    assert {e["id"] for e in marked.excluded} == {"CRW-005", "CRW-004"}
    assert len(marked.items) == 4 and marked.later == []


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
    keys = [(order.index(v["preparation"]["verdict"]), v["preparation"]["score"]) for v in venues]
    assert keys == sorted(keys)
    assert result.exit_code == (1 if any(v["preparation"]["verdict"] == "NO-GO" for v in venues) else 0)


def test_sample_status_files_show_the_spread_they_were_written_for(runner):
    import json

    result = runner.invoke(
        main, ["status", str(ROOT / "samples" / "wc2030"), "--as-of", "2030-03-01", "--format", "json"]
    )
    scores = {
        v["venue"]: v["preparation"]["score"] for v in json.loads(result.stdout)["venues"]
    }  # stderr: failing venues
    status_dir = ROOT / "samples" / "wc2030" / "status"
    tracked = sorted(p.stem for p in status_dir.glob("*.yaml"))
    assert len(tracked) >= 4
    tracked_scores = sorted(scores[v] for v in tracked)
    assert tracked_scores[-1] >= 80 and tracked_scores[0] <= 40, tracked_scores
    assert tracked_scores[-1] - tracked_scores[0] >= 40


def test_the_wc2030_sample_shows_every_verdict_on_both_clocks(runner):
    """The dates docs/readiness.md names: preparation on 2030-03-01, Rabat's matches on 2030-06-29."""
    import json

    def venues(as_of):
        result = runner.invoke(main, ["status", str(ROOT / "samples" / "wc2030"), "--as-of", as_of, "--format", "json"])
        return {v["venue"]: v for v in json.loads(result.stdout)["venues"]}

    march = venues("2030-03-01")
    assert {v["preparation"]["verdict"] for v in march.values()} == {"NO-GO", "AT-RISK", "ON-TRACK"}
    assert march["ma-rabat"]["matches"][0]["phase"] == "upcoming"
    rabat = venues("2030-06-29")["ma-rabat"]
    assert rabat["preparation"]["verdict"] == "ON-TRACK"
    assert [(m["match"], m["phase"], m["verdict"]) for m in rabat["matches"]] == [
        ("m008", "played", "NO-GO"),
        ("m027", "played", "AT-RISK"),
        ("m036", "upcoming", "ON-TRACK"),
    ]
    assert rabat["matches"][0]["critical_misses"] == ["REC-003"]


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


# --- two clocks: preparation and match-day execution ---------------------------------------------

EXECUTION = {
    "m1": {
        "items": {
            # m1 kicks off 2030-06-10 21:00 (Madrid): CRW-003 (MD-4h) due 17:00, CRW-006 (MD-1h) 20:00,
            # CRW-007 (MD+2h) 23:00
            "CRW-003": {"state": "done", "at": "2030-06-10T16:30", "by": "Chief steward"},
            "CRW-006": {"state": "done", "at": "2030-06-10T20:10", "by": "Pitch supervisor"},
            "CRW-007": {"state": "done", "at": "2030-06-10T22:55", "by": "Chief steward"},
        }
    }
}


PREPARED = {
    "CMD-002": {"state": "done", "evidence": "Radio test log", "date": "2030-05-01"},
    "CRW-001": {"state": "done", "evidence": "Stewarding plan", "date": "2030-05-01"},
}


def clocks(plan, as_of, execution=EXECUTION, other_reasons=(), safety=(), prepared=True, **changes):
    """Preparation readiness and each match's clock, from one status file (its preparation
    complete unless ``prepared`` is False)."""
    from eventsec.assess.readiness.matches import assess_match

    status = {"items": {**BASE_STATUS, **(PREPARED if prepared else {}), **changes}, "matches": execution}
    preparation = assess_readiness(plan, status, as_of)
    matches = {
        m: assess_match(preparation.match_day, plan.venue, status, m, as_of, preparation, safety, other_reasons)
        for m in ("m1", "m2")
    }
    return preparation, matches


def test_preparation_score_is_the_same_before_and_after_a_match_with_the_same_status_file(plan):
    before, before_matches = clocks(plan, "2030-06-09", prepared=False)
    after, after_matches = clocks(plan, "2030-06-11", prepared=False)
    assert before.score == after.score == pytest.approx(100 * 17 / 22)  # match-day entries never count here
    assert [r.state for r in before_matches["m1"].rows] == ["not-due"] * 3  # m1 not played yet: nothing done
    assert before_matches["m1"].phase == "upcoming" and before_matches["m1"].score is None
    assert [(r.item.id, r.state) for r in after_matches["m1"].rows] == [
        ("CRW-003", "done"),
        ("CRW-006", "late"),  # done 20:10, due 20:00
        ("CRW-007", "done"),
    ]
    assert after_matches["m1"].phase == "played" and after_matches["m1"].score == 100.0


def test_an_execution_entry_counts_from_its_time_and_for_its_own_match_only(plan):
    _, before = clocks(plan, "2030-06-10T16:00:00+02:00")  # before the 16:30 entry and the first deadline
    assert before["m1"].phase == "upcoming"
    assert next(r for r in before["m1"].rows if r.item.id == "CRW-003").entry is None
    _, during = clocks(plan, "2030-06-10T17:30:00+02:00")
    assert during["m1"].phase == "in-progress"
    assert [r.state for r in during["m1"].rows] == ["done", "not-due", "not-due"]
    _, after_m2 = clocks(plan, "2030-06-15")
    assert after_m2["m1"].verdict == ON_TRACK
    m2 = after_m2["m2"]  # m1's entries do nothing for m2: every row overdue
    assert [r.state for r in m2.rows] == ["overdue"] * 3 and m2.score == 0.0
    assert m2.verdict == NO_GO and m2.reasons == ["critical match-day item CRW-006 was not done in time for match m2"]


def test_an_entry_dated_before_its_matchs_window_is_ignored(plan):
    early = {"m2": {"items": {"CRW-006": {"state": "done", "at": "2030-06-10T20:00", "by": "X"}}}}
    _, matches = clocks(plan, "2030-06-15", execution=early)  # m2 kicks off 14 June: window opens 11 June 18:00
    assert next(r for r in matches["m2"].rows if r.item.id == "CRW-006").state == "overdue"


def test_match_verdict_high_miss_is_at_risk_and_not_done_counts_as_missed(plan):
    execution = {
        "m1": {
            "items": {
                **EXECUTION["m1"]["items"],
                "CRW-007": {"state": "not-done", "at": "2030-06-10T23:10", "by": "X", "reason": "Trains cancelled"},
            }
        }
    }
    _, matches = clocks(plan, "2030-06-11", execution=execution)
    assert matches["m1"].verdict == AT_RISK
    assert matches["m1"].reasons == ["high match-day item CRW-007 was not done in time for match m1"]


def test_match_verdict_takes_preparation_safety_and_other_reasons(plan):
    blocked = {"CRW-001": {"state": "blocked", "reason": "Operator has not signed"}}
    _, matches = clocks(plan, "2030-06-11", **blocked)
    assert matches["m1"].verdict == NO_GO
    assert "critical item CRW-001 is blocked: Operator has not signed" in matches["m1"].reasons
    _, matches = clocks(plan, "2030-06-11", safety=["North stand egress 11.2 min"])
    assert matches["m1"].reasons == ["critical safety finding: North stand egress 11.2 min"]
    # reasons from outside readiness (an open risk in the register) fold in with their verdict
    _, matches = clocks(plan, "2030-06-11", other_reasons=[("AT-RISK", "reason_high_overdue", {"id": "R-07"})])
    assert matches["m1"].verdict == AT_RISK and matches["m1"].reason_codes == [("reason_high_overdue", {"id": "R-07"})]
    _, matches = clocks(
        plan,
        "2030-06-11",
        other_reasons=[
            ("AT-RISK", "reason_high_overdue", {"id": "R-07"}),
            ("NO-GO", "reason_safety", {"message": "R-01"}),
        ],
    )
    assert matches["m1"].verdict == NO_GO and matches["m1"].reason_codes == [("reason_safety", {"message": "R-01"})]


def test_post_items_count_only_once_the_tournament_has_ended(plan):
    # the tournament ends 2030-06-30; CRW-004 (post) is due by the end of 2030-07-30
    during = readiness(plan, "2030-06-30")
    assert [i.item.id for i in during.later] == ["CRW-004"] and "CRW-004" not in {i.item.id for i in during.items}
    ended = readiness(plan, "2030-07-01")
    assert ended.later == [] and not next(i for i in ended.items if i.item.id == "CRW-004").overdue
    late = readiness(plan, "2030-07-31")
    assert next(i for i in late.items if i.item.id == "CRW-004").overdue


def test_a_preparation_entry_dated_after_the_as_of_date_is_not_known_yet(plan):
    # CRW-002 is recorded done on 2030-04-01: as of 1 March it is not started
    march = readiness(plan, "2030-03-01")
    assert next(i for i in march.items if i.item.id == "CRW-002").state == "not-started"
    assert next(i for i in readiness(plan, "2030-04-01").items if i.item.id == "CRW-002").state == "done"


def test_a_t_deadline_prints_as_its_last_day_not_the_next_one(plan):
    # CMD-002 is T-1d: first match day 2030-06-10, due by 24:00 on 9 June, the instant 10 June 00:00
    item = next(i for i in readiness(plan, "2030-04-01").items if i.item.id == "CMD-002")
    assert item.due.isoformat() == "2030-06-10T00:00:00+02:00"
    assert item.due_shown == "2030-06-09" and item.to_dict()["due_day"] == "2030-06-09"


def _status_workspace(tmp_path, status: str):
    ws = tmp_path / "ws"
    shutil.copytree(FIXTURES / "readiness", ws)
    (ws / "status.yaml").write_text(status)
    return ws


STATUS_WITH_M1 = (
    "kind: status\nvenue: v1\nitems:\n"
    "  CMD-001: {state: done, evidence: Order 12, date: '2030-03-01'}\n"
    "  CMD-002: {state: done, evidence: Radio log, date: '2030-05-01'}\n"
    "  CRW-001: {state: done, evidence: Plan, date: '2030-05-01'}\n"
    "  CRW-002: {state: done, evidence: Training log, date: '2030-05-01'}\n"
    "matches:\n  m1:\n    items:\n"
    "      CRW-003: {state: done, at: 2030-06-10T16:30, by: Chief steward}\n"
    "      CRW-006: {state: not-done, at: 2030-06-10T20:05, by: Pitch supervisor, reason: Stewards held at gate C}\n"
    "      CRW-007: {state: done, at: 2030-06-10T22:55, by: Chief steward}\n"
)


def test_cli_text_shows_preparation_then_the_execution_record_of_played_matches(runner, tmp_path):
    ws = _status_workspace(tmp_path, STATUS_WITH_M1)
    result = runner.invoke(main, ["status", str(ws), "--venue", "v1", "--as-of", "2030-06-12"])
    out = result.output
    assert "Readiness — Test Stadium (v1), as of 2030-06-12: ON-TRACK, 100%" in out
    assert "m1, kick-off 2030-06-10 21:00: played, NO-GO" in out
    assert "why: critical match-day item CRW-006 was not done in time for match m1" in out
    assert "execution: 2 done, 0 late, 1 missed, 0 not yet due" in out
    assert "critical miss: CRW-006" in out and "Stewards held at gate C" in out
    assert "m2, kick-off 2030-06-14 18:00: upcoming, ON-TRACK" in out
    assert "Later (1): post items, due by 2030-07-30" in out
    # a played match's NO-GO is history: the gate judges preparation and the next match (m2)
    assert result.exit_code == 0


def test_cli_json_carries_both_clocks_and_the_gate_fails_a_no_go_match_in_progress(runner, tmp_path):
    import json

    ws = _status_workspace(tmp_path, STATUS_WITH_M1)
    result = runner.invoke(
        main, ["status", str(ws), "--venue", "v1", "--as-of", "2030-06-10T20:30:00+02:00", "--format", "json"]
    )
    (venue,) = json.loads(result.stdout)["venues"]
    assert venue["preparation"]["verdict"] == "ON-TRACK" and venue["current_match"] == "m1"
    m1 = venue["matches"][0]
    assert (m1["match"], m1["phase"], m1["verdict"]) == ("m1", "in-progress", "NO-GO")
    assert m1["counts"] == {"done": 1, "late": 0, "overdue": 1, "not-due": 1}
    assert m1["rows"][0]["due_local"] == "2030-06-10 17:00" and m1["rows"][0]["status"]["by"] == "Chief steward"
    assert result.exit_code == 1 and "eventsec: v1: NO-GO (match m1, in-progress)" in result.stderr


def test_controls_in_place_are_preparation_done_and_this_matchs_execution(plan):
    from eventsec.assess.readiness.matches import controls_in_place

    preparation, matches = clocks(plan, "2030-06-15")
    # preparation done: CMD-001, CMD-002, CRW-001, CRW-002; m1's three rows done (one late), m2's none
    assert controls_in_place(preparation, matches["m1"]) == {
        "CMD-001",
        "CMD-002",
        "CRW-001",
        "CRW-002",
        "CRW-003",
        "CRW-006",
        "CRW-007",
    }
    assert controls_in_place(preparation, matches["m2"]) == {"CMD-001", "CMD-002", "CRW-001", "CRW-002"}
    # before m2, its match-day items are planned for their time (not in place, not missing)
    from eventsec.assess.readiness.matches import controls_planned

    preparation, matches = clocks(plan, "2030-06-12")
    planned = {r.item.id for r in matches["m2"].rows}
    assert planned and controls_planned(matches["m2"]) == planned
    assert not planned & controls_in_place(preparation, matches["m2"])
    assert controls_planned(matches["m1"]) == set()  # m1 was played: nothing of it still to come


def test_the_overview_folds_each_matchs_outside_reasons_into_that_match_only():
    from eventsec.assess.readiness.overview import venue_readiness

    workspace, _ = load_workspace(FIXTURES / "readiness")
    resolved, _ = resolve(workspace, "v1")
    r = venue_readiness(workspace, resolved, "2030-03-01", {"m2": [("NO-GO", "reason_safety", {"message": "R-01"})]})
    assert [(m.match, m.verdict) for m in r.matches] == [("m1", r.verdict), ("m2", NO_GO)]
