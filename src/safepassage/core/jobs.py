"""Queueing background work once per transaction.

A submission or a form save touches many rows of one case (people, employment, documents),
and each change asks for the same follow-up job (re-assess the case, recompute its
priority). ``on_commit_once`` runs a callback after the current transaction commits, once
per key however often it is asked. The pending callbacks live in Django's own on-commit
list, so a rolled-back transaction (or savepoint) forgets them with everything else;
outside a transaction the callback runs at once, as ``transaction.on_commit`` does."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def on_commit_once(key: str, callback: Callable[[], object], using: str | None = None) -> None:
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for _savepoints, pending, _robust in connection.run_on_commit:
            if getattr(pending, "once_key", None) == key:
                return

    def run() -> None:
        callback()

    run.once_key = key  # type: ignore[attr-defined]
    transaction.on_commit(run, using=using)
