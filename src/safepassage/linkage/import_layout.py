"""The column layout of partner spreadsheets and the reading of CSV and XLSX files into rows of
text, in memory (the bytes are never written to disk).

One row per person; rows sharing a ``household`` value are one family. Headers are English,
matched without regard to case, spacing, underscores, hyphens or apostrophes, and common
variants are accepted ("surname" for ``family_name``, "DOB" for ``birth_date``...).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import InvalidInputError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL_CHARS = 300


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the layout: its header in the template, the other headers accepted for
    it, and what it holds (shown on the upload page)."""

    name: str
    variants: tuple[str, ...]
    help: Promise


COLUMNS: tuple[Column, ...] = (
    Column(
        "household",
        ("household key", "household id", "family id", "family key", "family", "case"),
        _("The same value on every row of one family (any text or number)."),
    ),
    Column(
        "relationship",
        ("relation", "relationship to principal", "role"),
        _("principal, spouse, child, parent, sibling or other. One principal per household."),
    ),
    Column(
        "given_name",
        ("given name latin", "given name", "first name", "name", "given_name_latin"),
        _("Given name in Latin letters."),
    ),
    Column(
        "father_name",
        ("father name", "fathers name", "father name latin", "father_name_latin"),
        _("Father's name in Latin letters."),
    ),
    Column(
        "grandfather_name",
        ("grandfather name", "grandfathers name", "grandfather name latin"),
        _("Grandfather's name in Latin letters."),
    ),
    Column(
        "family_name",
        ("surname", "last name", "family name", "tribe", "family name latin"),
        _("Family or tribal name in Latin letters."),
    ),
    Column(
        "given_name_dari",
        ("given name arabic", "given name dari", "given name pashto", "given_name_arabic"),
        _("Given name in Dari/Pashto script."),
    ),
    Column(
        "father_name_dari",
        ("father name arabic", "father name dari", "father name pashto", "fathers name dari"),
        _("Father's name in Dari/Pashto script."),
    ),
    Column(
        "grandfather_name_dari",
        ("grandfather name arabic", "grandfather name dari", "grandfather name pashto"),
        _("Grandfather's name in Dari/Pashto script."),
    ),
    Column(
        "family_name_dari",
        ("family name arabic", "family name dari", "family name pashto", "surname dari"),
        _("Family or tribal name in Dari/Pashto script."),
    ),
    Column(
        "birth_date",
        ("date of birth", "dob", "birth date", "birthdate", "born"),
        _("Year, year-month or year-month-day, e.g. 1365, 1365-07 or 1986-10-07."),
    ),
    Column(
        "calendar",
        ("birth date calendar", "date calendar"),
        _(
            "solar_hijri or gregorian. When empty, a year before 1700 is read as Solar Hijri "
            "and a later one as Gregorian."
        ),
    ),
    Column("sex", ("gender",), _("male or female (may be empty).")),
    Column(
        "phone",
        ("phone number", "mobile", "mobile number", "telephone", "whatsapp"),
        _("With its country code, or an Afghan number starting with 07."),
    ),
    Column(
        "tazkira",
        ("tazkira number", "e-tazkira", "etazkira", "national id", "nid", "tazkira no"),
        _("An e-tazkira number, or a paper tazkira as volume/page/registration, e.g. 12/34/5678."),
    ),
    Column(
        "passport",
        ("passport number", "passport no"),
        _("Passport number."),
    ),
    Column(
        "province",
        ("birth province", "province of birth"),
        _("Province of birth: its name in English, Dari or Pashto, or its code (AF-KAB)."),
    ),
    Column(
        "district",
        ("birth district", "district of birth"),
        _("District of birth, by name, within the province."),
    ),
    Column(
        "employer",
        ("employer name", "company", "organisation", "organization"),
        _("Employer of the person's work with the United States or its partners, if any."),
    ),
    Column(
        "employer_kind",
        ("kind of employer", "employer type"),
        _(
            "us_government_agency, us_military, us_government_contractor, isaf_member_force, "
            "us_funded_grantee, us_based_media, us_based_ngo or other."
        ),
    ),
    Column("job_title", ("role at work", "position", "job"), _("Job title or role.")),
    Column(
        "employment_start",
        ("start date", "employment start date", "work start"),
        _("Start of the work, written as the date of birth."),
    ),
    Column(
        "employment_end",
        ("end date", "employment end date", "work end"),
        _("End of the work (empty if it continues)."),
    ),
    Column(
        "interpreter",
        ("worked as interpreter", "translator"),
        _("yes if the person worked as interpreter or translator."),
    ),
)

COLUMN_NAMES = tuple(column.name for column in COLUMNS)


class ImportFileError(InvalidInputError):
    code = "import_file_invalid"
    default_message = _("This file cannot be read. Upload a CSV or XLSX file.")


def _fold_header(text: str) -> str:
    folded = re.sub(r"['’`]", "", text.strip().lower())
    folded = re.sub(r"[\s_\-.]+", " ", folded)
    return folded.replace("(", " ").replace(")", " ").replace("/", " ").strip()


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS:
        for header in (column.name, *column.variants):
            table.setdefault(" ".join(_fold_header(header).split()), column.name)
    return table


_HEADERS = _header_table()


def column_for(header: str) -> str | None:
    """The layout column a header names, or None for a column we do not read."""
    return _HEADERS.get(" ".join(_fold_header(header).split()))


@dataclass(frozen=True, slots=True)
class FileRow:
    """One data row: its number as the spreadsheet shows it (the header is row 1) and its
    cells by layout column, as text."""

    number: int
    cells: dict[str, str]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:MAX_CELL_CHARS]


def _rows_of(table: Iterator[Sequence[Any]]) -> list[FileRow]:
    header = next(table, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    columns = [column_for(_cell_text(cell)) for cell in header]
    if "household" not in columns or "relationship" not in columns:
        raise ImportFileError(
            _(
                "The first row must hold the column headers, with at least household and "
                "relationship. Download the template."
            )
        )
    rows: list[FileRow] = []
    for number, values in enumerate(table, start=2):
        cells = {
            column: _cell_text(value)
            for column, value in zip(columns, values, strict=False)
            if column is not None
        }
        if not any(cells.values()):
            continue  # blank lines between families are common
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        rows.append(FileRow(number=number, cells=cells))
    if not rows:
        raise ImportFileError(_("The file has headers but no rows."))
    return rows


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
            break
        return text
    raise ImportFileError(_("Save the CSV file as UTF-8 (Excel: CSV UTF-8) and upload it again."))


def _csv_rows(content: bytes) -> list[FileRow]:
    text = _decode(content)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _rows_of(iter(csv.reader(io.StringIO(text), dialect)))


def _xlsx_rows(content: bytes) -> list[FileRow]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > 20 * MAX_FILE_BYTES:
            raise ImportFileError()
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError() from exc
    try:
        sheet = workbook.worksheets[0]
        return _rows_of(iter(sheet.iter_rows(values_only=True)))
    finally:
        workbook.close()


def read_rows(content: bytes) -> tuple[str, list[FileRow]]:
    """The kind of the file ("csv" or "xlsx", by its bytes) and its data rows. Raises
    ``ImportFileError`` for a file too large, unreadable, without the required headers or
    without rows."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    if content.startswith(b"PK\x03\x04"):
        return "xlsx", _xlsx_rows(content)
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError()
    return "csv", _csv_rows(content)


def template_csv() -> bytes:
    """The headers of the layout as a CSV file (UTF-8 with a byte order mark, which Excel
    needs to read Dari and Pashto script)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMN_NAMES)
    return buffer.getvalue().encode("utf-8-sig")
