"""The ``safepassage`` command: serve, demo, createorg, and Django's own commands."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
    import django

    django.setup()


def _migrate_all() -> None:
    """The main database and the key store."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="keys", interactive=False, verbosity=0)


def _serve(args: argparse.Namespace) -> int:
    _setup()
    from gunicorn.app.base import BaseApplication

    from safepassage.wsgi import application

    if not args.no_migrate:
        _migrate_all()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 20)
            # Heartbeat files in memory, not on a possibly slow disk (gunicorn's advice).
            shm = "/dev/shm"  # noqa: S108 - gunicorn heartbeat files, no data
            self.cfg.set("worker_tmp_dir", shm if os.path.isdir(shm) else None)
            # Access logs carry URLs only; URLs never carry personal data.
            self.cfg.set("accesslog", "-")
            self.cfg.set("limit_request_line", 4094)

        def load(self) -> Any:
            return application

    worker = None if args.no_worker else _start_worker()
    print(f"SafePassage is serving on http://{args.host}:{args.port}/", flush=True)
    try:
        Server().run()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
    return 0


def _start_worker() -> subprocess.Popen[bytes] | None:
    """The background-job worker for the database queue, beside the web server (the embedded
    default); with another backend its own workers run elsewhere."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    worker = subprocess.Popen([sys.executable, "-m", "safepassage", "db_worker", "--interval", "1"])
    # At a lower CPU priority than the web workers: in a surge, pages and receipts come
    # first and the queued follow-up work (assessments, priorities) catches up after.
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
    return worker


def _demo(args: argparse.Namespace) -> int:
    _setup()

    from safepassage.cases.demo import demo_create

    _migrate_all()
    logins = demo_create(households=args.households, seed=args.seed)
    _demo_threat(args.seed)
    print("Demo data is ready. Demo logins (passwords are new on every run):")
    for username, password, role in logins:
        print(f"  {role:<12} {username:<12} {password}")
    return 0


def _demo_threat(seed: int) -> None:
    """The threat picture of the demo, once (its events are imported only the first time)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from safepassage.cases.demo import DEMO_ORGANIZATION
    from safepassage.core.models import Organization
    from safepassage.eligibility.assessments import reassess
    from safepassage.eligibility.rulebook import published_rules
    from safepassage.threat.demo import demo_threat
    from safepassage.threat.models import ConflictEvent

    organization = Organization.objects.get(name=DEMO_ORGANIZATION)
    if ConflictEvent.objects.exists():
        return
    # The loader writes in bulk (no signals): assess every demo case once, as a rule change
    # would, so outcomes, tasks and readiness are there.
    reassess(rules=published_rules(), today=timezone.localdate())
    with transaction.atomic():
        demo_threat(
            organization=organization,
            actor=get_user_model().objects.get(username="caseworker"),
            seed=seed,
        )


def _createorg(args: argparse.Namespace) -> int:
    _setup()
    from django.contrib.auth import get_user_model

    from safepassage.core.services import membership_grant, organization_create

    organization = organization_create(actor=None, name=args.name, kind=args.kind)
    print(f"Created organisation {organization.slug}")
    if args.admin:
        user = get_user_model().objects.get(username=args.admin)
        membership_grant(actor=None, organization=organization, user=user, role="admin")
        print(f"{args.admin} is its administrator")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="safepassage",
        description="SafePassage relocation case management. Any other command is Django's.",
    )
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the production server (gunicorn)")
    serve.add_argument("--host", default=os.environ.get("SAFEPASSAGE_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--threads", type=int, default=4)
    serve.add_argument("--no-migrate", action="store_true")
    serve.add_argument(
        "--no-worker", action="store_true", help="do not start the background-job worker"
    )
    demo = commands.add_parser("demo", help="create the database, demo users and demo data")
    demo.add_argument("--households", type=int, default=200)
    demo.add_argument("--seed", type=int, default=2021)
    createorg = commands.add_parser("createorg", help="create an organisation")
    createorg.add_argument("name")
    createorg.add_argument("--kind", default="ngo", choices=["ngo", "program_office", "partner"])
    createorg.add_argument("--admin", help="username of its first administrator")

    if argv and argv[0] in ("serve", "demo", "createorg", "-h", "--help"):
        args = parser.parse_args(argv)
        handler = {"serve": _serve, "demo": _demo, "createorg": _createorg}[args.command]
        return handler(args)
    if not argv:
        parser.print_help()
        return 0
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safepassage", *argv])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
