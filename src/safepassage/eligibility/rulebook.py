"""The rules in force: the published revision of each program, built into the engine's rule
set once per set of revision digests, and the shipped rule files as revision 1 of each
program on a fresh installation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from safepassage.eligibility.evaluation import (
    RuleTexts,
    revision_digest,
    rule_set_from_texts,
    rules_digest,
)
from safepassage.eligibility.models import PROGRAMS, RuleRevision
from safepassage.engine import eligibility as engine

SHIPPED_NOTE = "The rules shipped with SafePassage."


@dataclass(frozen=True)
class PublishedRules:
    """A rule set with what identifies it: the revisions it was built from."""

    rules: engine.RuleSet
    texts: RuleTexts
    digest: str
    revisions: str  # "siv:3 p2:1 p1:1", for people


def shipped_rule_files() -> list[tuple[str, str, str]]:
    """(program, file name, text) of each rule file shipped in ``safepassage/data/rules``."""
    shipped = []
    for name in engine.SHIPPED_RULE_FILES:
        text = engine.read_shipped_rule_file(name)
        shipped.append((engine.load_rules_text(text, name=name).program, name, text))
    return shipped


def rule_revisions_seed() -> int:
    """Publish each shipped rule file as revision 1 of its program, where the program has no
    revision yet (a fresh installation). Returns how many were created; idempotent."""
    created = 0
    for program, name, text in shipped_rule_files():
        if RuleRevision.objects.filter(program=program).exists():
            continue
        try:
            with transaction.atomic():
                RuleRevision.objects.create(
                    program=program,
                    number=1,
                    file_name=name,
                    text=text,
                    sha256=revision_digest(text),
                    status=RuleRevision.Status.PUBLISHED,
                    note=SHIPPED_NOTE,
                    published_at=timezone.now(),
                )
        except IntegrityError:  # another process seeded it first
            continue
        created += 1
    return created


def _ordered(rows: Iterable[tuple[str, str, str]]) -> RuleTexts:
    by_program = {program: (program, name, text) for program, name, text in rows}
    return tuple(by_program[p] for p in PROGRAMS if p in by_program)


_cache: dict[tuple[tuple[str, int, str], ...], PublishedRules] = {}


def published_rules(*, replacing: RuleRevision | None = None) -> PublishedRules:
    """The published rules, or (``replacing``) the published rules with one program's
    revision replaced by a draft — what a preview compares against.

    The rule set is built once per set of revision digests (one small query per call)."""
    heads = list(
        RuleRevision.objects.filter(status=RuleRevision.Status.PUBLISHED).values_list(
            "program", "number", "sha256", "pk"
        )
    )
    if {h[0] for h in heads} != set(PROGRAMS) and rule_revisions_seed():
        return published_rules(replacing=replacing)
    chosen = {program: (number, sha, pk) for program, number, sha, pk in heads}
    if replacing is not None:
        chosen[replacing.program] = (replacing.number, replacing.sha256, replacing.pk)
    key = tuple(sorted((program, n, sha) for program, (n, sha, _pk) in chosen.items()))
    hit = _cache.get(key)
    if hit is not None:
        return hit
    rows = RuleRevision.objects.filter(pk__in=[pk for _n, _s, pk in chosen.values()])
    texts = _ordered(rows.values_list("program", "file_name", "text"))
    built = PublishedRules(
        rules=rule_set_from_texts(texts),
        texts=texts,
        digest=rules_digest(texts),
        revisions=" ".join(f"{p}:{chosen[p][0]}" for p in PROGRAMS if p in chosen),
    )
    if len(_cache) > 32:
        _cache.clear()
    _cache[key] = built
    return built
