"""The demo people's names, phones and identity numbers are nowhere in clear in the
database: not in any table (read with raw SQL, bypassing the ORM) and, on SQLite, not in
the raw bytes of the database file."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from safepassage.cases.demo import demo_create
from safepassage.cases.models import Person
from safepassage.synth import generate_households

SEED = 7
HOUSEHOLDS = 15


def _secrets() -> set[str]:
    found: set[str] = set()
    for household in generate_households(HOUSEHOLDS, seed=SEED):
        for person in household.people:
            for value in (
                person.given_name_latin,
                person.father_name_latin,
                person.grandfather_name_latin,
                person.given_name_arabic,
                person.father_name_arabic,
                person.phone,
                person.tazkira_number,
                person.passport_number,
                person.email,
            ):
                if value and len(value) >= 5:
                    found.add(value)
        for job in household.employment:
            if job.supervisor_name and len(job.supervisor_name) >= 5:
                found.add(job.supervisor_name)
    return found


def _raw_table_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        chunks.append(raw.decode("utf-8", errors="ignore"))
                        chunks.append(raw.hex())
                    elif value is not None:
                        chunks.append(str(value))
    return "\n".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_demo_people_are_not_in_clear_in_any_table_or_the_database_file() -> None:
    demo_create(households=HOUSEHOLDS, seed=SEED)
    secrets = _secrets()
    assert len(secrets) > 50
    # The data is really there, and readable through the application.
    readable = {p.given_name_latin for p in Person.objects.all()}
    assert readable & secrets

    table_text = _raw_table_text()
    leaked = [s for s in secrets if s in table_text or s.encode().hex() in table_text]
    assert leaked == []

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw: Any = connection.connection
        database_bytes = raw.serialize()
        assert len(database_bytes) > 10_000
        leaked = [s for s in secrets if s.encode() in database_bytes]
        assert leaked == []
