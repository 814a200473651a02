"""The trend section of the site: a readiness history as an inline SVG line chart, its data as
a table for screen readers, and the commits that moved the scores most.

On the tournament page there is one line per venue; on a venue page one line for the venue
(drawn thicker) and one per domain whose score changed in the history (a domain that never
moved is a flat line that would only hide the others: it is named, with its score, below the
chart). Every word comes from the catalogs; numbers and dates are the language's.
"""

from __future__ import annotations

import functools

from markupsafe import Markup

from eventsec.i18n import Catalog
from eventsec.site.history import History, Point
from eventsec.site.svg import Series, line_chart, swatch

SHA_SHOWN = 8
"""Characters of a commit id shown (enough to find it with git show)."""
MOVES_SHOWN = 5


@functools.cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("eventsec.site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_trend(history: History, catalog: Catalog, venue: str | None) -> Markup:
    """The ``<section id="trend">`` of the tournament page (``venue`` None) or a venue's page."""
    series, columns, unchanged = _lines(history, catalog, venue)
    texts = _texts(catalog)
    values = {
        **texts,
        "intro": catalog.t("trend_intro", as_of=_as_of(history, catalog), count=catalog.number(len(history.points))),
        "chart": _chart(history, catalog, venue, series) if history.points else "",
        "legend": [{"swatch": swatch(i, s.emphasis), "label": s.label} for i, s in enumerate(series)],
        "unchanged": catalog.t("trend_unchanged", domains=", ".join(unchanged)) if unchanged else "",
        "columns": columns,
        "rows": [_row(point, catalog, [s.values[i] for s in series]) for i, point in enumerate(history.points)],
        "moves": [_move(history, catalog, name, move) for name, move in history.moves(venue, MOVES_SHOWN)],
        "by_venue": venue is None,
    }
    return Markup(_environment().get_template("trend.html").render(values))


def _texts(catalog: Catalog) -> dict[str, str]:
    """The section's fixed words in the page's language."""
    keys = {
        "heading": "trend_heading",
        "nothing": "trend_none",
        "table_summary": "trend_table_summary",
        "table_caption": "trend_table_caption",
        "gap": "trend_gap",
        "moves_heading": "trend_moves_heading",
        "moves_caption": "trend_moves_caption",
        "moves_none": "trend_moves_none",
        "subject_withheld": "trend_subject_withheld",
        "col_date": "col_date",
        "col_commit": "trend_col_commit",
        "col_venue": "dc_venue",
        "col_change": "trend_col_change",
        "col_score": "col_score",
        "col_verdict": "ops_col_verdict",
        "col_subject": "trend_col_subject",
    }
    return {name: catalog.t(key) for name, key in keys.items()}


def _as_of(history: History, catalog: Catalog) -> str:
    return catalog.date(history.as_of) if history.as_of else ""


def _lines(history: History, catalog: Catalog, venue: str | None) -> tuple[list[Series], list[str], list[str]]:
    """(the chart's lines, the data table's column headings, the unchanged domains as said)."""
    if venue is None:
        series = [Series(_venue_name(history, v), history.series(v)) for v in history.venues()]
        return series, [s.label for s in series], []
    name = _venue_name(history, venue)
    series = [Series(catalog.t("trend_legend_overall", venue=name), history.series(venue), emphasis=True)]
    columns = [catalog.t("trend_col_overall")]
    unchanged = []
    for domain in history.domains(venue):
        values = history.series(venue, domain)
        title = history.domain_titles.get(domain, domain)
        known = [v for v in values if v is not None]
        if len(set(known)) > 1:
            series.append(Series(title, values))
            columns.append(title)
        elif known:
            unchanged.append(f"{title} ({catalog.number(known[-1], 1)})")
    return series, columns, unchanged


def _venue_name(history: History, venue: str) -> str:
    return history.venue_names.get(venue, venue)


def _chart(history: History, catalog: Catalog, venue: str | None, series: list[Series]) -> Markup:
    points = history.points
    first, last = catalog.date(points[0].date), catalog.date(points[-1].date)
    title = (
        catalog.t("trend_chart_tournament")
        if venue is None
        else catalog.t("trend_chart_venue", venue=_venue_name(history, venue))
    )
    desc = catalog.t("trend_chart_desc", count=catalog.number(len(points)), first=first, last=last)
    labels = [catalog.date(point.date) for point in points]
    return line_chart(series, labels, title, desc, lambda tick: catalog.number(tick))


def _row(point: Point, catalog: Catalog, values: list[float | None]) -> dict:
    return {
        "date": catalog.date(point.date),
        "sha": point.commit[:SHA_SHOWN],
        "gap": point.gap is not None,
        "cells": ["–" if v is None else catalog.number(v, 1) for v in values],
    }


def _move(history: History, catalog: Catalog, venue: str, move) -> dict:
    delta = round(move.delta, 1)
    return {
        "date": catalog.date(move.point.date),
        "sha": move.point.commit[:SHA_SHOWN],
        "venue": _venue_name(history, venue),
        "delta": ("+" if delta > 0 else "") + catalog.number(delta, 1),
        "scores": catalog.t(
            "trend_before_after", before=catalog.number(move.before, 1), after=catalog.number(move.after, 1)
        ),
        "verdicts": catalog.t(
            "trend_before_after",
            before=catalog.t(f"verdict_{move.was.verdict}"),
            after=catalog.t(f"verdict_{move.now.verdict}"),
        ),
        "subject": move.point.subject,
    }
