"""Conditions and computed parameters, evaluated safely with simpleeval (never ``eval``).

An expression reads the resolved context: ``venue.*``, ``match.*``, ``tournament.*``,
``country.*`` and parameter names, e.g. ``venue.capacity >= 20000 and match.risk == 'high'``.
Only a few pure functions can be called: min, max, ceil, floor, round, abs. Method calls
(``match.pop('risk')``) and identity tests (``is``) are refused when the expression is parsed,
so a value depends only on the values an expression reads, which lets :class:`Outcomes`
remember it.
"""

from __future__ import annotations

import ast
import functools
import math
from typing import Any, Mapping

MAX_EXPRESSION_CHARS = 1000
"""Longest expression accepted; conditions are one line."""

CONTEXT_ROOTS = frozenset({"venue", "match", "tournament", "country"})
FUNCTIONS = {"min": min, "max": max, "ceil": math.ceil, "floor": math.floor, "round": round, "abs": abs}


class ExpressionError(ValueError):
    """An expression that does not parse, names something unknown, or fails to evaluate."""


@functools.lru_cache(maxsize=4096)
def parse(expression: str) -> ast.AST:
    """Parse an expression with simpleeval's parser; raises ExpressionError on bad syntax."""
    import warnings

    from simpleeval import EvalWithCompoundTypes as SimpleEval
    from simpleeval import InvalidExpression, MultipleExpressions

    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", MultipleExpressions)  # simpleeval would keep the first, silently
            tree = SimpleEval().parse(expression)
    except MultipleExpressions:
        raise ExpressionError("write one expression (';' or a new line starts another, which would be ignored)") from None
    except SyntaxError as exc:
        raise ExpressionError(f"expression does not parse: {exc.msg}") from None
    except InvalidExpression:  # blank or comment-only: ast.parse gives an empty body
        raise ExpressionError("expression is empty") from None
    except (ValueError, MemoryError, RecursionError) as exc:  # e.g. 100,000 unary minus signs
        raise ExpressionError(f"expression does not parse: {type(exc).__name__}") from None
    _refuse_impure(tree)
    _refuse_unsupported(tree)
    return tree


MAX_EXPRESSION_DEPTH = 40
"""Deepest expression tree accepted: conditions need fewer than ten levels, and evaluation
recurses once per level (``1+1+…`` a few hundred terms long would exhaust Python's stack)."""


def _refuse_unsupported(tree: ast.AST) -> None:
    """Refuse at parse time, so ``eventsec validate`` reports them, forms simpleeval would only
    reject when a plan is resolved: lambdas, ``*`` unpacking, ``:=``, private attributes
    (``venue.__class__``) and trees nested too deeply to evaluate."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(f"expression is nested more than {MAX_EXPRESSION_DEPTH} levels deep")
        if isinstance(node, (ast.Lambda, ast.Starred, ast.NamedExpr)):
            raise ExpressionError(f"'{ast.unparse(node)}' is not supported in a condition")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"'.{node.attr}' is not readable: names starting with '_' are private")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _refuse_impure(tree: ast.AST) -> None:
    """Refuse what could make a value depend on more than the values read: calls other than
    :data:`FUNCTIONS` (a method such as ``pop`` changes the context) and ``is``/``is not``
    (object identity, which equal values need not share)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise ExpressionError(f"'{ast.unparse(node.func)}(...)' cannot be called: "
                                  f"only {', '.join(FUNCTIONS)} can")
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            raise ExpressionError("'is' compares object identity, not values: use == or != instead")


def names(expression: str) -> set[str]:
    """Top-level names the expression reads (``venue`` for ``venue.capacity``), functions excluded."""
    tree = parse(expression)
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} - called


@functools.lru_cache(maxsize=4096)
def fact_paths(expression: str) -> tuple[tuple[str, ...], ...]:
    """Every dotted path the expression reads, as far as the dots go: ``venue.features.roof``
    gives ``("venue", "features", "roof")``; ``tournament.hosts[0]`` gives ``("tournament",
    "hosts")``. Called function names are left out."""
    tree = parse(expression)
    called = {node.func for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    paths = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node not in called:
            path, current = [node.id], node
            while isinstance(parents.get(current), ast.Attribute) and parents[current].value is current:
                current = parents[current]
                path.append(current.attr)
            paths.add(tuple(path))
    return tuple(sorted(paths))


def compared_constants(expression: str) -> list[tuple[tuple[str, ...], Any]]:
    """(dotted path, constant) for each comparison of a fact with a literal: ``match.risk ==
    'high'`` gives ``(("match", "risk"), "high")``; ``x in ['a', 'b']`` gives one pair per item.
    Lets a lint rule catch a value the fact can never have (``'hihg'``)."""
    tree = parse(expression)
    pairs = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:]):
            if not isinstance(op, (ast.Eq, ast.In)):  # '!=' a value never taken is always true: not a typo for sure
                continue
            for fact, other in ((left, right), (right, left)):
                path = _dotted(fact)
                if path is None:
                    continue
                constants = other.elts if isinstance(other, (ast.List, ast.Tuple, ast.Set)) else [other]
                pairs += [(path, c.value) for c in constants if isinstance(c, ast.Constant)]
    return pairs


