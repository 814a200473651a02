"""Assessment text as message keys: every figure and finding says itself from the catalogs, in
every language, and counts take the language's plural form."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from eventsec.assess.safety.assessment import SafetyAssessment, assess
from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.i18n.message import Message, Number
from eventsec.plan.resolve import resolve
from eventsec.render.build import render_plan
from eventsec.render.names import Names
from eventsec.render.report import build_report
from tests.conftest import ROOT

LANGUAGES = ("en", "fr", "ar", "es", "pt")
CATALOGS = {lang: json.loads((ROOT / "src/eventsec/i18n" / f"{lang}.json").read_text("utf-8")) for lang in LANGUAGES}
AS_OF = "2030-03-01"


@pytest.fixture(scope="module")
def workspace():
    loaded, _ = load_workspace(ROOT / "samples" / "wc2030")
    return loaded


def assessed(workspace, venue: str) -> tuple[SafetyAssessment, dict]:
    plan, findings = resolve(workspace, venue)
    assert plan is not None, findings
    return assess(plan), plan.venue


def messages(safety: SafetyAssessment) -> Iterator[Message]:
    """Every message a safety assessment carries, nested ones included."""
    top = [m for f in safety.figures for m in (f.title, f.amount())]
    top += [m for f in safety.findings for m in (f.summary, f.remedy)]
    for message in top:
        yield from _walk(message)


def _walk(message: Message) -> Iterator[Message]:
    yield message
    for value in message.params.values():
        for part in value if isinstance(value, tuple) else (value,):
            if isinstance(part, Message):
                yield from _walk(part)


def strings(value) -> Iterator[str]:
    """The text parameters of a message (not its nested messages or numbers)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for part in value:
            yield from strings(part)


def place_names(venue: dict) -> set[str]:
    geometry = venue.get("geometry") or {}
    return {
        str(place.get("name", place["id"]))
        for group in ("sections", "entrances", "exits", "holding_areas")
        for place in geometry.get(group) or []
    }


@pytest.mark.parametrize("venue", ["ma-rabat", "ma-agadir", "es-cartuja"])
def test_every_safety_message_is_a_key_of_every_catalog(workspace, venue):
    """A figure or finding that carried an English sentence (as a key, or as a text parameter
    other than a place's name or a match id) would fail here."""
    safety, venue_data = assessed(workspace, venue)
    names = place_names(venue_data) | {m["id"] for m in venue_data.get("matches") or []}  # ids, as written
    found = list(messages(safety))
    assert found and all(isinstance(m, Message) for m in found)
    for message in found:
        keys = {message.key} if message.key in CATALOGS["en"] else {f"{message.key}_one", f"{message.key}_other"}
        for lang in LANGUAGES:
            assert keys <= set(CATALOGS[lang]), (lang, message.key)
            Catalog(lang).message(message)  # formats with the parameters it has
        texts = [text for value in message.params.values() for text in strings(value)]
        assert set(texts) <= names, (message.key, texts)


def test_the_samples_exercise_findings(workspace):
    """The venues above include missed targets, so findings' messages are checked too."""
    assert any(assessed(workspace, v)[0].findings for v in ("ma-agadir", "es-cartuja"))


@pytest.mark.parametrize("lang", ["fr", "ar", "es", "pt"])
def test_figure_labels_are_said_in_the_language(workspace, lang):
    safety, _ = assessed(workspace, "ma-rabat")
    catalog = Catalog(lang)
    for figure in safety.figures:
        translated = catalog.message(figure.title)
        if (lang, figure.title.key) != ("fr", "safety_figure_ambulances"):  # the French word too
            assert translated != figure.label, figure.key
        for word in ("egress", "entry time", "density", "stewards", "doctors", "Safe capacity"):
            assert word not in translated, (figure.key, translated)


def test_english_labels_and_findings_keep_their_wording(workspace):
    safety, venue = assessed(workspace, "ma-agadir")
    labels = {figure.key: figure.label for figure in safety.figures}
    assert labels["stewards.mobile"] == "Mobile stewards"
    assert labels["capacity.safe"] == "Safe capacity"
    egress = next(f for f in safety.figures if f.key.startswith("egress."))
    section = next(s for s in venue["geometry"]["sections"] if s["id"] == egress.section)
    assert egress.label == f"{section.get('name', section['id'])} egress time"


@pytest.mark.parametrize(
    "lang, count, expected",
    [
        ("en", 1, "1 doctor"),
        ("en", 2, "2 doctors"),
        ("fr", 1, "1 médecin"),
        ("fr", 0, "0 médecin"),  # French counts zero as singular
        ("fr", 2, "2 médecins"),
        ("es", 1, "1 médico"),
        ("pt", 3, "3 médicos"),
        ("ar", 1, "1 طبيب"),
        ("ar", 3, "3 أطباء"),
    ],
)
def test_a_count_takes_the_plural_form_of_its_language(lang, count, expected):
    assert Catalog(lang).message(Message("safety_value_doctors", {"count": Number(count)})) == expected


def test_numbers_read_as_python_writes_them_in_english():
    """Babel alone rounds 0.35 up; the CLI has always printed Python's 0.3."""
    english = Catalog("en")
    for value in (0.35, 2.5, 1234.45, 56376.0, 6.749):
        assert english.number(value, 1) == f"{value:,.1f}"
        assert english.number(value) == f"{value:,.0f}"
    assert english.number(float("inf"), 1) == "∞"


def test_a_list_parameter_is_joined_in_the_language():
    fix = Message("safety_fix_capacity", {"safe": 1000, "sections": (("North", 12), ("South", 3400))})
    assert (
        Catalog("en").message(fix) == "cap ticket sales at 1,000 or fix the limiting sections (North 12, South 3,400)"
    )
    assert "(North 12، South 3.400)" in Catalog("ar").message(fix)


def _pdf_text(workspace, venue: str, lang: str) -> str:
    report, findings = build_report(workspace, venue, AS_OF, lang)
    assert report is not None, findings
    pages = PdfReader(io.BytesIO(render_plan(report).pdf)).pages
    return " ".join(" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in pages)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_plan_shows_safety_figures_and_findings_in_its_language(workspace, lang):
    plan, findings = resolve(workspace, "ma-agadir")
    assert plan is not None, findings
    safety, names, catalog = assess(plan), Names(plan, lang), Catalog(lang)
    text = _pdf_text(workspace, "ma-agadir", lang)
    # the sample's stands and gates carry translated names: the plan shows those in the figures
    shown = [catalog.message(names.message(f.title)) for f in safety.figures]
    shown += [catalog.message(names.message(f.remedy)) for f in safety.findings]
    for phrase in shown:
        phrase = " ".join(unicodedata.normalize("NFKC", phrase).split())
        if lang == "ar":  # Arabic: the Arabic word runs, in logical order
            words = [w for w in phrase.split() if all("\u0621" <= ch <= "\u064a" for ch in w)]
            assert words and all(w in text for w in words), phrase
        else:
            assert phrase in text, phrase
    for english in ("egress time", "Mobile stewards", "Crowd doctors", "add 1 turnstile"):
        assert english not in text
