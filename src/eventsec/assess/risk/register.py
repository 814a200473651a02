"""A match's risk register, assessed: each risk's inherent and residual rating, and the rating
that holds today.

The residual rating is what the assessor expects once the risk's controls are in place; until
every one of them is (its item id in ``done``), the risk stands at its inherent rating. That
**effective** rating drives the match's verdict: an open critical risk makes it NO-GO, an open
high one AT-RISK (:func:`verdict_reasons`, folded into the match go/no-go by the caller).
Pure: the caller passes the register's data, the plan's matrix and the ids of the items done
(preparation items done as of the date, match-day items done for that match). docs/risks.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from eventsec.plan.risk_matrix import BANDS, Matrix, score

NO_GO, AT_RISK = "NO-GO", "AT-RISK"
VERDICT_OF_BAND = {"critical": NO_GO, "high": AT_RISK}
"""The match verdict an open risk of each band forces; lower bands force none."""


@dataclass(frozen=True)
class Rating:
    """A point on the matrix: likelihood, impact, their product and its band."""

    likelihood: int
    impact: int
    score: int
    band: str

    @classmethod
    def of(cls, likelihood: int, impact: int, matrix: Matrix) -> Rating:
        value = score(likelihood, impact)
        return cls(likelihood, impact, value, matrix.band(value))


@dataclass(frozen=True)
class AssessedRisk:
    """One risk of the register with its ratings and the controls not yet in place."""

    id: str
    category: str
    owner: str
    controls: tuple[str, ...]
    inherent: Rating
    residual: Rating
    missing: tuple[str, ...]
    """Controls not in place, in the register's order."""
    entry: dict = field(repr=False, compare=False)
    """The register's entry, for its hazard in the plan's language."""
    planned: tuple[str, ...] = ()
    """Match-day controls not yet due: planned for their time, so not missing yet."""

    @property
    def controlled(self) -> bool:
        """Every control is in place: the residual rating holds."""
        return not self.missing

    @property
    def accepted(self) -> dict | None:
        """Who accepted the residual rating and when, if it is a high one with every control in
        place (a critical residual cannot be accepted; an open risk has nothing to accept yet)."""
        accepted = self.entry.get("accepted")
        return accepted if accepted and self.controlled and self.residual.band == "high" else None

    @property
    def effective(self) -> Rating:
        return self.residual if self.controlled else self.inherent


@dataclass(frozen=True)
class AssessedRegister:
    """A match's register: who assessed it and when, its release level and its risks."""

    match: str
    assessed_by: str
    assessed_on: str
    sensitivity: str
    risks: tuple[AssessedRisk, ...]
    matrix: Matrix
    """The band thresholds the risks were rated with (the heat map colours its cells by them)."""
    illustrative: bool = False

    @property
    def highest(self) -> str | None:
        """The highest effective band of the match (None for a register without risks)."""
        bands = [r.effective.band for r in self.risks]
        return max(bands, key=BANDS.index) if bands else None


def assess_risk(
    entry: Mapping[str, Any], matrix: Matrix, done: set[str], planned: Set[str] = frozenset()
) -> AssessedRisk:
    controls = tuple(entry["controls"])
    residual = entry["residual"]
    return AssessedRisk(
        id=entry["id"],
        category=entry["category"],
        owner=entry["owner"],
        controls=controls,
        inherent=Rating.of(entry["likelihood"], entry["impact"], matrix),
        residual=Rating.of(residual["likelihood"], residual["impact"], matrix),
        missing=tuple(c for c in controls if c not in done and c not in planned),
        entry=dict(entry),
        planned=tuple(c for c in controls if c not in done and c in planned),
    )


def assess_register(
    register: Mapping[str, Any], matrix: Matrix, done: set[str], planned: Set[str] = frozenset()
) -> AssessedRegister:
    """A register document's data, assessed with the plan's ``matrix`` against the items ``done``
    and the match-day items ``planned`` (not yet due: a control due at full time must not hold a
    risk open at kick-off; once its time passes unrecorded it is missing)."""
    assessed = register["assessed"]
    return AssessedRegister(
        match=register["match"],
        assessed_by=assessed["by"],
        assessed_on=assessed["date"],
        sensitivity=register["sensitivity"],
        risks=tuple(assess_risk(entry, matrix, done, planned) for entry in register["risks"]),
        matrix=matrix,
        illustrative=bool(register.get("illustrative", False)),
    )


def assess_registers(
    registers: Iterable[Mapping[str, Any]], matches: Iterable[str], matrix: Matrix, done: set[str]
) -> dict[str, AssessedRegister]:
    """The registers of ``matches`` (a venue's, or the one match of a match plan), by match id,
    in the order the matches are given."""
    by_match = {r["match"]: r for r in registers}
    return {m: assess_register(by_match[m], matrix, done) for m in matches if m in by_match}


def verdict_reasons(assessed: AssessedRegister) -> list[tuple[str, str, dict]]:
    """(verdict, catalog key, values) for every open critical (NO-GO) or high (AT-RISK) risk:
    the reasons the match go/no-go folds into its verdict. "Open" is the effective rating: a
    risk whose controls are not all in place stands at its inherent rating."""
    reasons = []
    for risk in assessed.risks:
        band = risk.effective.band
        if band not in VERDICT_OF_BAND or risk.accepted:
            continue
        values = {"id": risk.id, "match": assessed.match, "score": risk.effective.score}
        if risk.controlled:
            reasons.append((VERDICT_OF_BAND[band], f"riskreg_reason_{band}_residual", values))
        else:
            reasons.append(
                (VERDICT_OF_BAND[band], f"riskreg_reason_{band}_open", {**values, "controls": ", ".join(risk.missing)})
            )
    return reasons
