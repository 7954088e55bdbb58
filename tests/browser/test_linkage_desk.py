"""A reviewer working in Dari merges two records of one man in a real browser, sees the
records linked, and undoes the merge: the prior state comes back exactly."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.test_caseworker_journey import sign_in
from tests.integration.linkage.linkage_support import households, proposal_between, search

from safepassage.linkage import selectors, services
from safepassage.linkage.models import PersonLink, ProposalStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_merges_two_records_and_undoes_the_merge_in_dari(
    live_server: Any, org: Any, caseworker: Any, supervisor: Any, page_at: Any, screenshot: Any
) -> None:
    family = households(org, caseworker)
    services.linkage_thresholds_set(
        actor=supervisor, organization=org, auto_link_weight=40.0, review_weight=0.0
    )
    search(org, supervisor)
    first, again = family.person(family.first), family.person(family.again)
    proposal = proposal_between(first, again)
    assert proposal.status == ProposalStatus.OPEN

    base = live_server.url
    page = page_at(1280, 900)
    sign_in(page, base, "caseworker", "fa")
    assert page.get_attribute("html", "lang") == "fa"
    assert page.get_attribute("html", "dir") == "rtl"

    page.click("nav.nav a[href='/duplicates/']")
    page.wait_for_url(f"{base}/duplicates/")
    rows = page.locator("#match-queue tbody tr.match-row")
    assert rows.count() == 1
    assert family.first.reference in rows.nth(0).inner_text()
    rows.nth(0).locator("a").click()
    page.wait_for_url(f"{base}/duplicates/matches/{proposal.pk}/")
    assert "Zabihullah" in page.inner_text("#comparison")
    assert "Zabiullah" in page.inner_text("#comparison")
    assert page.locator("#comparison tr.comparison-given_name.agrees").count() == 1
    screenshot(page, "linkage-compare-fa-1280")

    page.check("input[name=action][value=same_person]")
    page.click("#decision-save")
    page.wait_for_selector("#decision-undo")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SAME_PERSON
    assert selectors.identities_of([first.pk])[first.pk] == {again.pk}

    page.goto(f"{base}/duplicates/cases/{family.first.reference}/")
    assert family.again.reference in page.inner_text("#linked-records")
    screenshot(page, "linkage-linked-records-fa-1280")

    page.goto(f"{base}/duplicates/matches/{proposal.pk}/")
    page.click("#decision-undo")
    page.wait_for_selector("#decision-save")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN and proposal.decided_by is None
    assert selectors.identities_of([first.pk])[first.pk] == set()
    assert not PersonLink.objects.filter(undone_at__isnull=True).exists()
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "linkage-after-undo-fa-1280")
