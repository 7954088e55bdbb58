"""Organisations (NGOs, program offices, partners) and their members' roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        PROGRAM_OFFICE = "program_office", _("Program office")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    LOGISTICS = "logistics", _("Logistics officer")
    PLACEMENT = "placement", _("Placement officer")
    PARTNER = "partner", _("Partner")
    ADMIN = "admin", _("Administrator")
    DATA_PROTECTION_OFFICER = "dpo", _("Data protection officer")
    PROGRAM_OFFICER = "program_officer", _("Program officer")


# Roles that work whole cases. Logistics, placement and partner roles get narrower views
# (manifests, placements, referred cases) as those capabilities arrive.
CASE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.ADMIN})
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Sees the audit log of its organisation, never case data.
AUDIT_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER, Role.ADMIN})
# Review, preview and publish the eligibility rule files. Rules are law, not per organisation:
# publishing is installation-wide, so any organisation's program officer or admin may do it.
RULE_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.ADMIN})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_known"
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}:{self.role}"
