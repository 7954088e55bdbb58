"""Errors of the eligibility app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import DomainError


class RuleChangeError(DomainError):
    """A rule revision action that its state does not allow (publishing without a finished
    preview, publishing over rules that changed since the preview, editing a published
    revision)."""

    code = "rule_change_invalid"
    status = 409
    default_message = _("This change to the rules is not possible now.")
