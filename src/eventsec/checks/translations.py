"""Translation coverage: which items, lessons, roles and domains carry a language.

``eventsec validate --lang fr`` warns, with file:line, for each entry whose text would fall
back to English in a French plan, and prints coverage per kind of content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index

RULE = "translation"
NOUNS = {"critical items": "item", "other items": "item", "lessons": "lesson", "roles": "role", "domains": "domain"}


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


def _entries(index: Index) -> Iterator[tuple[str, Entry]]:
    """(kind, entry) for every translatable entry."""
    for _, item in index.items():
        yield ("critical items" if item.value.get("criticality") == "critical" else "other items"), item
    for lesson in index.lessons():
        yield "lessons", lesson
    for role in index.catalog_entries("roles"):
        yield "roles", role
    for domain in index.catalog_entries("domains"):
        yield "domains", domain


def untranslated_fields(entry: Entry, lang: str) -> list[str]:
    """The text fields ``entry`` has in English but not in ``lang``: each would print in English."""
    translated = (entry.value.get("translations") or {}).get(lang) or {}
    return [name for name in TEXT_FIELDS if entry.value.get(name) and not translated.get(name)]


def translation_findings(index: Index, lang: str) -> tuple[list[Finding], Coverage]:
    coverage = Coverage(lang)
    findings: list[Finding] = []
    if lang == "en":
        return findings, coverage
    for kind, entry in _entries(index):
        missing = untranslated_fields(entry, lang)
        coverage.add(kind, not missing)
        if missing:
            ident = entry.value.get("id")
            fields = ", ".join(missing)
            findings.append(
                Finding(
                    entry.at("id"),
                    RULE,
                    Severity.WARNING,
                    f"{NOUNS[kind]} '{ident}' has no {lang} {fields}; plans show {'it' if len(missing) == 1 else 'them'} in English",
                    f"add translations: {{{lang}: {{{missing[0]}: ...}}}}",
                )
            )
    return findings, coverage
