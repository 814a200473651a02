"""Arabic plans: direction by the bidirectional algorithm, not forced on every line.

A paragraph, cell or line with Arabic in it reads right to left, and the ids, names, dates,
emails, phone numbers and expressions inside keep their own order; one without Arabic reads
as in the English plan. Checked on the lines the renderer draws (:mod:`eventsec.render.rtl`)
and on the lines of PDFs as pypdf reads them in layout mode: in drawing order, left to
right, so a left-to-right run reads as written and an Arabic word comes back reversed
(``rev`` below); table cells are apart by two spaces or more.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.render.build import render_plan
from eventsec.render.document import PageText, PlanDocument, contents_table
from eventsec.render.fonts import register_fonts
from eventsec.render.paragraphs import TextMaker
from eventsec.render.report import build_report
from eventsec.render.rtl import LRE, PDF, RTLParagraph, base_direction, mark_runs, shaped, visual_line, wrap_logical
from eventsec.render.styles import make_styles
from tests.conftest import ROOT

AS_OF = "2030-03-01"
VENUE = "ma-rabat"
ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]{2,}")
"""Item ids (ACC-001, CMD-MA-001) and evidence references (RBT-DMS-0102)."""


@pytest.fixture(autouse=True, scope="module")
def fonts():
    return register_fonts()


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def has_arabic(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def rev(arabic: str) -> str:
    """Arabic words as drawn: shaped (harakat kept), their glyphs left to right."""
    return nfkc(shaped(arabic)[::-1])


def drawn_lines(pdf: bytes) -> list[str]:
    """Every line of every page as drawn (left to right), presentation forms folded."""
    return [
        nfkc(line.strip())
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text(extraction_mode="layout").splitlines()
        if line.strip()
    ]


def cells(lines: list[str]) -> list[str]:
    """The separately drawn pieces of lines: table cells, header and footer parts."""
    return [cell for line in lines for cell in re.split(r"\s{2,}", line)]


def draw(flowables: list) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, initialFontName="PlanSans").build(flowables)
    return buffer.getvalue()


def styles(rtl: bool = True):
    return make_styles(register_fonts(), rtl=rtl)


# ------------------------------------------------------------------- the Arabic plan, once
@pytest.fixture(scope="module")
def plans() -> dict[str, tuple]:
    """The English and the Arabic plan of one venue, rendered once for the module (slow)."""
    workspace, _ = load_workspace(ROOT / "samples" / "wc2030")
    out = {}
    for lang in ("en", "ar"):
        report, findings = build_report(workspace, VENUE, AS_OF, lang)
        assert report is not None, findings
        out[lang] = (report, drawn_lines(render_plan(report).pdf))
    return out


def test_the_venue_name_is_followed_by_its_id(plans):
    report, lines = plans["ar"]
    venue = report.plan.venue
    arabic = (venue.get("translations") or {}).get("ar", {}).get("name")
    expected = [f"{venue['name']} ({VENUE})"] + ([f"({VENUE}) {rev(arabic)}"] if arabic else [])
    assert set(expected) & set(cells(lines)), [line for line in lines if VENUE in line]


def test_item_ids_and_evidence_references_read_as_in_the_english_plan(plans):
    """Cells and lines without Arabic (ids, lists of ids, evidence references) are drawn as in
    the English plan: not ",ACC-001*" or ":RBT-DMS-0102"; every id of the English plan is
    in the Arabic one."""
    english = {token for cell in cells(plans["en"][1]) for token in cell.split() if ID.search(token)}
    latin = [cell for cell in cells(plans["ar"][1]) if ID.search(cell) and not has_arabic(cell)]
    assert len(latin) > 50
    # the Arabic comma after a phase ("T-300d، 2029-08-16", a deadline's clock) is the Arabic plan's comma
    tokens = {token.replace("،", ",") for cell in latin for token in cell.split() if ID.search(token)}
    assert tokens <= english, sorted(tokens - english)[:10]
    ids = {found for line in plans["en"][1] for found in ID.findall(line)}
    assert ids <= {found for line in plans["ar"][1] for found in ID.findall(line)}


def test_conditions_keep_their_order(plans):
    report, lines = plans["ar"]
    expressions = {i.item.fields["applies_when"] for i in report.readiness.items if i.item.fields.get("applies_when")}
    assert expressions
    for expression in expressions:  # match.risk == 'high', not 'match.risk == 'high
        assert any(expression in line for line in lines), expression


def test_contacts_phone_numbers_and_names_read_as_in_the_english_plan(plans):
    report, lines = plans["ar"]
    people = report.plan.venue.get("contacts") or []
    assert people
    drawn = cells(lines)
    for person in people:
        assert person["phone"] in drawn  # not "21 00 00 00 5 212+"
        assert person["name"] in drawn  # not "(K. El Idrissi (illustrative"


# ---------------------------------------------------------- drawn cells and paragraphs
def test_a_table_cell_mixing_arabic_and_a_gate_or_an_id_reads_right():
    text = TextMaker(Catalog("ar"))
    rows = ["زمن الدخول — Gate 1 (West Stand)", "البند ACC-001 (RBT-DMS-0102) منجز", "الاتصال: +212 5 37 00 00 00"]
    pdf = draw([Table([[text.para(row, styles().cell)] for row in rows], colWidths=[300])])
    assert drawn_lines(pdf) == [
        f"Gate 1 (West Stand) — {rev('زمن الدخول')}",
        f"{rev('منجز')} ACC-001 (RBT-DMS-0102) {rev('البند')}",
        f"+212 5 37 00 00 00 :{rev('الاتصال')}",
    ]


def test_a_formula_in_an_arabic_sentence_keeps_its_order():
    sentence = "يُحسب الزمن بالصيغة people / (turnstiles × rate / 60) بالدقائق"
    (line,) = drawn_lines(draw([RTLParagraph(sentence, styles().body)]))
    words = " ".join(rev(word) for word in reversed(["يُحسب", "الزمن", "بالصيغة"]))
    assert line == f"{rev('بالدقائق')} people / (turnstiles × rate / 60) {words}"


def test_the_shadda_is_drawn():
    word = "المدرّجات"
    assert drawn_lines(draw([RTLParagraph(word, styles().body)])) == [rev(word)]
    assert "\u0651" in rev(word)


def test_a_name_with_allah_is_drawn_in_letters_the_font_has():
    """DejaVu Sans has no glyph for the ligature U+FDF2: "عبد الله" is drawn letter by letter."""
    assert "\ufdf2" not in shaped("ملعب الأمير مولاي عبد الله")
    (line,) = drawn_lines(draw([RTLParagraph("عبد الله", styles().body)]))
    assert line == f"{rev('الله')} {rev('عبد')}" and "\x00" not in line


@pytest.mark.parametrize("rtl", [False, True])
def test_contents_entries_with_an_ampersand_or_a_less_than_sign(rtl):
    """A heading's "&" or "<" is text in the contents, not broken markup."""
    fonts = register_fonts()
    text = TextMaker(Catalog("ar" if rtl else "en"))
    title = "Fire & rescue <zone A>"
    heading = text.para(title, styles(rtl).h1)
    heading.outline_level, heading.outline_title, heading.toc_text = 0, title, text.shape(title)
    page_text = PageText(
        "h", "M", "v", lambda page, total: f"{page}/{total}", fonts.regular, fonts.bold, rtl, text.shape
    )
    buffer = io.BytesIO()
    PlanDocument(buffer, {"title": "t"}, page_text, AS_OF).multiBuild(
        [contents_table(styles(rtl).toc, rtl), PageBreak(), heading]
    )
    assert any(title in line for line in drawn_lines(buffer.getvalue())[:1])


