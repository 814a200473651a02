"""A match's go/no-go folds in its risk register: an open critical risk is NO-GO, and the
controls that close it are read from both clocks (preparation done, this match's execution)."""

from __future__ import annotations

import shutil

import yaml

from eventsec.assess.readiness.overview import venue_readiness
from eventsec.checks.validate import load_workspace
from eventsec.plan.resolve import resolve
from tests.conftest import ROOT

REGISTER = {
    "kind": "risk-register",
    "match": "m024",
    "assessed": {"by": "police-match-commander", "date": "2030-05-20"},
    "sensitivity": "restricted",
    "risks": [
        {
            "id": "R01",
            "category": "public-order",
            "hazard": "Rival risk supporters meet on the walk to the stadium",
            "likelihood": 4,
            "impact": 4,
            "owner": "police-match-commander",
            "controls": ["ACC-009"],  # a preparation item, due T-14d
            "residual": {"likelihood": 2, "impact": 4},
        }
    ],
}


def metropolitano(tmp_path, status_items: dict | None = None):
    """The WC 2030 sample with a one-risk register for m024 and, optionally, a status file."""
    root = tmp_path / "wc2030"
    shutil.copytree(ROOT / "samples" / "wc2030", root)
    (root / "risks" / "m024.yaml").write_text(yaml.safe_dump(REGISTER), encoding="utf-8")
    if status_items is not None:
        status = {"kind": "status", "venue": "es-metropolitano", "items": status_items}
        (root / "status" / "es-metropolitano.yaml").write_text(yaml.safe_dump(status), encoding="utf-8")
    workspace, result = load_workspace(root)
    assert workspace is not None, [f.message for f in result.findings]
    plan, _ = resolve(workspace, "es-metropolitano")
    readiness = venue_readiness(workspace, plan, "2030-06-20")
    return {m.match: m for m in readiness.matches}, readiness.risks


def risk_reasons(match) -> list[tuple[str, dict]]:
    return [(key, values) for key, values in match.reason_codes if key.startswith("riskreg_")]


def test_an_open_critical_risk_makes_its_match_no_go_and_no_other(tmp_path):
    matches, registers = metropolitano(tmp_path)
    assert registers["m024"].risks[0].missing == ("ACC-009",)
    assert matches["m024"].verdict == "NO-GO"
    assert risk_reasons(matches["m024"]) == [
        ("riskreg_reason_critical_open", {"id": "R01", "match": "m024", "score": 16, "controls": "ACC-009"})
    ]
    assert risk_reasons(matches["m034"]) == []  # the venue's other match has no register


def test_controls_done_on_the_preparation_clock_bring_the_risk_to_its_residual(tmp_path):
    done = {"ACC-009": {"state": "done", "evidence": "Route map RBT-114", "date": "2030-05-30"}}
    matches, registers = metropolitano(tmp_path, done)
    risk = registers["m024"].risks[0]
    assert (risk.missing, risk.effective.score, risk.effective.band) == ((), 8, "high")
    # the match stays NO-GO for the venue's overdue critical items, but no longer for this risk
    # (a NO-GO lists its NO-GO reasons only: the residual high risk would make it AT-RISK)
    assert matches["m024"].verdict == "NO-GO"
    assert risk_reasons(matches["m024"]) == []
