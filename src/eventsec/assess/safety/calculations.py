"""Pure safety calculations. Every rate, target and ratio comes in as an argument (a protocol
parameter), so a tournament, country, venue or match can override it through overlays.

Units: people, metres, minutes, persons per metre per minute (p/m/min).
"""

from __future__ import annotations

import math


def entry_minutes(people: int, turnstiles: int, rate_per_hour: float) -> float:
    """Time to admit ``people`` through ``turnstiles``.

    Formula: people / (turnstiles × rate_per_hour / 60), in minutes.
    Source: Green Guide (6th ed.) turnstile rate of 660 persons per turnstile per hour;
    confidence: documented. No turnstiles means nobody gets in: infinite time.
    """
    if people <= 0:
        return 0.0
    if turnstiles <= 0 or rate_per_hour <= 0:
        return math.inf
    return people / (turnstiles * rate_per_hour / 60.0)


def exit_flow_per_minute(level_width_m: float, stepped_width_m: float, level_rate: float, stepped_rate: float) -> float:
    """People per minute a set of exits can pass.

    Formula: level width × level flow rate + stepped width × stepped flow rate (p/min).
    Source: Green Guide flow rates (6th ed. 82 level / 66 stepped p/m/min); confidence:
    unverified (secondary sources only) — outputs say so.
    """
    return max(level_width_m, 0.0) * level_rate + max(stepped_width_m, 0.0) * stepped_rate


def egress_minutes(
    people: int, level_width_m: float, stepped_width_m: float, level_rate: float, stepped_rate: float
) -> float:
    """Time for ``people`` to leave through the given level and stepped exit widths.

    Formula: people / (level width × level rate + stepped width × stepped rate), in minutes.
    Source: Green Guide egress method; compared with the 8-minute normal egress target
    (documented) and the emergency evacuation target (2.5–8 min, by risk assessment).
    """
    if people <= 0:
        return 0.0
    flow = exit_flow_per_minute(level_width_m, stepped_width_m, level_rate, stepped_rate)
    return math.inf if flow <= 0 else people / flow


def standing_density_per_10m2(standing: int, area_m2: float) -> float:
    """Standing spectators per 10 m².

    Formula: standing / area × 10. Compared with the maximum of 47 per 10 m²
    (Taylor Report recommendation; confidence: documented).
    """
    if standing <= 0:
        return 0.0
    return math.inf if area_m2 <= 0 else standing / area_m2 * 10.0


def holding_capacity(seated: int, standing: int, standing_area_m2: float | None, max_density_per_10m2: float) -> int:
    """People a section can hold: all seats, plus standing places up to the density limit.

    Formula: seated + min(standing, floor(area × max density / 10)) when the standing area is
    known, else seated + standing. Source: Green Guide capacity calculation (holding capacity).
    """
    if standing_area_m2 is None:
        return seated + standing
    return seated + min(standing, math.floor(standing_area_m2 * max_density_per_10m2 / 10.0))


def entry_capacity(turnstiles: float, rate_per_hour: float, entry_period_min: float) -> int:
    """People the turnstiles can admit within the entry period.

    Formula: floor(turnstiles × rate_per_hour × period / 60). Source: FLA/SGSA capacity
    calculation (entry capacity over one hour); confidence: documented.
    """
    return math.floor(turnstiles * rate_per_hour * entry_period_min / 60.0)


def exit_capacity(flow_per_minute: float, target_min: float) -> int:
    """People the exits can clear within the target time.

    Formula: floor(exit flow × target). Used twice: with the normal egress target (exit
    capacity) and with the emergency evacuation target (emergency capacity).
    """
    return math.floor(flow_per_minute * target_min)


def area_capacity(area_m2: float, density_per_m2: float) -> int:
    """People a holding area (concourse) accommodates. Formula: floor(area × density)."""
    return math.floor(area_m2 * density_per_m2)


def safe_capacity(*components: int | None) -> int:
    """The Green Guide method: the lowest of the entry, holding, exit and emergency capacities.

    Components that do not apply (None) are ignored; the result never exceeds any component.
    """
    present = [c for c in components if c is not None]
    return min(present) if present else 0


def extra_exit_width_m(people: int, flow_per_minute: float, rate: float, target_min: float) -> float:
    """Exit width (of one type, at ``rate``) to add so ``people`` leave within ``target_min``.

    Formula: max(0, people / target − current flow) / rate, in metres.
    """
    needed_flow = people / target_min
    return max(0.0, needed_flow - flow_per_minute) / rate


def extra_turnstiles(people: int, turnstiles: int, rate_per_hour: float, target_min: float) -> int:
    """Turnstiles to add so ``people`` enter within ``target_min``.

    Formula: max(0, ceil(people / (rate / 60 × target)) − turnstiles).
    """
    needed = math.ceil(people / (rate_per_hour / 60.0 * target_min))
    return max(0, needed - turnstiles)


def mobile_stewards(attendance: int, spectators_per_steward: int) -> int:
    """Mobile stewards by ratio to expected attendance.

    Formula: ceil(attendance / ratio). Source: SGSA stewarding plan guidance, typically
    1 per 250 anticipated attendance (documented); a tighter ratio for high-risk matches is a
    planning assumption.
    """
    return math.ceil(attendance / spectators_per_steward) if attendance > 0 else 0


def static_posts(exits: int, entrances: int, per_exit: int, per_entrance: int) -> int:
    """Static steward posts. Formula: exits × per exit + entrances × per entrance. Confidence: assumed."""
    return exits * per_exit + entrances * per_entrance


def supervisors(stewards: int, stewards_per_supervisor: int) -> int:
    """Supervisors by span of control. Formula: ceil(stewards / ratio). Confidence: assumed."""
    return math.ceil(stewards / stewards_per_supervisor) if stewards > 0 else 0


def first_aiders(attendance: int, per_thousand: float, minimum: int) -> int:
    """First aiders for a crowd.

    Formula: max(minimum, ceil(attendance / 1000 × per_thousand)). Source: Purple Guide
    summaries (at least 2; 2 per 1,000); confidence: secondary.
    """
    return max(minimum, math.ceil(attendance / 1000.0 * per_thousand)) if attendance > 0 else 0


def crowd_doctors(attendance: int, threshold: int) -> int:
    """A crowd doctor above the threshold. Formula: 1 if attendance > threshold else 0.

    Source: thresholds quoted from the Gibson report (secondary).
    """
    return 1 if attendance > threshold else 0


def ambulances(attendance: int, threshold: int, spectators_per_ambulance: int) -> int:
    """Ambulances on site.

    Formula: 0 below the threshold, else max(1, ceil(attendance / spectators per ambulance)).
    Source: one ambulance at 5,000 or more (Gibson report, secondary); scaling beyond one is
    a planning assumption.
    """
    if attendance < threshold:
        return 0
    return max(1, math.ceil(attendance / spectators_per_ambulance))
