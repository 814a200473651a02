"""JSON: ``{"format_version": 1, "findings": [{file, line, column, rule, severity, message}], "summary": {...}}``."""

from __future__ import annotations

import json

from eventsec.checks.validate import ValidationResult
from eventsec.formats import versioned
from eventsec.reporters.counts import summary


class JsonReporter:
    def render(self, result: ValidationResult) -> str:
        payload = versioned({"findings": [f.to_dict() for f in result.findings], "summary": summary(result)})
        return json.dumps(payload, indent=2, ensure_ascii=False)
