"""Items due before a tournament milestone: the earlier of the phase and the milestone sets the
deadline, a milestone the tournament lacks leaves the phase alone (with a warning), overlays set
and clear it, and every reader is told which clock set it."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from eventsec.assess.readiness.deadlines import item_deadlines
from eventsec.assess.readiness.scores import assess_readiness
from eventsec.checks.validate import load_workspace, validate
from eventsec.cli import main
from eventsec.i18n import catalog
from eventsec.plan.resolve import resolve
from tests.conftest import FIXTURES

WORKSPACE = FIXTURES / "milestones"


@pytest.fixture(scope="module")
def plans():
    workspace, result = load_workspace(WORKSPACE)
    assert workspace is not None, [f.message for f in result.findings]
    resolved = {}
    for venue in ("v1", "v2"):
        plan, findings = resolve(workspace, venue)
        assert plan is not None, findings
        resolved[venue] = plan
    return resolved


def deadline(plan, item_id):
    (found,) = item_deadlines(plan.item(item_id).fields, plan.venue, plan.tournament)
    return found


def test_the_milestone_sets_the_deadline_when_it_is_earlier_than_the_phase(plans):
    """TKT-002: T-60d is 2030-04-11; the day before ticket on-sale (2029-09-12) is earlier."""
    due = deadline(plans["v2"], "TKT-002")
    assert due.shown() == "2029-09-11"
    assert due.bound.to_dict() == {"clock": "milestone", "milestone": "ticket-on-sale", "days": 1}


def test_the_phase_sets_the_deadline_when_it_is_earlier_than_the_milestone(plans):
    """TKT-001: T-300d of a first match on 2030-06-10 is 2029-08-14, before on-sale minus 14 days."""
    due = deadline(plans["v1"], "TKT-001")
    assert due.shown() == "2029-08-14"
    assert due.bound.to_dict() == {"clock": "phase", "phase": "T-300d"}


def test_the_earliest_of_several_milestones_wins(plans):
    """TKT-004: 30 days before on-sale (2029-08-13) beats 14 days before the test event and T-30d."""
    due = deadline(plans["v1"], "TKT-004")
    assert (due.shown(), due.bound.milestone.id, due.bound.days) == ("2029-08-13", "ticket-on-sale", 30)


def test_a_milestone_deadline_ends_at_the_venues_midnight(plans):
    """The same milestone day is a different instant in Madrid and Casablanca."""
    madrid, casablanca = deadline(plans["v1"], "TKT-004"), deadline(plans["v2"], "TKT-004")
    assert madrid.shown() == casablanca.shown() and madrid.due != casablanca.due
    assert (madrid.due.hour, madrid.due.minute) == (0, 0) and str(madrid.due.tzinfo) == "Europe/Madrid"


def test_a_milestone_the_tournament_lacks_leaves_the_phase_and_is_warned(plans):
    due = deadline(plans["v1"], "TKT-003")
    assert due.bound.to_dict() == {"clock": "phase", "phase": "T-60d"} and due.shown() == "2030-04-11"
    (warning,) = [f for f in validate([WORKSPACE]).findings if f.rule == "milestone-missing"]
    assert "'draw'" in warning.message and "TKT-003" in warning.message and "phase alone" in warning.message
    assert warning.severity.value == "warning" and warning.location.file.endswith("tournament.yaml")


def test_an_item_without_a_milestone_says_only_its_date(plans):
    due = deadline(plans["v2"], "TKT-005")
    assert due.bound is None and due.said(catalog("fr")) == due.shown() == "2030-05-23"


def test_an_overlay_clears_a_milestone_and_sets_another(plans):
    """v1's overlay: TKT-002 loses its on-sale clock (T-60d applies); TKT-005 gains the
    tournament's own fan-festival milestone (3 days before 2030-05-20)."""
    cleared = deadline(plans["v1"], "TKT-002")
    assert cleared.bound is None and cleared.shown() == "2030-04-11"
    festival = deadline(plans["v1"], "TKT-005")
    assert festival.shown() == "2030-05-17" and festival.bound.milestone.id == "fan-festival"
    assert plans["v1"].item("TKT-005").origin("due_before").layer == "venue"


