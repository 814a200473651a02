"""Interface strings of the plan in five languages, and locale formatting.

Catalogs are JSON files beside this module, one per language, with the same keys as
``en.json``. A key missing from a catalog falls back to English, so a new string never
breaks a render in another language.
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Any

from eventsec.i18n.message import Message, Number, Translated
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

    def level(self, name: str) -> str:
        """A release level or marking as a plan writes it: eventsec's default levels (public,
        internal, restricted, confidential) in the language; a tournament's own level names
        (``sensitivity_levels``) are its words and stay as written."""
        return self.strings.get(f"level_{name}", name)

    def language_name(self) -> str:
        """The language's own name for itself, from Babel (français, العربية, español…)."""
        from babel import Locale

        return Locale.parse(LOCALES[self.lang]).get_language_name(LOCALES[self.lang]) or self.lang

    def number(self, value: float, decimals: int = 0) -> str:
        """A number in the language's conventions (56,376 · 56 376 · 56.376); infinity as ∞.

        The value is rounded by Python first, so a figure reads the same as Python's own
        ``f"{value:,.1f}"`` would write it (Babel alone rounds the decimal text half-even)."""
        from babel.numbers import format_decimal

        if isinstance(value, float) and math.isinf(value):
            return "∞"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(round(value, decimals), format=pattern, locale=LOCALES[self.lang])

    def message(self, message: Message) -> str:
        """A :class:`Message` in this language: its plural form chosen, its values formatted."""
        values = {name: self._value(value) for name, value in message.params.items()}
        template = self.strings.get(self._plural_key(message.key, message.params.get("count")), message.key)
        return template.format(**values) if values else template

    def _plural_key(self, key: str, count: Any) -> str:
        """``key_<category>`` for the count when the catalog has plural forms of ``key``."""
        if count is None or f"{key}_other" not in self.strings:
            return key
        from babel import Locale

        number = count.value if isinstance(count, Number) else count
        category = Locale.parse(LOCALES[self.lang]).plural_form(abs(number)) if math.isfinite(number) else "other"
        return f"{key}_{category}" if f"{key}_{category}" in self.strings else f"{key}_other"

    def _value(self, value: Any) -> str:
        if isinstance(value, Message):
            return self.message(value)
        if isinstance(value, Number):
            return self.number(value.value, value.decimals)
        if isinstance(value, Translated):
            return value.say(self.lang)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.number(value)
        if isinstance(value, tuple):
            parts = (" ".join(map(self._value, v)) if isinstance(v, tuple) else self._value(v) for v in value)
            return ("، " if self.rtl else ", ").join(parts)
        return str(value)

    def date(self, iso: str) -> str:
        """A date written out in the language (1 March 2030 · 1 mars 2030 · 1 مارس 2030)."""
        from datetime import date

        from babel.dates import format_date

        return format_date(date.fromisoformat(iso[:10]), format="long", locale=LOCALES[self.lang])


@functools.cache
def catalog(lang: str) -> Catalog:
    """The (shared, unchanging) catalog of one language."""
    return Catalog(lang)


def english(message: Message) -> str:
    """A message as the CLI and the JSON outputs say it."""
    return catalog("en").message(message)


def _available(lang: str) -> dict[str, str]:
    try:
        return _catalog(lang)
    except FileNotFoundError:
        return {}
