"""Text as data: a catalog key and its parameters, said in a language only when shown.

The assessment and diff stages return :class:`Message` values instead of English sentences, so
the CLI (English) and a plan in any of the five languages say the same thing from the same
catalog entry. :meth:`eventsec.i18n.Catalog.message` formats one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Number:
    """A number to write in the reader's conventions, with a fixed count of decimals."""

    value: float
    decimals: int = 0
    unit: str | None = None
    """A CLDR unit such as ``duration-minute``: the number is then written with the unit's
    word in the reader's language and plural form (Babel's ``format_unit``: "6.7 min",
    "6,7 د"). Units CLDR does not know (stewards, doctors) are catalog plurals instead."""

    def plain(self) -> float | int | str:
        """The value for JSON: ``inf`` as a string, whole numbers as ints."""
        if math.isinf(self.value):
            return "inf"
        return round(self.value, self.decimals) if self.decimals else round(self.value)


@dataclass(frozen=True)
class Translated:
    """Content text (an item's title, a venue's name, a parameter's label) with the translations
    its file gives: said in the reader's language where the content has it, else as written.
    JSON and the CLI keep ``text``. Translations are kept as sorted pairs so the value stays
    hashable and compares equal however it was built."""

    text: str
    translations: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        pairs = self.translations.items() if isinstance(self.translations, Mapping) else self.translations
        object.__setattr__(self, "translations", tuple(sorted((str(k), str(v)) for k, v in pairs)))

    @classmethod
    def of(cls, record: Any, name: str) -> Translated:
        """Field ``name`` of a content record (a mapping with ``translations: {fr: {name: …}}``)."""
        if not isinstance(record, Mapping):
            return cls("")
        by_language = record.get("translations") if isinstance(record.get("translations"), Mapping) else {}
        return cls(
            str(record.get(name, "")),
            {
                lang: str(texts[name])
                for lang, texts in by_language.items()
                if isinstance(texts, Mapping) and isinstance(texts.get(name), str) and texts[name]
            },
        )

    def say(self, lang: str) -> str:
        return dict(self.translations).get(lang) or self.text


@dataclass(frozen=True)
class Items:
    """Values listed the language's way, "a, b and c" or "a, b or c" (Babel's list patterns)."""

    values: tuple
    conjunction: str = "and"
    """``and`` or ``or``."""


@dataclass(frozen=True)
class Message:
    """A catalog key and the values its template names.

    A parameter is text (kept as is), a :class:`Translated` text, :class:`Items`, a :class:`Number` or int
    (written in the language's number format), another Message (said in the same language) or a tuple of these (a list,
    joined the language's way; a tuple inside it is one entry whose parts are joined by
    spaces). A ``count`` parameter picks the plural form: the catalog holds ``key_other`` and
    any of the language's other CLDR plural categories it needs (``key_one``; Arabic also
    ``key_zero``, ``key_two``, ``key_few``, ``key_many``), and the language's rule chooses."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"key": self.key, "params": {name: _plain(value) for name, value in self.params.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, Translated):
        return value.text
    if isinstance(value, Number):
        return value.plain()
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, Items):
        return [_plain(v) for v in value.values]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
