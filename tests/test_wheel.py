"""The built wheel carries its schemas and library: installed eventsec works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel, install it into a fresh venv and return that venv's eventsec."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("eventsec-*.whl")
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return work / "venv" / "bin" / "eventsec"


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)


def test_wheel_prints_a_schema_outside_the_repo(installed, tmp_path):
    result = run([str(installed), "schema", "protocol"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"title": "eventsec protocol"' in result.stdout


def test_wheel_validates_its_builtin_library_outside_the_repo(installed, tmp_path):
    result = run([str(installed), "validate", "--builtin"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site-packages" in result.stdout or "no findings" in result.stdout


def test_wheel_scaffolds_and_validates_a_workspace(installed, tmp_path):
    assert run([str(installed), "init", "ws"], cwd=tmp_path).returncode == 0
    result = run([str(installed), "validate", "ws"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_wheel_carries_the_license_it_declares(installed):
    """The package says Apache-2.0; the wheel ships that licence's text with it."""
    site = installed.parent.parent / "lib"
    (metadata,) = site.glob("python3*/site-packages/eventsec-*.dist-info/METADATA")
    assert "License-File: LICENSE" in metadata.read_text()
    (license_text,) = metadata.parent.glob("licenses/LICENSE")
    assert "Apache License" in license_text.read_text() and "Version 2.0, January 2004" in license_text.read_text()
