"""Housekeeping of the public application form (run ``expire`` daily from cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safepassage.intake.services import application_pins_harden, drafts_expire


class Command(BaseCommand):
    help = (
        "expire: erase unfinished or submitted drafts past their expiry (INTAKE_DRAFT_DAYS): "
        "their data key is destroyed first, then their rows and files; and hash any PIN of a "
        "submitted application still sealed (its background job was lost in a crash)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["expire"])

    def handle(self, *args: Any, **options: Any) -> None:
        erased = drafts_expire()
        self.stdout.write(f"erased {erased} expired drafts")
        hardened = application_pins_harden()
        self.stdout.write(f"hashed {hardened} PINs left sealed")
