"""Identity numbers and contact details: phones, tazkira, passports, e-mail."""

# These tests feed Eastern Arabic, Persian and full-width digits and Arabic letters on
# purpose: the confusable-character check would flag the very input under test.

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.engine.dates import to_local_digits
from safepassage.engine.identity import (
    IdentityError,
    is_afghan_mobile,
    normalize_email,
    normalize_etazkira_number,
    normalize_passport_number,
    normalize_phone,
    validate_paper_tazkira,
)

# Afghan mobile prefixes 70-79: Salaam, AWCC, Roshan, Etisalat, MTN.
afghan_mobiles = st.builds(
    lambda operator, subscriber: f"07{operator}{subscriber:07d}",
    st.sampled_from("0123456789"),
    st.integers(0, 9_999_999),
)

# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0701234567",
        "070 123 4567",
        "070-123-4567",
        "(070) 123 4567",
        "070.123.4567",
        "+93701234567",
        "+93 70 123 4567",
        "+93 (0) 70 123 4567",
        "0093701234567",
        "0093 70 123 4567",
        "۰۷۰۱۲۳۴۵۶۷",
        "٠٧٠١٢٣٤٥٦٧",
        "+۹۳ ۷۰ ۱۲۳ ۴۵۶۷",
        "\u200e070\u2013123\u20134567\u200e",
        "  0701234567  ",
    ],
)
def test_afghan_mobile_in_any_common_form_becomes_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+93701234567"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+92 300 1234567", "+923001234567"),
        ("0092 300 1234567", "+923001234567"),
        ("+98 912 345 6789", "+989123456789"),
        ("+90 532 123 4567", "+905321234567"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("+49 30 1234567", "+49301234567"),
    ],
)
def test_foreign_numbers_in_international_form_are_accepted(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


def test_national_form_is_read_in_the_default_region() -> None:
    assert normalize_phone("0300 1234567", default_region="PK") == "+923001234567"


def test_leading_00_means_international_whatever_the_default_region() -> None:
    assert normalize_phone("0093701234567", default_region="US") == "+93701234567"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "+",
        "070",
        "07012345678901234",
        "0300 1234567",  # Pakistani national form read as Afghan
        "1-800-FLOWERS",
        "0701234567 ext 12",
        "070123456x",
        "+93 70 123 4567 / +92 300 1234567",
        "not a phone",
    ],
)
def test_text_that_is_not_a_valid_number_is_refused(raw: str) -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_phone(raw)
    assert caught.value.code == "invalid_phone"


def test_unknown_default_region_refuses_national_numbers() -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_phone("0701234567", default_region="XX")
    assert caught.value.code == "invalid_phone"


def test_refused_phone_is_not_repeated_in_the_error() -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_phone("0701234")
    assert str(caught.value) == "invalid_phone"
    assert "0701234" not in repr(caught.value)


@given(afghan_mobiles)
def test_afghan_mobile_normalises_to_plus_93_without_trunk_zero(raw: str) -> None:
    assert normalize_phone(raw) == "+93" + raw[1:]


@given(afghan_mobiles, st.sampled_from(["fa", "ps"]))
def test_number_typed_with_persian_digits_reads_as_with_latin_digits(
    raw: str, language: str
) -> None:
    assert normalize_phone(to_local_digits(raw, language)) == normalize_phone(raw)


@given(afghan_mobiles)
def test_normalised_phone_normalises_to_itself(raw: str) -> None:
    e164 = normalize_phone(raw)
    assert normalize_phone(e164) == e164


def test_afghan_mobile_is_recognised() -> None:
    assert is_afghan_mobile("+93701234567")
    assert is_afghan_mobile("+93791234567")


@pytest.mark.parametrize(
    "e164",
    [
        "+93201234567",  # Kabul landline
        "+923001234567",  # Pakistani mobile
        "+989123456789",  # Iranian mobile
        "+9370123",  # too short
        "not a number",
        "",
    ],
)
def test_anything_else_is_not_an_afghan_mobile(e164: str) -> None:
    assert not is_afghan_mobile(e164)


