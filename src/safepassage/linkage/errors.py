"""Errors of record linkage and the review desk."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import DomainError, InvalidInputError, NotFoundError


class ProposalNotFoundError(NotFoundError):
    code = "proposal_not_found"
    default_message = _("This proposed match does not exist or is not yours to review.")


class DecisionError(DomainError):
    code = "decision_not_allowed"
    status = 409
    default_message = _("This decision cannot be made on this proposed match.")


class ThresholdsError(InvalidInputError):
    code = "invalid_thresholds"
    default_message = _("The auto-link threshold must not be below the review threshold.")


class LinkageRunError(DomainError):
    code = "linkage_run_not_allowed"
    status = 409
    default_message = _("A duplicate search is already running for this organisation.")


class ImportNotFoundError(NotFoundError):
    code = "import_not_found"
    default_message = _("This import does not exist or is not yours to see.")


class ImportConfirmError(DomainError):
    code = "import_not_confirmable"
    status = 409
    default_message = _(
        "This import was already confirmed, or its file no longer passes the checks."
    )
