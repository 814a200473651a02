"""The one registry of finding ids: every id raised is registered, documented, and in docs/rules.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import eventsec
from eventsec.checks.lint import finding_kinds
from eventsec.checks.registry import CORE, REGISTRY, FindingKind, Stage, declare
from eventsec.checks.validate import validate
from eventsec.cli import main
from eventsec.findings import Severity

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(eventsec.__file__).parent
RULES_DOC = ROOT / "docs" / "rules.md"
REGENERATE = "eventsec rules --format markdown > docs/rules.md"

ID_ARGUMENT = {"error": 1, "_fail": 1, "Finding": 1, "rule": 0, "LoadProblem": 0}
"""Calls that name a finding id, and the position of the id among their arguments."""

TRACED_ELSEWHERE = {
    "problem.rule": "a LoadProblem's id, checked where LoadProblem(...) is raised",
    "self.id": "a lint Rule's id, declared by @rule",
}
"""Id arguments that are attributes holding an id checked at its source."""


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _parameters(tree: ast.Module) -> dict[ast.AST, set[str]]:
    """For every call node inside a function, the names of that function's parameters."""
    scope: dict[ast.AST, set[str]] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            names = {a.arg for a in function.args.args + function.args.kwonlyargs + function.args.posonlyargs}
            for node in ast.walk(function):
                scope.setdefault(node, set()).update(names)
    return scope


def _raised_ids(path: Path) -> tuple[set[str], list[str]]:
    """The finding ids a source file names, and the id arguments it passes that are not traceable."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants, scope = _constants(tree), _parameters(tree)
    ids: set[str] = set()
    untraced: list[str] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
        position = ID_ARGUMENT.get(name)
        if position is None or len(call.args) <= position:
            continue
        argument = call.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            ids.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id in constants:
            ids.add(constants[argument.id])
        elif ast.unparse(argument) in TRACED_ELSEWHERE:
            continue
        elif not (isinstance(argument, ast.Name) and argument.id in scope.get(call, set())):
            untraced.append(f"{path.relative_to(SOURCE)}:{call.lineno}")
    return ids, untraced


def _source_ids() -> tuple[set[str], list[str]]:
    ids: set[str] = set()
    untraced: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        found, lost = _raised_ids(path)
        ids |= found
        untraced += lost
    return ids, untraced


def test_every_id_named_in_the_source_is_registered():
    ids, untraced = _source_ids()
    registered = {kind.id for kind in finding_kinds()}
    assert untraced == [], "finding ids passed as values the test cannot trace to a literal"
    assert ids - registered == set(), "ids raised but not registered in eventsec/findings_registry.py"
    assert {kind.id for kind in CORE} <= ids, "core ids registered but raised nowhere"


def test_the_source_check_sees_an_unregistered_id(tmp_path, monkeypatch):
    module = tmp_path / "stage.py"
    module.write_text(
        'RULE = "made-up"\n\ndef check(location, rule):\n    return [error(location, RULE, "x"), error(location, rule, "y")]\n'
    )
    monkeypatch.setattr("tests.test_checks_registry.SOURCE", tmp_path)
    assert _source_ids() == ({"made-up"}, [])


def test_every_id_the_fixtures_raise_is_registered():
    raised = {finding.rule for finding in validate([ROOT / "tests" / "fixtures"]).findings}
    assert raised, "the fixtures raise findings"
    assert raised - set(REGISTRY) == set()


@pytest.mark.parametrize("kind", finding_kinds(), ids=lambda kind: kind.id)
def test_every_id_is_documented(kind: FindingKind):
    assert kind.summary.endswith(".") and len(kind.explanation) > len(kind.summary) // 2
    assert kind.failing.strip() and kind.fixed.strip() and kind.failing != kind.fixed
    yaml.safe_load(kind.fixed)
    assert isinstance(kind.stage, Stage) and isinstance(kind.severity, Severity)


def test_an_id_declared_twice_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        declare(CORE[0])


def test_rules_lists_lint_ids_after_the_core_ids():
    kinds = finding_kinds()
    assert kinds[: len(CORE)] == list(CORE)
    lint = [kind.id for kind in kinds[len(CORE) :]]
    assert lint == sorted(lint) and all(REGISTRY[i].stage is Stage.LINT for i in lint)


def test_docs_rules_md_is_generated_from_the_registry():
    generated = CliRunner().invoke(main, ["rules", "--format", "markdown"]).output
    assert RULES_DOC.read_text(encoding="utf-8") == generated, f"docs/rules.md is out of date; run: {REGENERATE}"
    for kind in finding_kinds():
        assert f"\n## {kind.id}\n" in generated and kind.fixed.splitlines()[0] in generated
