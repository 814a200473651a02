"""Reporters turn a validation result into text for people, machines, GitHub or SARIF tools.

They are interchangeable: each is a class with ``render(result) -> str``; the command picks
one by name from :data:`REPORTERS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI reads REPORTERS at start-up; the validation machinery loads only when used
    from pathlib import Path

    from eventsec.checks.validate import ValidationResult


class Reporter(Protocol):
    """Renders a validation result as one string."""

    def render(self, result: ValidationResult) -> str: ...


REPORTERS = ("text", "json", "github", "sarif")
"""The names ``--format`` accepts, in the order ``--help`` lists them."""


def get_reporter(name: str, base_dir: Path | None = None) -> Reporter:
    """The reporter called ``name`` (text, json, github or sarif).

    ``base_dir`` is the root SARIF's URIs are relative to (default: the git top level); the other
    formats name files as the findings do, so only ``sarif`` takes it.
    """
    from eventsec.reporters.github import GithubReporter
    from eventsec.reporters.json import JsonReporter
    from eventsec.reporters.sarif import SarifReporter
    from eventsec.reporters.text import TextReporter

    if name == "sarif":
        return SarifReporter(base_dir)
    return {"text": TextReporter, "json": JsonReporter, "github": GithubReporter}[name]()
