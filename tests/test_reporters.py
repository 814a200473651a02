"""Reporters: text, JSON, GitHub annotations and SARIF (whose own tests are in test_reporters_sarif.py)."""

from __future__ import annotations

import json

import pytest

from eventsec.checks.validate import validate
from eventsec.reporters import REPORTERS, get_reporter
from tests.conftest import RULE_FIXTURES


@pytest.fixture
def result_with_findings(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "parameter" / "fail")
    return validate([workspace])


def test_text_is_compiler_style(result_with_findings):
    text = get_reporter("text").render(result_with_findings)
    first = text.splitlines()[0]
    assert first.endswith("error[parameter] parameter 'steward_ratio': 5 is below the minimum 50")
    assert ":6:18: " in first
    assert "  hint: did you mean 'steward_ratio'?" in text
    assert text.splitlines()[-1] == "2 error(s), 0 warning(s) in 6 file(s)"


def test_json_has_findings_and_summary(result_with_findings):
    payload = json.loads(get_reporter("json").render(result_with_findings))
    assert payload["summary"] == {"files": 6, "errors": 2, "warnings": 0, "notes": 0}
    first = payload["findings"][0]
    assert set(first) >= {"file", "line", "column", "rule", "severity", "message"}
    assert (first["line"], first["column"], first["rule"], first["severity"]) == (6, 18, "parameter", "error")


def test_github_annotations(result_with_findings):
    lines = get_reporter("github").render(result_with_findings).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=") and ",line=6,col=18,title=eventsec parameter::" in lines[0]


def test_github_escapes_percent_and_commas_and_shows_newlines_as_escapes():
    from eventsec.reporters.github import _escape_data, _escape_property

    assert _escape_data("a\r\nb%") == "a\\r\\nb%25"
    assert _escape_property("a,b:c") == "a%2Cb%3Ac"


@pytest.mark.parametrize("name", REPORTERS)
def test_every_reporter_handles_a_clean_result(rule_workspace, name):
    rendered = get_reporter(name).render(validate([rule_workspace()]))
    if name == "json":
        assert json.loads(rendered)["findings"] == []
    elif name == "sarif":
        assert json.loads(rendered)["runs"][0]["results"] == []
    elif name == "text":
        assert rendered.startswith("ok: 5 file(s) checked")
    else:
        assert rendered == ""


def test_validate_offers_exactly_the_registered_reporters():
    from eventsec.cli.validate import validate as validate_command

    [choice] = [option.type for option in validate_command.params if option.name == "output_format"]
    assert tuple(choice.choices) == REPORTERS
