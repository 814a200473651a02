"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, IDEs).

GitHub code scanning reads the rule table (descriptions, help, ``helpUri``, severity), places
each result by a URI relative to the repository root (``%SRCROOT%``), and tracks an alert
across commits by ``partialFingerprints``; see docs/ci.md, "Code scanning (SARIF)".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from eventsec import __version__
from eventsec.checks.validate import ValidationResult
from eventsec.findings import Finding
from eventsec.project import REPOSITORY_URL, rule_help_url

LEVELS = {"error": "error", "warning": "warning", "note": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
"""GitHub's ``problem.severity`` for a non-security rule: it has no ``note``, only ``recommendation``."""
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "eventsecFindingHash/v1"
"""Our ``partialFingerprints`` key. GitHub's upload action may add its own ``primaryLocationLineHash``
(a hash of the line's text) beside it."""

_LINE_REFERENCES = (
    (re.compile(r"\bline \d+"), "line #"),
    (re.compile(r"(\.ya?ml):\d+"), r"\1:#"),
)
"""Line numbers inside messages ("first defined at line 12", "venues/v1.yaml:40"): they move when
lines are added above, so the fingerprint leaves them out."""


def rule_table() -> list[dict]:
    """``tool.driver.rules``: every registered finding id with everything GitHub shows for a rule."""
    from eventsec.checks.lint import finding_kinds

    return [
        {
            "id": kind.id,
            "shortDescription": {"text": kind.summary},
            "fullDescription": {"text": kind.explanation},
            "help": {"text": kind.help_text(), "markdown": kind.help_markdown()},
            "helpUri": rule_help_url(kind.id),
            "defaultConfiguration": {"level": LEVELS[kind.severity.value]},
            "properties": {
                "tags": ["eventsec", kind.stage.value],
                # Each finding is a deterministic check of the YAML, not a heuristic guess.
                "precision": "very-high",
                "problem.severity": PROBLEM_SEVERITY[kind.severity.value],
            },
        }
        for kind in sorted(finding_kinds(), key=lambda k: k.id)
    ]


def source_root(cwd: Path) -> Path:
    """The git top level around ``cwd`` (what GitHub paths are relative to), else ``cwd`` itself."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):  # no git installed, or not inside a repository
        return cwd
    return Path(top)


def artifact_location(file: str, base: Path, cwd: Path) -> dict:
    """``file`` (as a finding names it, maybe relative to ``cwd``) as a SARIF artifactLocation:
    a percent-encoded URI relative to ``base`` under ``%SRCROOT%``, or an absolute ``file://``
    URI when the file lies outside ``base``."""
    absolute = Path(os.path.normpath(cwd / file))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def fingerprint(finding: Finding, uri: str) -> str:
    """A hash of what the finding is, not where it is: rule, file and message without line numbers."""
    message = finding.message
    for pattern, replacement in _LINE_REFERENCES:
        message = pattern.sub(replacement, message)
    return hashlib.sha256("\0".join((finding.rule, uri, message)).encode()).hexdigest()[:32]


class SarifReporter:
    """Renders SARIF with URIs relative to ``base_dir`` (default: the git top level of ``cwd``)."""

    def __init__(self, base_dir: Path | None = None, cwd: Path | None = None) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        self.base = (base_dir or source_root(self.cwd)).resolve()

    def render(self, result: ValidationResult) -> str:
        table = rule_table()
        rule_ids = [entry["id"] for entry in table]
        seen: Counter[str] = Counter()
        results = []
        for f in result.findings:
            location = artifact_location(f.location.file, self.base, self.cwd)
            # Two equal findings in one file (same rule and message) are told apart by their order.
            digest = fingerprint(f, location["uri"])
            seen[digest] += 1
            entry = _result(f, location, f"{digest}:{seen[digest]}")
            if f.rule in rule_ids:
                entry["ruleIndex"] = rule_ids.index(f.rule)
            results.append(entry)
        run = {
            "tool": {
                "driver": {
                    "name": "eventsec",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": REPOSITORY_URL,
                    "rules": table,
                }
            },
            "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(self.base)}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False)


def _result(finding: Finding, location: dict, finding_hash: str) -> dict:
    """One SARIF result; a finding with no line (a file that cannot be read) points at line 1,
    because GitHub shows no result without ``region.startLine``."""
    region = {"startLine": finding.location.line or 1, "startColumn": finding.location.column or 1}
    return {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message + (f" Hint: {finding.hint}" if finding.hint else "")},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: finding_hash},
    }


def _directory_uri(path: Path) -> str:
    """``file:///abs/dir/``: a base URI must end with a slash, or the last segment is dropped on joining."""
    uri = path.as_uri()
    return uri if uri.endswith("/") else uri + "/"
