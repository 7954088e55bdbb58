"""Case priority as stored: the adapter from cases to ``engine.threat.priority``, the current
priority of each case and its history, organisation weights, and re-ranking (one case, the
cases of some districts after new events, or a whole organisation after new weights).

Household facts are built from the case in a few queries per batch of cases:
- threat categories: the case's codes (filled from the intake's "threat" answers);
- documented incidents: the case's documents of kind ``threat_evidence``;
- role visibility: from the principal's employment, most visible job wins (``role_visibility``);
- district: the case's blind-index token, matched against the tokens of the gazetteer's
  districts (no decryption; a token two districts share is decrypted instead);
- young children: children under ``YOUNG_CHILD_YEARS`` (their birth dates are decrypted);
- woman-headed: a female principal without a spouse in the household;
- medical needs, disability: the case's flags;
- eligibility and documents complete: the stored eligibility assessment (best outcome of any
  program; complete when no document is missing); not assessed -> unknown, incomplete;
- waiting days: since the case was opened.
The facts (without the place) are kept with the priority, so a re-rank after new events
reads the stored facts (sealed with the case's key, opened in batches) and builds nothing
from the case.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import connections, router, transaction
from django.db.models import Count, Q
from django.utils import timezone

from safepassage.cases.household import district_tokens, threat_categories_of
from safepassage.cases.models import Case, Document, DocumentKind, Employment, Person
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.jobs import on_commit_once
from safepassage.core.models import SUPERVISING_ROLES, Membership, Organization
from safepassage.engine import threat as engine
from safepassage.engine.dates import PartialDate, PartialDateError
from safepassage.engine.places import districts as gazetteer_districts
from safepassage.protection.audit import audit_record
from safepassage.protection.keys import load_scopes
from safepassage.threat.models import (
    CasePriority,
    CasePriorityHistory,
    DistrictRiskSnapshot,
    PriorityWeightsVersion,
)

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None

YOUNG_CHILD_YEARS = 5
BATCH_SIZE = 1000
# Stages after which a household no longer waits: left out of the queue.
DONE_STAGES = frozenset({"travelled", "arrived", "withdrawn", "closed"})

# Role visibility from the principal's employment (codes and flags only, the role's words are
# not read):
#   HIGH   an interpreter or translator (out on patrols, at meetings with elders: seen and
#          known); or sensitive and trusted work for the US military or an ISAF force;
#   MEDIUM other work for the US military, an ISAF force, a US government agency, a US
#          government contractor or US media (guards, drivers, fixers: seen locally); or any
#          sensitive and trusted work;
#   LOW    work for a US-funded grantee, a US NGO or another employer (office roles);
#   None   no employment on file (the engine treats unknown visibility as medium).
_FORCES = frozenset({"us_military", "isaf_member_force"})
_SEEN_LOCALLY = _FORCES | {"us_government_agency", "us_government_contractor", "us_based_media"}
_VISIBILITY_ORDER = {
    engine.RoleVisibility.LOW: 0,
    engine.RoleVisibility.MEDIUM: 1,
    engine.RoleVisibility.HIGH: 2,
}
_ELIGIBILITY_ORDER = ("eligible", "eligible_pending_documents", "undetermined", "not_eligible")


def job_visibility(
    employer_kind: str, interpreter: bool, sensitive_and_trusted: bool
) -> engine.RoleVisibility:
    """How visible one job made the person (see the mapping above)."""
    if interpreter or (sensitive_and_trusted and employer_kind in _FORCES):
        return engine.RoleVisibility.HIGH
    if employer_kind in _SEEN_LOCALLY or sensitive_and_trusted:
        return engine.RoleVisibility.MEDIUM
    return engine.RoleVisibility.LOW


def role_visibility(jobs: Iterable[tuple[str, bool, bool]]) -> engine.RoleVisibility | None:
    """The most visible of the principal's jobs ((employer kind, interpreter, sensitive and
    trusted) each), or None without employment."""
    found = [job_visibility(*job) for job in jobs]
    return max(found, key=_VISIBILITY_ORDER.__getitem__) if found else None


# --- weights ----------------------------------------------------------------------------


def weights_of(version: PriorityWeightsVersion | None) -> engine.PriorityWeights:
    if version is None:
        return engine.DEFAULT_WEIGHTS
    return engine.PriorityWeights(
        threat=version.threat,
        district=version.district,
        vulnerability=version.vulnerability,
        readiness=version.readiness,
        waiting=version.waiting,
    )


def current_weights_version(organization_id: int) -> PriorityWeightsVersion | None:
    return (
        PriorityWeightsVersion.objects.filter(organization_id=organization_id)
        .order_by("-number")
        .first()
    )


def _weights_by_organization(
    organization_ids: Iterable[int],
) -> dict[int, tuple[PriorityWeightsVersion | None, engine.PriorityWeights]]:
    wanted = set(organization_ids)
    latest: dict[int, PriorityWeightsVersion] = {}
    for version in PriorityWeightsVersion.objects.filter(organization_id__in=wanted).order_by(
        "organization_id", "-number"
    ):
        latest.setdefault(version.organization_id, version)
    return {org: (latest.get(org), weights_of(latest.get(org))) for org in wanted}


def _user_of(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _require_manager(actor: Actor, organization_id: int) -> None:
    if actor is None or not actor.is_authenticated:
        raise NotFoundError()
    allowed = Membership.objects.filter(
        user_id=actor.pk, organization_id=organization_id, role__in=list(SUPERVISING_ROLES)
    ).exists()
    if not allowed:
        raise NotFoundError()


def parse_weights(values: Mapping[str, Any]) -> engine.PriorityWeights:
    """Weights from a form's numbers; ``InvalidInputError`` (field ``weights``) when they are
    negative or all zero."""
    try:
        return engine.PriorityWeights(**{code: float(values[code]) for code in engine.PART_CODES})
    except (engine.ThreatSettingsError, KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(field="weights") from exc


def priority_weights_set(
    *, actor: Actor, organization: Organization, weights: engine.PriorityWeights
) -> PriorityWeightsVersion:
    """Record a new version of ``organization``'s weights (supervisors and admins: the
    program managers) and re-rank its cases in the background once it commits."""
    _require_manager(actor, organization.pk)
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        previous = current_weights_version(organization.pk)
        version = PriorityWeightsVersion.objects.create(
            organization=organization,
            number=(previous.number + 1) if previous else 1,
            threat=weights.threat,
            district=weights.district,
            vulnerability=weights.vulnerability,
            readiness=weights.readiness,
            waiting=weights.waiting,
            created_by=_user_of(actor),
            rerank_total=Case.objects.filter(
                organization=organization, erased_at__isnull=True
            ).count(),
        )
        audit_record(
            actor=actor,
            action="priority.weights_set",
            target=version,
            organization_id=organization.pk,
            version=version.number,
            **{code: getattr(weights, code) for code in engine.PART_CODES},
        )
        from safepassage.threat.priority_tasks import apply_priority_weights

        transaction.on_commit(lambda: apply_priority_weights.enqueue(str(version.pk)))
    return version


# --- district risk ----------------------------------------------------------------------


def _risk_of_snapshot(row: DistrictRiskSnapshot) -> engine.DistrictRisk:
    return engine.DistrictRisk(
        district=row.district,
        day=row.day,
        score=row.score,
        level=engine.RiskLevel(row.level),
        control=engine.ControlState(row.control) if row.control else None,
        control_points=row.control_points,
        contributions=tuple(
            engine.Contribution(
                event_id=str(c["event_id"]),
                kind=engine.EventKind(c["kind"]),
                day=dt.date.fromisoformat(c["day"]),
                points=float(c["points"]),
                spill=bool(c.get("spill", False)),
            )
            for c in row.contributions
        ),
        event_count=row.event_count,
    )


def risks_computed(
    district_codes: Iterable[str],
    *,
    day: dt.date,
    settings: engine.RiskSettings | None = None,
) -> dict[str, engine.DistrictRisk]:
    """The risk of ``district_codes`` on ``day`` computed from the stored events and control
    changes of their provinces (the only events that reach them)."""
    gazetteer = gazetteer_districts()
    wanted = {code: gazetteer[code].province_code for code in district_codes if code in gazetteer}
    if not wanted:
        return {}
    from safepassage.threat.risk import configured_risk, stored_control, stored_events

    settings = settings or configured_risk()
    events = stored_events(provinces=set(wanted.values()), day=day, settings=settings)
    control = stored_control(district_codes=list(wanted), day=day)
    return engine.risk_by_district(wanted, events, control, day, settings)


def district_risks(
    district_codes: Iterable[str], *, day: dt.date
) -> dict[str, engine.DistrictRisk]:
    """The risk of each district on ``day``: the events side's stored snapshot of that day
    when there is one (it refreshes them when events arrive), otherwise computed from the
    stored events."""
    codes = set(district_codes)
    found = {
        row.district: _risk_of_snapshot(row)
        for row in DistrictRiskSnapshot.objects.filter(district__in=codes, day=day)
    }
    missing = codes - set(found)
    if missing:
        found.update(risks_computed(missing, day=day))
    return found


# --- household facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseHousehold:
    """A case's facts for priority: the engine's facts, where it is (as code and token), and
    the day its wait began."""

    case_id: uuid.UUID
    organization_id: int
    facts: engine.HouseholdFacts
    district_token: str
    waiting_since: dt.date


def _best_outcome(outcomes: Iterable[str]) -> str | None:
    present = set(outcomes)
    for outcome in _ELIGIBILITY_ORDER:
        if outcome in present:
            return outcome
    return None


def _young(person: Person, today: dt.date) -> bool:
    born: PartialDate | None = person.birth_date
    if born is None:
        return False
    try:
        youngest, _oldest = born.age_range_on(today)
    except PartialDateError:
        return False
    return youngest < YOUNG_CHILD_YEARS


def households_of(cases: Sequence[Case], *, today: dt.date) -> list[CaseHousehold]:
    """The facts of ``cases`` (loaded with at least the fields of ``_CASE_FIELDS``) in five
    queries, whatever their number."""
    from safepassage.eligibility.models import PROGRAMS, CaseAssessment

    ids = [case.pk for case in cases]
    token_to_district = district_tokens(gazetteer_districts())
    principal_sex: dict[uuid.UUID, str] = {}
    has_spouse: set[uuid.UUID] = set()
    young: dict[uuid.UUID, int] = defaultdict(int)
    principal_ids: dict[uuid.UUID, uuid.UUID] = {}
    for person in (
        Person.objects.filter(case_id__in=ids, relationship__in=["principal", "spouse", "child"])
        .only("id", "case", "relationship", "sex", "birth_date")
        .order_by()
    ):
        if person.relationship == "principal":
            principal_sex[person.case_id] = person.sex
            principal_ids[person.case_id] = person.pk
        elif person.relationship == "spouse":
            has_spouse.add(person.case_id)
        elif _young(person, today):
            young[person.case_id] += 1
    jobs: dict[uuid.UUID, list[tuple[str, bool, bool]]] = defaultdict(list)
    for case_id, person_id, kind, interpreter, trusted in Employment.objects.filter(
        case_id__in=ids
    ).values_list("case_id", "person_id", "employer_kind", "interpreter", "sensitive_and_trusted"):
        if principal_ids.get(case_id) == person_id:
            jobs[case_id].append((kind, interpreter, trusted))
    incidents = dict(
        Document.objects.filter(case_id__in=ids, kind=DocumentKind.THREAT_EVIDENCE)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
        .order_by()
    )
    columns = [f"{program}_outcome" for program in PROGRAMS]
    assessments = {
        row[0]: (row[1:-1], row[-1])
        for row in CaseAssessment.objects.filter(case_id__in=ids).values_list(
            "case_id", *columns, "missing"
        )
    }
    result = []
    for case in cases:
        token = case.current_district_token or ""
        district = token_to_district.get(token, "") if token else ""
        if token and not district:  # unknown or shared token: read the case itself
            district = case.current_district or ""
        outcomes, missing = assessments.get(case.pk, ((), None))
        facts = engine.HouseholdFacts(
            reference=case.reference,
            threat_categories=threat_categories_of(case),
            documented_incidents=int(incidents.get(case.pk, 0)),
            role_visibility=role_visibility(jobs.get(case.pk, ())),
            district=district or None,
            young_children=young.get(case.pk, 0),
            medical_needs=case.medical_needs,
            woman_headed=principal_sex.get(case.pk) == "female" and case.pk not in has_spouse,
            disability=case.disability,
            eligibility=_best_outcome(outcomes),
            documents_complete=missing is not None
            and not any(str(key).startswith("document:") for key in missing),
            waiting_days=(today - timezone.localdate(case.created_at)).days,
        )
        result.append(
            CaseHousehold(
                case_id=case.pk,
                organization_id=case.organization_id,
                facts=facts,
                district_token=token,
                waiting_since=timezone.localdate(case.created_at),
            )
        )
    return result


_CASE_FIELDS = (
    "id",
    "organization",
    "reference",
    "created_at",
    "threat_categories",
    "medical_needs",
    "disability",
    "current_district",
    "current_district_token",
)


def _facts_json(facts: engine.HouseholdFacts) -> dict[str, Any]:
    return {
        "threat_categories": sorted(facts.threat_categories),
        "documented_incidents": facts.documented_incidents,
        "role_visibility": str(facts.role_visibility) if facts.role_visibility else None,
        "young_children": facts.young_children,
        "medical_needs": facts.medical_needs,
        "woman_headed": facts.woman_headed,
        "disability": facts.disability,
        "eligibility": facts.eligibility,
        "documents_complete": facts.documents_complete,
    }


def facts_from_json(
    data: Mapping[str, Any], *, reference: str, district: str | None, waiting_days: int
) -> engine.HouseholdFacts:
    visibility = data.get("role_visibility")
    return engine.HouseholdFacts(
        reference=reference,
        threat_categories=frozenset(data.get("threat_categories") or ()),
        documented_incidents=int(data.get("documented_incidents") or 0),
        role_visibility=engine.RoleVisibility(visibility) if visibility else None,
        district=district,
        young_children=int(data.get("young_children") or 0),
        medical_needs=bool(data.get("medical_needs")),
        woman_headed=bool(data.get("woman_headed")),
        disability=bool(data.get("disability")),
        eligibility=data.get("eligibility"),
        documents_complete=bool(data.get("documents_complete")),
        waiting_days=waiting_days,
    )


def parts_json(result: engine.Priority) -> list[dict[str, Any]]:
    return [
        {
            "code": part.code,
            "value": part.value,
            "weight": part.weight,
            "points": part.points,
            "factors": [[factor.code, factor.value] for factor in part.factors],
        }
        for part in result.parts
    ]


# --- storing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    case_id: uuid.UUID
    organization_id: int
    facts: engine.HouseholdFacts
    district_token: str
    waiting_since: dt.date
    risk: engine.DistrictRisk | None
    result: engine.Priority
    version: PriorityWeightsVersion | None


def _detail(item: Computed, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "parts": parts,
        "facts": _facts_json(item.facts),
        "district_level": str(item.risk.level) if item.risk is not None else "",
        "district_score": item.risk.score if item.risk is not None else None,
    }


def _prepared(model: type[Any], columns: Sequence[str], db: Any) -> list[Any]:
    """The database preparation of each column of ``model`` (by attribute name)."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    out = []
    for name in columns:
        field = fields[name]
        target = getattr(field, "target_field", field)  # a foreign key's referenced column
        out.append(lambda value, f=target: f.get_db_prep_save(value, connection=db))
    return out


