"""The built packages: the wheel carries its schemas and library (installed eventsec works from any
directory), the sdist carries what README links to, and both pass the package index's checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from eventsec.project import DOCS_URL, ISSUES_URL, REPOSITORY_URL
from tests.conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the test extra installs tomli there
    import tomli as tomllib


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist, and the wheel built from that sdist (as pip builds one from the index), built once."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (built,) = dist.glob("eventsec-*.whl")
    return built


@pytest.fixture(scope="module")
def sdist_members(dist: Path) -> set[str]:
    """The sdist's file names, relative to its top folder (eventsec-VERSION/)."""
    (built,) = dist.glob("eventsec-*.tar.gz")
    with tarfile.open(built) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel: Path) -> Path:
    """Install the wheel into a fresh venv and return that venv's eventsec."""
    work = tmp_path_factory.mktemp("wheel")
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


def test_pyproject_urls_are_the_addresses_of_project_py():
    """pyproject.toml cannot import project.py, so a test keeps the two copies of each address equal."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls == {
        "Homepage": REPOSITORY_URL,
        "Repository": REPOSITORY_URL,
        "Documentation": DOCS_URL,
        "Issues": ISSUES_URL,
    }


def test_wheel_metadata_gives_the_project_urls(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(name).decode().splitlines()
    assert f"Project-URL: Repository, {REPOSITORY_URL}" in metadata
    assert f"Project-URL: Issues, {ISSUES_URL}" in metadata and f"Project-URL: Documentation, {DOCS_URL}" in metadata


def _relative_links(markdown: str) -> list[str]:
    """The targets of ``[text](target)`` and ``![alt](target)`` that are files beside the page, without anchors."""
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown)
    return sorted({t.split("#")[0] for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:|#", t)})


def test_every_relative_link_and_image_of_readme_is_in_the_sdist(sdist_members: set[str]):
    """README's links and images broke in the sdist, which left docs/ out."""
    links = _relative_links((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"docs/rules.md", "docs/images/plan-summary-en.png", "LICENSE", "bench/README.md"} <= set(links)
    assert [link for link in links if link not in sdist_members] == []


def test_the_sdist_carries_the_samples_and_stays_lean(sdist_members: set[str]):
    """README's Quickstart runs on samples/wc2030; tests/ (17 MB of fixtures) is the repository's business."""
    assert "samples/wc2030/tournament.yaml" in sdist_members and "CONTRIBUTING.md" in sdist_members
    assert not [name for name in sdist_members if name.startswith(("tests/", "bench/bench_", ".venv/"))]


def test_twine_check_strict_passes_on_the_wheel_and_the_sdist(dist: Path):
    """What the package index would refuse or render badly (metadata, README markup) fails here first."""
    files = sorted(str(f) for f in dist.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(files) == 2 and result.stdout.count("PASSED") == 2
