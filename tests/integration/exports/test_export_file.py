"""The downloaded file: encrypted, one visible sheet, nothing hidden, no formulas, blank
document properties, the recipient line, and exactly one canary row."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import msoffcrypto
import pyrage
import pytest
from django.utils import timezone
from exports_support import RECIPIENT, download, open_csv_zip, open_xlsx

from safepassage.cases import services as case_services
from safepassage.cases.loading import households_load
from safepassage.cases.models import Case, Person
from safepassage.core.errors import InvalidInputError
from safepassage.exports import services
from safepassage.exports.canary import canary_loads
from safepassage.exports.models import ExportFormat
from safepassage.synth import generate_people_count

INJECTION = '=HYPERLINK("http://x")'
ALL_PLAIN_COLUMNS = [
    "reference",
    "stage",
    "program",
    "relationship",
    "sex",
    "given_name_latin",
    "given_name_arabic",
    "father_name_latin",
    "father_name_arabic",
    "birth_date",
    "birth_province",
    "phone",
    "household_size",
]


@pytest.fixture
def approved_export(
    org: Any, caseworker: Any, supervisor: Any, open_cases: Any, request_export: Any
) -> Any:
    """26 households of generated people plus one whose given name is a formula, approved."""
    households_load(organization=org, households=generate_people_count(26, seed=11))
    open_cases(caseworker, org, 1, given_name_latin=INJECTION, father_name_latin="@SUM(A1)")
    export = request_export(caseworker, org, fields=ALL_PLAIN_COLUMNS)
    assert export.approval_required
    return services.export_approve(actor=supervisor, export=export, recent_auth=True)


@pytest.mark.django_db
def test_the_file_opens_only_with_the_one_time_password(
    approved_export: Any, caseworker: Any
) -> None:
    content, password = download(caseworker, approved_export)

    office = msoffcrypto.OfficeFile(io.BytesIO(content))
    assert office.is_encrypted()
    office.load_key(password="wrong password")
    with pytest.raises(Exception):  # noqa: B017 - the library's error class varies by version
        office.decrypt(io.BytesIO())
    workbook, _package = open_xlsx(content, password)
    assert workbook.active.max_row > 26


@pytest.mark.django_db
def test_the_workbook_has_one_visible_sheet_and_nothing_hidden(
    approved_export: Any, caseworker: Any
) -> None:
    content, password = download(caseworker, approved_export)
    workbook, package = open_xlsx(content, password)

    assert len(workbook.worksheets) == 1
    assert len(workbook.sheetnames) == 1
    sheet = workbook.active
    assert sheet.sheet_state == "visible"
    assert not any(d.hidden for d in sheet.row_dimensions.values())
    assert not any(d.hidden for d in sheet.column_dimensions.values())
    assert len(workbook.defined_names) == 0
    assert len(sheet.defined_names) == 0
    assert all(cell.comment is None for row in sheet.iter_rows() for cell in row)
    parts = package.namelist()
    assert not [p for p in parts if "comment" in p.lower() or "vml" in p.lower()]
    assert [p for p in parts if p.startswith("xl/worksheets/")] == ["xl/worksheets/sheet1.xml"]
    assert "definedName " not in package.read("xl/workbook.xml").decode()
    assert 'state="hidden"' not in package.read("xl/workbook.xml").decode()


@pytest.mark.django_db
def test_no_cell_is_a_formula_and_injection_is_neutralised(
    approved_export: Any, caseworker: Any
) -> None:
    content, password = download(caseworker, approved_export)
    workbook, package = open_xlsx(content, password)
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]

    assert {cell.data_type for cell in cells} <= {"s", "n"}
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()
    values = {cell.value for cell in cells}
    assert "'" + INJECTION in values
    assert "'@SUM(A1)" in values
    injected = next(c for c in cells if c.value == "'" + INJECTION)
    assert injected.data_type == "s"
    phones = [c for c in cells if isinstance(c.value, str) and c.value.startswith("'+93")]
    assert phones  # phone numbers start with "+": neutralised like any formula trigger


@pytest.mark.django_db
def test_the_document_properties_are_blank(approved_export: Any, caseworker: Any) -> None:
    content, password = download(caseworker, approved_export)
    workbook, package = open_xlsx(content, password)

    properties = workbook.properties
    for name in ("creator", "lastModifiedBy", "title", "subject", "description", "keywords"):
        assert not getattr(properties, name), name
    for part in ("docProps/core.xml", "docProps/app.xml"):
        root = ET.fromstring(package.read(part))  # noqa: S314 - the file this test just made
        texts = [element.text for element in root.iter()]
        assert not any(text and text.strip() for text in texts), part
    assert b"openpyxl" not in package.read("docProps/app.xml").lower()


@pytest.mark.django_db
def test_the_first_row_names_the_recipient_and_the_export(
    approved_export: Any, caseworker: Any, org: Any
) -> None:
    content, password = download(caseworker, approved_export)
    workbook, _package = open_xlsx(content, password)
    sheet = workbook.active

    expected = (
        f"Prepared for {RECIPIENT} — {org.name} — {timezone.localdate().isoformat()}"
        f" — export {approved_export.short_id}"
    )
    assert sheet["A1"].value == expected
    assert sheet.max_column == len(ALL_PLAIN_COLUMNS)
    assert sheet.oddFooter.center.text == expected


@pytest.mark.django_db
def test_exactly_one_row_is_the_stored_canary_and_it_is_nobody_real(
    approved_export: Any, caseworker: Any
) -> None:
    content, password = download(caseworker, approved_export)
    workbook, _package = open_xlsx(content, password)
    rows = [[c.value for c in row] for row in workbook.active.iter_rows(min_row=3)]
    canary = canary_loads(approved_export.canary)
    column = {code: index for index, code in enumerate(ALL_PLAIN_COLUMNS)}

    matching = [
        row
        for row in rows
        if row[column["phone"]] == "'" + canary["phone"]
        and row[column["reference"]] == canary["reference"]
        and row[column["given_name_latin"]] == canary["given_name_latin"]
        and row[column["father_name_arabic"]] == canary["father_name_arabic"]
    ]

    assert len(matching) == 1
    assert len(rows) == approved_export.row_count + 1
    assert not Case.objects.filter(reference=canary["reference"]).exists()
    assert canary["phone"] not in {p.phone for p in Person.objects.all()}


@pytest.mark.django_db
def test_every_export_has_its_own_canary(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 3)

    first = canary_loads(request_export(caseworker, org).canary)
    second = canary_loads(request_export(caseworker, org).canary)

    assert first["phone"] != second["phone"]
    assert first["reference"] != second["reference"]


@pytest.mark.django_db
def test_the_file_is_made_from_the_data_at_download_time(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    (case,) = open_cases(caseworker, org, 1)
    export = request_export(caseworker, org, fields=["reference", "phone"])
    principal = case.people.get()
    case_services.person_update(actor=caseworker, person=principal, data={"phone": "+93799999999"})

    content, password = download(caseworker, export)
    workbook, _package = open_xlsx(content, password)

    values = {c.value for row in workbook.active.iter_rows(min_row=3) for c in row}
    assert "'+93799999999" in values


@pytest.mark.django_db
def test_the_csv_option_is_an_encrypted_zip_with_the_same_protections(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    open_cases(caseworker, org, 2, given_name_latin=INJECTION)
    export = request_export(
        caseworker,
        org,
        fields=["reference", "given_name_latin", "phone"],
        file_format=ExportFormat.CSV,
    )

    content, password = download(caseworker, export)

    assert content.startswith(b"PK")
    assert INJECTION.encode() not in content  # encrypted
    rows = list(csv.reader(io.StringIO(open_csv_zip(content, password))))
    assert rows[0][0].startswith(f"Prepared for {RECIPIENT}")
    assert rows[1] == ["Case reference", "Given name (Latin letters)", "Phone number"]
    body = rows[2:]
    assert len(body) == 3  # two people and the canary
    assert all(not value.startswith(("=", "+", "-", "@")) for row in body for value in row)
    assert sum(row[1] == "'" + INJECTION for row in body) == 2
    canary = canary_loads(export.canary)
    assert sum(row[2] == "'" + canary["phone"] for row in body) == 1


@pytest.mark.django_db
def test_with_an_age_key_the_file_opens_only_with_the_private_key_and_the_password(
    org: Any, caseworker: Any, open_cases: Any, request_export: Any
) -> None:
    identity = pyrage.x25519.Identity.generate()
    open_cases(caseworker, org, 2)
    with pytest.raises(InvalidInputError):
        request_export(caseworker, org, recipient_age_key="age1notakey")
    export = request_export(caseworker, org, recipient_age_key=str(identity.to_public()))

    password = services.export_password_issue(actor=caseworker, export=export, recent_auth=True)
    exported = services.export_download(
        actor=caseworker, export=export, password=password, recent_auth=True
    )

    assert exported.filename.endswith(".xlsx.age")
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(exported.content, [pyrage.x25519.Identity.generate()])
    workbook, _package = open_xlsx(pyrage.decrypt(exported.content, [identity]), password)
    assert workbook.active["A1"].value.startswith(f"Prepared for {RECIPIENT}")
