"""Every reference resolves: items to lessons, references, roles and domains."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index, Operations
from eventsec.vocabulary import did_you_mean


def all_items(index: Index) -> Iterator[tuple[str, Entry]]:
    """(protocol id, item) for library items and items added by overlays."""
    for protocol, item in index.items():
        yield str(protocol.value.get("id")), item
    for _, item in index.added_items():
        yield "", item


def overlay_writes(
    index: Index, name: str, operations: tuple[str, ...] = ("fields", "append")
) -> Iterator[tuple[Entry, tuple, Any]]:
    """(set entry, steps from the entry to the value, value) for every overlay ``set`` that writes
    field ``name``: ``fields: {name: ...}`` and ``append: {name: [...]}``."""
    for block in index.operation_blocks():
        for entry in block.entries("set"):
            for operation in operations:
                written = entry.value.get(operation)
                if isinstance(written, dict) and name in written:
                    yield entry, (operation, name), written[name]


def overlay_list_writes(index: Index, name: str) -> Iterator[tuple[Entry, tuple, Any]]:
    """Like :func:`overlay_writes` for a list field, one element at a time (steps end with its position)."""
    for entry, steps, values in overlay_writes(index, name):
        if isinstance(values, list):
            for position, value in enumerate(values):
                yield entry, steps + (position,), value


def _reference_id(use: Any) -> Any:
    return use.get("id") if isinstance(use, dict) else use


@rule(
    "unknown-role",
    Severity.ERROR,
    "Every item owner, contact role and contact reports_to is a role id from the catalog.",
    explanation="Item owners and contacts are role ids from the catalog, so every task has someone the plan can name.",
    failing="owner: steward-manager\n",
    fixed="owner: stewarding-manager\n",
)
def unknown_role(r: Rule, index: Index) -> Iterator[Finding]:
    roles = index.ids(index.catalog_entries("roles"))
    for _, item in all_items(index):
        owner = item.value.get("owner")
        if isinstance(owner, str) and owner not in roles:
            yield r.finding(
                item.at("owner"),
                f"owner '{owner}' is not a role in the catalog",
                did_you_mean(owner, roles) or "add the role to the catalog or use an existing role id",
            )
    for entry, steps, owner in overlay_writes(index, "owner", ("fields",)):
        if isinstance(owner, str) and owner not in roles:
            yield r.finding(
                entry.at(*steps),
                f"owner '{owner}' is not a role in the catalog",
                did_you_mean(owner, roles) or "add the role to the catalog or use an existing role id",
            )
    for venue in index.venues():
        for position, contact in enumerate(venue.value.get("contacts") or []):
            for field, said in (("role", "contact role"), ("reports_to", "contact reports_to")):
                role = contact.get(field) if isinstance(contact, dict) else None
                if isinstance(role, str) and role not in roles:
                    yield r.finding(
                        venue.at("contacts", position, field),
                        f"{said} '{role}' is not a role in the catalog",
                        did_you_mean(role, roles),
                    )


@rule(
    "unknown-domain",
    Severity.ERROR,
    "Every protocol and lesson names a domain from the catalog.",
    explanation="Protocols and lessons are grouped by domain; each names a domain declared in the catalog.",
    failing="kind: protocol\ndomain: crowds\n",
    fixed="kind: protocol\ndomain: crowd\n",
)
def unknown_domain(r: Rule, index: Index) -> Iterator[Finding]:
    domains = index.ids(index.catalog_entries("domains"))
    for entry in list(index.protocols()) + list(index.lessons()):
        domain = entry.value.get("domain")
        if isinstance(domain, str) and domain not in domains:
            yield r.finding(
                entry.at("domain"), f"domain '{domain}' is not in the catalog", did_you_mean(domain, domains)
            )


@rule(
    "unknown-lesson",
    Severity.ERROR,
    "Every lesson an item links to exists in a lessons document.",
    explanation="The lessons an item links to must exist in a lessons document, so the plan can print them.",
    failing="items:\n  - id: XTR-001\n    lessons: [T25-L99]\n",
    fixed="items:\n  - id: XTR-001\n    lessons: [T25-L01]\n",
)
def unknown_lesson(r: Rule, index: Index) -> Iterator[Finding]:
    lessons = index.ids(index.lessons())
    for _, item in all_items(index):
        for position, lesson in enumerate(item.value.get("lessons") or []):
            if isinstance(lesson, str) and lesson not in lessons:
                yield r.finding(
                    item.at("lessons", position),
                    f"lesson '{lesson}' does not exist",
                    did_you_mean(lesson, lessons) or "add it to a lessons document or remove the link",
                )
    for entry, steps, lesson in overlay_list_writes(index, "lessons"):
        if isinstance(lesson, str) and lesson not in lessons:
            yield r.finding(
                entry.at(*steps),
                f"lesson '{lesson}' does not exist",
                did_you_mean(lesson, lessons) or "add it to a lessons document or remove the link",
            )


def _declared(document_part: Any) -> set:
    """Ids of the references a protocol or an overlay file declares under ``references:``."""
    references = document_part.get("references") if isinstance(document_part, dict) else None
    return {_reference_id(ref) for ref in references or [] if isinstance(ref, dict)}


def _overlay_declared(block: Operations) -> set:
    """References a ``kind: overlay`` file declares; a venue's or the tournament's operations declare none."""
    return _declared(block.document.data) if block.document.kind == "overlay" else set()


@rule(
    "unknown-reference",
    Severity.ERROR,
    "Every reference an item cites is declared in its protocol's references (or, for an overlay's items, in the overlay's).",
    explanation="An item cites references by id; each id is declared in its protocol's `references` list. An overlay "
    "file may declare its own `references` (a host country's laws, say) for the items it adds or sets.",
    failing="references: [{id: sgsa, title: SGSA}]\nitems:\n  - id: XTR-001\n    references: [green-guide]\n",
    fixed="references: [{id: sgsa, title: SGSA}]\nitems:\n  - id: XTR-001\n    references: [sgsa]\n",
)
def unknown_reference(r: Rule, index: Index) -> Iterator[Finding]:
    declared: dict[str, set] = {}
    for protocol in index.protocols():
        declared.setdefault(str(protocol.value.get("id")), _declared(protocol.value))

    def check(entry: Entry, steps: tuple, protocol: str, known: set, uses: Any) -> Iterator[Finding]:
        for position, use in enumerate(uses if isinstance(uses, list) else []):
            ref_id = _reference_id(use)
            if isinstance(ref_id, str) and ref_id not in known:
                yield r.finding(
                    entry.at(*steps, position),
                    f"reference '{ref_id}' is not declared in protocol '{protocol}'",
                    did_you_mean(ref_id, known)
                    or "declare it under the protocol's (or the overlay file's) 'references:'",
                )

    # Library items cite their own protocol's references.
    home: dict[str, tuple[str, set]] = {}  # item id -> (protocol id, references it declares)
    for protocol, item in index.items():
        protocol_id, known = str(protocol.value.get("id")), _declared(protocol.value)
        home.setdefault(item.value.get("id"), (protocol_id, known))
        yield from check(item, ("references",), protocol_id, known, item.value.get("references"))
    # Items added by overlays cite the references of the protocol they are added to (an unknown
    # protocol is reported by unknown-item) or those the overlay file declares.
    for block in index.operation_blocks():
        own = _overlay_declared(block)
        for entry in block.entries("add"):
            protocol_id, item = entry.value.get("protocol"), entry.value.get("item")
            if not isinstance(protocol_id, str) or protocol_id not in declared or not isinstance(item, dict):
                continue
            home.setdefault(item.get("id"), (protocol_id, declared[protocol_id]))
            known = declared[protocol_id] | own
            yield from check(entry, ("item", "references"), protocol_id, known, item.get("references"))
    # References an overlay sets or appends belong to the target item's protocol (an unknown
    # target is reported by unknown-item), or to the overlay file itself.
    for block in index.operation_blocks():
        own = _overlay_declared(block)
        for entry in block.entries("set"):
            target = entry.value.get("item")
            if not isinstance(target, str) or target not in home:
                continue
            protocol_id, known = home[target]
            for operation in ("fields", "append"):
                written = entry.value.get(operation)
                if isinstance(written, dict) and "references" in written:
                    yield from check(entry, (operation, "references"), protocol_id, known | own, written["references"])


@rule(
    "unsourced-item",
    Severity.WARNING,
    "Every item cites a reference or says 'basis: practice'.",
    explanation="An item says where it comes from: it cites a reference, or says `basis: practice` when it is established practice without a written source (warning).",
    failing="items:\n  - id: XTR-001\n    title: Check the gates\n",
    fixed="items:\n  - id: XTR-001\n    title: Check the gates\n    basis: practice\n",
)
def unsourced_item(r: Rule, index: Index) -> Iterator[Finding]:
    for _, item in all_items(index):
        if not item.value.get("references") and not item.value.get("basis"):
            yield r.finding(
                item.at("id"),
                f"item '{item.value.get('id')}' cites no reference and gives no basis",
                "add 'references: [...]' or 'basis: practice' (never invent a citation)",
            )


def _definition(reference: dict) -> tuple:
    """What a reference definition says about its document (everything but its id), in a fixed order."""
    return tuple(str(reference.get(field) or "").strip() for field in ("title", "publisher", "edition", "url"))


def _document(reference: dict) -> tuple:
    """Which document a definition names: its title, publisher and edition, compared without case or spacing."""
    return tuple(" ".join(part.split()).casefold() for part in _definition(reference)[:3])


def _described(reference: dict) -> str:
    return ", ".join(part for part in _definition(reference)[:3] if part)


@rule(
    "reference-identity",
    Severity.ERROR,
    "One document is cited under one id, and that id has one definition across the library and the overlays.",
    explanation=(
        "Each protocol declares the references its items cite. Across the library one document keeps one id "
        "(two ids with the same title, publisher and edition are refused) and an id means the same thing in "
        "every file (the same title, publisher, edition and url wherever it is declared), so a reader and "
        "an auditor find one source under one name. An overlay file that declares a law keeps the same rule."
    ),
    failing=(
        "# crowd.yaml\nreferences:\n  - {id: sgsa, title: SGSA stewarding guidance}\n"
        "# extra.yaml\nreferences:\n  - {id: sgsa-stewarding, title: SGSA stewarding guidance}\n"
    ),
    fixed=(
        "# crowd.yaml\nreferences:\n  - {id: sgsa, title: SGSA stewarding guidance}\n"
        "# extra.yaml\nreferences:\n  - {id: sgsa, title: SGSA stewarding guidance}\n"
    ),
)
def reference_identity(r: Rule, index: Index) -> Iterator[Finding]:
    first_by_id: dict[str, Entry] = {}
    first_by_document: dict[tuple, Entry] = {}
    for entry in _reference_definitions(index):
        reference, ref_id = entry.value, entry.value["id"]
        earlier = first_by_id.setdefault(ref_id, entry)
        if earlier is not entry and _definition(earlier.value) != _definition(reference):
            where = earlier.location
            yield r.finding(
                entry.at("id"),
                f"reference '{ref_id}' is defined differently in {where.file}:{where.line} "
                f"({_described(earlier.value)})",
                "give the id the same title, publisher, edition and url in every protocol and overlay",
            )
        same = first_by_document.setdefault(_document(reference), entry)
        if same.value.get("id") != ref_id:
            where = same.location
            yield r.finding(
                entry.at("id"),
                f"reference '{ref_id}' names the same document as '{same.value['id']}' "
                f"({where.file}:{where.line}): {_described(reference)}",
                f"cite it as '{same.value['id']}'",
            )


def _reference_definitions(index: Index) -> Iterator[Entry]:
    """Every reference declared under ``references:``: the library's protocols first, then the
    overlay files (a country's laws), so an overlay is measured against the library."""
    holders = [(p.document, p.path) for p in index.protocols()]
    holders += [(document, ()) for document in index.of_kind("overlay")]
    for document, path in holders:
        node = document.data
        for step in path:
            node = node[step]
        for position, reference in enumerate(node.get("references") or []):
            if isinstance(reference, dict) and isinstance(reference.get("id"), str):
                yield Entry(document, path + ("references", position), reference)
