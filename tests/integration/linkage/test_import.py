"""Partner import: a spreadsheet's rows checked and linked before anything is written, then
confirmed through the case services; re-imports create nothing twice; the file's values are
never in clear at rest; other organisations and weaker roles get "not found"."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from import_support import (
    NAMES,
    ROW_OF,
    ROWS,
    known_people,
    partner_csv,
    partner_xlsx,
)

from safepassage.cases.models import Case, Employment, Person
from safepassage.core.errors import NotFoundError
from safepassage.linkage.errors import ImportConfirmError
from safepassage.linkage.import_layout import ImportFileError, column_for, read_rows
from safepassage.linkage.import_models import ImportBatch, ImportRow, RowClass
from safepassage.linkage.import_services import import_batch_confirm, import_batch_create
from safepassage.linkage.models import MatchProposal, ProposalStatus
from safepassage.protection.models import AuditEvent, DataKey


def _classes(batch: ImportBatch) -> dict[int, str]:
    return dict(batch.rows.values_list("number", "row_class"))


def _row(batch: ImportBatch, name: str) -> ImportRow:
    return batch.rows.get(number=ROW_OF[name])


def _written() -> tuple[int, int, int, int]:
    return (
        Case.objects.count(),
        Person.objects.count(),
        Employment.objects.count(),
        MatchProposal.objects.count(),
    )


@pytest.fixture
def known(org: Any, caseworker: Any) -> tuple[Case, Case]:
    return known_people(org, caseworker)


# --- reading the file ------------------------------------------------------------------------


def test_common_header_variants_name_the_layout_columns() -> None:
    assert column_for("Date of Birth") == "birth_date"
    assert column_for("Father's name") == "father_name"
    assert column_for("SURNAME") == "family_name"
    assert column_for("Given name (Dari)") == "given_name_dari"
    assert column_for("household_id") == "household"
    assert column_for("favourite colour") is None


def test_a_file_without_the_household_column_is_refused_with_a_message() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(b"name,phone\nZabihullah,0701234567\n")
    assert "household" in str(caught.value.message)
    assert "Zabihullah" not in str(caught.value) + repr(caught.value)


def test_csv_and_xlsx_read_to_the_same_rows() -> None:
    csv_kind, csv_rows = read_rows(partner_csv())
    xlsx_kind, xlsx_rows = read_rows(partner_xlsx())
    assert (csv_kind, xlsx_kind) == ("csv", "xlsx")
    assert [row.cells for row in csv_rows] == [row.cells for row in xlsx_rows]
    assert [row.number for row in csv_rows] == list(range(2, 2 + len(ROWS)))


# --- preview ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preview_classifies_every_row_and_writes_nothing_to_cases(
    org: Any, caseworker: Any, known: tuple[Case, Case]
) -> None:
    zabihullah_case, nasrin_case = known
    before = _written()

    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())

    assert _written() == before
    assert _classes(batch) == {
        ROW_OF["known"]: RowClass.MATCH,
        ROW_OF["son"]: RowClass.NEW,
        ROW_OF["new"]: RowClass.NEW,
        ROW_OF["wife"]: RowClass.NEW,
        ROW_OF["bad"]: RowClass.INVALID,
        ROW_OF["held"]: RowClass.HELD,
        ROW_OF["review"]: RowClass.REVIEW,
    }
    known_row = _row(batch, "known")
    assert known_row.matched_case == zabihullah_case  # Dari script in the file, Latin stored
    assert known_row.matched_person == zabihullah_case.people.get()
    assert known_row.match_weight is not None and known_row.match_weight >= 10.0
    levels = {part["comparison"]: part["level"] for part in known_row.contributions}
    assert levels["given_name"] == levels["father_name"] == "exact"  # across scripts
    assert _row(batch, "review").matched_case == nasrin_case
    assert batch.summary["rows"] == len(ROWS)


@pytest.mark.django_db
def test_a_bad_row_is_reported_by_row_and_column_without_losing_the_good_rows(
    org: Any, caseworker: Any
) -> None:
    from safepassage.linkage.import_rows import check_households, check_row

    _kind, rows = read_rows(partner_csv())
    checked = [check_row(row.number, row.cells) for row in rows]
    check_households(checked)

    bad = next(row for row in checked if row.number == ROW_OF["bad"])
    assert [column for column, _message in bad.errors] == ["phone"]
    assert "country code" in bad.errors[0][1]
    assert sum(row.valid for row in checked) == len(ROWS) - 1


@pytest.mark.django_db
def test_row_errors_are_in_the_readers_language(org: Any, caseworker: Any) -> None:
    from django.utils import translation

    from safepassage.linkage.import_rows import check_row

    cells = {"household": "X", "relationship": "nephew", "given_name": "Ali", "phone": "12"}
    with translation.override("en"):
        english = dict(check_row(2, cells).errors)
    with translation.override("fa"):
        dari = dict(check_row(2, cells).errors)
    assert set(english) == set(dari) == {"relationship", "phone"}
    assert english["phone"] != dari["phone"]


@pytest.mark.django_db
def test_a_household_without_a_principal_is_an_error_on_each_of_its_rows(
    org: Any, caseworker: Any
) -> None:
    rows = [list(row) for row in ROWS if row[0] == "B7"]
    rows[0][1] = "brother"
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv(rows))
    assert set(_classes(batch).values()) == {RowClass.INVALID}


# --- confirmation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirming_creates_exactly_the_new_people_and_proposes_the_uncertain_one(
    org: Any, caseworker: Any, known: tuple[Case, Case]
) -> None:
    zabihullah_case, nasrin_case = known
    cases, people, jobs, proposals = _written()
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())

    import_batch_confirm(actor=caseworker, batch=batch)

    # one new case (B7 with two people, D9 with one) and the son added to the known case
    assert _written() == (cases + 2, people + 4, jobs + 1, proposals + 1)
    known_row, son = _row(batch, "known"), _row(batch, "son")
    assert known_row.person == zabihullah_case.people.get(relationship="principal")
    assert son.case == zabihullah_case and son.person is not None
    assert son.person.relationship == "child" and son.person.given_name_latin == "Farid"
    new, wife = _row(batch, "new"), _row(batch, "wife")
    assert new.case == wife.case and new.case is not None
    assert new.case.channel == "import"
    assert new.case.people.count() == 2
    assert new.person is not None and new.person.phone == "+93799111222"  # normalised
    assert new.person.employment.get().interpreter is True
    for name in ("bad", "held"):
        assert _row(batch, name).person is None
    review = _row(batch, "review")
    proposal = review.proposal
    assert proposal is not None and proposal.status == ProposalStatus.OPEN
    assert {proposal.left_case_id, proposal.right_case_id} == {review.case_id, nasrin_case.pk}
    assert AuditEvent.objects.filter(action="linkage.import_confirm").count() == 1


@pytest.mark.django_db
def test_reimporting_the_same_file_creates_nothing_twice(
    org: Any, caseworker: Any, known: tuple[Case, Case]
) -> None:
    first = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    import_batch_confirm(actor=caseworker, batch=first)
    after_first = _written()

    again = import_batch_create(actor=caseworker, organization=org, content=partner_xlsx())
    classes = _classes(again)
    import_batch_confirm(actor=caseworker, batch=again)

    assert _written() == after_first
    assert classes[ROW_OF["new"]] == RowClass.IMPORTED
    assert classes[ROW_OF["review"]] == RowClass.IMPORTED
    assert _row(again, "wife").person == _row(first, "wife").person


@pytest.mark.django_db
def test_two_previews_of_one_file_both_confirmed_create_once(
    org: Any, caseworker: Any, supervisor: Any
) -> None:
    before = _written()
    first = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    second = import_batch_create(actor=supervisor, organization=org, content=partner_csv())

    import_batch_confirm(actor=caseworker, batch=first)
    between = _written()
    import_batch_confirm(actor=supervisor, batch=second)

    assert between != before
    assert _written() == between


@pytest.mark.django_db
def test_a_corrected_file_imports_the_held_household_and_nothing_else(
    org: Any, caseworker: Any
) -> None:
    first = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    import_batch_confirm(actor=caseworker, batch=first)
    cases, people, _jobs, _proposals = _written()
    corrected = [list(row) for row in ROWS]
    corrected[ROW_OF["bad"] - 2][11] = "0700555666"

    second = import_batch_create(actor=caseworker, organization=org, content=partner_csv(corrected))
    import_batch_confirm(actor=caseworker, batch=second)

    assert (Case.objects.count(), Person.objects.count()) == (cases + 1, people + 2)
    assert _row(second, "held").case == _row(second, "bad").case


@pytest.mark.django_db
def test_a_household_whose_match_was_erased_since_the_preview_is_left_out_whole(
    org: Any, caseworker: Any, supervisor: Any, known: tuple[Case, Case]
) -> None:
    from safepassage.cases.erasure import case_erase

    zabihullah_case, _nasrin = known
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    case_erase(actor=None, case=zabihullah_case, reason="test")
    cases, people, _jobs, _proposals = _written()

    import_batch_confirm(actor=caseworker, batch=batch)

    assert _row(batch, "son").person is None  # his household is not written, not even in part
    assert _row(batch, "known").person is None
    assert _row(batch, "new").person is not None  # the other households are
    assert (Case.objects.count(), Person.objects.count()) == (cases + 2, people + 3)
    batch.refresh_from_db()
    assert batch.summary["written"]["failed_households"] == 1


@pytest.mark.django_db
def test_a_person_twice_in_one_file_is_proposed_for_review_once_both_are_stored(
    org: Any, caseworker: Any
) -> None:
    family = [list(row) for row in ROWS if row[0] == "B7"]
    again = list(family[0])
    again[0], again[2], again[3] = "E5", "Gul Ahmed", "Saied Ahmad"  # the same man, respelled
    batch = import_batch_create(
        actor=caseworker, organization=org, content=partner_csv([*family, again])
    )
    later = batch.rows.get(number=4)
    assert later.row_class == RowClass.REVIEW
    assert later.matched_row_number == 2 and later.matched_person is None

    import_batch_confirm(actor=caseworker, batch=batch)

    later.refresh_from_db()
    first = batch.rows.get(number=2)
    assert later.person is not None and first.person is not None
    assert later.case != first.case  # both households are stored
    proposal = later.proposal
    assert proposal is not None and proposal.status == ProposalStatus.OPEN
    assert {proposal.left_person_id, proposal.right_person_id} == {
        first.person_id,
        later.person_id,
    }


@pytest.mark.django_db
def test_a_batch_is_confirmed_once(org: Any, caseworker: Any) -> None:
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    import_batch_confirm(actor=caseworker, batch=batch)
    after = _written()
    with pytest.raises(ImportConfirmError):
        import_batch_confirm(actor=caseworker, batch=batch)
    assert _written() == after


@pytest.mark.django_db
def test_another_organisation_cannot_import_into_or_confirm_for_this_one(
    org: Any, caseworker: Any, outsider: Any
) -> None:
    with pytest.raises(NotFoundError):
        import_batch_create(actor=outsider, organization=org, content=partner_csv())
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    with pytest.raises(NotFoundError):
        import_batch_confirm(actor=outsider, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


@pytest.mark.django_db
def test_people_of_another_organisation_are_never_matched(
    org: Any, other_org: Any, caseworker: Any, outsider: Any
) -> None:
    known_people(other_org, outsider)
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    assert RowClass.MATCH not in _classes(batch).values()
    assert RowClass.REVIEW not in _classes(batch).values()


# --- nothing in clear ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_files_values_are_not_in_clear_in_the_database_nor_the_audit_log(
    org: Any, caseworker: Any, known: tuple[Case, Case]
) -> None:
    batch = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    assert _row(batch, "new").cells["given_name"] == "Gul Ahmad"  # decrypts for the page
    import_batch_confirm(actor=caseworker, batch=batch)

    stored: list[bytes] = []
    with connection.cursor() as cursor:
        for table in ("linkage_importbatch", "linkage_importrow", "protection_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            for record in cursor.fetchall():
                for value in record:
                    if isinstance(value, memoryview | bytes):
                        stored.append(bytes(value))
                    elif value is not None:
                        stored.append(str(value).encode())
    blob = b"\x00".join(stored)
    assert blob  # the tables were read
    for name in NAMES:
        assert name.encode() not in blob
        assert name.lower().encode() not in blob.lower()
    # Once written, the file's values are erased and the batch's key destroyed.
    assert not ImportRow.objects.filter(batch=batch, cells__isnull=False).exists()
    assert DataKey.objects.get(scope=batch.pk).wrapped_key is None


@pytest.mark.django_db
def test_a_preview_never_confirmed_is_erased_with_its_key_after_a_week(
    org: Any, caseworker: Any
) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from safepassage.linkage.import_services import import_previews_expire

    stale = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    fresh = import_batch_create(actor=caseworker, organization=org, content=partner_csv())
    ImportBatch.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))

    assert import_previews_expire() == 1
    assert not ImportBatch.objects.filter(pk=stale.pk).exists()
    assert not ImportRow.objects.filter(batch_id=stale.pk).exists()
    assert DataKey.objects.get(scope=stale.pk).wrapped_key is None
    assert ImportBatch.objects.filter(pk=fresh.pk).exists()  # a recent preview stays
    assert _row(fresh, "new").cells["given_name"] == "Gul Ahmad"
    assert AuditEvent.objects.filter(action="linkage.import_expire").count() == 1
    call_command("linkage_imports_expire", days=0, stdout=io.StringIO())
    assert not ImportBatch.objects.filter(pk=fresh.pk).exists()
