"""Publish the rule files shipped with SafePassage as revision 1 of each program, so a fresh
installation has its rule history from the start. Idempotent; reversing removes only the
untouched shipped revisions."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import migrations
from django.utils import timezone

NOTE = "The rules shipped with SafePassage."


def _shipped() -> list[tuple[str, str, str]]:
    # The engine is pure Python with no models: importing it here is safe in a migration.
    from safepassage.engine.eligibility import (
        SHIPPED_RULE_FILES,
        load_rules_text,
        read_shipped_rule_file,
    )

    found = []
    for name in SHIPPED_RULE_FILES:
        text = read_shipped_rule_file(name)
        found.append((load_rules_text(text, name=name).program, name, text))
    return found


def publish(apps: Any, schema_editor: Any) -> None:
    revision = apps.get_model("eligibility", "RuleRevision")
    for program, name, text in _shipped():
        if revision.objects.filter(program=program).exists():
            continue
        revision.objects.create(
            program=program,
            number=1,
            file_name=name,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            status="published",
            note=NOTE,
            published_at=timezone.now(),
        )


def unpublish(apps: Any, schema_editor: Any) -> None:
    revision = apps.get_model("eligibility", "RuleRevision")
    revision.objects.filter(number=1, note=NOTE, author__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_rule_revisions_assessments_work_items_runs")]

    operations = [migrations.RunPython(publish, unpublish)]
