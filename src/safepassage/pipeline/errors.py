"""Errors of the pipeline app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.cases.errors import StageChangeError
from safepassage.engine.pipeline import GuardResult


class StageMoveRefusedError(StageChangeError):
    """A move the pipeline refuses; ``failures`` say why (codes and parameters only)."""

    # The code stays "stage_change_invalid": API clients see one code for a refused move,
    # and the failed checks' codes beside it.
    default_message = _("This stage change is not possible.")

    def __init__(self, failures: tuple[GuardResult, ...]) -> None:
        super().__init__()
        self.failures = failures

    @property
    def codes(self) -> list[str]:
        return [failure.code.value for failure in self.failures]
