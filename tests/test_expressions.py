"""Safe expressions: simpleeval, never eval."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventsec.cli import main
from eventsec.plan.expressions import (
    MAX_EVALUATION_STEPS,
    MAX_EXPRESSION_CHARS,
    MAX_INTEGER_BITS,
    Evaluator,
    ExpressionError,
    LimitExceeded,
    Outcomes,
    evaluate,
    fact_paths,
    unknown_names,
)
from tests.conftest import FIXTURES

CONTEXT = {
    "venue": {"capacity": 45000, "features": {"roof": "open", "fan_zone": True}},
    "match": {"risk": "high"},
    "steward_ratio": 250,
}


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("venue.capacity >= 40000", True),
        ("venue.features.fan_zone and match.risk == 'high'", True),
        ("venue.features.roof != 'open'", False),
        ("not venue.features.coastal_approach", True),
        ("venue.roofing.type == 'closed'", False),
        ("ceil(venue.capacity / steward_ratio)", 180),
        ("max(10, venue.capacity // 1000)", 45),
    ],
)
def test_evaluate(expression, expected):
    assert evaluate(expression, CONTEXT) == expected


@pytest.mark.parametrize(
    "expression",
    ["__import__('os').system('true')", "venue.__class__", "open('x')", "(lambda: 1)()", "venue.capacity >"],
)
def test_unsafe_or_broken_expressions_are_errors(expression):
    with pytest.raises(ExpressionError):
        evaluate(expression, CONTEXT)


@pytest.mark.parametrize(
    "expression, message",
    [
        ("match.pop('risk', '') == 'high'", r"'match.pop\(...\)' cannot be called: only min, max"),
        ("venue.name.startswith('A')", r"'venue.name.startswith\(...\)' cannot be called"),
        ("len(venue.features) > 0", r"'len\(...\)' cannot be called"),
        ("venue.capacity is 40000", "'is' compares object identity"),
        ("match.risk is not None", "'is' compares object identity"),
    ],
)
def test_impure_expressions_are_refused_when_parsed(expression, message):
    """A value may depend only on the values an expression reads: no method calls, no identity."""
    with pytest.raises(ExpressionError, match=message):
        unknown_names(expression, set())


def test_a_remembered_error_is_raised_with_a_fresh_traceback():
    outcomes, evaluator = Outcomes(), Evaluator({"venue": {"capacity": 1}})
    depths = []
    for _ in range(3):
        with pytest.raises(ExpressionError) as caught:
            outcomes.holds("venue.capacity > 'x'", evaluator)
        depths.append(len(caught.traceback))
    assert depths[0] == depths[1] == depths[2]


@pytest.mark.parametrize(
    "expression",
    [
        "venue.features.roof_height >= 3",
        "3 < venue.features.roof_height",
        "match.expected_attendance > 30000",
        "venue.features.roof_height <= 'x'",
    ],
)
def test_an_absent_fact_is_neither_above_nor_below_anything(expression):
    assert evaluate(expression, CONTEXT) is False


def test_ordering_a_mapping_that_is_there_names_no_internal_class():
    with pytest.raises(ExpressionError) as caught:
        evaluate("venue.features >= 3", CONTEXT)
    assert "'mapping (or absent fact)' and 'int'" in str(caught.value) and "_Facts" not in str(caught.value)


def test_unknown_name_is_an_error_at_evaluation():
    with pytest.raises(ExpressionError, match="unknown name 'stadium'"):
        evaluate("stadium.roof", CONTEXT)


def test_unknown_names_for_lint():
    assert unknown_names("venue.capacity > x and min(steward_ratio, 1) > 0", {"steward_ratio"}) == {"x"}


@pytest.mark.parametrize(
    "expression, paths",
    [
        ("venue.features.roof == 'open'", (("venue", "features", "roof"),)),
        ("venue.capacity >= steward_ratio * 100", (("steward_ratio",), ("venue", "capacity"))),
        ("max(1, venue.capacity) > 0 and match.risk", (("match", "risk"), ("venue", "capacity"))),
        ("tournament.hosts[0].country == 'MA'", (("tournament", "hosts"),)),
    ],
)
def test_fact_paths_follow_the_dots(expression, paths):
    assert fact_paths(expression) == paths


class CountingEvaluator(Evaluator):
    """An evaluator that counts the expressions it really evaluates."""

    evaluations = 0

    def value_of(self, expression):
        CountingEvaluator.evaluations += 1
        return super().value_of(expression)


def test_outcomes_evaluate_a_condition_once_per_distinct_facts():
    outcomes, CountingEvaluator.evaluations = Outcomes(), 0
    condition = "venue.capacity >= 40000 and match.risk == 'high'"
    venues = [{"id": f"v{n}", "name": f"Venue {n}", "capacity": 45000} for n in range(5)]
    results = [outcomes.holds(condition, CountingEvaluator({"venue": v, "match": {"risk": "high"}})) for v in venues]
    assert results == [True] * 5
    assert CountingEvaluator.evaluations == 1  # ids and names differ, but the condition does not read them
    assert (
        outcomes.holds(condition, CountingEvaluator({"venue": {"capacity": 45000}, "match": {"risk": "low"}})) is False
    )
    assert CountingEvaluator.evaluations == 2


def test_outcomes_remember_errors():
    outcomes, CountingEvaluator.evaluations = Outcomes(), 0
    for _ in range(2):
        with pytest.raises(ExpressionError, match="not supported"):
            outcomes.holds("venue.capacity > 'x'", CountingEvaluator({"venue": {"capacity": 1}}))
    assert CountingEvaluator.evaluations == 1  # the second time the remembered error is raised


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "high", "1"]), st.floats(allow_nan=False)
)
FACTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=2),
        st.dictionaries(st.sampled_from(["roof", "risk", "items", "get", "_x", "a"]), inner, max_size=3),
    ),
    max_leaves=6,
)
CONDITIONS = [
    "venue.features.roof == 'high'",
    "venue.features.roof",
    "venue.features",
    "not venue.features.items",
    "venue.features.roof.risk != 1",
    "venue.features.a > 0",
    "venue.features.roof in ['a', 'high']",
    "venue.features == {}",
    "venue.features.items == venue.features.items",
    "match.risk or venue.features.roof.a.roof",
]


@settings(max_examples=150, deadline=None)
@given(
    contexts=st.lists(
        st.fixed_dictionaries({"venue": st.fixed_dictionaries({"features": FACTS}), "match": FACTS}),
        min_size=1,
        max_size=6,
    )
)
def test_remembered_outcomes_equal_fresh_evaluation(contexts):
    """Sharing one Outcomes across many contexts never changes an answer, errors included."""
    outcomes = Outcomes()
    for context in contexts:
        for condition in CONDITIONS:
            evaluator = Evaluator(context)
            try:
                expected = bool(evaluator.value_of(condition))
            except ExpressionError as exc:
                expected = type(exc)
            try:
                remembered = outcomes.holds(condition, evaluator)
            except ExpressionError as exc:
                remembered = type(exc)
            assert remembered == expected, (condition, context)


@pytest.mark.parametrize(
    "condition, first, second",
    [
        (
            "venue.features.roof == 'a'",
            {"roof": {}},
            {"roof": "a"},
        ),  # an absent fact and an empty mapping differ from text
        ("venue.features.roof.a == 1", {"roof": "{'a': 1}"}, {"roof": {"a": 1}}),  # text that looks like a mapping
    ],
)
def test_remembered_outcomes_tell_apart_facts_that_look_alike(condition, first, second):
    outcomes = Outcomes()
    answers = []
    for features in (first, second):
        evaluator = Evaluator({"venue": {"features": features}})
        try:
            expected = bool(evaluator.value_of(condition))
        except ExpressionError:
            expected = "error"
        try:
            remembered = outcomes.holds(condition, evaluator)
        except ExpressionError:
            remembered = "error"
        answers.append((remembered, expected))
    assert all(remembered == expected for remembered, expected in answers)
    assert answers[0][1] != answers[1][1]  # the pair really has different answers


@pytest.mark.parametrize(
    "expression, message",
    [
        ("venue.capacity > 1; match.risk == 'high'", "write one expression"),
        ("lambda: 1", "'lambda: 1' is not supported"),
        ("max(*venue) > 1", r"'\*venue' is not supported"),
        ("venue.__class__", "'.__class__' is not readable"),
        ("+".join(["1"] * 300) + " > 1", "nested more than 40 levels"),
    ],
)
def test_forms_that_could_only_fail_when_resolving_are_refused_when_parsed(expression, message):
    """What simpleeval would reject only while resolving a plan is an error `validate` can report."""
    with pytest.raises(ExpressionError, match=message):
        unknown_names(expression, set())


# Bounds (issue 13): nothing an expression computes may take minutes or gigabytes.

LONG_POWER_CHAIN = " * ".join(["4000000**4000000"] * 30) + " > 1"  # ran past 590 s in validate


@pytest.mark.parametrize(
    "expression, message",
    [
        (LONG_POWER_CHAIN, r"4000000 \*\* 4000000 would be an integer of about 87,726,275 bits"),
        (
            "4000000**4000000 > 1",
            r"4000000 \*\* 4000000 would be an integer of about 87,726,275 bits",
        ),  # 37 s per evaluation
        ("10**5000", r"10 \*\* 5000 would be an integer of about 16,610 bits"),  # Python cannot print it (ValueError)
        ("venue.capacity > 123456789012345678901234567890", "an integer of 97 bits; integers stay within 64 bits"),
        ("venue.capacity > 0x1" + "0" * 16, "an integer of 65 bits"),
        ("2**40 * 2**40 > venue.capacity", "an integer of 81 bits"),  # each power is small, their product is not
        ("ceil(1e300) > venue.capacity", "an integer of 997 bits"),
        ("1 << 10000", r"1 << 10000 would be an integer of 10,001 bits"),
        ("'%0999999999d' % 1 == 'x'", "a % format width or precision of 999,999,999: at most 100"),  # about 1 GB
        ("'%.999999999f' % 1.5", "a % format width or precision of 999,999,999"),
        ("'%(a(b)c)0999999999d' % {'a(b)c': 1}", "a % format width or precision of 999,999,999"),
        ("b'%0999999999d' % 1", "a % format width or precision of 999,999,999"),
        ("'%*d' % (999999999, 1)", r"taken from the values \('\*'\) is not supported"),
        ("'%0999999999d' % venue.capacity == 'x'", "a % format width or precision of 999,999,999"),  # a constant format
        ("f'{1:>999999999}'", "a format spec width or precision of 999,999,999: at most 100"),  # about 1 GB
        ("f'{1.5:.999999999f}'", "a format spec width or precision of 999,999,999"),
        ("f'{1:>{9 * 111111111}}'", "a format spec width or precision of 999,999,999"),  # a computed width
        ("f'{venue.name:>999999999}' == 'x'", "a format spec width or precision of 999,999,999"),  # a constant spec
        (
            "'x' * 5000 == venue.name",
            "a str of 5,000 elements would be built; at most 1,000",
        ),  # simpleeval allows 100,000
        ("[0] * 1001", "a list of 1,001 elements would be built"),
        ("'x' * 999 + 'xx'", "a str of 1,001 elements would be built"),
        ("round(5, -10**7) == 0", "round to -10000000 digits: at most 20"),  # Python computes 10**10**7
    ],
)
def test_a_part_past_a_bound_is_refused_when_parsed(expression, message):
    """What reads no fact is checked when parsed, so `validate` reports it without evaluating for long."""
    with pytest.raises(LimitExceeded, match=message):
        unknown_names(expression, set())


@pytest.mark.parametrize(
    "expression, context, message",
    [
        ("venue.capacity ** 5", {"venue": {"capacity": 30000}}, r"30000 \*\* 5 would be an integer of about 75 bits"),
        (
            "venue.capacity * venue.capacity * venue.capacity * venue.capacity * venue.capacity",
            {"venue": {"capacity": 30000}},
            "an integer of 75 bits",
        ),
        ("venue.capacity > 1", {"venue": {"capacity": 2**70}}, "an integer of 71 bits"),  # a fact past the bound
        (
            "('%0' + venue.width + 'd') % 1",
            {"venue": {"width": "999999999"}},
            "a % format width or precision of 999,999,999",
        ),
        ("f'{1:>{venue.width}}'", {"venue": {"width": 999999999}}, "a format spec width or precision of 999,999,999"),
        ("venue.name * venue.capacity", {"venue": {"name": "Stadium", "capacity": 30000}}, "a str of 210,000 elements"),
        (
            "round(venue.capacity, venue.places)",
            {"venue": {"capacity": 5, "places": -(10**7)}},
            "round to -10000000 digits",
        ),
    ],
)
def test_a_value_past_a_bound_through_facts_is_refused_before_it_is_computed(expression, context, message):
    """Where a bound depends on the facts, evaluation checks it and raises an ExpressionError,
    which resolve reports at the expression's place."""
    unknown_names(expression, set())  # nothing to refuse before the facts are known
    with pytest.raises(LimitExceeded, match=f"cannot evaluate .*: {message}"):
        evaluate(expression, context)


