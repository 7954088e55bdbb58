"""Template context every workspace page needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi


def workspace(request: HttpRequest) -> dict[str, Any]:
    return {
        "language_choices": settings.LANGUAGES,
        "current_language": get_language(),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
