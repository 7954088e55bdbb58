"""Erase partner-import previews that were never confirmed (daily, beside retention): the
rows' values are crypto-shredded with the batch's key, then the batch goes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Erase partner-import previews not confirmed within --days (default 7)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        from safepassage.linkage.import_services import PREVIEW_DAYS, import_previews_expire

        days = options["days"] if options["days"] is not None else PREVIEW_DAYS
        erased = import_previews_expire(days=days)
        self.stdout.write(f"{erased} import previews erased")
