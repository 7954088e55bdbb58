"""The caseworker's form for where a household is now and what it needs."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.cases.forms import district_choices, province_choices
from safepassage.cases.household import threat_categories_of
from safepassage.cases.models import Case

# The same words as the intake's questions, told about the household instead of to it.
THREAT_CATEGORY_CHOICES = [
    ("threat_letter", _("Received a threat letter (shabnama)")),
    ("phone_threats", _("Threatened by phone or message")),
    ("house_search", _("House searched, or people came looking for them")),
    ("family_attack", _("A family member was attacked, taken or killed")),
    ("detained", _("Detained or beaten")),
    ("other", _("Something else")),
]


class HouseholdForm(forms.Form):
    current_province = forms.ChoiceField(
        label=_("province where the household is now"), required=False
    )
    current_district = forms.ChoiceField(
        label=_("district where the household is now"),
        required=False,
        help_text=_("Leave empty if the household is outside Afghanistan or the place is unknown."),
    )
    threat_categories = forms.MultipleChoiceField(
        label=_("threats faced"),
        choices=THREAT_CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    medical_needs = forms.BooleanField(
        label=_("someone in the household has medical needs"), required=False
    )
    disability = forms.BooleanField(
        label=_("someone in the household has a disability"), required=False
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        chosen = threat_categories_of(case) if case is not None else frozenset()
        # What the case holds now, for showing beside the form.
        self.threat_labels = [label for code, label in THREAT_CATEGORY_CHOICES if code in chosen]
        if case is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "current_province": case.current_province or "",
                    "current_district": case.current_district or "",
                    "threat_categories": sorted(threat_categories_of(case)),
                    "medical_needs": case.medical_needs,
                    "disability": case.disability,
                },
            )
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["current_province"]).choices = province_choices()
        cast(forms.ChoiceField, self.fields["current_district"]).choices = district_choices()
        for name in ("current_province", "current_district"):
            self.fields[name].widget.attrs.update({"autocomplete": "off"})