_CURRENT_COLUMNS = (
    "case_id",
    "organization_id",
    "score",
    "previous_score",
    "detail",
    "weights_version_id",
    "district_token",
    "waiting_since",
    "computed_at",
)
_HISTORY_COLUMNS = (
    "id",
    "case_id",
    "score",
    "detail",
    "weights_version_id",
    "reason",
    "computed_at",
)


def _insert(model: type[Any], columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
            upsert_on: str | None = None) -> None:  # fmt: skip
    """Insert ``rows`` (values in ``columns`` order, sealed columns already sealed); with
    ``upsert_on`` an existing row with that key is replaced (INSERT ... ON CONFLICT DO
    UPDATE, on both databases)."""
    if not rows:
        return
    db = connections[router.db_for_write(model)]
    quote = db.ops.quote_name
    prepare = _prepared(model, columns, db)
    # Table and column names come from the models, never from input.
    table = quote(model._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES "  # noqa: S608
    tail = ""
    if upsert_on:
        tail = f" ON CONFLICT ({quote(upsert_on)}) DO UPDATE SET " + ", ".join(
            f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns if c != upsert_on
        )
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # One short statement run for many rows: psycopg pipelines it, and the client-side
    # binding parses it once (a multi-row VALUES list was re-parsed per statement).
    with db.cursor() as cursor:
        cursor.executemany(
            head + one + tail,
            [[prep(value) for prep, value in zip(prepare, row, strict=True)] for row in rows],
        )


def _store(computed: Sequence[Computed], *, reason: str, now: dt.datetime) -> int:
    """Write the current priorities (the detail sealed with each case's key) and append
    history where the score changed; returns how many scores changed. Written with raw
    multi-row statements: thousands of rows per re-rank, and the ORM's per-row work was most
    of its time. The callers load the cases' keys first (``protection.keys.load_scopes``)."""
    existing = dict(
        CasePriority.objects.filter(case_id__in=[c.case_id for c in computed])
        .values_list("case_id", "score")
        .order_by()
    )
    detail_field = CasePriority._meta.get_field("detail")
    history_field = CasePriorityHistory._meta.get_field("detail")
    rows: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    for item in computed:
        parts = parts_json(item.result)
        detail = _detail(item, parts)
        old = existing.get(item.case_id)
        score = item.result.score
        version_id = item.version.pk if item.version is not None else None
        rows.append(
            (
                item.case_id,
                item.organization_id,
                score,
                old,
                detail_field.seal_value(detail, pk=item.case_id, scope=item.case_id),
                version_id,
                item.district_token,
                item.waiting_since,
                now,
            )
        )
        if old is None or old != score:
            entry_id = uuid.uuid4()
            entry = {"parts": parts, "district_level": detail["district_level"]}
            history.append(
                (
                    entry_id,
                    item.case_id,
                    score,
                    history_field.seal_value(entry, pk=entry_id, scope=item.case_id),
                    version_id,
                    reason,
                    now,
                )
            )
    _insert(CasePriority, _CURRENT_COLUMNS, rows, upsert_on="case_id")
    _insert(CasePriorityHistory, _HISTORY_COLUMNS, history)
    return len(history)


def _compute(
    households: Iterable[CaseHousehold],
    risks: Mapping[str, engine.DistrictRisk],
    weights: Mapping[int, tuple[PriorityWeightsVersion | None, engine.PriorityWeights]],
) -> list[Computed]:
    out = []
    for household in households:
        version, chosen = weights[household.organization_id]
        risk = risks.get(household.facts.district or "")
        out.append(
            Computed(
                case_id=household.case_id,
                organization_id=household.organization_id,
                facts=household.facts,
                district_token=household.district_token,
                waiting_since=household.waiting_since,
                risk=risk,
                result=engine.priority(household.facts, risk, chosen),
                version=version,
            )
        )
    return out


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def cases_refresh(
    case_ids: Iterable[Any],
    *,
    reason: str = CasePriorityHistory.Reason.CASE_CHANGED,
    today: dt.date | None = None,
    risks: Mapping[str, engine.DistrictRisk] | None = None,
    progress: Any = None,
) -> int:
    """Rebuild the facts of ``case_ids`` from the cases and store their priorities (history
    where a score changed). ``risks`` may bring district risks already computed; others
    are looked up (``district_risks``). ``progress(n)`` is called after each batch.
    Returns how many cases were computed."""
    today = today or timezone.localdate()
    now = timezone.now()
    known: dict[str, engine.DistrictRisk] = dict(risks or {})
    done = 0
    for batch_ids in _batches(case_ids, BATCH_SIZE):
        cases = list(
            Case.objects.filter(pk__in=batch_ids, erased_at__isnull=True)
            .only(*_CASE_FIELDS)
            .order_by()
        )
        load_scopes(case.pk for case in cases)
        households = households_of(cases, today=today)
        wanted = {h.facts.district for h in households if h.facts.district} - set(known)
        if wanted:
            known.update(district_risks(wanted, day=today))
        weights = _weights_by_organization(h.organization_id for h in households)
        with transaction.atomic():
            _store(_compute(households, known, weights), reason=reason, now=now)
        done += len(cases)
        if progress is not None:
            progress(done)
    return done


def case_priority_refresh(*, case_id: Any) -> CasePriority | None:
    """Recompute one case's priority (after its facts changed)."""
    try:
        key = uuid.UUID(str(case_id))
    except ValueError:
        return None
    cases_refresh([key])
    return CasePriority.objects.filter(case_id=key).first()


def case_priority_refresh_enqueue(*, case_id: Any) -> None:
    """Recompute a case's priority in the background once the current transaction commits."""
    from safepassage.threat.priority_tasks import refresh_case_priority

    on_commit_once(f"case-priority:{case_id}", lambda: refresh_case_priority.enqueue(str(case_id)))


def organization_rerank(*, version_id: Any) -> int:
    """Re-rank every case of the organisation of weights version ``version_id``, rebuilding
    their facts; progress is kept on the version."""
    version = PriorityWeightsVersion.objects.get(pk=version_id)
    ids = list(
        Case.objects.filter(organization_id=version.organization_id, erased_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    PriorityWeightsVersion.objects.filter(pk=version.pk).update(
        rerank_total=len(ids), rerank_done=0
    )

    def advance(done: int) -> None:
        PriorityWeightsVersion.objects.filter(pk=version.pk).update(rerank_done=done)

    done = cases_refresh(ids, reason=CasePriorityHistory.Reason.WEIGHTS, progress=advance)
    PriorityWeightsVersion.objects.filter(pk=version.pk).update(
        rerank_done=done, rerank_finished_at=timezone.now()
    )
    audit_record(
        actor=None,
        action="priority.rerank",
        target=version,
        organization_id=version.organization_id,
        cases=done,
        scope="organization",
    )
    return done


def priority_recompute_all(*, today: dt.date | None = None) -> int:
    """Recompute from scratch: the risk of every district from every stored event, and the
    facts and priority of every case of every organisation."""
    today = today or timezone.localdate()
    risks = risks_computed(gazetteer_districts(), day=today)
    ids = Case.objects.filter(erased_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    return cases_refresh(
        ids.iterator(chunk_size=BATCH_SIZE),
        reason=CasePriorityHistory.Reason.RECOMPUTED,
        today=today,
        risks=risks,
    )


def rerank_districts(
    district_codes: Iterable[str],
    *,
    day: dt.date | None = None,
    risks: Mapping[str, engine.DistrictRisk] | None = None,
) -> int:
    """Re-rank every case (of every organisation) now in one of ``district_codes``, after
    their risk changed (new events, a change of control). Reads the stored facts (sealed:
    the keys of each batch are loaded in one query) and the districts' new risk. Pass
    ``risks`` when they were just computed (else the day's snapshot, else computed from
    events). Cases without a stored
    priority get their facts built. Returns how many cases were re-ranked."""
    day = day or timezone.localdate()
    codes = {code for code in district_codes if code}
    if not codes:
        return 0
    known: dict[str, engine.DistrictRisk] = {c: r for c, r in (risks or {}).items() if c in codes}
    missing = codes - set(known)
    if missing:
        known.update(district_risks(missing, day=day))
    from safepassage.cases.household import district_token

    every = district_tokens(gazetteer_districts())
    tokens = {district_token(code) for code in codes}
    shared = {token for token in tokens if not every.get(token)}
    token_to_code = {token: every[token] for token in tokens - shared}
    now = timezone.now()
    count = 0
    rows = (
        CasePriority.objects.filter(
            district_token__in=tokens - shared, case__erased_at__isnull=True
        )
        .values_list(
            "case_id",
            "organization_id",
            "case__reference",
            "district_token",
            "detail",
            "waiting_since",
        )
        .order_by()
    )
    detail_field = CasePriority._meta.get_field("detail")
    # Read before writing: the rows are replaced as the batches are stored.
    for batch in _batches(list(rows), 5000):
        load_scopes(row[0] for row in batch)
        weights = _weights_by_organization({row[1] for row in batch})
        households = [
            CaseHousehold(
                case_id=case_id,
                organization_id=organization_id,
                facts=facts_from_json(
                    detail_field.open_value(sealed, pk=case_id)["facts"],
                    reference=reference,
                    district=token_to_code[token],
                    waiting_days=(day - waiting_since).days,
                ),
                district_token=token,
                waiting_since=waiting_since,
            )
            for case_id, organization_id, reference, token, sealed, waiting_since in batch
        ]
        with transaction.atomic():
            _store(
                _compute(households, known, weights),
                reason=CasePriorityHistory.Reason.DISTRICT_RISK,
                now=now,
            )
        count += len(households)
    # Cases never ranked, and those behind a token two districts share, are built from the
    # case itself.
    unranked = Q(current_district_token__in=tokens, priority__isnull=True)
    if shared:  # the OR is left out when it is not needed: it keeps the token index usable
        unranked |= Q(current_district_token__in=shared)
    fresh = Case.objects.filter(unranked, erased_at__isnull=True).values_list("pk", flat=True)
    fresh_ids = list(fresh.order_by())
    if fresh_ids:
        count += cases_refresh(
            fresh_ids, reason=CasePriorityHistory.Reason.DISTRICT_RISK, today=day, risks=known
        )
    audit_record(
        actor=None,
        action="priority.rerank",
        target=_Districts(len(codes)),
        organization_id=None,
        cases=count,
        districts=len(codes),
        scope="districts",
    )
    return count


class _Districts:
    """The audit target of a re-rank by district (counts only: districts are places)."""

    def __init__(self, count: int) -> None:
        self.pk = f"{count} districts"


def households_in_district(organization_id: int, district_code: str) -> int:
    """How many households of ``organization_id`` are now in ``district_code`` (by the
    district's blind-index token; erased and finished cases are not counted)."""
    from safepassage.cases.household import district_token

    token = district_token(district_code)
    if not token:
        return 0
    return (
        Case.objects.filter(
            organization_id=organization_id,
            current_district_token=token,
            erased_at__isnull=True,
        )
        .exclude(stage__in=DONE_STAGES)
        .count()
    )


def organizations_with_households(district_code: str) -> dict[int, int]:
    """Organisation id -> households now in ``district_code`` (for alerts to each owner)."""
    from safepassage.cases.household import district_token

    token = district_token(district_code)
    if not token:
        return {}
    return dict(
        Case.objects.filter(current_district_token=token, erased_at__isnull=True)
        .exclude(stage__in=DONE_STAGES)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
        .order_by()
    )
