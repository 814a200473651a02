"""The whole plan as accessible HTML (eventsec.site.plan_html).

The sample plan (samples/wc2030, venue ma-rabat, as of 2030-03-01) is built once per language
for the module, in English, French and Arabic; the release fixture gives the withheld cases.
The HTML is read with the stdlib's html.parser: what it checks is what a screen reader and a
browser rely on (headings in order, tables with captions and header cells, every item an
anchor, tags that balance) and what a reader sees (the page's language only, real Arabic text).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from eventsec.checks.validate import load_workspace
from eventsec.render.report import PlanReport, build_report
from eventsec.site.plan_html import plan_html
from tests.conftest import FIXTURES, ROOT

SAMPLE = ROOT / "samples" / "wc2030"
CATALOGS = ROOT / "src" / "eventsec" / "i18n"
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}


@dataclass
class Page:
    """What the parser found in one plan's HTML."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    """Text in the page's language: what no element marks as another language, code and
    citations (references and headlines, cited as published) left out."""
    tags: set[str] = field(default_factory=set)


class PlanParser(HTMLParser):
    """Collects headings, ids, links and tables, and checks that every element it opens closes
    in order (html.parser itself accepts anything)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, bool]] = []
        """Open elements, each with whether it starts text in another language (or code)."""
        self.heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.page.tags.add(tag)
        if "id" in attributes:
            self.page.ids.append(str(attributes["id"]))
        if tag == "a" and attributes.get("href"):
            self.page.links.append(str(attributes["href"]))
        if tag == "table":
            self.page.tables.append({"caption": "", "th": [], "th_in_head": 0})
        if tag == "th" and self.page.tables:
            self.page.tables[-1]["th"].append(attributes.get("scope"))
            if any(name == "thead" for name, _ in self.stack):
                self.page.tables[-1]["th_in_head"] += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = []
            self.page.headings.append((int(tag[1]), ""))
        if tag not in VOID:
            self.stack.append((tag, "lang" in attributes or tag in ("code", "cite")))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.page.errors.append(f"</{tag}> closes <{self.stack[-1][0] if self.stack else '-'}>")
            return
        self.stack.pop()
        if re.fullmatch(r"h[1-6]", tag) and self.heading is not None:
            level, _ = self.page.headings[-1]
            self.page.headings[-1] = (level, "".join(self.heading))
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        if any(name == "caption" for name, _ in self.stack) and self.page.tables:
            self.page.tables[-1]["caption"] += data
        if not any(foreign for _, foreign in self.stack):
            self.page.text.append(data)


def parse(html: str) -> Page:
    parser = PlanParser()
    parser.feed(html)
    parser.close()
    if parser.stack:
        parser.page.errors.append(f"never closed: {[name for name, _ in parser.stack]}")
    return parser.page


@pytest.fixture(scope="module")
def workspace():
    loaded, _ = load_workspace(SAMPLE)
    return loaded


@pytest.fixture(scope="module")
def reports(workspace) -> dict[str, PlanReport]:
    built = {}
    for lang in ("en", "fr", "ar"):
        report, findings = build_report(workspace, "ma-rabat", "2030-03-01", lang)
        assert report is not None, findings
        built[lang] = report
    return built


@pytest.fixture(scope="module")
def html(reports) -> dict[str, str]:
    return {lang: str(plan_html(report)) for lang, report in reports.items()}


@pytest.fixture(scope="module")
def pages(html) -> dict[str, Page]:
    return {lang: parse(text) for lang, text in html.items()}


LANGS = ("en", "fr", "ar")


@pytest.mark.parametrize("lang", LANGS)
def test_tags_balance(pages, lang):
    assert pages[lang].errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_headings_start_below_the_venue_pages_h1_and_never_skip_a_level(pages, lang):
    levels = [level for level, _ in pages[lang].headings]
    assert levels[0] == 2 and 1 not in levels
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == []
    assert all(said.strip() for _, said in pages[lang].headings)


