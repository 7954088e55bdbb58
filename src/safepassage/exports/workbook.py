"""Writing an export's rows as a file a recipient can open, with nothing in it but what is
shown, and encrypting it with a one-time password.

XLSX: one visible sheet, no hidden sheets, rows or columns, no comments, no defined names,
no formulas (every cell is written as an explicit string or number), and empty document
properties; the recipient line is the first row and the page footer. Cell text that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
neutralised with a leading apostrophe, as OWASP recommends against CSV/formula injection.
The XLSX is encrypted with ECMA-376 agile encryption (AES-256, what Excel's "Encrypt with
password" writes) by msoffcrypto-tool. CSV: the same rows and protections, UTF-8 with a byte
order mark, inside a ZIP archive encrypted with AES-256 (pyzipper; 7-Zip and the archive
tools of current systems open it; the ZIP's file names are not secret, the content is).
When the recipient gave an age public key, the encrypted file is also encrypted to that key
(pyrage), so a copy intercepted with its password is still unreadable without the key.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import pyzipper
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

Cell = str | int

# Characters that make spreadsheet programs read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# docProps/core.xml and docProps/app.xml with nothing in them: no creator, dates, company.
_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    b"<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><dc:title></dc:title>"
    b"</cp:coreProperties>"
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application></Application><Company></Company></Properties>'
)
# Fixed member times: the archive says nothing about when or where it was made.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Sheet:
    """What a recipient sees: the recipient line, the column labels, the rows."""

    recipient_line: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def neutralise(value: str) -> str:
    """``value`` made inert for spreadsheets: a leading apostrophe before a formula trigger."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _cells(values: Sequence[Cell]) -> list[Cell]:
    return [value if isinstance(value, int) else neutralise(str(value)) for value in values]


def _footer_text(line: str) -> str:
    # In header and footer codes "&" starts a command; "&&" is a literal ampersand.
    return line.replace("&", "&&")


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The sheet as an unencrypted XLSX (only ever held in memory, then encrypted)."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None  # noqa: S101 - a new workbook always has its sheet
    worksheet.title = "Export"
    for values in ([sheet.recipient_line], sheet.header, *sheet.rows):
        worksheet.append(_cells(values))
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    worksheet.oddFooter.center.text = _footer_text(sheet.recipient_line)
    worksheet.evenFooter.center.text = _footer_text(sheet.recipient_line)
    raw = io.BytesIO()
    workbook.save(raw)
    return _without_properties(raw.getvalue())


def _without_properties(package: bytes) -> bytes:
    """The package with blank core and extended properties (creator, application, dates)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _EMPTY_CORE
            elif item.filename == "docProps/app.xml":
                data = _EMPTY_APP
            target.writestr(zipfile.ZipInfo(item.filename, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for values in ([sheet.recipient_line], sheet.header, *sheet.rows):
        writer.writerow(_cells(values))
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def xlsx_encrypted(sheet: Sheet, password: str) -> bytes:
    """The sheet as an XLSX that opens only with ``password`` (ECMA-376 agile, AES-256)."""
    plain = io.BytesIO(xlsx_bytes(sheet))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt(password, encrypted)
    return encrypted.getvalue()


def csv_zip_encrypted(sheet: Sheet, password: str, member_name: str) -> bytes:
    """The sheet as CSV in a ZIP archive encrypted with AES-256 under ``password``."""
    out = io.BytesIO()
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        member = archive.zipinfo_cls(member_name, _ZIP_TIME)
        member.compress_type = pyzipper.ZIP_DEFLATED
        archive.writestr(member, csv_bytes(sheet))
    return out.getvalue()
