"""Proper names in the plan's language: the tournament, the venue, its city and country, and
each section, entrance, exit, holding area and exit route.

A name takes its ``translations`` text in the plan's language when the YAML has one and its
English otherwise (``validate --lang`` lists what is missing). A country is never written in
YAML beyond its ISO code: its name is Babel's territory name in the plan's locale, so an
Arabic plan says "الرباط، المغرب" rather than mixing an Arabic comma with an English name.

The safety assessment is made once, in English terms, for every language: its figure labels
and findings carry section and gate names as plain Message parameters. :meth:`Names.message`
swaps each such name for the plan language's text before the catalog formats the message.
"""

from __future__ import annotations

from typing import Any

from eventsec.i18n.message import Message
from eventsec.plan.model import Plan
from eventsec.vocabulary import LOCALES

PLACE_GROUPS = ("sections", "entrances", "exits", "holding_areas", "routes")
"""Geometry lists whose entries have a translatable name (posts have a location, not a name)."""


def country_name(code: str, lang: str) -> str:
    """The country of ISO code ``code`` as the plan's language names it (the code when Babel
    has no name for it)."""
    from babel import Locale

    return Locale.parse(LOCALES[lang]).territories.get(code, code)


def localized(entry: dict, field: str, lang: str) -> Any:
    """``entry[field]`` in ``lang``: its translation when present, else the English value.

    A translated list (a distribution list) is used only with one entry per English entry,
    so a recipient is never dropped or shifted."""
    english = entry.get(field)
    translated = ((entry.get("translations") or {}).get(lang) or {}).get(field)
    if isinstance(english, list):
        return translated if isinstance(translated, list) and len(translated) == len(english) else english
    return translated or english


class Names:
    """The plan's names in one language."""

    def __init__(self, plan: Plan, lang: str) -> None:
        self.plan, self.lang = plan, lang
        self.places = self._place_names()

    def _place_names(self) -> dict[str, str]:
        """English name → name in the plan's language, for every named place of the venue."""
        geometry = self.plan.venue.get("geometry") or {}
        names: dict[str, str] = {}
        for group in PLACE_GROUPS:
            for place in geometry.get(group) or []:
                if place.get("name"):
                    names[place["name"]] = localized(place, "name", self.lang)
        return names

    def tournament(self) -> str:
        return localized(self.plan.tournament, "name", self.lang) or ""

    def distribution(self) -> list[str]:
        return localized(self.plan.tournament, "distribution", self.lang) or []

    def venue(self) -> str:
        return localized(self.plan.venue, "name", self.lang) or self.plan.venue["id"]

    def venue_field(self, field: str) -> str:
        """A venue text (city, capacity_source, illustrative) in the plan's language."""
        return localized(self.plan.venue, field, self.lang) or ""

    def country(self) -> str:
        code = self.plan.venue.get("country")
        return country_name(code, self.lang) if code else ""

    def place(self, entry: dict) -> str:
        """A section's, entrance's, exit's, holding area's or route's name; its id when it has none."""
        return localized(entry, "name", self.lang) or entry["id"]

    def text(self, english: str) -> str:
        """A place the safety assessment names by its English name (or its id), such as a
        route's narrowest element, in the plan's language."""
        return self.places.get(english, english)

    def message(self, message: Message) -> Message:
        """``message`` with every place name among its parameters in the plan's language."""
        return Message(message.key, {key: self._value(value) for key, value in message.params.items()})

    def _value(self, value: Any) -> Any:
        if isinstance(value, Message):
            return self.message(value)
        if isinstance(value, tuple):
            return tuple(self._value(v) for v in value)
        if isinstance(value, str):
            return self.places.get(value, value)
        return value
