"""The offline map of district risk: inline SVG from the shipped boundaries, no external
requests, no inline script or style, and text beside colour."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from threat_support import LASHKAR_GAH, killing

from safepassage.engine.places import districts
from safepassage.threat.district_map import district_paths
from safepassage.threat.risk import district_risk_refresh


@pytest.mark.django_db
def test_the_map_draws_every_district_offline_with_labels_and_a_legend(
    org: Any, caseworker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    killing(org, caseworker)
    killing(org, caseworker, days=2)
    district_risk_refresh(district_codes=None, day=timezone.localdate())
    client = client_for(caseworker)

    with django_assert_max_num_queries(12):
        response = client.get("/threat/map/")

    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg viewBox") : html.index("</svg>", html.index("<svg viewBox"))]
    assert svg.count("<path d=") >= len(districts())  # every district has its shape
    assert not re.search(r"https?://|//[a-z]", svg)  # nothing is fetched from anywhere
    assert "<script" not in html.split("</header>")[1] and " style=" not in html
    assert re.search(r"<text[^>]*>Lashkar Gah</text>", svg)  # critical: named on the map
    assert "Lashkar Gah (Helmand): Critical risk, score" in svg  # the shape's title
    assert f'href="/threat/districts/{LASHKAR_GAH}/"' in svg
    for label in ("Low", "Medium", "High", "Critical", "not computed"):
        assert label in html
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_every_gazetteer_district_has_a_shipped_shape() -> None:
    paths = district_paths()
    assert set(districts()) <= set(paths)
    assert all(path.startswith("M") and path.endswith("Z") for path in paths.values())


@pytest.mark.django_db
def test_the_map_and_risk_pages_refuse_users_without_a_case_role(
    logistics_officer: Any, client_for: Any, django_user_model: Any
) -> None:
    nobody = django_user_model.objects.create_user(username="nobody", password="x" * 20)
    for user in (logistics_officer, nobody):
        client = client_for(user)
        for url in ("/threat/map/", "/threat/", f"/threat/districts/{LASHKAR_GAH}/"):
            assert client.get(url).status_code == 403, (user, url)
