"""Shared test helpers: paths, a CLI runner and a workspace builder for rule fixtures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RULE_FIXTURES = FIXTURES / "rules"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def commit_copy(source: Path, root: Path, attributes: str = "") -> Path:
    """A new git repository at ``root`` holding a copy of ``source`` as ``ws/``, committed once
    (with ``attributes`` as its .gitattributes when given); returns the workspace's path."""
    shutil.copytree(source, root / "ws")
    if attributes:
        (root / ".gitattributes").write_text(attributes)
    git(root, "init", "-q")
    git(root, "config", "user.email", "planner@example.org")
    git(root, "config", "user.name", "Planner")
    git(root, "add", ".")
    git(root, "commit", "-qm", "signed version")
    return root / "ws"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def rule_workspace(tmp_path: Path):
    """Build a workspace: the clean base plus the files of one rule fixture directory."""

    def build(*overlays: Path) -> Path:
        target = tmp_path / "ws"
        shutil.copytree(RULE_FIXTURES / "base", target)
        for extra in overlays:
            shutil.copytree(extra, target, dirs_exist_ok=True)
        return target

    return build
