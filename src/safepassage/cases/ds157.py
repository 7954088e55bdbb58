"""The principal applicant's DS-157 data: its checks, its completeness, and its layout in the
DS-157's order for the COM package.

The DS-157 questions the case already answers (names, birth, identity documents, contact,
employment) are read from Person and Employment; the rest is kept in ``Ds157Data``. The
section order follows the DS-157's (personal data, addresses, travel, organisations, skills,
military service, clan or tribe, languages, employment, education); *verify* it against the
edition of the form the National Visa Center uses when the form changes. The DS-157 is filled
in Latin letters, so free text is refused when it cannot be written in them (Latin-1).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from safepassage.cases.models import (
    DS157_ANSWER_FIELDS,
    DS157_LIST_FIELDS,
    DS157_TEXT_FIELDS,
    Case,
    Ds157Data,
    Employment,
    Person,
    Relationship,
)
from safepassage.core.errors import InvalidInputError, NotFoundError
from safepassage.core.models import CASE_ROLES
from safepassage.core.selectors import role_in
from safepassage.engine.dates import (
    Calendar,
    PartialDateError,
    parse_partial_date,
    to_latin_digits,
)
from safepassage.protection.audit import audit_record

Actor = AbstractBaseUser | AnonymousUser | None

YES, NO = "yes", "no"
ANSWER_CHOICES = [(YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))]

# Lists of entries with several parts, and how many a form offers (the DS-157 asks for the
# last five years of travel and every military service and school after primary school).
ENTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries_visited": ("country", "from_date", "to_date", "purpose"),
    "military_service": ("country", "branch", "rank", "specialty", "from_date", "to_date"),
    "education": ("institution", "address", "course", "from_date", "to_date"),
}
ENTRY_SLOTS = {"countries_visited": 8, "military_service": 3, "education": 4}
# Parts an entry cannot do without (the others may be unknown).
ENTRY_REQUIRED = {
    "countries_visited": ("country",),
    "military_service": ("country", "branch"),
    "education": ("institution",),
}
COLUMN_LABELS: dict[str, StrOrPromise] = {
    "country": gettext_lazy("country"),
    "from_date": pgettext_lazy("start of a period", "from"),
    "to_date": pgettext_lazy("end of a period", "to"),
    "purpose": gettext_lazy("purpose"),
    "branch": gettext_lazy("branch of service"),
    "rank": gettext_lazy("rank or position"),
    "specialty": gettext_lazy("military specialty"),
    "institution": gettext_lazy("school or institution"),
    "address": gettext_lazy("address"),
    "course": gettext_lazy("course of study"),
}
# Lists of single lines (one name, address, organisation or language a line).
LINE_LISTS = ("other_names", "previous_addresses", "organizations", "languages")
DATE_COLUMNS = ("from_date", "to_date")

# Section codes, in the DS-157's order; ``ds157_missing`` returns some of them.
SECTIONS: dict[str, StrOrPromise] = {
    "principal": gettext_lazy("Principal applicant"),
    "principal_name": gettext_lazy("Name as on the passport (or in Latin letters)"),
    "birth_date": gettext_lazy("Date of birth"),
    "birth_place": gettext_lazy("Place of birth"),
    "identity_document": gettext_lazy("Tazkira or passport number"),
    "other_names": gettext_lazy("Other names used"),
    "address": gettext_lazy("Present home address"),
    "travel": gettext_lazy("Countries visited in the last five years"),
    "organizations": gettext_lazy("Membership of organisations"),
    "skills": gettext_lazy("Specialised skills or training"),
    "military": gettext_lazy("Military service"),
    "clan_tribe": gettext_lazy("Clan or tribe"),
    "languages": gettext_lazy("Languages spoken"),
    "employment": gettext_lazy("Employment by or for the US government"),
    "education": gettext_lazy("Education"),
}


def entry_field_name(list_name: str, index: int, column: str) -> str:
    """The form field (and error key) of part ``column`` of entry ``index`` (0-based)."""
    return f"{list_name}_{index + 1}_{column}"


# -- reading ----------------------------------------------------------------------------------


def _principal(case: Case) -> Person | None:
    return case.people.filter(relationship=Relationship.PRINCIPAL).first()


def ds157_data_for(*, case: Case) -> Ds157Data | None:
    """The case's DS-157 answers, or None before anyone filled them in. The caller already
    reached ``case`` through a scoped selector."""
    return Ds157Data.objects.filter(case=case).first()


def _loaded(text: str | None) -> list[Any]:
    if not text:
        return []
    value = json.loads(text)
    return value if isinstance(value, list) else []


def ds157_values(record: Ds157Data | None) -> dict[str, Any]:
    """The answers as plain values: text for answers, lists for lists ("" and [] if none)."""
    values: dict[str, Any] = {}
    for name in DS157_ANSWER_FIELDS + DS157_TEXT_FIELDS:
        values[name] = (getattr(record, name) or "") if record is not None else ""
    for name in DS157_LIST_FIELDS:
        values[name] = _loaded(getattr(record, name)) if record is not None else []
    return values


# -- completeness -----------------------------------------------------------------------------


def _list_section_missing(answer: str, entries: Sequence[Any]) -> bool:
    return answer not in (YES, NO) or (answer == YES and not entries)


def ds157_missing(*, case: Case) -> list[str]:
    """Codes (keys of ``SECTIONS``, in the DS-157's order) of what the principal applicant's
    DS-157 still lacks, from the case's people and employment and the DS-157 answers."""
    principal = _principal(case)
    if principal is None:
        return list(SECTIONS)
    missing: list[str] = []
    if not (principal.name_on_passport or principal.given_name_latin):
        missing.append("principal_name")
    if principal.birth_date is None:
        missing.append("birth_date")
    if not principal.birth_province:
        missing.append("birth_place")
    identity_numbers = (
        principal.passport_number,
        principal.tazkira_number,
        principal.tazkira_registration,
    )
    if not any(identity_numbers):
        missing.append("identity_document")
    values = ds157_values(Ds157Data.objects.filter(case=case, person=principal).first())
    if _list_section_missing(values["other_names_answer"], values["other_names"]):
        missing.append("other_names")
    if not values["current_address"]:
        missing.append("address")
    if _list_section_missing(values["travel_answer"], values["countries_visited"]):
        missing.append("travel")
    if _list_section_missing(values["organizations_answer"], values["organizations"]):
        missing.append("organizations")
    skills = [values["skills_firearms"], values["skills_explosives"], values["skills_nbc"]]
    if any(answer not in (YES, NO) for answer in skills) or (
        YES in skills and not values["skills_explanation"]
    ):
        missing.append("skills")
    if _list_section_missing(values["military_answer"], values["military_service"]):
        missing.append("military")
    if values["clan_tribe_answer"] not in (YES, NO) or (
        values["clan_tribe_answer"] == YES and not values["clan_tribe"]
    ):
        missing.append("clan_tribe")
    if not values["languages"]:
        missing.append("languages")
    if not Employment.objects.filter(case=case, person=principal).exists():
        missing.append("employment")
    if _list_section_missing(values["education_answer"], values["education"]):
        missing.append("education")
    return missing


def ds157_is_complete(*, case: Case) -> bool:
    """Whether the principal applicant's DS-157 data is complete enough to submit the COM
    application (the guard of the "COM submitted" stage)."""
    return not ds157_missing(case=case)


# -- checking what a caseworker typed ---------------------------------------------------------


def _latin(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _text(value: Any) -> str:
    """One line of text, spaces collapsed, Eastern Arabic digits as 0-9."""
    return to_latin_digits(" ".join(str(value or "").split()))


def _check_date(value: str, key: str, errors: dict[str, list[str]]) -> str:
    if not value:
        return ""
    try:
        return str(parse_partial_date(to_latin_digits(value), Calendar.GREGORIAN))
    except PartialDateError:
        errors.setdefault(key, []).append(
            _("Write a Gregorian date: year, year-month or year-month-day (2010-03).")
        )
        return value


def ds157_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` (answers, texts and lists as ``ds157_values`` returns them) checked and
    normalised. Unanswered questions are allowed (the form may be saved half done); what is
    given must be consistent.

    Raises InvalidInputError whose ``errors`` are keyed by form field: a yes/no answer that
    is neither, entries under a "No", text not in Latin letters, a date that cannot be read
    or ends before it starts, an entry without its required parts.
    """
    errors: dict[str, list[str]] = {}
    latin_message = _("Write this in Latin letters, as the DS-157 is filled in.")
    clean: dict[str, Any] = {}
    for name in DS157_ANSWER_FIELDS:
        answer = str(data.get(name) or "").strip()
        if answer not in ("", YES, NO):
            errors.setdefault(name, []).append(_("Answer yes or no."))
        clean[name] = answer
    for name in DS157_TEXT_FIELDS:
        text = to_latin_digits(str(data.get(name) or "").strip())
        if not _latin(text):
            errors.setdefault(name, []).append(latin_message)
        clean[name] = text
    for name in LINE_LISTS:
        raw = data.get(name) or []
        lines = [_text(line) for line in (raw.splitlines() if isinstance(raw, str) else raw)]
        lines = [line for line in lines if line]
        if not all(_latin(line) for line in lines):
            errors.setdefault(name, []).append(latin_message)
        clean[name] = lines
    for name, columns in ENTRY_COLUMNS.items():
        entries: list[dict[str, str]] = []
        for index, raw_entry in enumerate(data.get(name) or []):
            entry = {column: _text(raw_entry.get(column)) for column in columns}
            if not any(entry.values()):
                continue
            for column in columns:
                key = entry_field_name(name, index, column)
                if not _latin(entry[column]):
                    errors.setdefault(key, []).append(latin_message)
                if column in DATE_COLUMNS:
                    entry[column] = _check_date(entry[column], key, errors)
            for column in ENTRY_REQUIRED[name]:
                if not entry[column]:
                    errors.setdefault(entry_field_name(name, index, column), []).append(
                        _("Required when the other parts of this line are filled in.")
                    )
            _check_order(entry, entry_field_name(name, index, "to_date"), errors)
            entries.append(entry)
        clean[name] = entries
    pairs = (
        ("other_names_answer", "other_names"),
        ("travel_answer", "countries_visited"),
        ("organizations_answer", "organizations"),
        ("military_answer", "military_service"),
        ("education_answer", "education"),
    )
    for answer_name, list_name in pairs:
        if clean[answer_name] == NO and clean[list_name]:
            errors.setdefault(answer_name, []).append(
                _("You answered No but listed entries: remove them or answer Yes.")
            )
    if clean["clan_tribe_answer"] == NO and clean["clan_tribe"]:
        errors.setdefault("clan_tribe_answer", []).append(
            _("You answered No but named a clan or tribe: remove it or answer Yes.")
        )
    if errors:
        raise InvalidInputError(errors=errors)
    return clean


def _check_order(entry: Mapping[str, str], key: str, errors: dict[str, list[str]]) -> None:
    start, end = entry.get("from_date", ""), entry.get("to_date", "")
    if not start or not end or key in errors:
        return
    try:
        first = parse_partial_date(to_latin_digits(start), Calendar.GREGORIAN).gregorian_range()[0]
        last = parse_partial_date(to_latin_digits(end), Calendar.GREGORIAN).gregorian_range()[1]
    except PartialDateError:
        return
    if last < first:
        errors.setdefault(key, []).append(_("The end is before the start."))


# -- writing ----------------------------------------------------------------------------------


@transaction.atomic
def ds157_save(*, actor: Actor, case: Case, data: Mapping[str, Any]) -> Ds157Data:
    """Record the principal applicant's DS-157 answers (all of them, as the form sends them).

    Only a caseworker, supervisor or administrator of the case's organisation. Raises
    NotFoundError (no such role, or no principal) and InvalidInputError (see
    ``ds157_clean``). The audit event names the sections changed and the completeness, never
    a value.
    """
    if actor is not None:
        role = role_in(user=actor, organization_id=case.organization_id)
        if role not in CASE_ROLES:
            raise NotFoundError()
    principal = _principal(case)
    if principal is None:
        raise NotFoundError()
    clean = ds157_clean(data)
    record = Ds157Data.objects.select_for_update().filter(case=case).first()
    adding = record is None
    if record is None:
        record = Ds157Data(case=case, person=principal)
    before = ds157_values(None if adding else record)
    changed = sorted(name for name in clean if clean[name] != before[name])
    for name in DS157_ANSWER_FIELDS + DS157_TEXT_FIELDS:
        setattr(record, name, clean[name])
    for name in DS157_LIST_FIELDS:
        setattr(record, name, json.dumps(clean[name], ensure_ascii=False) if clean[name] else "")
    record.updated_by = actor if isinstance(actor, User) and actor.is_authenticated else None
    record.save()
    missing = ds157_missing(case=case)
    audit_record(
        actor=actor,
        action="ds157.save",
        target=record,
        organization_id=case.organization_id,
        case=str(case.pk),
        fields=",".join(changed),
        missing=len(missing),
        complete=not missing,
    )
    return record


# -- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ds157Section:
    """One DS-157 section as printed: a title and label/value rows (values in Latin letters
    as typed; "" where nothing is known)."""

    code: str
    title: str
    rows: list[tuple[str, str]]


def _answer_label(answer: str) -> str:
    return {YES: _("Yes"), NO: _("No")}.get(answer, _("(not answered)"))


def _entry_line(entry: Mapping[str, str], columns: Sequence[str]) -> str:
    return "; ".join(
        f"{COLUMN_LABELS[column]}: {entry[column]}" for column in columns if entry.get(column)
    )


def _list_rows(
    label: str, answer: str, entries: Sequence[Any], columns: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    rows = [(label, _answer_label(answer))]
    for number, entry in enumerate(entries, start=1):
        text = entry if isinstance(entry, str) else _entry_line(entry, columns or ())
        rows.append((f"  {number}.", text))
    return rows


def ds157_layout(*, case: Case) -> list[Ds157Section]:
    """The principal applicant's DS-157 data, section by section in the DS-157's order."""
    from safepassage.engine.places import provinces

    principal = _principal(case)
    if principal is None:
        return []
    values = ds157_values(Ds157Data.objects.filter(case=case, person=principal).first())
    province = provinces().get(principal.birth_province) if principal.birth_province else None
    birth_place = province.name("en") if province is not None else ""
    sections = [
        Ds157Section(
            "principal",
            _("Personal data"),
            [
                (_("Name as on the passport"), principal.name_on_passport or ""),
                (_("Given name"), principal.given_name_latin or ""),
                (_("Family or tribal name"), principal.family_name_latin or ""),
                (_("Father's name"), principal.father_name_latin or ""),
                (_("Grandfather's name"), principal.grandfather_name_latin or ""),
                (_("Sex"), str(principal.get_sex_display())),
                (_("Date of birth"), str(principal.birth_date or "")),
                (_("Place of birth"), ", ".join(p for p in (birth_place, "Afghanistan") if p)),
                (_("Tazkira"), _tazkira_line(principal)),
                (_("Passport number"), principal.passport_number or ""),
                (_("Passport expiry date"), str(principal.passport_expiry or "")),
                *_list_rows(
                    _("Other names used"), values["other_names_answer"], values["other_names"]
                ),
            ],
        ),
        Ds157Section(
            "address",
            _("Address and telephone"),
            [
                (_("Present home address"), values["current_address"]),
                (_("Telephone"), principal.phone or ""),
                (_("Email"), principal.email or ""),
                *[(_("Previous address"), line) for line in values["previous_addresses"]],
            ],
        ),
        Ds157Section(
            "travel",
            _("Countries visited in the last five years"),
            _list_rows(
                _("Visited other countries"),
                values["travel_answer"],
                values["countries_visited"],
                ENTRY_COLUMNS["countries_visited"],
            ),
        ),
        Ds157Section(
            "organizations",
            _("Organisations"),
            _list_rows(
                _("Belonged to, contributed to or worked for an organisation"),
                values["organizations_answer"],
                values["organizations"],
            ),
        ),
        Ds157Section(
            "skills",
            _("Specialised skills or training"),
            [
                (_("Firearms"), _answer_label(values["skills_firearms"])),
                (_("Explosives"), _answer_label(values["skills_explosives"])),
                (_("Nuclear, biological or chemical"), _answer_label(values["skills_nbc"])),
                (_("Explanation"), values["skills_explanation"]),
            ],
        ),
        Ds157Section(
            "military",
            _("Military service"),
            _list_rows(
                _("Served in the military"),
                values["military_answer"],
                values["military_service"],
                ENTRY_COLUMNS["military_service"],
            ),
        ),
        Ds157Section(
            "clan_tribe",
            _("Clan or tribe"),
            [
                (_("Belongs to a clan or tribe"), _answer_label(values["clan_tribe_answer"])),
                (_("Clan or tribe"), values["clan_tribe"]),
            ],
        ),
        Ds157Section(
            "languages",
            _("Languages spoken"),
            [(_("Language"), line) for line in values["languages"]],
        ),
        Ds157Section("employment", _("Employment"), _employment_rows(case, principal)),
        Ds157Section(
            "education",
            _("Education"),
            _list_rows(
                _("Attended schools beyond primary school"),
                values["education_answer"],
                values["education"],
                ENTRY_COLUMNS["education"],
            ),
        ),
    ]
    return sections


def _tazkira_line(person: Person) -> str:
    if not person.tazkira_kind:
        return ""
    parts = [str(person.get_tazkira_kind_display())]
    if person.tazkira_number:
        number = _("number")
        parts.append(f"{number} {person.tazkira_number}")
    for label, value in (
        (_("volume"), person.tazkira_volume),
        (_("page"), person.tazkira_page),
        (_("registration"), person.tazkira_registration),
    ):
        if value:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def _employment_rows(case: Case, principal: Person) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    jobs = Employment.objects.filter(case=case, person=principal).order_by("created_at")
    for number, job in enumerate(jobs, start=1):
        end = str(job.end_date) if job.end_date else _("to date")
        parts = [
            job.employer_name or "",
            str(job.get_employer_kind_display()),
            job.role or "",
            f"{job.start_date or '?'} - {end}",
            job.location_detail or "",
            f"{_('supervisor')}: {job.supervisor_name}" if job.supervisor_name else "",
        ]
        rows.append((f"{number}.", "; ".join(part for part in parts if part)))
    return rows
