"""Erasing a case drops what other apps derived from it: its priority and priority history,
where the household is (token included), its DS-157 answers and the pipeline's written
explanations. A document added later recomputes the priority (signals)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from priority_support import LASHKAR_GAH, household, run_jobs
from tests.conftest import sample_pdf

from safepassage.cases import services as case_services
from safepassage.cases.erasure import case_erase
from safepassage.cases.models import Case, Ds157Data
from safepassage.pipeline import services as pipeline_services
from safepassage.pipeline.models import MissingDocumentExplanation
from safepassage.threat.models import CasePriority, CasePriorityHistory


@pytest.mark.django_db(transaction=True)
def test_a_new_document_recomputes_the_priority_and_erasure_drops_it(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    case = household(org, caseworker, district=LASHKAR_GAH, categories=("threat_letter",))
    run_jobs()
    before = CasePriority.objects.get(case=case)
    case_services.document_attach(
        actor=caseworker,
        case=case,
        kind="threat_evidence",
        content=sample_pdf("Night letter"),
        original_name="letter.pdf",
    )
    run_jobs()
    after = CasePriority.objects.get(case=case)
    assert after.score > before.score  # a documented incident raises the threat part
    pipeline_services.explanation_record(
        actor=caseworker, case=case, document="ds157", text="Filled on paper."
    )
    Ds157Data.objects.create(case=case, person=case.people.get(relationship="principal"))

    case_erase(actor=supervisor, case=case, reason="Applicant asked")
    run_jobs()
    case = Case.objects.get(pk=case.pk)
    assert not CasePriority.objects.filter(case=case).exists()
    assert not CasePriorityHistory.objects.filter(case=case).exists()
    assert not MissingDocumentExplanation.objects.filter(case=case).exists()
    assert not Ds157Data.objects.filter(case=case).exists()
    assert case.current_district_token == "" and case.threat_categories is None
    # Nothing of the household's threats or needs remains, not even sealed.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT threat_categories, medical_needs, disability FROM cases_case WHERE id = %s",
            [case.pk.hex if connection.vendor == "sqlite" else case.pk],
        )
        assert cursor.fetchall() == [(None, None, None)]
