"""Rebuild every person's blind-index tokens (after changing bit lengths or name keys)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from safepassage.cases.models import Person
from safepassage.protection.blind_index import index_people


class Command(BaseCommand):
    help = "Rebuild the blind-index search tokens of every person, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        people = Person.objects.filter(case__erased_at__isnull=True).order_by("pk")
        total = people.count()
        done = 0
        last = None
        while True:
            batch_query = people if last is None else people.filter(pk__gt=last)
            batch = list(batch_query[: options["batch"]])
            if not batch:
                break
            with transaction.atomic():
                index_people(batch)
            done += len(batch)
            last = batch[-1].pk
            self.stdout.write(f"re-indexed {done}/{total} people")
        self.stdout.write(self.style.SUCCESS(f"done: {done} people"))
