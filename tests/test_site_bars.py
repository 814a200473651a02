"""The venue page's readiness-by-domain bars: labelled, clamped, mirrored, and never clipped."""

from __future__ import annotations

import re

from eventsec.site.bars import LABEL_CHARS, domain_bars

LONG = "Hooliganism, fan intelligence and international police cooperation"


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_each_bar_is_labelled_with_its_domain_and_score_and_clamped_to_the_track():
    svg = str(domain_bars([("Crowd", 75.0, "75%"), ("Medical", 140.0, "140%")], "Readiness", rtl=False))
    assert texts(svg) == ["Crowd", "75%", "Medical", "140%"]
    widths = [float(w) for w in re.findall(r'class="bar"[^>]* width="([0-9.]+)"', svg)]
    track = float(re.search(r'class="track"[^>]* width="([0-9.]+)"', svg)[1])
    assert widths == [round(track * 0.75, 1), track]


def test_a_long_domain_name_is_cut_to_fit_beside_its_bar():
    """The whole name is in the table beside the chart; in the chart it would run off the left edge."""
    (name, _) = texts(str(domain_bars([(LONG, 98.0, "98%")], "Readiness", rtl=False)))
    assert len(name) == LABEL_CHARS and name.endswith("…") and LONG.startswith(name[:-1])


def test_on_a_right_to_left_page_every_label_says_its_direction():
    """SVG text inherits the page's direction, which flips text-anchor: each label sets its own."""
    svg = str(domain_bars([("الحشود", 75.0, "75%")], "الجاهزية", rtl=True))
    assert re.findall(r'direction="(\w+)"', svg) == ["rtl", "ltr"]
