"""Helpers for the intake tests (not fixtures): an applicant walking the form through the
test client, and the answers of a household that worked for US forces."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from safepassage.engine.places import districts_of

ABOUT_FA: dict[str, str] = {
    "given_name": "ذبیح الله",
    "father_name": "عبدالغفور",
    "grandfather_name": "محمد نبی",
    "family_name": "احمدزی",
    "name_on_passport": "Zabiullah Ahmadzai",
    "sex": "male",
    "birth_date_0": "۱۳۶۵-۰۷-۱۵",
    "birth_date_1": "solar_hijri",
    "tazkira_kind": "paper",
    "tazkira_volume": "۱۲۳",
    "tazkira_page": "۴۵",
    "tazkira_registration": "۶۷۸۹",
    "passport_number": "",
}

FAMILY = [
    {
        "relationship": "spouse",
        "given_name": "فرشته",
        "father_name": "Abdul Haq",
        "sex": "female",
        "birth_date_0": "1370",
        "birth_date_1": "solar_hijri",
    },
    {
        "relationship": "child",
        "given_name": "Mohammad Zaman",
        "sex": "male",
        "birth_date_0": "2012-03-04",
        "birth_date_1": "gregorian",
    },
]

EMPLOYERS = [
    {
        "employer_name": "US Army, 3rd Brigade",
        "employer_kind": "us_military",
        "role": "Interpreter",
        "interpreter": "on",
        "start_date_0": "۱۳۸۹-۰۱",
        "start_date_1": "solar_hijri",
        "end_date_0": "2014-06",
        "end_date_1": "gregorian",
        "supervisor_name": "SSG John Miller",
        "supervisor_email": "john.miller@example.mil",
    },
    {
        "employer_name": "Mission Essential Personnel",
        "employer_kind": "us_government_contractor",
        "role": "Linguist",
        "sensitive_and_trusted": "on",
        "start_date_0": "2015",
        "start_date_1": "gregorian",
    },
]

THREAT = {
    "categories": ["threat_letter", "phone_threats"],
    "description": "A night letter was left at our door in Hamal 1401.",
}

CONTACT = {
    "phone": "۰۷۰۱۲۳۴۵۶۷",
    "whatsapp": "+92 300 1234567",
    "email": "",
    "safe_times": "Evenings after 8",
    "leave_messages": "no",
}

CODE = re.compile(r'<span class="code"[^>]*>([0-9A-Z-]+)</span>')


def location() -> dict[str, str]:
    return {
        "where": "afghanistan",
        "province": "AF-KAB",
        "district": districts_of("AF-KAB")[0].code,
        "country": "",
    }


def formset(prefix: str, rows: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(limit),
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


class Applicant:
    """Someone filling in the form with a browser that runs no JavaScript."""

    def __init__(self, client: Client | None = None, **defaults: Any) -> None:
        self.client = client or Client(**defaults)
        self.resume_code: str | None = None
        self.urls: list[str] = []

    def get(self, url: str, **kwargs: Any) -> Any:
        self.urls.append(url)
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
        self.urls.append(url)
        response = self.client.post(url, data, **kwargs)
        if response.status_code in (301, 302, 303):
            self.urls.append(response["Location"])
        return response

    def choose(self, language: str) -> Any:
        return self.post("/apply/", {"_language": language, "next": "/apply/start/"})

    def step(self, name: str, data: dict[str, Any], action: str = "next", **kwargs: Any) -> Any:
        response = self.post(f"/apply/step/{name}/", {**data, "action": action}, **kwargs)
        match = CODE.search(response.content.decode()) if response.status_code == 200 else None
        if match and self.resume_code is None:
            self.resume_code = match.group(1)
        return response

    def fill_all(self, *, photo: bytes | None = None) -> None:
        """Every step, the way a phone without JavaScript does it."""
        assert self.step("about", ABOUT_FA).status_code == 200  # the resume code page
        # Family: "add another person" twice, filling in as we go.
        self.step("family", formset("m", [], 30), action="add")
        self.step("family", formset("m", [FAMILY[0]], 30), action="add")
        assert self.step("family", formset("m", FAMILY, 30)).status_code == 303
        self.step("employment", formset("e", EMPLOYERS[:1], 15), action="add")
        assert self.step("employment", formset("e", EMPLOYERS, 15)).status_code == 303
        assert self.step("threat", THREAT).status_code == 303
        assert self.step("location", location()).status_code == 303
        if photo is not None:
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("tazkira.jpg", photo, content_type="image/jpeg")
            response = self.step("documents", {"kind": "tazkira", "files": [upload]}, "upload")
            assert response.status_code == 303, response.content.decode()[:2000]
        assert self.step("documents", {"kind": "tazkira"}).status_code == 303
        assert self.step("contact", CONTACT).status_code == 303

    def submit(self, **extra: Any) -> Any:
        return self.post("/apply/submit/", {"consent": "on", **extra})
