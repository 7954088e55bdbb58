"""The audit log is append-only and hash-chained: tampering as the database superuser is
found, at the right entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from safepassage.protection.audit import audit_record, audit_verify
from safepassage.protection.models import AuditEvent
from safepassage.protection.signing import head_check, head_export


class Thing:
    def __init__(self, pk: int) -> None:
        self.pk = pk


def make_entries(count: int) -> None:
    for number in range(count):
        audit_record(actor=None, action="test.event", target=Thing(number), step=number)


def as_superuser(sql: str, params: list[Any] | None = None) -> None:
    """Bypass the append-only triggers, as a database superuser could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params or [])
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS protection_auditevent_no_update")
            cursor.execute(sql, params or [])


@pytest.mark.django_db
def test_an_intact_chain_verifies() -> None:
    make_entries(5)
    assert audit_verify() == []
    call_command("audit", "verify")


@pytest.mark.django_db
def test_the_application_cannot_change_or_delete_an_entry() -> None:
    make_entries(2)
    entry = AuditEvent.objects.order_by("sequence").first()
    assert entry is not None
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.django_db
def test_the_database_refuses_updates_to_entries() -> None:
    make_entries(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(action="changed")


@pytest.mark.django_db
def test_an_edited_entry_is_found() -> None:
    make_entries(6)
    as_superuser(
        "UPDATE protection_auditevent SET action = %s WHERE sequence = %s", ["case.read", 4]
    )
    problems = audit_verify()
    assert [(p.sequence, p.kind) for p in problems] == [(4, "edited")]
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_deleted_entry_is_found() -> None:
    make_entries(6)
    as_superuser("DELETE FROM protection_auditevent WHERE sequence = %s", [3])
    kinds = {(p.sequence, p.kind) for p in audit_verify()}
    assert (3, "missing") in kinds


@pytest.mark.django_db
def test_reordered_entries_are_found() -> None:
    make_entries(6)
    first = AuditEvent.objects.get(sequence=2)
    second = AuditEvent.objects.get(sequence=5)
    # Swap the two entries' contents (sequence, hashes and all) in place.
    columns = ["sequence", "action", "object_id", "details", "prev_hash", "entry_hash", "at"]
    values_first = [getattr(first, c) for c in columns]
    values_second = [getattr(second, c) for c in columns]
    as_superuser("UPDATE protection_auditevent SET sequence = -1 WHERE id = %s", [first.id])
    for row_id, values in ((second.id, values_first), (first.id, values_second)):
        assignments = ", ".join(f"{c} = %s" for c in columns)
        prepared = [json.dumps(v) if isinstance(v, dict) else v for v in values]
        as_superuser(
            f"UPDATE protection_auditevent SET {assignments} WHERE id = %s",  # noqa: S608
            [*prepared, row_id],
        )
    problems = audit_verify()
    assert any(p.kind == "reordered" and p.sequence in (2, 5) for p in problems)


@pytest.mark.django_db
def test_a_truncated_tail_is_found_by_the_head_and_by_an_exported_head(
    tmp_path: Path,
) -> None:
    make_entries(5)
    exported = head_export()
    assert head_check(exported) is None
    as_superuser("DELETE FROM protection_auditevent WHERE sequence >= %s", [4])
    problems = audit_verify()
    assert [(p.sequence, p.kind) for p in problems] == [(4, "truncated")]
    # Even if the head row were rewritten too, the exported, signed head is not in the chain.
    as_superuser(
        "UPDATE protection_auditchainhead SET sequence = 3, entry_hash = "
        "(SELECT entry_hash FROM protection_auditevent WHERE sequence = 3)"
    )
    assert audit_verify() == []
    assert head_check(exported) == "entry 5 of the exported head is gone"
    head_file = tmp_path / "head.json"
    head_file.write_text(json.dumps(exported))
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--head", str(head_file))


@pytest.mark.django_db
def test_a_forged_exported_head_is_refused() -> None:
    make_entries(2)
    exported = head_export()
    exported["sequence"] = 1
    assert head_check(exported) == "the exported head's signature is not valid"


@pytest.mark.django_db
def test_on_postgresql_the_application_role_may_only_insert_into_the_audit_table() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL role privileges")
    make_entries(1)
    sql = (
        Path(__file__).resolve().parents[3]
        / "src/safepassage/protection/sql"
        / "application_role.sql"
    ).read_text()
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS safepassage_app_test")
        cursor.execute("CREATE ROLE safepassage_app_test")
        cursor.execute(sql.replace("safepassage_app", "safepassage_app_test"))
        cursor.execute("SET ROLE safepassage_app_test")
        try:
            cursor.execute("SELECT count(*) FROM protection_auditevent")
            for statement in (
                "UPDATE protection_auditevent SET action = 'x'",
                "DELETE FROM protection_auditevent",
                "TRUNCATE protection_auditevent",
            ):
                cursor.execute("SAVEPOINT attempt")
                with pytest.raises(DatabaseError, match="permission denied"):
                    cursor.execute(statement)
                cursor.execute("ROLLBACK TO SAVEPOINT attempt")
        finally:
            cursor.execute("RESET ROLE")
    audit_record(actor=None, action="still.works", target=Thing(1))


@pytest.mark.django_db
def test_a_batch_appends_its_entries_at_the_end_in_order_and_the_chain_holds() -> None:
    from safepassage.protection.audit import audit_batch

    make_entries(1)
    with transaction.atomic(), audit_batch():
        audit_record(actor=None, action="batch.first", target=Thing(1))
        assert not AuditEvent.objects.filter(action="batch.first").exists()  # held back
        audit_record(actor=None, action="batch.second", target=Thing(2))
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["test.event", "batch.first", "batch.second"]
    assert audit_verify() == []


@pytest.mark.django_db
def test_a_failed_batch_leaves_no_entries() -> None:
    from safepassage.protection.audit import audit_batch

    with pytest.raises(ZeroDivisionError), transaction.atomic(), audit_batch():
        audit_record(actor=None, action="batch.lost", target=Thing(1))
        raise ZeroDivisionError
    assert not AuditEvent.objects.filter(action="batch.lost").exists()
