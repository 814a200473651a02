"""Phase grammar: T-Nd, MD-Nh, MD, MD+Nh, post."""

from datetime import timedelta

import pytest

from eventsec.plan.phases import PhaseError, parse_phase


@pytest.mark.parametrize(
    "text, anchor, offset",
    [
        ("T-90d", "T", -timedelta(days=90)),
        ("T-1d", "T", -timedelta(days=1)),
        ("T-730d", "T", -timedelta(days=730)),
        ("MD-4h", "MD", -timedelta(hours=4)),
        ("MD-48h", "MD", -timedelta(hours=48)),
        ("MD", "MD", timedelta(0)),
        ("MD+2h", "MD", timedelta(hours=2)),
        ("post", "post", timedelta(0)),
    ],
)
def test_valid_phases(text, anchor, offset):
    phase = parse_phase(text)
    assert (phase.anchor, phase.offset, phase.text) == (anchor, offset, text)


@pytest.mark.parametrize(
    "text", ["T-0d", "T-731d", "T-999d", "MD-0h", "MD-73h", "MD+80h", "T-60", "D-1", "", "md", "T+5d"]
)
def test_invalid_phases(text):
    with pytest.raises(PhaseError):
        parse_phase(text)


def test_phases_sort_in_time_order():
    texts = ["post", "MD+2h", "MD", "MD-4h", "T-1d", "T-90d"]
    assert [p.text for p in sorted(map(parse_phase, texts))] == list(reversed(texts))
