"""eventsec/formats.py: every JSON output carries ``format_version``; ``printable`` escapes what
would split a line or drive a terminal."""

from __future__ import annotations

import json

import pytest
import yaml

from eventsec.cli import main
from eventsec.formats import FORMAT_VERSION, printable
from tests.conftest import FIXTURES
from tests.test_resolve import workspace_with

DIFF = FIXTURES / "diff"


def first_key(output: str) -> tuple[str, object]:
    """The first key of a JSON document and its value (format_version must come first)."""
    return next(iter(json.loads(output).items()))


def test_format_version_is_an_integer_one():
    assert FORMAT_VERSION == 1 and isinstance(FORMAT_VERSION, int)


def test_validate_json_leads_with_the_format_version(runner, rule_workspace):
    result = runner.invoke(main, ["validate", str(rule_workspace()), "--format", "json"])
    assert first_key(result.output) == ("format_version", FORMAT_VERSION)


@pytest.mark.parametrize("output_format", ["json", "yaml"])
def test_resolve_leads_with_the_format_version_in_json_and_yaml(runner, tmp_path, output_format):
    result = runner.invoke(main, ["resolve", str(workspace_with(tmp_path)), "--venue", "v1", "--format", output_format])
    assert result.exit_code == 0, result.output
    assert next(iter(yaml.safe_load(result.output).items())) == ("format_version", FORMAT_VERSION)


def test_resolve_json_with_its_format_version_matches_the_plan_schema(runner, tmp_path):
    from eventsec.load.schema import validator

    result = runner.invoke(main, ["resolve", str(workspace_with(tmp_path)), "--venue", "v1", "--format", "json"])
    assert list(validator("plan").iter_errors(json.loads(result.output))) == []


def test_safety_json_leads_with_the_format_version(runner):
    result = runner.invoke(main, ["safety", str(FIXTURES / "safety_words"), "--venue", "stand", "--format", "json"])
    assert first_key(result.stdout) == ("format_version", FORMAT_VERSION), result.output


def test_status_json_leads_with_the_format_version(runner):
    args = ["status", str(FIXTURES / "readiness"), "--as-of", "2030-04-01", "--format", "json"]
    result = runner.invoke(main, args)
    assert first_key(result.stdout) == ("format_version", FORMAT_VERSION), result.output


def test_diff_json_leads_with_the_format_version(runner):
    result = runner.invoke(main, ["diff", str(DIFF / "old"), str(DIFF / "new"), "--format", "json"])
    assert first_key(result.stdout) == ("format_version", FORMAT_VERSION), result.output


def test_render_manifest_leads_with_the_format_version(tmp_path):
    from eventsec.render.output import MANIFEST, write_manifest

    write_manifest(tmp_path, {}, "wc2030", "2030-03-01")
    assert first_key((tmp_path / MANIFEST).read_text(encoding="utf-8")) == ("format_version", FORMAT_VERSION)


def test_sarif_has_its_own_version_and_not_eventsec_s(runner, rule_workspace):
    log = json.loads(runner.invoke(main, ["validate", str(rule_workspace()), "--format", "sarif"]).output)
    assert log["version"] == "2.1.0" and "format_version" not in log


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("bad\rkey", "bad\\rkey"),
        ("x\n", "x\\n"),
        ("\x1b[31mred", "\\e[31mred"),
        ("\x00\x7f\x85", "\\u0000\\u007f\\u0085"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("\u202eevil\u202c \u2066x\u2069", "\\u202eevil\\u202c \\u2066x\\u2069"),
    ],
)
def test_printable_escapes_what_splits_a_line_or_drives_a_terminal(raw, shown):
    assert printable(raw) == shown


def test_printable_keeps_ordinary_text_tabs_and_arabic():
    text = "Stade Mohammed V\tملعب محمد الخامس — ñ ü 2030"
    assert printable(text) == text
