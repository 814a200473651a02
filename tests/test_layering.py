"""The package's shape holds: stages in the order data flows, no import cycle, no import from a
later stage to an earlier one, and only the CLI talks to click.

Imports are read from the source with ``ast``, wherever they stand (an import inside a function
still ties two modules together), so a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import eventsec

SOURCE = Path(eventsec.__file__).parent

STAGES = ("load", "plan", "checks", "assess", "release", "diff", "render", "site", "reporters", "cli")
"""The stage packages under ``src/eventsec/``, in the order data flows (README.md, "Layout")."""

SHARED = ("vocabulary", "findings", "formats", "errors", "project", "i18n")
"""Modules below every stage: words, findings, output formats, the project's addresses and message catalogs all stages use."""


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_rank(module: str) -> int | None:
    """0 for the package and its shared modules, 1 + the stage's position for a stage, None for a
    module that belongs to no stage."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in SHARED:
        return 0
    if parts[1] == "__main__":
        return len(STAGES)
    return STAGES.index(parts[1]) + 1 if parts[1] in STAGES else None


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package at ``root`` and the package modules it imports."""
    paths = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    graph = {}
    for module, path in paths.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        graph[module] = {
            target
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            for target in _targets(node, package, paths)
            if target != module
        }
    return graph


def _targets(node: ast.AST, package: str, known: dict[str, Path]) -> list[str]:
    """The package modules an import statement loads (``from m import name`` loads ``m.name``
    when that is a module, else ``m``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in known]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    found = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    return [name for name in found if name in known]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def back_edges(graph: dict[str, set[str]]) -> list[str]:
    """Imports from a later stage into an earlier one, as ``importer -> imported``."""
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if (stage_rank(module) or 0) < (stage_rank(target) or 0)
    )


def test_every_module_belongs_to_a_stage():
    assert [module for module in import_graph(SOURCE) if stage_rank(module) is None] == []


def test_no_import_cycle_counting_imports_inside_functions():
    assert cycles(import_graph(SOURCE)) == []


def test_no_module_imports_from_a_later_stage():
    assert back_edges(import_graph(SOURCE)) == []


def test_the_graph_sees_every_stage_and_a_lazy_import():
    """Guards the tests above against reading nothing: the CLI reaches every stage, and the
    validate command's import of the reporters happens inside a function."""
    graph = import_graph(SOURCE)
    reached = {stage_rank(target) for targets in graph.values() for target in targets}
    assert reached >= set(range(len(STAGES) + 1)) - {len(STAGES)}
    assert any(target.startswith("eventsec.reporters") for target in graph["eventsec.cli"] | _cli_modules(graph))


def _cli_modules(graph: dict[str, set[str]]) -> set[str]:
    return {target for module, targets in graph.items() if module.startswith("eventsec.cli") for target in targets}


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "eventsec"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    root = _package(
        tmp_path,
        {
            "load/__init__.py": "",
            "load/documents.py": "from eventsec.load import index\n",
            "load/index.py": "def later():\n    from eventsec.load.documents import x\n",
        },
    )
    assert cycles(import_graph(root)) == [["eventsec.load.documents", "eventsec.load.index"]]


def test_an_import_from_a_later_stage_is_found(tmp_path):
    root = _package(
        tmp_path,
        {
            "load/__init__.py": "",
            "load/workspace.py": "def validated():\n    from eventsec.checks.validate import validate\n",
            "checks/__init__.py": "",
            "checks/validate.py": "from eventsec.load.workspace import validated\n",
        },
    )
    assert back_edges(import_graph(root)) == ["eventsec.load.workspace -> eventsec.checks.validate"]


def _imported_packages(tree: ast.AST) -> set[str]:
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
        and "click" in _imported_packages(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_scan_sees_the_cli_package_import_click():
    """Guards the test above against scanning nothing."""
    assert "click" in _imported_packages(ast.parse((SOURCE / "cli" / "__init__.py").read_text(encoding="utf-8")))


ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def documented_modules(text: str) -> set[str]:
    """Module paths (relative to ``src/eventsec/``) in the tree of docs/architecture.md: a line
    indented two spaces is a top-level module or a stage package (``load/``), a line indented
    four is a module of the package above it."""
    tree = text.split("```")[1].splitlines()
    found, package = set(), ""
    for line in tree:
        name, indent = (line.split() or [""])[0], len(line) - len(line.lstrip())
        if indent == 2 and name.endswith("/"):
            package = name
        elif name.endswith(".py"):
            found.add(name if indent == 2 else package + name)
    return found


def _holds_code(path: Path) -> bool:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body)


def test_docs_architecture_lists_every_module_and_no_other():
    """Every module with code (a package ``__init__`` holding only its docstring is the package
    line) appears in docs/architecture.md, and the page names no module that is gone."""
    actual = {
        path.relative_to(SOURCE).as_posix()
        for path in SOURCE.rglob("*.py")
        if path.name != "__init__.py" or _holds_code(path)
    }
    documented = documented_modules(ARCHITECTURE.read_text(encoding="utf-8"))
    assert sorted(actual - documented) == [], "modules missing from docs/architecture.md"
    assert sorted(documented - actual) == [], "docs/architecture.md lists modules that do not exist"
