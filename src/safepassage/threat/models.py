"""What the threat picture stores: conflict events (imported, entered by staff, confirmed from
situation reports), import batches, district control over time, situation reports and their
proposed incidents, daily district risk snapshots and risk alerts.

Encryption scope (whose data key seals the free text):
- an event imported from a published file (ACLED, UCDP) is sealed with its import batch's key:
  the text is public already, and one key per file keeps a 50,000-row import to one key;
- an incident entered by staff or confirmed from a report has a key of its own (its id), like
  a case: its notes may name a victim, and that one incident can be crypto-shredded without
  touching any other. Keys per organisation were rejected because the threat picture is read
  across organisations and erasure is per incident, not per organisation;
- a situation report's pasted text and its proposals are sealed with the report's own key;
  discarding the text destroys that key.
Places, dates, kinds and counts stay in clear: they are what the risk index computes on.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.engine.threat import ControlState, EventKind, RiskLevel
from safepassage.protection.fields import EncryptedJSONField, EncryptedTextField


class EventSource(models.TextChoices):
    ACLED = "acled", _("ACLED")
    UCDP = "ucdp", _("UCDP GED")
    STAFF = "staff", _("Entered by staff")
    REPORT = "report", _("Situation report")


IMPORTED_SOURCES = frozenset({EventSource.ACLED, EventSource.UCDP})


class EventKindChoice(models.TextChoices):
    TARGETED_KILLING = EventKind.TARGETED_KILLING.value, _("Targeted killing")
    ABDUCTION = EventKind.ABDUCTION.value, _("Abduction")
    THREAT_LETTER = EventKind.THREAT_LETTER.value, _("Threat letter")
    HOUSE_SEARCH = EventKind.HOUSE_SEARCH.value, _("House search")
    CHECKPOINT_ARREST = EventKind.CHECKPOINT_ARREST.value, _("Arrest at a checkpoint")
    ARMED_CLASH = EventKind.ARMED_CLASH.value, _("Armed clash")
    EXPLOSION = EventKind.EXPLOSION.value, _("Explosion")
    CONTROL_CHANGE = EventKind.CONTROL_CHANGE.value, _("Change of district control")
    OTHER = EventKind.OTHER.value, _("Other")


class ControlStateChoice(models.TextChoices):
    GOVERNMENT = ControlState.GOVERNMENT.value, _("Government")
    CONTESTED = ControlState.CONTESTED.value, _("Contested")
    TALIBAN = ControlState.TALIBAN.value, _("Taliban")


class RiskLevelChoice(models.TextChoices):
    LOW = RiskLevel.LOW.value, _("Low")
    MEDIUM = RiskLevel.MEDIUM.value, _("Medium")
    HIGH = RiskLevel.HIGH.value, _("High")
    CRITICAL = RiskLevel.CRITICAL.value, _("Critical")


RISK_ORDER = {level: i for i, level in enumerate(RiskLevelChoice.values)}


class ImportBatch(models.Model):
    """One conflict file imported: what it added, what it already had, which rows were bad
    (line numbers and codes, never their contents)."""

    class Format(models.TextChoices):
        ACLED = "acled", _("ACLED CSV export")
        UCDP = "ucdp", _("UCDP GED CSV")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    rows_added = models.PositiveIntegerField(_("rows added"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("rows already imported"), default=0)
    rows_bad = models.PositiveIntegerField(_("bad rows"), default=0)
    # [{"line": 9, "code": "bad_date"}]: line numbers and codes, never the rows' contents.
    bad_rows = models.JSONField(_("bad rows"), default=list, blank=True)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="threat_imports"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=["acled", "ucdp"]), name="import_format_known"
            ),
        ]
        verbose_name = _("conflict file import")
        verbose_name_plural = _("conflict file imports")

    def __str__(self) -> str:
        return f"import {self.pk}"


class SituationReport(models.Model):
    """A report or news article pasted by staff; its text is sealed with its own key and
    destroyed once every proposal has been decided (or on request)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="situation_reports"
    )
    published_on = models.DateField(_("publication date"))
    title = EncryptedTextField(_("title"), text_max_length=300)
    text = EncryptedTextField(_("text"), text_max_length=100_000)
    text_destroyed_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")

    def __str__(self) -> str:
        return f"report {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.id


