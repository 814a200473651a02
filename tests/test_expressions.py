"""Safe expressions: simpleeval, never eval."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventsec.expressions import Evaluator, ExpressionError, Outcomes, evaluate, fact_paths, unknown_names

CONTEXT = {"venue": {"capacity": 45000, "features": {"roof": "open", "fan_zone": True}},
           "match": {"risk": "high"}, "steward_ratio": 250}


@pytest.mark.parametrize("expression, expected", [
    ("venue.capacity >= 40000", True),
    ("venue.features.fan_zone and match.risk == 'high'", True),
    ("venue.features.roof != 'open'", False),
    ("not venue.features.coastal_approach", True),
    ("venue.roofing.type == 'closed'", False),
    ("ceil(venue.capacity / steward_ratio)", 180),
    ("max(10, venue.capacity // 1000)", 45),
])
def test_evaluate(expression, expected):
    assert evaluate(expression, CONTEXT) == expected


@pytest.mark.parametrize("expression", ["__import__('os').system('true')", "venue.__class__", "open('x')",
                                        "(lambda: 1)()", "venue.capacity >"])
def test_unsafe_or_broken_expressions_are_errors(expression):
    with pytest.raises(ExpressionError):
        evaluate(expression, CONTEXT)


@pytest.mark.parametrize("expression, message", [
    ("match.pop('risk', '') == 'high'", r"'match.pop\(...\)' cannot be called: only min, max"),
    ("venue.name.startswith('A')", r"'venue.name.startswith\(...\)' cannot be called"),
    ("len(venue.features) > 0", r"'len\(...\)' cannot be called"),
    ("venue.capacity is 40000", "'is' compares object identity"),
    ("match.risk is not None", "'is' compares object identity"),
])
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


@pytest.mark.parametrize("expression", ["venue.features.roof_height >= 3", "3 < venue.features.roof_height",
                                        "match.expected_attendance > 30000", "venue.features.roof_height <= 'x'"])
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


@pytest.mark.parametrize("expression, paths", [
    ("venue.features.roof == 'open'", (("venue", "features", "roof"),)),
    ("venue.capacity >= steward_ratio * 100", (("steward_ratio",), ("venue", "capacity"))),
    ("max(1, venue.capacity) > 0 and match.risk", (("match", "risk"), ("venue", "capacity"))),
    ("tournament.hosts[0].country == 'MA'", (("tournament", "hosts"),)),
])
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
    assert outcomes.holds(condition, CountingEvaluator({"venue": {"capacity": 45000}, "match": {"risk": "low"}})) is False
    assert CountingEvaluator.evaluations == 2


def test_outcomes_remember_errors():
    outcomes, CountingEvaluator.evaluations = Outcomes(), 0
    for _ in range(2):
        with pytest.raises(ExpressionError, match="not supported"):
            outcomes.holds("venue.capacity > 'x'", CountingEvaluator({"venue": {"capacity": 1}}))
    assert CountingEvaluator.evaluations == 1  # the second time the remembered error is raised


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "high", "1"]), st.floats(allow_nan=False))
FACTS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=2), st.dictionaries(st.sampled_from(["roof", "risk", "items", "get", "_x", "a"]), inner, max_size=3)),
    max_leaves=6)
CONDITIONS = ["venue.features.roof == 'high'", "venue.features.roof", "venue.features", "not venue.features.items",
              "venue.features.roof.risk != 1", "venue.features.a > 0", "venue.features.roof in ['a', 'high']",
              "venue.features == {}", "venue.features.items == venue.features.items", "match.risk or venue.features.roof.a.roof"]


@settings(max_examples=150, deadline=None)
@given(contexts=st.lists(st.fixed_dictionaries({"venue": st.fixed_dictionaries({"features": FACTS}), "match": FACTS}),
                         min_size=1, max_size=6))
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


@pytest.mark.parametrize("condition, first, second", [
    ("venue.features.roof == 'a'", {"roof": {}}, {"roof": "a"}),  # an absent fact and an empty mapping differ from text
    ("venue.features.roof.a == 1", {"roof": "{'a': 1}"}, {"roof": {"a": 1}}),  # text that looks like a mapping
])
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


@pytest.mark.parametrize("expression, message", [
    ("venue.capacity > 1; match.risk == 'high'", "write one expression"),
    ("lambda: 1", "'lambda: 1' is not supported"),
    ("max(*venue) > 1", r"'\*venue' is not supported"),
    ("venue.__class__", "'.__class__' is not readable"),
    ("+".join(["1"] * 300) + " > 1", "nested more than 40 levels"),
])
def test_forms_that_could_only_fail_when_resolving_are_refused_when_parsed(expression, message):
    """What simpleeval would reject only while resolving a plan is an error `validate` can report."""
    with pytest.raises(ExpressionError, match=message):
        unknown_names(expression, set())
