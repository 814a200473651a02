"""``render --since REV``: the changes a plan carries since a revision a commander signed.

The workspace at REV is read from git's object store (as ``diff --rev`` does, so export-ignore
attributes hide nothing) and compared with the workspace being rendered (the working tree, not
just committed work). Each change line keeps the item it concerns and the files it is in, so a
plan released below the full level can drop lines about withheld items or from withheld
documents.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from eventsec.i18n import english
from eventsec.i18n.message import Message


@dataclass(frozen=True)
class ChangeLine:
    message: Message
    """The line as a message, said in the plan's language."""
    item: str | None = None
    sources: tuple[str, ...] = ()
    """The files (old and new) the change is in: a release shows a line only when it may show them."""
    marks: tuple[str, ...] = ()
    """Every level the changed record is marked with, then or now: likewise."""

    @property
    def text(self) -> str:
        """The line in English, as ``eventsec diff`` prints it."""
        return english(self.message)


@dataclass(frozen=True)
class ChangesSince:
    rev: str
    commit: str
    lines: tuple[ChangeLine, ...]


def changes_since(rev: str, workspace: Path) -> ChangesSince:
    """Diff the workspace at ``rev`` against the workspace directory as it is now."""
    from eventsec.diff.compare import diff_paths
    from eventsec.diff.git import DiffProblem, commit_of, export, repository, workspace_root
    from eventsec.diff.text import RENDERERS, SECTIONS

    top, relative = repository(workspace)
    commit = commit_of(top, rev)
    with tempfile.TemporaryDirectory(prefix="eventsec-since-") as scratch:
        tree = Path(scratch) / "tree"
        old_root = workspace_root(tree, relative, rev, export(top, commit, tree))
        result = diff_paths(old_root, workspace, f"{rev}:{relative}", str(workspace))
    if not result.valid:
        raise DiffProblem(f"the workspace at {rev} or now does not validate; run eventsec validate")
    lines = []
    for section in SECTIONS:
        for change in getattr(result, section):
            item = getattr(change, "item", None) or (change.key if section == "items" else None)
            sources = tuple(
                where.rpartition(":")[0]
                for where in (getattr(change, "at", None), getattr(change, "was_at", None))
                if where
            )
            lines += [
                ChangeLine(message, item, sources, getattr(change, "marks", ()))
                for message in RENDERERS[section](change)
            ]
    return ChangesSince(rev, commit, tuple(lines))
