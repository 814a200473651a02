"""A workspace: a directory with a ``tournament.yaml``, its venues, overlays and status files.

The model only: :func:`eventsec.checks.validate.load_workspace` validates a directory and
builds one, so later stages only ever see documents that passed and can trust the shapes the
schemas promise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventsec.errors import UsageError
from eventsec.load.documents import Document
from eventsec.load.index import Entry, Index, Operations

LAYERS = ("library", "tournament", "country", "venue", "match")
"""The overlay chain, lowest first: later layers win."""


class WorkspaceError(UsageError):
    """The directory is not a workspace (a usage problem, exit code 2)."""


@dataclass
class Workspace:
    """A validated workspace and lookups over it."""

    root: Path
    index: Index
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    """Per-workspace results later stages reuse, by name: lookups (venues, operation blocks,
    source names), the resolver's library layer and remembered condition outcomes. Valid as long
    as the workspace: its documents never change after loading."""

    @property
    def tournament(self) -> Document:
        if "tournament" not in self.cache:
            self.cache["tournament"] = self.index.tournaments()[0]
        return self.cache["tournament"]

    def venues(self) -> dict[str, Entry]:
        if "venues" not in self.cache:
            self.cache["venues"] = {v.value["id"]: v for v in self.index.venues()}
        return dict(self.cache["venues"])

    def venue(self, venue_id: str) -> Entry:
        venues = self.venues()
        if venue_id not in venues:
            known = ", ".join(sorted(venues)) or "none"
            raise WorkspaceError(f"no venue '{venue_id}' in {self.root} (venues: {known})")
        return venues[venue_id]

    def match(self, venue_id: str, match_id: str) -> Entry:
        matches = {m.value["id"]: m for v, m in self.index.matches() if v.value["id"] == venue_id}
        if match_id not in matches:
            known = ", ".join(sorted(matches)) or "none"
            raise WorkspaceError(f"no match '{match_id}' at venue '{venue_id}' (matches: {known})")
        return matches[match_id]

    def operations_for(self, layer: str, target: str | None) -> list[Operations]:
        """Operation blocks of one layer that apply to ``target``, in a stable file order."""
        if "blocks" not in self.cache:
            by_target: dict[tuple[str, str | None], list[Operations]] = {}
            for block in self.index.operation_blocks():
                by_target.setdefault((block.layer, None if block.layer == "tournament" else block.target), []).append(
                    block
                )
            for blocks in by_target.values():
                blocks.sort(
                    key=lambda b: (b.document.kind != "tournament", b.document.kind != "venue", b.document.path)
                )
            self.cache["blocks"] = by_target
        return list(self.cache["blocks"].get((layer, None if layer == "tournament" else target), ()))

    def source_name(self, document: Document) -> str:
        """A machine-independent name for a document: workspace-relative, ``builtin:<file>`` for
        the bundled library, else its path as loaded. Memoized: a plan records thousands of
        origins over a few dozen files, and resolving a path is a system call."""
        names = self.cache.setdefault("source-names", {})
        if document.path not in names:
            names[document.path] = self._source_name(document.path)
        return names[document.path]

    def loaded_path(self, name: str) -> str:
        """The path a document was loaded from, given its :meth:`source_name` (findings point at
        files the way the user named them; provenance uses the machine-independent names)."""
        paths = [path for path, known in self.cache.get("source-names", {}).items() if known == name]
        return paths[0] if len(paths) == 1 else name  # two files sharing a name: keep the name, never guess

    def _source_name(self, loaded_as: str) -> str:
        from eventsec.load.resources import library_dir

        if "source-roots" not in self.cache:
            self.cache["source-roots"] = ((self.root.resolve(), ""), (library_dir().resolve(), "builtin:"))
        path = Path(loaded_as).resolve()
        for root, prefix in self.cache["source-roots"]:
            if path.is_relative_to(root):
                return prefix + path.relative_to(root).as_posix()
        return loaded_as

    def statuses(self) -> dict[str, Document]:
        return {doc.data["venue"]: doc for doc in self.index.statuses()}
