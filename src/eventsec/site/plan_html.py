"""The whole plan as accessible HTML (placeholder until issue 20's plan chapters land)."""

from __future__ import annotations

from markupsafe import Markup

from eventsec.render.report import PlanReport


def plan_html(report: PlanReport) -> Markup:
    """The plan's chapters below the venue page's heading."""
    return Markup("")
