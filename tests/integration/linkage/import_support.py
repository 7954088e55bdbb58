"""A partner file for the import tests: a known man written only in Dari script, his son
(new), a new household with work, a household with a bad phone, and a weaker look-alike of
a known man (for review)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.integration.linkage.linkage_support import open_household

from safepassage.cases.models import Case
from safepassage.engine.dates import PartialDate

STORED_ZABIHULLAH = {
    "sex": "male",
    "given_name_latin": "Zabihullah",
    "father_name_latin": "Abdul Ghafoor",
    "grandfather_name_latin": "Ghulam Hazrat",
    "birth_date": PartialDate(1986, 3, 21),
    "phone": "0701234567",
    "tazkira_kind": "electronic",
    "tazkira_number": "1400-0101-12345",
}
STORED_NASRIN = {
    "sex": "female",
    "given_name_latin": "Nasrin",
    "father_name_latin": "Mohammad Yousuf",
    "grandfather_name_latin": "Abdul Karim",
    "birth_date": PartialDate(1992),
    "phone": "0788000111",
}

HEADERS = [
    "Household ID",
    "Relationship",
    "First name",
    "Father's name",
    "Grandfather name",
    "Surname",
    "Given name (Dari)",
    "Father name (Dari)",
    "Grandfather name (Dari)",
    "DOB",
    "Gender",
    "Mobile",
    "Tazkira",
    "Province",
    "Employer",
    "Employer kind",
    "Job title",
    "Start date",
    "End date",
    "Interpreter",
]
ROWS = [
    # row 2: Zabihullah again, names only in Dari script, a Solar Hijri birth year, the
    # phone written otherwise and no tazkira: already known
    [
        "A1",
        "principal",
        "",
        "",
        "",
        "",
        "ذبیح‌الله",
        "عبدالغفور",
        "غلام حضرت",
        "1365",
        "male",
        "+93 70 123 4567",
        "",
        "Kabul",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # row 3: his son, not known: added to his case on confirmation
    [
        "A1",
        "son",
        "Farid",
        "Zabihullah",
        "Abdul Ghafoor",
        "",
        "",
        "",
        "",
        "2012",
        "m",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # row 4: a new household's principal, with his work
    [
        "B7",
        "Principal",
        "Gul Ahmad",
        "Sayed Ahmad",
        "Mir Ahmad",
        "Stanikzai",
        "",
        "",
        "",
        "1980-05-02",
        "male",
        "0799111222",
        "",
        "Nangarhar",
        "US Army",
        "us_military",
        "Interpreter",
        "2009-01-01",
        "2013-12-31",
        "yes",
    ],
    # row 5: his wife
    [
        "B7",
        "wife",
        "Shabnam",
        "Abdul Wahid",
        "",
        "",
        "",
        "",
        "",
        "1362",
        "female",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # row 6: a household whose principal's phone is not a phone number
    [
        "C3",
        "principal",
        "Karim",
        "Rahim",
        "",
        "",
        "",
        "",
        "",
        "1990",
        "male",
        "12",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # row 7: a good row of that household: held
    [
        "C3",
        "child",
        "Laila",
        "Karim",
        "",
        "",
        "",
        "",
        "",
        "2016",
        "female",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    # row 8: someone like Nasrin, with less to go on: needs review
    [
        "D9",
        "principal",
        "Nasreen",
        "Mohammad Yusuf",
        "",
        "",
        "",
        "",
        "",
        "1371",
        "female",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]
ROW_OF = {"known": 2, "son": 3, "new": 4, "wife": 5, "bad": 6, "held": 7, "review": 8}
NAMES = [
    "Zabihullah",
    "Farid",
    "Gul Ahmad",
    "Shabnam",
    "Karim",
    "Laila",
    "Nasreen",
    "ذبیح",
    "عبدالغفور",
    "Stanikzai",
    "0799111222",
]


def partner_csv(rows: list[list[str]] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(ROWS if rows is None else rows)
    return buffer.getvalue().encode("utf-8")


def partner_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def known_people(org: Any, actor: Any) -> tuple[Case, Case]:
    return open_household(org, actor, STORED_ZABIHULLAH), open_household(org, actor, STORED_NASRIN)
