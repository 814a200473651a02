"""site/svg.py: scales, positions, broken lines, fixed decimals and escaping."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from eventsec.site.svg import PALETTE, Frame, Series, fmt, line_chart, scale, segments, style_of, swatch, x_positions

SVG = "{http://www.w3.org/2000/svg}"


def chart(series, labels=("1 Jan", "2 Jan", "3 Jan"), title="T", desc="D") -> ET.Element:
    return ET.fromstring(str(line_chart(series, list(labels), title, desc, lambda v: f"{v:g}")))


def test_scale_maps_linearly_and_flips_for_svg_y():
    assert scale(0, (0, 100), (220, 16)) == 220
    assert scale(100, (0, 100), (220, 16)) == 16
    assert scale(25, (0, 100), (0, 400)) == 100
    assert scale(7, (5, 5), (0, 10)) == 5  # an empty domain: the middle, no division by zero


def test_x_positions_are_strictly_increasing_and_span_the_frame():
    xs = x_positions(7, (48, 624))
    assert xs[0] == 48 and xs[-1] == 624
    assert all(a < b for a, b in itertools.pairwise(xs))
    assert x_positions(1, (48, 624)) == [336]
    assert x_positions(0, (48, 624)) == []


def test_fmt_has_fixed_decimals_and_no_negative_zero():
    assert fmt(1) == "1.00" and fmt(2 / 3) == "0.67" and fmt(-0.001) == "0.00"


def test_segments_break_at_gaps():
    runs = segments([1, 2, None, 4, None], [0, 1, 2, 3, 4], lambda v: v * 10)
    assert runs == [[(0, 10), (1, 20)], [(3, 40)]]
    assert segments([None, None], [0, 1], float) == []


def test_chart_is_an_image_with_title_and_desc_and_escaped_labels():
    root = chart([Series("Luz <script>&", [10, 20, 30])], title="Score <b>", desc="a & b")
    assert root.get("role") == "img" and root.get("direction") == "ltr"
    assert root.find(f"{SVG}title").text == "Score <b>"
    assert root.find(f"{SVG}desc").text == "a & b"
    line = root.find(f"{SVG}g")
    assert line.find(f"{SVG}title").text == "Luz <script>&"
    points = [tuple(map(float, p.split(","))) for p in line.find(f"{SVG}polyline").get("points").split()]
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    assert points[0][1] > points[1][1] > points[2][1]  # higher score, higher on the page


def test_first_and_last_labels_only():
    texts = [t.text for t in chart([Series("a", [1, 2, 3])]).iter(f"{SVG}text")]
    assert texts[-2:] == ["1 Jan", "3 Jan"] and "2 Jan" not in texts
    assert texts[:5] == ["0", "25", "50", "75", "100"]


def test_empty_and_single_point_series():
    empty = chart([Series("none", [None, None, None])])
    assert empty.find(f"{SVG}g").findall(f"{SVG}polyline") == []
    single = chart([Series("one", [50])], labels=["1 Jan"])
    dot = single.find(f"{SVG}g").find(f"{SVG}circle")
    assert dot.get("cx") == fmt(Frame().left + (Frame().width - Frame().right - Frame().left) / 2)
    assert chart([], labels=[]).find(f"{SVG}title").text == "T"


def test_same_input_same_bytes():
    series = [Series("a", [1 / 3, None, 2 / 3], emphasis=True), Series("b", [0, 100, 50])]
    first = line_chart(series, ["x", "y", "z"], "t", "d", str)
    assert first == line_chart(series, ["x", "y", "z"], "t", "d", str)
    assert "0.3333" not in first  # every number with two decimals


@pytest.mark.parametrize("index", [0, len(PALETTE) - 1])
def test_styles_differ_by_dash_once_colours_repeat(index):
    assert style_of(index)["stroke"] == style_of(index + len(PALETTE))["stroke"]
    assert "stroke-dasharray" not in style_of(index)
    assert "stroke-dasharray" in style_of(index + len(PALETTE))


def test_swatch_is_decorative():
    root = ET.fromstring(str(swatch(1, emphasis=True)))
    assert root.get("aria-hidden") == "true" and root.find(f"{SVG}line").get("stroke-width") == "3.00"


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``#rrggbb`` against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_every_line_colour_meets_wcag_aa_on_white():
    assert min(contrast_on_white(colour) for colour in PALETTE) >= 4.5
    assert len(set(PALETTE)) == len(PALETTE)
