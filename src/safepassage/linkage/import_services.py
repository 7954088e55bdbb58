"""Writes of partner imports: reading a spreadsheet into a previewed batch (every row
validated and linked against the organisation's people, nothing written to cases), and
confirming it (new households through the case services, one transaction per household;
known people linked, not duplicated; uncertain ones proposed to the review desk).

Re-importing a file creates nothing twice: each row has a keyed fingerprint of its
organisation, household key and values, and a row already imported by a confirmed batch is
linked to the person it became instead of being created again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from safepassage.cases import services as case_services
from safepassage.cases.models import Channel, Person, Relationship
from safepassage.core.errors import DomainError
from safepassage.core.models import CASE_ROLES, Organization
from safepassage.engine.linkage import (
    Blocker,
    Decision,
    FeatureCache,
    LinkageModel,
    PersonRecord,
    ScoredPair,
    Thresholds,
    score_one,
)
from safepassage.linkage.errors import ImportConfirmError
from safepassage.linkage.import_candidates import RowTokens, candidates_for, row_tokens
from safepassage.linkage.import_layout import read_rows
from safepassage.linkage.import_models import ImportBatch, ImportRow, RowClass
from safepassage.linkage.import_rows import (
    FILE_HOUSEHOLD,
    CheckedRow,
    check_households,
    check_row,
    row_record,
)
from safepassage.linkage.models import LinkageRun, MatchProposal, ProposalStatus, uncertainty_of
from safepassage.linkage.services import (
    UNTRAINED_POPULATION,
    Actor,
    _contributions,
    _require_role,
    _user_of,
    thresholds_of,
)
from safepassage.protection import keys
from safepassage.protection.audit import audit_record

logger = logging.getLogger(__name__)


# --- reading and classifying ----------------------------------------------------------------


def row_fingerprint(organization_id: int, cells: dict[str, str]) -> str:
    """A keyed hash (the blind-index secret) of the row's organisation and cells: equal rows
    of one organisation have equal fingerprints, and nobody without the secret can test a
    guess of the values."""
    canonical = json.dumps(
        {name: " ".join(value.split()).casefold() for name, value in sorted(cells.items())},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hmac.new(
        keys.provider().index_secret(),
        f"import\x00{organization_id}\x00{canonical}".encode(),
        hashlib.sha256,
    ).hexdigest()


def _imported_before(
    organization_id: int, fingerprints: Iterable[str], *, exclude_batch: Any = None
) -> dict[str, tuple[Any, Any]]:
    """Fingerprint -> (person id, case id) of rows a confirmed batch already imported."""
    found = (
        ImportRow.objects.filter(
            batch__organization_id=organization_id,
            batch__status=ImportBatch.Status.CONFIRMED,
            fingerprint__in=list(set(fingerprints)),
            person__isnull=False,
        )
        .exclude(batch_id=exclude_batch)
        .order_by("pk")
        .values_list("fingerprint", "person_id", "case_id")
    )
    previous: dict[str, tuple[Any, Any]] = {}
    for fingerprint, person_id, case_id in found:
        previous.setdefault(fingerprint, (person_id, case_id))
    return previous


def _model(organization: Organization, population: int) -> LinkageModel:
    """The model of the organisation's latest finished duplicate search, else the engine's
    untrained model (as the batch run uses for small organisations)."""
    run = (
        LinkageRun.objects.filter(organization=organization, status=LinkageRun.Status.DONE)
        .exclude(model={})
        .order_by("-created_at")
        .first()
    )
    if run is not None and run.summary.get("trained"):
        return LinkageModel.from_dict(run.model)
    return LinkageModel.untrained(population=max(population, UNTRAINED_POPULATION))


def best_matches(
    organization: Organization,
    rows: dict[str, tuple[PersonRecord, RowTokens]],
    thresholds: Thresholds,
) -> dict[str, ScoredPair]:
    """For each row (by record id), its best-scoring stored person of the organisation at or
    above the review threshold. Candidates come from the blind indexes
    (:mod:`safepassage.linkage.import_candidates`); only they are decrypted, in memory."""
    candidates = candidates_for(organization.pk, rows)
    population = Person.objects.filter(
        case__organization=organization, case__erased_at__isnull=True
    ).count()
    model = _model(organization, population)
    cache = FeatureCache()
    found: dict[str, ScoredPair] = {}
    for record_id, (record, _tokens) in rows.items():
        stored = candidates.by_row.get(record_id)
        if not stored:
            continue
        scored = score_one(
            record,
            stored,
            model,
            thresholds=thresholds,
            phone_counts=candidates.phone_counts,
            cache=cache,
        )
        if scored and scored[0].decision != Decision.IGNORE:
            found[record_id] = scored[0]
    return found


@dataclass
class _Classified:
    row: CheckedRow
    cells: dict[str, str]
    fingerprint: str
    row_class: str
    pair: ScoredPair | None = None
    previous: tuple[Any, Any] | None = None


def _classify(
    organization: Organization,
    file_rows: Sequence[tuple[int, dict[str, str]]],
    thresholds: Thresholds,
    *,
    exclude_batch: Any = None,
) -> list[_Classified]:
    checked = [check_row(number, cells) for number, cells in file_rows]
    check_households(checked)
    broken = {row.household for row in checked if not row.valid}
    fingerprints = [row_fingerprint(organization.pk, cells) for _number, cells in file_rows]
    previous = _imported_before(organization.pk, fingerprints, exclude_batch=exclude_batch)
    classified: list[_Classified] = []
    for row, (_number, cells), fingerprint in zip(checked, file_rows, fingerprints, strict=True):
        if not row.valid:
            row_class = RowClass.INVALID
        elif row.household in broken:
            row_class = RowClass.HELD
        elif fingerprint in previous:
            row_class = RowClass.IMPORTED
        else:
            row_class = RowClass.NEW
        classified.append(
            _Classified(row, cells, fingerprint, row_class, previous=previous.get(fingerprint))
        )
    to_link = [item for item in classified if item.row_class == RowClass.NEW]
    matches = best_matches(
        organization,
        {
            str(item.row.number): (
                row_record(item.row, str(item.row.number)),
                row_tokens(item.row.person),
            )
            for item in to_link
        },
        thresholds,
    )
    for item in to_link:
        pair = matches.get(str(item.row.number))
        if pair is not None:
            item.pair = pair
            item.row_class = (
                RowClass.MATCH if pair.decision == Decision.AUTO_LINK else RowClass.REVIEW
            )
    _link_within_file([item for item in classified if item.row_class == RowClass.NEW], thresholds)
    return classified


def _link_within_file(items: Sequence[_Classified], thresholds: Thresholds) -> None:
    """A person the file holds twice, in two households: the later row needs review against
    the earlier one (a reviewer decides once both are stored). Rows are filed under the
    engine's blocking keys in file order and each is scored against the earlier rows sharing
    a key with it; the untrained model scores them (a file says nothing about m and u)."""
    cache = FeatureCache()
    blocker = Blocker()
    records: list[PersonRecord] = []
    model = LinkageModel.untrained(population=UNTRAINED_POPULATION)
    phone_counts = Counter(
        phone for item in items if (phone := str(item.row.person.get("phone", "")))
    )
    for item in items:
        record = row_record(item.row, str(item.row.number))
        prepared = cache.prepare(record, len(records))
        earlier = [records[index] for index in blocker.candidates_for(prepared)]
        if earlier:
            scored = score_one(
                record,
                earlier,
                model,
                thresholds=thresholds,
                phone_counts=phone_counts,
                cache=cache,
            )
            if scored and scored[0].decision != Decision.IGNORE:
                item.pair = scored[0]
                item.row_class = RowClass.REVIEW
        blocker.add(prepared)
        records.append(record)


@transaction.atomic
def import_batch_create(*, actor: Actor, organization: Organization, content: bytes) -> ImportBatch:
    """Read a partner file (CSV or XLSX, in memory) into a batch to preview: every row is
    validated and classified as invalid, held (its household has an invalid row), new,
    already known (a stored person at or above the auto-link threshold), needing review, or
    imported before. Nothing is written to cases. Raises ``ImportFileError`` for a file that
    cannot be read."""
    _require_role(actor, organization.pk, CASE_ROLES)
    file_kind, file_rows = read_rows(content)
    thresholds = thresholds_of(organization)
    classified = _classify(organization, [(row.number, row.cells) for row in file_rows], thresholds)
    batch = ImportBatch.objects.create(
        id=keys.new_case_scope(),
        organization=organization,
        file_kind=file_kind,
        auto_link_weight=thresholds.auto_link,
        review_weight=thresholds.review,
        created_by=_user_of(actor),
    )
    person_cases = dict(
        Person.objects.filter(
            pk__in=[
                item.pair.right_id
                for item in classified
                if item.pair is not None
                and not item.pair.right_household.startswith(FILE_HOUSEHOLD)
            ]
        ).values_list("pk", "case_id")
    )
    rows = []
    for item in classified:
        row = ImportRow(
            batch=batch,
            number=item.row.number,
            cells=item.cells,
            fingerprint=item.fingerprint,
            row_class=item.row_class,
        )
        if item.pair is not None:
            row.match_weight = round(item.pair.match_weight, 3)
            row.contributions = _contributions(item.pair)
            if item.pair.right_household.startswith(FILE_HOUSEHOLD):
                row.matched_row_number = int(item.pair.right_id)
            else:
                row.matched_person_id = item.pair.right_id
                row.matched_case_id = person_cases.get(_uuid(item.pair.right_id))
        elif item.previous is not None:
            row.matched_person_id, row.matched_case_id = item.previous
        rows.append(row)
    ImportRow.objects.bulk_create(rows, batch_size=500)
    counts = Counter(item.row_class for item in classified)
    batch.summary = {"rows": len(classified), **{str(key): n for key, n in counts.items()}}
    batch.save(update_fields=["summary"])
    audit_record(
        actor=actor,
        action="linkage.import_preview",
        target=batch,
        organization_id=organization.pk,
        file_kind=file_kind,
        **batch.summary,
    )
    logger.info("import %s previewed: %s rows", batch.pk, len(classified))
    return batch


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


# --- confirming -----------------------------------------------------------------------------


def _claim(batch: ImportBatch, actor: Actor) -> ImportBatch:
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _require_role(actor, locked.organization_id, CASE_ROLES)
        if locked.status != ImportBatch.Status.PREVIEW:
            raise ImportConfirmError()
        locked.status = ImportBatch.Status.CONFIRMED
        locked.confirmed_by = _user_of(actor)
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return locked


def import_batch_confirm(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Write a previewed batch: for each household with rows to create, one transaction
    opens its case through ``case_open`` (or adds to the case of its principal when the
    principal is already known), adds the members with ``person_add`` and their work with
    ``employment_add``; a row needing review also becomes an open proposed match in the
    review desk. Known rows and rows imported before are linked to their person, not
    created. A household whose writing fails is left out whole (counted as failed). The
    rows' values are then erased and the batch's key destroyed.

    Raises ``ImportConfirmError`` when the batch was already confirmed."""
    batch = _claim(batch, actor)
    organization = batch.organization
    rows = list(batch.rows.order_by("number"))
    previous = _imported_before(
        organization.pk, [row.fingerprint for row in rows], exclude_batch=batch.pk
    )
    households: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if row.row_class in (RowClass.INVALID, RowClass.HELD):
            continue
        households[str(row.cells.get("household", "")).strip()].append(row)
    counts: Counter[str] = Counter()
    for members in households.values():
        try:
            with transaction.atomic():
                written = _write_household(actor, organization, members, previous)
        except DomainError as error:
            for row in members:  # forget what the rolled-back transaction had set
                row.refresh_from_db(fields=["row_class", "person", "case", "proposal"])
            counts["failed_households"] += 1
            logger.warning("import %s: a household was not written (%s)", batch.pk, error.code)
            continue
        counts.update(written)
    counts["proposals"] += _propose_within_file(rows)
    batch.summary = {**batch.summary, "written": dict(counts)}
    batch.save(update_fields=["summary"])
    # The file's values are no longer needed once written (the cases hold what was kept;
    # rows left out are fixed and uploaded again): they go, with the batch's key, so an
    # erased case leaves nothing behind here.
    ImportRow.objects.filter(batch=batch).update(cells=None)
    keys.destroy_scope(batch.pk)
    audit_record(
        actor=actor,
        action="linkage.import_confirm",
        target=batch,
        organization_id=organization.pk,
        **dict(counts),
    )
    return batch


