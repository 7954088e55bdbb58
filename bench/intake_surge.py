"""A surge of public applications against the real app under gunicorn on PostgreSQL: many
applicants at once, each filling in every step of the form (with a photo) and sending it; then
the same while the server is killed with SIGKILL and restarted, checking afterwards that every
receipt shown became one complete case and no application became two.

The floor: ``/bench/floor/`` (bench/surge_urls.py), a bare Django view on the same stack (same
gunicorn, every middleware, same databases) that inserts one row. The intake's throughput is
compared request for request (an application is ~20 requests), latencies side by side.
Targets: intake requests/s at least 40% of the floor's requests/s; submit p95 under 500 ms.

Run: python bench/intake_surge.py [--applications 500] [--concurrency 50] [--seconds 120]
(PostgreSQL at 127.0.0.1:5432, databases bench_surge and bench_surge_keys created afresh;
only loopback; stops by itself: every phase is bounded in applications and in time.)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
SAFEPASSAGE = REPO / ".venv" / "bin" / "safepassage"
HOST = "127.0.0.1"
ORG_SLUG = "surge"
TARGET_FLOOR_SHARE = 0.40
TARGET_SUBMIT_P95_MS = 500.0
# A request is retried (same cookies, so the same draft) for at most this long: covers a
# restart of the server, and keeps a dead server from holding the benchmark forever.
RETRY_SECONDS = 90.0
RESPONSE_TIMEOUT_SECONDS = 60.0
RETRIED_ERRORS = (OSError, http.client.HTTPException)  # refused, reset, timed out, cut short

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESUME_CODE = re.compile(r'<span class="code"[^>]*>([0-9A-Z-]+)</span>')
REFERENCE = re.compile(r'<span class="code" id="reference">([^<]+)</span>')

# --- what the applicants type (as tests/integration/intake/intake_support.py) ----------------

ABOUT = {
    "father_name": "عبدالغفور",
    "grandfather_name": "محمد نبی",
    "family_name": "احمدزی",
    "name_on_passport": "Zabiullah Ahmadzai",
    "sex": "male",
    "birth_date_0": "۱۳۶۵-۰۷-۱۵",
    "birth_date_1": "solar_hijri",
    "tazkira_kind": "paper",
    "tazkira_volume": "۱۲۳",
    "tazkira_page": "۴۵",
    "tazkira_registration": "۶۷۸۹",
    "passport_number": "",
}
FAMILY = [
    {
        "relationship": "spouse",
        "given_name": "فرشته",
        "father_name": "Abdul Haq",
        "sex": "female",
        "birth_date_0": "1370",
        "birth_date_1": "solar_hijri",
    },
    {
        "relationship": "child",
        "given_name": "Mohammad Zaman",
        "sex": "male",
        "birth_date_0": "2012-03-04",
        "birth_date_1": "gregorian",
    },
]
EMPLOYERS = [
    {
        "employer_name": "US Army, 3rd Brigade",
        "employer_kind": "us_military",
        "role": "Interpreter",
        "interpreter": "on",
        "start_date_0": "۱۳۸۹-۰۱",
        "start_date_1": "solar_hijri",
        "end_date_0": "2014-06",
        "end_date_1": "gregorian",
        "supervisor_name": "SSG John Miller",
        "supervisor_email": "john.miller@example.mil",
    },
    {
        "employer_name": "Mission Essential Personnel",
        "employer_kind": "us_government_contractor",
        "role": "Linguist",
        "sensitive_and_trusted": "on",
        "start_date_0": "2015",
        "start_date_1": "gregorian",
    },
]
THREAT = [
    ("categories", "threat_letter"),
    ("categories", "phone_threats"),
    ("description", "A night letter was left at our door in Hamal 1401."),
]
CONTACT = {
    "phone": "۰۷۰۱۲۳۴۵۶۷",
    "whatsapp": "+92 300 1234567",
    "email": "",
    "safe_times": "Evenings after 8",
    "leave_messages": "no",
}
Fields = list[tuple[str, str]]


def formset(prefix: str, rows: list[dict[str, str]], limit: int) -> Fields:
    data = [
        (f"{prefix}-TOTAL_FORMS", str(len(rows))),
        (f"{prefix}-INITIAL_FORMS", "0"),
        (f"{prefix}-MIN_NUM_FORMS", "0"),
        (f"{prefix}-MAX_NUM_FORMS", str(limit)),
    ]
    for index, row in enumerate(rows):
        data.extend((f"{prefix}-{index}-{key}", value) for key, value in row.items())
    return data


def location() -> Fields:
    from safepassage.engine.places import districts_of

    district = districts_of("AF-KAB")[0].code
    return [("where", "afghanistan"), ("province", "AF-KAB"), ("district", district)]


def small_jpeg(seed: int) -> bytes:
    """A small real photo (uploads are decoded and re-encoded by the app)."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", (96, 64), (rng.randrange(256), 90, 40))
    for _ in range(40):
        xy = (rng.randrange(96), rng.randrange(64))
        image.putpixel(xy, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def unique_name(run: str, index: int) -> str:
    """A given name only this applicant has (letters only: names refuse digits)."""
    letters = ""
    index += 26 * 26  # at least three letters
    while index:
        index, rest = divmod(index, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return f"Surge {run} {letters.capitalize()}"


# --- the server ------------------------------------------------------------------------------


class Server:
    """``safepassage serve`` (gunicorn) in a process group of its own, so that a kill takes
    the master and every worker at once; with ``worker_nice`` > 0 the background-job worker
    runs beside it in the same group, that much less favoured by the scheduler than the web
    workers (0: the worker ``serve`` starts itself, at the same priority)."""

    def __init__(
        self, *, port: int, workers: int, env: dict[str, str], log: Path, worker_nice: int = 0
    ) -> None:
        self.port, self.workers, self.env, self.log = port, workers, env, log
        self.worker_nice = worker_nice
        self.process: subprocess.Popen[bytes] | None = None
        self.job_worker: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> float:
        """Start and wait until it answers; returns the seconds that took."""
        began = time.perf_counter()
        command = [str(SAFEPASSAGE), "serve", "--host", HOST, "--port", str(self.port)]
        command += ["--workers", str(self.workers), "--no-migrate"]
        command += ["--no-worker"] if self.worker_nice > 0 else []
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            if self.worker_nice > 0:
                worker = ["nice", "-n", str(self.worker_nice), str(SAFEPASSAGE), "db_worker"]
                self.job_worker = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
                    [*worker, "--interval", "1"],
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        self.starts += 1
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start: see {self.log}")
            with contextlib.suppress(*RETRIED_ERRORS):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return time.perf_counter() - began
            time.sleep(0.2)
        raise RuntimeError("the server did not answer within 90 s")

    def kill(self) -> None:
        """SIGKILL to the whole process group (and the job worker's): no graceful shutdown,
        no finished requests."""
        if self.job_worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.job_worker.pid, signal.SIGKILL)
            self.job_worker.wait(timeout=30)
            self.job_worker = None
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 10  # the workers die with the master's group
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.process = None

    def stop(self) -> None:
        if self.job_worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.job_worker.pid, signal.SIGTERM)
            try:
                self.job_worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.job_worker.pid, signal.SIGKILL)
            self.job_worker = None
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


