"""Cross-file lookups over a set of loaded documents.

Lint rules and the resolver ask questions such as "which items exist", "where is lesson X
defined" or "which overlays touch item Y". The index answers them once, keeping for every
entry the document and data path it came from so findings can point at file:line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventsec.findings import Location
from eventsec.load.documents import DataPath, Document


@dataclass(frozen=True)
class Entry:
    """A value found in a document, with where it is."""

    document: Document
    path: DataPath
    value: Any

    @property
    def location(self) -> Location:
        return self.document.locate(self.path)

    def at(self, *steps: Any) -> Location:
        return self.document.locate(self.path + steps)


@dataclass(frozen=True)
class Operations:
    """One block of overlay operations: an overlay file, a venue's ``overlay:`` or the tournament's."""

    document: Document
    path: DataPath
    layer: str
    target: str | None

    @property
    def data(self) -> dict:
        node: Any = self.document.data
        for step in self.path:
            node = node[step]
        return node

    def entries(self, operation: str) -> Iterator[Entry]:
        for position, value in enumerate(self.data.get(operation) or []):
            if isinstance(value, dict):
                yield Entry(self.document, self.path + (operation, position), value)


@dataclass
class Index:
    """Everything loaded, by kind and id. ``context`` documents are looked up but not reported on."""

    documents: list[Document] = field(default_factory=list)
    context: list[Document] = field(default_factory=list)
    rejected: list[Document] = field(default_factory=list)
    """Documents that failed their schema: already reported, left out of every lookup, but their
    ids are known so that rules do not report a second, consequential error about them."""

    def rejected_ids(self, kind: str) -> set[str]:
        """Ids of the rejected documents of ``kind``."""
        return {doc.data["id"] for doc in self.rejected if doc.kind == kind and isinstance(doc.data.get("id"), str)}

    def rejected_added_items(self) -> set[str]:
        """Ids of the items rejected overlays (or venues' inline overlays) would add."""
        found = set()
        for doc in self.rejected:
            blocks = [doc.data, doc.data.get("overlay")] if doc.kind in ("overlay", "venue", "tournament") else []
            for block in (b for b in blocks if isinstance(b, dict)):
                for entry in block.get("add") or []:
                    item = entry.get("item") if isinstance(entry, dict) else None
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        found.add(item["id"])
        return found

    def all_documents(self) -> list[Document]:
        return self.documents + self.context

    def of_kind(self, kind: str) -> list[Document]:
        return [doc for doc in self.all_documents() if doc.kind == kind]

    # Library -----------------------------------------------------------------
    def protocols(self) -> Iterator[Entry]:
        for doc in self.of_kind("protocol"):
            yield Entry(doc, (), doc.data)

    def items(self) -> Iterator[tuple[Entry, Entry]]:
        """(protocol, item) pairs for every library item."""
        for protocol in self.protocols():
            for position, item in enumerate(protocol.value.get("items") or []):
                if isinstance(item, dict):
                    yield protocol, Entry(protocol.document, ("items", position), item)

    def added_items(self) -> Iterator[tuple[Operations, Entry]]:
        for block in self.operation_blocks():
            for entry in block.entries("add"):
                item = entry.value.get("item")
                if isinstance(item, dict):
                    yield block, Entry(entry.document, entry.path + ("item",), item)

    def item_ids(self) -> set[str]:
        ids = {item.value.get("id") for _, item in self.items()}
        ids |= {item.value.get("id") for _, item in self.added_items()}
        return {i for i in ids if isinstance(i, str)}

    def lessons(self) -> Iterator[Entry]:
        for doc in self.of_kind("lessons"):
            for position, lesson in enumerate(doc.data.get("lessons") or []):
                if isinstance(lesson, dict):
                    yield Entry(doc, ("lessons", position), lesson)

    def contingencies(self) -> Iterator[Entry]:
        """Every contingency of every ``contingencies`` document, in file order."""
        for doc in self.of_kind("contingencies"):
            for position, contingency in enumerate(doc.data.get("contingencies") or []):
                if isinstance(contingency, dict):
                    yield Entry(doc, ("contingencies", position), contingency)

    def catalog_entries(self, section: str) -> Iterator[Entry]:
        for doc in self.of_kind("catalog"):
            for position, value in enumerate(doc.data.get(section) or []):
                if isinstance(value, dict):
                    yield Entry(doc, (section, position), value)

    def ids(self, entries: Iterator[Entry]) -> set[str]:
        return {e.value["id"] for e in entries if isinstance(e.value.get("id"), str)}

    def parameters(self) -> dict[str, Entry]:
        """Declared parameters by name, from every protocol."""
        declared: dict[str, Entry] = {}
        for protocol in self.protocols():
            for name, declaration in (protocol.value.get("parameters") or {}).items():
                declared.setdefault(name, Entry(protocol.document, ("parameters", name), declaration))
        return declared

    # Workspace ---------------------------------------------------------------
    def tournaments(self) -> list[Document]:
        return self.of_kind("tournament")

    def venues(self) -> Iterator[Entry]:
        for doc in self.of_kind("venue"):
            yield Entry(doc, (), doc.data)

    def matches(self) -> Iterator[tuple[Entry, Entry]]:
        for venue in self.venues():
            for position, match in enumerate(venue.value.get("matches") or []):
                if isinstance(match, dict):
                    yield venue, Entry(venue.document, ("matches", position), match)

    def host_countries(self) -> set[str]:
        return {h.get("country") for t in self.tournaments() for h in t.data.get("hosts") or [] if isinstance(h, dict)}

    def operation_blocks(self) -> Iterator[Operations]:
        """Every place overlay operations can be written, with its layer and target."""
        for doc in self.tournaments():
            yield Operations(doc, (), "tournament", None)
        for doc in self.of_kind("overlay"):
            yield Operations(doc, (), str(doc.data.get("layer")), doc.data.get("target"))
        for venue in self.venues():
            if isinstance(venue.value.get("overlay"), dict):
                yield Operations(venue.document, ("overlay",), "venue", venue.value.get("id"))

    def statuses(self) -> list[Document]:
        return self.of_kind("status")
