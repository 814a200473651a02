"""Right-to-left text for reportlab: Arabic shaping, bidi reordering, line order kept.

reportlab lays words out left to right and its own RTL support needs a package that is not
on PyPI, so (tooling-notes.md): wrap the text in *logical* order, measuring each candidate
line as it will be drawn (shaped), then reshape and reorder each line on its own and draw it
right-aligned. Reordering the whole paragraph before wrapping would put the last sentence on
the first line. ``bidi.algorithm.get_display`` mirrors brackets (the top-level Rust
``get_display`` does not): "(Gate 12)" stays "(Gate 12)".
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable


def visual_line(text: str) -> str:
    """One line in visual order: Arabic letters joined, runs ordered for a right-to-left base."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="R")


def _width(text: str, font: str, size: float) -> float:
    import arabic_reshaper

    return stringWidth(arabic_reshaper.reshape(text), font, size)


def wrap_logical(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` in logical order, each fitting ``width`` once shaped."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if _width(candidate, font, size) <= width or not current:
                current = candidate
                while _width(current, font, size) > width and len(current) > 1:  # one word wider than the line
                    cut = len(current)
                    while cut > 1 and _width(current[:cut], font, size) > width:
                        cut -= 1
                    lines.append(current[:cut])
                    current = current[cut:]
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


class RTLParagraph(Flowable):
    """A right-aligned paragraph of right-to-left text that wraps, splits and keeps line order."""

    def __init__(self, text: str, style: Any, lines: list[str] | None = None, wrapped_for: float | None = None) -> None:
        super().__init__()
        self.text, self.style, self._lines = text, style, lines
        self._wrapped_for = wrapped_for
        """The width ``lines`` were wrapped for (a split part keeps its lines at that width)."""
        self.spaceBefore = getattr(style, "spaceBefore", 0)
        self.spaceAfter = getattr(style, "spaceAfter", 0)
        self.keepWithNext = getattr(style, "keepWithNext", 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if self._lines is None or self._wrapped_for != avail_width:
            self._lines = wrap_logical(self.text, self.style.fontName, self.style.fontSize, avail_width)
            self._wrapped_for = avail_width
        self.height = len(self._lines) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        head, tail = self._lines[:fit], self._lines[fit:]
        return [
            RTLParagraph(" ".join(head), self.style, head, avail_width),
            RTLParagraph(" ".join(tail), self.style, tail, avail_width),
        ]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        baseline = self.height - self.style.fontSize
        for number, line in enumerate(self._lines):
            canvas.drawRightString(self.width, baseline - number * self.style.leading, visual_line(line))

    def getPlainText(self, identify: bool | None = None) -> str:
        return self.text
