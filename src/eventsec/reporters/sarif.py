"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, IDEs)."""

from __future__ import annotations

import json
from pathlib import PurePath

from eventsec import __version__
from eventsec.checks.validate import ValidationResult

LEVELS = {"error": "error", "warning": "warning", "note": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def rule_table() -> list[dict]:
    """``tool.driver.rules``: every registered finding id with its summary, explanation and examples."""
    from eventsec.checks.lint import finding_kinds

    return [
        {
            "id": kind.id,
            "shortDescription": {"text": kind.summary},
            "fullDescription": {"text": kind.explanation},
            "help": {"text": kind.help_text(), "markdown": kind.help_markdown()},
        }
        for kind in sorted(finding_kinds(), key=lambda k: k.id)
    ]


class SarifReporter:
    def render(self, result: ValidationResult) -> str:
        table = rule_table()
        rule_ids = [entry["id"] for entry in table]
        results = []
        for f in result.findings:
            region = {"startLine": f.location.line, "startColumn": f.location.column or 1} if f.location.line else None
            physical: dict = {"artifactLocation": {"uri": PurePath(f.location.file).as_posix()}}
            if region:
                physical["region"] = region
            text = f.message + (f" Hint: {f.hint}" if f.hint else "")
            entry = {
                "ruleId": f.rule,
                "level": LEVELS[f.severity.value],
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
            }
            if f.rule in rule_ids:
                entry["ruleIndex"] = rule_ids.index(f.rule)
            results.append(entry)
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "eventsec",
                            "version": __version__,
                            "rules": table,
                        }
                    },
                    "results": results,
                }
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False)
