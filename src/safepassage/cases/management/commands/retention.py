"""Erase the cases whose retention period has run out (run daily from cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safepassage.cases.erasure import retention_due, retention_run


class Command(BaseCommand):
    help = "Erase (crypto-shred) cases past their retention period; --dry-run only counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self.stdout.write(f"{len(retention_due())} cases are due for erasure")
            return
        erased, failed = retention_run()
        self.stdout.write(f"erased {erased} cases; {failed} failed")
        if failed:
            raise CommandError("some erasures failed; the organisations' admins were alerted")
