"""The amendment record of a venue's plan: the ``revisions`` its venue file and the tournament
file declare (the venue's first, each newest first), or, when neither declares any and the
workspace is in git, the commits that touched the files the plan is made from (venue file,
tournament file, overlays of the venue and its matches). Neither gives an empty record, which
the plan prints as a table to fill by hand.

Read once, while the report is gathered (render/report.py), never while laying out a page; the
git record is deterministic: the same commit gives the same lines.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from eventsec.diff.git import DiffProblem, _git, repository

GIT_RECORD_LIMIT = 40
"""Commits listed at most: an amendment record is read, not searched."""
FIELD = "\x1f"


@dataclass(frozen=True)
class Amendment:
    """One line of the amendment record. From git, ``version`` is the short commit hash and
    ``by`` is empty (author names are not the plan's to print)."""

    version: str
    date: str
    by: str
    summary: str
    translations: dict = field(default_factory=dict)
    source: str = "revision"


@dataclass(frozen=True)
class AmendmentRecord:
    entries: tuple[Amendment, ...]
    source: str
    """``revisions``, ``git`` or ``none``."""


def declared(document: dict) -> list[Amendment]:
    """A document's revisions, newest first (by date, then as written)."""
    revisions = [r for r in document.get("revisions") or [] if isinstance(r, dict)]
    ordered = sorted(enumerate(revisions), key=lambda pair: (str(pair[1].get("date", "")), pair[0]), reverse=True)
    return [
        Amendment(
            str(r.get("version", "")),
            str(r.get("date", "")),
            str(r.get("by", "")),
            str(r.get("summary", "")),
            dict(r.get("translations") or {}),
        )
        for _, r in ordered
    ]


def git_record(files: list[Path]) -> list[Amendment]:
    """Commits touching ``files``, newest first, or [] when they are not in a git repository."""
    existing = [f for f in files if f.is_file()]
    if not existing:
        return []
    try:
        top, _ = repository(existing[0].parent)
    except DiffProblem:
        return []
    relative = [os.path.relpath(f.resolve(), top) for f in existing]
    done = _git(
        top,
        "log",
        f"--max-count={GIT_RECORD_LIMIT}",
        f"--format=%h{FIELD}%cs{FIELD}%s",
        "--no-show-signature",
        "--",
        *relative,
    )
    if done.returncode != 0:
        return []
    entries = []
    for line in done.stdout.splitlines():
        short, day, subject = (line.split(FIELD) + ["", ""])[:3]
        entries.append(Amendment(short, day, "", subject, source="git"))
    return entries


def amendment_record(tournament: dict, venue: dict, files: list[Path]) -> AmendmentRecord:
    """The venue's revisions then the tournament's; else git history of ``files``; else none."""
    revisions = declared(venue) + declared(tournament)
    if revisions:
        return AmendmentRecord(tuple(revisions), "revisions")
    commits = git_record(files)
    return AmendmentRecord(tuple(commits), "git" if commits else "none")
