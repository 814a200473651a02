"""Cross-file lint rules.

Each rule is a small unit: an id, a default severity, a one-line doc and a ``check`` that
yields findings from an :class:`~eventsec.index.Index`. Rules register themselves with
:func:`rule`; ``eventsec rules`` lists them and docs/rules.md documents them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from eventsec.findings import Finding, Location, Severity
from eventsec.index import Index

Check = Callable[[Index], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A lint rule: what it is called, how serious it is, what it checks."""

    id: str
    severity: Severity
    summary: str
    check: Check

    def finding(self, location: Location, message: str, hint: str = "") -> Finding:
        return Finding(location, self.id, self.severity, message, hint)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, summary: str) -> Callable[[Callable], Rule]:
    """Register ``check(rule, index)`` as a rule."""

    def register(check: Callable[[Rule, Index], Iterator[Finding]]) -> Rule:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        registered = Rule(rule_id, severity, summary, lambda index: check(registered, index))
        RULES[rule_id] = registered
        return registered

    return register


def all_rules() -> list[Rule]:
    """Every rule, in id order (importing the rule modules registers them)."""
    from eventsec.rules import conditions, coverage, geometry, identity, overlays, references, status, venues  # noqa: F401

    return [RULES[key] for key in sorted(RULES)]


def run_rules(index: Index) -> list[Finding]:
    """Findings of every rule, about the documents being validated (context documents excluded)."""
    reported = {doc.path for doc in index.documents}
    return [finding for r in all_rules() for finding in r.check(index) if finding.location.file in reported]
