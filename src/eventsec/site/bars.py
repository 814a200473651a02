"""The venue page's readiness-by-domain bar chart as inline SVG.

The table beside it carries the same figures for screen readers and for copying; the chart
is for the eye, so it is one labelled image. Drawn as text (no reportlab), it is small, needs
no font file and mirrors for right-to-left pages. Colour is never the only carrier of meaning:
each bar is labelled with its domain and its score.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from eventsec.vocabulary import truncate

ROW = 22
"""Height of one domain's row, in SVG units (CSS pixels at 100 %)."""
WIDTH = 760
LABEL = 370
"""Room for the domain's name before the bar."""
LABEL_CHARS = 56
"""The longest name that fits in :data:`LABEL` at the chart's 12 px; a longer one is cut with an
ellipsis (the table beside the chart gives it whole), or it would run off the chart's edge."""
VALUE = 50
"""Room for the score after the bar."""


def domain_bars(rows: list[tuple[str, float, str]], label: str, rtl: bool) -> Markup:
    """One bar per (domain title, score 0–100, score as the page writes it), in ``rows``' order."""
    height = ROW * len(rows) + 4
    track = WIDTH - LABEL - VALUE
    parts = [
        f'<svg class="bars" role="img" aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (title, score, shown) in enumerate(rows):
        y = index * ROW + 2
        length = round(track * max(0.0, min(score, 100.0)) / 100, 1)
        parts.append(_row(escape(truncate(title, LABEL_CHARS, "…")), escape(shown), y, length, track, rtl))
    parts.append("</svg>")
    return Markup("".join(parts))


def _row(title: Markup, shown: Markup, y: int, length: float, track: int, rtl: bool) -> str:
    """A row's name, its track, its bar and its value; mirrored on a right-to-left page."""
    middle = y + ROW / 2 + 4
    if rtl:  # name at the right edge, the bar growing leftwards, the value at the left
        track_x, bar_x, name_x, value_x = VALUE, WIDTH - LABEL - length, WIDTH - 4, VALUE - 6
        name_anchor, value_anchor = "start", "end"
    else:
        track_x, bar_x, name_x, value_x = LABEL, LABEL, LABEL - 8, LABEL + track + 6
        name_anchor, value_anchor = "end", "start"
    # Each text says its direction: SVG text inherits the page's, and text-anchor follows it, so on
    # a right-to-left page an "end"-anchored value would otherwise run into the bar.
    return (
        f'<text x="{name_x}" y="{middle}" text-anchor="{name_anchor}" direction="{"rtl" if rtl else "ltr"}">{title}</text>'
        f'<rect class="track" x="{track_x}" y="{y + 3}" width="{track}" height="{ROW - 6}"/>'
        f'<rect class="bar" x="{bar_x}" y="{y + 3}" width="{length}" height="{ROW - 6}"/>'
        f'<text x="{value_x}" y="{middle}" text-anchor="{value_anchor}" direction="ltr">{shown}</text>'
    )
