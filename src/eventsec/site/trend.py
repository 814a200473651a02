"""The trend of the site: a readiness history's data (built by :mod:`eventsec.site.history`
from the git history), and its section: an inline SVG line chart, its data as a table for
screen readers, and the commits that moved the scores most.

On the tournament page there is one line per venue; on a venue page one line for the venue
(drawn thicker) and one per domain whose score changed in the history (a domain that never
moved is a flat line that would only hide the others: it is named, with its score, below the
chart). Every word comes from the catalogs; numbers and dates are the language's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from markupsafe import Markup

from eventsec.i18n import Catalog
from eventsec.site.svg import Series, line_chart, swatch

SHA_SHOWN = 8
"""Characters of a commit id shown (enough to find it with git show)."""
MOVES_SHOWN = 5


@dataclass(frozen=True)
class VenuePoint:
    """One venue's readiness at one commit: small on purpose (a history holds hundreds)."""

    venue: str
    score: float
    verdict: str
    domains: tuple[tuple[str, float], ...]
    """(domain id, score %) of the domains the release shows, in the plan's domain order."""


@dataclass(frozen=True)
class Point:
    """One commit: every venue's readiness, or the reason there is none (a gap)."""

    commit: str
    date: str
    """The commit's committer date, YYYY-MM-DD."""
    subject: str
    """The commit's subject; empty when the release is not the full one."""
    venues: tuple[VenuePoint, ...] = ()
    gap: str | None = None
    """Why the workspace could not be assessed at this commit (English, for logs and JSON)."""

    def venue(self, venue_id: str) -> VenuePoint | None:
        return next((v for v in self.venues if v.venue == venue_id), None)


@dataclass(frozen=True)
class Move:
    """A commit that moved a venue's score: its point before and after that commit."""

    point: Point
    was: VenuePoint
    now: VenuePoint

    @property
    def before(self) -> float:
        return self.was.score

    @property
    def after(self) -> float:
        return self.now.score

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class History:
    """Readiness per venue and domain at each commit that changed the workspace, oldest first."""

    as_of: str = ""
    points: list[Point] = field(default_factory=list)
    venue_names: dict[str, dict[str, str]] = field(default_factory=dict)
    """Venue id → {language: its name} (from the newest commit that resolved); its id when the
    release withholds the venue's text."""
    domain_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    """Domain id → {language: its title}; its id when the release withholds the domain's text."""
    lang: str = "en"
    """The language the history was asked for: names in it when no other is given."""

    def venue_name(self, venue_id: str, lang: str | None = None) -> str:
        return self.venue_names.get(venue_id, {}).get(lang or self.lang, venue_id)

    def domain_title(self, domain_id: str, lang: str | None = None) -> str:
        return self.domain_titles.get(domain_id, {}).get(lang or self.lang, domain_id)

    def venues(self) -> list[str]:
        """Every venue assessed at some commit, sorted by id."""
        return sorted({v.venue for p in self.points for v in p.venues})

    def domains(self, venue_id: str) -> list[str]:
        """The domains charted for one venue, in their order at the newest commit that has them."""
        seen: dict[str, None] = {}
        for point in reversed(self.points):
            found = point.venue(venue_id)
            for domain, _ in found.domains if found else ():
                seen.setdefault(domain, None)
        return list(seen)

    def series(self, venue_id: str, domain: str | None = None) -> list[float | None]:
        """One value per point (None at a gap, or where the venue or domain was not there)."""
        values: list[float | None] = []
        for point in self.points:
            found = point.venue(venue_id)
            if found is None:
                values.append(None)
            elif domain is None:
                values.append(found.score)
            else:
                values.append(dict(found.domains).get(domain))
        return values

    def moves(self, venue_id: str | None, limit: int = 5) -> list[tuple[str, Move]]:
        """The commits that moved a venue's score most (every venue's when ``venue_id`` is
        None), largest change first: (venue id, move). A gap is skipped over: the change is
        measured from the last commit that was assessed."""
        found: list[tuple[int, str, Move]] = []
        for venue in [venue_id] if venue_id else self.venues():
            was: VenuePoint | None = None
            for position, point in enumerate(self.points):
                now = point.venue(venue)
                if now is None:
                    continue
                if was is not None and round(now.score - was.score, 1) != 0:
                    found.append((position, venue, Move(point, was, now)))
                was = now
        found.sort(key=lambda entry: (-abs(round(entry[2].delta, 1)), entry[0], entry[1]))
        return [(venue, move) for _, venue, move in found[:limit]]


# -- the section -------------------------------------------------------------------------------
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
        series = [Series(history.venue_name(v, catalog.lang), history.series(v)) for v in history.venues()]
        return series, [s.label for s in series], []
    name = history.venue_name(venue, catalog.lang)
    series = [Series(catalog.t("trend_legend_overall", venue=name), history.series(venue), emphasis=True)]
    columns = [catalog.t("trend_col_overall")]
    unchanged = []
    for domain in history.domains(venue):
        values = history.series(venue, domain)
        title = history.domain_title(domain, catalog.lang)
        known = [v for v in values if v is not None]
        if len(set(known)) > 1:
            series.append(Series(title, values))
            columns.append(title)
        elif known:
            unchanged.append(f"{title} ({catalog.number(known[-1], 1)})")
    return series, columns, unchanged


def _chart(history: History, catalog: Catalog, venue: str | None, series: list[Series]) -> Markup:
    points = history.points
    first, last = catalog.date(points[0].date), catalog.date(points[-1].date)
    title = (
        catalog.t("trend_chart_tournament")
        if venue is None
        else catalog.t("trend_chart_venue", venue=history.venue_name(venue, catalog.lang))
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


def _move(history: History, catalog: Catalog, venue: str, move: Move) -> dict:
    delta = round(move.delta, 1)
    return {
        "date": catalog.date(move.point.date),
        "sha": move.point.commit[:SHA_SHOWN],
        "venue": history.venue_name(venue, catalog.lang),
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
