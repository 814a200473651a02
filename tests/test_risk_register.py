"""A match's risk register assessed (assess/risk/register.py) on the 5×5 matrix
(plan/risk_matrix.py): scores, bands, the effective rating by controls done, verdict reasons."""

from __future__ import annotations

import pytest

from eventsec.assess.risk.register import assess_register, assess_registers, verdict_reasons
from eventsec.plan.risk_matrix import CATEGORY_ALLOWS, Matrix, RiskBandsError, above, score

MATRIX = Matrix(medium_from=4, high_from=8, critical_from=15)
"""The command-control protocol's defaults."""


def risk(risk_id: str, likelihood: int, impact: int, residual: tuple[int, int], controls: list[str]) -> dict:
    return {
        "id": risk_id,
        "category": "public-order",
        "hazard": f"hazard {risk_id}",
        "likelihood": likelihood,
        "impact": impact,
        "owner": "police-match-commander",
        "controls": controls,
        "residual": {"likelihood": residual[0], "impact": residual[1]},
    }


def register(*risks: dict, match: str = "m024") -> dict:
    return {
        "kind": "risk-register",
        "match": match,
        "assessed": {"by": "police-match-commander", "date": "2030-05-20"},
        "sensitivity": "restricted",
        "risks": list(risks),
    }


@pytest.mark.parametrize(
    "value, band",
    [
        (1, "low"),
        (3, "low"),
        (4, "medium"),
        (6, "medium"),
        (8, "high"),
        (12, "high"),
        (15, "critical"),
        (25, "critical"),
    ],
)
def test_bands_cut_the_matrix_at_the_parameters(value, band):
    assert MATRIX.band(value) == band


def test_a_tournament_may_set_its_own_thresholds():
    strict = Matrix.from_values({"risk_band_medium_from": 3, "risk_band_high_from": 6, "risk_band_critical_from": 12})
    assert [strict.band(s) for s in (2, 3, 6, 12)] == ["low", "medium", "high", "critical"]


def test_a_library_without_the_band_parameters_is_refused_by_name():
    with pytest.raises(RiskBandsError, match="risk_band_high_from, risk_band_critical_from"):
        Matrix.from_values({"risk_band_medium_from": 4})


def test_thresholds_that_do_not_rise_are_refused():
    with pytest.raises(RiskBandsError, match="must rise from medium to critical"):
        Matrix.from_values({"risk_band_medium_from": 8, "risk_band_high_from": 6, "risk_band_critical_from": 15})


def test_score_is_likelihood_times_impact_and_each_rating_keeps_its_parts():
    assert score(4, 4) == 16 and score(1, 1) == 1 and score(5, 5) == 25
    (assessed,) = assess_register(register(risk("R01", 4, 4, (2, 4), ["CRW-001"])), MATRIX, set()).risks
    assert (assessed.inherent.likelihood, assessed.inherent.impact, assessed.inherent.score) == (4, 4, 16)
    assert assessed.inherent.band == "critical" and assessed.residual.score == 8 and assessed.residual.band == "high"


def test_the_residual_rating_holds_only_once_every_control_is_done():
    entry = risk("R01", 4, 4, (2, 2), ["CRW-001", "FIC-009"])
    none = assess_register(register(entry), MATRIX, set()).risks[0]
    some = assess_register(register(entry), MATRIX, {"CRW-001"}).risks[0]
    every = assess_register(register(entry), MATRIX, {"CRW-001", "FIC-009", "OTHER-001"}).risks[0]
    assert none.missing == ("CRW-001", "FIC-009") and none.effective == none.inherent
    assert some.missing == ("FIC-009",) and some.effective.band == "critical"
    assert every.controlled and every.effective == every.residual and every.effective.band == "medium"


def test_the_match_takes_its_highest_effective_band():
    assessed = assess_register(
        register(risk("R01", 4, 4, (1, 2), ["CRW-001"]), risk("R02", 3, 3, (2, 3), ["CRW-002"])), MATRIX, {"CRW-001"}
    )
    assert [r.effective.band for r in assessed.risks] == ["low", "high"]
    assert assessed.highest == "high"