# --- the applicants --------------------------------------------------------------------------


@dataclass
class Stats:
    """What the clients saw; appended to from many threads (list.append is atomic)."""

    requests: list[tuple[str, float]] = field(default_factory=list)  # (label, seconds)
    applications: list[float] = field(default_factory=list)
    receipts: list[tuple[str, str]] = field(default_factory=list)  # (given name, reference)
    failures: list[str] = field(default_factory=list)
    retries: list[str] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def flight(self, label: str, change: int) -> None:
        with self.lock:
            self.in_flight[label] = self.in_flight.get(label, 0) + change


class UnexpectedResponseError(Exception):
    pass


@dataclass
class Response:
    status: int
    location: str
    body: str


class Browser:
    """One applicant's phone: a cookie jar and a keep-alive connection to the server."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port, self.stats = port, stats
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.token = ""

    def _send(self, method: str, path: str, body: bytes | None, content_type: str) -> Response:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                HOST, self.port, timeout=RESPONSE_TIMEOUT_SECONDS
            )
        headers = {"User-Agent": "intake-surge", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
        self.connection.request(method, path, body=body, headers=headers)
        answer = self.connection.getresponse()
        text = answer.read().decode("utf-8", "replace")
        for header in answer.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        match = CSRF.search(text)
        if match:
            self.token = match.group(1)
        return Response(answer.status, answer.getheader("Location", ""), text)

    def request(
        self,
        label: str,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "",
    ) -> Response:
        """Send, retrying on connection errors with the same cookies (the same draft)."""
        began = time.perf_counter()
        attempt = 0
        self.stats.flight(label, +1)
        try:
            while True:
                try:
                    response = self._send(method, path, body, content_type)
                    break
                except RETRIED_ERRORS as error:
                    self.close()
                    if time.perf_counter() - began > RETRY_SECONDS:
                        raise UnexpectedResponseError(f"{label}: gave up ({error!r})") from error
                    self.stats.retries.append(label)
                    time.sleep(min(2.0, 0.1 * 2**attempt) * random.uniform(0.5, 1.0))
                    attempt += 1
        finally:
            self.stats.flight(label, -1)
        self.stats.requests.append((label, time.perf_counter() - began))
        return response

    def get(self, label: str, path: str, expect: int = 200) -> Response:
        response = self.request(label, "GET", path)
        if response.status != expect:
            raise UnexpectedResponseError(f"GET {label}: {response.status}")
        return response

    def post(self, label: str, path: str, fields: Fields, expect: int = 303) -> Response:
        data = [("csrfmiddlewaretoken", self.token), ("website", ""), *fields]
        body = urlencode(data).encode()
        response = self.request(label, "POST", path, body, "application/x-www-form-urlencoded")
        return self._expect(label, response, expect)

    def post_files(
        self, label: str, path: str, fields: Fields, files: list[tuple[str, str, bytes]]
    ) -> Response:
        boundary = "surge" + secrets.token_hex(12)
        chunks: list[bytes] = []
        for name, value in [("csrfmiddlewaretoken", self.token), ("website", ""), *fields]:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, filename, content in files:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        content_type = f"multipart/form-data; boundary={boundary}"
        response = self.request(label, "POST", path, b"".join(chunks), content_type)
        return self._expect(label, response, 303)

    def _expect(self, label: str, response: Response, status: int) -> Response:
        if response.status != status:
            snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.body))[:200]
            raise UnexpectedResponseError(f"POST {label}: {response.status} {snippet}")
        return response

    def follow(self, label: str, response: Response) -> Response:
        return self.get(label, response.location)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def apply_once(port: int, stats: Stats, name: str, language: str, photo: bytes) -> None:
    """One applicant, start to receipt, the way a phone without JavaScript does it."""
    began = time.perf_counter()
    browser = Browser(port, stats)
    try:
        browser.get("language", "/apply/")
        page = browser.post(
            "choose", "/apply/", [("_language", language), ("next", "/apply/start/")]
        )
        browser.follow("start", page)
        browser.get("about", "/apply/step/about/")
        about = [("given_name", name), *ABOUT.items(), ("action", "next")]
        code_page = browser.post("about (post)", "/apply/step/about/", about, expect=200)
        if not RESUME_CODE.search(code_page.body):
            raise UnexpectedResponseError("about: no resume code shown")
        browser.get("family", "/apply/step/family/")
        steps: list[tuple[str, Fields]] = [
            ("family", formset("m", FAMILY, 30)),
            ("employment", formset("e", EMPLOYERS, 15)),
            ("threat", THREAT),
            ("location", location()),
        ]
        for step, fields in steps:
            page = browser.post(
                f"{step} (post)", f"/apply/step/{step}/", [*fields, ("action", "next")]
            )
            browser.follow(page.location.strip("/").split("/")[-1], page)
        upload = [("kind", "tazkira"), ("action", "upload")]
        page = browser.post_files(
            "documents (upload)",
            "/apply/step/documents/",
            upload,
            [("files", "tazkira.jpg", photo)],
        )
        browser.follow("documents", page)
        documents = [("kind", "tazkira"), ("action", "next")]
        page = browser.post("documents (post)", "/apply/step/documents/", documents)
        browser.follow("contact", page)
        page = browser.post("contact (post)", "/apply/step/contact/", [*CONTACT.items()])
        browser.follow("review", page)
        page = browser.post("submit", "/apply/submit/", [("consent", "on"), ("action", "next")])
        if page.location != "/apply/receipt/":
            raise UnexpectedResponseError(f"submit: redirected to {page.location}")
        receipt = browser.follow("receipt", page)
        match = REFERENCE.search(receipt.body)
        if not match:
            raise UnexpectedResponseError("receipt: no reference shown")
        stats.receipts.append((name, match.group(1)))
        stats.applications.append(time.perf_counter() - began)
    except UnexpectedResponseError as error:
        stats.failures.append(str(error))
    finally:
        browser.close()


@dataclass
class Phase:
    stats: Stats
    elapsed: float
    started: int
    names: list[str]


def run_applicants(
    *,
    port: int,
    run: str,
    applications: int,
    concurrency: int,
    seconds: float,
    on_tick: Callable[[Stats, float], None] | None = None,
) -> Phase:
    """``concurrency`` applicants at a time until ``applications`` were started or
    ``seconds`` have passed; the ones under way finish (bounded by RETRY_SECONDS a request)."""
    stats = Stats()
    lock = threading.Lock()
    issued: list[str] = []
    languages = ["fa", "ps", "en"]
    began = time.perf_counter()
    deadline = time.monotonic() + seconds

    def next_index() -> int | None:
        with lock:
            if len(issued) >= applications or time.monotonic() >= deadline:
                return None
            issued.append(unique_name(run, len(issued)))
            return len(issued) - 1

    def applicant(slot: int) -> None:
        time.sleep(random.uniform(0, 2.0))  # people do not all arrive in the same instant
        while (index := next_index()) is not None:
            apply_once(port, stats, issued[index], languages[index % 3], small_jpeg(index))

    threads = [
        threading.Thread(target=applicant, args=(n,), daemon=True) for n in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        if on_tick is not None:
            on_tick(stats, time.perf_counter() - began)
        time.sleep(0.05)
    return Phase(stats, time.perf_counter() - began, len(issued), list(issued))


def run_floor(*, port: int, concurrency: int, requests: int, seconds: float) -> Phase:
    """The same number of clients, each asking for the floor view again and again."""
    warm_up = Browser(port, Stats())
    for _ in range(20):  # open the workers' database connections before measuring
        warm_up.get("floor", "/bench/floor/")
    warm_up.close()
    stats = Stats()
    lock = threading.Lock()
    counter = [0]
    deadline = time.monotonic() + seconds
    began = time.perf_counter()

    def client() -> None:
        browser = Browser(port, stats)
        while True:
            with lock:
                if counter[0] >= requests or time.monotonic() >= deadline:
                    break
                counter[0] += 1
            try:
                browser.get("floor", "/bench/floor/")
            except UnexpectedResponseError as error:
                stats.failures.append(str(error))
        browser.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Phase(stats, time.perf_counter() - began, counter[0], [])


# --- figures ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


def latencies(values: list[float]) -> str:
    p50, p95, p99 = (percentile(values, q) for q in (50, 95, 99))
    return f"p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   p99 {p99:8.1f} ms   (n={len(values)})"


def report_phase(title: str, phase: Phase, floor: Phase) -> dict[str, float]:
    stats = phase.stats
    done = len(stats.applications)
    submit = [seconds for label, seconds in stats.requests if label == "submit"]
    every = [seconds for _label, seconds in stats.requests]
    floor_rate = len(floor.stats.requests) / floor.elapsed
    request_rate = len(every) / phase.elapsed
    floor_values = [seconds for _label, seconds in floor.stats.requests]
    print(f"\n== {title} ==")
    print(
        f"applications   started {phase.started}, completed {done}, failed "
        f"{len(stats.failures)}, in {phase.elapsed:.1f} s"
    )
    print(
        f"throughput     {done / phase.elapsed:.2f} applications/s, {request_rate:.1f} "
        f"requests/s ({len(every) / max(done, 1):.1f} requests an application)"
    )
    print(
        f"vs floor       {request_rate / floor_rate:.0%} of the floor's requests/s "
        f"({floor_rate:.1f}/s)"
    )
    print(f"submit         {latencies(submit)}")
    print(f"every request  {latencies(every)}")
    print(f"application    {latencies(stats.applications)}")
    for q in (50, 95, 99):
        ratio = percentile(submit, q) / percentile(floor_values, q)
        print(f"submit p{q} / floor p{q}: {ratio:.1f}x", end="   ")
    print()
    by_label: dict[str, list[float]] = {}
    for label, seconds in stats.requests:
        by_label.setdefault(label, []).append(seconds)
    slowest = sorted(by_label.items(), key=lambda item: -percentile(item[1], 50))[:6]
    print(
        "slowest        "
        + ", ".join(
            f"{label} {percentile(values, 50):.0f}/{percentile(values, 95):.0f}"
            for label, values in slowest
        )
        + " (p50/p95 ms)"
    )
    if stats.retries:
        print(f"retried        {len(stats.retries)} requests after connection errors")
    for failure in sorted(set(stats.failures))[:10]:
        print(f"  failure: {failure} (x{stats.failures.count(failure)})")
    return {
        "share": request_rate / floor_rate,
        "submit_p95": percentile(submit, 95),
    }


# --- setup and checks ------------------------------------------------------------------------


def fresh_databases(base: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        for name in ("bench_surge", "bench_surge_keys"):
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(f"{base}/bench_surge", autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL)"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def check_cases(receipts: list[tuple[str, str]], names: list[str]) -> dict[str, int]:
    """Through the ORM, in this process: is every receipt a complete case, and is any
    applicant (unique given name) a case twice?"""
    from django.db import connections

    from safepassage.cases.models import Case, Document, Employment, Person
    from safepassage.intake.models import Application

    wanted = set(names)
    cases_of: dict[str, list[str]] = {}
    principals = Person.objects.filter(
        relationship="principal", case__organization__slug=ORG_SLUG
    ).select_related("case")
    for person in principals:
        if person.given_name_latin in wanted:
            cases_of.setdefault(person.given_name_latin, []).append(person.case.reference)
    found = 0
    for name, reference in receipts:
        case = Case.objects.filter(reference=reference).first()
        if case is None or reference not in cases_of.get(name, []):
            continue
        people = Person.objects.filter(case=case).count()
        jobs = Employment.objects.filter(case=case).count()
        documents = Document.objects.filter(case=case).count()
        applied = Application.objects.filter(case=case).count()
        if (people, jobs, documents, applied) == (1 + len(FAMILY), len(EMPLOYERS), 1, 1):
            found += 1
    acknowledged = {name for name, _reference in receipts}
    result = {
        "acknowledged": len(receipts),
        "found": found,
        "duplicated": sum(1 for refs in cases_of.values() if len(refs) > 1),
        "lost": len(receipts) - found,
        "cases": sum(len(refs) for refs in cases_of.values()),
        "cases without a receipt seen": sum(1 for n in cases_of if n not in acknowledged),
    }
    connections.close_all()
    return result


def background_backlog() -> str:
    """The background jobs so far by state, and the PINs not hashed yet: what a surge leaves
    for the worker to catch up on."""
    from django.db import connections
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from safepassage.intake.models import Application

    states = dict(
        DBTaskResult.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    sealed = Application.objects.filter(pin_hash="").count()
    connections.close_all()
    waiting = states.get("READY", 0) + states.get("RUNNING", 0)
    done = ", ".join(f"{k.lower()} {v}" for k, v in sorted(states.items()))
    return f"{waiting} waiting ({done or 'none'}); PINs still sealed {sealed}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500, help="per phase")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0, help="per phase")
    parser.add_argument("--floor-requests", type=int, default=5000)
    parser.add_argument("--floor-seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="= cores")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="niceness of the background-job worker above the web server's (0: as serve "
        "starts it); the jobs a surge queues are counted after each phase",
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--skip-crash", action="store_true", help="phase 1 only")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="sp-surge-"))
    fresh_databases(args.postgres)
    limits = {
        name: 10**9
        for name in (
            "posts_per_address",
            "drafts_per_address",
            "submissions_per_address",
            "saves_per_draft",
        )
    }
    os.environ.update(
        {
            "DATABASE_URL": f"{args.postgres}/bench_surge",
            "KEYS_DATABASE_URL": f"{args.postgres}/bench_surge_keys",
            "SAFEPASSAGE_DATA_DIR": str(data_dir),
            "SAFEPASSAGE_INTAKE_ORGANIZATION": ORG_SLUG,
            "SAFEPASSAGE_INTAKE_RATE_LIMITS": json.dumps(limits),
            "SAFEPASSAGE_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bench.surge_settings",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
    )
    server_env = dict(os.environ)
    for database in (None, "keys"):
        command = [str(SAFEPASSAGE), "migrate", "-v", "0"]
        command += ["--database", database] if database else []
        subprocess.run(command, env=server_env, check=True)  # noqa: S603 - our own CLI

    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connections

    from safepassage.core.services import organization_create
    from safepassage.protection import keys

    organization_create(actor=None, name="Surge Relief", slug=ORG_SLUG)
    keys.provider()  # the key file exists before two workers could race to create it
    connections.close_all()

    server = Server(
        port=free_port(),
        workers=args.workers,
        env=server_env,
        log=data_dir / "server.log",
        worker_nice=args.worker_nice,
    )
    print(
        f"intake surge: {args.concurrency} applicants at a time, up to {args.applications} "
        f"applications or {args.seconds:.0f} s a phase; gunicorn {args.workers} workers on "
        f"port {server.port}, job worker nice +{args.worker_nice}; {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"targets: intake requests/s >= {TARGET_FLOOR_SHARE:.0%} of the floor's; "
        f"submit p95 < {TARGET_SUBMIT_P95_MS:.0f} ms; lost = 0 and duplicated = 0 after a kill"
    )
    run = "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(5)).capitalize()
    results: dict[str, Any] = {}
    try:
        server.start()
        floor = run_floor(
            port=server.port,
            concurrency=args.concurrency,
            requests=args.floor_requests,
            seconds=args.floor_seconds,
        )
        floor_values = [seconds for _label, seconds in floor.stats.requests]
        print(f"\n== floor: /bench/floor/ (one INSERT), {args.concurrency} clients ==")
        print(
            f"throughput     {len(floor_values) / floor.elapsed:.1f} requests/s "
            f"({len(floor_values)} in {floor.elapsed:.1f} s, "
            f"{len(floor.stats.failures)} failed)"
        )
        print(f"request        {latencies(floor_values)}")

        steady = run_applicants(
            port=server.port,
            run=run + "a",
            applications=args.applications,
            concurrency=args.concurrency,
            seconds=args.seconds,
        )
        results["steady"] = report_phase("phase 1: steady surge", steady, floor)
        results["steady check"] = check_cases(steady.stats.receipts, steady.names)
        print("check          " + ", ".join(f"{k} {v}" for k, v in results["steady check"].items()))
        print(f"jobs           {background_backlog()}")

        if not args.skip_crash:
            killed: dict[str, Any] = {}

            def killer(stats: Stats, elapsed: float) -> None:
                """A third of the way (by applications or by time), while a submit is under
                way if one comes within 5 s: kill master and workers, start again."""
                if "at" in killed:
                    return
                done = len(stats.applications)
                if done < max(1, args.applications // 3) and elapsed < args.seconds / 3:
                    return
                due = killed.setdefault("due", elapsed)
                if not stats.in_flight.get("submit") and elapsed - due < 5:
                    return
                with stats.lock:
                    killed["in flight"] = {k: v for k, v in stats.in_flight.items() if v}
                killed["at"] = elapsed
                killed["completed before"] = done
                server.kill()
                killed["restart seconds"] = server.start()

            crash = run_applicants(
                port=server.port,
                run=run + "b",
                applications=args.applications,
                concurrency=args.concurrency,
                seconds=args.seconds,
                on_tick=killer,
            )
            results["crash"] = report_phase(
                "phase 2: surge with a SIGKILL and restart", crash, floor
            )
            if "at" in killed:
                in_flight = ", ".join(f"{k} {v}" for k, v in sorted(killed["in flight"].items()))
                print(
                    f"kill           at {killed['at']:.1f} s after "
                    f"{killed['completed before']} applications, requests in flight: "
                    f"{in_flight or 'none'}; back up in {killed['restart seconds']:.1f} s"
                )
            else:
                print("kill           never happened (the phase ended first)")
            results["crash check"] = check_cases(crash.stats.receipts, crash.names)
            print(
                "check          " + ", ".join(f"{k} {v}" for k, v in results["crash check"].items())
            )
            print(f"jobs           {background_backlog()}")
    finally:
        server.stop()

    print("\n== summary ==")
    steady_result = results["steady"]
    verdicts = [
        (
            f"throughput {steady_result['share']:.0%} of the floor (target >= "
            f"{TARGET_FLOOR_SHARE:.0%})",
            steady_result["share"] >= TARGET_FLOOR_SHARE,
        ),
        (
            f"submit p95 {steady_result['submit_p95']:.0f} ms (target < "
            f"{TARGET_SUBMIT_P95_MS:.0f} ms)",
            steady_result["submit_p95"] < TARGET_SUBMIT_P95_MS,
        ),
    ]
    for check_name in ("steady check", "crash check"):
        if check_name in results:
            check = results[check_name]
            verdicts.append(
                (
                    f"{check_name}: acknowledged {check['acknowledged']}, found "
                    f"{check['found']}, duplicated {check['duplicated']}, lost {check['lost']}",
                    check["lost"] == 0 and check["duplicated"] == 0,
                )
            )
    for text, met in verdicts:
        print(f"{'MET ' if met else 'MISS'}  {text}")
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if all(met for _text, met in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
