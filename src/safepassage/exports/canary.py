"""The canary of an export: one synthetic, plausible person that exists nowhere but in the
file made for one recipient, so a leaked file can be attributed to its export.

The canary is made when the export is requested and kept encrypted with the request; its
phone number is also kept as a keyed digest so a number read from a leaked file can be
looked up (``selectors.export_find_by_canary_phone``). Names come from the synthetic-data
name tables, the phone and identity numbers are drawn at random, and the case reference is a
valid reference that no case has.
"""

from __future__ import annotations

import json
import random
import secrets
from typing import Any

from django.utils.crypto import salted_hmac

from safepassage.cases.models import Case, Person
from safepassage.engine.dates import PartialDate
from safepassage.engine.identity import IdentityError, normalize_phone
from safepassage.engine.places import provinces
from safepassage.engine.reference import new_reference
from safepassage.exports.columns import PersonRow
from safepassage.synth.names import FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, Name

_AFGHAN_MOBILE_PREFIXES = ("70", "72", "73", "74", "77", "78", "79")
_DIGEST_SALT = "safepassage.exports.canary-phone"


def _pick(rng: random.Random, names: tuple[Name, ...], avoid: set[str]) -> Name:
    weights = [0.0 if n.arabic in avoid else n.weight for n in names]
    return rng.choices(names, weights=weights)[0]


def _unused_reference() -> str:
    while True:
        reference = new_reference()
        if not Case.objects.filter(reference=reference).exists():
            return reference


def _new_mobile(rng: random.Random) -> str:
    while True:
        number = f"+93{rng.choice(_AFGHAN_MOBILE_PREFIXES)}{secrets.randbelow(10_000_000):07d}"
        try:
            return normalize_phone(number)
        except IdentityError:  # pragma: no cover - every prefix above is a mobile range
            continue


def canary_new(*, stage: str, program: str, household_size: int) -> dict[str, Any]:
    """A fresh canary person's values, keyed like the export columns (codes, not labels)."""
    # Plausibility only: the seed comes from ``secrets``, nothing here is a secret.
    rng = random.Random(secrets.randbits(64))  # noqa: S311
    sex = "female" if rng.random() < 0.1 else "male"
    given = _pick(rng, FEMALE_GIVEN_NAMES if sex == "female" else MALE_GIVEN_NAMES, set())
    father = _pick(rng, MALE_GIVEN_NAMES, {given.arabic})
    year = int(rng.triangular(1960, 2002, 1987))
    birth = (
        PartialDate(year)
        if rng.random() < 0.4
        else PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    )
    province = rng.choice(sorted(provinces()))
    phone = _new_mobile(rng)
    serial = secrets.randbelow(100_000)
    tazkira = f"{rng.randint(1397, 1401)}-{rng.randint(1, 3499):04d}-{serial:05d}"
    return {
        "reference": _unused_reference(),
        "stage": stage,
        "program": program,
        "relationship": "principal",
        "sex": sex,
        "given_name_latin": given.latin[0],
        "given_name_arabic": given.arabic,
        "father_name_latin": father.latin[0],
        "father_name_arabic": father.arabic,
        "birth_date": birth.to_storage(),
        "birth_province": province,
        "phone": phone,
        "household_size": household_size,
        "tazkira_number": tazkira,
        "passport_number": f"P{secrets.randbelow(100_000_000):08d}",
    }


def canary_dumps(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def canary_loads(text: str) -> dict[str, Any]:
    loaded = json.loads(text)
    if not isinstance(loaded, dict):
        raise ValueError("a canary is a JSON object")
    return loaded


def canary_row(values: dict[str, Any]) -> PersonRow:
    """The canary as an unsaved person of an unsaved case, rendered by the same columns as
    every real row (so labels follow the language of the download, like the rest)."""
    case = Case(reference=values["reference"], stage=values["stage"], program=values["program"])
    person = Person(case=case, relationship=values["relationship"], sex=values["sex"])
    for name in (
        "given_name_latin",
        "given_name_arabic",
        "father_name_latin",
        "father_name_arabic",
        "phone",
        "tazkira_number",
        "passport_number",
        "birth_province",
    ):
        setattr(person, name, values[name])
    person.birth_date = PartialDate.from_storage(values["birth_date"])
    return PersonRow(person=person, household_size=int(values["household_size"]))


def phone_digest(phone: str) -> str:
    """Keyed digest of a phone number (E.164 when it parses), to find a canary by its phone
    without keeping the number in clear."""
    text = phone.strip().lstrip("'")
    try:
        normalized = normalize_phone(text)
    except IdentityError:
        normalized = text
    return salted_hmac(_DIGEST_SALT, normalized, algorithm="sha256").hexdigest()
