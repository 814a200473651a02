"""Release controls: what a plan released at a given level may contain.

Content carries a sensitivity level — by default public < internal < restricted <
confidential; a tournament may rename the levels (``sensitivity_levels``). Unmarked content
takes its container's level: an item its protocol's, a contact or exit its venue's, and the
top containers the tournament's ``classification`` (public when unset).

A plan released at level L contains nothing above L: withheld content is *removed* from the
report before rendering (not drawn in white, not left in metadata or the outline), each chapter
says how many items were withheld, and the marking is the highest level actually present.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

DEFAULT_LEVELS = ("public", "internal", "restricted", "confidential")


class ReleaseError(ValueError):
    """A release level the tournament does not define."""


@dataclass
class Release:
    """The tournament's levels, the level released at, and what was withheld."""

    levels: tuple[str, ...]
    allowed: str
    default: str
    withheld: dict[str, int] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)

    @classmethod
    def for_tournament(cls, tournament: dict, allowed: str | None) -> "Release":
        levels = tuple(tournament.get("sensitivity_levels") or DEFAULT_LEVELS)
        default = str(tournament.get("classification") or levels[0])
        if default not in levels:
            raise ReleaseError(f"classification '{default}' is not one of the levels {', '.join(levels)}")
        chosen = allowed or levels[-1]
        if chosen not in levels:
            raise ReleaseError(f"release level '{chosen}' is not one of {', '.join(levels)}")
        return cls(levels, chosen, default)

    def rank(self, level: str) -> int:
        return self.levels.index(level) if level in self.levels else len(self.levels) - 1  # unknown: treat as highest

    def level(self, *chain: str | None) -> str:
        """The first level given, innermost first; the tournament default when none is."""
        return next((level for level in chain if level), self.default)

    def admit(self, level: str, what: str = "") -> bool:
        """True when content at ``level`` may be released; records what is present or withheld."""
        if self.rank(level) <= self.rank(self.allowed):
            self.present.add(level)
            return True
        if what:
            self.withheld[what] = self.withheld.get(what, 0) + 1
        return False

    @property
    def marking(self) -> str:
        """The highest level actually present in the released plan."""
        return max(self.present, key=self.rank) if self.present else self.levels[0]


def apply_release(report, release: Release) -> None:
    """Remove everything above the release level from ``report`` (in place) and set its marking."""
    plan = report.plan
    venue = plan.venue
    venue_level = release.level(venue.get("sensitivity"))
    release.admit(venue_level)
    withheld_ids: set[str] = set()
    for protocol in plan.protocols:
        kept = []
        for item in protocol.items:
            level = release.level(item.fields.get("sensitivity"), protocol.sensitivity)
            if release.admit(level, f"domain:{protocol.domain}"):
                kept.append(item)
            else:
                withheld_ids.add(item.id)
        protocol.items = kept
    readiness = report.readiness
    if withheld_ids:
        readiness.full_plan_overall, readiness.withheld = readiness.overall(), len(withheld_ids)
    for domain in readiness.domains:
        domain.items = [i for i in domain.items if i.item.id not in withheld_ids]
    readiness.domains = [d for d in readiness.domains if d.items]  # a domain withheld whole is not charted at 100%
    readiness.excluded = [e for e in readiness.excluded if e["id"] not in withheld_ids]
    hidden = [(k, v) for k, v in readiness.reason_codes if v.get("id") in withheld_ids]
    readiness.reason_codes = [(k, v) for k, v in readiness.reason_codes if v.get("id") not in withheld_ids]
    if hidden:
        readiness.reason_codes.append(("reason_withheld", {"count": len(hidden)}))
    readiness.reasons = []  # English reasons are for the CLI; the plan renders reason_codes
    plan.venue = venue = copy.deepcopy(venue)
    venue["contacts"] = [c for c in venue.get("contacts") or []
                         if release.admit(release.level(c.get("sensitivity"), venue_level), "contacts")]
    geometry = venue.get("geometry") or {}
    hidden_places: list[dict] = []
    for group in ("exits", "entrances", "posts"):
        if group in geometry:
            kept = [g for g in geometry[group] if release.admit(release.level(g.get("sensitivity"), venue_level), group)]
            hidden_places += [g for g in geometry[group] if g not in kept]
            geometry[group] = kept
    if report.safety is not None and hidden_places:
        _drop_safety_lines_naming(report.safety, hidden_places)
    staffing = release.level(venue.get("staffing_sensitivity"), venue_level)
    if report.safety is not None and not release.admit(staffing, "staffing"):
        report.safety.figures = [f for f in report.safety.figures if not f.key.startswith(("stewards.", "medical."))]
    report.withheld = dict(release.withheld)
    report.marking = release.marking


def _drop_safety_lines_naming(safety, places: list[dict]) -> None:
    """Remove the safety figures and findings about withheld exits, entrances or posts: a gate's
    own entry-time row names it ("SECRET-VIP-GATE entry time") though its table is withheld."""
    keys = {f"entry.{place.get('id')}" for place in places}
    names = [re.compile(rf"(?<!\w){re.escape(str(place['name']))}(?!\w)") for place in places if place.get("name")]

    def names_one(text: str) -> bool:
        return any(name.search(text) for name in names)

    safety.figures = [f for f in safety.figures if f.key not in keys and not names_one(f.label)]
    kept = {f.key for f in safety.figures}
    safety.findings = [f for f in safety.findings if f.figure in kept and not names_one(f.message + " " + f.fix)]
