"""The shared words have one home (eventsec.vocabulary); the schemas, the catalogs and the
bundled files that must list them too are checked against it, so a language or a document kind
is added in one place and the tests point at every other file that has to follow."""

from __future__ import annotations

import json

import pytest

from eventsec.load.resources import schemas_dir
from eventsec.vocabulary import (
    DOCUMENT_KINDS,
    LANGUAGES,
    RTL_LANGUAGES,
    WORKSPACE_KINDS,
    did_you_mean,
    truncate,
)


def _schema(kind: str) -> dict:
    return json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


def test_every_document_kind_has_a_schema_and_every_schema_a_kind():
    kinds = {path.name.removesuffix(".schema.json") for path in schemas_dir().glob("*.schema.json")}
    assert kinds - {"common", "plan"} == set(DOCUMENT_KINDS)
    assert set(WORKSPACE_KINDS) <= set(DOCUMENT_KINDS)


def test_the_schemas_list_the_languages_of_the_vocabulary():
    translations = _schema("common")["$defs"]["translations"]["propertyNames"]["enum"]
    plan_languages = _schema("tournament")["properties"]["languages"]["items"]["enum"]
    assert tuple(translations) == tuple(plan_languages) == LANGUAGES


def test_every_language_has_a_catalog_and_rtl_languages_are_languages():
    from importlib import resources

    catalogs = {
        p.name.removesuffix(".json")
        for p in (resources.files("eventsec") / "i18n").iterdir()
        if p.name.endswith(".json")
    }
    assert catalogs == set(LANGUAGES)
    assert set(LANGUAGES) >= RTL_LANGUAGES


@pytest.mark.parametrize(
    ("value", "known", "hint"),
    [("overlya", ["overlay", "venue"], "did you mean 'overlay'?"), ("zzz", ["overlay"], "")],
)
def test_did_you_mean_names_the_closest_word_or_nothing(value, known, hint):
    assert did_you_mean(value, known) == hint


def test_truncate_keeps_short_text_and_cuts_long_text_to_the_limit():
    assert truncate("short", 10) == "short"
    assert truncate("9" * 50, 10) == "9999999..."
    assert truncate("x" * 50, 10, "…") == "xxxxxxxxx…"
