"""Only the CLI package talks to click: the core stays usable (and testable) without it."""

from __future__ import annotations

import ast
from pathlib import Path

import eventsec

SOURCE = Path(eventsec.__file__).parent


def _imported_modules(tree: ast.AST) -> set[str]:
    """Top-level package names of every import in a module, wherever the import statement is."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_outside_cli_imports_click():
    offenders = [
        path.relative_to(SOURCE).as_posix()
        for path in sorted(SOURCE.rglob("*.py"))
        if "cli" not in path.relative_to(SOURCE).parts[:1]
        and "click" in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_scan_sees_the_cli_package_import_click():
    """Guards the test above against scanning nothing."""
    assert "click" in _imported_modules(ast.parse((SOURCE / "cli" / "__init__.py").read_text(encoding="utf-8")))
