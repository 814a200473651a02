"""Words every stage shares, each kept once: the languages a plan is written in, the document
kinds, the default release levels, and the two ways a message quotes a user's value (a
did-you-mean hint and a value cut to fit one line).

It sits below every stage and imports none of them, so loading, checks, resolve, release,
render and the CLI all read the same lists.
"""

from __future__ import annotations

from collections.abc import Iterable

LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_MA", "es": "es_ES", "pt": "pt_PT"}
"""Each plan language and the Babel locale its numbers and dates are formatted in: Moroccan
Arabic keeps Latin digits, matching ids and gate numbers. A new language is a line here and a
catalog ``i18n/<lang>.json`` (CONTRIBUTING.md)."""

LANGUAGES = tuple(LOCALES)
"""Languages a plan renders in, in the order the docs and ``--lang all`` list them."""

RTL_LANGUAGES = frozenset({"ar"})
"""Languages written right to left."""

DOCUMENT_KINDS = (
    "protocol",
    "lessons",
    "catalog",
    "contingencies",
    "tournament",
    "overlay",
    "venue",
    "status",
    "risk-register",
)
"""Every ``kind:`` a YAML document may declare; each has ``schemas/<kind>.schema.json``."""

WORKSPACE_KINDS = ("venue", "overlay", "status", "risk-register")
"""Kinds that belong to one workspace (they name its venues), never to a shared library."""

DEFAULT_RELEASE_LEVELS = ("public", "internal", "restricted", "confidential")
"""Release levels, lowest first, for a tournament that declares no ``sensitivity_levels``."""

STANDARD_MILESTONES = (
    "draw",
    "ticket-on-sale",
    "accreditation-opening",
    "test-event",
    "venue-handover",
    "team-arrivals",
)
"""Milestones every tournament has, in the order they usually fall: the library's items may be
due before them, and the catalogs name them in each language (``milestone_<id>``). A
tournament's own milestones need a ``title``."""


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """A "did you mean 'x'?" hint for the closest known word, or the empty string."""
    import difflib  # only when a hint is needed: the CLI imports this module at start-up

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def truncate(text: str, limit: int, ellipsis: str = "...") -> str:
    """``text`` cut to at most ``limit`` characters, ending with ``ellipsis`` when cut: a
    message quotes a user's value without letting a 5,000-digit number fill the terminal."""
    return text if len(text) <= limit else text[: limit - len(ellipsis)] + ellipsis