def _write_household(
    actor: Actor,
    organization: Organization,
    members: list[ImportRow],
    previous: dict[str, tuple[Any, Any]],
) -> Counter[str]:
    counts: Counter[str] = Counter()
    to_create: list[tuple[ImportRow, CheckedRow]] = []
    anchor_case_id: Any = None
    for row in members:
        checked = check_row(row.number, row.cells)
        if not checked.valid:  # validation changed since the preview
            raise ImportConfirmError()
        earlier = previous.get(row.fingerprint)
        if earlier is not None:
            row.row_class = RowClass.IMPORTED
            row.person_id, row.case_id = earlier
        elif (
            row.row_class in (RowClass.MATCH, RowClass.REVIEW)
            and row.matched_person_id is None
            and row.matched_row_number is None
        ):
            raise ImportConfirmError()  # the person it matched was erased since the preview
        elif row.row_class == RowClass.MATCH:
            row.person_id, row.case_id = row.matched_person_id, row.matched_case_id
        else:
            to_create.append((row, checked))
            continue
        counts["linked"] += 1
        if checked.person.get("relationship") == Relationship.PRINCIPAL:
            anchor_case_id = row.case_id
    case = None
    if to_create:
        if anchor_case_id is not None:
            from safepassage.cases.models import Case

            case = Case.objects.filter(
                pk=anchor_case_id, organization=organization, erased_at__isnull=True
            ).first()
            if case is None:  # erased since the preview: the household is not written
                raise ImportConfirmError()
            counts["added_to_known_cases"] += 1
        else:
            principal = next(
                (pair for pair in to_create if pair[1].person["relationship"] == "principal"),
                None,
            )
            if principal is None:
                raise ImportConfirmError()
            case = case_services.case_open(
                actor=actor,
                organization=organization,
                channel=Channel.IMPORT,
                principal=principal[1].person,
            )
            person = case.people.get(relationship=Relationship.PRINCIPAL)
            _created(actor, principal[0], principal[1], person, counts)
            to_create.remove(principal)
            counts["cases"] += 1
        for row, checked in to_create:
            person = case_services.person_add(actor=actor, case=case, data=checked.person)
            _created(actor, row, checked, person, counts)
    for row in members:
        row.save(update_fields=["row_class", "person", "case", "proposal"])
    return counts


