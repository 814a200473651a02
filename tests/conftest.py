"""Shared test helpers: paths, a CLI runner and a workspace builder for rule fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RULE_FIXTURES = FIXTURES / "rules"


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