class ConflictEvent(models.Model):
    """A conflict event or incident, placed in a province and (if known) a district."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=EventSource.choices)
    # The publisher's id (ACLED event_id_cnty, UCDP id); empty for staff and report events.
    source_event_id = models.CharField(_("source event id"), max_length=64, blank=True)
    day = models.DateField(_("date"))
    province = models.CharField(_("province"), max_length=6)  # ISO 3166-2:AF
    district = models.CharField(_("district"), max_length=40, blank=True)  # "" = unknown
    place_text = EncryptedTextField(_("place as reported"), text_max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKindChoice.choices)
    fatalities = models.PositiveIntegerField(_("fatalities"), default=0)
    targets_affiliates = models.BooleanField(
        _("targeted people affiliated with foreign forces"), default=False
    )
    confidence = models.FloatField(_("confidence"), default=1.0)
    notes = EncryptedTextField(_("notes"), text_max_length=4000)
    # Staff: the reporting source in words ("village elder", "Pajhwok"); imports: empty.
    source_detail = EncryptedTextField(_("source details"), text_max_length=300)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="threat_events"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    report = models.ForeignKey(
        SituationReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_event_id"],
                condition=~models.Q(source_event_id=""),
                name="event_id_unique_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=EventSource.values), name="event_source_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKindChoice.values), name="event_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0.0, confidence__lte=1.0),
                name="event_confidence_0_to_1",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "day"], name="event_province_day"),
            models.Index(fields=["district", "day"], name="event_district_day"),
        ]
        verbose_name = _("conflict event")
        verbose_name_plural = _("conflict events")

    def __str__(self) -> str:
        return f"event {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.batch_id or self.id


class ReportProposal(models.Model):
    """An incident the situation-report finder proposes, for a person to confirm or discard."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveIntegerField()
    day = models.DateField(_("date"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=6)
    district = models.CharField(_("district"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKindChoice.choices)
    targets_affiliates = models.BooleanField(default=False)
    fatalities = models.PositiveIntegerField(default=0)
    # How sure the finder is (0..1): lower when the place or date came from another sentence.
    confidence = models.FloatField(_("confidence"), default=0.5)
    place_text = EncryptedTextField(_("place as named"), text_max_length=300)
    excerpt = EncryptedTextField(_("excerpt"), text_max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    event = models.OneToOneField(
        ConflictEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="proposal_position"),
            models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "confirmed", "discarded"]),
                name="proposal_status_known",
            ),
        ]
        verbose_name = _("proposed incident")
        verbose_name_plural = _("proposed incidents")

    def __str__(self) -> str:
        return f"proposal {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.report_id


class DistrictControlChange(models.Model):
    """From ``day`` on, ``district`` is held in ``state``. Rows are never changed: the
    history is the table; the state on a day is the latest change on or before it."""

    district = models.CharField(_("district"), max_length=40)
    province = models.CharField(_("province"), max_length=6)
    day = models.DateField(_("date of the change"))
    state = models.CharField(_("control"), max_length=10, choices=ControlStateChoice.choices)
    source = models.CharField(_("source"), max_length=200)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="control_changes"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "-day", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ControlStateChoice.values),
                name="control_state_known",
            ),
        ]
        indexes = [models.Index(fields=["district", "day"], name="control_district_day")]
        verbose_name = _("district control change")
        verbose_name_plural = _("district control changes")

    def __str__(self) -> str:
        return f"{self.district}:{self.day}:{self.state}"


class DistrictRiskSnapshot(models.Model):
    """A district's risk on a day as last computed, with the events that made it."""

    district = models.CharField(max_length=40)
    province = models.CharField(max_length=6)
    day = models.DateField()
    score = models.FloatField()
    level = models.CharField(max_length=10, choices=RiskLevelChoice.choices)
    control = models.CharField(max_length=10, choices=ControlStateChoice.choices, blank=True)
    control_points = models.FloatField(default=0.0)
    # [{"event_id": "...", "kind": "...", "day": "2021-08-04", "points": 3.2, "spill": false}]
    contributions = models.JSONField(default=list, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["district", "day"], name="one_risk_per_district_day"),
            models.CheckConstraint(
                condition=models.Q(level__in=RiskLevelChoice.values), name="risk_level_known"
            ),
        ]
        indexes = [models.Index(fields=["day", "score"], name="risk_day_score")]
        verbose_name = _("district risk")
        verbose_name_plural = _("district risks")

    def __str__(self) -> str:
        return f"{self.district}:{self.day}:{self.level}"


class RiskAlert(models.Model):
    """A district's risk level rose; raised for an organisation with households there."""

    district = models.CharField(max_length=40)
    province = models.CharField(max_length=6)
    day = models.DateField()
    level_from = models.CharField(max_length=10, choices=RiskLevelChoice.choices)
    level_to = models.CharField(max_length=10, choices=RiskLevelChoice.choices)
    score = models.FloatField()
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="risk_alerts"
    )
    households = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "district", "day", "level_to"],
                name="one_alert_per_org_district_day_level",
            ),
        ]
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")

    def __str__(self) -> str:
        return f"alert {self.pk}"


