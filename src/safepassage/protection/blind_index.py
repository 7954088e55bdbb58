"""Search without clear text: blind indexes, i.e. keyed hashes (HMAC-SHA256) of normalised
values, truncated on purpose.

What is indexed: the e-tazkira number, the paper tazkira's volume/page/registration, the
passport number, the phone (E.164), and the name keys of the given, father's and family
names in either script (``engine.names`` decides which spellings are the same name).

Leakage trade-off, and the bit lengths chosen:
- Without the index secret (kept by the key provider, never in the database) a token reveals
  no value: a stolen database allows no dictionary attack on phones or identity numbers.
- Equal tokens do show that records share a value (a phone used by a whole family), and the
  most frequent name tokens are very likely the most common names: frequency analysis is
  possible on names even without the secret. That is inherent to equality search.
- Truncation limits what someone who ALSO took the index secret learns. Identity numbers and
  phones use 24 bits (16.7 million buckets): the ~10^8 possible Afghan mobile numbers fall
  about six to a bucket, so a token does not pin down one number, while with a million
  people a lookup meets about 0.06 unrelated records by chance, removed after decryption.
  Name keys use 16 bits: there are only a few thousand common name keys, so truncation gives
  names no protection against a holder of the secret — their tokens exist for recall
  (finding every spelling), not secrecy; every match is confirmed after decryption.
Bit lengths are settings (``BLIND_INDEX_BITS``); changing them, or the name-key version in
``engine.names``, requires rebuilding the tokens: ``safepassage reindex``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from safepassage.engine import identity
from safepassage.engine.dates import to_latin_digits
from safepassage.protection import keys

NAME_KINDS = ("given_name", "father_name", "family_name")
IDENTITY_KINDS = ("tazkira", "passport", "phone")


def _bits(kind: str) -> int:
    configured: dict[str, int] = settings.BLIND_INDEX_BITS
    return configured["name"] if kind in NAME_KINDS else configured["identity"]


def blind_digest(kind: str, normalized: str) -> str:
    """The token of a normalised value of ``kind`` (hex, truncated to the kind's bits)."""
    secret = keys.provider().index_secret()
    mac = hmac.new(secret, f"{kind}\x00{normalized}".encode(), hashlib.sha256).digest()
    bits = _bits(kind)
    value = int.from_bytes(mac[:8], "big") >> (64 - bits)
    return f"{value:0{(bits + 3) // 4}x}"


def normalized_identity(kind: str, raw: str) -> str | None:
    """The canonical form of an identity value as typed, or None if it is not readable."""
    if not raw or not raw.strip():
        return None
    try:
        if kind == "phone":
            return identity.normalize_phone(raw)
        if kind == "passport":
            return identity.normalize_passport_number(raw)
        if kind == "tazkira":
            text = to_latin_digits(raw).strip()
            if "/" in text:
                volume, page, registration = (part.strip() for part in text.split("/", 2))
                parts = identity.validate_paper_tazkira(volume, page, registration)
                return "/".join(parts)
            return identity.normalize_etazkira_number(text)
    except (identity.IdentityError, ValueError):
        return None
    return None


def name_tokens_of(kind: str, *names: str | None) -> set[tuple[str, str]]:
    from safepassage.engine.names import name_keys

    tokens: set[tuple[str, str]] = set()
    for name in names:
        if name:
            for key in name_keys(name):
                if key:
                    tokens.add((kind, blind_digest(kind, key)))
    return tokens


def person_tokens(person: Any) -> set[tuple[str, str]]:
    """Every (kind, token) a person can be found under."""
    tokens: set[tuple[str, str]] = set()
    if person.tazkira_kind == "electronic" and person.tazkira_number:
        tokens.add(("tazkira", blind_digest("tazkira", person.tazkira_number)))
    elif person.tazkira_kind == "paper" and person.tazkira_registration:
        paper = f"{person.tazkira_volume}/{person.tazkira_page}/{person.tazkira_registration}"
        normalized = normalized_identity("tazkira", paper)
        if normalized:
            tokens.add(("tazkira", blind_digest("tazkira", normalized)))
    if person.passport_number:
        tokens.add(("passport", blind_digest("passport", person.passport_number)))
    if person.phone:
        tokens.add(("phone", blind_digest("phone", person.phone)))
    tokens |= name_tokens_of("given_name", person.given_name_latin, person.given_name_arabic)
    tokens |= name_tokens_of("father_name", person.father_name_latin, person.father_name_arabic)
    tokens |= name_tokens_of("family_name", person.family_name_latin, person.family_name_arabic)
    return tokens


def index_people(people: Iterable[Any], *, replace: bool = True) -> int:
    """(Re)write the search tokens of ``people``; returns how many tokens were written."""
    from safepassage.protection.crypto import benchmark_audit_off
    from safepassage.protection.models import SearchToken

    if benchmark_audit_off():
        return 0
    people = list(people)
    if replace:
        SearchToken.objects.filter(person_id__in=[p.pk for p in people]).delete()
    rows = [
        SearchToken(person_id=person.pk, case_id=person.case_id, kind=kind, digest=digest)
        for person in people
        for kind, digest in person_tokens(person)
    ]
    SearchToken.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
