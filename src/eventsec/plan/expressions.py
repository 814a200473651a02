"""Conditions and computed parameters, evaluated safely with simpleeval (never ``eval``).

An expression reads the resolved context: ``venue.*``, ``match.*``, ``tournament.*``,
``country.*`` and parameter names, e.g. ``venue.capacity >= 20000 and match.risk == 'high'``.
Only a few pure functions can be called: min, max, ceil, floor, round, abs. Method calls
(``match.pop('risk')``) and identity tests (``is``) are refused when the expression is parsed,
so a value depends only on the values an expression reads, which lets :class:`Outcomes`
remember it.

Python's integers, texts and format widths are unbounded, and simpleeval caps only exponents,
repetition and comprehensions, so ``4000000**4000000 * 4000000**4000000`` or ``'%0999999999d' % 1``
would run for minutes or take a gigabyte. Every evaluation here stays within the ``MAX_*`` bounds
below, checked before the costly step (an exponent's result size is estimated, not computed); a
part of an expression that reads no fact is evaluated when the expression is parsed, so
``eventsec validate`` reports a bound it passes as an ``expression`` error at its line. There is
no wall-clock budget: the step budget and the size bounds bound the time, and a time limit would
make a plan depend on how fast the machine is.
"""

from __future__ import annotations

import ast
import functools
import math
import re
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

from simpleeval import DEFAULT_OPERATORS, EvalWithCompoundTypes, InvalidExpression, MultipleExpressions

from eventsec.errors import ContentError

MAX_EXPRESSION_CHARS = 1000
"""Longest expression accepted; conditions are one line."""

MAX_INTEGER_BITS = 64
"""Widest integer an expression may write, read or compute, in bits (magnitudes below 2**64,
about 1.8e19). Capacities, headcounts, minutes and their products stay far below it; beyond it
Python's unbounded integers make one step take seconds to minutes (``4000000**4000000`` takes 37 s
and 11 MB) and cannot even be printed past 4300 digits."""

MAX_BUILT_LENGTH = 1000
"""Longest text or list an expression may build with ``+``, ``*``, ``%`` or an f-string.
Conditions compare facts with short names; the bound keeps what a comprehension can pile up
within MAX_EVALUATION_STEPS times this (simpleeval alone allows 100,000 per value)."""

MAX_FORMAT_WIDTH = 100
"""Largest width or precision in a ``%`` format or an f-string format spec. A condition never
pads text; ``'%0999999999d' % 1`` or ``f'{1:>999999999}'`` would build a gigabyte of text."""

MAX_ROUND_DIGITS = 20
"""Most digits ``round`` may round to, either side of the point. A 64-bit integer has 20 digits,
so rounding to more places changes nothing or gives 0, while ``round(5, -10**7)`` takes Python
seconds (it computes ``10**10**7``)."""

MAX_EVALUATION_STEPS = 10_000
"""Most expression nodes one evaluation may visit. A condition visits a few dozen; only a
comprehension visits its nodes again and again, and with every value bounded as above, this
keeps one evaluation to milliseconds."""

CONTEXT_ROOTS = frozenset({"venue", "match", "tournament", "country"})


class ExpressionError(ContentError, ValueError):
    """An expression that does not parse, names something unknown, or fails to evaluate."""


class LimitExceeded(ExpressionError):
    """An expression that would build a value bigger, or take more steps, than the ``MAX_*``
    bounds allow (no condition needs anything near them)."""


def _is_integer(value: Any) -> bool:
    return isinstance(value, int)  # booleans too: True ** n is an integer power


def _round(number: Any, ndigits: Any = None) -> Any:
    """``round``, refusing more than MAX_ROUND_DIGITS digits (Python computes 10**-ndigits)."""
    if _is_integer(ndigits) and abs(ndigits) > MAX_ROUND_DIGITS:
        raise LimitExceeded(f"round to {ndigits} digits: at most {MAX_ROUND_DIGITS} either side of the point")
    return round(number, ndigits)


FUNCTIONS = {"min": min, "max": max, "ceil": math.ceil, "floor": math.floor, "round": _round, "abs": abs}


@functools.lru_cache(maxsize=4096)
def parse(expression: str) -> ast.AST:
    """Parse an expression with simpleeval's parser; raises ExpressionError on bad syntax."""
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", MultipleExpressions)  # simpleeval would keep the first, silently
            tree = EvalWithCompoundTypes.parse(expression)
    except MultipleExpressions:
        raise ExpressionError(
            "write one expression (';' or a new line starts another, which would be ignored)"
        ) from None
    except SyntaxError as exc:
        raise ExpressionError(f"expression does not parse: {exc.msg}") from None
    except InvalidExpression:  # blank or comment-only: ast.parse gives an empty body
        raise ExpressionError("expression is empty") from None
    except (ValueError, MemoryError, RecursionError) as exc:  # e.g. 100,000 unary minus signs
        raise ExpressionError(f"expression does not parse: {type(exc).__name__}") from None
    _refuse_impure(tree)
    _refuse_unsupported(tree)
    _refuse_past_bounds(tree)
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
            raise ExpressionError(f"'{ast.unparse(node.func)}(...)' cannot be called: only {', '.join(FUNCTIONS)} can")
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            raise ExpressionError("'is' compares object identity, not values: use == or != instead")


