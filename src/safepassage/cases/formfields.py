"""Form fields for partial dates and for numbers typed in Eastern Arabic digits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safepassage.engine.dates import (
    Calendar,
    PartialDate,
    PartialDateError,
    parse_partial_date,
    to_latin_digits,
)

CALENDAR_CHOICES = [
    (Calendar.SOLAR_HIJRI.value, _("Solar Hijri (as on the tazkira)")),
    (Calendar.GREGORIAN.value, _("Gregorian (as on the passport)")),
]


class PartialDateWidget(forms.MultiWidget):
    template_name = "cases/widgets/partial_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(
                attrs={"inputmode": "text", "autocomplete": "off", "placeholder": "1365-07-15"}
            ),
            forms.Select(choices=CALENDAR_CHOICES),
            forms.CheckboxInput(),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, PartialDate):
            parts = [str(value.year)]
            if value.month:
                parts.append(f"{value.month:02d}")
            if value.day:
                parts.append(f"{value.day:02d}")
            return ["-".join(parts), value.calendar.value, value.approximate]
        return ["", Calendar.SOLAR_HIJRI.value, False]


class PartialDateFormField(forms.MultiValueField):
    """Year, year-month or full date, in Solar Hijri or Gregorian, possibly approximate."""

    widget = PartialDateWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        fields = (
            forms.CharField(required=False),
            forms.ChoiceField(choices=CALENDAR_CHOICES, required=False),
            forms.BooleanField(required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> PartialDate | None:
        if not data_list or not (data_list[0] or "").strip():
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        text, calendar, approximate = data_list
        try:
            return parse_partial_date(
                text, Calendar(calendar or Calendar.SOLAR_HIJRI), approximate=bool(approximate)
            )
        except PartialDateError as exc:
            from safepassage.cases.validation import message_for

            raise ValidationError(str(message_for(exc.code)), code=exc.code) from exc


class LatinDigitsMixin:
    """Accept Eastern Arabic and Persian digits wherever a number is typed."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = to_latin_digits(value)
        return super().to_python(value)  # type: ignore[misc]


class DigitsCharField(LatinDigitsMixin, forms.CharField):
    pass


class DigitsDateField(LatinDigitsMixin, forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})


class DigitsIntegerField(LatinDigitsMixin, forms.IntegerField):
    pass
