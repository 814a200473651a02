"""The page machinery: A4 template with header and footer, "page X of Y", outline and contents.

The contents need page numbers, so the document is built twice (reportlab ``multiBuild``);
"page X of Y" needs the total, so the canvas keeps each page's state and draws the footers
when it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from eventsec.render.styles import MUTED, NAVY, RULE

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN


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


def numbered_canvas(text: PageText) -> type[Canvas]:
    """A canvas class that draws headers and footers once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if not kwargs.get("initialFontName"):
                kwargs["initialFontName"] = text.font  # no unembedded Helvetica in page preambles
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            left, right = MARGIN, PAGE_WIDTH - MARGIN
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, PAGE_HEIGHT - 12 * mm, right, PAGE_HEIGHT - 12 * mm)
            self.line(left, 12 * mm, right, 12 * mm)
            self.setFillColor(MUTED)
            self.setFont(text.font, 7.5)
            header = text.shape(text.header)
            page = text.shape(text.page_label(self._pageNumber, total))
            version = text.shape(text.version)
            if text.rtl:
                self.drawRightString(right, PAGE_HEIGHT - 10 * mm, header)
                self.drawString(left, 8 * mm, page)
                self.drawRightString(right, 8 * mm, version)
            else:
                self.drawString(left, PAGE_HEIGHT - 10 * mm, header)
                self.drawRightString(right, 8 * mm, page)
                self.drawString(left, 8 * mm, version)
            self.setFillColor(NAVY)
            self.setFont(text.bold, 8)
            self.drawCentredString(PAGE_WIDTH / 2, 8 * mm, text.shape(text.marking))
            if text.rtl:
                self.drawString(left, PAGE_HEIGHT - 10 * mm, text.shape(text.marking))
            else:
                self.drawRightString(right, PAGE_HEIGHT - 10 * mm, text.shape(text.marking))
            self.restoreState()

    return NumberedCanvas


class PlanDocument(BaseDocTemplate):
    """A4 portrait, one frame; headings feed the contents and the PDF outline."""

    def __init__(self, target: Any, metadata: dict[str, str], **kwargs: Any) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            invariant=1,
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
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._heading_count = 0

    def beforeDocument(self) -> None:
        self._heading_count = 0  # multiBuild lays out several passes: keys must repeat exactly

    def afterFlowable(self, flowable: Any) -> None:
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        title = flowable.outline_title
        self._heading_count += 1
        key = f"h{self._heading_count}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        if level <= 1:
            self.notify("TOCEntry", (level, flowable.toc_text, self.page, key))


class RightToLeftContents(TableOfContents):
    """Contents for right-to-left plans: the heading on the right, its page number on the left.

    reportlab's contents draw the number after the text on the right; mirrored, the text sits
    against the right margin and the number in a narrow left column, as Arabic books set it.
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        from reportlab.platypus import Paragraph, Table

        entries = self._lastEntries or [(0, "", 0, None)]
        rows = []
        for level, text, page, key in entries:
            style = self.getLevelStyle(level)
            link = f'<a href="#{key}">{text}</a>' if key else text
            rows.append([Paragraph(str(page), style), Paragraph(link, style)])
        self._table = Table(rows, colWidths=(12 * mm, avail_width - 12 * mm), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, avail_width, avail_height)
        return self.width, self.height


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
