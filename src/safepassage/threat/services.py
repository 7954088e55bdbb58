"""Writes of the threat picture: conflict file imports, staff incidents, district control
changes and situation reports. Each service checks the actor's role, owns its transaction,
records an audit event in it (codes, ids and counts only) and, once committed, queues the
risk refresh of the districts its events can change.

Who may record: a member with a case role (caseworker, supervisor, administrator) of the
organisation the record is made for. Risk and alerts are in ``threat.risk``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES, Organization
from safepassage.core.selectors import role_in
from safepassage.engine import conflict_files, sitrep
from safepassage.engine.places import districts, provinces
from safepassage.engine.threat import ControlState, Event, EventKind
from safepassage.protection import keys
from safepassage.protection.audit import audit_record
from safepassage.threat.errors import ConflictFileRefusedError, ProposalDecidedError
from safepassage.threat.models import (
    ConflictEvent,
    DistrictControlChange,
    EventSource,
    ImportBatch,
    ReportProposal,
    RiskAlert,
    SituationReport,
)

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None

NOTES_MAX = 4000
EVENT_KINDS = frozenset(kind.value for kind in EventKind)
CONTROL_STATES = frozenset(state.value for state in ControlState)
PLACE_TEXT_MAX = 500


def _user_of(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def require_recorder(actor: Actor, organization: Organization) -> None:
    """The actor works cases in ``organization``; otherwise it is "not found" for them."""
    if actor is None or not actor.is_authenticated:
        raise NotFoundError()
    role = role_in(user=actor, organization_id=organization.pk)
    if role is None or role not in CASE_ROLES:
        raise NotFoundError()


def place_checked(province: str, district: str) -> tuple[str, str]:
    """(province, district) when both are in the gazetteer and agree; district may be ""."""
    if province not in provinces():
        raise InvalidInputError(field="province")
    if district:
        place = districts().get(district)
        if place is None or place.province_code != province:
            raise InvalidInputError(field="district")
    return province, district


def engine_event(row: ConflictEvent) -> Event:
    return Event(
        id=str(row.pk),
        day=row.day,
        district=row.district or None,
        province=row.province,
        kind=EventKind(row.kind),
        fatalities=row.fatalities,
        targets_affiliates=row.targets_affiliates,
        confidence=row.confidence,
    )


def _queue_risk_refresh(events: Iterable[Event], control_districts: Iterable[str] = ()) -> None:
    """After commit, refresh today's risk of the districts these events (or control changes)
    can change. Arguments are gazetteer codes, not personal data."""
    from safepassage.threat.risk import affected_district_codes
    from safepassage.threat.tasks import refresh_district_risk

    codes = sorted(affected_district_codes(events) | set(control_districts))
    if not codes:
        return
    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: refresh_district_risk.enqueue(codes, day))


# --- conflict files -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    batch: ImportBatch
    added: tuple[ConflictEvent, ...]


def conflict_file_import(
    *,
    actor: Actor,
    organization: Organization,
    file_name: str,
    content: bytes,
    expected_format: str | None = None,
) -> ImportResult:
    """Import an ACLED or UCDP GED CSV file for ``organization``: every good row whose
    publisher id is new becomes an event; rows already imported are counted as duplicates;
    bad rows are recorded by line number and code. All or nothing per file.

    Raises ``NotFoundError`` when the actor does not work in ``organization`` and
    ``ConflictFileRefusedError`` when the file as a whole cannot be read.
    """
    require_recorder(actor, organization)
    try:
        parsed = conflict_files.parse_conflict_file(
            content,
            conflict_files.ConflictFormat(expected_format) if expected_format else None,
        )
    except conflict_files.ConflictFileError as exc:
        raise ConflictFileRefusedError(exc.problem.value) from exc
    source = EventSource(parsed.format.value)
    with transaction.atomic():
        batch = ImportBatch(
            format=parsed.format.value,
            file_name=(file_name or "upload.csv")[-255:],
            file_sha256=hashlib.sha256(content).hexdigest(),
            organization=organization,
            imported_by=_user_of(actor),
        )
        batch.full_clean()
        batch.save()
        keys.prepare_scopes([batch.pk])
        ids = [event.source_event_id for event in parsed.events]
        known: set[str] = set()
        for start in range(0, len(ids), 500):
            known.update(
                ConflictEvent.objects.filter(
                    source=source, source_event_id__in=ids[start : start + 500]
                ).values_list("source_event_id", flat=True)
            )
        rows = [
            ConflictEvent(
                source=source,
                source_event_id=event.source_event_id,
                day=event.day,
                province=event.province,
                district=event.district or "",
                place_text=event.place_text[:PLACE_TEXT_MAX],
                kind=event.kind.value,
                fatalities=event.fatalities,
                targets_affiliates=event.targets_affiliates,
                confidence=event.confidence,
                notes=event.notes[:NOTES_MAX],
                organization=organization,
                recorded_by=_user_of(actor),
                batch=batch,
            )
            for event in parsed.events
            if event.source_event_id not in known
        ]
        ConflictEvent.objects.bulk_create(rows, batch_size=500)
        batch.rows_added = len(rows)
        batch.rows_duplicate = len(parsed.events) - len(rows)
        batch.rows_bad = len(parsed.bad_rows)
        batch.bad_rows = [{"line": bad.line, "code": bad.problem.value} for bad in parsed.bad_rows]
        batch.save(update_fields=["rows_added", "rows_duplicate", "rows_bad", "bad_rows"])
        audit_record(
            actor=actor,
            action="threat.import",
            target=batch,
            organization_id=organization.pk,
            format=batch.format,
            added=batch.rows_added,
            duplicates=batch.rows_duplicate,
            bad=batch.rows_bad,
        )
        _queue_risk_refresh(engine_event(row) for row in rows)
    logger.info(
        "conflict file %s imported: %s added, %s duplicates, %s bad",
        batch.pk,
        batch.rows_added,
        batch.rows_duplicate,
        batch.rows_bad,
    )
    return ImportResult(batch=batch, added=tuple(rows))


# --- staff incidents ----------------------------------------------------------------------


def _event_validated(event: ConflictEvent) -> None:
    try:
        event.full_clean(exclude=["place_text", "notes", "source_detail"])
    except ValidationError as exc:
        raise InvalidInputError(
            errors={
                field: [str(m) for m in messages] for field, messages in exc.message_dict.items()
            }
        ) from exc


def incident_record(
    *,
    actor: Actor,
    organization: Organization,
    day: dt.date,
    province: str,
    district: str = "",
    kind: str,
    targets_affiliates: bool = False,
    fatalities: int = 0,
    confidence: float = 1.0,
    source_detail: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> ConflictEvent:
    """Record an incident staff learnt of (source "staff"). Its notes and source details may
    name people: they are sealed with the incident's own key.

    Raises ``NotFoundError`` (actor not recording for ``organization``) and
    ``InvalidInputError`` (unknown place, kind, a date in the future, confidence outside 0..1).
    """
    require_recorder(actor, organization)
    province, district = place_checked(province, district)
    if day > (today or timezone.localdate()):
        raise InvalidInputError(field="day")
    if kind not in EVENT_KINDS:
        raise InvalidInputError(field="kind")
    if not 0.0 <= confidence <= 1.0:
        raise InvalidInputError(field="confidence")
    if len(notes) > NOTES_MAX:
        raise InvalidInputError(field="notes")
    with transaction.atomic():
        event = ConflictEvent(
            source=EventSource.STAFF,
            day=day,
            province=province,
            district=district,
            place_text="",
            kind=kind,
            fatalities=max(fatalities, 0),
            targets_affiliates=targets_affiliates,
            confidence=confidence,
            notes=notes.strip(),
            source_detail=source_detail.strip()[:300],
            organization=organization,
            recorded_by=_user_of(actor),
        )
        _event_validated(event)
        event.save()
        audit_record(
            actor=actor,
            action="threat.incident_record",
            target=event,
            organization_id=organization.pk,
            kind=kind,
            province=province,
            district=district,
        )
        _queue_risk_refresh([engine_event(event)])
    return event


# --- district control ---------------------------------------------------------------------


def control_change_record(
    *,
    actor: Actor,
    organization: Organization,
    district: str,
    day: dt.date,
    state: str,
    source: str,
    today: dt.date | None = None,
) -> DistrictControlChange:
    """Record that ``district`` is held in ``state`` from ``day`` on. Earlier changes are
    kept: the history is the list of changes.

    Raises ``NotFoundError`` and ``InvalidInputError`` (unknown district or state, a date in
    the future, no source).
    """
    require_recorder(actor, organization)
    place = districts().get(district)
    if place is None:
        raise InvalidInputError(field="district")
    if state not in CONTROL_STATES:
        raise InvalidInputError(field="state")
    if day > (today or timezone.localdate()):
        raise InvalidInputError(field="day")
    if not source.strip():
        raise InvalidInputError(field="source")
    with transaction.atomic():
        change = DistrictControlChange.objects.create(
            district=district,
            province=place.province_code,
            day=day,
            state=state,
            source=source.strip()[:200],
            organization=organization,
            recorded_by=_user_of(actor),
        )
        audit_record(
            actor=actor,
            action="threat.control_record",
            target=change,
            organization_id=organization.pk,
            district=district,
            state=state,
        )
        _queue_risk_refresh((), control_districts=[district])
    return change


# --- situation reports --------------------------------------------------------------------

REPORT_TEXT_MAX = 100_000


def situation_report_submit(
    *,
    actor: Actor,
    organization: Organization,
    text: str,
    published_on: dt.date,
    title: str = "",
    today: dt.date | None = None,
) -> SituationReport:
    """Read a pasted report or article (``engine.sitrep``) and store the incidents it seems
    to describe as proposals for a person to confirm or discard. The text is sealed with the
    report's own key and erased once nothing is left to decide (at once when nothing is
    proposed).

    Raises ``NotFoundError`` and ``InvalidInputError`` (no text, too long, a publication
    date in the future).
    """
    require_recorder(actor, organization)
    text = text.strip()
    if not text or len(text) > REPORT_TEXT_MAX:
        raise InvalidInputError(field="text")
    if published_on > (today or timezone.localdate()):
        raise InvalidInputError(field="published_on")
    reading = sitrep.read_situation_report(text, published_on)
    with transaction.atomic():
        report = SituationReport(
            organization=organization,
            published_on=published_on,
            title=title.strip()[:300],
            text=text,
            submitted_by=_user_of(actor),
        )
        report.save()
        ReportProposal.objects.bulk_create(
            [
                ReportProposal(
                    report=report,
                    position=position,
                    day=proposed.day,
                    province=proposed.province_code,
                    district=proposed.district_code or "",
                    kind=proposed.kind.value,
                    targets_affiliates=proposed.targets_affiliates,
                    confidence=proposed.confidence,
                    place_text=proposed.place.text[:300],
                    excerpt=text[proposed.evidence_start : proposed.evidence_end].strip()[:2000],
                )
                for position, proposed in enumerate(reading.proposals, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action="threat.report_submit",
            target=report,
            organization_id=organization.pk,
            proposals=len(reading.proposals),
            places=len(reading.places),
        )
        if not reading.proposals:
            _report_text_erase(report)
    return report


def _report_text_erase(report: SituationReport) -> None:
    """Erase the report's text and the excerpts of its proposals, and, once committed,
    destroy the report's key (so no backup opens them either)."""
    if report.text_destroyed_at is not None:
        return
    report.title = None
    report.text = None
    report.text_destroyed_at = timezone.now()
    report.save(update_fields=["title", "text", "text_destroyed_at"])
    report.proposals.update(place_text=None, excerpt=None)
    scope = report.pk
    transaction.on_commit(lambda: keys.destroy_scope(scope))


