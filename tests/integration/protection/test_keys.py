"""Envelope encryption: data keys per case in the key store, rotation, crypto-shredding,
failing closed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections

from safepassage.cases import services
from safepassage.cases.models import Person
from safepassage.protection import crypto, keys
from safepassage.protection.models import DataKey


def open_case(org: Any, actor: Any, name: str) -> Any:
    return services.case_open(
        actor=actor,
        organization=org,
        channel="staff",
        principal={"given_name_latin": name, "phone": "+93701234567"},
    )


@pytest.fixture(autouse=True)
def _own_key_file(settings: Any, tmp_path: Path) -> Any:
    settings.FIELD_ENCRYPTION_KEYS = None
    settings.FIELD_ENCRYPTION_KEY_FILE = tmp_path / "field-keys.json"
    keys.reset()
    yield
    keys.reset()


@pytest.mark.django_db
def test_each_case_gets_its_own_data_key_in_the_key_store(org: Any, caseworker: Any) -> None:
    first = open_case(org, caseworker, "Ahmad")
    second = open_case(org, caseworker, "Mahmood")
    assert DataKey.objects.using("keys").filter(scope__in=[first.pk, second.pk]).count() == 2
    blob_first = Person.objects.filter(case=first).values_list("given_name_latin", flat=True)[0]
    blob_second = Person.objects.filter(case=second).values_list("given_name_latin", flat=True)[0]
    assert crypto.key_id_of(bytes(blob_first)) != crypto.key_id_of(bytes(blob_second))
    # The main database holds no key material at all.
    with connections["default"].cursor() as cursor:
        tables = connections["default"].introspection.table_names(cursor)
    assert "protection_datakey" not in tables


@pytest.mark.django_db
def test_a_value_moved_to_another_row_does_not_open(org: Any, caseworker: Any) -> None:
    case = open_case(org, caseworker, "Ahmad")
    spouse = services.person_add(
        actor=caseworker, case=case, data={"relationship": "spouse", "given_name_latin": "Lina"}
    )
    principal_blob = Person.objects.filter(case=case, relationship="principal").values_list(
        "given_name_latin", flat=True
    )[0]
    field = Person._meta.get_field("given_name_latin")
    with pytest.raises(crypto.DecryptionError):
        field.open(bytes(principal_blob), spouse)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_rotation_rewraps_every_data_key_and_everything_still_opens(
    org: Any, caseworker: Any, settings: Any
) -> None:
    cases = [open_case(org, caseworker, f"Person{i}") for i in range(5)]
    old_kek = keys.provider().current_id
    call_command("keys", "rotate", "--batch", "2")
    new_kek = keys.provider().current_id
    assert new_kek != old_kek
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {new_kek}
    keys.reset()
    for i, case in enumerate(cases):
        assert Person.objects.get(case=case).given_name_latin == f"Person{i}"
    call_command("keys", "rotate", "--rewrap-only", "--retire")
    data = json.loads(Path(settings.FIELD_ENCRYPTION_KEY_FILE).read_text())
    assert list(data["keys"]) == [new_kek]
    keys.reset()
    assert Person.objects.get(case=cases[0]).given_name_latin == "Person0"


@pytest.mark.django_db
def test_an_interrupted_rotation_resumes_where_it_stopped(
    org: Any, caseworker: Any, settings: Any
) -> None:
    for i in range(4):
        open_case(org, caseworker, f"P{i}")
    call_command("keys", "rotate", "--batch", "1000")
    # Simulate an interruption: a new current key, one batch only, then resume.
    path = Path(settings.FIELD_ENCRYPTION_KEY_FILE)
    path.write_text(keys.StaticKeyProvider.new_config(path.read_text()))
    keys.reset()
    live = DataKey.objects.filter(wrapped_key__isnull=False).count()
    assert live >= 4  # the cases' keys (and keys reserved for cases not yet opened)
    assert keys.keys_pending_rewrap() == live
    assert keys.rewrap_batch(limit=3) == 3
    assert keys.keys_pending_rewrap() == live - 3
    call_command("keys", "rotate", "--rewrap-only")
    assert keys.keys_pending_rewrap() == 0


@pytest.mark.django_db
def test_a_missing_key_file_fails_closed_instead_of_starting_afresh(
    org: Any, caseworker: Any, settings: Any
) -> None:
    case = open_case(org, caseworker, "Ahmad")
    Path(settings.FIELD_ENCRYPTION_KEY_FILE).unlink()
    keys.reset()
    with pytest.raises(keys.KeyUnavailableError):
        _ = Person.objects.get(case=case).given_name_latin
    assert not Path(settings.FIELD_ENCRYPTION_KEY_FILE).exists()


@pytest.mark.django_db
def test_a_key_file_readable_by_others_is_refused(settings: Any) -> None:
    path = Path(settings.FIELD_ENCRYPTION_KEY_FILE)
    path.write_text(keys.StaticKeyProvider.new_config())
    path.chmod(0o644)
    keys.reset()
    with pytest.raises(keys.KeyUnavailableError):
        keys.provider()


@pytest.mark.django_db(transaction=True)
def test_crypto_shredding_survives_restoring_a_backup_taken_before_erasure(
    org: Any, caseworker: Any, tmp_path: Path, settings: Any
) -> None:
    if connections["default"].vendor != "sqlite":
        pytest.skip("file-level backup of the main database is shown on SQLite")
    erased = open_case(org, caseworker, "Erased Person")
    kept = open_case(org, caseworker, "Kept Person")
    # A backup of the main database, taken before the erasure.
    backup = tmp_path / "backup.sqlite3"
    raw = connections["default"].connection
    with sqlite3.connect(backup) as target:
        raw.backup(target)

    keys.destroy_scope(erased.pk)

    # Restore the backup into a fresh file and read it with the same key store.
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(backup, restored)
    with sqlite3.connect(restored) as conn:
        rows = dict(conn.execute("SELECT case_id, given_name_latin FROM cases_person").fetchall())
    field = Person._meta.get_field("given_name_latin")

    def read(case: Any) -> str:
        person = Person(case_id=case.pk)
        person.pk = Person.objects.get(case=case).pk
        blob = (
            rows[str(case.pk).replace("-", "")]
            if str(case.pk).replace("-", "") in rows
            else rows[str(case.pk)]
        )
        return str(field.open(bytes(blob), person))  # type: ignore[attr-defined]

    assert read(kept) == "Kept Person"
    with pytest.raises(keys.KeyDestroyedError):
        read(erased)


@pytest.mark.django_db
def test_without_its_keys_the_application_shows_a_maintenance_page_not_data(
    org: Any, caseworker: Any, client_for: Any, settings: Any
) -> None:
    case = open_case(org, caseworker, "Ahmad")
    client = client_for(caseworker)
    Path(settings.FIELD_ENCRYPTION_KEY_FILE).unlink()
    keys.reset()
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 503
    assert b"maintenance" in response.content and b"Ahmad" not in response.content
    # The process stays up (no crash loop) and says it cannot serve data.
    health = client.get("/healthz")
    assert health.status_code == 503 and health.content == b"keys unavailable"


@pytest.mark.django_db
def test_the_erase_command_needs_confirmation_and_erases(org: Any, caseworker: Any) -> None:
    from django.core.management import CommandError

    case = open_case(org, caseworker, "Ahmad")
    with pytest.raises(CommandError):
        call_command("erase", case.reference, "--reason", "court_order")
    call_command("erase", case.reference, "--reason", "court_order", "--yes")
    case.refresh_from_db()
    assert case.erased_at is not None


@pytest.mark.django_db
def test_rows_copied_before_erasure_no_longer_open_on_either_database(
    org: Any, caseworker: Any
) -> None:
    """A backup is a copy of the rows: copy them with SQL, erase, then try to read the copy."""
    erased = open_case(org, caseworker, "Erased Person")
    kept = open_case(org, caseworker, "Kept Person")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT id, case_id, given_name_latin FROM cases_person")
        backup = {
            str(case_id).replace("-", ""): (pk, bytes(blob))
            for pk, case_id, blob in cursor.fetchall()
        }
    keys.destroy_scope(erased.pk)
    field = Person._meta.get_field("given_name_latin")

    def read_from_backup(case: Any) -> str:
        pk, blob = backup[str(case.pk).replace("-", "")]
        person = Person(case_id=case.pk)
        person.pk = pk if not isinstance(pk, str) else uuid.UUID(pk)
        return str(field.open(blob, person))  # type: ignore[attr-defined]

    assert read_from_backup(kept) == "Kept Person"
    with pytest.raises(keys.KeyDestroyedError):
        read_from_backup(erased)


@pytest.mark.django_db(databases=["default", "keys"])
def test_a_batch_job_loads_the_data_keys_of_many_cases_in_one_query(
    org: Any, caseworker: Any
) -> None:
    from django.test.utils import CaptureQueriesContext

    cases = [open_case(org, caseworker, f"Name{n}") for n in range(5)]
    keys.reset()  # a fresh process: nothing cached
    with CaptureQueriesContext(connections["keys"]) as loading:
        keys.load_scopes(case.pk for case in cases)
    assert len(loading) == 1
    with CaptureQueriesContext(connections["keys"]) as reading:
        names = [
            Person.objects.get(case=case, relationship="principal").given_name_latin
            for case in cases
        ]
    assert names == [f"Name{n}" for n in range(5)]
    assert len(reading) == 0  # every key came from the batch load
    keys.destroy_scope(cases[0].pk)
    keys.reset()
    keys.load_scopes(case.pk for case in cases)  # a destroyed key is left out, not an error
    with pytest.raises(keys.KeyDestroyedError):
        _ = Person.objects.get(case=cases[0], relationship="principal").given_name_latin
