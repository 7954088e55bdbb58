"""Errors of the public application, each with a message the applicant can read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import DomainError


class RateLimitedError(DomainError):
    """Too many attempts from one address, on one draft or on one case reference."""

    code = "rate_limited"
    status = 429
    default_message = _(
        "You have tried this many times in a short time. For your protection, please wait "
        "an hour and try again. What you typed before has been saved."
    )

    def __init__(self, *, retry_after_seconds: int = 3600) -> None:
        super().__init__()
        self.retry_after_seconds = retry_after_seconds


class SuspectedRobotError(DomainError):
    """The hidden "leave empty" field was filled in, or the proof-of-work is missing."""

    code = "suspected_robot"
    status = 400
    default_message = _(
        "This form could not be sent. If you are a person, go back, leave the field "
        'marked "leave empty" empty and try again.'
    )


class ApplicationIncompleteError(DomainError):
    code = "application_incomplete"
    status = 422
    default_message = _("Some steps still need your attention before you can send the form.")

    def __init__(self, steps: list[str]) -> None:
        super().__init__()
        self.steps = steps


class NoReceivingOrganizationError(DomainError):
    code = "no_receiving_organization"
    status = 503
    default_message = _(
        "Applications cannot be received right now. Your answers are saved: please try again later."
    )
