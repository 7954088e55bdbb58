"""District risk index and explainable case priority: who must move first, and why.

Hand-written because no library scores the risk of an Afghan district or the relocation
priority of a household: conflict-data tools (ACLED's dashboards, UCDP's) count events, they do
not weigh a threat letter to an interpreter against an armed clash, decay old events, follow
district control, or explain a queue position to a caseworker. The model here is deliberately
simple and additive so that every number can be shown and argued with.

District risk (per district, per day):
    points(event) = kind weight x (1 + severity) x confidence x decay x affiliate multiplier
    where severity is the event's explicit severity (0..1) or min(fatalities, cap) / cap,
    decay = 0.5 ** (age in days / half-life), events after the day or older than the horizon
    count nothing, events elsewhere in the same province (or placed only at province level)
    count at ``province_spill`` of their points, and the district's control state on the day
    adds ``control_weights[state]`` points. The raw sum is put on a stable 0-100 scale with
    ``100 x (1 - exp(-raw / saturation_points))``: more points never lower the score, and no
    flood of events takes it past 100. Each contribution is shown in score points (its share
    of the raw sum times the score), so the control points and the points of every event add up
    to the score (the list shows the largest ``max_contributions``).

Case priority (per household): five parts, each a value in 0..1, times its normalised weight,
times 100; the parts add up to the score. The values:
    threat        0.45 x categories (noisy-OR of per-category weights) + 0.30 x documented
                  incidents (1 - 0.5 ** (n / 2)) + 0.25 x role visibility (high 1.0,
                  medium 0.6, low 0.25; unknown counts as medium, so missing data does not
                  push a household down)
    district      the district risk score / 100 (0 when the household's district is unknown)
    vulnerability 0.30 x young children (1 - 0.5 ** n) + 0.25 medical needs + 0.25 woman-headed
                  household + 0.20 disability
    readiness     0.70 x eligibility outcome (eligible 1.0, pending documents 0.7,
                  undetermined or not assessed 0.4, not eligible 0) + 0.30 x documents complete
    waiting       1 - 0.5 ** (waiting days / 365)
Results carry codes and numbers only; the app renders them in the user's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "DEFAULT_CONTROL_WEIGHTS",
    "DEFAULT_KIND_WEIGHTS",
    "DEFAULT_RISK",
    "DEFAULT_WEIGHTS",
    "PART_CODES",
    "THREAT_CATEGORY_WEIGHTS",
    "Contribution",
    "ControlChange",
    "ControlState",
    "DistrictRisk",
    "Event",
    "EventKind",
    "HouseholdFacts",
    "Priority",
    "PriorityFactor",
    "PriorityPart",
    "PriorityWeights",
    "RankMove",
    "RiskLevel",
    "RiskSettings",
    "RoleVisibility",
    "ThreatSettingsError",
    "WeightsPreview",
    "affected_districts",
    "control_state_on",
    "district_risk",
    "event_points",
    "preview_weights",
    "priority",
    "rank",
    "risk_by_district",
]


class ThreatSettingsError(ValueError):
    """Risk settings or priority weights that cannot be used. ``code`` is stable
    (e.g. ``weights_negative``, ``weights_all_zero``); no values are included."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- district risk ------------------------------------------------------------------------


class EventKind(StrEnum):
    TARGETED_KILLING = "targeted_killing"
    ABDUCTION = "abduction"
    THREAT_LETTER = "threat_letter"
    HOUSE_SEARCH = "house_search"
    CHECKPOINT_ARREST = "checkpoint_arrest"
    ARMED_CLASH = "armed_clash"
    EXPLOSION = "explosion"
    CONTROL_CHANGE = "control_change"
    OTHER = "other"


class ControlState(StrEnum):
    """Who holds a district, in order of danger for people affiliated with foreign forces."""

    GOVERNMENT = "government"
    CONTESTED = "contested"
    TALIBAN = "taliban"


_CONTROL_ORDER = {ControlState.GOVERNMENT: 0, ControlState.CONTESTED: 1, ControlState.TALIBAN: 2}


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


