"""Case priority: examples with numbers, monotonicity as properties, ranking and previews."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.engine.threat import (
    DEFAULT_WEIGHTS,
    THREAT_CATEGORY_WEIGHTS,
    ControlChange,
    ControlState,
    DistrictRisk,
    Event,
    EventKind,
    HouseholdFacts,
    PriorityPart,
    PriorityWeights,
    RiskLevel,
    RoleVisibility,
    ThreatSettingsError,
    district_risk,
    preview_weights,
    priority,
    rank,
)

DAY = dt.date(2021, 8, 6)
CATEGORIES = sorted(THREAT_CATEGORY_WEIGHTS)
VISIBILITY_ORDER = [RoleVisibility.LOW, RoleVisibility.MEDIUM, RoleVisibility.HIGH]
ELIGIBILITY = ["eligible", "eligible_pending_documents", "undetermined", "not_eligible", None]


def household(**changes: object) -> HouseholdFacts:
    facts = HouseholdFacts(
        reference="SP-0001",
        threat_categories=frozenset(),
        documented_incidents=0,
        role_visibility=RoleVisibility.LOW,
        district=None,
        young_children=0,
        medical_needs=False,
        woman_headed=False,
        disability=False,
        eligibility="eligible",
        documents_complete=False,
        waiting_days=0,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def risk_of(score: float) -> DistrictRisk:
    return DistrictRisk(
        district="D1",
        day=DAY,
        score=score,
        level=RiskLevel.LOW,
        control=None,
        control_points=0.0,
        contributions=(),
    )


def part(result_parts: tuple[PriorityPart, ...], code: str) -> PriorityPart:
    return next(p for p in result_parts if p.code == code)


# --- examples ---------------------------------------------------------------------------------


def test_an_interpreter_in_lashkar_gah_after_a_killing_outranks_a_clerk_in_a_quiet_place() -> None:
    lashkar_gah = district_risk(
        "LGH",
        "AF-HEL",
        [Event("inc-1", dt.date(2021, 8, 5), "LGH", "AF-HEL", EventKind.TARGETED_KILLING,
               fatalities=1, targets_affiliates=True)],
        [ControlChange("LGH", dt.date(2021, 7, 30), ControlState.CONTESTED)],
        DAY,
    )  # fmt: skip
    quiet = district_risk("BAM", "AF-BAM", [], [], DAY)
    interpreter = household(
        reference="SP-0001",
        threat_categories=frozenset({"threat_letter", "phone_threats"}),
        documented_incidents=2,
        role_visibility=RoleVisibility.HIGH,
        district="LGH",
        young_children=2,
        waiting_days=365,
    )
    clerk = household(
        reference="SP-0002",
        threat_categories=frozenset({"phone_threats"}),
        role_visibility=RoleVisibility.LOW,
        district="BAM",
        waiting_days=730,
    )

    first = priority(interpreter, lashkar_gah)
    second = priority(clerk, quiet)

    # threat: categories 1 - 0.4 x 0.6 = 0.76, incidents 1 - 0.5 = 0.5, visibility 1.0
    #   -> 0.45 x 0.76 + 0.30 x 0.5 + 0.25 x 1.0 = 0.742 -> 35 x 0.742 = 25.97 points
    # district: 69.86 / 100 -> 25 x 0.6986 = 17.465; vulnerability: 0.30 x 0.75 = 0.225 ->
    # 15 x 0.225 = 3.375 (each rounded to cents); readiness: 0.70 (eligible, documents
    # incomplete) -> 10.5; waiting: 0.5 -> 5.0
    assert [p.points for p in first.parts] == pytest.approx(
        [25.97, 17.465, 3.375, 10.5, 5.0], abs=0.006
    )
    assert first.score == pytest.approx(62.31, abs=0.011)
    # clerk: threat 0.45 x 0.4 + 0.25 x 0.25 = 0.2425 -> 8.49; district 0; readiness 10.5;
    # waiting 0.75 -> 7.5
    assert second.score == pytest.approx(26.49, abs=0.01)
    assert [r for r, _ in rank([(clerk, quiet), (interpreter, lashkar_gah)])] == [
        "SP-0001",
        "SP-0002",
    ]


def test_the_breakdown_names_its_factors_and_adds_up_to_the_score() -> None:
    facts = household(
        threat_categories=frozenset({"detained"}),
        documented_incidents=3,
        role_visibility=None,
        young_children=1,
        woman_headed=True,
        eligibility=None,
        waiting_days=100,
    )

    result = priority(facts, None)

    assert [p.code for p in result.parts] == [
        "threat",
        "district",
        "vulnerability",
        "readiness",
        "waiting",
    ]
    assert sum(p.points for p in result.parts) == pytest.approx(result.score, abs=0.001)
    assert sum(p.weight for p in result.parts) == pytest.approx(1.0, abs=0.001)
    codes = {f.code for p in result.parts for f in p.factors}
    assert {"category:detained", "incidents", "visibility:unknown", "district_unknown"} <= codes
    assert {"young_children", "woman_headed", "eligibility:unknown", "waiting_days"} <= codes
    assert part(result.parts, "district").value == 0.0


def test_weights_are_normalised_so_scaling_them_changes_nothing() -> None:
    facts = household(threat_categories=frozenset({"house_search"}), waiting_days=200)
    doubled = PriorityWeights(threat=0.7, district=0.5, vulnerability=0.3, readiness=0.3,
                              waiting=0.2)  # fmt: skip

    assert priority(facts, risk_of(40.0), doubled) == priority(facts, risk_of(40.0))


def test_weights_refuse_negative_values_and_all_zero() -> None:
    with pytest.raises(ThreatSettingsError) as negative:
        PriorityWeights(threat=-0.1)
    with pytest.raises(ThreatSettingsError) as zero:
        PriorityWeights(threat=0, district=0, vulnerability=0, readiness=0, waiting=0)
    with pytest.raises(ThreatSettingsError) as not_a_number:
        PriorityWeights(waiting=float("nan"))

    assert negative.value.code == "weights_negative"
    assert zero.value.code == "weights_all_zero"
    assert not_a_number.value.code == "weights_negative"


def test_a_weight_of_zero_leaves_its_part_out_of_the_score() -> None:
    facts = household(waiting_days=3_000)
    no_waiting = PriorityWeights(waiting=0.0)

    result = priority(facts, None, no_waiting)

    assert part(result.parts, "waiting").points == 0.0
    assert part(result.parts, "waiting").value > 0.9


def test_preview_shows_who_enters_leaves_and_moves_in_the_top_of_the_queue() -> None:
    # A waits long in a quiet place; B and C are threatened now in a dangerous district.
    a = household(reference="A", waiting_days=3_000, documents_complete=True)
    b = household(reference="B", threat_categories=frozenset({"detained"}), district="D1",
                  role_visibility=RoleVisibility.HIGH)  # fmt: skip
    c = household(reference="C", threat_categories=frozenset({"threat_letter"}), district="D1")
    d = household(reference="D")
    pairs = [(a, None), (b, risk_of(90.0)), (c, risk_of(90.0)), (d, None)]
    waiting_first = PriorityWeights(threat=0.1, district=0.1, vulnerability=0.1, readiness=0.1,
                                    waiting=0.6)  # fmt: skip

    preview = preview_weights(pairs, old=waiting_first, new=DEFAULT_WEIGHTS, top=2)

    assert [r for r, _ in rank(pairs, waiting_first)][:2] == ["A", "B"]
    assert [r for r, _ in rank(pairs, DEFAULT_WEIGHTS)][:2] == ["B", "C"]
    assert [(m.reference, m.old_position, m.new_position) for m in preview.entered] == [("C", 3, 2)]
    assert [(m.reference, m.old_position, m.new_position) for m in preview.left] == [("A", 1, 3)]
    assert [(m.reference, m.old_position, m.new_position) for m in preview.moved] == [("B", 2, 1)]
    assert preview.unchanged == 0
    assert preview.top == 2


def test_preview_with_the_same_weights_changes_nothing() -> None:
    rng = random.Random(8)
    pairs = [(random_household(rng, n), risk_of(rng.uniform(0, 100))) for n in range(300)]

    preview = preview_weights(pairs, DEFAULT_WEIGHTS, DEFAULT_WEIGHTS, top=50)

    assert (preview.entered, preview.left, preview.moved, preview.unchanged) == ((), (), (), 50)


def random_household(rng: random.Random, number: int) -> HouseholdFacts:
    return household(
        reference=f"SP-{number:05d}",
        threat_categories=frozenset(rng.sample(CATEGORIES, rng.randint(0, 3))),
        documented_incidents=rng.randint(0, 4),
        role_visibility=rng.choice([*VISIBILITY_ORDER, None]),
        young_children=rng.randint(0, 4),
        medical_needs=rng.random() < 0.2,
        woman_headed=rng.random() < 0.1,
        disability=rng.random() < 0.1,
        eligibility=rng.choice(ELIGIBILITY),
        documents_complete=rng.random() < 0.5,
        waiting_days=rng.randint(0, 1_500),
    )


# --- properties -------------------------------------------------------------------------------

households = st.builds(
    HouseholdFacts,
    reference=st.from_regex(r"SP-[0-9]{4}", fullmatch=True),
    threat_categories=st.frozensets(st.sampled_from([*CATEGORIES, "unknown_code"])),
    documented_incidents=st.integers(-2, 50),
    role_visibility=st.none() | st.sampled_from(VISIBILITY_ORDER),
    district=st.none() | st.just("D1"),
    young_children=st.integers(-1, 12),
    medical_needs=st.booleans(),
    woman_headed=st.booleans(),
    disability=st.booleans(),
    eligibility=st.sampled_from([*ELIGIBILITY, "something_else"]),
    documents_complete=st.booleans(),
    waiting_days=st.integers(-10, 10_000),
)
risks = st.none() | st.floats(0.0, 100.0).map(risk_of)
positive = st.floats(0.0, 10.0)
weights = (
    st.tuples(positive, positive, positive, positive, positive)
    .filter(lambda values: sum(values) > 0)
    .map(lambda values: PriorityWeights(*values))
)


def more_threat(facts: HouseholdFacts, data: st.DataObject) -> HouseholdFacts:
    """The same household with one threat or vulnerability factor raised."""
    draw = data.draw
    choice = draw(st.sampled_from(["category", "incidents", "visibility", "children", "flag",
                                   "waiting"]))  # fmt: skip
    if choice == "category":
        extra = draw(st.sampled_from([*CATEGORIES, "unknown_code"]))
        return dataclasses.replace(facts, threat_categories=facts.threat_categories | {extra})
    if choice == "incidents":
        more = max(facts.documented_incidents, 0) + draw(st.integers(1, 10))
        return dataclasses.replace(facts, documented_incidents=more)
    if choice == "visibility":
        current = facts.role_visibility
        start = VISIBILITY_ORDER.index(current) if current is not None else 0
        higher = draw(st.sampled_from(VISIBILITY_ORDER[start:]))
        if current is None and higher is not RoleVisibility.HIGH:
            higher = RoleVisibility.HIGH  # unknown counts as medium; only high is above it
        return dataclasses.replace(facts, role_visibility=higher)
    if choice == "children":
        more = max(facts.young_children, 0) + draw(st.integers(1, 5))
        return dataclasses.replace(facts, young_children=more)
    if choice == "flag":
        flag = draw(st.sampled_from(["medical_needs", "woman_headed", "disability"]))
        return dataclasses.replace(
            facts,
            medical_needs=facts.medical_needs or flag == "medical_needs",
            woman_headed=facts.woman_headed or flag == "woman_headed",
            disability=facts.disability or flag == "disability",
        )
    more = max(facts.waiting_days, 0) + draw(st.integers(1, 3_000))
    return dataclasses.replace(facts, waiting_days=more)


@settings(max_examples=500, deadline=None)
@given(households, risks, weights, st.data())
def test_raising_any_threat_vulnerability_or_waiting_factor_never_lowers_priority(
    facts: HouseholdFacts, risk: DistrictRisk | None, chosen: PriorityWeights, data: st.DataObject
) -> None:
    raised = more_threat(facts, data)

    assert priority(raised, risk, chosen).score >= priority(facts, risk, chosen).score


@settings(max_examples=300, deadline=None)
@given(households, st.floats(0.0, 100.0), st.floats(0.0, 100.0), weights)
def test_a_more_dangerous_district_never_lowers_priority(
    facts: HouseholdFacts, low: float, high: float, chosen: PriorityWeights
) -> None:
    low, high = sorted((low, high))

    assert (
        priority(facts, risk_of(high), chosen).score >= priority(facts, risk_of(low), chosen).score
    )
    assert priority(facts, risk_of(low), chosen).score >= priority(facts, None, chosen).score


@settings(max_examples=300, deadline=None)
@given(households, risks, weights)
def test_scores_and_part_values_stay_in_range_and_the_points_add_up(
    facts: HouseholdFacts, risk: DistrictRisk | None, chosen: PriorityWeights
) -> None:
    result = priority(facts, risk, chosen)

    assert 0.0 <= result.score <= 100.0
    assert all(0.0 <= p.value <= 1.0 for p in result.parts)
    assert sum(p.weight for p in result.parts) == pytest.approx(1.0, abs=0.001)
    assert sum(p.points for p in result.parts) == pytest.approx(result.score, abs=0.001)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(households, risks), max_size=30), weights, st.randoms())
def test_rank_is_sorted_and_does_not_depend_on_the_input_order(
    pairs: list[tuple[HouseholdFacts, DistrictRisk | None]],
    chosen: PriorityWeights,
    shuffler: random.Random,
) -> None:
    pairs = [(dataclasses.replace(f, reference=f"SP-{n:04d}"), r) for n, (f, r) in enumerate(pairs)]
    shuffled = pairs[:]
    shuffler.shuffle(shuffled)

    ranked = rank(pairs, chosen)

    keys = [(-p.score, reference) for reference, p in ranked]
    assert keys == sorted(keys)
    assert rank(shuffled, chosen) == ranked
    assert len(ranked) == len(pairs)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(households, risks), max_size=40), weights, weights, st.integers(1, 15))
def test_preview_accounts_for_every_household_of_both_tops(
    pairs: list[tuple[HouseholdFacts, DistrictRisk | None]],
    old: PriorityWeights,
    new: PriorityWeights,
    top: int,
) -> None:
    pairs = [(dataclasses.replace(f, reference=f"SP-{n:04d}"), r) for n, (f, r) in enumerate(pairs)]

    preview = preview_weights(pairs, old, new, top=top)

    old_top = {r for r, _ in rank(pairs, old)[:top]}
    new_top = {r for r, _ in rank(pairs, new)[:top]}
    assert {m.reference for m in preview.entered} == new_top - old_top
    assert {m.reference for m in preview.left} == old_top - new_top
    assert len(preview.moved) + preview.unchanged == len(old_top & new_top)
    assert all(m.old_position != m.new_position for m in preview.moved)
