"""Key operations: status, and online rotation of the key-encryption key."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from safepassage.protection import keys
from safepassage.protection.audit import audit_record
from safepassage.protection.models import DataKey


class Command(BaseCommand):
    help = (
        "status: which key-encryption keys wrap how many data keys. "
        "rotate: make a new key-encryption key current and re-wrap every data key under it, "
        "online and resumable (run it again after an interruption)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "rotate"])
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--rewrap-only",
            action="store_true",
            help="do not create a new key: finish re-wrapping under the configured current key",
        )
        parser.add_argument(
            "--retire",
            action="store_true",
            help="after re-wrapping, remove the old keys from the local key file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
        else:
            self._rotate(options["batch"], options["rewrap_only"], options["retire"])

    def _status(self) -> None:
        provider = keys.provider()
        self.stdout.write(f"current key-encryption key: {provider.current_id}")
        rows = (
            DataKey.objects.filter(wrapped_key__isnull=False)
            .values("kek_id")
            .annotate(n=Count("id"))
            .order_by("kek_id")
        )
        for row in rows:
            self.stdout.write(f"  {row['kek_id']}: {row['n']} data keys")
        destroyed = DataKey.objects.filter(wrapped_key__isnull=True).count()
        self.stdout.write(f"  destroyed (erased cases): {destroyed}")

    def _key_file(self) -> Path:
        if settings.FIELD_ENCRYPTION_KEYS:
            raise CommandError(
                "keys come from SAFEPASSAGE_FIELD_KEYS: put a new current key there (keeping the "
                "old one listed), restart, then run 'keys rotate --rewrap-only'"
            )
        return Path(settings.FIELD_ENCRYPTION_KEY_FILE)

    def _rotate(self, batch: int, rewrap_only: bool, retire: bool) -> None:
        if not rewrap_only:
            path = self._key_file()
            config = keys.StaticKeyProvider.new_config(path.read_text(encoding="utf-8"))
            temporary = path.with_suffix(".new")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(config)
            os.replace(temporary, path)
            keys.reset()
            self.stdout.write(f"new key-encryption key: {keys.provider().current_id}")
        total = keys.keys_pending_rewrap()
        done = 0
        began = time.monotonic()
        while True:
            count = keys.rewrap_batch(batch)
            if not count:
                break
            done += count
            rate = done / max(time.monotonic() - began, 1e-6)
            self.stdout.write(f"re-wrapped {done}/{total} data keys ({rate:,.0f}/s)")
        audit_record(
            actor=None,
            action="keys.rotate",
            target=_KeyEvent(keys.provider().current_id),
            rewrapped=done,
        )
        self.stdout.write(self.style.SUCCESS(f"done: {done} data keys re-wrapped"))
        if retire:
            path = self._key_file()
            data = json.loads(path.read_text(encoding="utf-8"))
            in_use = set(
                DataKey.objects.filter(wrapped_key__isnull=False).values_list("kek_id", flat=True)
            )
            data["keys"] = {
                k: v for k, v in data["keys"].items() if k == data["current"] or k in in_use
            }
            path.write_text(json.dumps(data, indent=1), encoding="utf-8")
            keys.reset()
            self.stdout.write("old key-encryption keys removed from the key file")


class _KeyEvent:
    """The audit target of a key operation (no model row of its own)."""

    def __init__(self, key_id: str) -> None:
        self.pk = key_id
