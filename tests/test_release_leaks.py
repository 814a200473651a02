"""The leak test: a sentinel in every free-text field of every document kind, each document at
every level across the variants, rendered at every release level with ``--since``. No sentinel
above the release level may appear in page text, decompressed PDF bytes, metadata, outline,
manifest.json or what render prints."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from eventsec.cli import main
from tests.leaks import LEVELS, free_text_locations, levels_for, write_workspace
from tests.test_release import every_string

VARIANTS = range(len(LEVELS))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory):
    """Per variant: a git repository whose committed workspace has the OLDS sentinels and whose
    working tree has the LEAK ones, so ``--since HEAD`` reports a change in every field."""
    made = {}
    for variant in VARIANTS:
        root = tmp_path_factory.mktemp(f"variant{variant}")
        old = write_workspace(root / "ws", variant, prefix="OLDS")
        git(root, "init", "-q")
        git(root, "add", ".")
        git(root, "commit", "-qm", "signed")
        new = write_workspace(root / "ws", variant)
        made[variant] = (root / "ws", {**old.levels, **new.levels}, new, {**old.where, **new.where})
    return made


def released_strings(runner, workspace: Path, out: Path, level: str, what: tuple[str, str] = ("--venue", "v1")) -> str:
    """Everything a render at ``level`` shows: of the venue plan, or with ``("--match", "m1")``
    of the match's operations order."""
    result = runner.invoke(
        main,
        [
            "render",
            str(workspace),
            *what,
            "--as-of",
            "2030-05-01",
            "--lang",
            "en",
            "--jobs",
            "1",
            "-o",
            str(out),
            "--release",
            level,
            "--since",
            "HEAD",
        ],
    )
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    return "\n".join([every_string(pdf), (out / "manifest.json").read_text(encoding="utf-8"), result.output])


def test_every_free_text_field_of_every_schema_gets_a_sentinel(workspaces):
    """A new free-text field in a schema is planted, or this fails and names it."""
    _, _, planted, _ = workspaces[0]
    assert free_text_locations() - planted.locations == set()
    assert planted.skipped["identifier, enum, date or pattern"] > 0
    print(
        f"\nper variant: {len(planted.levels)} sentinels in {len(planted.locations)} schema places; left as they are: "
        + ", ".join(f"{count} {why}" for why, count in sorted(planted.skipped.items()))
    )


def test_each_document_takes_every_level_across_the_variants():
    for path in levels_for(0):
        assert {levels_for(variant)[path] for variant in VARIANTS} == set(LEVELS)


@pytest.mark.parametrize("what", [("--venue", "v1"), ("--match", "m1")], ids=["plan", "order"])
@pytest.mark.parametrize("level", LEVELS)
def test_no_sentinel_above_the_release_level_appears(runner, workspaces, tmp_path, level, what, record_property):
    allowed = LEVELS.index(level)
    planted = leaked = shown = 0
    leaks = []
    for variant, (workspace, sentinels, _, where) in workspaces.items():
        strings = released_strings(runner, workspace, tmp_path / f"v{variant}", level, what)
        for sentinel, needed in sentinels.items():
            above = LEVELS.index(needed) > allowed
            found = sentinel in strings
            planted += above
            leaked += above and found
            shown += found and not above
            if above and found:
                leaks.append(f"variant {variant}: {sentinel} ({needed}) from {where[sentinel]}")
    record_property(
        "sentinels", f"{level}: {planted} above the level planted, {leaked} leaked, {shown} at or below shown"
    )
    print(f"\n{level}: {planted} sentinels above the level planted, {leaked} leaked; {shown} at or below it shown")
    assert leaks == []
    assert shown > 0  # the release is not empty: content at or below the level is shown
