"""Eligibility as stored: rule-file revisions with their history, the current assessment of
each case, the work an assessment opened (tasks, document requests), P-1/P-2 referrals and the
background runs that preview and apply a rule change.

Rule files and assessments hold no personal data: programs, codes, outcomes, counts, dates of
case events and digests only.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The programs with a rule file and an outcome column, in the engine's evaluation order
# ("siv" before "p2", which asks whether the SIV is available). A new program needs a column.
PROGRAMS: tuple[str, ...] = ("siv", "p2", "p1")


class RuleProgram(models.TextChoices):
    SIV = "siv", _("Special Immigrant Visa (SIV)")
    P2 = "p2", _("Refugee referral, Priority 2 (P-2)")
    P1 = "p1", _("Refugee referral, Priority 1 (P-1)")


class StoredOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    ELIGIBLE_PENDING_DOCUMENTS = "eligible_pending_documents", _("Eligible, documents pending")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNDETERMINED = "undetermined", _("Not yet determined")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class RuleRevision(models.Model):
    """One revision of a program's rule file (TOML text, as the engine reads it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    program = models.CharField(_("program"), max_length=10, choices=RuleProgram.choices)
    number = models.PositiveIntegerField(_("revision"))
    file_name = models.CharField(_("file name"), max_length=60)
    text = models.TextField(_("rule file"))
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("why it changed"))
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="rule_revision_number"),
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(status="published"),
                name="one_published_rule_revision_per_program",
            ),
            models.CheckConstraint(
                condition=models.Q(program__in=RuleProgram.values), name="rule_program_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "retired"]),
                name="rule_revision_status_known",
            ),
        ]
        verbose_name = _("rule revision")
        verbose_name_plural = _("rule revisions")

    def __str__(self) -> str:
        return f"{self.program} revision {self.number}"


def _outcome_field(label: Any) -> models.CharField[str, str]:
    return models.CharField(
        label,
        max_length=30,
        choices=StoredOutcome.choices,
        default=StoredOutcome.NOT_ASSESSED,
        db_index=True,
    )


class CaseAssessment(models.Model):
    """The current eligibility of one case: an outcome per program (plain columns, so they
    can be counted), the rules it was computed under and what is still missing (item keys
    such as ``document:hr_letter:0`` or ``fact:birth_date:member:2``)."""

    case = models.OneToOneField(
        "cases.Case",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="eligibility_assessment",
    )
    siv_outcome = _outcome_field(_("SIV"))
    p2_outcome = _outcome_field(_("P-2"))
    p1_outcome = _outcome_field(_("P-1"))
    rules_digest = models.CharField(max_length=64)
    revisions = models.CharField(_("rule revisions"), max_length=100)
    assessed_on = models.DateField(_("assessed as of"))
    computed_at = models.DateTimeField(_("assessed at"))
    missing = models.JSONField(default=list)

    class Meta:
        verbose_name = _("case assessment")
        verbose_name_plural = _("case assessments")

    def __str__(self) -> str:
        return f"assessment of {self.case_id}"

    def outcome(self, program: str) -> str:
        return str(getattr(self, f"{program}_outcome"))


class WorkItem(models.Model):
    """The work an assessment opened for a case: one caseworker task listing every missing
    item of the programs the case pursues (``items``: the item keys the task's title lists,
    in order) and one document request to the applicant per missing document kind
    (``requests``: kind -> request id). Re-assessments update the task when its items change
    and close what is no longer missing; the row is closed (``closed_at``) when nothing is.

    Rows of kind "task" and "request" (one per item, ``key`` the item key or the document
    kind) are from before one task per case; the next assessment of their case closes them,
    taking over their requests still wanted."""

    class Kind(models.TextChoices):
        CASE = "case", _("Work of the case")
        TASK = "task", _("Task")
        REQUEST = "request", _("Document request")

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=80, blank=True)
    task = models.ForeignKey(
        "cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request = models.ForeignKey(
        "intake.DocumentRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    items = models.JSONField(default=list, blank=True)
    requests = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "key"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_work_item_per_missing_item",
            ),
        ]
        indexes = [models.Index(fields=["case", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class ReferrerKind(models.TextChoices):
    US_GOVERNMENT_AGENCY = "us_government_agency", _("US government agency")
    US_MILITARY = "us_military", _("US military")
    ORGANISATION_SENIOR_US_CITIZEN = (
        "organisation_senior_us_citizen",
        _("Senior-most US-citizen employee of a US-based media organisation or NGO"),
    )
    UNHCR = "unhcr", _("UNHCR")
    US_EMBASSY = "us_embassy", _("US embassy")
    DESIGNATED_NGO = "designated_ngo", _("Designated NGO")
    SELF = "self", _("Self-referral")


class ReferralCategory(models.TextChoices):
    NONE = "", _("Not stated")
    US_GOVERNMENT_WORK = "us_government_work", _("P-2 category 1: US government work")
    US_FUNDED_PROGRAM = "us_funded_program", _("P-2 category 2: US-funded program")
    US_MEDIA_OR_NGO = "us_media_or_ngo", _("P-2 category 3: US-based media or NGO")


class Referral(models.Model):
    """A referral of the household to P-2 or P-1."""

    class Program(models.TextChoices):
        P2 = "p2", _("P-2")
        P1 = "p1", _("P-1")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="eligibility_referrals"
    )
    program = models.CharField(_("program"), max_length=4, choices=Program.choices)
    category = models.CharField(
        _("category"), max_length=30, choices=ReferralCategory.choices, blank=True, default=""
    )
    referrer_kind = models.CharField(_("referred by"), max_length=40, choices=ReferrerKind.choices)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(program__in=["p2", "p1"]), name="referral_program_known"
            ),
            models.CheckConstraint(
                condition=models.Q(referrer_kind__in=ReferrerKind.values),
                name="referral_referrer_known",
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.program} referral {self.pk}"


class RuleChangeRun(models.Model):
    """A background run over every case: the preview of a draft revision (old and new
    outcomes compared, nothing written) or the re-assessment after publishing (assessments
    and work items written). ``summary`` holds counts only."""

    class Kind(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        REASSESS = "reassess", _("Re-assessment")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    revision = models.ForeignKey(
        RuleRevision, null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    preview = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The published rules the preview compared against; accepting needs them still current.
    base_digest = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rule change run")
        verbose_name_plural = _("rule change runs")

    def __str__(self) -> str:
        return f"{self.kind} run {self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)


class RunChange(models.Model):
    """A case whose outcome for a program a preview found would change (for the officer's
    list of affected references in their own organisation)."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(RuleChangeRun, on_delete=models.CASCADE, related_name="changes")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    program = models.CharField(max_length=10)
    old_outcome = models.CharField(max_length=30)
    new_outcome = models.CharField(max_length=30)

    class Meta:
        indexes = [models.Index(fields=["run", "program"])]

    def __str__(self) -> str:
        return f"{self.program} {self.old_outcome}->{self.new_outcome}"
