"""The page machinery: outline and contents links land on their heading's page, in every
language and release; the outline opens in the viewer's panel; page X of Y; the creation date."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable

import arabic_reshaper
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject
from reportlab.platypus import PageBreak, Paragraph

from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.render.build import render_plan
from eventsec.render.document import PageText, PlanDocument
from eventsec.render.fonts import register_fonts
from eventsec.render.report import build_report
from eventsec.render.styles import make_styles
from eventsec.vocabulary import DEFAULT_RELEASE_LEVELS
from tests.conftest import ROOT

AS_OF = "2030-03-01"
VENUE = "ma-rabat"
LANGS = ("en", "fr", "ar", "es", "pt")
HEADING_SIZE = 13
"""Points: chapter (17) and section (13) headings are drawn this size or larger, the contents smaller."""


@pytest.fixture(scope="module")
def workspace():
    loaded, _ = load_workspace(ROOT / "samples" / "wc2030")
    return loaded


@pytest.fixture(scope="module")
def lowest(workspace) -> str:
    return (workspace.tournament.data.get("sensitivity_levels") or DEFAULT_RELEASE_LEVELS)[0]


class Plan:
    """A rendered plan with each page's drawn strings read once."""

    def __init__(self, pdf: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(pdf))
        self._fragments: dict[int, list[tuple[float, float, float, str]]] = {}

    def fragments(self, index: int) -> list[tuple[float, float, float, str]]:
        """(x, y, size, text) of every string drawn on a page, in page coordinates."""
        if index not in self._fragments:
            found = []

            def visit(text, cm, tm, font, size):
                if text.strip():
                    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    found.append((x, y, size * tm[3] * cm[3], text))

            self.reader.pages[index].extract_text(visitor_text=visit)
            self._fragments[index] = found
        return self._fragments[index]

    def headings_on(self, index: int) -> str:
        """The text a page draws at heading size, folded (a heading wrapped on two lines reads as one)."""
        return fold(" ".join(text for _x, _y, size, text in self.fragments(index) if size >= HEADING_SIZE - 0.1))


@pytest.fixture(scope="module")
def plan(workspace) -> Callable[[str, str | None], Plan]:
    """One plan per language and release, rendered once for the whole module."""
    cache: dict[tuple[str, str | None], Plan] = {}

    def render(lang: str, release: str | None) -> Plan:
        if (lang, release) not in cache:
            report, findings = build_report(workspace, VENUE, AS_OF, lang, release=release)
            assert report is not None, findings
            cache[lang, release] = Plan(render_plan(report).pdf)
        return cache[lang, release]

    return render


def fold(text: str) -> str:
    """Text shaped as the renderer shapes Arabic (which drops the harakat), then presentation
    forms back to letters and whitespace folded, so a title and its drawn heading compare."""
    return " ".join(unicodedata.normalize("NFKC", arabic_reshaper.reshape(text)).split())


def outline_entries(reader: PdfReader, entries=None) -> list[tuple[str, int]]:
    """(title, page index) of every outline entry, nested ones included, in document order."""
    found = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            found += outline_entries(reader, entry)
        else:
            found.append((fold(entry.title), reader.get_destination_page_number(entry)))
    return found


def link_target(reader: PdfReader, annotation) -> int | None:
    """The page index an internal link goes to (a /Dest array or a GoTo action)."""
    dest = annotation.get("/Dest")
    action = annotation.get("/A")
    if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
        dest = action.get_object()["/D"]
    if isinstance(dest, str) or (dest is not None and not isinstance(dest.get_object(), ArrayObject)):
        dest = reader.named_destinations[str(dest)]
        return reader.get_destination_page_number(dest)
    if dest is None:
        return None
    return reader.get_page_number(dest.get_object()[0].get_object())


def contents_links(plan: Plan) -> list[tuple[str, str, int]]:
    """(heading text, printed page number, target page index) of every internal link, read from
    the contents row the link sits on."""
    links = []
    for index, page in enumerate(plan.reader.pages):
        for annotation in [a.get_object() for a in page.get("/Annots") or []]:
            target = link_target(plan.reader, annotation) if annotation.get("/Subtype") == "/Link" else None
            if target is None:
                continue
            drawn = plan.fragments(index)
            _x0, y0, _x1, y1 = map(float, annotation["/Rect"])
            row = fold(" ".join(text for x, y, _size, text in sorted(drawn) if y0 - 1 <= y <= y1 + 1))
            title = row.strip(" .0123456789")
            number = re.sub(re.escape(title), " ", row).replace(".", " ").split()
            links.append((title, " ".join(number), target))
    return links


@pytest.mark.parametrize("release", [None, "lowest"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_outline_entry_opens_the_page_of_its_heading(plan, lowest, lang, release):
    shown = plan(lang, lowest if release else None)
    entries = outline_entries(shown.reader)
    assert len(entries) >= 8, entries
    wrong = [
        (title, target + 1, [i + 1 for i in range(len(shown.reader.pages)) if title in shown.headings_on(i)])
        for title, target in entries
        if title not in shown.headings_on(target)
    ]
    assert not wrong, f"(heading, page it opens, pages it is on): {wrong}"


@pytest.mark.parametrize("release", [None, "lowest"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_contents_link_opens_the_page_of_its_heading_and_says_its_number(plan, lowest, lang, release):
    shown = plan(lang, lowest if release else None)
    links = contents_links(shown)
    titles = [title for title, _page in outline_entries(shown.reader)]
    assert {title for title, _number, _target in links} == set(titles), "one contents row per outline entry"
    for title, number, target in links:
        assert title in shown.headings_on(target), (title, target + 1)
        assert number == str(target + 1), (title, number, target + 1)


def test_the_outline_opens_in_the_viewers_panel(plan):
    assert plan("en", None).reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_page_x_of_y_counts_the_pages_of_a_plan_without_contents_entries():
    """Nothing for the contents to wait for: the page total alone asks for a second pass."""
    fonts = register_fonts(None)
    catalog = Catalog("en")
    text = PageText(
        "header",
        "PUBLIC",
        "v1",
        lambda page, pages: catalog.t("footer_page", page=page, pages=pages),
        fonts.regular,
        fonts.bold,
        False,
        str,
    )
    style = make_styles(fonts).body
    buffer = io.BytesIO()
    document = PlanDocument(buffer, {}, text, AS_OF)
    document.multiBuild(
        [Paragraph("cover", style), PageBreak(), Paragraph("two", style), PageBreak(), Paragraph("three", style)]
    )
    pages = [page.extract_text() for page in PdfReader(buffer).pages]
    assert len(pages) == 3
    assert "Page 2 of 3" in pages[1] and "Page 3 of 3" in pages[2]


def test_the_creation_date_is_the_as_of_date_unless_source_date_epoch_is_set(workspace, lowest, monkeypatch):
    report, _ = build_report(workspace, VENUE, AS_OF, "en", release=lowest)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = render_plan(report).pdf, render_plan(report).pdf
    assert first == second
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"] == "D:20300301000000+00'00'"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    assert PdfReader(io.BytesIO(render_plan(report).pdf)).metadata["/CreationDate"] == "D:20300101000000+00'00'"