def test_chapters_follow_the_pdf(pages):
    from eventsec.i18n import Catalog

    catalog = Catalog("fr")
    chapters = [said for level, said in pages["fr"].headings if level == 2]
    expected = ["document_control", "executive_summary", "venue_profile", "timeline", "ops_chapter"]
    expected += ["appendix_excluded", "lessons_traceability", "contacts", "sign_off"]
    found = [said for said in chapters if said in {catalog.t(key) for key in expected}]
    assert found == [catalog.t(key) for key in expected]


@pytest.mark.parametrize("lang", LANGS)
def test_every_item_is_an_anchor_and_every_link_lands(reports, pages, lang):
    readiness = reports[lang].readiness
    items = {i.item.id for i in [*readiness.items, *readiness.later, *readiness.match_day]}
    ids = pages[lang].ids
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert {f"item-{i}" for i in items} <= set(ids)
    assert len(items) > 300  # the whole plan, not a summary
    targets = {link[1:] for link in pages[lang].links if link.startswith("#")}
    assert targets and targets <= set(ids)


@pytest.mark.parametrize("lang", LANGS)
def test_tables_have_a_caption_and_header_cells_with_a_scope(pages, lang):
    tables = pages[lang].tables
    assert len(tables) > 15
    for table in tables:
        assert table["caption"].strip()
        assert table["th"] and all(scope in ("col", "row") for scope in table["th"])


def test_arabic_plan_is_real_arabic_text(html):
    arabic = html["ar"]
    assert len(re.findall(r"[\u0600-\u06ff]", arabic)) > 10_000
    assert not re.search(r"[\ufb50-\ufdff\ufe70-\ufeff]", arabic)  # no reshaped presentation forms


def test_arabic_quoted_in_a_french_plan_is_marked_as_arabic(html):
    spans = re.findall(r'<span lang="ar" dir="rtl">([^<]*)</span>', html["fr"])
    assert spans and all(re.search(r"[\u0600-\u06ff]", span) for span in spans)
    outside = re.sub(r'<span lang="ar" dir="rtl">[^<]*</span>', "", html["fr"])
    assert not re.search(r"[\u0600-\u06ff]", outside)


def english_fragments(lang: str) -> set[str]:
    """Pieces of the English catalog the language's catalog says otherwise: each value cut at its
    placeholders, kept when it is at least two words long (one word may be shared: "Zone")."""
    english = json.loads((CATALOGS / "en.json").read_text(encoding="utf-8"))
    other = json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))
    fragments = set()
    for key, value in english.items():
        if other.get(key, value) == value:
            continue
        for piece in re.split(r"\{[^}]*\}", value):
            words = re.findall(r"[A-Za-z]+", piece)
            if len(words) >= 2 and any(len(word) > 2 for word in words):
                fragments.add(" ".join(words))
    return fragments


def quoted(report: PlanReport) -> list[str]:
    """What the plan quotes as written rather than says in its language: the venue team's status
    records, the titles of references a safety footnote cites, parameters named by an English
    label the library gives no translation of, and people (contacts' names and emails)."""
    records = [
        str(entry.get(name, ""))
        for i in report.readiness.items
        for entry in [i.entry or {}]
        for name in ("evidence", "reason", "by", "note")
    ]
    titles = [str(r.get("title", "")) for protocol in report.plan.protocols for r in protocol.references]
    labels = [p.label.say(report.lang) for p in report.plan.parameters.values()]
    people = [str(p.get(name, "")) for p in report.plan.venue.get("contacts") or [] for name in ("name", "email")]
    return sorted({text for text in records + titles + labels + people if text}, key=len, reverse=True)


def test_a_french_plan_holds_no_english_catalog_text(reports, pages):
    said = " ".join(pages["fr"].text)
    for text in quoted(reports["fr"]):
        said = said.replace(text, " ")
    said = re.sub(r"\S*[_\d]\S*", " ", said)  # ids and parameter keys ("entry_time_target_min") match only themselves
    page = " ".join(re.findall(r"[A-Za-zÀ-ÿ]+", said))
    fragments = english_fragments("fr")
    assert len(fragments) > 300
    found = sorted(f for f in fragments if re.search(rf"\b{re.escape(f)}\b", page))
    assert found == []


