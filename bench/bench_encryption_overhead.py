"""Cost of encrypting personal data: load 100,000 generated people through the ORM and
render case pages, encrypted against the same work with encryption switched off.

Baseline: the identical households stored in clear (``plaintext_for_benchmark``), in the
same database, in alternating batches so both sides see the same table sizes; page renders
alternate between an encrypted and a clear case of the same generated household.
Targets from the foundation issue: writes under 1.5x, page render under 1.2x.

Run: SAFEPASSAGE_BENCHMARK=1 python bench/bench_encryption_overhead.py [--people 100000]
(SQLite in a temporary folder unless DATABASE_URL names PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    os.environ["SAFEPASSAGE_BENCHMARK"] = "1"
    os.environ.setdefault("SAFEPASSAGE_READ_RATE_MAX_CASES", "1000000")
    os.environ.setdefault("SAFEPASSAGE_DATA_DIR", tempfile.mkdtemp(prefix="sp-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from safepassage.accounts.testing import client_verify
    from safepassage.cases.loading import households_load
    from safepassage.cases.models import Case
    from safepassage.core.services import membership_grant, organization_create, user_create
    from safepassage.protection.crypto import plaintext_for_benchmark
    from safepassage.synth import generate_people_count

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    call_command("migrate", database="keys", verbosity=0, interactive=False)
    encrypted_org = organization_create(actor=None, name="Bench encrypted", slug="bench-enc")
    clear_org = organization_create(actor=None, name="Bench clear", slug="bench-clear")
    reader = user_create(username="bench-reader", password="bench-reader-password-1")
    for org in (encrypted_org, clear_org):
        membership_grant(actor=None, organization=org, user=reader, role="caseworker")

    households = list(generate_people_count(args.people, seed=args.seed, duplicate_rate=0))
    people = sum(len(h.people) for h in households)
    print(f"database: {connection.vendor}; {len(households):,} households, {people:,} people")

    timings = {"encrypted": 0.0, "clear": 0.0}
    for start in range(0, len(households), args.batch):
        batch = households[start : start + args.batch]
        for side in (
            ("encrypted", "clear") if (start // args.batch) % 2 == 0 else ("clear", "encrypted")
        ):
            began = time.perf_counter()
            if side == "clear":
                with plaintext_for_benchmark():
                    households_load(organization=clear_org, households=batch, batch_size=args.batch)
            else:
                households_load(organization=encrypted_org, households=batch, batch_size=args.batch)
            timings[side] += time.perf_counter() - began

    rate = {side: people / seconds for side, seconds in timings.items()}
    write_ratio = timings["encrypted"] / timings["clear"]
    print(f"load, encrypted: {rate['encrypted']:,.0f} people/s ({timings['encrypted']:.1f} s)")
    print(f"load, clear (baseline): {rate['clear']:,.0f} people/s ({timings['clear']:.1f} s)")
    print(f"write ratio encrypted/clear: {write_ratio:.2f}x (target < 1.5x)")

    client = Client()
    client.force_login(reader)
    client_verify(client, reader)  # signed in with password and second factor
    encrypted_refs = list(
        Case.objects.filter(organization=encrypted_org)
        .order_by("created_at", "reference")
        .values_list("reference", flat=True)
    )
    clear_refs = list(
        Case.objects.filter(organization=clear_org)
        .order_by("created_at", "reference")
        .values_list("reference", flat=True)
    )
    step = max(1, len(encrypted_refs) // args.pages)
    render = {"encrypted": [], "clear": []}
    for index in range(0, min(len(encrypted_refs), len(clear_refs)), step):
        for side, ref in (("encrypted", encrypted_refs[index]), ("clear", clear_refs[index])):
            began = time.perf_counter()
            if side == "clear":
                with plaintext_for_benchmark():
                    response = client.get(f"/cases/{ref}/")
            else:
                response = client.get(f"/cases/{ref}/")
            elapsed = time.perf_counter() - began
            if response.status_code != 200:
                print(f"page for a {side} case answered {response.status_code}", file=sys.stderr)
                return 1
            render[side].append(elapsed)
    median = {side: statistics.median(values) for side, values in render.items()}
    render_ratio = median["encrypted"] / median["clear"]
    print(
        f"case page, encrypted: median {median['encrypted'] * 1000:.1f} ms "
        f"over {len(render['encrypted'])} pages"
    )
    print(f"case page, clear (baseline): median {median['clear'] * 1000:.1f} ms")
    print(f"render ratio encrypted/clear: {render_ratio:.2f}x (target < 1.2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
