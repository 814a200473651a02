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

from eventsec.vocabulary import LANGUAGES, LOCALES, RTL_LANGUAGES


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

    def number(self, value: float, decimals: int = 0) -> str:
        """A number in the language's conventions (56,376 · 56 376 · 56.376)."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=LOCALES[self.lang])

    def date(self, iso: str) -> str:
        """A date written out in the language (1 March 2030 · 1 mars 2030 · 1 مارس 2030)."""
        from datetime import date

        from babel.dates import format_date

        return format_date(date.fromisoformat(iso[:10]), format="long", locale=LOCALES[self.lang])


def _available(lang: str) -> dict[str, str]:
    try:
        return _catalog(lang)
    except FileNotFoundError:
        return {}
