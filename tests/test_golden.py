"""Golden resolved plans for sample venues.

Regenerate after an intended change, then review the diff like code:

    EVENTSEC_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os

import pytest

from eventsec.cli import main
from tests.conftest import FIXTURES, ROOT

GOLDEN = FIXTURES / "golden" / "resolve"
CASES = [
    ("wc2030", "ma-tanger", None),
    ("wc2030", "es-cartuja", None),
    ("wc2030", "ma-hassan2", "m001"),  # opening match overlay
    ("wc2030", "es-metropolitano", "m024"),  # high-risk fixture overlay
    ("wc2030", "es-bernabeu", "m043"),  # the final
    ("afcon2025", "ma-rabat-moulay-abdellah", None),
]


@pytest.mark.parametrize(
    "workspace, venue, match", CASES, ids=[f"{w}-{v}" + (f"-{m}" if m else "") for w, v, m in CASES]
)
def test_resolved_plan_matches_golden(runner, workspace, venue, match):
    args = ["resolve", str(ROOT / "samples" / workspace), "--venue", venue] + (["--match", match] if match else [])
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{workspace}-{venue}{'-' + match if match else ''}.yaml"
    if os.environ.get("EVENTSEC_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.output, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}; run with EVENTSEC_UPDATE_GOLDEN=1 and review it"
    assert result.output == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, regenerate with EVENTSEC_UPDATE_GOLDEN=1 and review the diff"
    )
