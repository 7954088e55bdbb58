"""The issue's "done when", through the pages: a manager pastes a report (in Dari) naming a
killing in Lashkar Gah, confirms the proposed incident, and once the background jobs have run
the queue re-orders — the Lashkar Gah household rises above the one in Kabul — and its case
page says why, in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from priority_support import KABUL, LASHKAR_GAH, household, run_jobs

from safepassage.threat.models import CasePriority, CasePriorityHistory, SituationReport

REPORT_FA = "یک مترجم پیشین نیروهای امریکایی دیروز در لشکرگاه ترور شد."


def _queue_order(client: Any, references: list[str]) -> list[str]:
    page = client.get("/threat/priority/").content.decode()
    return sorted(references, key=page.index)


@pytest.mark.django_db(transaction=True)  # the jobs are queued on commit; the worker commits
def test_a_confirmed_report_reorders_the_queue_with_reasons_in_dari(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    helmand = household(org, caseworker, district=LASHKAR_GAH, categories=("threat_letter",))
    # Kabul's household faces a little more at first (phone threats besides the letter).
    kabul = household(
        org, caseworker, district=KABUL, categories=("threat_letter", "phone_threats")
    )
    run_jobs()  # what opening the cases queued (assessments, their priorities)
    client = client_for(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    references = [helmand.reference, kabul.reference]
    assert _queue_order(client, references) == [kabul.reference, helmand.reference]
    before = CasePriority.objects.get(case=helmand).score

    pasted = client.post(
        "/threat/reports/",
        {"title": "", "published_on": timezone.localdate().isoformat(), "text": REPORT_FA},
    )
    assert pasted.status_code == 302
    report = SituationReport.objects.get()
    (proposal,) = report.proposals.all()
    assert (proposal.district, proposal.kind) == (LASHKAR_GAH, "targeted_killing")
    prefix = f"p{proposal.position}"
    confirmed = client.post(
        f"/threat/reports/{report.pk}/proposals/{proposal.pk}/",
        {
            "action": "confirm",
            f"{prefix}-day": proposal.day.isoformat(),
            f"{prefix}-province": proposal.province,
            f"{prefix}-district": proposal.district,
            f"{prefix}-kind": proposal.kind,
        },
    )
    assert confirmed.status_code == 302
    run_jobs()

    assert CasePriority.objects.get(case=helmand).score > before
    assert _queue_order(client, references) == [helmand.reference, kabul.reference]
    latest = CasePriorityHistory.objects.filter(case=helmand).order_by("-computed_at").first()
    assert latest is not None and latest.reason == "district_risk"
    case_page = client.get(f"/cases/{helmand.reference}/").content.decode()
    assert "خطر ولسوالی‌ای که خانواده حالا در آن است" in case_page  # the district part, in Dari
    assert 'dir="rtl"' in case_page
