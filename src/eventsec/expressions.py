"""Conditions and computed parameters, evaluated safely with simpleeval (never ``eval``).

An expression reads the resolved context: ``venue.*``, ``match.*``, ``tournament.*``,
``country.*`` and parameter names, e.g. ``venue.capacity >= 20000 and match.risk == 'high'``.
Only a few pure functions are available: min, max, ceil, floor, round, abs.
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
    from simpleeval import EvalWithCompoundTypes as SimpleEval
    from simpleeval import InvalidExpression

    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        return SimpleEval().parse(expression)
    except SyntaxError as exc:
        raise ExpressionError(f"expression does not parse: {exc.msg}") from None
    except InvalidExpression:  # blank or comment-only: ast.parse gives an empty body
        raise ExpressionError("expression is empty") from None
    except (ValueError, MemoryError, RecursionError) as exc:  # e.g. 100,000 unary minus signs
        raise ExpressionError(f"expression does not parse: {type(exc).__name__}") from None


def names(expression: str) -> set[str]:
    """Top-level names the expression reads (``venue`` for ``venue.capacity``), functions excluded."""
    tree = parse(expression)
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} - called


def unknown_names(expression: str, parameters: set[str]) -> set[str]:
    """Names that are neither context roots, parameters, functions nor constants."""
    return names(expression) - CONTEXT_ROOTS - parameters - set(FUNCTIONS) - {"True", "False", "None"}


class Evaluator:
    """Evaluates many expressions against one context, wrapping the context only once."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        from simpleeval import EvalWithCompoundTypes as SimpleEval

        self._evaluator = SimpleEval(names=_Names(context), functions=FUNCTIONS)

    def value_of(self, expression: str) -> Any:
        try:
            return self._evaluator.eval(expression, previously_parsed=parse(expression))
        except ExpressionError:
            raise
        except Exception as exc:  # simpleeval raises many types for user expressions; all are user errors
            raise ExpressionError(f"cannot evaluate {expression!r}: {exc}") from None


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
    """A mapping read with dots. An absent fact reads as an empty mapping, which is false and
    equal to nothing, so ``venue.features.roof == 'closed'`` is simply false for a venue that
    lists no features."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            return _Facts()


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return _Facts({key: _wrap(item) for key, item in value.items()})
    return value
