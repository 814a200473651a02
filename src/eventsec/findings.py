"""Findings: every problem eventsec reports is a value with a location.

Stages return findings; only the command line turns them into text. A finding always names
a file and, where the file could be read, a 1-based line and column.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How serious a finding is; ``error`` fails validation, ``warning`` only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True)
class Finding:
    """One problem found in the input, with where it is and how to fix it."""

    location: Location
    rule: str
    severity: Severity
    message: str
    hint: str = ""

    @property
    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.rule, self.message)

    def to_dict(self) -> dict:
        data = {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.hint:
            data["hint"] = self.hint
        return data


def error(location: Location, rule: str, message: str, hint: str = "") -> Finding:
    return Finding(location, rule, Severity.ERROR, message, hint)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in file, line, column order, duplicates removed."""
    seen: set[tuple] = set()
    unique = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        key = finding.sort_key
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
