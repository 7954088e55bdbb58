"""Forms of the eligibility pages: a draft rule file and a referral."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.eligibility.models import Referral, ReferralCategory, ReferrerKind


class RuleDraftForm(forms.Form):
    text = forms.CharField(
        label=_("Rule file (TOML)"),
        widget=forms.Textarea(attrs={"rows": 30, "dir": "ltr", "spellcheck": "false"}),
        strip=False,
    )
    note = forms.CharField(
        label=_("Why the rules change"),
        help_text=_("The law or guidance that changed, with its citation."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReferralForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), choices=Referral.Program.choices)
    category = forms.ChoiceField(
        label=_("Category"), choices=ReferralCategory.choices, required=False
    )
    referrer_kind = forms.ChoiceField(label=_("Referred by"), choices=ReferrerKind.choices)
    referred_on = forms.DateField(
        label=_("Referred on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
