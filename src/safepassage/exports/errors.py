"""Errors of the exports app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import (
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)


class ExportNotFoundError(NotFoundError):
    code = "export_not_found"
    default_message = _("No export request with this number is open to you.")


class ReauthenticationRequiredError(DomainError):
    code = "reauthentication_required"
    status = 401
    default_message = _("Confirm your password and second factor again to do this.")


class SelfApprovalError(PermissionDeniedError):
    code = "export_self_approval"
    default_message = _("A second person must approve this export: you requested it.")


class ApproverRoleError(PermissionDeniedError):
    code = "export_approver_role"
    default_message = _("Only a supervisor or administrator of the organisation can decide.")


class ExportStateError(DomainError):
    code = "export_state"
    status = 409
    default_message = _("This export request can no longer be changed.")


class ExportExpiredError(DomainError):
    code = "export_expired"
    status = 410
    default_message = _("This export request has expired. Make a new request.")


class DownloadNotAvailableError(DomainError):
    code = "export_download_unavailable"
    status = 409
    default_message = _(
        "This export cannot be downloaded: it is not approved, its download window has "
        "passed, or it has been downloaded as often as allowed."
    )


class ExportPasswordError(DomainError):
    code = "export_password"
    status = 409
    default_message = _("The file password is no longer valid. Prepare the download again.")


class ExportScopeChangedError(DomainError):
    code = "export_scope_changed"
    status = 409
    default_message = _(
        "The data has grown since the export was requested or approved. Make a new request."
    )


class AgreementRequiredError(InvalidInputError):
    code = "export_agreement_required"
    default_message = _(
        "Data can go to another organisation only under an active sharing agreement."
    )


class FieldNotAllowedError(InvalidInputError):
    code = "export_field_not_allowed"
    default_message = _("The sharing agreement does not allow some of the chosen columns.")


class NothingToExportError(InvalidInputError):
    code = "export_empty"
    default_message = _("No people match this scope: there is nothing to export.")
