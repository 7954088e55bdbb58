"""Synthetic employment histories of principal applicants (1-3 jobs between October 2001 and
August 2021, possibly overlapping or with gaps), the program they point to, and how a second
application restates them."""

from __future__ import annotations

import bisect
import itertools
import random

from safepassage.engine.dates import Calendar, PartialDate
from safepassage.synth import attributes
from safepassage.synth.employers import (
    EMPLOYER_KINDS,
    EMPLOYERS,
    INTERPRETER_ROLES,
    US_SUPERVISOR_FIRST_NAMES,
    US_SUPERVISOR_LAST_NAMES,
    Employer,
    badge_prefix,
)
from safepassage.synth.places import Province, pick_province
from safepassage.synth.records import SynthEmployment

__all__ = ["employment_history", "program_for", "restated_employment"]

_FIRST_MONTH = 2001 * 12 + 9  # October 2001: the SIV employment window opens on 2001-10-07
_LAST_MONTH = 2021 * 12 + 7  # August 2021: the evacuation
_LATEST_START = 2020 * 12 + 5

# Relative frequency of each kind of employer in a principal's first job (an assumption for
# test data: interpreters for the military and contractors dominate the SIV pipeline).
_KIND_WEIGHTS: dict[str, float] = {
    "us_military": 28.0,
    "us_government_contractor": 25.0,
    "us_government_agency": 10.0,
    "isaf_member_force": 12.0,
    "us_funded_grantee": 10.0,
    "us_based_media": 5.0,
    "us_based_ngo": 6.0,
    "other": 4.0,
}
_KINDS = EMPLOYER_KINDS
_KIND_CUMULATIVE = tuple(itertools.accumulate(_KIND_WEIGHTS[kind] for kind in _KINDS))
_EMPLOYERS_BY_KIND: dict[str, tuple[Employer, ...]] = {
    kind: tuple(employer for employer in EMPLOYERS if employer.kind == kind) for kind in _KINDS
}
_EMPLOYER_BY_NAME: dict[str, Employer] = {
    name: employer for employer in EMPLOYERS for name in employer.names
}
_BADGED_KINDS = frozenset(
    {"us_military", "us_government_contractor", "isaf_member_force", "us_government_agency"}
)
_SIV_KINDS = _BADGED_KINDS
_P2_KINDS = frozenset({"us_funded_grantee", "us_based_media", "us_based_ngo"})


def _pick_kind(rng: random.Random) -> str:
    index = bisect.bisect(_KIND_CUMULATIVE, rng.random() * _KIND_CUMULATIVE[-1])
    return _KINDS[min(index, len(_KINDS) - 1)]


def _supervisor(rng: random.Random, employer: Employer) -> tuple[str, str]:
    if rng.random() < 0.2:
        return "", ""
    if employer.supervisors:
        name = rng.choice(employer.supervisors)
    else:
        first = rng.choice(US_SUPERVISOR_FIRST_NAMES)
        name = f"{first} {rng.choice(US_SUPERVISOR_LAST_NAMES)}"
    email = ""
    if rng.random() < 0.6:
        local = ".".join(part.lower().replace("'", "") for part in name.split(" "))
        email = f"{local}@{employer.email_domain}"
    return name, email


def _job(
    rng: random.Random, employer: Employer, start: int, end: int | None, home: Province
) -> SynthEmployment:
    role = rng.choice(employer.roles)
    interpreter = role in INTERPRETER_ROLES
    military = employer.kind in ("us_military", "isaf_member_force")
    sensitive = (
        interpreter
        or role == "Cultural advisor"
        or (military and rng.random() < 0.3)
        or rng.random() < 0.05
    )
    if employer.provinces and rng.random() < 0.8:
        location = rng.choice(employer.provinces)
    else:
        location = home.code if rng.random() < 0.5 else pick_province(rng).code
    supervisor_name, supervisor_email = _supervisor(rng, employer)
    badge = ""
    if rng.random() < (0.6 if employer.kind in _BADGED_KINDS else 0.15):
        badge = f"{badge_prefix(location)}-{rng.randrange(1_000_000):06d}"
    return SynthEmployment(
        employer_name=employer.names[0] if rng.random() < 0.7 else rng.choice(employer.names),
        employer_kind=employer.kind,
        role=role,
        interpreter=interpreter,
        sensitive_and_trusted=sensitive,
        start_date=attributes.partial_date_from_month(rng, start),
        end_date=None if end is None else attributes.partial_date_from_month(rng, end),
        location_province=location,
        supervisor_name=supervisor_name,
        supervisor_email=supervisor_email,
        badge_number=badge,
    )


