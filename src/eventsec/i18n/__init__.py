"""Interface strings of the plan in five languages, and locale formatting.

Catalogs are JSON files beside this module, one per language, with the same keys as
``en.json``. A key missing from a catalog falls back to English, so a new string never
breaks a render in another language.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

LANGUAGES = ("en", "fr", "ar", "es", "pt")
RTL_LANGUAGES = frozenset({"ar"})


@functools.cache
def _catalog(lang: str) -> dict[str, str]:
    text = (resources.files("eventsec") / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
    return json.loads(text)


class Catalog:
    """Strings for one language: ``t(key, **values)`` formats the translated template."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self.rtl = lang in RTL_LANGUAGES
        self.strings = {**_catalog("en"), **_available(lang)}

    def t(self, key: str, **values: Any) -> str:
        template = self.strings.get(key, key)
        return template.format(**values) if values else template


def _available(lang: str) -> dict[str, str]:
    try:
        return _catalog(lang)
    except FileNotFoundError:
        return {}
