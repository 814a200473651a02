"""Turning plan text into flowables: escaping, and the direction of the script.

Left-to-right text becomes reportlab Paragraphs. Right-to-left text is shaped and reordered
per line by :mod:`eventsec.render.rtl` (see docs/i18n.md).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from eventsec.i18n import Catalog


class TextMaker:
    """Makes paragraphs in the plan's language and direction."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.rtl = catalog.rtl

    def t(self, key: str, **values) -> str:
        return self.catalog.t(key, **values)

    def percent(self, value: float) -> str:
        return self.catalog.percent(value)

    def shape(self, text: str) -> str:
        """A single line for the canvas (headers, footers, chart labels, contents entries) in
        visual order, with its own base direction: right to left only when it holds Arabic."""
        if not self.rtl:
            return text
        from eventsec.render.rtl import visual_line

        return visual_line(text)

    def para(self, text: str, style, bold_prefix: str = "") -> Paragraph:
        """A paragraph in the plan's direction. In a left-to-right plan, text written in Arabic
        (a headline an outlet published, a name) reads right to left on its own, and a few
        Arabic words inside a sentence are shaped and put in visual order."""
        text = str(text)
        if self.rtl or _has_arabic(text):
            from eventsec.render.rtl import RTLParagraph, rtl_dominant, visual_runs

            if self.rtl or rtl_dominant(text):
                return RTLParagraph(f"{bold_prefix}{text}", style)
            text = visual_runs(text)
        markup = (f"<b>{escape(bold_prefix)}</b>" if bold_prefix else "") + escape(text).replace("\n", "<br/>")
        return Paragraph(markup, style)


def _has_arabic(text: str) -> bool:
    """A cheap test that spares left-to-right plans the bidi modules for text with no Arabic."""
    return any("\u0590" <= char <= "\u08ff" or "\ufb1d" <= char <= "\ufefc" for char in text)
