"""Translation coverage: which protocols, parameters, items, lessons, roles, domains and
workspace names carry a language.

``eventsec validate --lang fr`` warns, with file:line, for each entry whose text would fall
back to English in a French plan, and prints coverage per kind of content: a protocol's title
and summary, a parameter's label, every prose field of an item (the library's and those
overlays add, and the text an overlay rewrites), a lesson, a role, a domain and a contingency. The workspace's
names count like library prose: the tournament's name and distribution list, each venue's
name, city and notes, and the name of each section, entrance, exit and holding area. Ids,
contacts (person names, phones, e-mails) and country names (Babel's, never written in YAML)
are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index

RULE = "translation"


@dataclass
class Coverage:
    """Translated / total, per kind of content, for one language."""

    lang: str
    counts: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, translated: bool) -> None:
        done, total = self.counts.setdefault(kind, [0, 0])
        self.counts[kind] = [done + int(translated), total + 1]

    def to_dict(self) -> dict:
        return {kind: {"translated": done, "total": total} for kind, (done, total) in self.counts.items()}

    def summary(self) -> str:
        parts = [
            f"{kind} {done}/{total} ({100 * done // total if total else 100}%)"
            for kind, (done, total) in self.counts.items()
        ]
        return f"translations ({self.lang}): " + ", ".join(parts)


TEXT_FIELDS = ("title", "name", "description", "evidence", "observation", "recommendation", "remit")
"""Fields a plan prints as prose, in the order a finding lists them (the schema's ``translations``
allows exactly these)."""

TOURNAMENT_FIELDS = ("name", "distribution")
VENUE_FIELDS = ("name", "city", "capacity_source", "illustrative")
MILESTONE_FIELDS = ("title",)
PLACE_FIELDS = ("name",)
SECTION_FIELDS = ("name", "factors_source")
"""Workspace fields a plan prints, as the venue and tournament schemas' ``translations`` allow."""

PLACES = {
    "sections": "section",
    "entrances": "entrance",
    "exits": "exit",
    "routes": "route",
    "holding_areas": "holding area",
}
"""Named geometry lists and what one entry is called in a finding."""


@dataclass(frozen=True)
class Translatable:
    """An entry whose ``fields`` a plan prints, how a finding names it, and where it points."""

    kind: str
    entry: Entry
    fields: tuple[str, ...]
    noun: str
    at_field: bool
    """Point at the first untranslated field (a workspace name, on its own line) rather than
    the entry's id (a library entry, whose fields span many lines)."""
    name: str | None = None
    """What a finding calls the entry when it has no id of its own (an overlay's ``fields``: its item's id)."""

    def describe(self) -> str:
        return f"{self.noun} '{self.name or self.entry.value.get('id') or self.entry.path[-1]}'"


RISK_FIELDS = ("hazard",)
"""A risk register's text: each risk's hazard (its heat-map id and table row)."""

CONTINGENCY_FIELDS = ("title", "trigger", "first_actions", "message")
"""What the contingency index prints of a contingency (its code word is the venue's, never translated)."""

PROTOCOL_FIELDS = ("title", "summary")
PARAMETER_FIELDS = ("label",)
"""A protocol's chapter title and summary, and a parameter's label (footnotes and conditions)."""


def _entries(index: Index) -> Iterator[Translatable]:
    """Every translatable entry: the library's, then the workspace's."""
    for protocol in index.protocols():
        yield Translatable("protocols", protocol, PROTOCOL_FIELDS, "protocol", False)
        for name, declaration in (protocol.value.get("parameters") or {}).items():
            if isinstance(declaration, dict) and declaration.get("label"):  # unlabelled: its key is shown
                entry = Entry(protocol.document, ("parameters", name), declaration)
                yield Translatable("parameters", entry, PARAMETER_FIELDS, "parameter", True)
    items = [item for _, item in index.items()] + [item for _, item in index.added_items()]
    for item in items:
        kind = "critical items" if item.value.get("criticality") == "critical" else "other items"
        yield Translatable(kind, item, TEXT_FIELDS, "item", False)
    yield from _rewritten_items(index)
    for lesson in index.lessons():
        yield Translatable("lessons", lesson, TEXT_FIELDS, "lesson", False)
    for role in index.catalog_entries("roles"):
        yield Translatable("roles", role, TEXT_FIELDS, "role", False)
    for domain in index.catalog_entries("domains"):
        yield Translatable("domains", domain, TEXT_FIELDS, "domain", False)
    for contingency in index.contingencies():
        yield Translatable("contingencies", contingency, CONTINGENCY_FIELDS, "contingency", False)
    yield from _workspace_entries(index)


