"""Forms of the exports pages. They parse and show errors; services do the writing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from safepassage.cases.stages import Program, Stage
from safepassage.core.models import Organization
from safepassage.exports.columns import SUGGESTED_CODES, column_choices
from safepassage.exports.models import ExportFormat, LegalBasis, PeopleInScope, SharingAgreement

_NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}
_REFERENCE_SEPARATORS = re.compile(r"[\s,;،]+")


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class ExportRequestForm(forms.Form):
    agreement = forms.ChoiceField(
        label=_("recipient organisation"),
        required=False,
        help_text=_(
            "Data goes to another organisation only under an active sharing agreement, and "
            "only the columns it allows."
        ),
    )
    recipient_name = forms.CharField(
        label=_("recipient (one person)"),
        max_length=200,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
        help_text=_(
            "One named person. Their name is written at the top of the file and in its page footer."
        ),
    )
    purpose = forms.CharField(
        label=_("purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the recipient needs this data for."),
    )
    legal_basis = forms.ChoiceField(
        label=_("legal basis"),
        required=False,
        choices=_blank(LegalBasis.choices),
        help_text=_("For a partner organisation, the legal basis of the sharing agreement."),
    )
    stage = forms.ChoiceField(label=_("stage"), required=False, choices=_blank(Stage.choices))
    program = forms.ChoiceField(label=_("program"), required=False, choices=_blank(Program.choices))
    references = forms.CharField(
        label=_("case references"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **_NO_AUTOFILL, "dir": "ltr"}),
        help_text=_("Optional: the households to export, one reference per line."),
    )
    people = forms.ChoiceField(
        label=_("people"),
        choices=PeopleInScope.choices,
        initial=PeopleInScope.PRINCIPALS,
        widget=forms.RadioSelect,
    )
    columns = forms.MultipleChoiceField(
        label=_("columns"),
        required=False,
        choices=column_choices(identity_numbers=False),
        initial=list(SUGGESTED_CODES),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the recipient needs."),
    )
    identity_columns = forms.MultipleChoiceField(
        label=_("identity numbers"),
        required=False,
        choices=column_choices(identity_numbers=True),
        widget=forms.CheckboxSelectMultiple,
    )
    identity_numbers_confirmed = forms.BooleanField(
        label=_("Identity numbers are needed for this purpose."), required=False
    )
    recipient_age_key = forms.CharField(
        label=_("recipient's age public key"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**_NO_AUTOFILL, "dir": "ltr"}),
        help_text=_(
            "Optional. If the recipient uses age, their public key (age1…): the file is then "
            "also encrypted to it, and opens only with their private key and the password."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("file format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, agreements: list[SharingAgreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreements = {str(a.pk): a for a in agreements}
        field: Any = self.fields["agreement"]
        field.choices = [
            ("", _("Nobody outside our organisation")),
            *(
                (
                    key,
                    _("%(organization)s (agreement until %(date)s)")
                    % {
                        "organization": a.recipient_organization.name,
                        "date": date_format(timezone.localtime(a.expires_at), "Y-m-d"),
                    },
                )
                for key, a in self.agreements.items()
            ),
        ]

    def clean_references(self) -> tuple[str, ...]:
        text: str = self.cleaned_data.get("references") or ""
        return tuple(part for part in _REFERENCE_SEPARATORS.split(text) if part)

    def chosen_agreement(self) -> SharingAgreement | None:
        return self.agreements.get(self.cleaned_data.get("agreement") or "")

    def chosen_fields(self) -> list[str]:
        return [
            *self.cleaned_data.get("columns", []),
            *self.cleaned_data.get("identity_columns", []),
        ]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester reads this."),
    )


class AgreementForm(forms.Form):
    recipient_organization = forms.ModelChoiceField(
        label=_("recipient organisation"), queryset=Organization.objects.none()
    )
    purpose = forms.CharField(
        label=_("purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.ChoiceField(label=_("legal basis"), choices=LegalBasis.choices)
    allowed_fields = forms.MultipleChoiceField(
        label=_("allowed columns"),
        choices=[
            *column_choices(identity_numbers=False),
            *column_choices(identity_numbers=True),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("valid until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most two years from today."),
    )
    document_reference = forms.CharField(
        label=_("reference of the signed agreement"), max_length=100, required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["recipient_organization"]
        field.queryset = Organization.objects.exclude(pk=organization.pk).order_by("name")

    def expires_at(self) -> dt.datetime:
        day: dt.date = self.cleaned_data["expires_on"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
