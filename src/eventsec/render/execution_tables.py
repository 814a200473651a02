"""The execution record of a match (helper A's module)."""
# placeholder: replaced by helper A's module at merge

from __future__ import annotations

from reportlab.platypus import Flowable

from eventsec.render.context import Ctx


def execution_record(c: Ctx, match_id: str) -> list[Flowable]:
    return []
