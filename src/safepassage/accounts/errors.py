"""Errors of staff authentication."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import DomainError


class SecondFactorError(DomainError):
    """A code, a security key answer or an enrolment that was not accepted."""

    code = "second_factor_invalid"
    status = 400
    default_message = _("That did not work. Check the code or the key and try again.")
