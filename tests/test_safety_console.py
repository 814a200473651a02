"""``eventsec safety``'s text report (assess/safety/console.py): parameters say where they come
from, assumed ones as planning values; the capacity by section, the exit routes, the stewarding
deployment and the medical provision follow the figures. The venue is tests/fixtures/safety_words'
``stand``, worked by hand in tests/test_render_safety_tables.py."""

from __future__ import annotations

import pytest

from eventsec.cli import main
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """The report's lines, runs of spaces folded to one."""
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["safety", str(FIXTURES / "safety_words"), "--venue", "stand"])
    assert result.exit_code == 1, result.output  # the workforce is short: a high finding, none critical
    return [" ".join(line.split()) for line in result.output.splitlines()]


def block(lines: list[str], heading: str) -> list[str]:
    """The lines under ``heading`` up to the next blank line."""
    start = lines.index(heading) + 1
    return lines[start : lines.index("", start)]


def test_an_assumed_parameter_says_it_is_a_planning_value_and_what_it_was_derived_from(lines):
    assert "turnstile_rate_search_per_hour = 360 — assumed (planning value), derived from green-guide-6" in lines
    assert "entry_time_target_min = 60 — assumed (planning value)" in lines
    assert "egress_target_min = 8 — green-guide-6, documented" in lines  # a documented source as it was
    assert not [line for line in lines if line.endswith(", assumed")]


def test_capacity_by_section_says_every_capacity_and_what_governs(lines):
    assert block(lines, "Capacity by section") == [
        "Section Holding Entry Exit Emergency Concourse Safe capacity Governed by",
        "West stand 5,400 16,200 4,752 4,752 — 4,752 exit (West vomitories)",
        "East stand 3,000 3,600 1,584 495 — 495 emergency (East stair)",
    ]


def test_exit_routes_say_their_flow_and_narrowest_element(lines):
    assert block(lines, "Exit routes")[1:] == [
        "West route West stand 594.0 West vomitories",
        "East route East stand 198.0 East stair",
    ]


def test_the_deployment_and_the_medical_provision_are_listed(lines):
    deployment = block(lines, "Stewarding deployment")
    assert deployment[0].startswith(
        "For the most demanding case (the highest risk among the venue's matches, a full house) at high risk, 9,000"
    )
    assert "West stand entrance 10 by rule 10" in deployment and "East stand segregation line 6 declared" in deployment
    assert deployment[-5:] == [
        "Mobile stewards 60",
        "Supervisors 17",
        "Head steward 1",
        "Total on duty 181",
        "Workforce confirmed 170",
    ]
    medical = block(lines, "Medical provision")
    assert "First aiders 12 × 1.25 15" in medical and "Medical rooms 1 × 1.00 1" in medical
