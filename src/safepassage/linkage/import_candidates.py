"""Candidate retrieval for imported rows through the blind indexes of the protection layer:
the people of the organisation who share an identity number or phone with a row, or its
given name together with its father's or family name (any spelling the name keys treat as
one, in either script). Only those people are read and decrypted, so an import costs in
proportion to the file, not to the organisation.

The rules mirror the engine's blocking keys (:data:`safepassage.engine.linkage.BLOCKING_RULES`)
as far as the indexes allow: tazkira, passport and phone; given + father's name (a father's
name written in the family-name slot counts for it); and, for a row that has no second name at
all, the given name alone. A name lookup that returns more than :data:`MAX_NAME_CANDIDATES`
people is skipped, as the engine skips an oversized block; identity lookups are never capped.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from safepassage.cases.models import Person
from safepassage.engine.linkage import PersonRecord
from safepassage.linkage.records import person_record
from safepassage.protection import blind_index, keys
from safepassage.protection.models import SearchToken

MAX_NAME_CANDIDATES = 1000
QUERY_CHUNK = 500
"""Values per ``IN (...)`` (SQLite allows a limited number of query parameters)."""

Token = tuple[str, str]


@dataclass(frozen=True, slots=True)
class RowTokens:
    """The tokens a row is looked up under, by role."""

    identity: frozenset[Token]
    given: frozenset[Token]
    second: frozenset[Token]
    phone: Token | None


def row_tokens(data: dict[str, Any]) -> RowTokens:
    """The tokens of a row's person values (``cases.models.PERSON_FIELDS``, validated)."""
    return person_tokens(Person(**data))


def person_tokens(person: Person) -> RowTokens:
    """The tokens a person (stored or not) is looked up under."""
    every = blind_index.person_tokens(person)
    second_names = (
        person.father_name_latin,
        person.father_name_arabic,
        person.family_name_latin,
        person.family_name_arabic,
    )
    second = blind_index.name_tokens_of("father_name", *second_names)
    second |= blind_index.name_tokens_of("family_name", *second_names)
    phone = next((token for token in every if token[0] == "phone"), None)
    return RowTokens(
        identity=frozenset(t for t in every if t[0] in blind_index.IDENTITY_KINDS),
        given=frozenset(t for t in every if t[0] == "given_name"),
        second=frozenset(second),
        phone=phone,
    )


def _chunks(values: Sequence[Any], size: int = QUERY_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _holders(organization_id: int, tokens: Iterable[Token]) -> dict[Token, set[uuid.UUID]]:
    """Token -> the people of the organisation's live cases filed under it."""
    wanted = set(tokens)
    holders: dict[Token, set[uuid.UUID]] = defaultdict(set)
    digests = sorted({digest for _kind, digest in wanted})
    for chunk in _chunks(digests):
        found = SearchToken.objects.filter(
            case__organization_id=organization_id,
            case__erased_at__isnull=True,
            digest__in=list(chunk),
        ).values_list("person_id", "kind", "digest")
        for person_id, kind, digest in found:
            if (kind, digest) in wanted:
                holders[(kind, digest)].add(person_id)
    return holders


def _union(holders: dict[Token, set[uuid.UUID]], tokens: Iterable[Token]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for token in tokens:
        found |= holders.get(token, set())
    return found


@dataclass(frozen=True, slots=True)
class Candidates:
    """Each row's candidate records, and how many stored people hold each row's phone."""

    by_row: dict[str, list[PersonRecord]]
    phone_counts: Counter[str]
    skipped_name_lookups: int


def candidates_for(
    organization_id: int, rows: dict[str, tuple[PersonRecord, RowTokens]]
) -> Candidates:
    """The stored people each row (by record id) should be scored against, read and
    decrypted in one pass (their cases' data keys unwrapped together)."""
    holders = _holders(
        organization_id,
        (
            token
            for _record, tokens in rows.values()
            for token in (*tokens.identity, *tokens.given, *tokens.second)
        ),
    )
    wanted: dict[str, set[uuid.UUID]] = {}
    skipped = 0
    for record_id, (_record, tokens) in rows.items():
        found = _union(holders, tokens.identity)
        given = _union(holders, tokens.given)
        by_name = given & _union(holders, tokens.second) if tokens.second else given
        if len(by_name) > MAX_NAME_CANDIDATES:
            skipped += 1
        else:
            found |= by_name
        wanted[record_id] = found
    people = _people({person for found in wanted.values() for person in found})
    in_file = Counter(record.phone for record, _tokens in rows.values() if record.phone)
    phone_counts: Counter[str] = Counter()
    for record, tokens in rows.values():
        if tokens.phone is not None and record.phone:
            # the stored holders of the number, plus the rows of the file that give it
            phone_counts[record.phone] = len(holders.get(tokens.phone, ())) + in_file[record.phone]
    return Candidates(
        by_row={
            record_id: [people[person] for person in sorted(found) if person in people]
            for record_id, found in wanted.items()
        },
        phone_counts=phone_counts,
        skipped_name_lookups=skipped,
    )


def _people(person_ids: set[uuid.UUID]) -> dict[uuid.UUID, PersonRecord]:
    records: dict[uuid.UUID, PersonRecord] = {}
    ordered = sorted(person_ids)
    for chunk in _chunks(ordered):
        people = list(Person.objects.filter(pk__in=list(chunk), case__erased_at__isnull=True))
        keys.load_scopes({person.case_id for person in people})
        for person in people:
            records[person.pk] = person_record(person)
    return records
