from __future__ import annotations

import logging

from safepassage.core.logfilter import PersonalDataFilter, scrub


def test_emails_phones_identity_numbers_and_arabic_script_names_are_masked() -> None:
    text = scrub("user ahmad.k@example.org phone +93 70 123 4567 tazkira 1399-0101-12345 ذبیح الله")
    assert "example.org" not in text and "4567" not in text and "12345" not in text
    assert "ذبیح" not in text
    assert scrub("case 42 moved to stage com_preparation") == (
        "case 42 moved to stage com_preparation"
    )


def test_eastern_arabic_digits_are_masked_too() -> None:
    assert "۰۷۰" not in scrub("called ۰۷۰۱۲۳۴۵۶۷ today")


def test_the_filter_rewrites_arguments_and_exception_text() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "saved %s", ("+93701234567",), None)
    try:
        raise ValueError("bad phone 0701234567")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    PersonalDataFilter().filter(record)
    assert "0701234567" not in record.getMessage()
    assert record.exc_text and "0701234567" not in record.exc_text
