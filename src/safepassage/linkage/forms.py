"""Forms of the review desk: a decision on a proposed match, and an organisation's
thresholds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.linkage.models import ProposalStatus

WEIGHT_LIMIT = 60.0
"""Match weights beyond this many bits are certainty either way: no threshold needs more."""


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (ProposalStatus.SAME_PERSON.value, _("Same person")),
            (ProposalStatus.DIFFERENT.value, _("Different people")),
            (ProposalStatus.SAME_HOUSEHOLD.value, _("Same household, different people")),
        ],
        error_messages={"required": _("Choose one of the decisions.")},
    )


class ThresholdsForm(forms.Form):
    auto_link_weight = forms.FloatField(
        label=_("Link without review from match weight"),
        min_value=-WEIGHT_LIMIT,
        max_value=WEIGHT_LIMIT,
        help_text=_("In bits (log2 odds): 10 means about a thousand to one that it is one person."),
    )
    review_weight = forms.FloatField(
        label=_("Show to a reviewer from match weight"),
        min_value=-WEIGHT_LIMIT,
        max_value=WEIGHT_LIMIT,
        help_text=_("0 means even odds. Pairs below this weight are ignored."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        auto_link, review = cleaned.get("auto_link_weight"), cleaned.get("review_weight")
        if auto_link is not None and review is not None and auto_link < review:
            self.add_error(
                "auto_link_weight",
                _("The auto-link threshold must not be below the review threshold."),
            )
        return cleaned
