"""Situation reports: a pasted article yields proposed incidents; a person confirms (an event
with source "report") or discards each; the text is sealed, then erased when all is decided."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from threat_support import KABUL, LASHKAR_GAH

from safepassage.protection.models import AuditEvent, DataKey
from safepassage.threat import services
from safepassage.threat.errors import ProposalDecidedError
from safepassage.threat.models import ConflictEvent, ReportProposal, SituationReport

# A copy of ../shared/data/seed-article.txt kept in the repository (see tests/data/sitreps).
SEED = Path(__file__).resolve().parents[2] / "data" / "sitreps" / "seed-article.txt"
ARTICLE = SEED.read_text(encoding="utf-8")
PUBLISHED = dt.date(2021, 8, 4)


def _submit(org: Any, actor: Any, text: str = ARTICLE) -> SituationReport:
    return services.situation_report_submit(
        actor=actor, organization=org, text=text, published_on=PUBLISHED, title="Reuters"
    )


@pytest.mark.django_db
def test_a_pasted_article_proposes_incidents_in_kabul_and_lashkar_gah(
    org: Any, caseworker: Any
) -> None:
    report = _submit(org, caseworker)

    proposals = list(report.proposals.order_by("position"))
    places = {(p.province, p.district) for p in proposals}
    assert ("AF-KAB", KABUL) in places and ("AF-HEL", LASHKAR_GAH) in places
    assert all(p.status == "proposed" and p.excerpt for p in proposals)
    assert {p.province for p in proposals} <= {"AF-KAB", "AF-HEL"}  # no false places
    audit = AuditEvent.objects.get(action="threat.report_submit")
    assert audit.details["proposals"] == len(proposals)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {SituationReport._meta.db_table}")  # noqa: S608
        stored = bytes(cursor.fetchone()[0])
    assert b"Taliban" not in stored and b"Lashkar" not in stored


@pytest.mark.django_db
def test_confirming_makes_an_event_and_deciding_all_erases_the_text(
    org: Any, caseworker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = _submit(org, caseworker)
    proposals = list(report.proposals.order_by("position"))
    kabul = next(p for p in proposals if p.district == KABUL)

    with django_capture_on_commit_callbacks(execute=True):
        event = services.proposal_confirm(actor=caseworker, proposal=kabul, kind="explosion")
        for other in proposals:
            if other.pk != kabul.pk:
                services.proposal_discard(actor=caseworker, proposal=other)

    assert (event.source, event.kind, event.district, event.report_id) == (
        "report",
        "explosion",
        KABUL,
        report.pk,
    )
    assert event.notes and event.encryption_scope == event.pk
    kabul.refresh_from_db()
    assert kabul.status == "confirmed" and kabul.event_id == event.pk
    report.refresh_from_db()
    assert report.text_destroyed_at is not None and report.text is None
    assert not ReportProposal.objects.filter(report=report, excerpt__isnull=False).exists()
    assert DataKey.objects.get(scope=report.pk).wrapped_key is None
    assert ConflictEvent.objects.get(pk=event.pk).notes == event.notes  # its own key lives


@pytest.mark.django_db
def test_a_corrected_place_is_kept_and_a_decided_proposal_cannot_be_decided_again(
    org: Any, caseworker: Any
) -> None:
    report = _submit(org, caseworker)
    first = report.proposals.order_by("position").first()
    assert first is not None

    event = services.proposal_confirm(
        actor=caseworker, proposal=first, province="AF-HEL", district=LASHKAR_GAH
    )

    assert (event.province, event.district) == ("AF-HEL", LASHKAR_GAH)
    with pytest.raises(ProposalDecidedError):
        services.proposal_discard(actor=caseworker, proposal=first)
    with pytest.raises(ProposalDecidedError):
        services.proposal_confirm(actor=caseworker, proposal=first)
    assert ConflictEvent.objects.filter(source="report").count() == 1


@pytest.mark.django_db
def test_a_text_naming_no_incident_is_not_kept(org: Any, caseworker: Any) -> None:
    report = _submit(org, caseworker, text="Markets were calm and the weather was fine.")

    assert not report.proposals.exists()
    report.refresh_from_db()
    assert report.text is None and report.text_destroyed_at is not None


@pytest.mark.django_db
def test_reports_belong_to_the_organisation_that_pasted_them(
    org: Any, caseworker: Any, outsider: Any, logistics_officer: Any, client_for: Any
) -> None:
    report = _submit(org, caseworker)
    proposal = report.proposals.order_by("position").first()
    assert proposal is not None
    url = f"/threat/reports/{report.pk}/"

    assert client_for(caseworker).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    decide = f"{url}proposals/{proposal.pk}/"
    assert client_for(outsider).post(decide, {"action": "discard"}).status_code == 404
    assert client_for(logistics_officer).get(url).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


@pytest.mark.django_db
def test_a_staff_member_pastes_confirms_and_discards_on_the_pages(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    client = client_for(caseworker)

    pasted = client.post(
        "/threat/reports/",
        {"title": "", "published_on": "2021-08-04", "text": ARTICLE},
    )
    assert pasted.status_code == 302
    page = client.get(pasted["Location"])
    text = page.content.decode()
    assert "Lashkar Gah" in text and "Kabul" in text and "Confirm as an incident" in text
    report = SituationReport.objects.get()
    proposals = list(report.proposals.order_by("position"))
    target = proposals[0]
    prefix = f"p{target.position}"
    confirmed = client.post(
        f"/threat/reports/{report.pk}/proposals/{target.pk}/",
        {
            "action": "confirm",
            f"{prefix}-day": target.day.isoformat() if target.day else "2021-08-04",
            f"{prefix}-province": target.province,
            f"{prefix}-district": target.district,
            f"{prefix}-kind": target.kind,
        },
    )
    assert confirmed.status_code == 302
    for other in proposals[1:]:
        client.post(f"/threat/reports/{report.pk}/proposals/{other.pk}/", {"action": "discard"})

    after = client.get(f"/threat/reports/{report.pk}/").content.decode()
    assert "The text was erased" in after
    assert ConflictEvent.objects.filter(source="report").count() == 1
