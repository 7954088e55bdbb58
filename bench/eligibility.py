"""Re-assessing every case after a rule change: 100,000 generated cases on PostgreSQL, read
and written through the real models by the production job (``rule_reassessment_execute``:
batched reads with prefetch, the engine in worker processes, bulk writes of assessments and
of the tasks and document requests that change).

Baseline (the floor): the same batches read the same way (the rows and decrypted values the
engine needs, the stored assessments and open work items) and the same assessment rows
written back in bulk, without evaluating; measured before and after the re-assessment in the
same run, and averaged.
Targets (eligibility issue): the re-assessment of 100,000 cases under 60 s and under 3x the
floor.

The rule change: the SIV's COM application deadline moved from 31 December 2025 to
31 December 2026 (an extension of the kind Congress has passed several times). Cases are
first assessed under the shipped rules (not timed against the target, printed).

Run: python bench/eligibility.py [--cases 100000] [--processes N]
(uses PostgreSQL at 127.0.0.1:5432, databases bench_eligibility and bench_eligibility_keys,
created afresh; override with --postgres URL-without-database).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from typing import Any


def _fresh_databases(base: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


OLD_DEADLINE = 'description = "The COM application is made by 31 December 2025."\n'
NEW_DEADLINE = 'description = "The COM application is made by 31 December 2026."\n'


def _floor(batch_size: int) -> float:
    """Read what the job reads and write the same assessment rows, without evaluating."""
    from django.db import transaction
    from django.utils import timezone

    from safepassage.eligibility.assessments import _UPDATE_FIELDS, case_batches, facts_of
    from safepassage.eligibility.models import CaseAssessment, WorkItem

    began = time.perf_counter()
    for cases in case_batches(batch_size=batch_size):
        facts = [facts_of(case) for case in cases]
        assert len(facts) == len(cases)
        ids = [case.pk for case in cases]
        stored = list(CaseAssessment.objects.filter(case_id__in=ids))
        list(
            WorkItem.objects.filter(case_id__in=ids, closed_at__isnull=True)
            .order_by()
            .values_list(
                "pk",
                "case_id",
                "kind",
                "key",
                "task_id",
                "task__done",
                "request_id",
                "items",
                "requests",
            )
        )
        now = timezone.now()
        for row in stored:
            row.computed_at = now
        with transaction.atomic():
            CaseAssessment.objects.bulk_create(
                stored, update_conflicts=True, unique_fields=["case"], update_fields=_UPDATE_FIELDS
            )
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--profile", help="write a cProfile of the re-assessment to this file")
    args = parser.parse_args()

    _fresh_databases(args.postgres, ["bench_eligibility", "bench_eligibility_keys"])
    os.environ["SAFEPASSAGE_BENCHMARK"] = "1"
    os.environ["DATABASE_URL"] = f"{args.postgres}/bench_eligibility"
    os.environ["KEYS_DATABASE_URL"] = f"{args.postgres}/bench_eligibility_keys"
    os.environ.setdefault("SAFEPASSAGE_DATA_DIR", tempfile.mkdtemp(prefix="sp-bench-"))
    os.environ["SAFEPASSAGE_ELIGIBILITY_PROCESSES"] = str(args.processes)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from safepassage.cases.loading import households_load
    from safepassage.cases.models import Case, Task
    from safepassage.core.models import Role
    from safepassage.core.services import membership_grant, organization_create, user_create
    from safepassage.eligibility import assessments, services
    from safepassage.eligibility.models import CaseAssessment, RuleChangeRun, RuleRevision
    from safepassage.eligibility.rulebook import published_rules
    from safepassage.intake.models import DocumentRequest
    from safepassage.synth import generate_households

    call_command("migrate", verbosity=0, interactive=False)
    call_command("migrate", database="keys", verbosity=0, interactive=False)
    organization = organization_create(actor=None, name="Bench eligibility", slug="bench-elig")
    officer = user_create(username="officer", password="bench-officer-password-1")
    membership_grant(actor=None, organization=organization, user=officer, role=Role.PROGRAM_OFFICER)

    began = time.perf_counter()
    households_load(
        organization=organization,
        households=generate_households(args.cases, seed=args.seed, duplicate_rate=0),
        batch_size=1000,
    )
    print(
        f"PostgreSQL with {Case.objects.count():,} generated cases "
        f"(loaded in {time.perf_counter() - began:.0f} s); {args.processes} evaluating processes"
    )

    began = time.perf_counter()
    assessments.reassess(rules=published_rules(), today=timezone.localdate())
    print(
        f"first assessment (shipped rules, every task and request opened): "
        f"{time.perf_counter() - began:.1f} s; {Task.objects.count():,} tasks, "
        f"{DocumentRequest.objects.count():,} document requests"
    )

    siv = RuleRevision.objects.get(program="siv", status="published")
    assert siv.text.count(OLD_DEADLINE) == 1
    draft = services.rule_draft_create(
        actor=officer,
        program="siv",
        text=siv.text.replace(OLD_DEADLINE, NEW_DEADLINE).replace(
            "deadline = 2025-12-31", "deadline = 2026-12-31"
        ),
        note="Bench: COM applications accepted until 31 December 2026.",
    )
    preview = services.rule_preview_start(actor=officer, revision=draft)
    began = time.perf_counter()
    services.rule_preview_execute(run_id=preview.pk)
    preview.refresh_from_db()
    print(
        f"preview (every case under both rule sets, counts only): "
        f"{time.perf_counter() - began:.1f} s; {preview.summary.get('became_eligible')} "
        f"become eligible, {preview.summary.get('lost_eligibility')} lose it"
    )

    floor_before = _floor(args.batch)
    print(f"floor (read and write the same rows, no evaluation), before: {floor_before:.1f} s")

    run = services.rule_publish(actor=officer, run=preview)
    tasks_before = Task.objects.filter(done=False).count()
    began = time.perf_counter()
    if args.profile:
        import cProfile

        cProfile.runctx(
            "services.rule_reassessment_execute(run_id=run.pk)",
            globals(),
            {"services": services, "run": run},
            args.profile,
        )
    else:
        services.rule_reassessment_execute(run_id=run.pk)
    elapsed = time.perf_counter() - began
    run = RuleChangeRun.objects.get(pk=run.pk)
    assert run.status == "done" and run.processed == run.total, (run.status, run.processed)
    assert not CaseAssessment.objects.exclude(revisions=published_rules().revisions).exists()

    floor_after = _floor(args.batch)
    print(f"floor (read and write the same rows, no evaluation), after: {floor_after:.1f} s")
    floor = (floor_before + floor_after) / 2
    transitions: dict[Any, int] = {}
    for program, old, new, count in run.summary.get("transitions", []):
        transitions[(program, old, new)] = count
    print(
        f"re-assessment after the rule change: {run.processed:,} cases in {elapsed:.1f} s "
        f"({run.processed / elapsed:,.0f} cases/s; target < 60 s); "
        f"open tasks {tasks_before:,} -> {Task.objects.filter(done=False).count():,}"
    )
    for (program, old, new), count in sorted(transitions.items(), key=lambda i: -i[1])[:6]:
        print(f"  {program}: {count:,} cases from {old} to {new}")
    print(f"floor (mean of before and after): {floor:.1f} s")
    print(f"ratio re-assessment/floor: {elapsed / floor:.2f}x (target < 3x)")

    # The same job again with nothing left to change: what evaluation costs over the floor
    # when no task or request has to be opened or closed.
    began = time.perf_counter()
    assessments.reassess(rules=published_rules(), today=timezone.localdate())
    steady = time.perf_counter() - began
    print(
        f"re-assessment again, no work to open or close: {steady:.1f} s; "
        f"ratio to the floor {steady / floor:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
