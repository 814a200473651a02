"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, IDEs)."""

from __future__ import annotations

import json
from pathlib import PurePath

from eventsec import __version__
from eventsec.validate import ValidationResult

LEVELS = {"error": "error", "warning": "warning", "note": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def rule_docs() -> dict[str, str]:
    """Every finding id eventsec can raise, with its one-line doc."""
    from eventsec.rules import all_rules
    from eventsec.validate import CORE_RULES

    docs = dict(CORE_RULES)
    docs.update({r.id: r.summary for r in all_rules()})
    return docs


class SarifReporter:
    def render(self, result: ValidationResult) -> str:
        docs = rule_docs()
        rule_ids = sorted(docs)
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
            if f.rule in docs:
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
                            "rules": [{"id": rid, "shortDescription": {"text": docs[rid]}} for rid in rule_ids],
                        }
                    },
                    "results": results,
                }
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False)
