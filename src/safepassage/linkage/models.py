"""Duplicate review: per-organisation thresholds, batch runs, proposed matches with their
explanations (numbers and codes only, never names), reviewers' decisions, the links between
person records that decisions make, and hints of possible duplicates at other organisations.

Nothing here holds personal data in clear: a proposal points at two ``cases.Person`` rows and
keeps the weight of each comparison as a code and a number. Merging never touches the person
rows: "same person" is an active :class:`PersonLink` between two records, an identity is a
connected group of such links, and undoing a decision marks its link undone (kept for history).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

DEFAULT_AUTO_LINK_WEIGHT = 10.0
DEFAULT_REVIEW_WEIGHT = 0.0


class LinkageSettings(models.Model):
    """An organisation's thresholds, as match weights (log2 odds): from ``auto_link_weight`` a
    pair is linked without review, from ``review_weight`` a reviewer sees it, below that it is
    ignored."""

    organization = models.OneToOneField(
        "core.Organization",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="linkage_settings",
    )
    auto_link_weight = models.FloatField(
        _("link without review from match weight"), default=DEFAULT_AUTO_LINK_WEIGHT
    )
    review_weight = models.FloatField(_("show to a reviewer from match weight"), default=0.0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(auto_link_weight__gte=F("review_weight")),
                name="linkage_auto_link_not_below_review",
            ),
        ]
        verbose_name = _("duplicate review settings")
        verbose_name_plural = _("duplicate review settings")

    def __str__(self) -> str:
        return f"linkage settings of {self.organization_id}"


class LinkageRun(models.Model):
    """One batch deduplication of an organisation's people, with its progress and outcome
    (counts, timings and the fitted model's parameters: no values from any record)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READING = "reading", _("Reading records")
        LINKING = "linking", _("Comparing and scoring")
        STORING = "storing", _("Storing proposed matches")
        FINISHED = "finished", _("Finished")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="linkage_runs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.WAITING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    auto_link_weight = models.FloatField()
    review_weight = models.FloatField()
    summary = models.JSONField(default=dict, blank=True)
    model = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="linkage_run_status_known",
            ),
        ]
        verbose_name = _("duplicate search")
        verbose_name_plural = _("duplicate searches")

    def __str__(self) -> str:
        return f"linkage run {self.pk}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    AUTO_LINKED = "auto_linked", _("Linked automatically")
    SAME_PERSON = "same_person", _("Same person")
    DIFFERENT = "different", _("Different people")
    SAME_HOUSEHOLD = "same_household", _("Same household")
    STALE = "stale", _("No longer proposed")


DECIDED_STATUSES = (
    ProposalStatus.SAME_PERSON,
    ProposalStatus.DIFFERENT,
    ProposalStatus.SAME_HOUSEHOLD,
)


def uncertainty_of(probability: float) -> float:
    """How undecided a match probability is: 1 at even odds, 0 at certainty either way (the
    review queue's first sort key)."""
    return 1.0 - abs(2.0 * probability - 1.0)


class MatchProposal(models.Model):
    """Two person records of one organisation that a batch run found alike: their match
    weight and probability, and each comparison's contribution as
    ``{"comparison": code, "level": code, "weight": bits, "adjustment": bits, "note": code}``.

    ``left_person`` is the record whose id sorts first, so a pair has one row whatever run
    found it; a later run updates an open row and leaves a decided one alone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(
        LinkageRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    left_person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    right_person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    left_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    right_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    match_weight = models.FloatField(_("match weight"))
    match_probability = models.FloatField(_("match probability"))
    uncertainty = models.FloatField(
        help_text="1 at even odds, 0 when certain either way: 1 - |2p - 1|."
    )
    contributions = models.JSONField(default=list)
    household_duplicate = models.BooleanField(_("part of a household entered twice"), default=False)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-uncertainty", "-match_weight"]
        indexes = [models.Index(fields=["organization", "status"], name="linkage_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["left_person", "right_person"], name="linkage_one_proposal_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(left_person=F("right_person")),
                name="linkage_proposal_two_records",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="linkage_proposal_status_known",
            ),
        ]
        verbose_name = _("proposed match")
        verbose_name_plural = _("proposed matches")

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class PersonLink(models.Model):
    """Two person records joined by a decision: the same person (an identity is a connected
    group of these) or members of the same household entered twice. Never deleted: undoing
    sets ``undone_at``."""

    class Kind(models.TextChoices):
        SAME_PERSON = "same_person", _("Same person")
        SAME_HOUSEHOLD = "same_household", _("Same household")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="links")
    left_person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    right_person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    automatic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["left_person", "right_person", "kind"],
                condition=Q(undone_at__isnull=True),
                name="linkage_one_active_link_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["same_person", "same_household"]),
                name="linkage_link_kind_known",
            ),
        ]
        verbose_name = _("record link")
        verbose_name_plural = _("record links")

    def __str__(self) -> str:
        return f"link {self.pk}"


class ReviewDecision(models.Model):
    """Append-only history of what was decided on a proposal and what was undone."""

    class Action(models.TextChoices):
        AUTO_LINK = "auto_link", _("Linked automatically")
        SAME_PERSON = "same_person", _("Same person")
        DIFFERENT = "different", _("Different people")
        SAME_HOUSEHOLD = "same_household", _("Same household")
        UNDO = "undo", _("Undone")

    id = models.BigAutoField(primary_key=True)
    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=16, choices=Action.choices)
    previous_status = models.CharField(max_length=16, choices=ProposalStatus.choices)
    link = models.ForeignKey(
        PersonLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_link = models.ForeignKey(
        PersonLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undoes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")

    def __str__(self) -> str:
        return f"{self.action} on {self.proposal_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("review decisions are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("review decisions are append-only")


class CrossOrganizationHint(models.Model):
    """A person of ``organization`` looks like someone held by ``other_organization``, found
    by a run that the other organisation's sharing agreement allowed. Only the fact is shown
    ("a possible duplicate exists at organisation X"), never the other record."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    other_organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    match_weight = models.FloatField()
    run = models.ForeignKey(
        LinkageRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="hints"
    )
    found_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-match_weight"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "other_organization"], name="linkage_one_hint_per_org"
            ),
        ]
        verbose_name = _("possible duplicate at another organisation")
        verbose_name_plural = _("possible duplicates at other organisations")

    def __str__(self) -> str:
        return f"hint {self.pk}"


from safepassage.linkage.import_models import ImportBatch, ImportRow, RowClass  # noqa: E402

__all__ = [
    "DECIDED_STATUSES",
    "CrossOrganizationHint",
    "ImportBatch",
    "ImportRow",
    "LinkageRun",
    "LinkageSettings",
    "MatchProposal",
    "PersonLink",
    "ProposalStatus",
    "ReviewDecision",
    "RowClass",
]
