"""The program manager's form for the organisation's priority weights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.engine import threat as engine


def _weight(label: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "dir": "ltr"}),
    )


class WeightsForm(forms.Form):
    """Five non-negative numbers; only their proportions count (they are used divided by
    their sum)."""

    threat = _weight(_("individual threat"))
    district = _weight(_("risk of the district where the household is now"))
    vulnerability = _weight(_("vulnerability"))
    readiness = _weight(_("readiness"))
    waiting = _weight(_("time waiting"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                cleaned["weights"] = engine.PriorityWeights(
                    **{code: float(cleaned[code]) for code in engine.PART_CODES}
                )
            except engine.ThreatSettingsError as exc:
                raise forms.ValidationError(
                    _("At least one weight must be more than zero."), code="weights_all_zero"
                ) from exc
        return cleaned


def initial_of(weights: engine.PriorityWeights) -> dict[str, float]:
    """Weights as the form shows them: percentages of their sum."""
    normal = weights.normalised()
    return {code: round(100 * getattr(normal, code), 1) for code in engine.PART_CODES}
