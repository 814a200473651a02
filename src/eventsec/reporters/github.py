"""GitHub Actions workflow commands, shown as annotations on the pull request's files."""

from __future__ import annotations

from eventsec.checks.validate import ValidationResult
from eventsec.formats import printable

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(text: str) -> str:
    """Text made printable as in the text reporter, then ``%`` escaped for the workflow command.
    Printable text holds no CR or LF, so GitHub's ``%0D``/``%0A`` (line breaks inside an
    annotation) are never needed: a CR/LF from a YAML value shows as ``\\r``/``\\n``, as in
    the text output, and an ESC or a bidi override never reaches the job log."""
    return printable(text).replace("%", "%25")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    def render(self, result: ValidationResult) -> str:
        lines = []
        for f in result.findings:
            message = f.message + (f" (hint: {f.hint})" if f.hint else "")
            props = [f"file={_escape_property(f.location.file)}"]
            if f.location.line:
                props += [f"line={f.location.line}", f"col={f.location.column or 1}"]
            props.append(f"title={_escape_property('eventsec ' + f.rule)}")
            lines.append(f"::{LEVELS[f.severity.value]} {','.join(props)}::{_escape_data(message)}")
        return "\n".join(lines)
