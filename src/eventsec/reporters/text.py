"""Compiler-style text: ``path:line:col: error[rule] message`` and an indented hint."""

from __future__ import annotations

from eventsec.checks.validate import ValidationResult
from eventsec.findings import Finding
from eventsec.formats import printable
from eventsec.reporters.counts import summary


def finding_lines(finding: Finding) -> list[str]:
    """``path:line:col: severity[rule] message`` and its ``  hint:`` line. Path, message and hint
    are made printable: a CR, LF or ESC from a YAML key or value (messages quote them) must not
    start a line of its own that reads as another finding, nor colour the terminal."""
    lines = [
        f"{printable(str(finding.location))}: {finding.severity.value}[{finding.rule}] {printable(finding.message)}"
    ]
    if finding.hint:
        lines.append(f"  hint: {printable(finding.hint)}")
    return lines


class TextReporter:
    def render(self, result: ValidationResult) -> str:
        lines = [line for finding in result.findings for line in finding_lines(finding)]
        lines += [coverage.summary() for coverage in result.coverage]
        counts = summary(result)
        if result.findings:
            scope = f" in {counts['files']} file(s)" if counts["files"] else ""
            lines.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s){scope}")
        else:
            lines.append(f"ok: {counts['files']} file(s) checked, no findings")
        return "\n".join(lines)
