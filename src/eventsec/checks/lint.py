"""Running the lint rules: importing the rule modules registers them; :func:`run_rules` applies them all."""

from __future__ import annotations

from eventsec.checks import (
    conditions,
    contacts,
    contingencies,
    coverage,
    geometry,
    identity,
    lessons,
    milestones,
    overlays,
    references,
    risks,
    status,
    venues,
)
from eventsec.checks.registry import REGISTRY, FindingKind, ordered
from eventsec.checks.rule import RULES, Rule
from eventsec.findings import Finding
from eventsec.load.index import Index

RULE_MODULES = (
    conditions,
    contacts,
    contingencies,
    coverage,
    geometry,
    identity,
    lessons,
    milestones,
    overlays,
    references,
    risks,
    status,
    venues,
)
"""The modules whose ``@rule`` functions register themselves when imported."""


def all_rules() -> list[Rule]:
    """Every rule, in id order (importing the rule modules registers them)."""
    return [RULES[key] for key in sorted(RULES)]


def finding_kinds() -> list[FindingKind]:
    """Every registered finding id, core and lint, in listing order (core first, then by id)."""
    all_rules()
    return ordered(list(REGISTRY.values()))


def run_rules(index: Index) -> list[Finding]:
    """Findings of every rule, about the documents being validated (context documents excluded)."""
    reported = {doc.path for doc in index.documents}
    return [finding for r in all_rules() for finding in r.check(index) if finding.location.file in reported]
