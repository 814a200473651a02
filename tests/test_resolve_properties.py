"""Merge laws, checked with Hypothesis on generated overlays over a generated library."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsec.cli.serialize import dump
from eventsec.load.documents import load_bytes
from eventsec.load.index import Index
from eventsec.load.workspace import Workspace
from eventsec.plan.model import NOT_APPLICABLE, PRESENT, REMOVED
from eventsec.plan.resolve import resolve

ITEM_IDS = [f"GEN-{n:03d}" for n in range(1, 13)]
CRITICALITIES = ["critical", "high", "medium", "low"]
LOCKED_IDS = {item for n, item in enumerate(ITEM_IDS) if n % 5 == 0}

LIBRARY = {
    "catalog.yaml": """kind: catalog
id: core
domains: [{id: crowd, title: Crowd}]
roles: [{id: steward-lead, title: Steward lead, remit: Leads stewards.}, {id: safety-officer, title: Safety officer, remit: Owns safety.}]
""",
    "tournament.yaml": """kind: tournament
id: gen
name: Generated Cup
dates: {start: "2030-06-01", end: "2030-06-30"}
hosts: [{country: XX, name: Testland}]
protocols: [library]
""",
    "venue.yaml": """kind: venue
id: v1
name: Generated Stadium
city: Town
country: XX
timezone: Europe/Lisbon
capacity: 40000
features: {fan_zone: true}
matches: [{id: m1, date: "2030-06-10", kickoff: "18:00", risk: high}, {id: m2, date: "2030-06-14", kickoff: "21:00", risk: low}]
""",
    "protocol.yaml": None,  # generated below
}


def _generated_protocol() -> str:
    """Twelve items: every criticality, a locked item in five, a match-risk condition in four."""
    lines = [
        "kind: protocol",
        "id: gen",
        "version: 1.0.0",
        "title: Generated",
        "domain: crowd",
        "parameters: {steward_ratio: {type: integer, default: 250, minimum: 50, maximum: 1000}}",
        "items:",
    ]
    for n, item in enumerate(ITEM_IDS):
        extra = ", locked: true" if n % 5 == 0 else ""
        extra += ", applies_when: \"match.risk == 'high'\"" if n % 4 == 3 else ""
        lines.append(
            f"  - {{id: {item}, title: Do task {item}, description: Task {item}., criticality: {CRITICALITIES[n % 4]},"
            f" phase: T-{n + 1}d, owner: steward-lead, evidence: Record, basis: practice{extra}}}"
        )
    return "\n".join(lines) + "\n"


LIBRARY["protocol.yaml"] = _generated_protocol()


def build_workspace(overlays: dict[str, str]) -> Workspace:
    documents = []
    for name, text in {**LIBRARY, **overlays}.items():
        result = load_bytes(text.encode(), f"/gen/{name}")
        assert result.document is not None, (name, result.findings)
        documents.append(result.document)
    return Workspace(Path("/gen"), Index(documents=documents))


def overlay_text(ident: str, layer: str, target: str | None, sets: dict[str, dict], removes: list[str]) -> str:
    lines = ["kind: overlay", f"id: {ident}", f"layer: {layer}"] + ([f"target: {target}"] if target else [])
    if sets:
        lines.append("set:")
        for item, fields in sets.items():
            rendered = ", ".join(f"{k}: {v}" for k, v in fields.items())
            lines.append(f"  - {{item: {item}, fields: {{{rendered}}}}}")
    if removes:
        lines.append("remove:")
        for item in removes:
            lines.append(
                f"  - {{item: {item}, reason: Not needed at this generated venue, "
                f"waiver: {{approved_by: Generated approver, date: '2030-01-01', reason: Generated}}}}"
            )
    return "\n".join(lines) + "\n"


field_changes = st.fixed_dictionaries(
    {},
    optional={
        "criticality": st.sampled_from(["critical", "high", "low"]),
        "owner": st.sampled_from(["steward-lead", "safety-officer"]),
        "phase": st.sampled_from(["T-30d", "MD-4h", "MD", "post"]),
    },
)


@st.composite
def disjoint_overlays(draw):
    ids = draw(st.permutations(ITEM_IDS))
    split = draw(st.integers(0, len(ids)))
    first, second = ids[:split], ids[split:]

    def ops(items):
        chosen = draw(st.lists(st.sampled_from(items), unique=True)) if items else []
        removes = [i for i in chosen if draw(st.booleans())]
        sets = {i: draw(field_changes) for i in chosen if i not in removes}
        for item in LOCKED_IDS & set(sets):
            sets[item].pop("criticality", None)  # a locked item's criticality may not drop
        return {i: f for i, f in sets.items() if f}, removes

    return ops(first), ops(second)


def plan_dict(overlays: dict[str, str], match: str | None = None) -> dict:
    plan, findings = resolve(build_workspace(overlays), "v1", match)
    assert plan is not None, [f.message for f in findings]
    data = plan.to_dict()
    data["plan"].pop("inputs_digest")
    return data


def states(data: dict) -> dict:
    """Item id → (state, fields without provenance), the part of a plan that must not depend on file names."""
    return {
        item["id"]: {k: v for k, v in item.items() if k not in ("provenance", "removal")}
        for protocol in data["protocols"]
        for item in protocol["items"]
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["tournament", "country", "venue", "match"]))
def test_empty_overlay_is_identity(layer):
    target = {"tournament": None, "country": "XX", "venue": "v1", "match": "m1"}[layer]
    base = plan_dict({}, match="m1")
    with_empty = plan_dict({"overlays/empty.yaml": overlay_text("empty", layer, target, {}, [])}, match="m1")
    assert with_empty == base


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disjoint_overlays())
def test_overlays_on_disjoint_items_commute(pair):
    (sets_a, removes_a), (sets_b, removes_b) = pair
    a = overlay_text("a", "venue", "v1", sets_a, removes_a)
    b = overlay_text("b", "venue", "v1", sets_b, removes_b)
    forward = plan_dict({"overlays/1.yaml": a, "overlays/2.yaml": b})
    backward = plan_dict({"overlays/1.yaml": b, "overlays/2.yaml": a})
    assert states(forward) == states(backward)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disjoint_overlays(), st.sampled_from([None, "m1", "m2"]))
def test_every_library_item_appears_exactly_once(pair, match):
    (sets_a, removes_a), (sets_b, removes_b) = pair
    data = plan_dict(
        {
            "overlays/1.yaml": overlay_text("a", "country", "XX", sets_a, removes_a),
            "overlays/2.yaml": overlay_text("b", "venue", "v1", sets_b, removes_b),
        },
        match,
    )
    items = [item for protocol in data["protocols"] for item in protocol["items"]]
    assert sorted(i["id"] for i in items) == sorted(ITEM_IDS)
    for item in items:
        assert item["state"] in (PRESENT, NOT_APPLICABLE, REMOVED)
        if item["state"] == REMOVED:
            assert item["removal"]["reason"] and item["removal"]["waiver"]
        if item["state"] == NOT_APPLICABLE:
            assert item["condition"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disjoint_overlays(), st.sampled_from(["yaml", "json"]))
def test_resolving_twice_gives_identical_bytes(pair, output_format):
    (sets_a, removes_a), _ = pair
    overlays = {"overlays/1.yaml": overlay_text("a", "venue", "v1", sets_a, removes_a)}
    first, _ = resolve(build_workspace(overlays), "v1")
    second, _ = resolve(build_workspace(overlays), "v1")
    assert dump(first.to_dict(), output_format).encode() == dump(second.to_dict(), output_format).encode()
