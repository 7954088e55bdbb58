"""Where one public application spends its time, request by request: the same steps as
bench/intake_surge.py, run in this process through Django's test client on PostgreSQL, with
the queries and the time of each request, and optionally a cProfile of the whole run.

Run: python bench/surge_profile.py [--applications 10] [--profile out.prof]
(PostgreSQL at 127.0.0.1:5432; databases bench_surge_profile and bench_surge_profile_keys are
created afresh.) One process, one applicant at a time: it shows the work each request does,
not how requests contend; bench/intake_surge.py measures the surge.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.intake_surge import (  # noqa: E402 - the path is set just above
    ABOUT,
    CONTACT,
    EMPLOYERS,
    FAMILY,
    ORG_SLUG,
    REFERENCE,
    THREAT,
    Fields,
    formset,
    location,
    small_jpeg,
    unique_name,
)


def fresh_databases(base: str, names: tuple[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')


class Recorder:
    """Times and queries of each labelled request."""

    def __init__(self, profile_label: str | None = None) -> None:
        self.profile_label = profile_label
        self.profiler = cProfile.Profile() if profile_label else None
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.samples: dict[str, list[str]] = {}

    def run(self, label: str, call: Any) -> Any:
        from django.db import connections
        from django.test.utils import CaptureQueriesContext

        captures = [CaptureQueriesContext(connections[alias]) for alias in ("default", "keys")]
        for capture in captures:
            capture.__enter__()
        profiling = self.profiler is not None and label == self.profile_label
        began = time.perf_counter()
        cpu_began = time.process_time()
        if profiling:
            self.profiler.enable()  # type: ignore[union-attr]
        try:
            return call()
        finally:
            if profiling:
                self.profiler.disable()  # type: ignore[union-attr]
            self.seconds[label].append(time.perf_counter() - began)
            self.cpu[label].append(time.process_time() - cpu_began)
            for capture in captures:
                capture.__exit__(None, None, None)
            self.queries[label].append(sum(len(c.captured_queries) for c in captures))
            self.samples.setdefault(
                label, [q["sql"][:150] for c in captures for q in c.captured_queries]
            )


def apply_once(client: Any, recorder: Recorder, name: str, language: str, photo: bytes) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def get(label: str, path: str, status: int = 200) -> Any:
        response = recorder.run(label, lambda: client.get(path))
        assert response.status_code == status, (label, response.status_code)
        return response

    def post(label: str, path: str, fields: Fields | dict[str, Any], status: int = 303) -> Any:
        data: dict[str, Any] = defaultdict(list)
        items = fields.items() if isinstance(fields, dict) else fields
        for key, value in [("website", ""), *items]:
            data[key].append(value)
        response = recorder.run(label, lambda: client.post(path, data))
        assert response.status_code == status, (label, response.status_code)
        return response

    get("language", "/apply/")
    post("choose", "/apply/", [("_language", language), ("next", "/apply/start/")])
    get("start", "/apply/start/")
    get("about", "/apply/step/about/")
    post("about (post)", "/apply/step/about/", [("given_name", name), *ABOUT.items()], 200)
    get("family", "/apply/step/family/")
    steps: list[tuple[str, Fields]] = [
        ("family", formset("m", FAMILY, 30)),
        ("employment", formset("e", EMPLOYERS, 15)),
        ("threat", THREAT),
        ("location", location()),
    ]
    for step, fields in steps:
        page = post(f"{step} (post)", f"/apply/step/{step}/", [*fields, ("action", "next")])
        get(page["Location"].strip("/").split("/")[-1], page["Location"])
    upload = {
        "kind": "tazkira",
        "action": "upload",
        "files": SimpleUploadedFile("tazkira.jpg", photo, "image/jpeg"),
    }
    page = post("documents (upload)", "/apply/step/documents/", upload)
    get("documents", page["Location"])
    page = post("documents (post)", "/apply/step/documents/", [("kind", "tazkira")])
    get("contact", page["Location"])
    page = post("contact (post)", "/apply/step/contact/", [*CONTACT.items()])
    get("review", page["Location"])
    page = post("submit", "/apply/submit/", [("consent", "on"), ("action", "next")])
    assert page["Location"] == "/apply/receipt/", page["Location"]
    receipt = get("receipt", page["Location"])
    match = REFERENCE.search(receipt.content.decode())
    assert match, "no reference on the receipt"
    return match.group(1)


def backend_cpu_seconds() -> float:
    """CPU used so far by this process's PostgreSQL backends (both databases), read from
    /proc: the database's share of the work (server and benchmark share the machine)."""
    from django.db import connections

    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for alias in ("default", "keys"):
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # another machine's database: not measured
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=10)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_surge_profile")
    parser.add_argument("--profile", help="write a cProfile of the measured applications here")
    parser.add_argument("--label", help="profile only the requests with this label")
    parser.add_argument("--top", type=int, default=40, help="functions to print from the profile")
    parser.add_argument("--sql", action="store_true", help="print each request's queries")
    args = parser.parse_args()

    names = (args.database, f"{args.database}_keys")
    fresh_databases(args.postgres, names)
    os.environ.update(
        {
            "DATABASE_URL": f"{args.postgres}/{names[0]}",
            "KEYS_DATABASE_URL": f"{args.postgres}/{names[1]}",
            "SAFEPASSAGE_DATA_DIR": tempfile.mkdtemp(prefix="sp-surge-profile-"),
            "SAFEPASSAGE_INTAKE_ORGANIZATION": ORG_SLUG,
            "SAFEPASSAGE_INTAKE_RATE_LIMITS": json.dumps(
                {
                    name: 10**9
                    for name in (
                        "posts_per_address",
                        "drafts_per_address",
                        "submissions_per_address",
                        "saves_per_draft",
                    )
                }
            ),
            "SAFEPASSAGE_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bench.surge_settings",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from safepassage.core.services import organization_create

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("migrate", database="keys", verbosity=0)
    organization_create(actor=None, name="Surge Relief", slug=ORG_SLUG)

    handler = Client().handler  # one handler: the middleware chain is built once, as in a server

    def client() -> Client:
        fresh = Client()
        fresh.handler = handler
        return fresh

    warm = Recorder()  # imports, template compilation, key cache: not measured
    apply_once(client(), warm, unique_name("Warm", 0), "fa", small_jpeg(0))

    recorder = Recorder(args.label if args.profile else None)
    profiler = cProfile.Profile() if args.profile and not args.label else None
    database_cpu = backend_cpu_seconds()
    began = time.perf_counter()
    if profiler:
        profiler.enable()
    for index in range(args.applications):
        language = ["fa", "ps", "en"][index % 3]
        apply_once(client(), recorder, unique_name("Prof", index), language, small_jpeg(index))
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    elif recorder.profiler is not None:
        recorder.profiler.dump_stats(args.profile)
    elapsed = time.perf_counter() - began
    database_ms = (backend_cpu_seconds() - database_cpu) * 1000 / args.applications

    total_ms = sum(sum(v) for v in recorder.seconds.values()) * 1000 / args.applications
    cpu_ms = sum(sum(v) for v in recorder.cpu.values()) * 1000 / args.applications
    total_queries = sum(sum(v) for v in recorder.queries.values()) / args.applications
    print(
        f"{args.applications} applications in {elapsed:.1f} s, one at a time: "
        f"{total_ms:.0f} ms ({cpu_ms:.0f} ms CPU in this process, {database_ms:.0f} ms in "
        f"PostgreSQL) and {total_queries:.0f} queries an application"
    )
    print(f"{'request':22} {'mean ms':>8} {'CPU ms':>8} {'queries':>8}")
    for label, values in recorder.seconds.items():
        mean_ms = sum(values) / len(values) * 1000
        mean_cpu_ms = sum(recorder.cpu[label]) / len(values) * 1000
        queries = sum(recorder.queries[label]) / len(recorder.queries[label])
        print(f"{label:22} {mean_ms:8.1f} {mean_cpu_ms:8.1f} {queries:8.1f}")
        if args.sql:
            for sql in recorder.samples[label]:
                print(f"    {sql}")
    if args.profile:
        stats = pstats.Stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
