"""Errors of the cases app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import DomainError, InvalidInputError, NotFoundError


class CaseNotFoundError(NotFoundError):
    code = "case_not_found"
    default_message = _("No case with this reference is open to you.")


class StageChangeError(DomainError):
    code = "stage_change_invalid"
    status = 409
    default_message = _("This stage change is not possible.")


class DocumentRejectedError(InvalidInputError):
    code = "document_rejected"
    default_message = _("This file cannot be accepted.")


class PrincipalRequiredError(DomainError):
    code = "principal_required"
    status = 409
    default_message = _("The principal applicant cannot be removed from the household.")
