"""Safe expressions: simpleeval, never eval."""

import pytest

from eventsec.expressions import ExpressionError, evaluate, unknown_names

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


def test_unknown_name_is_an_error_at_evaluation():
    with pytest.raises(ExpressionError, match="unknown name 'stadium'"):
        evaluate("stadium.roof", CONTEXT)


def test_unknown_names_for_lint():
    assert unknown_names("venue.capacity > x and min(steward_ratio, 1) > 0", {"steward_ratio"}) == {"x"}
