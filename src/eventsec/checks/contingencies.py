"""Contingencies point at things that exist: items that prepare them, roles that decide them, a
unique id each, and venue code words for contingencies the library has, each clearly distinct
from the venue's others.

Whether a contingency is prepared *at a venue* (some of its items still present there) is only
known once the venue's plan is resolved: that warning is raised in validate's resolve pass
(:func:`unprepared_findings`), not here.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Location, Severity
from eventsec.load.index import Index
from eventsec.plan.model import Plan
from eventsec.vocabulary import did_you_mean

DECIDING_FIELDS = ("decision_maker", "alternate_decision_maker")


@rule(
    "contingency-item",
    Severity.ERROR,
    "Every item a contingency lists as preparing it exists in the library or an overlay.",
    explanation="A contingency lists the items whose work prepares it; the plan shows their state at each "
    "venue, so each id must name an existing item.",
    failing="contingencies:\n  - id: CON-EVAC-FULL\n    items: [FIR-066]\n",
    fixed="contingencies:\n  - id: CON-EVAC-FULL\n    items: [FIR-006]\n",
)
def contingency_item(r: Rule, index: Index) -> Iterator[Finding]:
    items = index.item_ids() | index.rejected_added_items()
    for contingency in index.contingencies():
        for position, item in enumerate(contingency.value.get("items") or []):
            if isinstance(item, str) and item not in items:
                yield r.finding(
                    contingency.at("items", position),
                    f"contingency '{contingency.value.get('id')}' lists item '{item}', which does not exist",
                    did_you_mean(item, items) or "list an existing item id, or remove it",
                )


@rule(
    "contingency-role",
    Severity.ERROR,
    "A contingency's decision-maker (and alternate) is a role id from the catalog.",
    explanation="The plan names who decides each contingency by the role's title in its language, so "
    "`decision_maker` and `alternate_decision_maker` are role ids from the catalog.",
    failing="contingencies:\n  - id: CON-EVAC-FULL\n    decision_maker: safety-officer\n",
    fixed="contingencies:\n  - id: CON-EVAC-FULL\n    decision_maker: venue-safety-officer\n",
)
def contingency_role(r: Rule, index: Index) -> Iterator[Finding]:
    roles = index.ids(index.catalog_entries("roles"))
    for contingency in index.contingencies():
        for name in DECIDING_FIELDS:
            role = contingency.value.get(name)
            if isinstance(role, str) and role not in roles:
                yield r.finding(
                    contingency.at(name),
                    f"{name.replace('_', ' ')} '{role}' of contingency '{contingency.value.get('id')}' "
                    "is not a role in the catalog",
                    did_you_mean(role, roles) or "use a role id from the catalog",
                )


@rule(
    "contingency-duplicate",
    Severity.ERROR,
    "Every contingency id is unique across the contingencies documents.",
    explanation="Venues give code words by contingency id, and the plan lists each contingency once; "
    "two contingencies with one id would make a code word ambiguous.",
    failing="contingencies:\n  - id: CON-EVAC-FULL\n    title: Full evacuation\n"
    "  - id: CON-EVAC-FULL\n    title: Partial evacuation\n",
    fixed="contingencies:\n  - id: CON-EVAC-FULL\n    title: Full evacuation\n"
    "  - id: CON-EVAC-PART\n    title: Partial evacuation\n",
)
def contingency_duplicate(r: Rule, index: Index) -> Iterator[Finding]:
    first: dict[str, Location] = {}
    for contingency in index.contingencies():
        ident = contingency.value.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            yield r.finding(
                contingency.at("id"),
                f"duplicate contingency id '{ident}' (first defined at {first[ident]})",
                "ids must be unique; rename one of them",
            )
        else:
            first[ident] = contingency.at("id")


@rule(
    "contingency-code",
    Severity.ERROR,
    "Every code word a venue gives is for a contingency the library has.",
    explanation="A venue's `contingency_codes` maps contingency ids to its code words. A code word for "
    "an id no contingencies document defines would never print: the index would show the "
    "contingency without its code word.",
    failing="kind: venue\ncontingency_codes:\n  CON-EVAC-FUL: Mr Sands\n",
    fixed="kind: venue\ncontingency_codes:\n  CON-EVAC-FULL: Mr Sands\n",
)
def contingency_code(r: Rule, index: Index) -> Iterator[Finding]:
    if index.rejected_ids("contingencies"):  # a rejected file's contingencies are unknown: say nothing
        return
    known = index.ids(index.contingencies())
    for venue in index.venues():
        codes = venue.value.get("contingency_codes")
        for ident in codes if isinstance(codes, dict) else {}:
            if ident not in known:
                yield r.finding(
                    venue.document.key_location(venue.path + ("contingency_codes", ident)),
                    f"venue '{venue.value.get('id')}' gives a code word for contingency '{ident}', which does not exist",
                    did_you_mean(ident, known) or "use a contingency id from the contingencies document",
                )


def _first_word(code: str) -> str:
    """A code word's first word, without case or trailing punctuation: what a listener hears first."""
    words = code.split()
    return words[0].strip(",.;:!?").casefold() if words else ""


