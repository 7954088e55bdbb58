"""Template context every workspace page needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi


def workspace(request: HttpRequest) -> dict[str, Any]:
    from django.utils.functional import SimpleLazyObject

    def roles() -> dict[str, bool]:
        from safepassage.core.models import AUDIT_ROLES, CASE_ROLES, RULE_ROLES
        from safepassage.core.selectors import memberships_for

        held = {m.role for m in memberships_for(user=request.user)}
        return {
            "auditor": bool(held & set(AUDIT_ROLES)),
            "caseworker": bool(held & set(CASE_ROLES)),
            "rules": bool(held & set(RULE_ROLES)),
        }

    return {
        "workspace_roles": SimpleLazyObject(roles),
        "language_choices": settings.LANGUAGES,
        "current_language": get_language(),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