# --- priority ---
# Owned by the priority side (``threat/priority*.py``): organisation weights, each case's
# current priority and its history. Codes and numbers only: the place a household is in is
# kept as the case's blind-index token, never as a district code.


class PriorityWeightsVersion(models.Model):
    """One version of an organisation's priority weights, set by a program manager; the
    newest is in force. Applying it re-ranks the organisation's cases in the background
    (``rerank_total``/``rerank_done`` show the progress)."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="priority_weights"
    )
    number = models.PositiveIntegerField(_("version"))
    threat = models.FloatField(_("individual threat"))
    district = models.FloatField(_("district risk"))
    vulnerability = models.FloatField(_("vulnerability"))
    readiness = models.FloatField(_("readiness"))
    waiting = models.FloatField(_("time waiting"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)
    rerank_total = models.PositiveIntegerField(default=0)
    rerank_done = models.PositiveIntegerField(default=0)
    rerank_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="priority_weights_version_number"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    threat__gte=0, district__gte=0, vulnerability__gte=0, readiness__gte=0
                )
                & models.Q(waiting__gte=0),
                name="priority_weights_not_negative",
            ),
        ]
        verbose_name = _("priority weights")
        verbose_name_plural = _("priority weights")

    def __str__(self) -> str:
        return f"weights {self.organization_id} v{self.number}"


class CasePriority(models.Model):
    """A case's current priority. In clear only what the queue sorts and finds by: the score,
    the organisation, the keyed token of the district (for re-ranking a district's cases),
    when the household began waiting and the weights used. Everything that tells about the
    household is sealed with the case's key in ``detail`` (``PriorityDetail``): the part
    values and their factors (threat categories, health needs, ...), the household facts it
    was computed from (so new events re-rank it without rebuilding them from the case) and
    the district risk level and score it used (in clear, a score matched against the day's
    district snapshots would tell where the household is)."""

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="priority"
    )
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("priority"))
    previous_score = models.FloatField(null=True, blank=True)
    # {"parts": [{"code": "threat", "value": 0.6, "weight": 0.35, "points": 21.0,
    #   "factors": [["category:detained", 0.9], ...]}, ...], "facts": {...},
    #  "district_level": "high", "district_score": 61.2}
    detail = EncryptedJSONField()
    weights_version = models.ForeignKey(
        PriorityWeightsVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    district_token = models.CharField(max_length=16, blank=True, db_index=True)
    waiting_since = models.DateField()
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        indexes = [
            models.Index(fields=["organization", "-score"], name="case_priority_queue"),
        ]
        verbose_name = _("case priority")
        verbose_name_plural = _("case priorities")

    def __str__(self) -> str:
        return f"priority of {self.case_id}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id

    @property
    def parts(self) -> list[dict[str, Any]]:
        return list((self.detail or {}).get("parts") or [])

    @property
    def facts(self) -> dict[str, Any]:
        return dict((self.detail or {}).get("facts") or {})

    @property
    def district_level(self) -> str:
        return str((self.detail or {}).get("district_level") or "")

    @property
    def district_score(self) -> float | None:
        score = (self.detail or {}).get("district_score")
        return None if score is None else float(score)


class CasePriorityHistory(models.Model):
    """Append-only: every change of a case's priority score, why it was recomputed and under
    which weights; the parts and district level of that moment are sealed with the case's
    key (``detail``: ``{"parts": [...], "district_level": "..."}``)."""

    class Reason(models.TextChoices):
        CASE_CHANGED = "case_changed", _("The case changed")
        WEIGHTS = "weights", _("New weights")
        DISTRICT_RISK = "district_risk", _("The district's risk changed")
        RECOMPUTED = "recomputed", _("Recomputed")

    # A UUID chosen before the insert: the sealed detail is bound to its row's id.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="priority_history"
    )
    score = models.FloatField(_("priority"))
    detail = EncryptedJSONField()
    weights_version = models.ForeignKey(
        PriorityWeightsVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-computed_at"]
        indexes = [models.Index(fields=["case", "-computed_at"], name="priority_history_case")]
        verbose_name = _("priority history entry")
        verbose_name_plural = _("priority history")

    def __str__(self) -> str:
        return f"priority {self.score} of {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("priority history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("priority history is append-only")

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id

    @property
    def parts(self) -> list[dict[str, Any]]:
        return list((self.detail or {}).get("parts") or [])

    @property
    def district_level(self) -> str:
        return str((self.detail or {}).get("district_level") or "")
