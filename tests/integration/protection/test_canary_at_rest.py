"""Canary test: 100 unique random values in every personal field (names in both scripts,
identity numbers, phones, e-mails, dates, employment details, notes, tasks, stage reasons,
document contents and file names) are nowhere to be found in the database dump (pg_dump on
PostgreSQL, the raw database bytes on SQLite), the key store, the document storage, or the
log output. (There is no job queue yet: nothing personal can sit in a queue payload.)"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from tests.conftest import sample_pdf

from safepassage.cases import services
from safepassage.engine.dates import Calendar, PartialDate

PEOPLE = 100
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def token(prefix: str) -> str:
    return prefix + "".join(secrets.choice(LETTERS) for _ in range(10))


def digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def arabic_token() -> str:
    return "کناری" + "".join(secrets.choice("ابپتثجچحخدذرزسشصضطظعغفقکگلمنوهی") for _ in range(8))


@pytest.mark.django_db(transaction=True)
def test_canary_values_are_nowhere_in_dumps_storage_or_logs(
    org: Any, caseworker: Any, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    canaries: set[str] = set()

    def remember(value: str) -> str:
        canaries.add(value)
        return value

    case = None
    for number in range(PEOPLE):
        person = {
            "given_name_latin": remember(token("Giv")),
            "father_name_latin": remember(token("Fat")),
            "grandfather_name_latin": remember(token("Gra")),
            "family_name_latin": remember(token("Fam")),
            "given_name_arabic": remember(arabic_token()),
            "father_name_arabic": remember(arabic_token()),
            "grandfather_name_arabic": remember(arabic_token()),
            "family_name_arabic": remember(arabic_token()),
            "name_on_passport": remember(token("Pas")),
            "birth_date": PartialDate(
                1360 + number % 40, 1 + number % 12, 1 + number % 28, Calendar.SOLAR_HIJRI
            ),
            "tazkira_kind": "electronic",
            "tazkira_number": remember(digits(14)),
            "passport_number": remember("Q" + digits(8)),
            "phone": remember("+9370" + digits(7)),
            "email": remember(token("mail").lower() + "@example.org"),
        }
        if number % 10 == 0:
            case = services.case_open(
                actor=caseworker, organization=org, channel="staff", principal=person
            )
            principal = case.people.get()
            services.employment_add(
                actor=caseworker,
                case=case,
                person=principal,
                data={
                    "employer_name": remember(token("Emp")),
                    "employer_kind": "us_military",
                    "role": remember(token("Rol")),
                    "start_date": PartialDate(2010),
                    "location_detail": remember(token("Loc")),
                    "supervisor_name": remember(token("Sup")),
                    "supervisor_email": remember(token("sup").lower() + "@example.mil"),
                    "badge_number": remember(token("Bad")),
                    "contract_number": remember(token("Con")),
                },
            )
            services.note_add(actor=caseworker, case=case, text=remember(token("Not")))
            services.task_add(actor=caseworker, case=case, title=remember(token("Tsk")))
            services.case_change_stage(
                actor=caseworker,
                case=case,
                to_stage="eligibility_review",
                reason=remember(token("Rsn")),
            )
            services.document_attach(
                actor=caseworker,
                case=case,
                kind="hr_letter",
                content=sample_pdf(remember(token("Doc"))),
                original_name=remember(token("Fil")) + ".pdf",
            )
        else:
            assert case is not None
            services.person_add(
                actor=caseworker, case=case, data={**person, "relationship": "child"}
            )
    assert len(canaries) > PEOPLE * 10

    found: list[tuple[str, str]] = []

    def scan(where: str, blob: bytes) -> None:
        for value in canaries:
            encoded = value.encode()
            if encoded in blob or encoded.hex().encode() in blob:
                found.append((where, value))

    for alias in ("default", "keys"):
        connection = connections[alias]
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            scan(f"{alias} database bytes", connection.connection.serialize())
        else:
            params = connection.get_connection_params()
            dump = subprocess.run(
                [
                    "pg_dump",
                    "--no-owner",
                    "-h",
                    str(params.get("host", "127.0.0.1")),
                    "-p",
                    str(params.get("port", 5432)),
                    "-U",
                    str(params.get("user", "")),
                    str(params["dbname"]),
                ],
                check=True,
                capture_output=True,
                env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
            ).stdout
            assert b"COPY public.cases_person" in dump
            scan(f"{alias} pg_dump", dump)
    storage = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    stored_files = [p for p in storage.rglob("*") if p.is_file()]
    assert len(stored_files) == PEOPLE // 10
    for path in stored_files:
        scan(f"storage {path.name}", path.read_bytes())
    scan("logs", caplog.text.encode())
    assert found == []
