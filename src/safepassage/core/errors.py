"""One error base for the domain: a stable code, an HTTP status, a translatable message."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message: str | Promise = _("The request cannot be carried out.")

    def __init__(self, message: str | Promise | None = None, *, field: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        super().__init__(self.code)

    def __str__(self) -> str:
        return str(self.message)


class NotFoundError(DomainError):
    """Also what a user gets for a record outside their scope: existence must not leak."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class InvalidInputError(DomainError):
    code = "invalid_input"
    status = 422
    default_message = _("Some of the information is not valid.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.errors = errors or {}
