"""Erase (crypto-shred) one case from the command line, e.g. on a court order."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safepassage.cases.erasure import case_erase
from safepassage.cases.models import Case
from safepassage.engine.reference import normalize_reference


class Command(BaseCommand):
    help = "Erase a case: its data key is destroyed, its personal data and files removed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference")
        parser.add_argument("--reason", required=True, help="a short code, e.g. court_order")
        parser.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    def handle(self, *args: Any, **options: Any) -> None:
        reference = normalize_reference(options["reference"])
        case = Case.objects.filter(reference=reference).first() if reference else None
        if case is None:
            raise CommandError("no case has this reference")
        if not options["yes"]:
            raise CommandError("erasure cannot be undone: repeat with --yes")
        case_erase(actor=None, case=case, reason=options["reason"][:40])
        self.stdout.write(self.style.SUCCESS(f"case {case.reference} erased"))
