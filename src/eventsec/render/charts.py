"""The readiness-by-domain bar chart, drawn with reportlab graphics (vector, embedded font)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from eventsec.render.styles import BAND, MUTED, NAVY, RULE

BAR_HEIGHT = 4.2 * mm
ROW = 5.6 * mm
LABEL_WIDTH = 62 * mm


def _colour(score: float) -> colors.Color:
    if score >= 80:
        return colors.HexColor("#2E7D32")
    if score >= 50:
        return colors.HexColor("#C46A00")
    return colors.HexColor("#B00020")


def domain_bar_chart(rows: list[tuple[str, float]], text, width: float) -> Drawing:
    """One horizontal bar per domain (0–100 %), label on the reading side, value at the bar's end."""
    height = ROW * len(rows) + 6 * mm
    drawing = Drawing(width, height, initialFontName="PlanSans")  # no unembedded default font
    plot = width - LABEL_WIDTH - 14 * mm
    x0 = 14 * mm if text.rtl else LABEL_WIDTH
    for tick in (0, 25, 50, 75, 100):
        x = x0 + plot * (tick / 100) if not text.rtl else x0 + plot * (1 - tick / 100)
        drawing.add(Line(x, 4 * mm, x, height, strokeColor=RULE, strokeWidth=0.3))
        drawing.add(
            String(
                x,
                0.8 * mm,
                text.shape(text.percent(tick)),
                fontName="PlanSans",
                fontSize=6,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for index, (label, score) in enumerate(rows):
        y = height - (index + 1) * ROW
        length = plot * max(0.0, min(score, 100.0)) / 100
        drawing.add(Rect(x0, y, plot, BAR_HEIGHT, fillColor=BAND, strokeColor=None))
        bar_x = x0 if not text.rtl else x0 + plot - length
        drawing.add(Rect(bar_x, y, length, BAR_HEIGHT, fillColor=_colour(score), strokeColor=None))
        shaped = text.shape(label if len(label) <= 44 else label[:42] + "…")
        if text.rtl:
            drawing.add(
                String(width, y + 1.2 * mm, shaped, fontName="PlanSans", fontSize=7, fillColor=NAVY, textAnchor="end")
            )
            drawing.add(
                String(
                    x0 - 1.5 * mm,
                    y + 1.2 * mm,
                    text.shape(text.percent(score)),
                    fontName="PlanSans",
                    fontSize=6.5,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
        else:
            drawing.add(String(0, y + 1.2 * mm, shaped, fontName="PlanSans", fontSize=7, fillColor=NAVY))
            drawing.add(
                String(
                    x0 + plot + 1.5 * mm,
                    y + 1.2 * mm,
                    text.shape(text.percent(score)),
                    fontName="PlanSans",
                    fontSize=6.5,
                    fillColor=MUTED,
                )
            )
    return drawing
