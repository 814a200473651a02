"""Compiler-style text: ``path:line:col: error[rule] message`` and an indented hint."""

from __future__ import annotations

from eventsec.checks.validate import ValidationResult
from eventsec.reporters.counts import summary


class TextReporter:
    def render(self, result: ValidationResult) -> str:
        lines = []
        for finding in result.findings:
            lines.append(f"{finding.location}: {finding.severity.value}[{finding.rule}] {finding.message}")
            if finding.hint:
                lines.append(f"  hint: {finding.hint}")
        lines += [coverage.summary() for coverage in result.coverage]
        counts = summary(result)
        if result.findings:
            scope = f" in {counts['files']} file(s)" if counts["files"] else ""
            lines.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s){scope}")
        else:
            lines.append(f"ok: {counts['files']} file(s) checked, no findings")
        return "\n".join(lines)
