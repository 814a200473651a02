"""A condition (``applies_when``) said as a sentence in any language, from its parsed form.

The appendix and the item details of a plan show "Only when the match stage is final." above
the expression itself. :func:`describe` walks the tree :func:`eventsec.plan.expressions.parse`
accepts (it never evaluates anything) and returns a :class:`Message` of catalog keys, so the
render stage only formats it in the plan's language. Every form the grammar allows has words:
comparisons (chained ones too), ``in``/``not in``, ``and``/``or``/``not``, a fact or parameter
tested on its own, arithmetic and the callable functions; known facts (``match.stage``,
``venue.features.fan_zone``…) and their values (stages, risk levels, roof types, countries) have
their own words, parameters their labels. Anything else the grammar parses (``%``, ``**``,
subscripts, comprehensions, f-strings) is quoted as code inside the sentence rather than guessed.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from eventsec.i18n.message import Items, Message, Number, Translated
from eventsec.plan.expressions import dotted, parse
from eventsec.vocabulary import LOCALES

FACTS = {
    ("venue", "capacity"): "cond_fact_venue_capacity",
    ("venue", "country"): "cond_fact_venue_country",
    ("venue", "id"): "cond_fact_venue_id",
    ("venue", "features", "roof"): "cond_fact_roof",
    ("venue", "features", "heat_risk"): "cond_fact_heat_risk",
    ("match", "risk"): "cond_fact_match_risk",
    ("match", "stage"): "cond_fact_match_stage",
    ("match", "expected_attendance"): "cond_fact_match_attendance",
    ("tournament", "id"): "cond_fact_tournament_id",
}
"""Facts the authoring guide lists, each with the catalog key of its noun ("the match stage")."""

FLAGS = {
    ("venue", "features", "fan_zone"): "cond_flag_fan_zone",
    ("venue", "features", "coastal_approach"): "cond_flag_coastal_approach",
    ("venue", "features", "rail_link"): "cond_flag_rail_link",
    ("venue", "features", "airport_nearby"): "cond_flag_airport_nearby",
}
"""Yes/no facts, each with the catalog key of the clause it makes alone ("the venue has a fan zone")."""

VALUES = {
    ("match", "stage"): (
        "cond_stage_",
        {"group", "round-of-32", "round-of-16", "quarter-final", "semi-final", "third-place", "final", "opening"},
    ),
    ("match", "risk"): ("cond_level_", {"low", "medium", "high"}),
    ("venue", "features", "heat_risk"): ("cond_level_", {"low", "medium", "high"}),
    ("venue", "features", "roof"): ("cond_roof_", {"open", "retractable", "closed"}),
}
"""Values of a fact that have words: the key prefix and the values (``cond_stage_final``)."""

COMPARISONS = {
    ast.Eq: "cond_eq",
    ast.NotEq: "cond_ne",
    ast.Lt: "cond_lt",
    ast.LtE: "cond_le",
    ast.Gt: "cond_gt",
    ast.GtE: "cond_ge",
    ast.In: "cond_in",
    ast.NotIn: "cond_not_in",
}
MIRRORED = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
"""The operator that keeps a comparison true when its sides swap (``20000 <= venue.capacity``)."""

ARITHMETIC = {ast.Add: "cond_plus", ast.Sub: "cond_minus", ast.Mult: "cond_times", ast.Div: "cond_divided_by"}
FUNCTIONS = {
    "min": "cond_lowest_of",
    "max": "cond_highest_of",
    "ceil": "cond_rounded_up",
    "floor": "cond_rounded_down",
    "round": "cond_rounded",
    "abs": "cond_absolute",
}


def describe(expression: str, labels: Mapping[str, Translated] | None = None) -> Message:
    """The sentence for a condition: "Applies only when {clause}." ("Applies in every case." for
    a constant True, "… in no case." for False).

    ``labels`` names parameters by their labels (:attr:`ResolvedParameter.label`); a parameter
    without one is named by its key. Raises ExpressionError for what :func:`parse` refuses."""
    tree = parse(expression)
    body = tree.value if isinstance(tree, ast.Expr) else tree  # simpleeval's parse gives the statement
    if isinstance(body, ast.Constant) and isinstance(body.value, bool):
        return Message("cond_always" if body.value else "cond_never")
    return Message("cond_only", {"condition": _Describer(labels or {}).clause(body)})


class _Describer:
    def __init__(self, labels: Mapping[str, Translated]) -> None:
        self.labels = labels

    # -- clauses: what is true or false ------------------------------------------------------
    def clause(self, node: ast.expr, inside: type | None = None) -> Message:
        """A clause; ``inside`` is the kind of ``and``/``or`` it sits in (a different kind is grouped)."""
        if isinstance(node, ast.BoolOp):
            return self.joined(node, nested=inside not in (None, type(node.op)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Message("cond_not", {"clause": self.clause(node.operand)})
        if isinstance(node, ast.Compare):
            return self.comparisons(node)
        path = dotted(node)
        if path in FLAGS:
            return Message(FLAGS[path])
        if path or isinstance(node, ast.Name):
            return Message("cond_set", {"fact": self.operand(node)})
        return Message("cond_code_holds", {"code": ast.unparse(node)})

    def joined(self, node: ast.BoolOp, nested: bool) -> Message:
        """The operands joined ("a and b and c"); inside the other kind, "both a and b" or "either a or b", so that
        ``x and (y or z)`` does not read as ``(x and y) or z``."""
        key = "cond_and" if isinstance(node.op, ast.And) else "cond_or"
        parts = [self.clause(value, type(node.op)) for value in self.merged(node)]
        if len(parts) == 1:  # "match.stage == 'opening' or match.stage == 'final'" alone
            return parts[0]
        first = ("cond_both_and" if key == "cond_and" else "cond_either_or") if nested else key
        said = Message(first, {"left": parts[0], "right": parts[1]})
        for part in parts[2:]:
            said = Message(key, {"left": said, "right": part})
        return said

    @staticmethod
    def merged(node: ast.BoolOp) -> list[ast.expr]:
        """The operands, with neighbouring ``fact == 'a' or fact == 'b'`` made one ``fact in ['a',
        'b']`` (and ``fact != 'a' and fact != 'b'`` one ``not in``), so the fact is named once."""
        wanted = ast.Eq if isinstance(node.op, ast.Or) else ast.NotEq
        merged: list[ast.expr] = []
        for value in node.values:
            fact, constant = _fact_and_constant(value, wanted)
            previous = merged[-1] if merged else None
            if fact and isinstance(previous, ast.Compare) and dotted(previous.left) == fact and _merged_set(previous):
                previous.comparators[0].elts.append(constant)
                continue
            if fact:
                op = ast.In() if wanted is ast.Eq else ast.NotIn()
                value = ast.Compare(left=_fact_node(value), ops=[op], comparators=[ast.List(elts=[constant])])
                value.merged_set = True
            merged.append(value)
        return [_unmerged(value) for value in merged]

    def comparisons(self, node: ast.Compare) -> Message:
        """``a < b < c`` as "a is below b and b is below c"."""
        operands = [node.left, *node.comparators]
        parts = [self.comparison(op, left, right) for op, left, right in zip(node.ops, operands, operands[1:])]
        said = parts[0]
        for part in parts[1:]:
            said = Message("cond_and", {"left": said, "right": part})
        return said

    def comparison(self, op: ast.cmpop, left: ast.expr, right: ast.expr) -> Message:
        if isinstance(op, (ast.In, ast.NotIn)):
            return self.membership(op, left, right)
        if _is_literal(left) and not _is_literal(right):  # the fact first: "20000 <= venue.capacity"
            left, right, op = right, left, MIRRORED[type(op)]()
        path = dotted(left)
        if isinstance(right, ast.Constant) and isinstance(right.value, bool) and isinstance(op, (ast.Eq, ast.NotEq)):
            truth = right.value == isinstance(op, ast.Eq)  # "fan_zone == True" is "has a fan zone"
            tested = self.clause(left)
            return tested if truth else Message("cond_not", {"clause": tested})
        return Message(COMPARISONS[type(op)], {"fact": self.operand(left), "value": self.operand(right, path)})

    def membership(self, op: ast.cmpop, left: ast.expr, right: ast.expr) -> Message:
        """``x in [a, b]`` as "x is a or b"; ``'a' in venue.tags`` as "venue.tags includes a"."""
        if isinstance(right, (ast.List, ast.Tuple, ast.Set)):
            path = dotted(left)
            values = tuple(self.operand(element, path) for element in right.elts)
            key = "cond_in" if isinstance(op, ast.In) else "cond_not_in"
            return Message(key, {"fact": self.operand(left), "values": Items(values, "or")})
        said = Message("cond_includes", {"fact": self.operand(right), "value": self.operand(left)})
        return said if isinstance(op, ast.In) else Message("cond_not", {"clause": said})

    # -- operands: what a clause talks about -------------------------------------------------
    def operand(self, node: ast.expr, fact: tuple[str, ...] | None = None) -> Any:
        """A fact, parameter, value or computation; ``fact`` is the fact a value is compared
        with, which chooses the words of its values (stages, risk levels)."""
        path = dotted(node)
        if path in FACTS:
            return Message(FACTS[path])
        if path:  # a fact without words of its own, or a yes/no fact compared with a value
            return ast.unparse(node)
        if isinstance(node, ast.Name):
            return self.labels.get(node.id) or Translated(node.id.replace("_", " "))
        if isinstance(node, ast.Constant):
            return self.constant(node.value, fact)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            value = node.operand.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return self.constant(-value, fact)
        if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
            return Message(
                ARITHMETIC[type(node.op)], {"left": self.operand(node.left), "right": self.operand(node.right)}
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and node.args:
            values = tuple(self.operand(argument) for argument in node.args)
            return Message(FUNCTIONS[node.func.id], {"values": Items(values, "and")})
        return Message("cond_code_value", {"code": ast.unparse(node)})

    def constant(self, value: Any, fact: tuple[str, ...] | None) -> Any:
        if isinstance(value, bool):
            return Message("cond_yes" if value else "cond_no")
        if isinstance(value, (int, float)):
            return Number(value, _decimals(value))
        if isinstance(value, str):
            prefix, known = VALUES.get(fact, ("", set()))
            if value in known:
                return Message(prefix + value.replace("-", "_"))
            if fact == ("venue", "country"):
                return _territory(value)
            return repr(value)  # a value without words: quoted as the condition writes it
        return Message("cond_code_value", {"code": repr(value)})


def _fact_and_constant(node: ast.expr, op: type) -> tuple[tuple[str, ...] | None, ast.expr | None]:
    """(fact, constant) when ``node`` is ``fact <op> constant`` (either way round), else (None, None)."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], op)):
        return None, None
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    fact = dotted(left)
    return (fact, right) if fact and isinstance(right, ast.Constant) else (None, None)


def _fact_node(node: ast.Compare) -> ast.expr:
    return node.comparators[0] if isinstance(node.left, ast.Constant) else node.left


def _merged_set(node: ast.Compare) -> bool:
    return getattr(node, "merged_set", False)


def _unmerged(node: ast.expr) -> ast.expr:
    """A one-value set made by :meth:`_Describer.merged` back as the comparison it was."""
    if _merged_set(node) and len(node.comparators[0].elts) == 1:
        op = ast.Eq() if isinstance(node.ops[0], ast.In) else ast.NotEq()
        return ast.Compare(left=node.left, ops=[op], comparators=node.comparators[0].elts)
    return node


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant))


def _decimals(value: float) -> int:
    """Decimals as written in the expression (``2.5`` → 1); whole numbers none."""
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _territory(code: str) -> Translated | str:
    """A country code (``'MA'``) as the country's name in each language, from Babel's CLDR data."""
    from babel import Locale

    names = {lang: Locale.parse(locale).territories.get(code.upper()) for lang, locale in LOCALES.items()}
    if not names["en"]:
        return repr(code)
    return Translated(names["en"], tuple((lang, name) for lang, name in names.items() if name and lang != "en"))