def _finish_if_decided(report: SituationReport, actor: Actor) -> None:
    if report.proposals.filter(status=ReportProposal.Status.PROPOSED).exists():
        return
    _report_text_erase(report)
    audit_record(
        actor=actor,
        action="threat.report_text_erase",
        target=report,
        organization_id=report.organization_id,
    )


def _proposal_locked(actor: Actor, proposal: ReportProposal) -> ReportProposal:
    require_recorder(actor, proposal.report.organization)
    locked = ReportProposal.objects.select_for_update().select_related("report").get(pk=proposal.pk)
    if locked.status != ReportProposal.Status.PROPOSED:
        raise ProposalDecidedError()
    return locked


def proposal_confirm(
    *,
    actor: Actor,
    proposal: ReportProposal,
    day: dt.date | None = None,
    province: str | None = None,
    district: str | None = None,
    kind: str | None = None,
    targets_affiliates: bool | None = None,
    today: dt.date | None = None,
) -> ConflictEvent:
    """Confirm a proposed incident, with the person's corrections (any value left None
    keeps the proposal's): it becomes an event with source "report", whose notes are the
    sentence it was read from, sealed with the event's own key.

    Raises ``NotFoundError``, ``ProposalDecidedError`` and ``InvalidInputError``.
    """
    with transaction.atomic():
        locked = _proposal_locked(actor, proposal)
        report = locked.report
        province, district = place_checked(
            province if province is not None else locked.province,
            district if district is not None else locked.district,
        )
        kind = kind if kind is not None else locked.kind
        if kind not in EVENT_KINDS:
            raise InvalidInputError(field="kind")
        day = day or locked.day or report.published_on
        if day > (today or timezone.localdate()):
            raise InvalidInputError(field="day")
        event = ConflictEvent(
            source=EventSource.REPORT,
            day=day,
            province=province,
            district=district,
            place_text=locked.place_text or "",
            kind=kind,
            targets_affiliates=(
                targets_affiliates if targets_affiliates is not None else locked.targets_affiliates
            ),
            fatalities=locked.fatalities,
            confidence=locked.confidence,
            notes=locked.excerpt or "",
            organization=report.organization,
            recorded_by=_user_of(actor),
            report=report,
        )
        _event_validated(event)
        event.save()
        locked.status = ReportProposal.Status.CONFIRMED
        locked.event = event
        locked.decided_by = _user_of(actor)
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "event", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="threat.proposal_confirm",
            target=locked,
            organization_id=report.organization_id,
            report=str(report.pk),
            event=str(event.pk),
            kind=kind,
            corrected=(province, district, kind) != (locked.province, locked.district, locked.kind),
        )
        _queue_risk_refresh([engine_event(event)])
        _finish_if_decided(report, actor)
    return event