def _refuse_past_bounds(tree: ast.AST) -> None:
    """Evaluate each largest part that reads no fact (``4000000**4000000``, ``'%0999999999d' % 1``,
    a huge literal) with the bounded evaluator, so a bound it passes is refused when the expression
    is parsed; so is a constant ``%`` format or f-string format spec applied to a fact. Other
    errors are left to evaluation: a constant ``1/0`` in a branch never taken is not wrong."""
    if isinstance(tree, ast.expr) and _reads_no_fact(tree):
        _value_alone(tree)
        return
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mod) and _reads_no_fact(tree.left):
        text = _value_alone(tree.left)
        if isinstance(text, (str, bytes)):
            _check_printf_format(text)
    if isinstance(tree, ast.FormattedValue) and tree.format_spec and _reads_no_fact(tree.format_spec):
        _check_format_spec(str(_value_alone(tree.format_spec)))
    for child in ast.iter_child_nodes(tree):
        _refuse_past_bounds(child)


def _value_alone(part: ast.expr) -> Any:
    """The value of a part that reads no fact; None where it fails other than by passing a bound."""
    try:
        return _BoundedEval(_Names({})).eval("", previously_parsed=part)
    except LimitExceeded:
        raise
    except Exception:
        return None


def _reads_no_fact(tree: ast.AST) -> bool:
    """Whether no name but a callable function occurs in ``tree`` (comprehension variables count
    as names: their values come from a list the part may not hold)."""
    return not any(isinstance(node, ast.Name) and node.id not in FUNCTIONS for node in ast.walk(tree))


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
                path = dotted(fact)
                if path is None:
                    continue
                constants = other.elts if isinstance(other, (ast.List, ast.Tuple, ast.Set)) else [other]
                pairs += [(path, c.value) for c in constants if isinstance(c, ast.Constant)]
    return pairs


def dotted(node: ast.AST) -> tuple[str, ...] | None:
    """``venue.features.roof`` as ("venue", "features", "roof"); None for a bare name or anything
    else (shared with plan/conditions.py, which says conditions in words)."""
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
        self._evaluator = _BoundedEval(_Names(context))

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
        tree = parse(expression)
        try:
            return self._evaluator.eval(expression, previously_parsed=tree)
        except LimitExceeded as exc:
            raise LimitExceeded(f"cannot evaluate {expression!r}: {exc}") from None
        except ExpressionError:
            raise
        except Exception as exc:  # simpleeval raises many types for user expressions; all are user errors
            reason = str(exc).replace(
                "'_Facts'", "'mapping (or absent fact)'"
            )  # our wrapper's name means nothing to users
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


def _power(base: Any, exponent: Any) -> Any:
    """``**``, refusing an integer power whose result would clearly pass MAX_INTEGER_BITS, from
    the operands' sizes and without computing it (one just past the bound is cheap to compute and
    is refused as a result). Other powers (floats, negative exponents) are floating point: bounded
    in cost, and an overflow is an error."""
    if _is_integer(base) and _is_integer(exponent) and exponent > 0 and abs(base) > 1:
        bits = exponent * math.log2(abs(base))
        if bits > MAX_INTEGER_BITS:
            raise LimitExceeded(
                f"{base} ** {exponent} would be an integer of about {math.floor(bits) + 1:,} bits; "
                f"integers stay within {MAX_INTEGER_BITS} bits"
            )
    return base**exponent


def _shift_left(value: Any, places: Any) -> Any:
    """``<<``, refusing a result past MAX_INTEGER_BITS before computing it."""
    if _is_integer(value) and _is_integer(places) and value and value.bit_length() + places > MAX_INTEGER_BITS:
        raise LimitExceeded(
            f"{value} << {places} would be an integer of {value.bit_length() + places:,} bits; "
            f"integers stay within {MAX_INTEGER_BITS} bits"
        )
    return value << places


def _multiply(left: Any, right: Any) -> Any:
    """``*``, refusing to repeat a text or list past MAX_BUILT_LENGTH before building it."""
    for sequence, times in ((left, right), (right, left)):
        if (
            isinstance(sequence, (str, bytes, list, tuple))
            and _is_integer(times)
            and len(sequence) * times > MAX_BUILT_LENGTH
        ):
            raise LimitExceeded(
                f"a {type(sequence).__name__} of {len(sequence) * times:,} elements would be built; "
                f"at most {MAX_BUILT_LENGTH:,}"
            )
    return left * right


