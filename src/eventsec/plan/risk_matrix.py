"""The 5×5 risk matrix risk registers are rated on: score = likelihood × impact, its band, and
the highest band a match's declared risk category allows.

It sits in ``plan/`` because two stages read it: validate (``checks/risks.py``: a match's
category against its register) and assess (``assess/risk/register.py``: effective ratings).
The band thresholds are library parameters (``risk_band_*``, declared in the command-control
protocol as an assumed planning convention), so a tournament may set its own; docs/risks.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCALE = (1, 2, 3, 4, 5)
"""Likelihood (1 rare … 5 almost certain) and impact (1 minimal … 5 catastrophic)."""

BANDS = ("low", "medium", "high", "critical")
"""Bands, lowest first."""

PARAMETERS = ("risk_band_medium_from", "risk_band_high_from", "risk_band_critical_from")
"""The lowest score of each band above low, in band order."""

CATEGORY_ALLOWS = {"low": "medium", "medium": "high", "high": "critical"}
"""The highest inherent band a match's declared risk category allows in its register. A risk
rated above it says the match was categorised too low: the category sets the policing and
stewarding levels (steward ratios, escorts), and it is the inherent risk, before those
controls, that decides the category."""


class RiskBandsError(ValueError):
    """The risk band parameters are not declared, or do not rise from medium to critical."""


@dataclass(frozen=True)
class Matrix:
    """The band thresholds of one plan: the lowest score of medium, high and critical."""

    medium_from: float
    high_from: float
    critical_from: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Matrix:
        """The matrix of a plan's parameter values; :class:`RiskBandsError` when the
        library declares none (a register rated on thresholds nobody set would be a guess) or
        when they do not rise from medium to critical (a band would be empty, silently)."""
        missing = [name for name in PARAMETERS if name not in values]
        if missing:
            raise RiskBandsError(f"the library does not declare parameters: {', '.join(missing)}")
        matrix = cls(*(float(values[name]) for name in PARAMETERS))
        if not matrix.medium_from < matrix.high_from < matrix.critical_from:  # a band would be empty
            said = ", ".join(f"{name} {values[name]}" for name in PARAMETERS)
            raise RiskBandsError(f"the band thresholds must rise from medium to critical ({said})")
        return matrix

    def band(self, score: int) -> str:
        """The band of a score (1–25)."""
        if score >= self.critical_from:
            return "critical"
        if score >= self.high_from:
            return "high"
        if score >= self.medium_from:
            return "medium"
        return "low"


def score(likelihood: int, impact: int) -> int:
    """Likelihood × impact, 1–25."""
    return likelihood * impact


def above(band: str, limit: str) -> bool:
    """Whether ``band`` is higher than ``limit``."""
    return BANDS.index(band) > BANDS.index(limit)
