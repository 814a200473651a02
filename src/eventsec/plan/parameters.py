"""What a parameter value may be: its declared type and bounds, a plausible magnitude, and the
physical floor below which the safety calculations that divide by it mean nothing.

Both the ``parameter`` lint rule (a value an overlay writes) and the resolver (a value an
expression computes) ask :func:`parameter_problem`, so the two never disagree.
"""

from __future__ import annotations

from typing import Any

from eventsec.vocabulary import truncate

MAX_MAGNITUDE = 1e9
"""Largest parameter value either way: event figures (people, metres, minutes, weights) stay far
below it, and larger numbers (``9 ** 9999``) only overflow the calculations."""
MIN_MAGNITUDE = 1e-9
"""Smallest parameter value other than zero, either way: rates, ratios and shares stay far above
it, and a figure such as 1e-300 is a slip whose reciprocal (a time, a count) overflows every
later figure. With :data:`MAX_MAGNITUDE` it keeps the figures the calculations derive below
10^27, the most digits the plan's number formatting holds."""


PHYSICAL_FLOORS = {
    "turnstile_rate_per_hour": (1, "persons per turnstile per hour; the Green Guide plans 660"),
    "flow_rate_level": (1, "persons per metre per minute; Fruin's freest walkway carries up to 23"),
    "flow_rate_stepped": (1, "persons per metre per minute; Fruin's freest walkway carries up to 23"),
    "entry_time_target_min": (1, "minutes; entry is planned over about an hour"),
    "egress_target_min": (1, "minutes; the Green Guide plans 8"),
    "emergency_evacuation_low_fire_risk_min": (1, "minutes; the guidance's range is 2.5 to 8"),
    "emergency_evacuation_medium_fire_risk_min": (1, "minutes; the guidance's range is 2.5 to 8"),
    "emergency_evacuation_high_fire_risk_min": (1, "minutes; the guidance's range is 2.5 to 8"),
    "turnstile_rate_fan_id_per_hour": (1, "persons per turnstile per hour"),
    "turnstile_rate_search_per_hour": (1, "persons per turnstile per hour"),
    "steward_ratio": (1, "spectators per steward; SGSA guidance plans 250"),
    "steward_ratio_medium_risk": (1, "spectators per steward"),
    "steward_ratio_high_risk": (1, "spectators per steward"),
    "turnstiles_per_entrance_steward": (1, "turnstiles per steward"),
    "spectators_per_gangway_steward": (1, "spectators per steward"),
    "pitch_steward_spacing_m": (1, "metres between stewards"),
    "pitch_steward_spacing_high_risk_m": (1, "metres between stewards"),
    "spectators_per_response_team": (1, "spectators per team"),
    "spectators_per_response_team_high_risk": (1, "spectators per team"),
    "spectators_per_crowd_doctor": (1, "spectators per doctor"),
    "spectators_per_paramedic_team": (1, "spectators per team"),
    "spectators_per_medical_room": (1, "spectators per room"),
    "supervisor_ratio": (1, "stewards per supervisor"),
    "spectators_per_ambulance": (1, "spectators per additional ambulance"),
    "readiness_weight_critical": (1, "weight of a critical item; with 0 a venue with nothing done scored 100%"),
}
"""Lowest value that makes sense for the parameters the safety calculations divide by, and for
the critical items' readiness weight, whatever a workspace's own library declares: a zero rate,
target or ratio is no figure at all and stopped status, safety and render with a division by
zero. The built-in library declares minimums at or above these floors."""


def short_repr(value: Any, limit: int = 30) -> str:
    """``repr`` cut to ``limit`` characters, for values that may be 90-digit numbers."""
    return truncate(repr(value), limit)


def parameter_problem(declaration: dict, value: Any, name: str = "") -> str:
    """Why ``value`` does not fit the declaration (and :data:`PHYSICAL_FLOORS` for parameter ``name``), or the empty string."""
    kind = declaration.get("type")
    fits = {
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
    }.get(kind, True)
    if not fits:
        return f"expected {kind}, got {value!r}"
    if kind in ("integer", "number") and not (
        value == 0 or MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE
    ):  # nan fails too
        return (
            f"{short_repr(value)} is not a finite number of plausible size (zero, or from {MIN_MAGNITUDE:.0e} "
            f"to {MAX_MAGNITUDE:.0e} either way)"
        )
    if "minimum" in declaration and value < declaration["minimum"]:
        return f"{value} is below the minimum {declaration['minimum']}"
    floor, unit = PHYSICAL_FLOORS.get(name, (None, ""))
    if floor is not None and isinstance(value, (int, float)) and value < floor:
        return f"{value} is below {floor}, the least that makes sense ({unit})"
    if "maximum" in declaration and value > declaration["maximum"]:
        return f"{value} is above the maximum {declaration['maximum']}"
    if "enum" in declaration and value not in declaration["enum"]:
        return f"{value!r} is not one of {declaration['enum']}"
    return ""
