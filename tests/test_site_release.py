"""The site's leak test, as tests/test_release_leaks.py for the PDFs: a sentinel in every
free-text field of every document kind, each document at every level across the variants,
built at every release level. No sentinel above the level may appear in any byte of any file
of the site (pages, search index, assets) nor in what the command prints."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from eventsec.cli import main
from tests.leaks import LEVELS, write_workspace

VARIANTS = range(len(LEVELS))


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory):
    made = {}
    for variant in VARIANTS:
        root = tmp_path_factory.mktemp(f"variant{variant}")
        planted = write_workspace(root / "ws", variant)
        made[variant] = (root / "ws", planted.levels, planted.where)
    return made


def site_bytes(runner, workspace: Path, out: Path, level: str, *options: str) -> str:
    """Every byte the site at ``level`` holds, every file decoded, and what the command printed."""
    result = runner.invoke(
        main,
        ["site", str(workspace), "-o", str(out), "--as-of", "2030-05-01", "--lang", "en", "--release", level, *options],
    )
    assert result.exit_code == 0, result.output
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.suffix for p in files} == {".html", ".js", ".css"}
    return "\n".join([*(p.read_bytes().decode("utf-8") for p in files), result.output])


@pytest.mark.parametrize("level", LEVELS)
def test_no_sentinel_above_the_release_level_is_in_any_file_of_the_site(runner, workspaces, tmp_path, level):
    allowed = LEVELS.index(level)
    leaks, shown = [], 0
    for variant, (workspace, sentinels, where) in workspaces.items():
        text = site_bytes(runner, workspace, tmp_path / f"v{variant}", level)
        for sentinel, needed in sentinels.items():
            found = sentinel in text
            if found and LEVELS.index(needed) > allowed:
                leaks.append(f"variant {variant}: {sentinel} ({needed}) from {where[sentinel]}")
            shown += found and LEVELS.index(needed) <= allowed
    assert leaks == []
    assert shown > 0  # the site is not empty: content at or below the level is shown


def test_plan_text_is_escaped_in_every_page(runner, tmp_path):
    """Every free-text field holds markup ('<i>X0001X>i<'): no page may carry it as an element."""
    write_workspace(tmp_path / "ws", 0, prefix="<i>X")
    out = tmp_path / "site"
    site_bytes(runner, tmp_path / "ws", out, LEVELS[-1])
    pages = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")))
    assert "<i>X" not in pages
    assert "&lt;i&gt;X" in pages
    index = (out / "en" / "search-index.js").read_text(encoding="utf-8")
    assert "<i>X" in index and "</" not in index  # data for textContent, and no '</script>' to end a script


COMMIT_SUBJECT = "status: SUBJECT0001TCEJBUS"
"""A commit message: it carries no release mark, so only a site released in full may show it."""


def _commit_history(workspace: Path) -> None:
    """Make ``workspace`` a git repository of two commits: the first without CRW-001's status
    entry, the second (COMMIT_SUBJECT) adding it back, which moves the venue's score."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=workspace,
            check=True,
            capture_output=True,
        )

    status = workspace / "status.yaml"
    full = status.read_text(encoding="utf-8")
    earlier = yaml.safe_load(full)
    del earlier["items"]["CRW-001"]
    status.write_text(yaml.safe_dump(earlier, allow_unicode=True), encoding="utf-8")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "initial")
    status.write_text(full, encoding="utf-8")
    git("commit", "-q", "-am", COMMIT_SUBJECT)


@pytest.mark.parametrize("level", LEVELS)
def test_the_trend_leaks_nothing_above_the_release_level(runner, workspaces, tmp_path, level):
    """``--history`` adds names, domain titles and commit messages from every commit: the same
    sentinels stay out above the level, and commit messages show only in a full release."""
    allowed = LEVELS.index(level)
    leaks = []
    for variant, (workspace, sentinels, where) in workspaces.items():
        history = tmp_path / f"history{variant}" / "ws"
        shutil.copytree(workspace, history)
        _commit_history(history)
        text = site_bytes(runner, history, tmp_path / f"v{variant}", level, "--history")
        assert 'id="trend"' in text
        leaks += [
            f"variant {variant}: {s} ({n}) from {where[s]}"
            for s, n in sentinels.items()
            if s in text and LEVELS.index(n) > allowed
        ]
        assert (COMMIT_SUBJECT in text) == (level == LEVELS[-1]), level
    assert leaks == []
