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


class MissingRiskParameters(ValueError):
    """The library does not declare the risk band parameters."""


@dataclass(frozen=True)
class Matrix:
    """The band thresholds of one plan: the lowest score of medium, high and critical."""

    medium_from: float
    high_from: float
    critical_from: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Matrix:
        """The matrix of a plan's parameter values; :class:`MissingRiskParameters` when the
        library declares none (a register rated on thresholds nobody set would be a guess)."""
        missing = [name for name in PARAMETERS if name not in values]
        if missing:
            raise MissingRiskParameters(f"the library does not declare parameters: {', '.join(missing)}")
        return cls(*(float(values[name]) for name in PARAMETERS))

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