@given(afghan_mobiles)
def test_every_normalised_afghan_mobile_is_recognised(raw: str) -> None:
    assert is_afghan_mobile(normalize_phone(raw))


# --- e-tazkira ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1399-0101-12345",
        "1399 0101 12345",
        "1399010112345",
        " 1399 - 0101 - 12345 ",
        "۱۳۹۹-۰۱۰۱-۱۲۳۴۵",
        "١٣٩٩-٠١٠١-١٢٣٤٥",
        "1399\u20130101\u201312345",
    ],
)
def test_etazkira_number_keeps_only_its_digits(raw: str) -> None:
    assert normalize_etazkira_number(raw) == "1399010112345"


def test_etazkira_number_of_6_and_of_20_digits_is_accepted() -> None:
    assert normalize_etazkira_number("123456") == "123456"
    assert normalize_etazkira_number("1" * 20) == "1" * 20


def test_leading_zeros_of_an_etazkira_number_are_kept() -> None:
    assert normalize_etazkira_number("0012-3456") == "00123456"


@pytest.mark.parametrize(
    "raw", ["", "12345", "1" * 21, "1399/0101/12345", "1399.0101", "A1399010112", "１２３４５６"]
)
def test_etazkira_number_that_cannot_be_one_is_refused(raw: str) -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_etazkira_number(raw)
    assert caught.value.code == "invalid_etazkira"


@given(st.text(alphabet="0123456789", min_size=6, max_size=20), st.sampled_from(["-", " ", ""]))
def test_grouping_never_changes_an_etazkira_number(digits: str, separator: str) -> None:
    grouped = separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))
    assert normalize_etazkira_number(grouped) == digits


# --- paper tazkira ------------------------------------------------------------------------


def test_paper_tazkira_numbers_are_read_with_any_digits() -> None:
    assert validate_paper_tazkira("۱۲۳", "٤٥", " 6789 ") == ("123", "45", "6789")


@pytest.mark.parametrize(
    ("volume", "normalised"),
    [("12", "12"), ("12A", "12A"), ("12 a", "12A"), ("12-b", "12B"), ("12/C", "12C")],
)
def test_tazkira_volume_may_carry_a_letter_suffix(volume: str, normalised: str) -> None:
    assert validate_paper_tazkira(volume, "1", "1")[0] == normalised


def test_tazkira_volume_may_carry_a_dari_letter_suffix() -> None:
    assert validate_paper_tazkira("۱۲ الف", "1", "1")[0] == "12الف"


@pytest.mark.parametrize("volume", ["", "A", "12AB", "12-", "123456789", "12 A B", "x12"])
def test_tazkira_volume_that_cannot_be_one_is_refused(volume: str) -> None:
    with pytest.raises(IdentityError) as caught:
        validate_paper_tazkira(volume, "1", "1")
    assert caught.value.code == "invalid_tazkira_volume"


@pytest.mark.parametrize("page", ["", "12a", "123456789", "-3", "1.5"])
def test_tazkira_page_must_be_1_to_8_digits(page: str) -> None:
    with pytest.raises(IdentityError) as caught:
        validate_paper_tazkira("12", page, "1")
    assert caught.value.code == "invalid_tazkira_page"


@pytest.mark.parametrize("registration", ["", "12a", "123456789", "۱۲۳x"])
def test_tazkira_registration_must_be_1_to_8_digits(registration: str) -> None:
    with pytest.raises(IdentityError) as caught:
        validate_paper_tazkira("12", "1", registration)
    assert caught.value.code == "invalid_tazkira_registration"


def test_first_wrong_tazkira_part_is_the_one_reported() -> None:
    with pytest.raises(IdentityError) as caught:
        validate_paper_tazkira("bad", "bad", "bad")
    assert caught.value.code == "invalid_tazkira_volume"


