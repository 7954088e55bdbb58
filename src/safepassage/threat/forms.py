"""Forms of the threat picture: conflict file upload, staff incident, district control change,
situation report and the review of a proposed incident. They parse; services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safepassage.cases.formfields import DigitsDateField, DigitsIntegerField
from safepassage.core.models import Organization
from safepassage.engine.places import districts, provinces
from safepassage.threat.models import ControlStateChoice, EventKindChoice

_NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def province_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [("", "—"), *((p.code, p.name(language)) for p in provinces().values())]


def district_choices(*, unknown_label: Any = "—") -> list[Any]:
    """Districts grouped by province (an ``<optgroup>`` each), names in the user's language."""
    language = get_language() or "en"
    groups: list[Any] = [("", unknown_label)]
    for province in provinces().values():
        members = [
            (d.code, d.name(language))
            for d in districts().values()
            if d.province_code == province.code
        ]
        if members:
            groups.append((province.name(language), members))
    return groups


class _OrganizationMixin:
    """Adds an organisation choice when the user records for more than one."""

    fields: dict[str, forms.Field]

    def _add_organization(self, organizations: Sequence[Organization]) -> None:
        self.organizations = {str(o.pk): o for o in organizations}
        if len(organizations) > 1:
            self.fields["organization"] = forms.ChoiceField(
                label=_("recorded for"), choices=[(str(o.pk), o.name) for o in organizations]
            )

    def organization(self, cleaned: dict[str, Any]) -> Organization:
        if "organization" in cleaned:
            return self.organizations[cleaned["organization"]]
        return next(iter(self.organizations.values()))


class ConflictFileForm(_OrganizationMixin, forms.Form):
    format = forms.ChoiceField(
        label=_("format"),
        choices=[
            ("", _("recognise from the columns")),
            ("acled", _("ACLED CSV export")),
            ("ucdp", _("UCDP GED CSV")),
        ],
        required=False,
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("At most 20 MB. Rows outside Afghanistan are left out and reported."),
    )

    def __init__(self, *args: Any, organizations: Sequence[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._add_organization(organizations)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 20 MB)."))
        return upload


class IncidentForm(_OrganizationMixin, forms.Form):
    day = DigitsDateField(label=_("date"))
    province = forms.ChoiceField(label=_("province"))
    district = forms.ChoiceField(label=_("district"), required=False)
    kind = forms.ChoiceField(label=_("kind of incident"), choices=EventKindChoice.choices)
    targets_affiliates = forms.BooleanField(
        label=_("It targeted people affiliated with foreign forces"), required=False
    )
    fatalities = DigitsIntegerField(label=_("people killed"), min_value=0, initial=0)
    confidence = forms.TypedChoiceField(
        label=_("confidence"),
        coerce=float,
        choices=[
            ("1.0", _("confirmed")),
            ("0.7", _("likely")),
            ("0.4", _("possible")),
            ("0.2", _("rumour")),
        ],
        initial="0.7",
    )
    source_detail = forms.CharField(
        label=_("source"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
        help_text=_("Who reported it (for example: a relative by phone, a local journalist)."),
    )
    notes = forms.CharField(
        label=_("notes"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, **_NO_AUTOFILL}),
        help_text=_("Kept encrypted; only your organisation reads them."),
    )

    def __init__(self, *args: Any, organizations: Sequence[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices(  # type: ignore[attr-defined]
            unknown_label=_("unknown")
        )
        self._add_organization(organizations)

    def clean_fatalities(self) -> int:
        return int(self.cleaned_data.get("fatalities") or 0)


class ControlChangeForm(_OrganizationMixin, forms.Form):
    district = forms.ChoiceField(label=_("district"))
    day = DigitsDateField(label=_("date of the change"))
    state = forms.ChoiceField(label=_("held by"), choices=ControlStateChoice.choices)
    source = forms.CharField(
        label=_("source"),
        max_length=200,
        help_text=_("Where this is known from (for example: a UN update of 12 August 2021)."),
    )

    def __init__(self, *args: Any, organizations: Sequence[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]
        self._add_organization(organizations)


class SituationReportForm(_OrganizationMixin, forms.Form):
    title = forms.CharField(
        label=_("title"), max_length=300, required=False, widget=forms.TextInput(attrs=_NO_AUTOFILL)
    )
    published_on = DigitsDateField(label=_("publication date"))
    text = forms.CharField(
        label=_("text of the report or article"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 14, **_NO_AUTOFILL}),
        help_text=_(
            "English, Dari or Pashto. Kept encrypted until every proposed incident is "
            "confirmed or discarded, then erased."
        ),
    )

    def __init__(self, *args: Any, organizations: Sequence[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._add_organization(organizations)


class ProposalConfirmForm(forms.Form):
    """What a person may correct before confirming a proposed incident."""

    day = DigitsDateField(label=_("date"))
    province = forms.ChoiceField(label=_("province"))
    district = forms.ChoiceField(label=_("district"), required=False)
    kind = forms.ChoiceField(label=_("kind of incident"), choices=EventKindChoice.choices)
    targets_affiliates = forms.BooleanField(
        label=_("It targeted people affiliated with foreign forces"), required=False
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices(  # type: ignore[attr-defined]
            unknown_label=_("unknown")
        )
