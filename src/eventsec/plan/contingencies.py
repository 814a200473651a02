"""The contingencies of one venue's plan: the library's contingencies, each preparing item's state
in the resolved plan, and the venue's code word.

Pure, like the resolver that calls it: the workspace's documents and the plan's items in, plain
values out. A contingency's texts stay the library's (a venue changes the items that prepare
it and gives its code word, never the contingency itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from eventsec.load.documents import Document
from eventsec.load.index import Entry, Index
from eventsec.plan.model import NOT_IN_PLAN, Origin, PreparingItem, ResolvedContingency, ResolvedItem

Locate = Callable[[str, Document, tuple], Origin]
"""How the resolver names a place in a document: (layer, document, data path) → origin."""


def contingency_documents(index: Index) -> list[Document]:
    """The contingencies documents a plan is built from (they count in its inputs digest)."""
    return index.of_kind("contingencies")


def resolve_contingencies(
    index: Index, items: Mapping[str, ResolvedItem], venue: Entry, origin: Locate
) -> list[ResolvedContingency]:
    """Every contingency of the library, in file order, as the venue's plan sees it."""
    codes = venue.value.get("contingency_codes") or {}
    return [
        ResolvedContingency(
            id=entry.value["id"],
            entry=entry.value,
            items=tuple(_preparing(item_id, items) for item_id in entry.value.get("items") or ()),
            code=codes.get(entry.value["id"]),
            origin=origin("library", entry.document, entry.path),
            code_origin=origin("venue", venue.document, venue.path + ("contingency_codes", entry.value["id"]))
            if entry.value["id"] in codes
            else None,
        )
        for entry in index.contingencies()
    ]


def _preparing(item_id: str, items: Mapping[str, ResolvedItem]) -> PreparingItem:
    item = items.get(item_id)
    return PreparingItem(item_id, item.state if item is not None else NOT_IN_PLAN)
