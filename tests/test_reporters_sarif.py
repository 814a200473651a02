"""SARIF for GitHub code scanning: the OASIS schema, GitHub's required properties, repository-relative
percent-encoded URIs, fingerprints that survive edits above a finding, and Microsoft's SARIF multitool."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker

from eventsec.checks.validate import ValidationResult, validate
from eventsec.cli.validate import validate as validate_command
from eventsec.findings import Finding, Location, error
from eventsec.project import REPOSITORY_URL, rule_help_url
from eventsec.reporters import get_reporter
from eventsec.reporters.sarif import FINGERPRINT_KEY, SarifReporter, fingerprint, source_root
from tests.conftest import FIXTURES, ROOT, RULE_FIXTURES, git, needs_git

SARIF_FIXTURES = FIXTURES / "sarif"
URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
"""RFC 3986: what a URI may hold once everything else is percent-encoded."""

uri_formats = FormatChecker(formats=())


@uri_formats.checks("uri-reference")
def _is_uri_reference(value: str) -> bool:
    return URI_CHARACTERS.fullmatch(value) is not None


@uri_formats.checks("uri")
def _is_uri(value: str) -> bool:
    return _is_uri_reference(value) and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) is not None


def render(result, base: Path, cwd: Path | None = None) -> dict:
    return json.loads(SarifReporter(base_dir=base, cwd=cwd or base).render(result))


@pytest.fixture
def findings_workspace(rule_workspace) -> Path:
    """The clean base with four findings: two parameters, a duplicate key, an empty file."""
    return rule_workspace(SARIF_FIXTURES / "findings")


def fingerprints(log: dict) -> list[str]:
    return [result["partialFingerprints"][FINGERPRINT_KEY] for result in log["runs"][0]["results"]]


def test_the_uri_format_checker_rejects_what_is_not_encoded():
    assert _is_uri("file:///tmp/estadio%20%C3%B1and%C3%BA/") and not _is_uri("venues/v1.yaml")
    assert _is_uri_reference("venues/v1.yaml")
    assert not _is_uri_reference("venues/estadio ñandú.yaml")


def test_output_validates_against_the_oasis_schema_with_uri_formats(findings_workspace, tmp_path):
    (findings_workspace / "venues" / "estadio ñandú.yaml").write_text("# to be written\n", encoding="utf-8")
    schema = json.loads((SARIF_FIXTURES / "sarif-2.1.0.json").read_text())
    log = render(validate([findings_workspace]), tmp_path)
    assert sorted(Draft7Validator(schema, format_checker=uri_formats).iter_errors(log), key=str) == []
    first = log["runs"][0]["results"][0]
    assert (first["ruleId"], first["level"]) == ("parameter", "error")
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 18}


def test_the_driver_names_the_project_and_the_run_its_source_root_and_column_unit(findings_workspace, tmp_path):
    run = render(validate([findings_workspace]), tmp_path)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["informationUri"] == REPOSITORY_URL
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", driver["semanticVersion"])
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}
    assert run["columnKind"] == "unicodeCodePoints"


def test_every_rule_carries_what_github_shows(findings_workspace, tmp_path):
    from eventsec.checks.registry import REGISTRY

    rules = render(validate([findings_workspace]), tmp_path)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(REGISTRY)
    for rule in rules:
        kind = REGISTRY[rule["id"]]
        assert rule["shortDescription"]["text"] == kind.summary
        assert rule["fullDescription"]["text"] == kind.explanation
        assert kind.failing.rstrip() in rule["help"]["text"] and kind.fixed.rstrip() in rule["help"]["markdown"]
        assert rule["helpUri"] == rule_help_url(kind.id)
        assert rule["defaultConfiguration"]["level"] == kind.severity.value
        assert kind.stage.value in rule["properties"]["tags"]
        assert rule["properties"]["problem.severity"] in {"error", "warning", "recommendation"}


def test_each_help_uri_anchor_is_a_heading_of_rules_md():
    """GitHub's anchor for ``## duplicate-key`` is ``duplicate-key``: ids are lowercase words and hyphens."""
    from eventsec.checks.lint import finding_kinds

    headings = set(re.findall(r"^## (\S+)$", (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"), re.MULTILINE))
    for kind in finding_kinds():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", kind.id)
        assert rule_help_url(kind.id).endswith(f"/docs/rules.md#{kind.id}") and kind.id in headings


def test_every_result_carries_what_github_requires(findings_workspace, tmp_path):
    run = render(validate([findings_workspace]), tmp_path)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == 4
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"][FINGERPRINT_KEY]
        [location] = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["physicalLocation"]["region"]["startLine"] >= 1


def test_a_finding_without_a_line_points_at_the_first_line(tmp_path):
    """An unreadable file has no line; GitHub shows no result without ``region.startLine``."""
    unreadable = error(Location("venues/v1.yaml"), "encoding", "cannot read file: Permission denied")
    [result] = render(ValidationResult(findings=[unreadable]), tmp_path)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}


def test_uris_are_relative_to_the_base_and_percent_encoded(rule_workspace, tmp_path):
    workspace = rule_workspace()
    (workspace / "venues" / "estadio ñandú.yaml").write_text("# to be written\n", encoding="utf-8")
    [result] = render(validate([workspace]), tmp_path)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "ws/venues/estadio%20%C3%B1and%C3%BA.yaml", "uriBaseId": "%SRCROOT%"}


def test_a_file_outside_the_base_gets_an_absolute_file_uri(rule_workspace, tmp_path):
    workspace = rule_workspace()
    (workspace / "venues" / "estadio ñandú.yaml").write_text("# to be written\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    [result] = render(validate([workspace]), elsewhere)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    expected = (workspace / "venues" / "estadio ñandú.yaml").resolve().as_uri()
    assert location == {"uri": expected} and expected.startswith("file:///") and "%20%C3%B1" in expected


def test_relative_paths_in_findings_are_read_from_the_current_directory(findings_workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(findings_workspace.parent)
    log = json.loads(SarifReporter(base_dir=tmp_path.parent).render(validate([Path("ws")])))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == f"{tmp_path.name}/ws/overlay.yaml"


def add_lines_above(workspace: Path) -> None:
    """Blank lines and comments at the top of every file with a finding: every line number moves."""
    for name in ("overlay.yaml", "venues/v2.yaml", "venues/v3.yaml"):
        path = workspace / name
        path.write_text("# reviewed by the venue team\n\n# second note\n" + path.read_text())


def test_fingerprints_stay_when_lines_are_added_above(findings_workspace, tmp_path):
    before = render(validate([findings_workspace]), tmp_path)
    add_lines_above(findings_workspace)
    after = render(validate([findings_workspace]), tmp_path)
    lines = [
        [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]]
        for log in (before, after)
    ]
    assert lines[0] != lines[1]
    assert "line 10" in after["runs"][0]["results"][2]["message"]["text"]  # "first defined at line N" moved too
    assert fingerprints(before) == fingerprints(after)


def test_fingerprints_leave_out_line_references_to_other_files():
    def moved(line: int) -> Finding:
        message = f"reference 'R1' is defined differently in venues/v1.yaml:{line} (first at line {line})"
        return error(Location("venues/v2.yaml", 3, 5), "reference-identity", message)

    assert fingerprint(moved(40), "venues/v2.yaml") == fingerprint(moved(52), "venues/v2.yaml")
    assert fingerprint(moved(40), "venues/v2.yaml") != fingerprint(moved(40), "venues/v3.yaml")


def test_different_findings_have_different_fingerprints(findings_workspace, tmp_path):
    assert len(set(fingerprints(render(validate([findings_workspace]), tmp_path)))) == 4


def test_equal_findings_in_one_file_are_numbered(tmp_path):
    """Findings that differ only in line numbers share a hash; their order in the file tells them apart."""
    twice = [
        error(
            Location("venues/v1.yaml", line, 3),
            "duplicate-key",
            f"duplicate key 'risk' (first defined at line {line - 1})",
        )
        for line in (10, 20)
    ]
    keys = fingerprints(render(ValidationResult(findings=twice), tmp_path))
    assert keys[0].split(":")[0] == keys[1].split(":")[0]
    assert [key.split(":")[1] for key in keys] == ["1", "2"]


def test_fingerprints_do_not_depend_on_where_the_checkout_is(tmp_path):
    logs = []
    for checkout in ("a", "b"):
        workspace = tmp_path / checkout / "ws"
        shutil.copytree(RULE_FIXTURES / "base", workspace)
        shutil.copytree(SARIF_FIXTURES / "findings", workspace, dirs_exist_ok=True)
        logs.append(render(validate([workspace]), tmp_path / checkout))
    assert fingerprints(logs[0]) == fingerprints(logs[1])


@needs_git
def test_the_base_is_the_git_top_level_of_the_current_directory(findings_workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(findings_workspace / "venues")
    run = json.loads(get_reporter("sarif").render(validate([findings_workspace])))["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "ws/overlay.yaml"


@needs_git
def test_outside_a_repository_the_base_is_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert source_root(tmp_path) == tmp_path


def test_without_git_the_base_is_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on it
    assert source_root(tmp_path) == tmp_path


def test_validate_base_dir_sets_the_root_of_the_uris(runner, findings_workspace, tmp_path):
    result = runner.invoke(
        validate_command, [str(findings_workspace), "--format", "sarif", "--base-dir", str(findings_workspace)]
    )
    assert result.exit_code == 1
    run = json.loads(result.output)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == findings_workspace.resolve().as_uri() + "/"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "overlay.yaml"


def test_validate_base_dir_is_only_for_sarif(runner, findings_workspace):
    result = runner.invoke(validate_command, [str(findings_workspace), "--base-dir", str(findings_workspace)])
    assert result.exit_code == 2
    assert "Invalid value for --base-dir: only --format sarif" in result.output
    assert "Traceback" not in result.output


MULTITOOL = shutil.which("sarif-multitool")


@pytest.mark.skipif(MULTITOOL is None, reason="sarif-multitool is not installed (.ci/system-deps installs it from npm)")
def test_microsofts_multitool_finds_no_error_or_warning_with_the_sarif_and_github_rules(findings_workspace, tmp_path):
    """The multitool's SARIF rules and its GitHub code-scanning rules (``Gh``) over a real log
    with a file name to encode (unencoded, it is error SARIF1002).

    Its npm launcher runs the .NET tool through a shell, so every argument is quoted for one.
    """
    (findings_workspace / "venues" / "estadio ñandú.yaml").write_text("# to be written\n", encoding="utf-8")
    log = tmp_path / "eventsec.sarif"
    log.write_text(SarifReporter(base_dir=findings_workspace.parent).render(validate([findings_workspace])))
    report = tmp_path / "multitool.sarif"
    arguments = ["validate", "--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note", "-o", str(report), str(log)]
    done = subprocess.run([MULTITOOL, *map(shlex.quote, arguments)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads(report.read_text())["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    defaults = {
        rule["id"]: rule.get("defaultConfiguration", {}).get("level", "warning")
        for rule in run["tool"]["driver"]["rules"]
    }
    levels = [(result["ruleId"], result.get("level", defaults[result["ruleId"]])) for result in run["results"]]
    assert [item for item in levels if item[1] in {"error", "warning"}] == []
