"""Forms of the DS-157 data page and the COM package page. They parse and show errors; the
services in ``cases/ds157.py`` and ``cases/com_package.py`` check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.cases.ds157 import (
    ANSWER_CHOICES,
    COLUMN_LABELS,
    DATE_COLUMNS,
    ENTRY_COLUMNS,
    ENTRY_SLOTS,
    LINE_LISTS,
    entry_field_name,
)
from safepassage.cases.models import DS157_ANSWER_FIELDS, Ds157Data

# Sensitive values must not be remembered by a shared or seized phone's browser.
_NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}
_ONE_A_LINE = _("One a line.")


def _answer(label: str | Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=ANSWER_CHOICES, widget=forms.RadioSelect, required=False
    )


def _lines(label: Any, help_text: Any = _ONE_A_LINE) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, **_NO_AUTOFILL}),
    )


class Ds157Form(forms.Form):
    """Every DS-157 answer the case does not already hold; questions may be left unanswered
    and the form saved, the case page then says what is missing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            field.name: field.verbose_name
            for field in Ds157Data._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
        for name in DS157_ANSWER_FIELDS:
            self.fields[name] = _answer(labels[name])
        self.fields["other_names"] = _lines(
            _("other names used"),
            _("One a line: maiden names, religious, professional or other names and aliases."),
        )
        self.fields["current_address"] = forms.CharField(
            label=_("present home address"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, **_NO_AUTOFILL}),
        )
        self.fields["previous_addresses"] = _lines(_("previous addresses"))
        self.fields["organizations"] = _lines(
            _("organisations"),
            _("One a line: professional, social or charitable organisations, with the role."),
        )
        self.fields["skills_explanation"] = forms.CharField(
            label=_("explanation of skills"),
            required=False,
            help_text=_("Needed when any answer above is Yes: what, where, when."),
            widget=forms.Textarea(attrs={"rows": 3, **_NO_AUTOFILL}),
        )
        self.fields["clan_tribe"] = forms.CharField(
            label=_("clan or tribe"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs=_NO_AUTOFILL),
        )
        self.fields["languages"] = _lines(_("languages spoken"))
        for list_name, columns in ENTRY_COLUMNS.items():
            for index in range(ENTRY_SLOTS[list_name]):
                for column in columns:
                    attrs = dict(_NO_AUTOFILL)
                    if column in DATE_COLUMNS:
                        attrs.update({"placeholder": "2010-03", "inputmode": "numeric"})
                    self.fields[entry_field_name(list_name, index, column)] = forms.CharField(
                        label=COLUMN_LABELS[column],
                        required=False,
                        max_length=300,
                        widget=forms.TextInput(attrs=attrs),
                    )

    @classmethod
    def initial_from(cls, values: dict[str, Any]) -> dict[str, Any]:
        """Initial form values from ``ds157_values``."""
        initial: dict[str, Any] = {}
        for name, value in values.items():
            if name in LINE_LISTS:
                initial[name] = "\n".join(value)
            elif name in ENTRY_COLUMNS:
                for index, entry in enumerate(value[: ENTRY_SLOTS[name]]):
                    for column in ENTRY_COLUMNS[name]:
                        initial[entry_field_name(name, index, column)] = entry.get(column, "")
            else:
                initial[name] = value
        return initial

    def to_data(self) -> dict[str, Any]:
        """The cleaned values in the shape ``ds157_save`` takes."""
        data = self.cleaned_data
        entry_fields = {
            entry_field_name(list_name, index, column)
            for list_name, columns in ENTRY_COLUMNS.items()
            for index in range(ENTRY_SLOTS[list_name])
            for column in columns
        }
        values: dict[str, Any] = {
            name: data.get(name, "") for name in self.fields if name not in entry_fields
        }
        for list_name, columns in ENTRY_COLUMNS.items():
            values[list_name] = [
                {
                    column: data.get(entry_field_name(list_name, index, column), "")
                    for column in columns
                }
                for index in range(ENTRY_SLOTS[list_name])
            ]
        return values

    def entry_rows(self, list_name: str) -> list[list[forms.BoundField]]:
        """The bound fields of each entry slot of ``list_name``, for the template."""
        return [
            [
                self[entry_field_name(list_name, index, column)]
                for column in ENTRY_COLUMNS[list_name]
            ]
            for index in range(ENTRY_SLOTS[list_name])
        ]

    @property
    def travel_rows(self) -> list[list[forms.BoundField]]:
        return self.entry_rows("countries_visited")

    @property
    def military_rows(self) -> list[list[forms.BoundField]]:
        return self.entry_rows("military_service")

    @property
    def education_rows(self) -> list[list[forms.BoundField]]:
        return self.entry_rows("education")


class ComPackageForm(forms.Form):
    recipient_age_key = forms.CharField(
        label=_("recipient's age public key (optional)"),
        required=False,
        max_length=100,
        help_text=_(
            "If the package goes to someone who has an age key (age1…), it is also encrypted "
            "to that key."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
