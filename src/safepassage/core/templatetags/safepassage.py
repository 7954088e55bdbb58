"""Template filters: digits and dates as the reader's language writes them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from safepassage.engine.dates import PartialDate, month_name, to_local_digits
from safepassage.engine.places import districts, provinces

register = template.Library()


@register.filter
def localdigits(value: Any) -> str:
    """Eastern Arabic (Persian) digits for Dari and Pashto readers."""
    if value is None:
        return ""
    return to_local_digits(str(value), get_language() or "en")


@register.filter
def partial_date(value: PartialDate | None) -> str:
    """A partial date with the month's name in the reader's language, e.g. "15 Hamal 1365"."""
    if value is None:
        return "—"
    language = get_language() or "en"
    parts: list[str] = []
    if value.day:
        parts.append(str(value.day))
    if value.month:
        parts.append(month_name(value.month, value.calendar, language))
    parts.append(str(value.year))
    text = " ".join(parts)
    if value.calendar == "solar_hijri":
        text += " " + {"fa": "هـ ش", "ps": "هـ ل"}.get(language, "SH")
    if value.approximate:
        text = "~ " + text
    return to_local_digits(text, language)


@register.filter
def province_name(code: str) -> str:
    found = provinces().get(code or "")
    return found.name(get_language() or "en") if found else ""


@register.filter
def district_name(code: str) -> str:
    found = districts().get(code or "")
    return found.name(get_language() or "en") if found else ""


@register.filter
def mask(value: str | None) -> str:
    """An identity number with all but its last four characters hidden."""
    from safepassage.protection.services import mask_identity

    return mask_identity(value)


@register.filter
def stringify(value: object) -> str:
    return str(value)
