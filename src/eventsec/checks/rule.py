"""A lint rule: one finding id with its documentation and a check over the loaded documents.

Each rule is a small unit: a finding id with its documentation and a ``check`` that yields
findings from an :class:`~eventsec.load.index.Index`. The :func:`rule` decorator declares the id in
the one registry of finding ids (:mod:`eventsec.checks.registry`) and keeps the check here.
``eventsec rules`` lists every id and docs/rules.md documents each (generated with
``eventsec rules --format markdown > docs/rules.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from eventsec.checks.registry import FindingKind, Stage, declare
from eventsec.findings import Finding, Location, Severity
from eventsec.load.index import Index

Check = Callable[[Index], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A lint rule: its registered finding id (name, severity, documentation) and what it checks."""

    kind: FindingKind
    check: Check

    @property
    def id(self) -> str:
        return self.kind.id

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def summary(self) -> str:
        return self.kind.summary

    def finding(self, location: Location, message: str, hint: str = "") -> Finding:
        return Finding(location, self.id, self.severity, message, hint)


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, summary: str, *, explanation: str, failing: str, fixed: str
) -> Callable[[Callable], Rule]:
    """Register ``check(rule, index)`` as a rule, declaring its id, documented by a failing and a fixed example."""

    def register(check: Callable[[Rule, Index], Iterator[Finding]]) -> Rule:
        kind = declare(FindingKind(rule_id, severity, Stage.LINT, summary, explanation, failing, fixed))
        registered = Rule(kind, lambda index: check(registered, index))
        RULES[rule_id] = registered
        return registered

    return register
