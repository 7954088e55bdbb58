"""Follow-up jobs are queued once per transaction and key (a submission touching many rows of
one case queues one re-assessment and one priority refresh, not one per row), and a
rolled-back savepoint forgets what it asked for."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from safepassage.core.jobs import on_commit_once


@pytest.mark.django_db
def test_a_key_asked_for_many_times_runs_once_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    calls: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            on_commit_once("case:1", lambda: calls.append("case:1"))
        on_commit_once("case:2", lambda: calls.append("case:2"))
        assert calls == []  # nothing before the commit
    assert calls == ["case:1", "case:2"]


@pytest.mark.django_db
def test_a_rolled_back_savepoint_forgets_its_request(
    django_capture_on_commit_callbacks: Any,
) -> None:
    calls: list[str] = []

    class Failed(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Failed), transaction.atomic():
            on_commit_once("case:1", lambda: calls.append("rolled back"))
            raise Failed
        on_commit_once("case:1", lambda: calls.append("kept"))
    assert calls == ["kept"]


@pytest.mark.django_db
def test_a_submission_queues_one_reassessment_and_one_priority_refresh(
    org: Any, caseworker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from safepassage.cases import services
    from safepassage.engine.dates import PartialDate

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        case = services.case_open(
            actor=caseworker,
            organization=org,
            channel="staff",
            program="siv",
            principal={"sex": "male", "given_name_latin": "Zabihullah"},
        )
        for name in ("Maryam", "Ahmad", "Gul"):
            services.person_add(
                actor=caseworker,
                case=case,
                data={"relationship": "child", "sex": "female", "given_name_latin": name,
                      "birth_date": PartialDate(2015)},
            )  # fmt: skip
    keys = [getattr(callback, "once_key", None) for callback in callbacks]
    assert keys.count(f"reassess-case:{case.pk}") == 1
    assert keys.count(f"case-priority:{case.pk}") == 1
