"""Audit log operations: verify the chain, export and check a signed head."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safepassage.protection.audit import audit_verify
from safepassage.protection.signing import head_check, head_export


class Command(BaseCommand):
    help = (
        "verify: check that no audit entry was edited, deleted, reordered or truncated "
        "(with --head FILE, also against a head exported earlier). "
        "export-head: print (or write to --out) the signed head of the chain; keep it "
        "outside the database, e.g. hourly from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export-head"])
        parser.add_argument("--head", help="a head file written by export-head")
        parser.add_argument("--out", help="where export-head writes (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export-head":
            text = json.dumps(head_export(), indent=1)
            if options["out"]:
                Path(options["out"]).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        problems = audit_verify()
        for problem in problems:
            self.stdout.write(f"entry {problem.sequence}: {problem.kind} ({problem.detail})")
        if options["head"]:
            exported = json.loads(Path(options["head"]).read_text(encoding="utf-8"))
            issue = head_check(exported)
            if issue:
                self.stdout.write(f"exported head: {issue}")
                problems.append(None)  # type: ignore[arg-type]
        if problems:
            raise CommandError(f"the audit log is not intact ({len(problems)} problems)")
        self.stdout.write(self.style.SUCCESS("the audit log is intact"))
