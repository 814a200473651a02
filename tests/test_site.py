"""The readiness site's pages: what they show, in which order, in which language and direction,
that they reach nothing outside the site and that the same inputs give the same bytes.

The WC 2030 sample is built once (English and Arabic) and every test reads that site."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eventsec.assess.readiness.overview import tournament_readiness
from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.site.build import SiteRequest, build_site
from tests.conftest import ROOT

WC2030 = ROOT / "samples" / "wc2030"
AFCON = ROOT / "samples" / "afcon2025"
AS_OF = "2030-05-01"


class Page(HTMLParser):
    """A page as elements (tag, attributes, text inside) in document order."""

    VOID = frozenset({"meta", "link", "input", "br", "img", "rect", "path", "line", "circle", "polyline"})

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def all(self, tag: str, **attrs: str) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())]

    def one(self, tag: str, **attrs: str) -> dict:
        (found,) = self.all(tag, **attrs)
        return found


def page(site: Path, name: str) -> Page:
    return Page((site / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workspace():
    loaded, _ = load_workspace(WC2030)
    return loaded


@pytest.fixture(scope="module")
def site(workspace, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    (out / "wc2030-ma-tanger-en.pdf").write_bytes(b"%PDF-1.7\n")  # as `render` would have named it
    (out / "en" / "venues").mkdir(parents=True)
    (out / "en" / "venues" / "gone.html").write_text("<p>a venue no longer in the workspace</p>", encoding="utf-8")
    result = build_site(workspace, SiteRequest(WC2030, out, AS_OF, ("en", "ar")))
    assert result.failures == []
    assert result.removed == ["en/venues/gone.html"]
    return out


def test_every_page_and_asset_exists(site, workspace):
    venues = sorted(workspace.venues())
    for lang in ("en", "ar"):
        assert sorted(p.stem for p in (site / lang / "venues").glob("*.html")) == venues
        assert (site / lang / "index.html").is_file()
        assert (site / lang / "search-index.js").is_file()
    assert (site / "assets" / "site.css").is_file() and (site / "assets" / "site.js").is_file()
    chooser = page(site, "index.html")
    assert [a["attrs"]["href"] for a in chooser.all("a")] == ["en/index.html", "ar/index.html"]
    assert chooser.one("a", href="ar/index.html")["text"] == "العربية"


def test_a_stale_venue_page_is_removed_and_nothing_half_written_is_left(site):
    assert not (site / "en" / "venues" / "gone.html").exists()
    assert [p.name for p in site.rglob("*.part")] == []
    assert (site / "wc2030-ma-tanger-en.pdf").is_file()  # a PDF rendered into the folder stays


def test_the_tournament_table_lists_every_venue_worst_first_with_its_verdict_word(site, workspace):
    expected, _ = tournament_readiness(workspace, AS_OF)  # the order `eventsec status` prints
    tournament = page(site, "en/index.html")
    rows = [r for r in tournament.all("tr") if "data-venue" in r["attrs"]]
    assert [r["attrs"]["data-venue"] for r in rows] == [v.venue for v in expected]
    assert [r["attrs"]["data-verdict"] for r in rows] == [v.verdict for v in expected]
    words = {v.verdict: Catalog("en").t(f"verdict_{v.verdict}") for v in expected}
    for row, venue in zip(rows, expected, strict=True):
        assert words[venue.verdict] in row["text"]
        assert row["attrs"]["data-country"] == venue.venue[:2].upper()  # the samples' ids start with it
    arabic = page(site, "ar/index.html")
    verdicts = [e["text"] for e in arabic.elements if "verdict" in e["attrs"].get("class", "").split()]
    assert verdicts[0] == Catalog("ar").t(f"verdict_{expected[0].verdict}") != words[expected[0].verdict]


def test_filters_and_their_data_are_on_the_tournament_page(site):
    tournament = page(site, "en/index.html")
    for name in ("filter-country", "filter-verdict", "filter-domain"):
        options = [o["attrs"]["value"] for o in _children(tournament, "select", name)]
        assert options[0] == "" and len(options) > 1
    assert (
        "hidden" in tournament.one("form", id="filters")["attrs"]
    )  # until the script runs: no JS, no filter, every venue
    assert tournament.one("p", id="venue-count")["attrs"]["aria-live"] == "polite"
    rows = [r for r in tournament.all("tr") if "data-venue" in r["attrs"]]
    flagged = {domain for r in rows for domain in r["attrs"]["data-domains"].split()}
    offered = {o["attrs"]["value"] for o in _children(tournament, "select", "filter-domain")}
    assert flagged and flagged == offered - {""}
    assert {r["attrs"]["data-country"] for r in rows} == {"ES", "MA", "PT"}


def _children(doc: Page, tag: str, id_: str) -> list[dict]:
    """The elements after the one with ``id_`` up to the next element of the same tag."""
    start = doc.elements.index(doc.one(tag, id=id_))
    following = []
    for element in doc.elements[start + 1 :]:
        if element["tag"] == tag:
            break
        following.append(element)
    return [e for e in following if e["tag"] == "option"]


def test_the_pdf_is_linked_when_it_was_rendered_into_the_folder(site):
    tournament = page(site, "en/index.html")
    links = [a["attrs"]["href"] for a in tournament.all("a") if a["attrs"]["href"].endswith(".pdf")]
    assert links == ["../wc2030-ma-tanger-en.pdf"]
    venue = page(site, "en/venues/ma-tanger.html")
    assert [a["attrs"]["href"] for a in venue.all("a") if a["attrs"]["href"].endswith(".pdf")] == [
        "../../wc2030-ma-tanger-en.pdf"
    ]


def test_the_search_index_lists_every_item_with_its_page_and_anchor(site, workspace):
    text = (site / "en" / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.EVENTSEC_SEARCH = ") and text.endswith(";\n")
    entries = json.loads(text[len("window.EVENTSEC_SEARCH = ") : -2])
    assert {e["venue"] for e in entries} == set(workspace.venues())
    first = entries[0]
    assert set(first) == {"id", "title", "owner", "venue", "href"}
    assert first["href"] == f"venues/{first['venue']}.html#item-{first['id']}"
    assert all(e["title"] and e["owner"] for e in entries)
    arabic = json.loads(
        (site / "ar" / "search-index.js").read_text(encoding="utf-8")[len("window.EVENTSEC_SEARCH = ") : -2]
    )
    assert len(arabic) == len(entries) and arabic[0]["title"] != first["title"]
    for name in ("en/index.html", "en/venues/ma-fes.html"):
        doc = page(site, name)
        label = doc.one("label", **{"for": "search"})
        assert label["text"].strip() and doc.one("input", id="search")["attrs"]["type"] == "search"
        assert doc.one("ul", id="search-results")


def test_every_page_has_its_language_and_direction(site):
    for path in sorted(site.rglob("*.html")):
        html = page(site, path.relative_to(site).as_posix()).one("html")["attrs"]
        lang = path.relative_to(site).parts[0] if len(path.relative_to(site).parts) > 1 else "en"
        assert html["lang"] == lang
        assert html["dir"] == ("rtl" if lang == "ar" else "ltr")


def test_headings_are_in_order_and_tables_have_captions_and_header_scopes(site):
    for name in ("en/index.html", "en/venues/es-cartuja.html", "ar/venues/ma-rabat.html"):
        doc = page(site, name)
        levels = [int(e["tag"][1]) for e in doc.elements if re.fullmatch(r"h[1-6]", e["tag"])]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
        assert doc.all("table") and len(doc.all("caption")) == len(doc.all("table"))
        assert all(th["attrs"].get("scope") in ("col", "row") for th in doc.all("th"))
        assert doc.all("header") and doc.all("nav") and doc.all("main")
        assert all(a["text"].strip() for a in doc.all("a"))


def test_the_venue_page_shows_each_section_with_its_content(site, workspace):
    from eventsec.render.report import build_report

    report, _ = build_report(workspace, "es-cartuja", AS_OF, "en")
    doc = page(site, "en/venues/es-cartuja.html")
    assert doc.one("h1")["text"] == "Estadio La Cartuja"
    for section in ("readiness", "overdue", "blocked", "deadlines", "safety", "matches", "plan"):
        assert doc.one("section", id=section)
    assert not doc.all("section", id="trend")  # only with --history
    blocked = [i for i in report.readiness.items if i.state == "blocked"]
    section = doc.one("section", id="blocked")["text"]
    for item in blocked:
        assert item.item.id in section and item.entry["reason"].split("'")[0] in section
    overdue = doc.one("section", id="overdue")["text"]
    assert all(i.item.id in overdue for i in report.readiness.items if i.overdue)
    assert len([r for r in doc.all("rect") if r["attrs"].get("class") == "bar"]) == len(report.readiness.domains)
    matches = doc.one("section", id="matches")["text"]
    assert all(m.match in matches for m in report.matches) and report.matches
    assert "Readiness as of 1 May 2030" in doc.one("footer")["text"]


def test_the_arabic_venue_page_has_no_english_headings(site):
    doc = page(site, "ar/venues/ma-rabat.html")
    headings = [e["text"] for e in doc.elements if re.fullmatch(r"h[1-6]|caption|th|label", e["tag"])]
    assert headings and not [h for h in headings if re.search(r"\b(the|Items?|Overdue|Blocked|Deadlines)\b", h)]
    assert doc.one("svg")["attrs"]["aria-label"] == Catalog("ar").t("readiness_by_domain")


def test_no_file_reaches_outside_the_site(site):
    external = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|fetch\(""", re.I)
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".js", ".css"):
            assert not external.search(path.read_text(encoding="utf-8")), path


def test_the_same_inputs_give_the_same_bytes(tmp_path):
    loaded, _ = load_workspace(AFCON)
    first, second = tmp_path / "a", tmp_path / "b"
    build_site(loaded, SiteRequest(AFCON, first, "2025-12-01", ("fr", "ar", "en")))
    build_site(loaded, SiteRequest(AFCON, second, "2025-12-01", ("fr", "ar", "en")))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) > 20
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []
