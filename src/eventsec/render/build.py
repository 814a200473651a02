"""Lay out one plan: the report → PDF bytes (deterministic, fonts embedded, outline, metadata)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.platypus import Flowable, PageBreak

from eventsec.i18n import Catalog
from eventsec.render.context import Ctx
from eventsec.render.document import PageText, PlanDocument
from eventsec.render.fonts import register_fonts
from eventsec.render.names import Names
from eventsec.render.operations import operations_order, order_cover
from eventsec.render.paragraphs import TextMaker
from eventsec.render.report import PlanReport
from eventsec.render.sections import SECTIONS, document_control
from eventsec.render.styles import make_styles


@dataclass(frozen=True)
class RenderedPlan:
    pdf: bytes
    pages: int


def metadata(report: PlanReport, catalog: Catalog, order: bool = False) -> dict[str, str]:
    """PDF metadata. The venue id is in title and subject, so each plan gets a distinct /ID."""
    plan = report.plan
    venue, tournament = plan.venue, plan.tournament
    names = Names(plan, report.lang)
    title = catalog.t("ops_order_title", match=plan.match["id"]) if order else catalog.t("plan_title")
    return {
        "title": f"{title} — {names.venue()}",
        "subject": f"venue:{venue['id']} tournament:{tournament['id']} as-of:{report.as_of} lang:{report.lang}"
        + (f" match:{plan.match['id']}" if plan.match else ""),
        "author": f"{names.tournament() or tournament['id']} — eventsec {report.tool_version}",
        "keywords": ", ".join(["safety", "security", "readiness", tournament["id"], venue["id"], report.marking]),
        "creator": f"eventsec {report.tool_version}",
        "lang": report.lang,
    }


def single_page_breaks(story: Iterable[Flowable]) -> list[Flowable]:
    """The story without a page break straight after another: each section ends or starts on a
    new page, so a section a release withholds whole (every domain chapter) would leave a blank
    page between its neighbours."""
    kept: list[Flowable] = []
    for flowable in story:
        if not (isinstance(flowable, PageBreak) and kept and isinstance(kept[-1], PageBreak)):
            kept.append(flowable)
    return kept


def order_sections(match_id: str) -> tuple:
    """A match's operations order: its cover, document control, then the order itself."""
    return (order_cover, document_control, lambda c: operations_order(c, match_id))


def render_plan(
    report: PlanReport, font: str | None = None, password: str | None = None, order: bool = False
) -> RenderedPlan:
    """Build the plan PDF in memory; with ``password``, encrypted with AES-256 (render/encrypt.py).
    With ``order``, the operations order of the report's match instead of the venue plan."""
    fonts = register_fonts(font)
    catalog = Catalog(report.lang)
    text = TextMaker(catalog)
    styles = make_styles(fonts, rtl=catalog.rtl)
    ctx = Ctx(report, styles, text)
    sections = order_sections(report.plan.match["id"]) if order else SECTIONS
    story = single_page_breaks(flowable for section in sections for flowable in section(ctx))
    page_text = PageText(
        header=catalog.t("header", tournament=ctx.names.tournament(), venue=ctx.names.venue()),
        marking=catalog.level(report.marking).upper(),
        version=catalog.t("footer_version", version=report.plan_version),
        page_label=lambda page, pages: catalog.t("footer_page", page=page, pages=pages),
        font=fonts.regular,
        bold=fonts.bold,
        rtl=catalog.rtl,
        shape=text.shape,
    )
    buffer = io.BytesIO()
    document = PlanDocument(buffer, metadata(report, catalog, order), page_text, report.as_of)
    document.multiBuild(story)
    pdf = buffer.getvalue()
    if password:
        from eventsec.render.encrypt import encrypt_pdf

        pdf = encrypt_pdf(pdf, password)
    return RenderedPlan(pdf, document.page)