def test_the_english_plan_does_hold_the_catalog_text(pages):
    """The check above can fail: the same fragments are found in the English plan."""
    page = " ".join(re.findall(r"[A-Za-z]+", " ".join(pages["en"].text)))
    assert sum(1 for f in english_fragments("fr") if f in page) > 50


def test_deadlines_are_said_in_words(html):
    assert re.search(r'<time datetime="2030-\d\d-\d\d">\d{1,2} [a-zéû]+ 2030</time>', html["fr"])


def release_report(level: str, lang: str = "en") -> PlanReport:
    workspace, _ = load_workspace(FIXTURES / "release")
    report, findings = build_report(workspace, "v1", "2030-05-01", lang, release=level)
    assert report is not None, findings
    return report


def test_a_withheld_item_is_absent_and_its_withholding_said():
    public = str(plan_html(release_report("public")))
    internal = str(plan_html(release_report("internal")))
    assert "SENTINEL-INTERNAL-ITEM" not in public and 'id="item-CRW-006"' not in public
    assert "SENTINEL-INTERNAL-ITEM" in internal and 'id="item-CRW-006"' in internal
    assert re.search(r"\d+ items withheld at this release level\.", public)
    assert "contacts withheld at this release level" in public


def test_plan_text_is_escaped():
    report = release_report("confidential")
    item = report.plan.item("CRW-001")
    item.fields = {**item.fields, "title": '<script>alert("x")</script> & co'}
    html = str(plan_html(report))
    page = parse(html)
    assert "script" not in page.tags and "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html
    assert page.errors == []


def test_same_report_same_bytes(reports, html):
    assert str(plan_html(reports["en"])) == html["en"]


def test_a_venue_plan_builds_well_under_a_second(reports):
    """About 0.2 s on one core; the best of three runs, so a busy machine does not decide."""
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        plan_html(reports["fr"])
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.6


def test_a_played_match_shows_its_execution_record_and_risk_register(workspace):
    """Casablanca on 20 June 2030: m001 has been played (its record, with a match overlay's own
    item that the venue's plan does not hold, so not linked) and has a risk register."""
    report, findings = build_report(workspace, "ma-hassan2", "2030-06-20", "en")
    assert report is not None, findings
    html = str(plan_html(report))
    page = parse(html)
    captions = [table["caption"] for table in page.tables]
    assert any(caption.startswith("Execution record") for caption in captions)
    assert any("m001" in caption and "Risk" in caption for caption in captions)
    assert "CRW-M001-001" in html and 'href="#item-CRW-M001-001"' not in html
    targets = {link[1:] for link in page.links if link.startswith("#")}
    assert targets <= set(page.ids) and page.errors == []


def test_text_not_yet_translated_is_marked_as_english():
    """The release fixture has no French: a French plan shows its items in English, each such
    text marked ``lang="en"`` (a screen reader then reads it with English rules), and says so."""
    from eventsec.i18n import Catalog

    html = str(plan_html(release_report("confidential", "fr")))
    assert '<h4>CRW-003 — <span lang="en" dir="ltr">Brief the stewards</span></h4>' in html
    assert Catalog("fr").t("label_fallback") in html
    assert ">Brief the stewards<" not in html.replace('dir="ltr">Brief the stewards<', "")


def test_a_role_or_domain_title_without_a_translation_is_marked_as_english():
    """A French plan says a role or domain the catalog has no French title for in English, and
    marks it so (a screen reader switches voice; the page stays honest about its language)."""
    report = release_report("confidential", "fr")
    owner = report.plan.item("CRW-001").fields["owner"]
    domain = next(protocol.domain for protocol in report.plan.protocols if protocol.items)
    report.plan.roles[owner] = {**report.plan.roles[owner], "translations": {}}
    report.plan.domains[domain] = {**report.plan.domains[domain], "translations": {}}
    html = str(plan_html(report))
    for english in (report.plan.roles[owner]["title"], report.plan.domains[domain]["title"]):
        assert f'<span lang="en" dir="ltr">{escape(english)}</span>' in html
    assert parse(html).errors == []