# Raw points per event before severity, confidence, decay and targeting. Killing and abducting
# people are the direct threat this program exists for; a threat letter, a house search or an
# arrest at a checkpoint is how hunting people down began in 2021 (they weigh more again when
# they target affiliates); clashes and explosions endanger everyone nearby and grow with
# fatalities; a change of control marks the district itself.
DEFAULT_KIND_WEIGHTS: Mapping[EventKind, float] = MappingProxyType(
    {
        EventKind.TARGETED_KILLING: 10.0,
        EventKind.ABDUCTION: 9.0,
        EventKind.THREAT_LETTER: 6.0,
        EventKind.HOUSE_SEARCH: 6.0,
        EventKind.CHECKPOINT_ARREST: 6.0,
        EventKind.ARMED_CLASH: 4.0,
        EventKind.EXPLOSION: 4.0,
        EventKind.CONTROL_CHANGE: 5.0,
        EventKind.OTHER: 1.0,
    }
)

# Raw points for the district's control state on the day, lasting as long as the state does.
DEFAULT_CONTROL_WEIGHTS: Mapping[ControlState, float] = MappingProxyType(
    {ControlState.GOVERNMENT: 0.0, ControlState.CONTESTED: 4.0, ControlState.TALIBAN: 8.0}
)


@dataclass(frozen=True)
class Event:
    """One conflict event or staff-entered incident. ``district`` is a gazetteer district code
    (None when only the province is known); ``province`` an ISO 3166-2:AF code; ``confidence``
    0..1; ``severity`` 0..1 overrides the severity derived from fatalities."""

    id: str
    day: dt.date
    district: str | None
    province: str
    kind: EventKind
    fatalities: int = 0
    targets_affiliates: bool = False
    confidence: float = 1.0
    severity: float | None = None


@dataclass(frozen=True)
class ControlChange:
    """From ``day`` on, ``district`` is held in ``state`` (until a later change)."""

    district: str
    day: dt.date
    state: ControlState