def test_open_critical_is_no_go_and_open_high_at_risk_with_the_controls_missing():
    assessed = assess_register(
        register(
            risk("R01", 4, 4, (2, 2), ["CRW-001", "FIC-009"]),  # critical until both are done
            risk("R02", 3, 4, (1, 2), ["CRW-002"]),  # high until done
            risk("R03", 2, 2, (1, 1), ["CRW-003"]),  # medium: no reason
            risk("R04", 5, 4, (3, 3), ["CRW-004"]),  # done, but its residual is still high
        ),
        MATRIX,
        {"FIC-009", "CRW-004"},
    )
    assert verdict_reasons(assessed) == [
        ("NO-GO", "riskreg_reason_critical_open", {"id": "R01", "match": "m024", "score": 16, "controls": "CRW-001"}),
        ("AT-RISK", "riskreg_reason_high_open", {"id": "R02", "match": "m024", "score": 12, "controls": "CRW-002"}),
        ("AT-RISK", "riskreg_reason_high_residual", {"id": "R04", "match": "m024", "score": 9}),
    ]


def test_controls_in_place_clear_the_verdict_reasons():
    entry = risk("R01", 4, 4, (2, 1), ["CRW-001"])
    assert verdict_reasons(assess_register(register(entry), MATRIX, {"CRW-001"})) == []


def test_the_reason_keys_are_in_every_catalog():
    from eventsec.i18n import Catalog
    from eventsec.vocabulary import LANGUAGES

    keys = {f"riskreg_reason_{band}_{how}" for band in ("critical", "high") for how in ("open", "residual")}
    for lang in LANGUAGES:
        assert keys <= set(Catalog(lang).strings), lang


def test_registers_are_kept_for_the_matches_asked_in_their_order():
    found = assess_registers(
        [register(risk("R01", 1, 1, (1, 1), ["CRW-001"]), match=m) for m in ("m1", "m2", "m9")],
        ["m2", "m1", "m3"],
        MATRIX,
        set(),
    )
    assert list(found) == ["m2", "m1"]


def test_each_category_allows_one_band_more_than_the_one_below():
    assert CATEGORY_ALLOWS == {"low": "medium", "medium": "high", "high": "critical"}
    assert above("critical", CATEGORY_ALLOWS["medium"]) and not above("high", CATEGORY_ALLOWS["medium"])


def test_an_accepted_high_residual_no_longer_holds_the_match_at_risk():
    accepted = {"by": "police-strategic-commander", "date": "2030-06-20"}
    high = risk("R01", 4, 4, (2, 4), ["A"])  # residual 8: high
    assert verdict_reasons(assess_register(register(high), MATRIX, {"A"})) == [
        ("AT-RISK", "riskreg_reason_high_residual", {"id": "R01", "match": "m024", "score": 8})
    ]
    assessed = assess_register(register({**high, "accepted": accepted}), MATRIX, {"A"})
    assert assessed.risks[0].accepted == accepted and verdict_reasons(assessed) == []
    # acceptance is of the residual: with a control missing the risk is open and still counts
    assert verdict_reasons(assess_register(register({**high, "accepted": accepted}), MATRIX, set()))[0][0] == "NO-GO"
    # a critical residual cannot be accepted
    critical = {**risk("R02", 5, 5, (3, 5), ["A"]), "accepted": accepted}
    assert verdict_reasons(assess_register(register(critical), MATRIX, {"A"}))[0][:2] == (
        "NO-GO",
        "riskreg_reason_critical_residual",
    )


def test_a_planned_match_day_control_is_neither_done_nor_missing():
    assessed = assess_register(register(risk("R01", 4, 4, (2, 4), ["PREP", "MD"])), MATRIX, {"PREP"}, {"MD"})
    only = assessed.risks[0]
    assert (only.missing, only.planned, only.effective.score) == ((), ("MD",), 8)
