"""The page machinery: A4 template with header and footer, "page X of Y", outline and contents.

The contents and "page X of Y" both need what only a finished layout knows, so the document
is built in passes (reportlab ``multiBuild``): each pass draws the contents and the page total
the previous pass found, and the build stops when a pass finds what it drew. Pages are shown
as they are laid out, so every outline entry and contents link points at the page its heading
is drawn on (a canvas that holds pages back until the total is known binds them all to page 1).
"""

from __future__ import annotations

import calendar
import datetime
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from eventsec.render.styles import MUTED, NAVY, RULE

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADING_ROOM = 3 * mm
"""Space kept above a heading when a link or bookmark scrolls to it."""


@dataclass(frozen=True)
class PageText:
    """What every page shows around the content."""

    header: str
    marking: str
    version: str
    page_label: Callable[[int, int], str]
    font: str
    bold: str
    rtl: bool
    shape: Callable[[str], str]


def decorate_page(canv: Canvas, text: PageText, page: int, total: int) -> None:
    """Header (tournament and venue, marking) and footer (version, marking, page X of Y)."""
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(left, PAGE_HEIGHT - 12 * mm, right, PAGE_HEIGHT - 12 * mm)
    canv.line(left, 12 * mm, right, 12 * mm)
    canv.setFillColor(MUTED)
    canv.setFont(text.font, 7.5)
    header = text.shape(text.header)
    number = text.shape(text.page_label(page, total))
    version = text.shape(text.version)
    if text.rtl:
        canv.drawRightString(right, PAGE_HEIGHT - 10 * mm, header)
        canv.drawString(left, 8 * mm, number)
        canv.drawRightString(right, 8 * mm, version)
    else:
        canv.drawString(left, PAGE_HEIGHT - 10 * mm, header)
        canv.drawRightString(right, 8 * mm, number)
        canv.drawString(left, 8 * mm, version)
    canv.setFillColor(NAVY)
    canv.setFont(text.bold, 8)
    marking = text.shape(text.marking)
    canv.drawCentredString(PAGE_WIDTH / 2, 8 * mm, marking)
    if text.rtl:
        canv.drawString(left, PAGE_HEIGHT - 10 * mm, marking)
    else:
        canv.drawRightString(right, PAGE_HEIGHT - 10 * mm, marking)
    canv.restoreState()


class PageCount(IndexingFlowable):
    """The page total for "page X of Y": the previous pass's, drawn by this one.

    Like the contents, it is satisfied only when a pass ends with the total it drew, so
    ``multiBuild`` runs one more pass whenever the number of pages changed.
    """

    def __init__(self) -> None:
        super().__init__()
        self.total = 0
        """The total drawn in this pass (0 in the first: that pass is never kept)."""
        self._counted = 0

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == "PageCount":
            self._counted = stuff

    def beforeBuild(self) -> None:
        self.total = self._counted

    def isSatisfied(self) -> bool:
        return self._counted == self.total

    def draw(self) -> None:
        """Nothing to draw: the pages show the total."""


def creation_stamp(as_of: str) -> TimeStamp | None:
    """The creation date: midnight UTC of the plan's as-of date, a date that means something
    and stays the same for the same inputs. None when ``SOURCE_DATE_EPOCH`` is set, which
    reportlab stamps itself and which wins."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return None
    seconds = calendar.timegm(datetime.date.fromisoformat(as_of).timetuple())
    stamp = TimeStamp(invariant=1)  # UTC, no offset
    stamp.t, stamp.lt = seconds, time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


class PlanDocument(BaseDocTemplate):
    """A4 portrait, one frame; headings feed the contents and the PDF outline, which opens in
    the viewer's panel."""

    def __init__(self, target: Any, metadata: dict[str, str], text: PageText, as_of: str, **kwargs: Any) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            invariant=1,
            initialFontName=text.font,  # no unembedded Helvetica in page preambles
            **metadata,
            **kwargs,
        )
        frame = Frame(
            MARGIN,
            MARGIN,
            FRAME_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        self._text, self._as_of = text, as_of
        self._page_count = PageCount()
        self._heading_count = 0

    def multiBuild(self, story: list[Flowable], **kwargs: Any) -> int:
        return super().multiBuild([self._page_count, *story], **kwargs)

    def beforeDocument(self) -> None:
        self._heading_count = 0  # multiBuild lays out several passes: keys must repeat exactly
        self.canv.showOutline()
        stamp = creation_stamp(self._as_of)
        if stamp is not None:
            self.canv._doc._timeStamp = stamp  # reportlab has no setter; the Info dictionary reads it

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if doc.page > 1:  # the cover carries its own marking
            decorate_page(canv, self._text, doc.page, self._page_count.total)

    def afterPage(self) -> None:
        self.notify("PageCount", self.page)

    def afterFlowable(self, flowable: Any) -> None:
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        title = flowable.outline_title
        self._heading_count += 1
        key = f"h{self._heading_count}"
        top = self.frame._y + flowable.getSpaceAfter() + flowable.height + HEADING_ROOM  # _y: just below it
        self.canv.bookmarkHorizontalAbsolute(key, min(top, PAGE_HEIGHT))
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        if level <= 1:  # the contents set each entry as paragraph markup: "&" and "<" escaped
            self.notify("TOCEntry", (level, escape(flowable.toc_text), self.page, key))


class RightToLeftContents(TableOfContents):
    """Contents for right-to-left plans: the heading on the right, its page number on the left.

    reportlab's contents draw the number after the text on the right; mirrored, the text sits
    against the right margin and the number in a narrow left column, as Arabic books set it.
    Both open the heading's page, as in left-to-right contents; numbers are not indented.
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph, Table

        entries = self._lastEntries or [(0, "", 0, None)]
        rows = []
        for level, text, page, key in entries:
            style = self.getLevelStyle(level)
            number = ParagraphStyle(f"{style.name}-page", parent=style, leftIndent=0, rightIndent=0)
            rows.append([Paragraph(_linked(str(page), key), number), Paragraph(_linked(text, key), style)])
        self._table = Table(rows, colWidths=(12 * mm, avail_width - 12 * mm), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, avail_width, avail_height)
        return self.width, self.height


def _linked(markup: str, key: str | None) -> str:
    return f'<a href="#{key}">{markup}</a>' if key else markup


def contents_table(styles: list, rtl: bool = False) -> TableOfContents:
    from reportlab.platypus import TableStyle

    toc = RightToLeftContents() if rtl else TableOfContents(dotsMinLevel=0)
    toc.levelStyles = styles
    toc.tableStyle = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), styles[0].fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return toc
