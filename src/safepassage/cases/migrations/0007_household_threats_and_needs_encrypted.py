"""The threats a household faces and its health needs are personal: they move from clear
columns to columns sealed with the case's key. Existing values are sealed here with the
same table.column.row binding the field uses (``protection.fields``)."""

import uuid

from django.db import migrations

import safepassage.protection.fields

_MOVED = ("threat_categories", "medical_needs", "disability")


def _seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from safepassage.protection import crypto

    Case = apps.get_model("cases", "Case")
    table = Case._meta.db_table
    rows = Case.objects.using(schema_editor.connection.alias).filter(erased_at__isnull=True)
    for case in rows.only("id", *(f"{name}_clear" for name in _MOVED)).iterator(chunk_size=500):
        values = {
            "threat_categories": case.threat_categories_clear or None,
            "medical_needs": "1" if case.medical_needs_clear else "0",
            "disability": "1" if case.disability_clear else "0",
        }
        sealed = {
            name: crypto.seal(
                text.encode("utf-8"), f"{table}.{name}.{case.pk}".encode(), uuid.UUID(str(case.pk))
            )
            for name, text in values.items()
            if text is not None
        }
        rows.filter(pk=case.pk).update(**sealed)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_household_location_and_needs"),
    ]

    operations = [
        *(
            migrations.RenameField(model_name="case", old_name=name, new_name=f"{name}_clear")
            for name in _MOVED
        ),
        migrations.AddField(
            model_name="case",
            name="threat_categories",
            field=safepassage.protection.fields.EncryptedTextField(
                blank=True, null=True, text_max_length=120, verbose_name="threats faced"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="medical_needs",
            field=safepassage.protection.fields.EncryptedBooleanField(
                blank=True, null=True, verbose_name="someone in the household has medical needs"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="disability",
            field=safepassage.protection.fields.EncryptedBooleanField(
                blank=True, null=True, verbose_name="someone in the household has a disability"
            ),
        ),
        migrations.RunPython(_seal_existing, migrations.RunPython.noop),
        *(
            migrations.RemoveField(model_name="case", name=f"{name}_clear")
            for name in _MOVED
        ),
    ]
