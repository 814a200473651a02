"""render --since: the changes since a revision, read from git's object store."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from eventsec.cli import main
from eventsec.diff.since import changes_since
from tests.conftest import FIXTURES, commit_copy, needs_git

TRAINED = "CRW-002.title: Train the stewards → Train and certify the stewards"


@pytest.fixture
def export_ignored(tmp_path) -> Path:
    """A repository whose crowd protocol is marked export-ignore, changed in the working tree since HEAD."""
    workspace = commit_copy(FIXTURES / "four_venues", tmp_path / "repo", "ws/library/crowd.yaml export-ignore\n")
    crowd = workspace / "library" / "crowd.yaml"
    crowd.write_text(crowd.read_text().replace("title: Train the stewards", "title: Train and certify the stewards"))
    return workspace


@needs_git
def test_a_change_in_an_export_ignored_file_is_the_only_change(export_ignored):
    changes = changes_since("HEAD", export_ignored)
    assert [line.text for line in changes.lines] == [f"~ {TRAINED} (library/crowd.yaml:8)"]  # not the protocol as added


@needs_git
def test_render_since_shows_it_in_the_plan(runner, export_ignored, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["render", str(export_ignored), "--venue", "north", "--as-of", "2030-05-01", "-o", str(out), "--since", "HEAD"],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out / "fv-north-en.pdf").pages)
    assert TRAINED in text.replace('"', "")


@needs_git
def test_render_since_says_the_lines_in_the_plans_language(runner, export_ignored, tmp_path):
    out = tmp_path / "out"
    args = ["render", str(export_ignored), "--venue", "north", "--as-of", "2030-05-01", "-o", str(out)]
    result = runner.invoke(main, [*args, "--since", "HEAD", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out / "fv-north-fr.pdf").pages)
    french = "~ CRW-002.title : Train the stewards → Train and certify the stewards"  # content stays as written
    assert french in text.replace('"', "")
    assert TRAINED not in text.replace('"', "")
