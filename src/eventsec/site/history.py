"""Readiness over the workspace's git history (placeholder until issue 20's trend lands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from eventsec.i18n import Catalog


@dataclass
class History:
    """Readiness per venue and domain at each commit that changed it."""

    points: list = field(default_factory=list)


def readiness_history(root: Path, as_of: str, since: str | None, lang: str, release: str | None) -> History:
    """Every venue's readiness at each commit that changed the workspace."""
    return History()


def trend_html(history: History, catalog: Catalog, venue: str | None) -> Markup:
    """The trend section of the tournament page (``venue`` None) or of one venue's page."""
    return Markup("")
