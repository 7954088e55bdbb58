"""Recompute district risk for a day (default today) and raise alerts where it rose: the
daily run, so that old events decay in the picture even when nothing new arrives. With
``--recompute-all`` every case's priority is rebuilt from the case (after an upgrade)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "Recompute the risk of every district (or some) for a day and raise alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="ISO date (default: today)")
        parser.add_argument(
            "--district", action="append", default=[], help="a gazetteer district code"
        )
        parser.add_argument(
            "--no-rerank", action="store_true", help="do not re-rank the cases in them"
        )
        parser.add_argument(
            "--recompute-all",
            action="store_true",
            help="rebuild the facts and priority of every case (after an upgrade)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from safepassage.threat.priority import priority_recompute_all, rerank_districts
        from safepassage.threat.risk import district_risk_refresh

        try:
            day = dt.date.fromisoformat(options["day"]) if options["day"] else None
        except ValueError as exc:
            raise CommandError("--day must be an ISO date (YYYY-MM-DD)") from exc
        day = day or timezone.localdate()
        refreshed = district_risk_refresh(district_codes=options["district"] or None, day=day)
        reranked = 0
        if options["recompute_all"]:
            reranked = priority_recompute_all(today=day)
        elif not options["no_rerank"]:
            reranked = rerank_districts(refreshed.risks, day=day, risks=refreshed.risks)
        self.stdout.write(
            f"{len(refreshed.risks)} districts on {day}: {len(refreshed.alerts)} alerts, "
            f"{reranked} cases re-ranked"
        )