def proposal_discard(*, actor: Actor, proposal: ReportProposal) -> ReportProposal:
    """Discard a proposed incident (not an incident, or already recorded).

    Raises ``NotFoundError`` and ``ProposalDecidedError``."""
    with transaction.atomic():
        locked = _proposal_locked(actor, proposal)
        locked.status = ReportProposal.Status.DISCARDED
        locked.decided_by = _user_of(actor)
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="threat.proposal_discard",
            target=locked,
            organization_id=locked.report.organization_id,
            report=str(locked.report_id),
        )
        _finish_if_decided(locked.report, actor)
    return locked


def report_text_erase(*, actor: Actor, report: SituationReport) -> None:
    """Erase a report's text now (undecided proposals keep their places, dates and kinds)."""
    require_recorder(actor, report.organization)
    with transaction.atomic():
        locked = SituationReport.objects.select_for_update().get(pk=report.pk)
        _report_text_erase(locked)
        audit_record(
            actor=actor,
            action="threat.report_text_erase",
            target=locked,
            organization_id=locked.organization_id,
        )


# --- alerts -------------------------------------------------------------------------------


def alert_acknowledge(*, actor: Actor, alert: RiskAlert) -> RiskAlert:
    """Mark a risk alert as seen by a member of its organisation."""
    require_recorder(actor, alert.organization)
    with transaction.atomic():
        locked = RiskAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
            locked.acknowledged_by = _user_of(actor)
            locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit_record(
                actor=actor,
                action="threat.alert_acknowledge",
                target=locked,
                organization_id=locked.organization_id,
            )
    return locked
