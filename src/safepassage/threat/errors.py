"""Errors of the threat picture."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import InvalidInputError


class ConflictFileRefusedError(InvalidInputError):
    """A conflict file that cannot be read as a whole; ``problem`` is the engine's code."""

    code = "conflict_file_refused"
    default_message = _("This file cannot be imported.")

    def __init__(self, problem: str) -> None:
        super().__init__(FILE_PROBLEM_MESSAGES.get(problem), field="file")
        self.problem = problem


FILE_PROBLEM_MESSAGES = {
    "not_text": _("The file is not UTF-8 CSV text."),
    "too_large": _("The file is too large (at most 20 MB)."),
    "empty": _("The file is empty."),
    "unknown_format": _(
        "The file is neither an ACLED CSV export nor a UCDP GED CSV file (or not the format "
        "chosen)."
    ),
    "missing_columns": _("The file lacks columns that its format requires."),
    "too_many_rows": _("The file has more than 100,000 rows; split it."),
}


class ProposalDecidedError(InvalidInputError):
    code = "proposal_decided"
    default_message = _("This proposed incident has already been confirmed or discarded.")