@pytest.mark.parametrize(
    "lang, item, said",
    [
        ("en", "TKT-002", "before ticket on-sale, 2029-09-11"),
        ("en", "TKT-004", "30 days before ticket on-sale, 2029-08-13"),
        ("en", "TKT-001", "T-300d, 2029-08-14"),
        ("fr", "TKT-004", "30 jours avant l'ouverture de la billetterie, 2029-08-13"),
        ("es", "TKT-002", "antes de la apertura de la venta de entradas, 2029-09-11"),
        ("pt", "TKT-004", "30 dias antes de a abertura da venda de bilhetes, 2029-08-13"),
        ("ar", "TKT-004", "قبل بدء بيع التذاكر بـ30 يومًا، 2029-08-13"),
    ],
)
def test_the_deadline_says_which_clock_set_it_in_the_readers_language(plans, lang, item, said):
    venue = "v1" if item != "TKT-002" else "v2"
    assert deadline(plans[venue], item).said(catalog(lang)) == said


def test_a_tournament_milestone_is_named_by_its_own_title_and_translation(plans):
    festival = deadline(plans["v1"], "TKT-005")
    assert festival.said(catalog("en")) == "3 days before Fan festival opens, 2030-05-17"
    assert festival.said(catalog("fr")) == "3 jours avant Ouverture du festival des supporters, 2030-05-17"


def test_readiness_scores_against_the_milestone_deadline(plans):
    """As of 2029-09-12 (on-sale day) TKT-002 is overdue at v2; at v1, where the overlay cleared
    its milestone, it is not due until 2030-04-11."""
    overdue = {
        v: {i.item.id for i in assess_readiness(p, None, "2029-09-12").items if i.overdue} for v, p in plans.items()
    }
    assert "TKT-002" in overdue["v2"] and "TKT-002" not in overdue["v1"]


def test_status_json_and_text_carry_the_clock(runner):
    result = runner.invoke(
        main, ["status", str(WORKSPACE), "--venue", "v2", "--as-of", "2029-10-01", "--format", "json"]
    )
    data = json.loads(result.stdout)
    preparation = data["venues"][0]["preparation"] if "venues" in data else data["preparation"]
    (row,) = [i for i in preparation["overdue_critical"] if i["id"] == "TKT-001"]
    assert row["due_by"] == {"clock": "phase", "phase": "T-300d"} and row["due_day"] == "2029-08-16"
    assert row["due_text"] == "T-300d, 2029-08-16"
    text = runner.invoke(main, ["status", str(WORKSPACE), "--venue", "v2", "--as-of", "2029-10-01"]).stdout
    assert "due T-300d, 2029-08-16" in text


def test_an_unknown_milestone_is_an_error_with_a_suggestion(tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    venue = workspace / "venues" / "v1.yaml"
    venue.write_text(venue.read_text().replace("milestone: fan-festival", "milestone: fan-festivl"))
    (finding,) = [f for f in validate([workspace]).findings if f.rule == "milestone-unknown"]
    assert finding.hint == "did you mean 'fan-festival'?" and finding.location.file.endswith("v1.yaml")
    line = venue.read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("fan-festivl")


def test_a_milestone_outside_the_standard_set_needs_a_title(tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    tournament = workspace / "tournament.yaml"
    data = yaml.safe_load(tournament.read_text())
    del data["milestones"][2]["title"], data["milestones"][2]["translations"]
    tournament.write_text(yaml.safe_dump(data))
    (finding,) = [f for f in validate([workspace]).findings if f.rule == "schema"]
    assert finding.message == "missing required field 'title' in milestones[2]"