def test_a_centred_style_is_drawn_centred():
    style = ParagraphStyle("c", parent=styles().body, alignment=1)
    paragraph = RTLParagraph("RESTRICTED", style)
    paragraph.wrap(300, 100)
    canvas = Canvas(io.BytesIO(), initialFontName="PlanSans")
    paragraph.drawOn(canvas, 0, 0)
    xs = []
    PdfReader(io.BytesIO(canvas.getpdfdata())).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, font, size: xs.append(tm[4] * cm[0] + cm[4]) if t.strip() else None
    )
    assert xs == [pytest.approx(150 - stringWidth("RESTRICTED", style.fontName, style.fontSize) / 2)]


# --------------------------------------------------------------- the line functions, unit
@pytest.mark.parametrize(
    "text",
    [
        "ACC-001",
        "ACC-001*, TKT-002, TKT-003,",
        "RBT-DMS-0102: Scaled perimeter plan with every ring",
        "Prince Moulay Abdellah Stadium (ma-rabat)",
        "match.stage == 'final'",
        "+212 5 37 00 00 00",
        "ops@rabat.example.",
        "≤ 8,0",
    ],
)
def test_a_line_without_arabic_is_drawn_as_written(text):
    assert base_direction(text) == "L"
    assert visual_line(text) == text


def visual(text: str) -> str:
    """A drawn line as letters (presentation forms folded back)."""
    return nfkc(visual_line(text))


def test_arabic_with_ids_and_a_date():
    # drawn from the right: البند, then ACC-001, then the Arabic comma, then منجز
    assert visual("البند ACC-001، منجز") == f"{rev('منجز')} ،ACC-001 {rev('البند')}"
    assert base_direction("RBT-DMS-0102: خطة المحيط") == "R"  # Arabic in it: right to left
    assert visual("RBT-DMS-0102: خطة المحيط") == f"{rev('خطة المحيط')} :RBT-DMS-0102"
    assert visual("بتاريخ 2030-03-01 فقط") == f"{rev('فقط')} 2030-03-01 {rev('بتاريخ')}"  # not 01-03-2030


