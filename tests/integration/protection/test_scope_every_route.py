"""Every workspace route and every API operation, for every method, refuses a user of
another organisation and a weaker role with the same answer as for a record that does not
exist: existence must not leak. Routes are read from the URLconf and the OpenAPI schema, so
a new route is covered without touching this file."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from tests.conftest import PASSWORD, sample_jpeg

from safepassage.api.api import api as ninja_api
from safepassage.api.services import api_token_issue
from safepassage.cases import services
from safepassage.core.services import membership_grant, organization_create, user_create
from safepassage.engine.dates import PartialDate
from safepassage.exports.services import ExportScope, agreement_record, export_request
from safepassage.protection.alerts import alert_raise

METHODS = ("get", "post", "patch", "delete")
ALLOWED_REFUSALS = {404, 405}


def _patterns(resolver: Any, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.name or ""))
    return found


@pytest.fixture
def world(org: Any, caseworker: Any) -> dict[str, str]:
    case = services.case_open(
        actor=caseworker,
        organization=org,
        channel="staff",
        principal={"given_name_latin": "Ahmad", "sex": "male"},
    )
    principal = case.people.get()
    job = services.employment_add(
        actor=caseworker,
        case=case,
        person=principal,
        data={
            "employer_name": "USAID",
            "employer_kind": "us_government_agency",
            "start_date": PartialDate(2012),
        },
    )
    document = services.document_attach(
        actor=caseworker,
        case=case,
        kind="photo",
        content=sample_jpeg(),
        original_name="p.jpg",
    )
    task = services.task_add(actor=caseworker, case=case, title="Call back")
    export = export_request(
        actor=caseworker,
        organization=org,
        scope=ExportScope(references=(case.reference,)),
        fields=["reference"],
        recipient_name="Desk officer",
        purpose="test",
        legal_basis="vital_interests",
        recent_auth=True,
    )
    alert = alert_raise(kind="read_rate", organization_id=org.pk, subject_user=caseworker)
    supervisor = user_create(username="scope-supervisor", password=PASSWORD)
    membership_grant(actor=None, organization=org, user=supervisor, role="supervisor")
    partner = organization_create(actor=None, name="Scope partner", kind="partner")
    agreement = agreement_record(
        actor=supervisor,
        organization=org,
        recipient_organization=partner,
        purpose="resettlement support",
        legal_basis="vital_interests",
        allowed_fields=["reference"],
        expires_at=timezone.now() + dt.timedelta(days=30),
        recent_auth=True,
    )
    return {
        "reference": case.reference,
        "person_id": str(principal.pk),
        "employment_id": str(job.pk),
        "document_id": str(document.pk),
        "task_id": str(task.pk),
        "export_id": str(export.pk),
        "alert_id": str(alert.pk),
        "agreement_id": str(agreement.pk),
    }


def _fill(route: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return values[match.group("name")]

    route = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    return "/" + re.sub(r"\{(?P<name>\w+)\}", value, route).lstrip("/")


def _missing(values: dict[str, str]) -> dict[str, str]:
    from safepassage.engine.reference import new_reference

    def other(key: str) -> str:
        if key == "reference":
            return new_reference()
        if key.endswith("alert_id"):
            return "987654"
        return str(uuid.uuid4())

    return {key: other(key) for key in values}


def _answer(response: Any) -> tuple[int, Any]:
    if response["Content-Type"].startswith(("application/json", "application/problem+json")):
        return response.status_code, response.json().get("code")
    return response.status_code, None


# Every route that names a record, in every app that holds organisation data. Account
# routes (accounts/) act on the signed-in user's own records only and are tested there.
SCOPED_PREFIXES = ("cases/", "exports/", "protection/")


def _workspace_routes() -> list[str]:
    return [
        route
        for route, _name in _patterns(get_resolver())
        if route.startswith(SCOPED_PREFIXES) and "<" in route
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "logistics_officer"])
def test_every_workspace_route_refuses_out_of_scope_users_like_a_missing_record(
    persona: str, request: pytest.FixtureRequest, world: dict[str, str], client_for: Any
) -> None:
    client = client_for(request.getfixturevalue(persona))
    routes = _workspace_routes()
    assert len(routes) >= 20
    assert {r.split("/")[0] for r in routes} == {"cases", "exports", "protection"}
    for route in routes:
        for method in ("get", "post"):
            real = getattr(client, method)(_fill(route, world))
            missing = getattr(client, method)(_fill(route, _missing(world)))
            assert real.status_code in ALLOWED_REFUSALS, (route, method, real.status_code)
            assert real.status_code == missing.status_code, (route, method)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "logistics_officer"])
def test_every_api_operation_refuses_out_of_scope_tokens_like_a_missing_record(
    persona: str,
    request: pytest.FixtureRequest,
    world: dict[str, str],
    org: Any,
    other_org: Any,
) -> None:
    user = request.getfixturevalue(persona)
    token_org = other_org if persona == "outsider" else org
    _record, token = api_token_issue(actor=None, user=user, organization=token_org, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    paths = ninja_api.get_openapi_schema()["paths"]
    scoped = [p for p in paths if "{reference}" in p]
    assert len(scoped) >= 8
    for path in scoped:
        for method in METHODS:
            real = getattr(client, method)(_fill(path, world), content_type="application/json")
            missing = getattr(client, method)(
                _fill(path, _missing(world)), content_type="application/json"
            )
            assert real.status_code not in range(200, 400), (path, method)
            assert real.status_code != 403, (path, method)
            assert _answer(real) == _answer(missing), (path, method)


@pytest.mark.django_db
def test_valid_writes_to_another_organisations_case_are_404(
    world: dict[str, str], other_org: Any, outsider: Any, client_for: Any
) -> None:
    _record, token = api_token_issue(actor=None, user=outsider, organization=other_org, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    ref = world["reference"]
    writes = [
        ("post", f"/api/v1/cases/{ref}/notes", {"text": "x"}),
        ("post", f"/api/v1/cases/{ref}/stage", {"to_stage": "eligibility_review", "reason": "x"}),
        (
            "post",
            f"/api/v1/cases/{ref}/persons",
            {"relationship": "child", "given_name_latin": "X"},
        ),
        ("patch", f"/api/v1/cases/{ref}", {"program": "p2"}),
        ("patch", f"/api/v1/cases/{ref}/persons/{world['person_id']}", {"phone": "+93700000000"}),
    ]
    for method, path, body in writes:
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code == 404, (path, response.content)
    web = client_for(outsider)
    assert web.post(f"/cases/{ref}/notes/", {"text": "x"}).status_code == 404
    stage = web.post(f"/cases/{ref}/stage/", {"to_stage": "closed", "reason": "x"})
    assert stage.status_code == 404