@given(
    st.integers(0, 99_999_999),
    st.integers(0, 99_999_999),
    st.integers(0, 99_999_999),
    st.sampled_from(["fa", "ps", "en"]),
)
def test_paper_tazkira_numbers_read_the_same_in_any_digits(
    volume: int, page: int, registration: int, language: str
) -> None:
    parts = (str(volume), str(page), str(registration))
    local = tuple(to_local_digits(part, language) for part in parts)
    assert validate_paper_tazkira(*local) == parts


# --- passports ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("P01234567", "P01234567"),
        ("p01234567", "P01234567"),
        ("P 0123 4567", "P01234567"),
        ("p-0123-4567", "P01234567"),
        (" O1234567 ", "O1234567"),
        ("123456789", "123456789"),  # United States
        ("AB1234567", "AB1234567"),  # Pakistan
        ("U12345678", "U12345678"),  # Turkey
        ("۱۲۳۴۵۶۷۸۹", "123456789"),
    ],
)
def test_passport_number_is_upper_case_without_separators(raw: str, normalised: str) -> None:
    assert normalize_passport_number(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "P1234",
        "P0123456789012",
        "P0123/4567",
        "P0123.4567",
        "Ä0123456",
        "П0123456",
        "P01234567<",
    ],
)
def test_passport_number_that_cannot_be_one_is_refused(raw: str) -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_passport_number(raw)
    assert caught.value.code == "invalid_passport"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=6, max_size=12))
def test_normalised_passport_number_normalises_to_itself(number: str) -> None:
    assert normalize_passport_number(number) == number
    assert normalize_passport_number(number.lower()) == number


# --- e-mail -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("ahmad@example.org", "ahmad@example.org"),
        ("  ahmad@example.org\n", "ahmad@example.org"),
        ("Ahmad.Khan@Example.ORG", "Ahmad.Khan@example.org"),
        ("ahmad+case-1234@mail.example.co.uk", "ahmad+case-1234@mail.example.co.uk"),
        ("ahmad@example.org.", "ahmad@example.org"),
        ("user@xn--mgbh0fb.example", "user@xn--mgbh0fb.example"),
        ("احمد@مثال.افغانستان", "احمد@مثال.افغانستان"),
    ],
)
def test_email_keeps_its_local_part_and_lowers_its_domain(raw: str, normalised: str) -> None:
    assert normalize_email(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ahmad",
        "ahmad@",
        "@example.org",
        "ahmad@example",
        "ahmad@@example.org",
        "ah@mad@example.org",
        "ahmad khan@example.org",
        "ahmad@exa mple.org",
        "ahmad@-example.org",
        "ahmad@example-.org",
        "ahmad@example..org",
        "ahmad@example.o",
        "ahmad@192.168.0.1",
        ".ahmad@example.org",
        "ahmad.@example.org",
        "ah..mad@example.org",
        '"ahmad"@example.org',
        "ahmad<x>@example.org",
        "a" * 65 + "@example.org",
        "ahmad@" + "a" * 250 + ".org",
    ],
)
def test_email_that_cannot_be_an_address_is_refused(raw: str) -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_email(raw)
    assert caught.value.code == "invalid_email"


def test_refused_email_is_not_repeated_in_the_error() -> None:
    with pytest.raises(IdentityError) as caught:
        normalize_email("ahmad.khan@")
    assert "ahmad" not in str(caught.value)


@given(st.emails())
def test_every_ordinary_address_is_accepted_with_its_domain_lowered(email: str) -> None:
    local, _, domain = email.rpartition("@")
    normalised = normalize_email(email)
    assert normalised == f"{local}@{domain.lower()}"
    assert normalize_email(normalised) == normalised


# --- errors -------------------------------------------------------------------------------


def test_identity_error_is_a_value_error_with_a_code() -> None:
    error = IdentityError("invalid_passport")
    assert isinstance(error, ValueError)
    assert error.code == "invalid_passport"
