"""Background jobs of the threat picture: thin, they take codes and ids and call one service."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def refresh_district_risk(district_codes: list[str], day: str) -> None:
    """Recompute the risk of these districts (gazetteer codes) on ``day`` (ISO date), raise
    alerts where it rose, and re-rank the cases now in them."""
    from safepassage.threat.priority import rerank_districts
    from safepassage.threat.risk import district_risk_refresh

    on = dt.date.fromisoformat(day)
    refreshed = district_risk_refresh(district_codes=district_codes, day=on)
    rerank_districts(refreshed.risks, day=on, risks=refreshed.risks)
