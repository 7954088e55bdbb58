"""Cost of protection (per-case envelope encryption + hash-chained audit + access
accounting) on case create, case read and a list of 50 cases, against the same operations
with protection switched off, on PostgreSQL with 100,000 cases; and the time to rotate the
key-encryption key over every data key.

Baseline: ``protection_off_for_benchmark`` — values stored in clear, no audit entries, no
access events — in the same database, alternating on/off operation by operation.
Targets (data-protection issue): writes at most 1.5x, reads at most 1.3x; rotation of
100,000 cases under 2 minutes.

Run: python bench/protection.py [--cases 100000]
(uses PostgreSQL at 127.0.0.1:5432, databases bench_protection and bench_protection_keys,
created afresh; override with --postgres URL-without-database).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
import time


def _fresh_databases(base: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    _fresh_databases(args.postgres, ["bench_protection", "bench_protection_keys"])
    os.environ["SAFEPASSAGE_BENCHMARK"] = "1"
    os.environ["DATABASE_URL"] = f"{args.postgres}/bench_protection"
    os.environ["KEYS_DATABASE_URL"] = f"{args.postgres}/bench_protection_keys"
    os.environ.setdefault("SAFEPASSAGE_DATA_DIR", tempfile.mkdtemp(prefix="sp-bench-"))
    os.environ["SAFEPASSAGE_READ_RATE_MAX_CASES"] = "1000000"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from safepassage.accounts.testing import client_verify
    from safepassage.cases import services
    from safepassage.cases.loading import households_load
    from safepassage.cases.models import Case
    from safepassage.core.services import membership_grant, organization_create, user_create
    from safepassage.protection.crypto import protection_off_for_benchmark
    from safepassage.synth import generate_households

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    call_command("migrate", database="keys", verbosity=0, interactive=False)
    protected = organization_create(actor=None, name="Bench protected", slug="bench-on")
    unprotected = organization_create(actor=None, name="Bench unprotected", slug="bench-off")
    user = user_create(username="bench", password="bench-password-long-1")
    for org in (protected, unprotected):
        membership_grant(actor=None, organization=org, user=user, role="caseworker")

    half = args.cases // 2
    began = time.perf_counter()
    households = [
        dataclasses.replace(h, people=h.people[:2])
        for h in generate_households(half, seed=7, duplicate_rate=0)
    ]
    households_load(organization=protected, households=households, batch_size=1000)
    with protection_off_for_benchmark():
        households_load(organization=unprotected, households=households, batch_size=1000)
    print(
        f"PostgreSQL with {Case.objects.count():,} cases "
        f"(loaded in {time.perf_counter() - began:.0f} s)"
    )

    client = Client()
    client.force_login(user)
    client_verify(client, user)
    principal = {
        "given_name_latin": "Bench",
        "father_name_latin": "Mark",
        "phone": "+93701234567",
        "tazkira_kind": "electronic",
        "tazkira_number": "1399-0101-12345",
    }

    def timed(operation: object, off: bool) -> float:
        start = time.perf_counter()
        if off:
            with protection_off_for_benchmark():
                operation()  # type: ignore[operator]
        else:
            operation()  # type: ignore[operator]
        return time.perf_counter() - start

    results: dict[str, dict[bool, list[float]]] = {}

    def measure(name: str, on: object, off: object, samples: int) -> None:
        results[name] = {False: [], True: []}
        for index in range(samples):
            order = (False, True) if index % 2 == 0 else (True, False)
            for is_off in order:
                results[name][is_off].append(timed(off if is_off else on, is_off))

    measure(
        "case create",
        lambda: services.case_open(
            actor=user, organization=protected, channel="staff", principal=principal
        ),
        lambda: services.case_open(
            actor=user, organization=unprotected, channel="staff", principal=principal
        ),
        args.samples,
    )
    on_refs = list(
        Case.objects.filter(organization=protected).values_list("reference", flat=True)[
            : args.samples
        ]
    )
    off_refs = list(
        Case.objects.filter(organization=unprotected).values_list("reference", flat=True)[
            : args.samples
        ]
    )
    read_pairs = iter(zip(on_refs, off_refs, strict=False))
    current: dict[str, str] = {}

    def next_pair() -> None:
        current["on"], current["off"] = next(read_pairs)

    def read(which: str) -> None:
        response = client.get(f"/cases/{current[which]}/")
        assert response.status_code == 200, response.status_code

    results["case read"] = {False: [], True: []}
    for index in range(min(len(on_refs), len(off_refs))):
        next_pair()
        order = ("on", "off") if index % 2 == 0 else ("off", "on")
        for which in order:
            results["case read"][which == "off"].append(
                timed(lambda w=which: read(w), which == "off")
            )
    org_filter = {"on": protected.pk, "off": unprotected.pk}

    def list_page(which: str) -> None:
        response = client.get("/cases/")
        assert response.status_code == 200

    results["list of 50"] = {False: [], True: []}
    from safepassage.core.models import Membership

    # The list shows the cases of every organisation the user works in: before each
    # measurement, leave the user a case role in the measured organisation only.
    for index in range(max(20, args.samples // 4)):
        order = ("on", "off") if index % 2 == 0 else ("off", "on")
        for which in order:
            keep = org_filter[which]
            Membership.objects.filter(user=user).exclude(organization_id=keep).update(
                role="placement"
            )
            Membership.objects.filter(user=user, organization_id=keep).update(role="caseworker")
            results["list of 50"][which == "off"].append(
                timed(lambda w=which: list_page(w), which == "off")
            )

    for name, sides in results.items():
        on_ms = statistics.median(sides[False]) * 1000
        off_ms = statistics.median(sides[True]) * 1000
        print(
            f"{name:12} protected {on_ms:7.2f} ms | unprotected (baseline) {off_ms:7.2f} ms "
            f"| ratio {on_ms / off_ms:.2f}x  (median of {len(sides[False])})"
        )

    from safepassage.protection.models import DataKey

    with open(os.devnull, "w") as sink:
        started = time.perf_counter()
        call_command("keys", "rotate", "--batch", "5000", stdout=sink)
    rotation = time.perf_counter() - started
    print(
        f"key rotation: {DataKey.objects.count():,} data keys re-wrapped in {rotation:.1f} s "
        f"(target < 120 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
