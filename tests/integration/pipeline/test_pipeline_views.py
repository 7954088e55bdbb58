"""The pipeline panel on the case page, and the supervisors' pages; every page also proves
that another organisation and a weaker role are refused."""

from __future__ import annotations

from typing import Any

import pytest
from pipeline_builders import days, move, open_siv_case, ready_for_com, submitted_case

from safepassage.cases.models import Case, StageEvent
from safepassage.engine.reference import new_reference
from safepassage.pipeline.models import MissingDocumentExplanation, StageSLA


def page_of(client: Any, case: Case) -> str:
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    return str(response.content.decode())


def age(case: Case, by_days: int) -> None:
    """Time travel for the queue: the case entered its stage ``by_days`` days ago (the
    history is append-only for the application, not for a test's setup)."""
    StageEvent.objects.filter(case=case).update(effective_on=days(-by_days))


@pytest.mark.django_db
def test_the_case_page_shows_whose_move_the_clocks_and_the_guards_of_the_next_moves(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    move(case, caseworker, "com_preparation")
    page = page_of(client_for(caseworker), case)
    assert 'id="whose-move"' in page and "the applicant" in page
    assert "Time in this stage" in page and "service level 60 days" in page
    assert "starts when the COM application is submitted" in page
    assert "HR employment verification letter: missing" in page
    assert 'data-stage="com_submitted"' in page and 'data-stage="closed"' not in page
    assert "Explain a missing COM document" in page
    supervisor_page = page_of(client_for(supervisor), case)
    assert 'data-stage="closed"' in supervisor_page and 'name="override"' in supervisor_page


@pytest.mark.django_db
def test_a_refused_move_shows_each_reason_beside_its_field(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    move(case, caseworker, "com_preparation")
    client = client_for(caseworker)
    url = f"/pipeline/cases/{case.reference}/move/"
    response = client.post(url, {"to_stage": "com_submitted"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Letter of recommendation: missing" in page
    assert "DS-157 data: missing" in page
    back = client.post(url, {"to_stage": "intake", "reason": ""})
    assert back.status_code == 422 and "Give a reason" in back.content.decode()
    future = client.post(
        url, {"to_stage": "com_submitted", "effective_on": days(3).isoformat()}
    ).content.decode()
    assert "cannot be in the future" in future
    closing = client.post(url, {"to_stage": "closed", "reason": "x"}).content.decode()
    assert "Withdrawing, closing and reopening are for supervisors" in closing
    case.refresh_from_db()
    assert case.stage == "com_preparation"


@pytest.mark.django_db
def test_a_move_and_an_explanation_through_the_case_page(
    org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    client = client_for(caseworker)
    response = client.post(
        f"/pipeline/cases/{case.reference}/move/",
        {"to_stage": "com_preparation", "effective_on": days(0).isoformat()},
    )
    assert response.status_code == 302
    explained = client.post(
        f"/pipeline/cases/{case.reference}/explanations/",
        {"document": "hr_letter", "text": "The contractor left Afghanistan in 2021."},
    )
    assert explained.status_code == 302
    assert MissingDocumentExplanation.objects.get(case=case).document == "hr_letter"
    page = page_of(client, case)
    assert "HR employment verification letter: covered by a written explanation" in page
    empty = client.post(
        f"/pipeline/cases/{case.reference}/explanations/", {"document": "ds157", "text": ""}
    )
    assert empty.status_code == 422
    # The older address of the stage form takes the same path.
    older = client.post(f"/cases/{case.reference}/stage/", {"to_stage": "com_submitted"})
    assert older.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "logistics_officer"])
def test_another_organisations_case_is_not_found_on_the_pipeline_routes(
    persona: str, request: pytest.FixtureRequest, org: Any, caseworker: Any, client_for: Any
) -> None:
    case = open_siv_case(org, caseworker)
    client = client_for(request.getfixturevalue(persona))
    for reference in (case.reference, new_reference()):
        move_url = f"/pipeline/cases/{reference}/move/"
        assert client.post(move_url, {"to_stage": "eligibility_review"}).status_code == 404
        explain_url = f"/pipeline/cases/{reference}/explanations/"
        assert client.post(explain_url, {"document": "ds157", "text": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.stage == "intake" and not MissingDocumentExplanation.objects.exists()


@pytest.mark.django_db
def test_the_overdue_queue_is_for_supervisors_and_sorted_by_how_overdue(
    org: Any, other_org: Any, caseworker: Any, supervisor: Any, outsider: Any, client_for: Any
) -> None:
    little = open_siv_case(org, caseworker, "Little")
    age(little, 10)  # intake: 7 days
    much = submitted_case(org, caseworker, "Much")
    age(much, 300)  # COM submitted: 120 days
    fresh = open_siv_case(org, caseworker, "Fresh")
    elsewhere = open_siv_case(other_org, outsider, "Elsewhere")
    age(elsewhere, 100)
    client = client_for(supervisor)
    response = client.get("/pipeline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(much.reference) < page.index(little.reference)
    assert fresh.reference not in page and elsewhere.reference not in page
    assert "the US government" in page and "Overdue cases" in page
    assert 'id="time-by-owner"' in page and "Where time goes" in page
    assert "Across 3 open cases" in page  # the other organisation's case is not counted
    every = client.get("/pipeline/", {"show": "open"}).content.decode()
    assert fresh.reference in every
    assert client_for(caseworker).get("/pipeline/").status_code == 403
    assert 'href="/pipeline/"' not in page_of(client_for(caseworker), fresh)
    assert 'href="/pipeline/"' in page_of(client_for(supervisor), fresh)
    outsider_supervisor = client_for(outsider)
    outsider.memberships.update(role="supervisor")
    assert outsider_supervisor.get("/pipeline/", {"org": org.pk}).status_code == 404
    assert elsewhere.reference in outsider_supervisor.get("/pipeline/").content.decode()


@pytest.mark.django_db
def test_bulk_move_previews_refusals_then_moves_the_cases_that_pass(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    ready = open_siv_case(org, caseworker, "Ready")
    ready_for_com(ready, caseworker)
    bare = open_siv_case(org, caseworker, "Bare")
    for case in (ready, bare):
        move(case, caseworker, "com_preparation")
    client = client_for(supervisor)
    form = {
        "org": org.pk,
        "cases": [ready.reference, bare.reference],
        "action": "move",
        "to_stage": "com_submitted",
        "step": "preview",
    }
    preview = client.post("/pipeline/bulk/", form)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "1 of 2 selected cases can move" in page
    assert f'class="refused" data-reference="{bare.reference}"' in page
    assert "HR employment verification letter: missing" in page
    for case in (ready, bare):
        case.refresh_from_db()
        assert case.stage == "com_preparation"  # nothing moved on preview
    confirm = client.post("/pipeline/bulk/", {**form, "step": "confirm"})
    assert confirm.status_code == 302
    ready.refresh_from_db()
    bare.refresh_from_db()
    assert (ready.stage, bare.stage) == ("com_submitted", "com_preparation")
    refused = client_for(caseworker).post("/pipeline/bulk/", {**form, "step": "confirm"})
    assert refused.status_code == 403


@pytest.mark.django_db
def test_bulk_assign_from_the_queue(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    cases = [open_siv_case(org, caseworker, f"N{i}") for i in range(3)]
    client = client_for(supervisor)
    response = client.post(
        "/pipeline/bulk/",
        {
            "org": org.pk,
            "cases": [c.reference for c in cases[:2]],
            "action": "assign",
            "assignee": caseworker.pk,
        },
    )
    assert response.status_code == 302
    assigned = set(Case.objects.filter(assigned_to=caseworker).values_list("reference", flat=True))
    assert assigned == {cases[0].reference, cases[1].reference}


@pytest.mark.django_db
def test_service_levels_are_set_per_stage_by_a_supervisor(
    org: Any, caseworker: Any, supervisor: Any, client_for: Any
) -> None:
    client = client_for(supervisor)
    page = client.get("/pipeline/service-levels/")
    assert page.status_code == 200 and "default: 120 days" in page.content.decode()
    saved = client.post(
        "/pipeline/service-levels/", {"org": org.pk, "siv__com_submitted": "٩٠", "p2__security": ""}
    )
    assert saved.status_code == 302
    assert StageSLA.objects.get(program="siv", stage="com_submitted").days == 90
    wrong = client.post("/pipeline/service-levels/", {"org": org.pk, "siv__intake": "0"})
    assert wrong.status_code == 422
    assert client_for(caseworker).get("/pipeline/service-levels/").status_code == 403