def _check_weight(value: float, code: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ThreatSettingsError(code)


@dataclass(frozen=True)
class RiskSettings:
    """How events and control become a district's risk. Every kind and every control state
    must have a weight (non-negative); thresholds are the lowest scores of medium, high and
    critical, ascending."""

    half_life_days: float = 14.0
    kind_weights: Mapping[EventKind, float] = field(default_factory=lambda: DEFAULT_KIND_WEIGHTS)
    affiliate_multiplier: float = 2.0
    control_weights: Mapping[ControlState, float] = field(
        default_factory=lambda: DEFAULT_CONTROL_WEIGHTS
    )
    province_spill: float = 0.25
    horizon_days: int = 180
    level_thresholds: tuple[float, float, float] = (25.0, 50.0, 75.0)
    # Raw points at which the score reaches 100 x (1 - 1/e), about 63.
    saturation_points: float = 20.0
    # Fatalities at which an event's derived severity is full (1.0).
    fatality_cap: int = 20
    # How many contributions a DistrictRisk lists (the score always uses all events).
    max_contributions: int = 20

    def __post_init__(self) -> None:
        if not math.isfinite(self.half_life_days) or self.half_life_days <= 0:
            raise ThreatSettingsError("half_life_invalid")
        if set(self.kind_weights) != set(EventKind):
            raise ThreatSettingsError("kind_weights_incomplete")
        if set(self.control_weights) != set(ControlState):
            raise ThreatSettingsError("control_weights_incomplete")
        for weight in (*self.kind_weights.values(), *self.control_weights.values()):
            _check_weight(weight, "weights_negative")
        _check_weight(self.affiliate_multiplier, "affiliate_multiplier_invalid")
        if not (0.0 <= self.province_spill <= 1.0):
            raise ThreatSettingsError("province_spill_invalid")
        if self.horizon_days < 0:
            raise ThreatSettingsError("horizon_invalid")
        medium, high, critical = self.level_thresholds
        if not (0.0 <= medium <= high <= critical <= 100.0):
            raise ThreatSettingsError("level_thresholds_invalid")
        if not math.isfinite(self.saturation_points) or self.saturation_points <= 0:
            raise ThreatSettingsError("saturation_invalid")
        if self.fatality_cap < 1:
            raise ThreatSettingsError("fatality_cap_invalid")
        if self.max_contributions < 0:
            raise ThreatSettingsError("max_contributions_invalid")

    def __hash__(self) -> int:
        # Mappings are not hashable; hash their items so settings can key a cache.
        return hash(
            (
                self.half_life_days,
                tuple(sorted(self.kind_weights.items())),
                self.affiliate_multiplier,
                tuple(sorted(self.control_weights.items())),
                self.province_spill,
                self.horizon_days,
                self.level_thresholds,
                self.saturation_points,
                self.fatality_cap,
                self.max_contributions,
            )
        )


DEFAULT_RISK = RiskSettings()


@dataclass(frozen=True)
class Contribution:
    """One event's part of a district's score, in score points. ``spill`` when the event
    happened elsewhere in the province and counts at the spill-over fraction."""

    event_id: str
    kind: EventKind
    day: dt.date
    points: float
    spill: bool = False


@dataclass(frozen=True)
class DistrictRisk:
    """A district's risk on a day: ``score`` 0..100, its ``level``, the control state and its
    points, and the largest contributions (at most ``max_contributions``, largest first);
    ``event_count`` counts every event that contributed."""

    district: str
    day: dt.date
    score: float
    level: RiskLevel
    control: ControlState | None
    control_points: float
    contributions: tuple[Contribution, ...]
    event_count: int = 0


def event_points(event: Event, *, day: dt.date, settings: RiskSettings = DEFAULT_RISK) -> float:
    """The raw points ``event`` adds to its own district's risk on ``day`` (before spill-over
    and the 0-100 transform); 0 for events after ``day`` or older than the horizon."""
    age_days = (day - event.day).days
    if age_days < 0 or age_days > settings.horizon_days:
        return 0.0
    if event.severity is not None:
        severity = min(max(event.severity, 0.0), 1.0)
    else:
        severity = min(max(event.fatalities, 0), settings.fatality_cap) / settings.fatality_cap
    points = settings.kind_weights[event.kind] * (1.0 + severity)
    points *= min(max(event.confidence, 0.0), 1.0)
    points *= math.pow(0.5, age_days / settings.half_life_days)
    if event.targets_affiliates:
        points *= settings.affiliate_multiplier
    return points


def control_state_on(
    district: str, control: Iterable[ControlChange], day: dt.date
) -> ControlState | None:
    """The state of the latest change of ``district`` on or before ``day`` (None when there is
    none). Two changes on the same day resolve to the more dangerous state."""
    latest: tuple[dt.date, int] | None = None
    state: ControlState | None = None
    for change in control:
        if change.district != district or change.day > day:
            continue
        key = (change.day, _CONTROL_ORDER[change.state])
        if latest is None or key > latest:
            latest, state = key, change.state
    return state


def _control_by_district(
    control: Iterable[ControlChange], day: dt.date, wanted: Mapping[str, str]
) -> dict[str, ControlState]:
    latest: dict[str, tuple[dt.date, int]] = {}
    states: dict[str, ControlState] = {}
    for change in control:
        if change.day > day or change.district not in wanted:
            continue
        key = (change.day, _CONTROL_ORDER[change.state])
        previous = latest.get(change.district)
        if previous is None or key > previous:
            latest[change.district] = key
            states[change.district] = change.state
    return states


def _level(score: float, settings: RiskSettings) -> RiskLevel:
    medium, high, critical = settings.level_thresholds
    if score >= critical:
        return RiskLevel.CRITICAL
    if score >= high:
        return RiskLevel.HIGH
    if score >= medium:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


# (-points, -day ordinal, event id, input position, event): sorts largest first, then newest,
# then by id; the position keeps duplicate ids from comparing events.
_Scored = tuple[float, int, str, int, Event]


def risk_by_district(
    districts: Mapping[str, str],
    events: Iterable[Event],
    control: Iterable[ControlChange],
    day: dt.date,
    settings: RiskSettings = DEFAULT_RISK,
) -> dict[str, DistrictRisk]:
    """The risk on ``day`` of every district in ``districts`` (district code -> province
    code), from all ``events`` and ``control`` changes (any districts; others are ignored).

    Events are scored once and indexed by district and province, so the cost is
    O(events + districts x max_contributions), not districts x events.
    """
    own: dict[str, list[_Scored]] = defaultdict(list)
    by_province: dict[str, list[_Scored]] = defaultdict(list)
    own_total: dict[str, float] = defaultdict(float)
    province_total: dict[str, float] = defaultdict(float)
    provinces = set(districts.values())
    for position, event in enumerate(events):
        # The gazetteer's province of a known district wins over the event's own field.
        province = districts.get(event.district or "", event.province)
        if province not in provinces:
            continue
        points = event_points(event, day=day, settings=settings)
        if points <= 0.0:
            continue
        scored = (-points, -event.day.toordinal(), event.id, position, event)
        by_province[province].append(scored)
        province_total[province] += points
        if event.district is not None and event.district in districts:
            own[event.district].append(scored)
            own_total[event.district] += points
    for scored_list in by_province.values():
        scored_list.sort()
    states = _control_by_district(control, day, districts)
    spill = settings.province_spill
    limit = settings.max_contributions
    result: dict[str, DistrictRisk] = {}
    for district, province in districts.items():
        own_events = own.get(district, [])
        own_points = own_total.get(district, 0.0)
        # Subtracting the district's own points leaves the rest of the province; clamp the
        # rounding error so the spill can never be negative.
        spill_points = spill * max(province_total.get(province, 0.0) - own_points, 0.0)
        state = states.get(district)
        control_raw = settings.control_weights[state] if state is not None else 0.0
        raw = own_points + spill_points + control_raw
        score = 100.0 * (1.0 - math.exp(-raw / settings.saturation_points))
        scale = score / raw if raw > 0 else 0.0
        province_events = by_province.get(province, [])
        spill_count = len(province_events) - len(own_events) if spill > 0 else 0
        result[district] = DistrictRisk(
            district=district,
            day=day,
            score=round(score, 2),
            level=_level(round(score, 2), settings),
            control=state,
            control_points=round(control_raw * scale, 2),
            contributions=_top_contributions(
                district, own_events, province_events, spill, scale, limit
            ),
            event_count=len(own_events) + spill_count,
        )
    return result


def _top_contributions(
    district: str,
    own_events: list[_Scored],
    province_events: list[_Scored],
    spill: float,
    scale: float,
    limit: int,
) -> tuple[Contribution, ...]:
    if limit == 0:
        return ()
    candidates: list[tuple[float, int, str, int, Event, bool]] = [
        (points, day, event_id, position, event, False)
        for points, day, event_id, position, event in heapq.nsmallest(limit, own_events)
    ]
    if spill > 0:
        taken = 0
        for points, day, event_id, position, event in province_events:  # sorted, largest first
            if event.district == district:
                continue
            candidates.append((points * spill, day, event_id, position, event, True))
            taken += 1
            if taken == limit:
                break
    candidates.sort()
    return tuple(
        Contribution(
            event_id=event_id,
            kind=event.kind,
            day=event.day,
            points=round(-points * scale, 2),
            spill=is_spill,
        )
        for points, _, event_id, _, event, is_spill in candidates[:limit]
    )


def district_risk(
    district: str,
    province: str,
    events: Iterable[Event],
    control: Iterable[ControlChange],
    day: dt.date,
    settings: RiskSettings = DEFAULT_RISK,
) -> DistrictRisk:
    """The risk of one ``district`` (in ``province``) on ``day``; see ``risk_by_district``."""
    return risk_by_district({district: province}, events, control, day, settings)[district]


def affected_districts(
    new_events: Iterable[Event],
    districts: Mapping[str, str],
    settings: RiskSettings = DEFAULT_RISK,
) -> set[str]:
    """The districts (of ``districts``: code -> province) whose risk a batch of new events
    can change: each event's own district and, through spill-over, every other district of
    its province (all of the province's districts for an event placed only at province
    level). Control changes are not events: a changed district is affected by itself."""
    by_province: dict[str, list[str]] = defaultdict(list)
    for district, province in districts.items():
        by_province[province].append(district)
    affected: set[str] = set()
    spill_provinces: set[str] = set()
    for event in new_events:
        if event.district is not None and event.district in districts:
            affected.add(event.district)
        if settings.province_spill > 0:
            spill_provinces.add(districts.get(event.district or "", event.province))
    for province in spill_provinces:
        affected.update(by_province.get(province, ()))
    return affected


# --- case priority ------------------------------------------------------------------------


class RoleVisibility(StrEnum):
    """How visible the principal's work with foreign forces was: HIGH for an interpreter on
    patrols or a guard at a base gate, MEDIUM for work seen locally, LOW for an office clerk."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# Per intake threat category, how strongly it signals a threat aimed at this household.
THREAT_CATEGORY_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "detained": 0.9,
        "family_attack": 0.9,
        "house_search": 0.7,
        "threat_letter": 0.6,
        "phone_threats": 0.4,
        "other": 0.3,
    }
)
_UNKNOWN_CATEGORY_WEIGHT = 0.3
# An unknown visibility is not taken as low, so missing data does not push a household down.
_VISIBILITY_VALUES = {
    RoleVisibility.HIGH: 1.0,
    RoleVisibility.MEDIUM: 0.6,
    RoleVisibility.LOW: 0.25,
}
_VISIBILITY_UNKNOWN = 0.6
_ELIGIBILITY_VALUES = {
    "eligible": 1.0,
    "eligible_pending_documents": 0.7,
    "undetermined": 0.4,
    "not_eligible": 0.0,
}
_ELIGIBILITY_UNKNOWN = 0.4
_INCIDENT_HALF = 2.0  # documented incidents for half the incident value
_WAITING_HALF_DAYS = 365.0  # days waited for half the waiting value


@dataclass(frozen=True)
class HouseholdFacts:
    """What priority needs to know about one household (``reference`` is the case
    reference). ``eligibility`` is the best outcome: "eligible", "eligible_pending_documents",
    "undetermined", "not_eligible" or None (not assessed)."""

    reference: str
    threat_categories: frozenset[str]
    documented_incidents: int
    role_visibility: RoleVisibility | None
    district: str | None
    young_children: int
    medical_needs: bool
    woman_headed: bool
    disability: bool
    eligibility: str | None
    documents_complete: bool
    waiting_days: int


@dataclass(frozen=True)
class PriorityWeights:
    """Program managers' weights of the five parts; non-negative, not all zero; used
    normalised (each divided by their sum)."""

    threat: float = 0.35
    district: float = 0.25
    vulnerability: float = 0.15
    readiness: float = 0.15
    waiting: float = 0.10

    def __post_init__(self) -> None:
        values = self.as_tuple()
        for value in values:
            _check_weight(value, "weights_negative")
        if sum(values) <= 0:
            raise ThreatSettingsError("weights_all_zero")

    def as_tuple(self) -> tuple[float, float, float, float, float]:
        return (self.threat, self.district, self.vulnerability, self.readiness, self.waiting)

    def normalised(self) -> PriorityWeights:
        total = sum(self.as_tuple())
        return PriorityWeights(*(value / total for value in self.as_tuple()))


DEFAULT_WEIGHTS = PriorityWeights()

PART_CODES = ("threat", "district", "vulnerability", "readiness", "waiting")


@dataclass(frozen=True, slots=True)
class PriorityFactor:
    """One input of a part, as the app shows it: a code (e.g. ``category:detained``,
    ``incidents``, ``visibility:high``, ``risk_level:critical``) and its value."""

    code: str
    value: float


@dataclass(frozen=True, slots=True)
class PriorityPart:
    """One part of a priority: its value 0..1, its normalised weight and its points
    (100 x weight x value)."""

    code: str
    value: float
    weight: float
    points: float
    factors: tuple[PriorityFactor, ...] = ()


@dataclass(frozen=True, slots=True)
class Priority:
    """A household's priority, 0..100; the parts' points add up to the score."""

    score: float
    parts: tuple[PriorityPart, ...]


# Each part depends on a few plain values, and across a queue of 100,000 households those
# values repeat (the same categories, the same district's risk, the same eligibility), so the
# finished parts are cached by those values: ranking then mostly looks parts up.
_PART_CACHE_SIZE = 16_384


def _part(code: str, weight: float, value: float, factors: list[PriorityFactor]) -> PriorityPart:
    value = min(max(value, 0.0), 1.0)
    return PriorityPart(
        code=code,
        value=round(value, 4),
        weight=round(weight, 4),
        points=round(100.0 * weight * value, 2),
        factors=tuple(factors),
    )


@functools.lru_cache(maxsize=_PART_CACHE_SIZE)
def _threat_part(
    categories: frozenset[str], incidents: int, visibility: RoleVisibility | None, weight: float
) -> PriorityPart:
    remaining = 1.0
    factors: list[PriorityFactor] = []
    for category in sorted(categories):
        category_weight = THREAT_CATEGORY_WEIGHTS.get(category, _UNKNOWN_CATEGORY_WEIGHT)
        remaining *= 1.0 - category_weight
        factors.append(PriorityFactor(f"category:{category}", category_weight))
    incidents = max(incidents, 0)
    factors.append(PriorityFactor("incidents", float(incidents)))
    if visibility is None:
        visibility_value = _VISIBILITY_UNKNOWN
        factors.append(PriorityFactor("visibility:unknown", visibility_value))
    else:
        visibility_value = _VISIBILITY_VALUES[visibility]
        factors.append(PriorityFactor(f"visibility:{visibility}", visibility_value))
    value = (
        0.45 * (1.0 - remaining)
        + 0.30 * (1.0 - math.pow(0.5, incidents / _INCIDENT_HALF))
        + 0.25 * visibility_value
    )
    return _part("threat", weight, value, factors)


@functools.lru_cache(maxsize=_PART_CACHE_SIZE)
def _district_part(
    score: float | None, level: RiskLevel | None, control: ControlState | None, weight: float
) -> PriorityPart:
    if score is None:
        return _part("district", weight, 0.0, [PriorityFactor("district_unknown", 0.0)])
    factors = [PriorityFactor("risk_score", score), PriorityFactor(f"risk_level:{level}", 1.0)]
    if control is not None:
        factors.append(PriorityFactor(f"control:{control}", 1.0))
    return _part("district", weight, score / 100.0, factors)


@functools.lru_cache(maxsize=_PART_CACHE_SIZE)
def _vulnerability_part(
    young_children: int, medical_needs: bool, woman_headed: bool, disability: bool, weight: float
) -> PriorityPart:
    children = max(young_children, 0)
    value = 0.30 * (1.0 - math.pow(0.5, children))
    factors = [PriorityFactor("young_children", float(children))]
    for code, present, share in (
        ("medical_needs", medical_needs, 0.25),
        ("woman_headed", woman_headed, 0.25),
        ("disability", disability, 0.20),
    ):
        if present:
            value += share
            factors.append(PriorityFactor(code, 1.0))
    return _part("vulnerability", weight, value, factors)


@functools.lru_cache(maxsize=_PART_CACHE_SIZE)
def _readiness_part(
    eligibility: str | None, documents_complete: bool, weight: float
) -> PriorityPart:
    if eligibility is None:
        eligibility_value, code = _ELIGIBILITY_UNKNOWN, "eligibility:unknown"
    else:
        eligibility_value = _ELIGIBILITY_VALUES.get(eligibility, _ELIGIBILITY_UNKNOWN)
        code = f"eligibility:{eligibility}"
    documents = 1.0 if documents_complete else 0.0
    factors = [
        PriorityFactor(code, eligibility_value),
        PriorityFactor("documents_complete", documents),
    ]
    return _part("readiness", weight, 0.70 * eligibility_value + 0.30 * documents, factors)


@functools.lru_cache(maxsize=_PART_CACHE_SIZE)
def _waiting_part(waiting_days: int, weight: float) -> PriorityPart:
    days = max(waiting_days, 0)
    value = 1.0 - math.pow(0.5, days / _WAITING_HALF_DAYS)
    return _part("waiting", weight, value, [PriorityFactor("waiting_days", float(days))])


def _priority(
    facts: HouseholdFacts, risk: DistrictRisk | None, normal: PriorityWeights
) -> Priority:
    parts = (
        _threat_part(
            facts.threat_categories,
            facts.documented_incidents,
            facts.role_visibility,
            normal.threat,
        ),
        _district_part(
            None if risk is None else risk.score,
            None if risk is None else risk.level,
            None if risk is None else risk.control,
            normal.district,
        ),
        _vulnerability_part(
            facts.young_children,
            facts.medical_needs,
            facts.woman_headed,
            facts.disability,
            normal.vulnerability,
        ),
        _readiness_part(facts.eligibility, facts.documents_complete, normal.readiness),
        _waiting_part(facts.waiting_days, normal.waiting),
    )
    score = min(round(sum(part.points for part in parts), 2), 100.0)
    return Priority(score=score, parts=parts)


def priority(
    facts: HouseholdFacts,
    risk: DistrictRisk | None,
    weights: PriorityWeights = DEFAULT_WEIGHTS,
) -> Priority:
    """The priority of a household from its ``facts`` and the risk of the district it is in
    now (None when unknown), with ``weights`` normalised; see the module docstring."""
    return _priority(facts, risk, weights.normalised())


def rank(
    households: Iterable[tuple[HouseholdFacts, DistrictRisk | None]],
    weights: PriorityWeights = DEFAULT_WEIGHTS,
) -> list[tuple[str, Priority]]:
    """The households as (reference, priority), highest score first; ties in reference
    order, so the queue does not depend on the order the cases were loaded in."""
    normal = weights.normalised()
    ranked = [(facts.reference, _priority(facts, risk, normal)) for facts, risk in households]
    ranked.sort(key=lambda item: (-item[1].score, item[0]))
    return ranked


@dataclass(frozen=True)
class RankMove:
    """A household's 1-based position in the whole queue before and after the change of
    weights, and its scores under both."""

    reference: str
    old_position: int
    new_position: int
    old_score: float
    new_score: float


@dataclass(frozen=True)
class WeightsPreview:
    """How the top ``top`` of the queue would change: households that would enter it, leave
    it, or move within it (by old position), and how many keep their place."""

    top: int
    entered: tuple[RankMove, ...]
    left: tuple[RankMove, ...]
    moved: tuple[RankMove, ...]
    unchanged: int


def preview_weights(
    households: Iterable[tuple[HouseholdFacts, DistrictRisk | None]],
    old: PriorityWeights,
    new: PriorityWeights,
    top: int = 50,
) -> WeightsPreview:
    """Compare the queue under ``old`` and ``new`` weights: which households enter, leave or
    move within the top ``top``. Entered are listed by new position, left and moved by old."""
    pairs = list(households)
    old_rank = rank(pairs, old)
    new_rank = rank(pairs, new)
    old_at = {reference: (i, p.score) for i, (reference, p) in enumerate(old_rank, start=1)}
    new_at = {reference: (i, p.score) for i, (reference, p) in enumerate(new_rank, start=1)}

    def move(reference: str) -> RankMove:
        old_position, old_score = old_at[reference]
        new_position, new_score = new_at[reference]
        return RankMove(reference, old_position, new_position, old_score, new_score)

    old_top = [reference for reference, _ in old_rank[:top]]
    new_top = [reference for reference, _ in new_rank[:top]]
    old_set, new_set = set(old_top), set(new_top)
    entered = tuple(move(r) for r in new_top if r not in old_set)
    left = tuple(move(r) for r in old_top if r not in new_set)
    stayed = [move(r) for r in old_top if r in new_set]
    moved = tuple(m for m in stayed if m.old_position != m.new_position)
    return WeightsPreview(
        top=top, entered=entered, left=left, moved=moved, unchanged=len(stayed) - len(moved)
    )