def test_an_evaluation_past_the_step_budget_stops():
    """90 × 90 inner iterations of 12 nodes each: within simpleeval's comprehension cap (10,000
    elements), far past the step budget."""
    expression = "[a for a in [1] * 90 for b in [1] * 90 if a + b + a + b + a + b]"
    with pytest.raises(LimitExceeded, match=f"evaluation takes more than {MAX_EVALUATION_STEPS:,} steps"):
        evaluate(expression, {})


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("2**63", 2**63),
        ("-2**63 - (2**63 - 1)", -(2**64) + 1),
        ("2**-5000", 0.0),
        ("1 << 63", 2**63),
        ("'-' * 1000 == '-' * 1000", True),
        ("len_ok + 'x' * 998", "abx" + "x" * 997),
        ("'%5.2f%%' % 1.5", " 1.50%"),
        ("'%%0999999999d' % ()", "%0999999999d"),
        ("f'{1.5:>8.3f}'", "   1.500"),
        ("f'{1:>100}'", " " * 99 + "1"),
        ("round(2.567, 2)", 2.57),
        ("round(venue.capacity, -3)", 45000),
        ("[a for a in [1] * 90 for b in [1] * 9 if a]", [1] * 810),
    ],
)
def test_values_within_the_bounds_evaluate(expression, expected):
    assert evaluate(expression, {**CONTEXT, "len_ok": "ab"}) == expected


