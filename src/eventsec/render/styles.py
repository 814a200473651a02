"""One typographic scale and palette for every plan.

Sizes step by about 1.2 from the 8.5 pt body: 7.5 (tables, notes) · 8.5 (body) · 10.5 (h3) ·
13 (h2) · 17 (h1) · 26 (cover). Right-to-left plans mirror alignment only.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from eventsec.render.fonts import Fonts

INK = colors.HexColor("#1B1F24")
NAVY = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#5B6470")
RULE = colors.HexColor("#C9CED6")
BAND = colors.HexColor("#EEF1F5")
VERDICT_COLOURS = {
    "NO-GO": colors.HexColor("#B00020"),
    "AT-RISK": colors.HexColor("#C46A00"),
    "ON-TRACK": colors.HexColor("#2E7D32"),
}
SEVERITY_COLOURS = {
    "critical": colors.HexColor("#B00020"),
    "high": colors.HexColor("#C46A00"),
    "medium": colors.HexColor("#8A7500"),
    "low": MUTED,
}


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    header_cell: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cover_title: ParagraphStyle
    cover_line: ParagraphStyle
    centered: ParagraphStyle
    toc: list[ParagraphStyle]
    rtl: bool


def make_styles(fonts: Fonts, rtl: bool = False) -> Styles:
    align = TA_RIGHT if rtl else TA_LEFT

    def style(name: str, size: float, leading: float, font: str = fonts.regular, colour=INK, **extra) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, textColor=colour, alignment=align, **extra
        )

    return Styles(
        body=style("body", 8.5, 11.5, spaceAfter=4),
        small=style("small", 7.5, 9.5, colour=MUTED),
        cell=style("cell", 7.5, 9.2),
        cell_bold=style("cell_bold", 7.5, 9.2, fonts.bold),
        header_cell=style("header_cell", 7.5, 9.2, fonts.bold, colors.white),
        h1=style("h1", 17, 21, fonts.bold, NAVY, spaceBefore=0, spaceAfter=8, keepWithNext=1),
        h2=style("h2", 13, 16, fonts.bold, NAVY, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        h3=style("h3", 10.5, 13, fonts.bold, INK, spaceBefore=6, spaceAfter=3, keepWithNext=1),
        cover_title=style("cover_title", 26, 31, fonts.bold, NAVY, spaceAfter=12),
        cover_line=style("cover_line", 13, 18, colour=INK, spaceAfter=4),
        centered=ParagraphStyle(
            "centered", fontName=fonts.bold, fontSize=13, leading=16, alignment=TA_CENTER, textColor=colors.white
        ),
        toc=[
            style("toc1", 9.5, 13, fonts.bold, leftIndent=0),
            style("toc2", 8.5, 11, leftIndent=12 if not rtl else 0, rightIndent=12 if rtl else 0),
        ],
        rtl=rtl,
    )