def _dotted(node: ast.AST) -> tuple[str, ...] | None:
    """``venue.features.roof`` as ("venue", "features", "roof"); None for anything else."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return (node.id, *reversed(names)) if isinstance(node, ast.Name) and names else None


def unknown_names(expression: str, parameters: set[str]) -> set[str]:
    """Names that are neither context roots, parameters, functions nor constants."""
    return names(expression) - CONTEXT_ROOTS - parameters - set(FUNCTIONS) - {"True", "False", "None"}


class Evaluator:
    """Evaluates many expressions against one context, wrapping the context only once."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        from simpleeval import EvalWithCompoundTypes as SimpleEval

        self._evaluator = SimpleEval(names=_Names(context), functions=FUNCTIONS)

    def facts(self, expression: str) -> tuple:
        """What the value of ``expression`` depends on in this context: for each of its
        :func:`fact_paths`, how far the path reaches through mappings and the value there.

        A path stops early where attribute access would not read a key (a non-mapping value, a
        name ``dict`` itself defines such as ``items``, a private name), because from there on the
        evaluator reads that value itself; the depth reached is part of the answer so two
        different stopping points never look alike. Values are compared by ``repr``, which is
        faithful for the plain data (text, numbers, booleans, lists, mappings) contexts hold."""
        context = self._evaluator.names
        found = []
        for root, *attributes in fact_paths(expression):
            if root not in context:
                found.append((0, None))
                continue
            value, depth = context[root], 0
            for attribute in attributes:
                if not isinstance(value, _Facts) or attribute.startswith("_") or hasattr(dict, attribute):
                    break
                value, depth = value.get(attribute, _EMPTY), depth + 1
            found.append((depth, repr(value)))
        return tuple(found)

    def value_of(self, expression: str) -> Any:
        try:
            return self._evaluator.eval(expression, previously_parsed=parse(expression))
        except ExpressionError:
            raise
        except Exception as exc:  # simpleeval raises many types for user expressions; all are user errors
            reason = str(exc).replace("'_Facts'", "'mapping (or absent fact)'")  # our wrapper's name means nothing to users
            raise ExpressionError(f"cannot evaluate {expression!r}: {reason}") from None


class Outcomes:
    """Truth values of conditions, remembered by the facts each one reads (:meth:`Evaluator.facts`).

    A tournament's venues share a handful of conditions over a handful of facts
    (``venue.features.fan_zone``, ``match.risk``), so one instance kept for a workspace evaluates
    each condition once per distinct set of facts instead of once per match of every venue.
    Expressions are pure (:func:`parse` refuses method calls and identity tests; the functions
    read only their arguments), so the same facts give the same outcome; errors are remembered
    too and raised again."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, tuple], bool | ExpressionError] = {}

    def holds(self, condition: str, evaluator: Evaluator) -> bool:
        key = (condition, evaluator.facts(condition))
        outcome = self._known.get(key)
        if outcome is None:
            try:
                outcome = bool(evaluator.value_of(condition))
            except ExpressionError as exc:
                outcome = exc
            self._known[key] = outcome
        if isinstance(outcome, ExpressionError):
            raise outcome.with_traceback(None)  # a fresh traceback each time, not a growing one
        return outcome


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """Evaluate ``expression`` against ``context``; missing attributes raise ExpressionError."""
    return Evaluator(context).value_of(expression)


class _Names(dict):
    """Context mapping whose dict values allow ``a.b`` access and report missing keys clearly."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        super().__init__({key: _wrap(value) for key, value in context.items()})

    def __missing__(self, key: str) -> Any:
        raise ExpressionError(f"unknown name '{key}'")


class _Facts(dict):
    """A mapping read with dots. An absent fact reads as an empty mapping, which is false, equal
    to nothing and neither above nor below anything, so ``venue.features.roof == 'closed'`` and
    ``match.expected_attendance > 30000`` are simply false where the fact is not given."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            return _Facts()

    def _absent_is_not_ordered(self, other: Any) -> Any:
        return False if not self else NotImplemented  # a mapping that is there still cannot be ordered

    __lt__ = __le__ = __gt__ = __ge__ = _absent_is_not_ordered


_EMPTY = _Facts()
"""What reading an absent fact gives (never changed: nothing writes to a context)."""


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return _Facts({key: _wrap(item) for key, item in value.items()})
    return value