def _rewritten_items(index: Index) -> Iterator[Translatable]:
    """Each overlay ``set`` that rewrites an item's prose: its ``fields`` carry their own
    ``translations`` (merged over the item's), or a plan in another language would print the
    library's translation of the text the overlay replaced."""
    for block in index.operation_blocks():
        for entry in block.entries("set"):
            fields = entry.value.get("fields")
            if isinstance(fields, dict) and any(fields.get(name) for name in TEXT_FIELDS):
                rewritten = Entry(entry.document, (*entry.path, "fields"), fields)
                name = str(entry.value.get("item"))
                yield Translatable("item changes", rewritten, TEXT_FIELDS, "change to item", True, name)


def _workspace_entries(index: Index) -> Iterator[Translatable]:
    for doc in index.tournaments():
        yield Translatable("tournament", Entry(doc, (), doc.data), TOURNAMENT_FIELDS, "tournament", True)
        for position, milestone in enumerate(doc.data.get("milestones") or []):
            if isinstance(milestone, dict) and milestone.get("title"):  # a standard one: the catalog names it
                entry = Entry(doc, ("milestones", position), milestone)
                yield Translatable("milestones", entry, MILESTONE_FIELDS, "milestone", True)
    for venue in index.venues():
        yield Translatable("venues", venue, VENUE_FIELDS, "venue", True)
        geometry = venue.value.get("geometry")
        for group, noun in PLACES.items():
            places = geometry.get(group) if isinstance(geometry, dict) else None
            for position, place in enumerate(places or []):
                if isinstance(place, dict) and place.get("name"):  # an unnamed place prints its id
                    entry = Entry(venue.document, ("geometry", group, position), place)
                    fields = SECTION_FIELDS if group == "sections" else PLACE_FIELDS
                    yield Translatable("venue places", entry, fields, noun, True)
    for register in index.of_kind("risk-register"):
        for position, risk in enumerate(register.data.get("risks") or []):
            yield Translatable("risks", Entry(register, ("risks", position), risk), RISK_FIELDS, "risk", True)


def untranslated_fields(entry: Entry, lang: str, fields: tuple[str, ...] = TEXT_FIELDS) -> list[str]:
    """The text fields ``entry`` has in English but not in ``lang``: each would print in English.

    A translated list (a distribution list) counts only with one entry per English entry."""
    translated = (entry.value.get("translations") or {}).get(lang) or {}
    return [
        name for name in fields if entry.value.get(name) and not _translates(entry.value[name], translated.get(name))
    ]


def _translates(english: object, translated: object) -> bool:
    if isinstance(english, list):
        return isinstance(translated, list) and len(translated) == len(english) and all(translated)
    return bool(translated)


def translation_findings(index: Index, lang: str) -> tuple[list[Finding], Coverage]:
    coverage = Coverage(lang)
    findings: list[Finding] = []
    if lang == "en":
        return findings, coverage
    for entry in _entries(index):
        missing = untranslated_fields(entry.entry, lang, entry.fields)
        coverage.add(entry.kind, not missing)
        if missing:
            fields = ", ".join(missing)
            findings.append(
                Finding(
                    entry.entry.at(missing[0] if entry.at_field else "id"),
                    RULE,
                    Severity.WARNING,
                    f"{entry.describe()} has no {lang} {fields}; plans show {'it' if len(missing) == 1 else 'them'} in English",
                    f"add translations: {{{lang}: {{{missing[0]}: ...}}}}",
                )
            )
    return findings, coverage
