"""Pure safety calculations. Every rate, target and ratio comes in as an argument (a protocol
parameter), so a tournament, country, venue or match can override it through overlays.

Units: people, metres, minutes, persons per metre per minute (p/m/min), persons per m².
Sources and confidence belong to the parameters (protocols/*.yaml); docs/safety.md lists them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

RISK_ORDER = ("low", "medium", "high")
"""Match risk categories from least to most demanding (the venue schema's ``risk``)."""


def entry_minutes(people: int, turnstiles: float, rate_per_hour: float) -> float:
    """Time to admit ``people`` through ``turnstiles`` lanes of one kind.

    Formula: people / (turnstiles × rate_per_hour / 60), in minutes. The rate is the lane
    type's (ticket only 660 per hour from the Green Guide; with a Fan ID check or a search,
    slower planning values). No turnstiles means nobody gets in: infinite time.
    """
    if people <= 0:
        return 0.0
    if turnstiles <= 0 or rate_per_hour <= 0:
        return math.inf
    return people / (turnstiles * rate_per_hour / 60.0)


def element_flow(width_m: float, count: int, rate: float) -> float:
    """People per minute one exit element passes: width × openings × flow rate (p/min).

    The flow rate is the level or stepped one (Green Guide flow rates, confidence unverified:
    outputs say so).
    """
    return max(width_m, 0.0) * max(count, 0) * rate


def route_flow(element_flows: Sequence[float]) -> tuple[float, int]:
    """Flow of a route whose elements are in series, and the index of the one that governs.

    Formula: min over the route's elements of each element's flow available to the route
    (Green Guide: the exit capacity of a route is set by its narrowest element). The first of
    equal elements governs, so the answer does not depend on anything but the order given.
    """
    governing = min(range(len(element_flows)), key=lambda i: element_flows[i])
    return element_flows[governing], governing


def egress_minutes(people: int, flow_per_minute: float) -> float:
    """Time for ``people`` to leave by routes passing ``flow_per_minute``.

    Formula: people / flow, in minutes; compared with the 8-minute normal egress target
    (Green Guide, documented) and the section's emergency evacuation time.
    """
    if people <= 0:
        return 0.0
    return math.inf if flow_per_minute <= 0 else people / flow_per_minute


def standing_density_per_10m2(standing: int, area_m2: float) -> float:
    """Standing spectators per 10 m².

    Formula: standing / area × 10. Compared with the maximum of 47 per 10 m² for standing
    terraces (Taylor Report recommendation; confidence: documented).
    """
    if standing <= 0:
        return 0.0
    return math.inf if area_m2 <= 0 else standing / area_m2 * 10.0


def holding_capacity(
    seated: int, standing: int, standing_area_m2: float | None, max_density_per_10m2: float, factor: float = 1.0
) -> int:
    """People a section can hold, by the Green Guide's holding-capacity method.

    Formula: floor(seated × f) + min(standing, floor(area × max density / 10 × f)), with f the
    lower of the section's safety-management (S) and physical-condition (P) factors (0 to 1).
    Without a standing area the standing places count as declared (× f).
    """
    seats = math.floor(seated * factor + 1e-9)
    if standing_area_m2 is None:
        return seats + math.floor(standing * factor + 1e-9)
    return seats + min(standing, math.floor(standing_area_m2 * max_density_per_10m2 / 10.0 * factor + 1e-9))


def entry_capacity(turnstiles: float, rate_per_hour: float, entry_period_min: float) -> int:
    """People the turnstiles can admit within the entry period.

    Formula: floor(turnstiles × rate_per_hour × period / 60). Source: FLA/SGSA capacity
    calculation (entry capacity over one hour); confidence: documented.
    """
    return math.floor(turnstiles * rate_per_hour * entry_period_min / 60.0 + 1e-9)


def exit_capacity(flow_per_minute: float, minutes: float) -> int:
    """People the exits can clear within ``minutes``.

    Formula: floor(exit flow × time). Used twice: with the normal egress target (exit
    capacity) and with the section's emergency evacuation time (emergency capacity).
    """
    return math.floor(flow_per_minute * minutes + 1e-9)


def area_capacity(area_m2: float, density_per_m2: float) -> int:
    """People an area accommodates at a density. Formula: floor(area × density)."""
    return math.floor(area_m2 * density_per_m2 + 1e-9)


def safe_capacity(components: dict[str, int | None]) -> tuple[int, str]:
    """The Green Guide method: the lowest of the capacities that apply, and which one governs.

    Components that do not apply (None) are ignored; the first of equal components governs
    (the order given: holding, entry, exit, emergency, concourse).
    """
    present = {name: value for name, value in components.items() if value is not None}
    if not present:
        return 0, "holding"
    governing = min(present, key=lambda name: present[name])
    return present[governing], governing


def extra_exit_width_m(
    people: int, flow_per_minute: float, rate: float, target_min: float, share: float = 1.0
) -> float:
    """Width (at ``rate``) to add to the governing element so ``people`` leave within ``target_min``.

    Formula: max(0, people / target − current flow) / (rate × share), in metres, where ``share``
    is the part of the element's flow that reaches these people (their route's share of a shared
    element × their part of the route). A least figure: once widened, the next narrowest element
    of the route may govern.
    """
    needed_flow = people / target_min
    return max(0.0, needed_flow - flow_per_minute) / (rate * share)


def extra_turnstiles(people: int, turnstiles: int, rate_per_hour: float, target_min: float) -> int:
    """Turnstiles to add so ``people`` enter within ``target_min``.

    Formula: max(0, ceil(people / (rate / 60 × target)) − turnstiles).
    """
    needed = math.ceil(people / (rate_per_hour / 60.0 * target_min) - 1e-9)
    return max(0, needed - turnstiles)


def per(count: float, divisor: float) -> int:
    """ceil(count / divisor), and 0 for nothing to count: one unit for each started block."""
    return math.ceil(count / divisor - 1e-9) if count > 0 else 0


def mobile_stewards(attendance: int, spectators_per_steward: float) -> int:
    """Mobile stewards by ratio to expected attendance.

    Formula: ceil(attendance / ratio), the ratio that of the match's risk category. Source: SGSA
    stewarding plan guidance, typically 1 per 250 anticipated attendance on top of static posts,
    supervisors and specialist stewards (documented); tighter ratios at medium and high risk are
    planning values.
    """
    return per(attendance, spectators_per_steward)


def supervisors(stewards: int, stewards_per_supervisor: float) -> int:
    """Supervisors by span of control. Formula: ceil(stewards / ratio). Confidence: assumed."""
    return per(stewards, stewards_per_supervisor)


def first_aiders(attendance: int, per_1000_first_3000: float, per_1000_above: float, minimum: int) -> int:
    """First aiders for a crowd, before the risk and heat factors.

    Formula: max(minimum, ceil(min(a, 3000) / 1000 × rate + max(0, a − 3000) / 1000 × rate above)).
    Source: Purple Guide summaries (at least 2; 2 per 1,000 for the first 3,000; secondary); the
    rate above 3,000 is a planning value.
    """
    if attendance <= 0:
        return 0
    first = min(attendance, 3000) / 1000.0 * per_1000_first_3000
    above = max(0, attendance - 3000) / 1000.0 * per_1000_above
    return max(minimum, math.ceil(first + above - 1e-9))


def from_threshold(attendance: int, threshold: int, spectators_per_unit: float, *, above: bool = False) -> int:
    """Units needed once the crowd reaches a threshold: 0 below it, else max(1, ceil(a / per unit)).

    ``above`` makes the threshold strict (a crowd doctor *above* 2,000; an ambulance *at* 5,000
    or more: Gibson report thresholds, secondary). Scaling beyond one unit is a planning value.
    """
    if attendance < threshold or (above and attendance == threshold) or attendance <= 0:
        return 0
    return max(1, per(attendance, spectators_per_unit))


def scaled(count: int, factor: float) -> int:
    """A provision raised by a factor of at least 1 (risk, heat): ceil(count × factor)."""
    return math.ceil(count * max(factor, 1.0) - 1e-9)
