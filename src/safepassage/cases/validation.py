"""Model validation for people and employment, with messages in the user's language.

The engine raises errors with stable codes; this module turns them into translated messages
attached to the field they concern, and stores the normalised value (E.164 phones, upper-case
passport numbers, Latin digits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepassage.engine import identity
from safepassage.engine.dates import PartialDateError, to_latin_digits
from safepassage.engine.places import districts, provinces

if TYPE_CHECKING:
    from safepassage.cases.models import Employment, Person

MESSAGES: dict[str, Promise] = {
    "invalid_phone": _("Enter a phone number with its country code, e.g. +93 70 123 4567."),
    "invalid_email": _("Enter a valid email address."),
    "invalid_passport": _("A passport number has 6 to 12 letters and digits."),
    "invalid_etazkira": _("An e-tazkira number has only digits (6 to 20), dashes allowed."),
    "invalid_tazkira_volume": _("Enter the volume (jild) as printed on the tazkira."),
    "invalid_tazkira_page": _("The page (safha) is a number."),
    "invalid_tazkira_registration": _("The registration number (sabt) is a number."),
    "tazkira_parts_required": _("A paper tazkira needs its volume, page and registration number."),
    "etazkira_number_required": _("Enter the e-tazkira number."),
    "birth_in_future": _("The date of birth cannot be in the future."),
    "end_before_start": _("The end date cannot be before the start date."),
    "start_in_future": _("The start date cannot be in the future."),
    "unknown_province": _("Choose a province from the list."),
    "district_not_in_province": _("This district is not in the chosen province."),
    "unreadable": _("Write the date as year, year-month or year-month-day, e.g. 1365-07-15."),
    "invalid_month": _("The month must be between 1 and 12."),
    "invalid_day": _("This day does not exist in that month."),
    "day_without_month": _("Give the month when you give the day."),
    "year_out_of_range": _("This year is not possible here."),
    "name_required": _("Give at least the given name, in Latin or in Dari/Pashto script."),
}


def message_for(code: str) -> Promise:
    return MESSAGES.get(code, _("This value is not valid."))


def _normalise(
    errors: dict[str, list[Promise]], field: str, value: str, parse: object
) -> str | None:
    if not value:
        return value
    try:
        return parse(value)  # type: ignore[operator,no-any-return]
    except identity.IdentityError as exc:
        errors.setdefault(field, []).append(message_for(exc.code))
        return None


def _check_place(
    errors: dict[str, list[Promise]],
    province_field: str,
    province: str,
    district_field: str,
    district: str,
) -> None:
    if province and province not in provinces():
        errors.setdefault(province_field, []).append(message_for("unknown_province"))
    if district:
        found = districts().get(district)
        if found is None or (province and found.province_code != province):
            errors.setdefault(district_field, []).append(message_for("district_not_in_province"))


def validate_person(person: Person) -> None:
    errors: dict[str, list[Promise]] = {}
    if not (person.given_name_latin or person.given_name_arabic):
        errors["given_name_latin"] = [message_for("name_required")]
    today = timezone.localdate()
    if person.birth_date is not None and person.birth_date.is_after(today):
        errors["birth_date"] = [message_for("birth_in_future")]

    phone = _normalise(errors, "phone", person.phone or "", identity.normalize_phone)
    if phone is not None:
        person.phone = phone
    email = _normalise(errors, "email", person.email or "", identity.normalize_email)
    if email is not None:
        person.email = email
    passport = _normalise(
        errors, "passport_number", person.passport_number or "", identity.normalize_passport_number
    )
    if passport is not None:
        person.passport_number = passport

    if person.tazkira_kind == "electronic":
        number = _normalise(
            errors,
            "tazkira_number",
            person.tazkira_number or "",
            identity.normalize_etazkira_number,
        )
        if not person.tazkira_number:
            errors["tazkira_number"] = [message_for("etazkira_number_required")]
        elif number is not None:
            person.tazkira_number = number
    elif person.tazkira_kind == "paper":
        parts = (person.tazkira_volume, person.tazkira_page, person.tazkira_registration)
        if not all(parts):
            errors["tazkira_volume"] = [message_for("tazkira_parts_required")]
        else:
            try:
                volume, page, registration = identity.validate_paper_tazkira(
                    to_latin_digits(person.tazkira_volume or ""),
                    to_latin_digits(person.tazkira_page or ""),
                    to_latin_digits(person.tazkira_registration or ""),
                )
            except identity.IdentityError as exc:
                field = {
                    "invalid_tazkira_page": "tazkira_page",
                    "invalid_tazkira_registration": "tazkira_registration",
                }.get(exc.code, "tazkira_volume")
                errors[field] = [message_for(exc.code)]
            else:
                person.tazkira_volume = volume
                person.tazkira_page = page
                person.tazkira_registration = registration
    _check_place(
        errors, "birth_province", person.birth_province, "birth_district", person.birth_district
    )
    if errors:
        raise ValidationError(errors)


def validate_employment(employment: Employment) -> None:
    errors: dict[str, list[Promise]] = {}
    start, end = employment.start_date, employment.end_date
    today = timezone.localdate()
    if start is not None and start.is_after(today):
        errors["start_date"] = [message_for("start_in_future")]
    # Only when every reading of the end is before every reading of the start.
    if (
        start is not None
        and end is not None
        and (end.gregorian_range()[1] < start.gregorian_range()[0])
    ):
        errors["end_date"] = [message_for("end_before_start")]
    email = _normalise(
        errors, "supervisor_email", employment.supervisor_email or "", identity.normalize_email
    )
    if email is not None:
        employment.supervisor_email = email
    if employment.location_province and employment.location_province not in provinces():
        errors["location_province"] = [message_for("unknown_province")]
    if errors:
        raise ValidationError(errors)


def partial_date_error_message(exc: PartialDateError) -> Promise:
    return message_for(exc.code)
