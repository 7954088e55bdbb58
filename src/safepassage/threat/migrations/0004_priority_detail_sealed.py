"""Case priorities keep their explanation, household facts and district risk sealed with the
case's key (``detail``) instead of clear columns; the history gets UUID ids (the sealed
detail is bound to its row id, known before the insert).

Priorities are derived data: the stored ones (and their history) are dropped here and
rebuilt by ``safepassage threat_risk_refresh --recompute-all`` after the upgrade."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import safepassage.protection.fields


def _drop_derived(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias
    apps.get_model("threat", "CasePriority").objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_household_threats_and_needs_encrypted"),
        ("threat", "0003_proposal_confidence"),
    ]

    operations = [
        migrations.RunPython(_drop_derived, migrations.RunPython.noop),
        migrations.DeleteModel(name="CasePriorityHistory"),
        *(
            migrations.RemoveField(model_name="casepriority", name=name)
            for name in (
                "district_level",
                "district_score",
                "district_value",
                "facts",
                "parts",
                "readiness_value",
                "threat_value",
                "vulnerability_value",
                "waiting_value",
            )
        ),
        migrations.AddField(
            model_name="casepriority",
            name="detail",
            field=safepassage.protection.fields.EncryptedJSONField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="CasePriorityHistory",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("score", models.FloatField(verbose_name="priority")),
                ("detail", safepassage.protection.fields.EncryptedJSONField(blank=True, null=True)),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("case_changed", "The case changed"),
                            ("weights", "New weights"),
                            ("district_risk", "The district's risk changed"),
                            ("recomputed", "Recomputed"),
                        ],
                        max_length=20,
                        verbose_name="why",
                    ),
                ),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="priority_history",
                        to="cases.case",
                    ),
                ),
                (
                    "weights_version",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="threat.priorityweightsversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "priority history entry",
                "verbose_name_plural": "priority history",
                "ordering": ["-computed_at"],
                "indexes": [
                    models.Index(fields=["case", "-computed_at"], name="priority_history_case")
                ],
            },
        ),
    ]
