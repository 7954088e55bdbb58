"""Where a household is now and what it needs: the facts the threat picture ranks it by.

The province and district are encrypted on the case; lookups by district go through a keyed
blind-index token (``district_token``), so the database holds no clear place of any
household. Threat categories are the intake's codes (``THREAT_CATEGORY_CODES``); they,
medical needs and disability are encrypted on the case as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from safepassage.cases.models import Case
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES, Membership
from safepassage.engine.places import districts, provinces
from safepassage.protection.audit import audit_record
from safepassage.protection.blind_index import blind_digest

# The intake's threat categories (``intake.forms.THREAT_CATEGORIES``), in its order.
THREAT_CATEGORY_CODES: tuple[str, ...] = (
    "threat_letter",
    "phone_threats",
    "house_search",
    "family_attack",
    "detained",
    "other",
)

# The blind-index kind of a district token; tokens of other kinds never collide with it.
DISTRICT_TOKEN_KIND = "district"  # noqa: S105 - a blind-index kind, not a secret

HOUSEHOLD_FIELDS = (
    "current_province",
    "current_district",
    "threat_categories",
    "medical_needs",
    "disability",
)


def district_token(district_code: str) -> str:
    """The keyed token a case carries for the district it is in ("" for none)."""
    if not district_code:
        return ""
    return blind_digest(DISTRICT_TOKEN_KIND, district_code)


def district_tokens(district_codes: Iterable[str]) -> dict[str, str]:
    """Token -> district code for ``district_codes``; a token two districts share (only with
    very short configured tokens) maps to "" so callers decrypt those cases instead."""
    found: dict[str, str] = {}
    for code in district_codes:
        token = district_token(code)
        found[token] = "" if token in found and found[token] != code else code
    return found


def threat_categories_of(case: Case) -> frozenset[str]:
    return frozenset(c for c in (case.threat_categories or "").split(",") if c)


def _clean_categories(categories: Iterable[str]) -> str:
    chosen = set(categories)
    unknown = chosen - set(THREAT_CATEGORY_CODES)
    if unknown:
        raise InvalidInputError(field="threat_categories")
    return ",".join(code for code in THREAT_CATEGORY_CODES if code in chosen)


def _clean_place(province: str, district: str) -> tuple[str, str]:
    province = (province or "").strip()
    district = (district or "").strip()
    if province and province not in provinces():
        raise InvalidInputError(field="current_province")
    if district:
        place = districts().get(district)
        if place is None:
            raise InvalidInputError(field="current_district")
        if province and place.province_code != province:
            raise InvalidInputError(field="current_district")
        province = place.province_code
    return province, district


def _require_case_role(actor: Any, organization_id: int) -> None:
    if actor is None:  # the system itself (intake submission, imports, jobs)
        return
    if not actor.is_authenticated or not (
        Membership.objects.filter(
            user_id=actor.pk, organization_id=organization_id, role__in=list(CASE_ROLES)
        ).exists()
    ):
        raise NotFoundError()


def case_household_set(*, actor: Any, case: Case, data: Mapping[str, Any]) -> Case:
    """Set where the household is now and its needs from ``data`` (keys of
    ``HOUSEHOLD_FIELDS``; missing keys keep their value). The district decides the province
    when both are given and disagree: ``InvalidInputError`` (field ``current_district``).
    Unknown threat categories: ``InvalidInputError`` (field ``threat_categories``).
    Queues the case's priority to be recomputed once the change commits."""
    _require_case_role(actor, case.organization_id)
    province = data.get("current_province", case.current_province or "")
    district = data.get("current_district", case.current_district or "")
    if "current_province" in data and "current_district" not in data:
        district = ""  # a new province without a district: the old district is stale
    province, district = _clean_place(str(province or ""), str(district or ""))
    changed: list[str] = []
    if province != (case.current_province or ""):
        changed.append("current_province")
    if district != (case.current_district or ""):
        changed.append("current_district")
    case.current_province = province
    case.current_district = district
    case.current_district_token = district_token(district)
    if "threat_categories" in data:
        categories = _clean_categories(data["threat_categories"] or ())
        if categories != (case.threat_categories or ""):
            changed.append("threat_categories")
        case.threat_categories = categories
    for flag in ("medical_needs", "disability"):
        if flag in data:
            value = bool(data[flag])
            if value != getattr(case, flag):
                changed.append(flag)
            setattr(case, flag, value)
    with transaction.atomic():
        case.save(
            update_fields=[
                *HOUSEHOLD_FIELDS,
                "current_district_token",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="case.household_set",
            target=case,
            organization_id=case.organization_id,
            fields=",".join(sorted(changed)),
        )
        if changed:
            _priority_refresh_later(case)
    return case


def _priority_refresh_later(case: Case) -> None:
    """The threat app recomputes the priority once the change commits (a background job)."""
    from safepassage.threat.priority import case_priority_refresh_enqueue

    case_priority_refresh_enqueue(case_id=case.pk)


def household_from_application(
    *, threat: Mapping[str, Any], location: Mapping[str, Any]
) -> dict[str, Any]:
    """The household fields an intake application's answers give (steps "threat" and
    "location"); a place outside Afghanistan leaves province and district empty."""
    in_afghanistan = location.get("where") == "afghanistan"
    province = str(location.get("province") or "") if in_afghanistan else ""
    district = str(location.get("district") or "") if in_afghanistan else ""
    if province not in provinces():
        province = district = ""
    place = districts().get(district)
    if place is None or place.province_code != province:
        district = ""  # an answer the form no longer offers: keep the province only
    return {
        "current_province": province,
        "current_district": district,
        "threat_categories": [
            c for c in (threat.get("categories") or ()) if c in THREAT_CATEGORY_CODES
        ],
    }
