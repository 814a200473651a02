"""Interface strings of the plan in five languages, and locale formatting.

Catalogs are JSON files beside this module, one per language, with the same keys as
``en.json``. A key missing from a catalog falls back to English, so a new string never
breaks a render in another language.
"""

from __future__ import annotations

import functools
import json
import math
from decimal import Decimal
from importlib import resources
from typing import Any

from eventsec.i18n.message import Items, Message, Number, Translated
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
        return format_decimal(round(value, decimals), format=_pattern(decimals), locale=LOCALES[self.lang])

    def percent(self, value: float) -> str:
        """A whole percentage the language's way ("90%", "90 %"), ``value`` being 0–100."""
        from babel.numbers import format_percent

        return format_percent(round(value) / 100, locale=LOCALES[self.lang])

    def message(self, message: Message) -> str:
        """A :class:`Message` in this language: its plural form chosen, its values formatted."""
        values = {name: self._value(value) for name, value in message.params.items()}
        template = self.strings.get(self._plural_key(message.key, message.params.get("count")), message.key)
        return template.format(**values) if values else template

    def _plural_key(self, key: str, count: Any) -> str:
        """``key_<category>`` for the count's CLDR plural category (Babel's rule for the language)
        when the catalog has it, else ``key_other``; ``key`` itself when it has no plural forms.

        A Number is judged as it is written: "1.0 min" has a visible decimal, which English and
        French count as plural."""
        if count is None or f"{key}_other" not in self.strings:
            return key
        number = count.value if isinstance(count, Number) else count
        if not math.isfinite(number):
            return f"{key}_other"
        from babel import Locale

        decimals = count.decimals if isinstance(count, Number) else 0
        shown = Decimal(f"{abs(number):.{decimals}f}")
        category = Locale.parse(LOCALES[self.lang]).plural_form(shown)
        return f"{key}_{category}" if f"{key}_{category}" in self.strings else f"{key}_other"

    def quantity(self, value: float, decimals: int, unit: str) -> str:
        """A number with a CLDR unit, in the unit's short form for the language and the number's
        plural category ("8.0 mins" in British English, "8,0 min", "8,0 د"); infinity as ∞."""
        from babel.units import format_unit

        locale = LOCALES[self.lang]
        if math.isinf(value):
            return format_unit("∞", unit, length="short", locale=locale)
        shown = Decimal(f"{value:.{decimals}f}")  # as written, so "1.0" takes the plural "1.0 mins"
        return format_unit(shown, unit, length="short", format=_pattern(decimals), locale=locale)

    def _value(self, value: Any) -> str:
        if isinstance(value, Message):
            return self.message(value)
        if isinstance(value, Translated):
            return value.say(self.lang)
        if isinstance(value, Items):
            from babel.lists import format_list

            style = "or" if value.conjunction == "or" else "standard"
            return format_list([self._value(v) for v in value.values], style=style, locale=LOCALES[self.lang])
        if isinstance(value, Number) and value.unit:
            return self.quantity(value.value, value.decimals, value.unit)
        if isinstance(value, Number):
            return self.number(value.value, value.decimals)
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

    def month(self, iso: str) -> str:
        """A month written out in the language, for sources dated YYYY-MM (March 2026 · mars 2026)."""
        from datetime import date

        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", date.fromisoformat(f"{iso[:7]}-01"), locale=LOCALES[self.lang])


def _pattern(decimals: int) -> str:
    """Babel's number pattern: grouped thousands and exactly ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


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
