"""Inline SVG charts for the site: small pure functions, the same input giving the same bytes.

Every number is written with fixed decimals (:func:`fmt`), every label escaped, and a chart is
an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the page puts a data table beside
it for screen readers. The root carries ``direction="ltr"`` so that ``text-anchor`` keeps its
physical meaning inside an Arabic page (the labels' own words are still laid out right to
left by the browser): the time axis runs left to right in every language, as numbers run
inside Arabic text, so the same chart reads the same way on the French and the Arabic page of
one directorate (docs/trend.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = (
    "#1f4e99",
    "#b3261e",
    "#1b6e3a",
    "#8a4b00",
    "#6a1b9a",
    "#00696f",
    "#a0236b",
    "#4d5b00",
    "#3d3d99",
    "#7a3b2e",
    "#005a8c",
    "#5c5c5c",
)
"""Line colours, each at least 4.5:1 against white (WCAG AA for text, so for thin lines too)."""
DASHES = ("", "6 3", "2 3", "8 3 2 3")
"""Dash patterns cycled after the colours, so two lines never look alike."""


@dataclass(frozen=True)
class Series:
    """One line: its name, one value per x position (None breaks the line), and whether it is
    the line the chart is about (drawn thicker)."""

    label: str
    values: Sequence[float | None]
    emphasis: bool = False


@dataclass(frozen=True)
class Frame:
    """The plot area inside the SVG, in user units."""

    width: float = 640.0
    height: float = 260.0
    left: float = 48.0
    right: float = 16.0
    top: float = 16.0
    bottom: float = 40.0

    @property
    def x_range(self) -> tuple[float, float]:
        return self.left, self.width - self.right

    @property
    def y_range(self) -> tuple[float, float]:
        """Bottom to top: SVG's y grows downwards."""
        return self.height - self.bottom, self.top


def fmt(value: float) -> str:
    """A coordinate with two fixed decimals; never ``-0.00``."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def scale(value: float, domain: tuple[float, float], target: tuple[float, float]) -> float:
    """``value`` mapped linearly from ``domain`` onto ``target``; an empty domain maps to the
    middle of the target (a flat series is drawn across the middle, not divided by zero)."""
    low, high = domain
    start, end = target
    if high == low:
        return (start + end) / 2
    return start + (value - low) * (end - start) / (high - low)


def x_positions(count: int, target: tuple[float, float]) -> list[float]:
    """``count`` evenly spaced positions across ``target``, strictly increasing; a single
    point sits in the middle. Commits are spaced evenly, not by date: a day of ten commits must
    not crowd them into one pixel."""
    if count == 1:
        return [(target[0] + target[1]) / 2]
    return [scale(i, (0, count - 1), target) for i in range(count)]


def segments(
    values: Sequence[float | None], xs: Sequence[float], y: Callable[[float], float]
) -> list[list[tuple[float, float]]]:
    """The runs of consecutive known values as point lists: a None (a gap) breaks the line."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for x, value in zip(xs, values):
        if value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((x, y(value)))
    if current:
        runs.append(current)
    return runs


def line_chart(
    series: Sequence[Series],
    x_labels: Sequence[str],
    title: str,
    desc: str,
    y_label: Callable[[float], str],
    y_max: float = 100.0,
    ticks: Sequence[float] = (0, 25, 50, 75, 100),
    frame: Frame = Frame(),
) -> Markup:
    """A line chart of ``series`` over len(``x_labels``) positions, y from 0 to ``y_max``.

    Only the first and last x labels are written (the data table has every one); ``y_label``
    says a tick value in the page's language. A series of one point is drawn as a dot."""
    xs = x_positions(len(x_labels), frame.x_range) if x_labels else []

    def y(value: float) -> float:
        return scale(value, (0.0, y_max), frame.y_range)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" direction="ltr" viewBox="0 0 {fmt(frame.width)} '
        f'{fmt(frame.height)}" class="trend-chart"><title>{escape(title)}</title><desc>{escape(desc)}</desc>',
        *_grid(frame, ticks, y, y_label),
        *_x_labels(frame, xs, x_labels),
    ]
    for index, line in enumerate(series):
        parts.append(_line(line, index, xs, y))
    parts.append("</svg>")
    return Markup("".join(parts))


def style_of(index: int, emphasis: bool = False) -> dict[str, str]:
    """The stroke of the ``index``-th line: a colour, a dash pattern after every colour is used."""
    style = {"stroke": PALETTE[index % len(PALETTE)], "stroke-width": "3.00" if emphasis else "1.50"}
    dash = DASHES[(index // len(PALETTE)) % len(DASHES)]
    if dash:
        style["stroke-dasharray"] = dash
    return style


def _attributes(style: dict[str, str]) -> str:
    return " ".join(f'{name}="{value}"' for name, value in style.items())


def _grid(
    frame: Frame, ticks: Sequence[float], y: Callable[[float], float], y_label: Callable[[float], str]
) -> list[str]:
    left, right = frame.x_range
    parts = []
    for tick in ticks:
        at = fmt(y(tick))
        parts.append(
            f'<line x1="{fmt(left)}" y1="{at}" x2="{fmt(right)}" y2="{at}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{fmt(left - 6)}" y="{at}" text-anchor="end" dominant-baseline="middle" font-size="11" '
            f'fill="#333333">{escape(y_label(tick))}</text>'
        )
    return parts


def _x_labels(frame: Frame, xs: Sequence[float], labels: Sequence[str]) -> list[str]:
    if not xs:
        return []
    baseline = fmt(frame.height - frame.bottom + 18)
    shown = [(xs[0], labels[0], "start")]
    if len(xs) > 1:
        shown.append((xs[-1], labels[-1], "end"))
    else:
        shown = [(xs[0], labels[0], "middle")]
    return [
        f'<text x="{fmt(x)}" y="{baseline}" text-anchor="{anchor}" font-size="11" fill="#333333">{escape(text)}</text>'
        for x, text, anchor in shown
    ]


def _line(line: Series, index: int, xs: Sequence[float], y: Callable[[float], float]) -> str:
    style = style_of(index, line.emphasis)
    shapes = []
    for run in segments(line.values, xs, y):
        if len(run) == 1:
            x, at = run[0]
            shapes.append(f'<circle cx="{fmt(x)}" cy="{fmt(at)}" r="3.00" fill="{style["stroke"]}"/>')
        else:
            points = " ".join(f"{fmt(x)},{fmt(at)}" for x, at in run)
            shapes.append(f'<polyline points="{points}" fill="none" {_attributes(style)}/>')
    return f"<g><title>{escape(line.label)}</title>{''.join(shapes)}</g>"


def swatch(index: int, emphasis: bool = False) -> Markup:
    """A short sample of the ``index``-th line for a legend (decorative: the label says it)."""
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" width="28" height="10" '
        f'viewBox="0 0 28 10"><line x1="1" y1="5" x2="27" y2="5" {_attributes(style_of(index, emphasis))}/></svg>'
    )
