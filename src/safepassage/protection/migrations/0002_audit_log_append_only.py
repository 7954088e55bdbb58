"""The database itself refuses changes to audit entries: on PostgreSQL a row trigger refuses
UPDATE and DELETE (TRUNCATE is left to the role's privileges: the application role may only
INSERT and SELECT, see protection/sql/application_role.sql); on SQLite a trigger refuses
UPDATE only, because clearing test databases deletes rows. A database superuser can bypass
all of this, which is why the chain is hash-linked and its head exported and signed.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION safepassage_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER protection_auditevent_append_only
  BEFORE UPDATE OR DELETE ON protection_auditevent
  FOR EACH ROW EXECUTE FUNCTION safepassage_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS protection_auditevent_append_only ON protection_auditevent;
DROP FUNCTION IF EXISTS safepassage_audit_append_only();
"""
SQLITE_CREATE = [
    """CREATE TRIGGER protection_auditevent_no_update BEFORE UPDATE ON protection_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS protection_auditevent_no_update;"]


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.alias != "default":
        return
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.alias != "default":
        return
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_audit_chain_alerts_key_store_break_glass")]
    operations = [migrations.RunPython(create, drop)]
