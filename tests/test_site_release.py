"""The site's leak test, as tests/test_release_leaks.py for the PDFs: a sentinel in every
free-text field of every document kind, each document at every level across the variants,
built at every release level. No sentinel above the level may appear in any byte of any file
of the site (pages, search index, assets) nor in what the command prints."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def site_bytes(runner, workspace: Path, out: Path, level: str) -> str:
    """Every byte the site at ``level`` holds, every file decoded, and what the command printed."""
    result = runner.invoke(
        main, ["site", str(workspace), "-o", str(out), "--as-of", "2030-05-01", "--lang", "en", "--release", level]
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
