"""A program manager changes the priority weights in a real browser: sees how the top of the
queue would change, applies them, and sees the queue re-ranked."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from tests.conftest import PASSWORD
from tests.integration.threat.priority_support import (
    KABUL,
    LASHKAR_GAH,
    NAHRI_SHAHI,
    household,
    incident,
)

from safepassage.threat import priority
from safepassage.threat.models import CasePriority, PriorityWeightsVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, username: str) -> None:
    from django.contrib.auth import get_user_model

    from safepassage.accounts.testing import totp_code, totp_device_for

    device = totp_device_for(get_user_model().objects.get(username=username))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button.primary")
    page.wait_for_url(f"{base}/accounts/two-factor/?**")
    page.fill("#id_code", totp_code(device))
    page.click("form button.primary")
    page.wait_for_url(f"{base}/cases/")


def test_a_manager_previews_new_weights_and_applies_them(
    live_server: Any, org: Any, caseworker: Any, supervisor: Any, page_at: Any, screenshot: Any
) -> None:
    threatened = household(
        org, caseworker, district=NAHRI_SHAHI, categories=("detained", "family_attack"),
        interpreter=True, threat_documents=1,
    )  # fmt: skip
    exposed = household(org, caseworker, district=LASHKAR_GAH)
    quiet = household(org, caseworker, district=KABUL)
    for _ in range(4):
        incident(org, caseworker, LASHKAR_GAH)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    priority.cases_refresh([threatened.pk, exposed.pk, quiet.pk])
    assert CasePriority.objects.order_by("-score").first().case_id == threatened.pk  # type: ignore[union-attr]

    base = live_server.url
    page = page_at(1280, 900)
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/threat/priority/")
    rows = page.locator("#priority-queue tbody tr")
    assert rows.count() == 3
    assert threatened.reference in rows.nth(0).inner_text()

    page.click("a[href*='/threat/priority/weights/']")
    page.wait_for_url("**/threat/priority/weights/**")
    for name, value in (
        ("threat", "0"),
        ("district", "100"),
        ("vulnerability", "0"),
        ("readiness", "0"),
        ("waiting", "0"),
    ):
        page.fill(f"#id_{name}", value)
    page.click("#weights-preview")
    page.wait_for_selector("#weights-preview-result")
    assert exposed.reference in page.inner_text("#preview-moved") or exposed.reference in (
        page.inner_text("#preview-entered")
    )
    assert not PriorityWeightsVersion.objects.exists()  # a preview changes nothing
    screenshot(page, "priority-weights-preview-1280")

    page.click("#weights-apply")
    page.wait_for_url("**/threat/priority/weights/1/**")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.reload()
    assert "Done: 3 cases re-ranked." in page.inner_text("#rerank-progress")

    page.goto(f"{base}/threat/priority/")
    assert exposed.reference in page.locator("#priority-queue tbody tr").nth(0).inner_text()
    screenshot(page, "priority-queue-after-weights-1280")