def test_numbers_alone_in_arabic_are_left_to_the_algorithm():
    """A list of numbers or a unit with a superscript reads from the right, as the algorithm
    orders it; only a number that is one token (a date) or a phone number is kept as written."""
    from bidi.algorithm import get_display

    for text in ("الأرقام 12، 13، 14 فقط", "لكل 10 م² = 47 شخصا"):
        assert visual_line(text) == get_display(shaped(text), base_dir="R")
    assert visual("بتاريخ 2030-03-01 أو 0537 00 00 00") == f"0537 00 00 00 {rev('أو')} 2030-03-01 {rev('بتاريخ')}"


def test_arabic_with_an_email_and_a_phone_number():
    drawn = visual("راسلوا ops@rabat.example أو اتصلوا +212 5 37 00 00 00")
    assert drawn == f"+212 5 37 00 00 00 {rev('اتصلوا')} {rev('أو')} ops@rabat.example {rev('راسلوا')}"


def test_arabic_with_an_expression_keeps_its_quotes():
    drawn = visual("الشرط match.stage == 'final' فقط")
    assert drawn == f"{rev('فقط')} match.stage == 'final' {rev('الشرط')}"


def test_parentheses_around_latin_stay_with_it_and_around_arabic_are_mirrored():
    assert visual("البوابة (Gate 12) مغلقة") == f"{rev('مغلقة')} (Gate 12) {rev('البوابة')}"
    assert visual("الملعب (الرباط)") == f"({rev('الرباط')}) {rev('الملعب')}"
    assert visual("Gate 1 (West Stand) — زمن الدخول") == f"{rev('الدخول')} {rev('زمن')} — Gate 1 (West Stand)"


def test_a_percentage_keeps_its_sign_after_the_number():
    assert visual("الجاهزية 94%.") == f".94% {rev('الجاهزية')}"


def test_runs_are_embedded_left_to_right_with_what_they_open_and_close():
    assert mark_runs("الشرط match.stage == 'final' فقط") == f"الشرط {LRE}match.stage == 'final'{PDF} فقط"
    assert mark_runs("البند ACC-001، منجز") == f"البند {LRE}ACC-001{PDF}، منجز"
    assert mark_runs("(البوابة Gate 12)") == f"(البوابة {LRE}Gate 12{PDF})"


def test_a_continuation_line_keeps_the_paragraphs_direction():
    """The second line holds only Latin words, but belongs to an Arabic paragraph: it is
    reordered right to left with the run still embedded, so its period ends the sentence."""
    style = styles().body
    text = "الإثبات: RBT-DMS-0102: Scaled perimeter plan with every ring, signed by the commander."
    lines = wrap_logical(text, style.fontName, style.fontSize, 150)
    assert len(lines) > 2 and {base for base, _ in lines} == {"R"}
    assert all(line.count(LRE) == line.count(PDF) for _, line in lines)
    last = nfkc(visual_line(lines[-1][1], "R"))
    assert last.startswith(".") and not last.startswith(". ")


def test_wrapping_measures_shaped_words_like_the_whole_line():
    """Widths are summed per (cached) word; the line drawn is no wider than the frame."""
    style = styles().body
    text = " ".join(["أغلقوا البوابة الشمالية", "ACC-001", "وافتحوا مخرج الطوارئ 2030-03-01"] * 6)
    for base, line in wrap_logical(text, style.fontName, style.fontSize, 160):
        assert stringWidth(visual_line(line, base), style.fontName, style.fontSize) <= 160


def test_a_paragraph_split_keeps_each_lines_direction():
    style = styles().body
    paragraph = RTLParagraph("ACC-001, TKT-002\nالبند منجز", style)
    paragraph.wrap(300, 1000)
    head, tail = paragraph.split(300, style.leading)
    assert head._lines == [("L", "ACC-001, TKT-002")] and tail._lines[0][0] == "R"


def test_a_left_to_right_plan_lays_out_arabic_it_quotes_right_to_left_and_shaped():
    """A French plan citing an Arabic headline draws it right to left, shaped, as an Arabic
    reader reads it; a sentence quoting two Arabic words keeps its own order with those words
    joined and in visual order, never the isolated letters of logical order."""
    maker = TextMaker(Catalog("fr"))
    style = make_styles(register_fonts()).body
    headline = maker.para("« 529 تدخلا أمنيا في كأس أمم أفريقيا »", style)
    assert isinstance(headline, RTLParagraph)
    sentence = maker.para("Le titre « كأس أمم » est cité.", style).getPlainText()
    assert sentence.startswith("Le titre « ") and "كأس" not in sentence
    assert any("\ufe70" <= char <= "\ufefc" for char in sentence)
