"""Template helpers of the pipeline: whether the user supervises (for the navigation)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def supervises(user: Any) -> bool:
    from safepassage.pipeline.selectors import supervised_organization_ids

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(supervised_organization_ids(user=user))


@register.filter
def owner_label(owner: str) -> str:
    from safepassage.pipeline.messages import owner_label as label

    return label(owner)
