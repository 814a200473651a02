"""Rows the safety tables show, shared by the console report and the plan: one row per
section, kind of post and basis of the stewarding deployment."""

from __future__ import annotations

from eventsec.assess.safety.staffing import PostRow


def post_rows(posts: list[PostRow]) -> list[PostRow]:
    """One row per section, kind of post and basis, in the deployment's order: the rule derives
    a row per entrance or exit, which a table adds up (and so does the rule's count)."""
    summed: dict[tuple[str | None, str, bool], PostRow] = {}
    for row in posts:
        key = (row.section, row.kind, row.declared)
        before = summed.get(key)
        if before is None:
            summed[key] = row
            continue
        rule = None if before.rule is None and row.rule is None else (before.rule or 0) + (row.rule or 0)
        summed[key] = PostRow(row.kind, row.section, before.stewards + row.stewards, row.declared, rule)
    return list(summed.values())