def _created(
    actor: Actor, row: ImportRow, checked: CheckedRow, person: Person, counts: Counter[str]
) -> None:
    row.person, row.case_id = person, person.case_id
    counts["people"] += 1
    if checked.employment:
        case_services.employment_add(
            actor=actor, case=person.case, person=person, data=checked.employment
        )
        counts["employment"] += 1
    if row.row_class == RowClass.REVIEW and row.matched_case_id is not None:
        row.proposal = _propose(row, person, row.matched_case_id)
        counts["proposals"] += 1


def _propose_within_file(rows: Sequence[ImportRow]) -> int:
    """Proposals between two rows of the file that may be one person, once both are stored
    (after every household, whatever their order in the file)."""
    by_number = {row.number: row for row in rows}
    proposed = 0
    for row in rows:
        earlier = by_number.get(row.matched_row_number or 0)
        if (
            row.row_class != RowClass.REVIEW
            or row.person_id is None
            or row.proposal_id is not None
            or earlier is None
            or earlier.person_id is None
            or earlier.case_id is None
            or earlier.person_id == row.person_id
        ):
            continue
        person = row.person
        if person is None:
            continue
        with transaction.atomic():
            row.matched_person_id, row.matched_case_id = earlier.person_id, earlier.case_id
            row.proposal = _propose(row, person, earlier.case_id)
            row.save(update_fields=["matched_person", "matched_case", "proposal"])
        proposed += 1
    return proposed


