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


def _entries(index: Index) -> Iterator[tuple[str, Entry, str]]:
    """(kind, entry, field that must be translated) for every translatable entry."""
    for _, item in index.items():
        yield ("critical items" if item.value.get("criticality") == "critical" else "other items"), item, "title"
    for lesson in index.lessons():
        yield "lessons", lesson, "title"
    for role in index.catalog_entries("roles"):
        yield "roles", role, "title"
    for domain in index.catalog_entries("domains"):
        yield "domains", domain, "title"


def translation_findings(index: Index, lang: str) -> tuple[list[Finding], Coverage]:
    coverage = Coverage(lang)
    findings: list[Finding] = []
    if lang == "en":
        return findings, coverage
    for kind, entry, needed in _entries(index):
        translated = bool((entry.value.get("translations") or {}).get(lang, {}).get(needed))
        coverage.add(kind, translated)
        if not translated:
            ident = entry.value.get("id")
            findings.append(
                Finding(
                    entry.at("id"),
                    RULE,
                    Severity.WARNING,
                    f"{NOUNS[kind]} '{ident}' has no {lang} {needed}; plans show it in English",
                    f"add translations: {{{lang}: {{{needed}: ...}}}}",
                )
            )
    return findings, coverage