def _add(left: Any, right: Any) -> Any:
    """``+``, refusing a text or list longer than MAX_BUILT_LENGTH (joining costs what the parts do)."""
    return _built(left + right)


def _modulo(left: Any, right: Any) -> Any:
    """``%``: for a text, printf-style formatting, refused when a width or precision passes
    MAX_FORMAT_WIDTH (checked before formatting) or the result MAX_BUILT_LENGTH."""
    if isinstance(left, (str, bytes)):
        _check_printf_format(left)
        return _built(left % right)
    return left % right


_PRINTF_FIELD = re.compile(r"[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?.?", re.DOTALL)
"""The part of a printf-style conversion after ``%`` and its ``(key)``: flags, width, precision,
length modifier, conversion."""


def _check_printf_format(text: str | bytes) -> None:
    """Refuse a ``%`` format with a width or precision past MAX_FORMAT_WIDTH, or one taken from the
    values (``*``), reading the format as Python does."""
    for width, precision in _printf_fields(text.decode("latin-1") if isinstance(text, bytes) else text):
        for number in (width, precision):
            if number == "*":
                raise LimitExceeded("a width or precision taken from the values ('*') is not supported in a % format")
            if number and int(number) > MAX_FORMAT_WIDTH:
                raise LimitExceeded(f"a % format width or precision of {int(number):,}: at most {MAX_FORMAT_WIDTH}")


def _printf_fields(text: str) -> Iterator[tuple[str, str | None]]:
    """(width, precision) of each conversion in a printf-style format; a ``(key)`` may nest
    parentheses, as Python allows."""
    position = text.find("%")
    while position != -1:
        position += 1
        if text.startswith("(", position):
            depth, position = 1, position + 1
            while depth and position < len(text):
                depth += {"(": 1, ")": -1}.get(text[position], 0)
                position += 1
        field = _PRINTF_FIELD.match(text, position)
        yield field.group(1), field.group(2)
        position = text.find("%", field.end())


def _check_format_spec(spec: str) -> None:
    """Refuse an f-string format spec with a number past MAX_FORMAT_WIDTH. Every number counts
    (the width, the precision, or a digit used as the fill character), which is simpler than
    reading the spec as each type's ``__format__`` does, and never too lenient."""
    for number in re.findall(r"\d+", spec):
        if int(number) > MAX_FORMAT_WIDTH:
            raise LimitExceeded(f"a format spec width or precision of {int(number):,}: at most {MAX_FORMAT_WIDTH}")


def _built(value: Any) -> Any:
    """``value`` if it is not a text or list longer than MAX_BUILT_LENGTH."""
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_BUILT_LENGTH:
        raise LimitExceeded(
            f"a {type(value).__name__} of {len(value):,} elements would be built; at most {MAX_BUILT_LENGTH:,}"
        )
    return value


OPERATORS = {
    **DEFAULT_OPERATORS,
    ast.Add: _add,
    ast.Mult: _multiply,
    ast.Pow: _power,
    ast.Mod: _modulo,
    ast.LShift: _shift_left,
}
"""simpleeval's operators with the bounded ones above in place of ``+ * ** % <<``."""


class _BoundedEval(EvalWithCompoundTypes):
    """simpleeval with compound types, counting the nodes it evaluates (MAX_EVALUATION_STEPS),
    refusing integers past MAX_INTEGER_BITS wherever they come from (a literal, a fact, a
    result) and bounding f-strings."""

    def __init__(self, names: Mapping[str, Any]) -> None:
        super().__init__(
            operators=OPERATORS, functions=dict(FUNCTIONS), names=names
        )  # a copy: simpleeval adds list, dict, ...
        self._steps = 0

    def eval(self, expr: str, previously_parsed: ast.AST | None = None) -> Any:
        self._steps = 0
        return super().eval(expr, previously_parsed)

    def _eval(self, node: ast.AST) -> Any:
        self._steps += 1
        if self._steps > MAX_EVALUATION_STEPS:
            raise LimitExceeded(f"evaluation takes more than {MAX_EVALUATION_STEPS:,} steps")
        value = super()._eval(node)
        if isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:  # not a call: this runs for every node
            raise LimitExceeded(
                f"an integer of {value.bit_length():,} bits; integers stay within {MAX_INTEGER_BITS} bits"
            )
        return value

    def _eval_joinedstr(self, node: ast.JoinedStr) -> str:
        return _built(super()._eval_joinedstr(node))

    def _eval_formattedvalue(self, node: ast.FormattedValue) -> Any:
        if not node.format_spec:
            return self._eval(node.value)
        spec = self._eval(node.format_spec)
        _check_format_spec(spec)
        return format(self._eval(node.value), spec)


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
