"""District risk index: examples with numbers, invariants as properties, and speed."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.engine.places import districts as gazetteer_districts
from safepassage.engine.threat import (
    DEFAULT_RISK,
    ControlChange,
    ControlState,
    Event,
    EventKind,
    RiskLevel,
    RiskSettings,
    ThreatSettingsError,
    affected_districts,
    control_state_on,
    district_risk,
    event_points,
    risk_by_district,
)

DAY = dt.date(2021, 8, 6)
# Gazetteer codes of Lashkar Gah and Nad Ali (both Helmand) and Bamyan's centre district.
LASHKAR_GAH = next(d.code for d in gazetteer_districts().values() if d.name_en == "Lashkar Gah")
HELMAND = "AF-HEL"
BAMYAN_CENTRE = next(
    d.code
    for d in gazetteer_districts().values()
    if d.province_code == "AF-BAM" and d.name_en == "Bamyan"
)
NAD_ALI = next(
    d.code
    for d in gazetteer_districts().values()
    if d.province_code == HELMAND and d.code != LASHKAR_GAH
)


def killing_of_interpreter(day: dt.date = dt.date(2021, 8, 5)) -> Event:
    return Event(
        id="inc-1",
        day=day,
        district=LASHKAR_GAH,
        province=HELMAND,
        kind=EventKind.TARGETED_KILLING,
        fatalities=1,
        targets_affiliates=True,
    )


# --- examples ---------------------------------------------------------------------------------


def test_lashkar_gah_after_a_killing_of_an_interpreter_is_high_and_a_quiet_district_low() -> None:
    control = [ControlChange(LASHKAR_GAH, dt.date(2021, 7, 30), ControlState.CONTESTED)]
    events = [killing_of_interpreter()]

    lashkar_gah = district_risk(LASHKAR_GAH, HELMAND, events, control, DAY)
    quiet = district_risk(BAMYAN_CENTRE, "AF-BAM", events, control, DAY)

    # raw = 10 (killing) x 1.05 (1 of 20 fatalities) x 0.5 ** (1/14) x 2 (affiliate) = 19.99
    # plus 4 (contested) = 23.99; score = 100 x (1 - exp(-23.99 / 20)) = 69.86, shared out
    # as 69.86 x 4 / 23.99 = 11.65 for control and 58.21 for the killing.
    assert lashkar_gah.score == pytest.approx(69.86, abs=0.01)
    assert lashkar_gah.level is RiskLevel.HIGH
    assert lashkar_gah.control is ControlState.CONTESTED
    assert lashkar_gah.control_points == pytest.approx(11.65, abs=0.01)
    assert [c.event_id for c in lashkar_gah.contributions] == ["inc-1"]
    assert lashkar_gah.contributions[0].points == pytest.approx(58.21, abs=0.01)
    assert lashkar_gah.control_points + lashkar_gah.contributions[0].points == pytest.approx(
        lashkar_gah.score, abs=0.02
    )
    assert quiet.score == 0.0
    assert quiet.level is RiskLevel.LOW
    assert quiet.contributions == ()
    assert quiet.control is None


def test_fall_to_the_taliban_with_killings_makes_lashkar_gah_critical() -> None:
    control = [
        ControlChange(LASHKAR_GAH, dt.date(2021, 7, 30), ControlState.CONTESTED),
        ControlChange(LASHKAR_GAH, dt.date(2021, 8, 6), ControlState.TALIBAN),
    ]
    events = [
        killing_of_interpreter(),
        Event("inc-2", dt.date(2021, 8, 4), LASHKAR_GAH, HELMAND, EventKind.HOUSE_SEARCH,
              targets_affiliates=True),
    ]  # fmt: skip

    risk = district_risk(LASHKAR_GAH, HELMAND, events, control, DAY)

    assert risk.control is ControlState.TALIBAN
    assert risk.level is RiskLevel.CRITICAL
    assert [c.event_id for c in risk.contributions] == ["inc-1", "inc-2"]


def test_an_event_elsewhere_in_the_province_spills_over_at_a_quarter() -> None:
    event = killing_of_interpreter()

    risks = risk_by_district(
        {LASHKAR_GAH: HELMAND, NAD_ALI: HELMAND, BAMYAN_CENTRE: "AF-BAM"}, [event], [], DAY
    )

    own_raw = event_points(event, day=DAY)
    assert risks[NAD_ALI].score == pytest.approx(100 * (1 - math.exp(-own_raw * 0.25 / 20)), 0.01)
    assert risks[NAD_ALI].contributions[0].spill is True
    assert risks[LASHKAR_GAH].contributions[0].spill is False
    assert risks[BAMYAN_CENTRE].score == 0.0


def test_events_after_the_day_and_beyond_the_horizon_count_nothing() -> None:
    future = killing_of_interpreter(day=DAY + dt.timedelta(days=1))
    ancient = killing_of_interpreter(day=DAY - dt.timedelta(days=181))
    edge = killing_of_interpreter(day=DAY - dt.timedelta(days=180))

    assert event_points(future, day=DAY) == 0.0
    assert event_points(ancient, day=DAY) == 0.0
    assert event_points(edge, day=DAY) > 0.0
    assert district_risk(LASHKAR_GAH, HELMAND, [future, ancient], [], DAY).score == 0.0


def test_an_event_loses_half_its_points_every_half_life() -> None:
    fresh = event_points(killing_of_interpreter(day=DAY), day=DAY)
    two_weeks = event_points(killing_of_interpreter(day=DAY - dt.timedelta(days=14)), day=DAY)
    one_week = RiskSettings(half_life_days=7.0)
    four_weeks = event_points(
        killing_of_interpreter(day=DAY - dt.timedelta(days=28)), day=DAY, settings=one_week
    )

    assert two_weeks == pytest.approx(fresh / 2)
    assert four_weeks == pytest.approx(fresh / 16)


def test_severity_comes_from_fatalities_up_to_the_cap_unless_given() -> None:
    def clash(fatalities: int, severity: float | None = None) -> float:
        event = Event("c", DAY, LASHKAR_GAH, HELMAND, EventKind.ARMED_CLASH,
                      fatalities=fatalities, severity=severity)  # fmt: skip
        return event_points(event, day=DAY)

    assert clash(0) == pytest.approx(4.0)
    assert clash(10) == pytest.approx(6.0)
    assert clash(20) == pytest.approx(8.0)
    assert clash(500) == pytest.approx(8.0)
    assert clash(500, severity=0.0) == pytest.approx(4.0)


def test_low_confidence_reports_count_less() -> None:
    sure = killing_of_interpreter()
    rumour = Event(**{**sure.__dict__, "confidence": 0.3})

    assert event_points(rumour, day=DAY) == pytest.approx(0.3 * event_points(sure, day=DAY))


def test_control_is_the_latest_change_and_a_same_day_tie_takes_the_worse_state() -> None:
    changes = [
        ControlChange(LASHKAR_GAH, dt.date(2021, 7, 1), ControlState.GOVERNMENT),
        ControlChange(LASHKAR_GAH, dt.date(2021, 8, 1), ControlState.TALIBAN),
        ControlChange(LASHKAR_GAH, dt.date(2021, 8, 1), ControlState.CONTESTED),
        ControlChange(LASHKAR_GAH, dt.date(2021, 8, 10), ControlState.GOVERNMENT),
        ControlChange(NAD_ALI, dt.date(2021, 8, 2), ControlState.GOVERNMENT),
    ]

    assert control_state_on(LASHKAR_GAH, changes, dt.date(2021, 6, 30)) is None
    assert control_state_on(LASHKAR_GAH, changes, dt.date(2021, 7, 15)) is ControlState.GOVERNMENT
    assert control_state_on(LASHKAR_GAH, changes, DAY) is ControlState.TALIBAN
    assert district_risk(LASHKAR_GAH, HELMAND, [], changes, DAY).control is ControlState.TALIBAN
    assert district_risk(LASHKAR_GAH, HELMAND, [], changes, dt.date(2021, 8, 10)).control is (
        ControlState.GOVERNMENT
    )


def test_contributions_are_capped_largest_first_but_the_score_uses_every_event() -> None:
    events = [
        Event(f"e{age:03d}", DAY - dt.timedelta(days=age), LASHKAR_GAH, HELMAND,
              EventKind.THREAT_LETTER)
        for age in range(60)
    ]  # fmt: skip
    few = RiskSettings(max_contributions=5)

    risk = district_risk(LASHKAR_GAH, HELMAND, events, [], DAY, few)

    assert [c.event_id for c in risk.contributions] == ["e000", "e001", "e002", "e003", "e004"]
    assert risk.event_count == 60
    raw = sum(event_points(e, day=DAY) for e in events)
    assert risk.score == pytest.approx(100 * (1 - math.exp(-raw / 20)), abs=0.01)


def test_single_district_and_all_districts_give_the_same_risk() -> None:
    rng = random.Random(8)
    table = {d.code: d.province_code for d in gazetteer_districts().values()}
    events = random_events(rng, table, 2_000)

    everything = risk_by_district(table, events, [], DAY)

    assert district_risk(LASHKAR_GAH, HELMAND, events, [], DAY) == everything[LASHKAR_GAH]
    assert district_risk(NAD_ALI, HELMAND, events, [], DAY) == everything[NAD_ALI]


def test_settings_refuse_negative_or_missing_weights_and_unordered_thresholds() -> None:
    with pytest.raises(ThreatSettingsError) as negative:
        RiskSettings(kind_weights={**DEFAULT_RISK.kind_weights, EventKind.OTHER: -1.0})
    with pytest.raises(ThreatSettingsError) as missing:
        RiskSettings(kind_weights={EventKind.TARGETED_KILLING: 10.0})
    with pytest.raises(ThreatSettingsError) as thresholds:
        RiskSettings(level_thresholds=(50.0, 25.0, 75.0))
    with pytest.raises(ThreatSettingsError) as half_life:
        RiskSettings(half_life_days=0.0)

    assert negative.value.code == "weights_negative"
    assert missing.value.code == "kind_weights_incomplete"
    assert thresholds.value.code == "level_thresholds_invalid"
    assert half_life.value.code == "half_life_invalid"


def test_affected_districts_are_the_event_districts_and_the_rest_of_their_provinces() -> None:
    table = {d.code: d.province_code for d in gazetteer_districts().values()}
    helmand = {code for code, province in table.items() if province == HELMAND}
    province_only = Event("p", DAY, None, "AF-BAM", EventKind.ARMED_CLASH)
    bamyan = {code for code, province in table.items() if province == "AF-BAM"}

    assert affected_districts([killing_of_interpreter()], table) == helmand
    assert affected_districts([killing_of_interpreter(), province_only], table) == helmand | bamyan
    assert affected_districts(
        [killing_of_interpreter(), province_only], table, RiskSettings(province_spill=0.0)
    ) == {LASHKAR_GAH}
    assert affected_districts([], table) == set()


def test_districts_outside_the_affected_set_keep_their_risk_after_a_batch() -> None:
    rng = random.Random(81)
    table = {d.code: d.province_code for d in gazetteer_districts().values()}
    old_events = random_events(rng, table, 3_000)
    batch = random_events(rng, table, 40, prefix="new")
    before = risk_by_district(table, old_events, [], DAY)

    after = risk_by_district(table, old_events + batch, [], DAY)

    affected = affected_districts(batch, table)
    assert affected != set(table)
    assert all(after[code] == before[code] for code in table if code not in affected)
    assert any(after[code] != before[code] for code in affected)


# --- properties -------------------------------------------------------------------------------

PROVINCES = {"D1": "P1", "D2": "P1", "D3": "P1", "D4": "P2"}

event_kinds = st.sampled_from(list(EventKind))


@st.composite
def events(draw: st.DrawFn, prefix: str = "e") -> Event:
    district = draw(st.sampled_from([*PROVINCES, None]))
    return Event(
        id=f"{prefix}{draw(st.integers(0, 10_000))}",
        day=DAY - dt.timedelta(days=draw(st.integers(-5, 200))),
        district=district,
        province=PROVINCES[district] if district else draw(st.sampled_from(["P1", "P2"])),
        kind=draw(event_kinds),
        fatalities=draw(st.integers(0, 50)),
        targets_affiliates=draw(st.booleans()),
        confidence=draw(st.floats(0.0, 1.0)),
        severity=draw(st.none() | st.floats(0.0, 1.0)),
    )


control_changes = st.builds(
    ControlChange,
    district=st.sampled_from(list(PROVINCES)),
    day=st.dates(DAY - dt.timedelta(days=400), DAY + dt.timedelta(days=10)),
    state=st.sampled_from(list(ControlState)),
)
risk_settings = st.builds(
    RiskSettings,
    half_life_days=st.floats(0.5, 365.0),
    affiliate_multiplier=st.floats(1.0, 5.0),
    province_spill=st.floats(0.0, 1.0),
    horizon_days=st.integers(0, 400),
    saturation_points=st.floats(1.0, 200.0),
)


@st.composite
def severe_recent_events(draw: st.DrawFn) -> Event:
    return Event(
        id="severe",
        day=DAY - dt.timedelta(days=draw(st.integers(0, 7))),
        district="D1",
        province="P1",
        kind=draw(st.sampled_from([EventKind.TARGETED_KILLING, EventKind.ABDUCTION])),
        fatalities=draw(st.integers(0, 50)),
        targets_affiliates=draw(st.booleans()),
        confidence=draw(st.floats(0.5, 1.0)),
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(events(), max_size=40),
    st.lists(control_changes, max_size=8),
    severe_recent_events(),
    risk_settings,
)
def test_adding_a_recent_severe_event_never_lowers_the_districts_risk(
    history: list[Event], control: list[ControlChange], severe: Event, config: RiskSettings
) -> None:
    before = risk_by_district(PROVINCES, history, control, DAY, config)

    after = risk_by_district(PROVINCES, [*history, severe], control, DAY, config)

    assert after["D1"].score >= before["D1"].score
    assert all(after[code].score >= before[code].score for code in PROVINCES)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(events(), max_size=40),
    st.lists(control_changes, max_size=8),
    st.integers(0, 400),
    risk_settings,
)
def test_a_later_change_to_taliban_control_never_lowers_the_risk(
    history: list[Event], control: list[ControlChange], days_ago: int, config: RiskSettings
) -> None:
    before = risk_by_district(PROVINCES, history, control, DAY, config)
    latest = max((c.day for c in control if c.district == "D1" and c.day <= DAY), default=None)
    change_day = DAY - dt.timedelta(days=days_ago)
    if latest is not None and change_day < latest:
        change_day = latest

    after = risk_by_district(
        PROVINCES, history, [*control, ControlChange("D1", change_day, ControlState.TALIBAN)],
        DAY, config,
    )  # fmt: skip

    assert after["D1"].control is ControlState.TALIBAN
    assert after["D1"].score >= before["D1"].score


@settings(max_examples=300, deadline=None)
@given(events(), st.integers(0, 199), st.integers(1, 200), risk_settings)
def test_the_same_event_counts_less_the_older_it_is(
    event: Event, age_days: int, more_days: int, config: RiskSettings
) -> None:
    younger = Event(**{**event.__dict__, "day": DAY - dt.timedelta(days=age_days)})
    older = Event(**{**younger.__dict__, "day": younger.day - dt.timedelta(days=more_days)})

    young_points = event_points(younger, day=DAY, settings=config)
    old_points = event_points(older, day=DAY, settings=config)

    assert old_points <= young_points
    if young_points > 1e-9:  # below this, floating point may not tell the two apart
        assert old_points < young_points
    assert (
        district_risk("D1", "P1", [older], [], DAY, config).score
        <= district_risk("D1", "P1", [younger], [], DAY, config).score
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(events(), max_size=60), st.lists(control_changes, max_size=8), risk_settings)
def test_scores_stay_between_0_and_100_and_contributions_are_largest_first(
    history: list[Event], control: list[ControlChange], config: RiskSettings
) -> None:
    risks = risk_by_district(PROVINCES, history, control, DAY, config)

    for risk in risks.values():
        assert 0.0 <= risk.score <= 100.0
        points = [c.points for c in risk.contributions]
        assert points == sorted(points, reverse=True)
        assert len(points) <= config.max_contributions
        assert all(p >= 0 for p in points)
        assert sum(points) + risk.control_points <= risk.score + 0.01 * (len(points) + 1)


# --- speed ------------------------------------------------------------------------------------


def random_events(
    rng: random.Random, table: dict[str, str], count: int, prefix: str = "e"
) -> list[Event]:
    codes = list(table)
    kinds = list(EventKind)
    result = []
    for number in range(count):
        code = rng.choice(codes)
        result.append(
            Event(
                id=f"{prefix}{number}",
                day=DAY - dt.timedelta(days=rng.randint(0, 200)),
                district=code if rng.random() > 0.05 else None,
                province=table[code],
                kind=rng.choice(kinds),
                fatalities=rng.choice([0, 0, 0, 1, 2, 5, 30]),
                targets_affiliates=rng.random() < 0.2,
                confidence=rng.choice([0.5, 0.8, 1.0]),
            )
        )
    return result


def test_risk_for_every_district_at_once_equals_each_district_alone() -> None:
    # Speed is measured in bench/priority.py; here the batched path must agree with the
    # one-district path on a realistic load.
    rng = random.Random(50_000)
    table = {d.code: d.province_code for d in gazetteer_districts().values()}
    events = random_events(rng, table, 5_000)
    states = list(ControlState)
    control = [
        ControlChange(code, DAY - dt.timedelta(days=rng.randint(0, 60)), rng.choice(states))
        for code in table
    ]
    risks = risk_by_district(table, events, control, DAY)
    assert len(risks) == len(table) > 300
    for code in rng.sample(sorted(table), 25):
        alone = district_risk(code, table[code], events, control, DAY)
        assert alone.score == pytest.approx(risks[code].score)
        assert alone.level == risks[code].level