def open_proposal(
    *,
    organization_id: int,
    ends: tuple[tuple[str, Any], tuple[str, Any]],
    weight: float,
    probability: float,
    contributions: list[dict[str, Any]],
) -> MatchProposal:
    """An open proposal between two people (person id, case id), stored in the desk's order
    (the smaller person id on the left, as batch searches store them)."""
    (left, left_case), (right, right_case) = sorted(ends)
    return MatchProposal.objects.create(
        organization_id=organization_id,
        left_person_id=left,
        right_person_id=right,
        left_case_id=left_case,
        right_case_id=right_case,
        match_weight=weight,
        match_probability=probability,
        uncertainty=uncertainty_of(probability),
        contributions=contributions,
        status=ProposalStatus.OPEN,
    )


def _propose(row: ImportRow, person: Person, matched_case_id: uuid.UUID) -> MatchProposal:
    from safepassage.engine.linkage import probability_from_weight

    weight = float(row.match_weight or 0.0)
    proposal = open_proposal(
        organization_id=row.batch.organization_id,
        ends=((str(person.pk), person.case_id), (str(row.matched_person_id), matched_case_id)),
        weight=weight,
        probability=probability_from_weight(weight),
        contributions=row.contributions,
    )
    audit_record(
        actor=None,
        action="linkage.import_propose",
        target=proposal,
        organization_id=proposal.organization_id,
        weight=round(weight, 3),
    )
    return proposal


PREVIEW_DAYS = 7
"""A previewed import not confirmed within this many days is erased with its key."""


def import_previews_expire(*, now: dt.datetime | None = None, days: int = PREVIEW_DAYS) -> int:
    """Erase every previewed import older than ``days`` that was never confirmed: its key
    first (crypto-shredding the rows' values), then the batch and its rows. Nothing had
    been written to cases. Returns how many batches were erased."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    stale = list(
        ImportBatch.objects.filter(
            status=ImportBatch.Status.PREVIEW, created_at__lt=cutoff
        ).values_list("pk", "organization_id")
    )
    for batch_id, organization_id in stale:
        keys.destroy_scope(batch_id)
        ImportBatch.objects.filter(pk=batch_id).delete()
        audit_record(
            actor=None,
            action="linkage.import_expire",
            target=_ExpiredImport(batch_id),
            organization_id=organization_id,
        )
    return len(stale)


class _ExpiredImport:
    """The audit target of an erased import preview (its id only)."""

    def __init__(self, batch_id: uuid.UUID) -> None:
        self.pk = batch_id
