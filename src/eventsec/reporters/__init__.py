"""Reporters turn a validation result into text for people, machines, GitHub or SARIF tools.

They are interchangeable: each is a class with ``render(result) -> str``; the command picks
one by name from :data:`REPORTERS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI reads REPORTERS at start-up; the validation machinery loads only when used
    from eventsec.checks.validate import ValidationResult


class Reporter(Protocol):
    """Renders a validation result as one string."""

    def render(self, result: ValidationResult) -> str: ...


REPORTERS = ("text", "json", "github", "sarif")
"""The names ``--format`` accepts, in the order ``--help`` lists them."""


def get_reporter(name: str) -> Reporter:
    """The reporter called ``name`` (text, json, github or sarif)."""
    from eventsec.reporters.github import GithubReporter
    from eventsec.reporters.json import JsonReporter
    from eventsec.reporters.sarif import SarifReporter
    from eventsec.reporters.text import TextReporter

    return {"text": TextReporter, "json": JsonReporter, "github": GithubReporter, "sarif": SarifReporter}[name]()
