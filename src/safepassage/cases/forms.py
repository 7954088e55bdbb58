"""Forms of the caseworker workspace. They parse and show errors; services do the writing."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safepassage.cases.formfields import DigitsCharField, DigitsDateField
from safepassage.cases.models import (
    EMPLOYMENT_FIELDS,
    PERSON_FIELDS,
    Case,
    DocumentKind,
    Employment,
    Person,
    Relationship,
)
from safepassage.cases.stages import Program
from safepassage.engine.places import districts, provinces

_DIGIT_FIELDS = {
    "tazkira_number": DigitsCharField,
    "tazkira_volume": DigitsCharField,
    "tazkira_page": DigitsCharField,
    "tazkira_registration": DigitsCharField,
    "passport_number": DigitsCharField,
    "phone": DigitsCharField,
    "passport_expiry": DigitsDateField,
}
# Sensitive values must not be remembered by a shared or seized phone's browser.
_NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


def province_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [("", "—"), *((p.code, p.name(language)) for p in provinces().values())]


def district_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    province_names = {p.code: p.name(language) for p in provinces().values()}
    return [
        ("", "—"),
        *(
            (d.code, f"{d.name(language)} ({province_names.get(d.province_code, '')})")
            for d in districts().values()
        ),
    ]


def _person_label(person: Person) -> str:
    return person.display_name


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        field_classes = _DIGIT_FIELDS

    def __init__(self, *args: Any, principal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_province"] = forms.ChoiceField(
            label=_("province of birth"), choices=province_choices(), required=False
        )
        self.fields["birth_district"] = forms.ChoiceField(
            label=_("district of birth"), choices=district_choices(), required=False
        )
        if principal:
            del self.fields["relationship"]
        else:
            relationship = cast(forms.ChoiceField, self.fields["relationship"])
            relationship.choices = [
                c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL
            ]
        for name in self.fields:
            if name.endswith("_arabic"):
                self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "fa"})
            if name not in ("relationship", "sex", "tazkira_kind"):
                self.fields[name].widget.attrs.update(_NO_AUTOFILL)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "dir": "ltr"})
        self.fields["email"].widget.attrs.update({"inputmode": "email", "dir": "ltr"})
        self.fields["phone"].help_text = _("With country code: +93 70 123 4567.")


class CaseOpenForm(PersonForm):
    """The household's principal applicant and the program, on one page."""

    program = forms.ChoiceField(label=_("program"), choices=Program.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, principal=True, **kwargs)
        self.order_fields(["program", *self.fields])

    def _post_clean(self) -> None:
        self.instance.relationship = Relationship.PRINCIPAL
        super()._post_clean()  # type: ignore[misc]


class EmploymentForm(forms.ModelForm[Employment]):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("employee"))

    class Meta:
        model = Employment
        fields = ("person", *EMPLOYMENT_FIELDS)
        field_classes = {"badge_number": DigitsCharField, "contract_number": DigitsCharField}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = cast(forms.ModelChoiceField[Any], self.fields["person"])
        person_field.queryset = case.people.all()
        person_field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        self.fields["start_date"].required = True
        self.fields["location_province"] = forms.ChoiceField(
            label=_("province of work"), choices=province_choices(), required=False
        )
        for name in (
            "employer_name",
            "supervisor_name",
            "supervisor_email",
            "badge_number",
            "contract_number",
            "location_detail",
            "role",
        ):
            self.fields[name].widget.attrs.update(_NO_AUTOFILL)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("note"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("task"), max_length=300)
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("assigned to")
    )
    due_date = DigitsDateField(label=_("due date"), required=False)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["assignee"])
        field.queryset = workers


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("assigned caseworker")
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["assignee"])
        field.queryset = workers


class ProgramForm(forms.Form):
    program = forms.ChoiceField(label=_("program"), choices=Program.choices)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of document"), choices=DocumentKind.choices)
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("whose document")
    )
    file = forms.FileField(label=_("file"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["person"])
        field.queryset = case.people.all()
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        self.fields["file"].widget.attrs.update(
            {"accept": "image/*,application/pdf", "capture": "environment"}
        )


class CaseFilterForm(forms.Form):
    reference = forms.CharField(label=_("reference"), required=False, max_length=20)
    stage = forms.ChoiceField(label=_("stage"), required=False)
    program = forms.ChoiceField(label=_("program"), required=False)
    assignee = forms.ChoiceField(label=_("assigned to"), required=False)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        from safepassage.cases.stages import Stage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All stages")), *Stage.choices]  # type: ignore[attr-defined]
        self.fields["program"].choices = [("", _("All programs")), *Program.choices]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *((str(u.pk), u.get_username()) for u in workers),
        ]
        self.fields["reference"].widget.attrs.update(
            {"autocomplete": "off", "placeholder": "ABCD-1234-X", "dir": "ltr"}
        )


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=_("reference"), max_length=20)
    reason = forms.CharField(
        label=_("why you need this case now"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason is recorded and the case's organisation is told at once."),
    )


class ErasureRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("request"),
        choices=[("erasure", _("Erase the case")), ("correction", _("Correct the data"))],
    )
    details = forms.CharField(
        label=_("what the applicant asks"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PersonFindForm(forms.Form):
    """Sent by POST: what is typed here must not end up in URLs or logs."""

    phone = DigitsCharField(label=_("phone number"), required=False, max_length=30)
    tazkira = DigitsCharField(
        label=_("tazkira"),
        required=False,
        max_length=40,
        help_text=_("E-tazkira number, or volume/page/registration of a paper tazkira."),
    )
    passport = DigitsCharField(label=_("passport number"), required=False, max_length=20)
    name = forms.CharField(label=_("given name"), required=False, max_length=100)
    father_name = forms.CharField(label=_("father's name"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update(_NO_AUTOFILL)

    def clean(self) -> dict[str, Any]:
        """Say which typed number cannot be read, instead of finding nobody."""
        from safepassage.cases.validation import message_for
        from safepassage.protection.blind_index import normalized_identity

        data = super().clean() or {}
        codes = {
            "phone": "invalid_phone",
            "passport": "invalid_passport",
            "tazkira": "invalid_etazkira",
        }
        for name, code in codes.items():
            value = data.get(name) or ""
            if value.strip() and normalized_identity(name, value) is None:
                self.add_error(name, str(message_for(code)))
        return data