def _squashed(code: str) -> str:
    """A code word without case or spaces: two that differ only there are one word on the radio."""
    return "".join(code.split()).casefold()


def _too_alike(code: str, other: str) -> bool:
    return _first_word(code) == _first_word(other) or _squashed(code) == _squashed(other)


@rule(
    "contingency-code-distinct",
    Severity.WARNING,
    "A venue's code words are clearly distinct: no two share their first word or are equal ignoring case and spaces.",
    explanation="Staff act on a code word heard over a radio or the PA, often half-heard in noise. Two "
    'code words that start alike ("Monsieur Sable…" for full and for partial evacuation) or differ only '
    "in case or spacing invite the wrong response; each should be told apart from its first word.",
    failing="kind: venue\ncontingency_codes:\n  CON-EVAC-FULL: Mr Sands to control\n"
    "  CON-EVAC-PART: Mr Sands to the stand\n",
    fixed="kind: venue\ncontingency_codes:\n  CON-EVAC-FULL: Mr Sands to control\n"
    "  CON-EVAC-PART: Doctor Pine to the stand\n",
)
def contingency_code_distinct(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        codes = venue.value.get("contingency_codes")
        seen: list[tuple[str, str]] = []
        for ident, code in (codes if isinstance(codes, dict) else {}).items():
            if not isinstance(code, str):
                continue
            clash = next(((i, c) for i, c in seen if _too_alike(code, c)), None)
            if clash:
                yield r.finding(
                    venue.at("contingency_codes", ident),
                    f"venue '{venue.value.get('id')}': code word '{code}' for '{ident}' is too like "
                    f"'{clash[1]}' for '{clash[0]}'",
                    "give each contingency a code word that starts with a different word, so staff "
                    "can tell them apart from the first word heard",
                )
            seen.append((ident, code))


UNPREPARED_ID = "contingency-unprepared"
"""Raised in validate's resolve pass; declared with the core ids (checks/registry.py)."""


def unprepared_findings(plan: Plan, index: Index) -> list[Finding]:
    """A warning for each contingency of ``plan`` whose preparing items are all removed or not
    applicable there, at the venue's id (the venue decides what it removes)."""
    venue = next(v for v in index.venues() if v.value.get("id") == plan.venue.get("id"))
    return [
        Finding(
            venue.at("id"),
            UNPREPARED_ID,
            Severity.WARNING,
            f"contingency '{c.id}' has nothing that prepares it at venue '{plan.venue.get('id')}': "
            f"its items {', '.join(p.id for p in c.items)} are all removed or not applicable",
            "keep one of its items at this venue, or add an item that prepares it",
        )
        for c in plan.contingencies
        if c.items and not c.prepared
    ]
