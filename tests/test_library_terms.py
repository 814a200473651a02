"""The library's translations keep to the glossary of docs/i18n.md.

The glossary's last column lists rejected variants (`` `fr: L'action est close` ``). A planner
reading a French plan should meet one word for the control room, one closing sentence for
"Done when …"; so no translation in the built-in library, loaded through eventsec's own loader,
and no value of a catalog may use a rejected variant.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from eventsec.checks.validate import builtin_documents
from tests.conftest import ROOT

GLOSSARY = ROOT / "docs" / "i18n.md"
CATALOGS = ROOT / "src" / "eventsec" / "i18n"
LANGUAGES = ("fr", "ar", "es", "pt")
REJECTED_COLUMN = "Not to use"
VARIANT = re.compile(r"`(fr|ar|es|pt): ([^`]+)`")
ARABIC = re.compile(r"[\u0600-\u06FF]")
ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670]")


def _normal(text: str) -> str:
    """NFC, typographic apostrophes as ', no Arabic short vowels (مسؤولُ is مسؤول), runs of
    whitespace (folded YAML lines) as one space."""
    text = ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text).replace("\u2019", "'"))
    return " ".join(text.split())


def _glossary_rows(markdown: str) -> list[list[str]]:
    """Cells of the table under '## Glossary' (header first, separator dropped)."""
    section = markdown.split("\n## Glossary\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows if not set("".join(row)) <= set("-: ")]


def rejected_variants(markdown: str) -> dict[str, list[str]]:
    """Language -> rejected variants, from the glossary's 'Not to use' column."""
    header, *rows = _glossary_rows(markdown)
    column = header.index(REJECTED_COLUMN)
    found: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for row in rows:
        for lang, variant in VARIANT.findall(row[column]):
            found[lang].append(variant)
    return found


def variant_pattern(variant: str) -> re.Pattern[str]:
    """A whole word or phrase, any case; Arabic words also with a prefix attached (وال، ب…)."""
    before = "" if ARABIC.search(variant) else r"(?<!\w)"
    return re.compile(before + re.escape(_normal(variant)) + r"(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Text:
    """One translated text and where it is."""

    where: str
    lang: str
    text: str


def _translations(node: Any, path: tuple, ident: str | None) -> Iterator[tuple[tuple, str | None, str, str, str]]:
    """(data path, nearest id, lang, field, text) for every ``translations:`` text under ``node``."""
    if isinstance(node, dict):
        ident = node.get("id") if isinstance(node.get("id"), str) else ident
        for key, value in node.items():
            if key == "translations" and isinstance(value, dict):
                for lang, fields in value.items():
                    for field, text in (fields or {}).items():
                        for position, part in enumerate(text if isinstance(text, list) else [text]):
                            step = (position,) if isinstance(text, list) else ()
                            yield path + (key, lang, field) + step, ident, lang, field, str(part)
            else:
                yield from _translations(value, path + (key,), ident)
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from _translations(value, path + (position,), ident)


def library_texts() -> Iterator[Text]:
    for document in builtin_documents():
        for path, ident, lang, field, text in _translations(document.data, (), None):
            location = document.locate(path)
            yield Text(f"{location} {ident or document.data.get('id')} {lang}.{field}", lang, text)


def catalog_texts() -> Iterator[Text]:
    for lang in LANGUAGES:
        path = CATALOGS / f"{lang}.json"
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            yield Text(f"{path.relative_to(ROOT)} {key}", lang, value)


def violations(texts: Iterator[Text], rejected: dict[str, list[str]]) -> list[str]:
    patterns = {lang: [(v, variant_pattern(v)) for v in variants] for lang, variants in rejected.items()}
    found = []
    for text in texts:
        normal = _normal(text.text)
        for variant, pattern in patterns.get(text.lang, []):
            if pattern.search(normal):
                found.append(f"{text.where}: uses '{variant}'")
    return found


@pytest.fixture(scope="module")
def rejected() -> dict[str, list[str]]:
    return rejected_variants(GLOSSARY.read_text(encoding="utf-8"))


def test_glossary_has_the_key_terms_and_rejects_variants_in_every_language(rejected):
    header, *rows = _glossary_rows(GLOSSARY.read_text(encoding="utf-8"))
    assert header[:5] == ["English", "fr", "ar", "es", "pt"]
    assert len(rows) >= 30
    assert all(len(row) == len(header) and all(row[1:5]) for row in rows), "every term has fr, ar, es and pt"
    assert all(rejected[lang] for lang in LANGUAGES)


def test_variant_matches_whole_words_in_any_case_and_arabic_with_prefixes():
    assert variant_pattern("officier de sécurité").search("signé par l'Officier de sécurité du stade")
    assert not variant_pattern("torniquete").search("los torniquetes")
    assert not variant_pattern("contra incêndio").search("segurança contra incêndios")
    assert variant_pattern("قاعة القيادة").search("من بقاعة القيادة")
    assert variant_pattern("مسؤول السلامة في الملعب").search(_normal("يوقّعه مسؤولُ السلامة في الملعب"))


def test_violations_name_file_id_and_field():
    texts = [Text("protocols/x.yaml:3:5 X-001 fr.description", "fr", "L'action\n  est close lorsque…")]
    assert violations(iter(texts), {"fr": ["L'action est close"]}) == [
        "protocols/x.yaml:3:5 X-001 fr.description: uses 'L'action est close'"
    ]


def test_library_translations_use_no_rejected_variant(rejected):
    found = violations(library_texts(), rejected)
    assert not found, f"{len(found)} translations use a term the glossary rejects:\n" + "\n".join(found)


def test_catalogs_use_no_rejected_variant(rejected):
    found = violations(catalog_texts(), rejected)
    assert not found, f"{len(found)} catalog values use a term the glossary rejects:\n" + "\n".join(found)
