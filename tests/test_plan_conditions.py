"""Conditions said as sentences: every form the expression grammar allows, in every language,
from the parsed expression (never evaluated), with parameters named by their labels."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from eventsec.i18n import Catalog
from eventsec.i18n.message import Items, Message, Translated
from eventsec.plan.conditions import describe
from eventsec.plan.expressions import ExpressionError
from tests.conftest import ROOT

LANGUAGES = ("en", "fr", "ar", "es", "pt")
CODE = re.compile(r"\b(venue|match|tournament|country)\.\w|==|!=|'|_|\bexpression\b")
"""What would show a condition was quoted rather than said: a dotted fact, an operator, a quote."""
CATALOGS = {lang: json.loads((ROOT / "src/eventsec/i18n" / f"{lang}.json").read_text("utf-8")) for lang in LANGUAGES}


def english(expression: str, labels: dict | None = None) -> str:
    return Catalog("en").message(describe(expression, labels))


def library_conditions() -> list[str]:
    """Every ``applies_when`` of the built-in library."""
    found = set()
    for path in sorted(Path(ROOT / "protocols").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")).get("items") or []:
            if item.get("applies_when"):
                found.add(str(item["applies_when"]))
    return sorted(found)


@pytest.mark.parametrize(
    "expression, sentence",
    [
        ("match.stage == 'final'", "Applies only when the match stage is the final."),
        ("'final' == match.stage", "Applies only when the match stage is the final."),
        ("match.stage != 'group'", "Applies only when the match stage is not the group stage."),
        ("venue.capacity < 20000", "Applies only when the venue’s capacity is below 20,000."),
        ("venue.capacity <= 20000", "Applies only when the venue’s capacity is at most 20,000."),
        ("venue.capacity > 20000", "Applies only when the venue’s capacity is above 20,000."),
        ("venue.capacity >= 20000", "Applies only when the venue’s capacity is at least 20,000."),
        ("20000 <= venue.capacity", "Applies only when the venue’s capacity is at least 20,000."),
        (
            "20000 <= venue.capacity < 60000",
            "Applies only when the venue’s capacity is at least 20,000 and the venue’s capacity is below 60,000.",
        ),
        (
            "match.stage in ['opening', 'final']",
            "Applies only when the match stage is the opening match or the final.",
        ),
        ("venue.features.roof not in ['open']", "Applies only when the roof is other than open."),
        ("venue.features.fan_zone", "Applies only when the venue has a fan zone."),
        ("venue.features.fan_zone == True", "Applies only when the venue has a fan zone."),
        (
            "not venue.features.rail_link",
            "Applies only when it is not the case that the venue has a rail link.",
        ),
        (
            "venue.features.fan_zone and match.risk == 'high'",
            "Applies only when the venue has a fan zone and the match risk is high.",
        ),
        (
            "match.risk == 'high' or match.stage == 'semi-final' or match.stage == 'final'",
            "Applies only when the match risk is high or the match stage is the semi-finals or the final.",
        ),
        (
            "venue.features.fan_zone and (match.risk == 'high' or match.stage == 'final')",
            "Applies only when the venue has a fan zone and either the match risk is high or the match stage "
            "is the final.",
        ),
        (
            "venue.features.heat_risk != 'low' and venue.features.heat_risk != 'medium'",
            "Applies only when the heat risk is other than low or medium.",
        ),
        ("venue.country == 'MA'", "Applies only when the venue’s country is Morocco."),
        ("venue.features.roof", "Applies only when the roof is given."),
        ("match.expected_attendance > -1", "Applies only when the expected attendance is above -1."),
        (
            "ceil(venue.capacity / 250) >= max(10, floor(2.5 * 4)) - 1 + abs(round(3.5))",
            "Applies only when the venue’s capacity divided by 250 rounded up is at least the highest of 10 and "
            "2.5 times 4 rounded down minus 1 plus the absolute value of 3.5 rounded.",
        ),
        ("min(venue.capacity, 5) > 2", "Applies only when the lowest of the venue’s capacity and 5 is above 2."),
        ("'north' in venue.tags", "Applies only when venue.tags includes 'north'."),
        ("venue.capacity % 2 == 0", "Applies only when the value of venue.capacity % 2 is 0."),
        ("venue.features.custom == 'x'", "Applies only when venue.features.custom is 'x'."),
        ("True", "Applies in every case."),
        ("False", "Applies in no case."),
    ],
)
def test_each_form_of_the_grammar_reads_as_a_sentence(expression, sentence):
    assert english(expression) == sentence


def test_a_parameter_is_named_by_its_label_in_the_language():
    labels = {"doctor_threshold": Translated("crowd doctor threshold", (("fr", "seuil du médecin"),))}
    message = describe("venue.capacity > doctor_threshold", labels)
    assert Catalog("en").message(message) == "Applies only when the venue’s capacity is above crowd doctor threshold."
    assert Catalog("fr").message(message) == "S’applique uniquement si la capacité du stade dépasse seuil du médecin."
    assert english("venue.capacity > doctor_threshold") == (
        "Applies only when the venue’s capacity is above doctor threshold."  # no label: the key with spaces
    )


@pytest.mark.parametrize(
    "lang, sentence",
    [
        ("fr", "S’applique uniquement si la phase du match est le match d’ouverture ou la finale."),
        ("ar", "ينطبق فقط عندما قيمة مرحلة المباراة هي المباراة الافتتاحية أو النهائي."),
        ("es", "Se aplica solo si la fase del partido es el partido inaugural o la final."),
        ("pt", "Aplica-se apenas nos casos em que a fase do jogo é o jogo de abertura ou a final."),
    ],
)
def test_the_sentence_is_in_the_plans_language(lang, sentence):
    assert Catalog(lang).message(describe("match.stage == 'opening' or match.stage == 'final'")) == sentence


def messages(message: Message) -> Iterator[Message]:
    yield message
    for value in message.params.values():
        parts = value.values if isinstance(value, Items) else value if isinstance(value, tuple) else (value,)
        for part in parts:
            if isinstance(part, Message):
                yield from messages(part)


@pytest.mark.parametrize("expression", library_conditions())
def test_every_library_condition_is_said_in_words_of_every_catalog(expression):
    """No code left in the sentence of a library condition, and every key in all five catalogs."""
    message = describe(expression)
    for part in messages(message):
        assert all(part.key in CATALOGS[lang] for lang in LANGUAGES), part.key
    sentence = Catalog("en").message(message)
    assert not CODE.search(sentence), (expression, sentence)


def test_the_library_has_conditions_to_check():
    assert len(library_conditions()) >= 10


def test_describing_never_evaluates():
    """A name no context has, a division by zero and a huge power are described, not computed."""
    assert english("unknown_name > 1 / 0") == "Applies only when unknown name is above 1 divided by 0."
    assert "2 ** 10" in english("venue.capacity > 2 ** 10")


def test_an_expression_the_grammar_refuses_is_an_error():
    with pytest.raises(ExpressionError):
        describe("match.pop('risk')")


@pytest.mark.parametrize(("path", "schema_property"), [(("match", "stage"), "stage"), (("match", "risk"), "risk")])
def test_the_values_with_words_are_exactly_those_the_venue_schema_allows(path, schema_property):
    """A stage or risk level added to the schema needs its words here (and in every catalog)."""
    from eventsec.plan.conditions import VALUES

    schema = json.loads((ROOT / "schemas" / "venue.schema.json").read_text("utf-8"))
    allowed = schema["properties"]["matches"]["items"]["properties"][schema_property]["enum"]
    prefix, values = VALUES[path]
    assert values == set(allowed)
    for lang, strings in CATALOGS.items():
        assert all(prefix + value.replace("-", "_") in strings for value in values), lang