def test_the_callable_functions_stay_those_documented_after_an_evaluation():
    """simpleeval adds list, tuple, dict and set to the functions it is given; that must not widen
    what parse lets through (it did when FUNCTIONS itself was passed)."""
    evaluate("1", {})
    with pytest.raises(
        ExpressionError, match=r"'list\(...\)' cannot be called: only min, max, ceil, floor, round, abs can$"
    ):
        unknown_names("list(venue) == []", set())


INTEGERS = st.one_of(st.integers(-20, 20), st.sampled_from([255, 65536, 4000000, 2**31, 2**53 + 1, 10**18, 2**63 - 1]))
ARITHMETIC = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"]
ARITHMETIC_EXPRESSIONS = st.recursive(
    INTEGERS.map(str),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(ARITHMETIC), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"~{e}"),
    ),
    max_leaves=40,
).filter(lambda e: len(e) <= MAX_EXPRESSION_CHARS)


@settings(max_examples=300, deadline=None)
@given(expression=ARITHMETIC_EXPRESSIONS)
def test_arithmetic_on_integers_ends_within_the_bounds(expression):
    """Any expression of bounded length built from integers and the arithmetic operators ends,
    with a value within MAX_INTEGER_BITS or an ExpressionError (without the bounds, a power such
    as 4000000 ** 4000000 would run for a minute and more)."""
    try:
        value = evaluate(expression, {})
    except ExpressionError:
        return
    assert not isinstance(value, int) or value.bit_length() <= MAX_INTEGER_BITS, expression