def employment_history(
    rng: random.Random, *, birth_year: int, home: Province
) -> tuple[SynthEmployment, ...]:
    """One to three jobs of a principal born in ``birth_year``, in order of start: each starts
    after the principal turned 18 and from October 2001, ends by August 2021, lasts 1 month to
    8 years, and the next one starts up to 6 months before (overlap) or 18 months after (gap)
    the previous one ends. A last job running into 2021 may have no end date."""
    draw = rng.random()
    count = 1 if draw < 0.55 else 2 if draw < 0.88 else 3
    earliest = min(max(_FIRST_MONTH, (birth_year + 18) * 12), _LATEST_START)
    start = rng.randint(earliest, _LATEST_START)
    first_kind = _pick_kind(rng)
    jobs: list[SynthEmployment] = []
    for index in range(count):
        kind = first_kind if index == 0 or rng.random() < 0.5 else _pick_kind(rng)
        employer = rng.choice(_EMPLOYERS_BY_KIND[kind])
        months = rng.randint(1, 11) if rng.random() < 0.2 else rng.randint(12, 96)
        end = min(start + months, _LAST_MONTH)
        open_ended = end >= _LAST_MONTH - 8 and rng.random() < 0.3
        jobs.append(_job(rng, employer, start, None if open_ended else end, home))
        start = max(end + rng.randint(-6, 18), start + 1)
        if open_ended or start >= _LAST_MONTH - 1:
            break
    return tuple(jobs)


def _share(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    for value, share in shares:
        draw -= share
        if draw < 0:
            return value
    return shares[-1][0]


# Programs a case is filed under, by the kinds of work the principal did (assumed shares).
_PROGRAMS_FOR_SIV_WORK = (("siv", 0.72), ("p2", 0.14), ("p1", 0.02), ("undetermined", 0.12))
_PROGRAMS_FOR_P2_WORK = (("p2", 0.75), ("p1", 0.05), ("siv", 0.02), ("undetermined", 0.18))
_PROGRAMS_FOR_OTHER_WORK = (("undetermined", 0.6), ("p1", 0.25), ("p2", 0.15))


def program_for(rng: random.Random, employment: tuple[SynthEmployment, ...]) -> str:
    """The program a case is filed under given the principal's jobs: mostly SIV for work for
    the US government, its forces, contractors and ISAF; mostly P-2 for US-funded grantees,
    US media and NGOs; otherwise often undetermined."""
    kinds = {job.employer_kind for job in employment}
    if kinds & _SIV_KINDS:
        return _share(rng, _PROGRAMS_FOR_SIV_WORK)
    if kinds & _P2_KINDS:
        return _share(rng, _PROGRAMS_FOR_P2_WORK)
    return _share(rng, _PROGRAMS_FOR_OTHER_WORK)


def _coarser(date: PartialDate, rng: random.Random) -> PartialDate:
    """The same date with the day dropped, or (Gregorian) another day of the same month."""
    if date.day is None or date.month is None:
        return date
    if date.calendar == Calendar.GREGORIAN and rng.random() < 0.5:
        day = rng.randint(1, attributes.gregorian_days_in_month(date.year, date.month))
        return PartialDate(date.year, date.month, day, date.calendar, date.approximate)
    return PartialDate(date.year, date.month, None, date.calendar, date.approximate)


def restated_employment(
    rng: random.Random, employment: tuple[SynthEmployment, ...]
) -> tuple[SynthEmployment, ...]:
    """The jobs as a second application states them: sometimes one job left out, the employer
    called by another of its names, another interpreter title, a day dropped or misremembered,
    no supervisor or badge."""
    jobs = list(employment)
    if len(jobs) > 1 and rng.random() < 0.15:
        del jobs[rng.randrange(len(jobs))]
    restated = []
    for job in jobs:
        employer = _EMPLOYER_BY_NAME.get(job.employer_name)
        name = job.employer_name
        if employer is not None and len(employer.names) > 1 and rng.random() < 0.4:
            name = rng.choice([other for other in employer.names if other != name])
        role = job.role
        if job.interpreter and rng.random() < 0.2:
            role = rng.choice([other for other in sorted(INTERPRETER_ROLES) if other != role])
        start, end = job.start_date, job.end_date
        if rng.random() < 0.2:
            start = _coarser(start, rng)
        if end is not None and rng.random() < 0.2:
            end = _coarser(end, rng)
        supervisor_name, supervisor_email = job.supervisor_name, job.supervisor_email
        if rng.random() < 0.2:
            supervisor_name = supervisor_email = ""
        restated.append(
            SynthEmployment(
                employer_name=name,
                employer_kind=job.employer_kind,
                role=role,
                interpreter=job.interpreter,
                sensitive_and_trusted=job.sensitive_and_trusted,
                start_date=start,
                end_date=end,
                location_province=job.location_province,
                supervisor_name=supervisor_name,
                supervisor_email=supervisor_email,
                badge_number="" if rng.random() < 0.3 else job.badge_number,
            )
        )
    return tuple(restated)
