"""Right-to-left text for reportlab: Arabic shaping, bidirectional order, line order kept.

reportlab lays words out left to right and its own RTL support needs a package that is not
on PyPI, so (tooling-notes.md): wrap the text in *logical* order, measuring each candidate
line as it will be drawn (shaped), then shape and reorder each line on its own and draw it
right-aligned. Reordering the whole paragraph before wrapping would put the last sentence on
the first line.

Direction is the Unicode Bidirectional Algorithm's (``bidi.algorithm``, which mirrors
brackets; the top-level Rust ``get_display`` does not), never forced:

- a paragraph (cell, line of a header) with Arabic in it has a right-to-left base; one
  without takes the base UAX #9 rules P2/P3 give it (left to right for ids, references,
  Latin names), so "ACC-001" or "RBT-DMS-0102: Scaled perimeter plan" reads as in the
  English plan. Every line of a paragraph is reordered with the paragraph's base.
- inside a right-to-left paragraph, each left-to-right run (Latin words, numbers, ids,
  dates, emails, phone numbers, expressions, with the brackets and quotes they open and
  close) is embedded left to right (UAX #9 HL3, explicit embeddings), so
  ``match.stage == 'final'`` and "+212 5 37 00 00 00" keep their order and their
  punctuation where it belongs, while the punctuation of the Arabic sentence stays Arabic.

The Arabic harakat (shadda, vowel marks) are kept: the reshaper's default deletes them.
Shaping and widths are cached per word: a plan measures the same words thousands of times.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

LRE, PDF = "\u202a", "\u202c"
"""Left-to-right embedding and its end (UAX #9 X3, X7); the algorithm removes them (X9)."""
RTL_CLASSES = frozenset({"R", "AL"})
LTR_CLASSES = frozenset({"L", "EN", "AN"})
"""What starts and ends a left-to-right run: strong left-to-right letters and digits."""
CLOSERS = {")": "(", "]": "[", "}": "{", "»": "«", "›": "‹"}
OPENERS = {opener: closer for closer, opener in CLOSERS.items()}
QUOTES = frozenset("'\"`")
PHONE = re.compile(r"\+?[0-9]+(?:[ -][0-9]+)+")
"""Digit groups apart by single spaces or hyphens: a phone number."""
SIGNS = frozenset("+-−±$€£#")
"""Leading characters that belong to the number right after them."""


PLAN_FONTS = ("PlanSans", "PlanSans-Bold")
"""The names :func:`eventsec.render.fonts.register_fonts` registers the plan's faces under."""


def _plan_faces() -> tuple[str, ...]:
    """Which font files the plan draws with now (the shaping depends on what they hold);
    the default ones, registered here, when no plan has registered its fonts yet."""
    from reportlab.pdfbase.pdfmetrics import getFont

    try:
        return tuple(getFont(name).face.name for name in PLAN_FONTS)
    except KeyError:  # reportlab's "no such font"
        from eventsec.render.fonts import register_fonts

        register_fonts()
        return tuple(getFont(name).face.name for name in PLAN_FONTS)


@lru_cache(maxsize=4)
def _reshaper(faces: tuple[str, ...]) -> Any:
    """A reshaper that keeps the harakat (its default deletes them: no shadda) and makes only
    the ligatures every plan font has a glyph for (DejaVu Sans has no "الله" ligature, which
    came out as a blank box)."""
    from arabic_reshaper import ArabicReshaper
    from arabic_reshaper.ligatures import LIGATURES
    from reportlab.pdfbase.pdfmetrics import getFont

    glyphs = [set(getFont(name).face.charWidths) for name in PLAN_FONTS]
    drawable = {
        name: all(ord(form) in font for form in forms if form for font in glyphs) for name, (_, forms) in LIGATURES
    }
    return ArabicReshaper(configuration={"delete_harakat": False, **drawable})


def _bidi_class(char: str) -> str:
    return unicodedata.bidirectional(char)


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a strong right-to-left character (Arabic, Hebrew)."""
    return any(_bidi_class(char) in RTL_CLASSES for char in text)


def base_direction(text: str) -> str:
    """The base direction, "R" or "L": right to left for a paragraph with Arabic in it;
    otherwise what UAX #9 P2/P3 give: the first strong character is left to right, or there
    is none (then left to right too)."""
    return "R" if has_rtl(text) else "L"


@lru_cache(maxsize=16384)
def mark_runs(text: str) -> str:
    """``text`` with each left-to-right run between right-to-left characters embedded
    left to right (LRE … PDF)."""
    return "".join(
        "".join(chars) if rtl else _embed("".join(chars))
        for rtl, chars in groupby(text, lambda char: _bidi_class(char) in RTL_CLASSES)
    )


def _embed(segment: str) -> str:
    """A stretch without right-to-left characters with its left-to-right run embedded.

    Numbers alone are left to the algorithm, which reads "12، 13، 14" or "م² = 47" from the
    right, unless they are one token (a date, a time) or a phone number: those read as
    written."""
    strong = [i for i, char in enumerate(segment) if _bidi_class(char) in LTR_CLASSES]
    if not strong:
        return segment
    start, end = strong[0], strong[-1] + 1
    while start > 0 and _belongs_before(segment[start - 1], segment[start], segment[end:]):
        start -= 1
    while end < len(segment) and _closes(segment[end], segment[start:end]):
        end += 1
    run = segment[start:end]
    if not (_has_letters(run) or not any(char.isspace() for char in run) or PHONE.fullmatch(run)):
        return segment
    return f"{segment[:start]}{LRE}{run}{PDF}{segment[end:]}"


def _has_letters(run: str) -> bool:
    return any(_bidi_class(char) == "L" for char in run)


def _belongs_before(char: str, following: str, rest: str) -> bool:
    """An opening bracket or quote whose partner follows the run, or a sign of a number."""
    if char in OPENERS:
        return OPENERS[char] in rest
    if char in QUOTES:
        return char in rest
    return char in SIGNS and _bidi_class(following) in ("EN", "AN")


def _closes(char: str, run: str) -> bool:
    """A closing bracket or quote opened inside the run, or a percent sign after a number."""
    if char in CLOSERS:
        return run.count(CLOSERS[char]) > run.count(char)
    if char in QUOTES:
        return run.count(char) % 2 == 1
    return _bidi_class(char) == "ET" and _bidi_class(run[-1]) in ("EN", "AN")


def shaped(text: str) -> str:
    """Arabic letters in their joined forms (harakat kept), still in logical order."""
    return _shaped(text, _plan_faces())


@lru_cache(maxsize=65536)
def _shaped(text: str, faces: tuple[str, ...]) -> str:
    return _reshaper(faces).reshape(text)


RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufefc](?:[\u0590-\u08ff\ufb1d-\ufefc\s\d.,،:؛()«»\"'\-–]*[\u0590-\u08ff\ufb1d-\ufefc])?"
)
"""A run of right-to-left words, with the spaces, digits and punctuation between them."""


def rtl_dominant(text: str) -> bool:
    """True when ``text`` has more right-to-left letters than left-to-right ones: a headline or
    a name written in Arabic, which reads right to left even in a left-to-right plan."""
    classes = [_bidi_class(char) for char in text]
    return sum(c in RTL_CLASSES for c in classes) > sum(c == "L" for c in classes)


def visual_runs(text: str) -> str:
    """A left-to-right paragraph with each Arabic run shaped and in visual order, for a
    left-to-right plan that quotes a few Arabic words; the runs are short enough that
    reportlab's wrapping does not split them in practice."""
    return RTL_RUN.sub(lambda run: visual_line(run.group(0), "R"), text)


def visual_line(line: str, base: str | None = None) -> str:
    """One line in visual (drawing) order, reordered with its paragraph's ``base`` direction
    ("R" or "L"; by default the line's own, as for a header or a chart label)."""
    return _visual(line, base or base_direction(line), _plan_faces())


@lru_cache(maxsize=65536)
def _visual(line: str, base: str, faces: tuple[str, ...]) -> str:
    from bidi.algorithm import get_display

    if base == "L":
        return _plain(line)
    return get_display(_shaped(mark_runs(line) if LRE not in line else line, faces), base_dir="R")


def _word_width(word: str, font: str, size: float) -> float:
    return _measured(word, font, size, _plan_faces())


@lru_cache(maxsize=65536)
def _measured(word: str, font: str, size: float, faces: tuple[str, ...]) -> float:
    return stringWidth(_shaped(_plain(word), faces), font, size)


def _plain(text: str) -> str:
    return text.replace(LRE, "").replace(PDF, "")


def _joined(lines: list[tuple[str, str]]) -> str:
    """The plain text of some wrapped lines (a split part's text)."""
    return _plain(" ".join(line for _, line in lines))


def wrap_logical(text: str, font: str, size: float, width: float) -> list[tuple[str, str]]:
    """(base direction, line) for each line of ``text`` in logical order, each line fitting
    ``width`` once shaped. Each paragraph (a new line starts one) has its own base direction,
    which all its lines share. Lines of a right-to-left paragraph carry their runs'
    embeddings, closed at the end of a line and reopened on the next, so each line reorders
    on its own."""
    lines: list[tuple[str, str]] = []
    for paragraph in str(text).split("\n"):
        base = base_direction(paragraph)
        marked = mark_runs(paragraph) if base == "R" else paragraph
        lines += [(base, line) for line in _balanced(_wrap_words(marked.split(), font, size, width))]
    return lines


def _wrap_words(words: list[str], font: str, size: float, width: float) -> list[str]:
    """Greedy wrapping; a word wider than the line is cut where it must be."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current, used = "", 0.0
    for word in words:
        word_width = _word_width(word, font, size)
        if current and used + space + word_width <= width:
            current, used = f"{current} {word}", used + space + word_width
            continue
        if current:
            lines.append(current)
        current, used = word, word_width
        while used > width and len(current) > 1:
            cut = len(current)
            while cut > 1 and _word_width(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
            used = _word_width(current, font, size)
    lines.append(current)
    return lines


def _balanced(lines: list[str]) -> list[str]:
    """Each line's embeddings closed at its end and reopened at the next line's start."""
    balanced, open_ = [], False
    for line in lines:
        starts_open = open_
        for char in line:
            if char in (LRE, PDF):
                open_ = char == LRE
        balanced.append((LRE if starts_open else "") + line + (PDF if open_ else ""))
    return balanced


class RTLParagraph(Flowable):
    """A paragraph of a right-to-left plan: right-aligned (or centred), wrapped in logical
    order, each line reordered with the paragraph's base direction; splits keep line order."""

    def __init__(
        self,
        text: str,
        style: Any,
        lines: list[tuple[str, str]] | None = None,
        wrapped_for: float | None = None,
    ) -> None:
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
            RTLParagraph(_joined(head), self.style, head, avail_width),
            RTLParagraph(_joined(tail), self.style, tail, avail_width),
        ]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        baseline = self.height - self.style.fontSize
        for number, (base, line) in enumerate(self._lines):
            y = baseline - number * self.style.leading
            if self.style.alignment == TA_CENTER:
                canvas.drawCentredString(self.width / 2, y, visual_line(line, base))
            else:
                canvas.drawRightString(self.width, y, visual_line(line, base))

    def getPlainText(self, identify: bool | None = None) -> str:
        return self.text