# `validate` reports each bound it passes at the expression's place (fixtures in tests/fixtures/expressions).


@pytest.mark.parametrize(
    "fixture, file, at, rule, message",
    [
        (
            "huge-power-condition",
            "extra.yaml",
            "16:19",
            "expression",
            r"applies_when '4000000\*\*4000000 > 1': 4000000 \*\* 4000000 would be an integer of about 87,726,275 bits",
        ),
        (
            "wide-format-condition",
            "extra.yaml",
            "16:19",
            "expression",
            "a % format width or precision of 999,999,999: at most 100",
        ),
        (
            "power-past-bound-parameter",
            "overlays/ratio.yaml",
            "6:31",
            "expression",
            r"expression '10\*\*5000': 10 \*\* 5000 would be an integer of about 16,610 bits",
        ),
        (
            "parameter-past-bound-via-venue",
            "overlays/ratio.yaml",
            "6:",
            "resolve",
            r"parameter 'steward_ratio': cannot evaluate 'venue.capacity \*\* 5': 30000 \*\* 5 would be an integer of about 75 bits",
        ),
    ],
)
def test_validate_reports_a_bound_passed_at_its_place(runner, rule_workspace, fixture, file, at, rule, message):
    workspace = rule_workspace(FIXTURES / "expressions" / fixture)
    result = runner.invoke(main, ["validate", str(workspace)])
    assert result.exit_code == 1, result.output
    (reported,) = [line for line in result.output.splitlines() if f"error[{rule}]" in line]
    assert reported.startswith(f"{workspace / file}:{at}") and re.search(message, reported), reported
    assert "Traceback" not in result.output


def test_validate_hints_at_the_bounds(runner, rule_workspace):
    result = runner.invoke(main, ["validate", str(rule_workspace(FIXTURES / "expressions" / "wide-format-condition"))])
    assert "hint: expressions need only plain numbers and short texts: integers stay within 64 bits" in result.output
