"""The counts every reporter prints under its findings: files, errors, warnings, notes and,
with ``--lang``, translation coverage."""

from __future__ import annotations

from eventsec.checks.validate import ValidationResult
from eventsec.findings import Severity


def summary(result: ValidationResult) -> dict:
    """Counts shared by every reporter."""
    counts = {
        "files": result.files,
        "errors": result.count(Severity.ERROR),
        "warnings": result.count(Severity.WARNING),
        "notes": result.count(Severity.NOTE),
    }
    if result.coverage:
        counts["translations"] = {c.lang: c.to_dict() for c in result.coverage}
    return counts
