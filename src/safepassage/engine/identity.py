"""Identity numbers and contact details as applicants give them: phone numbers, tazkira
(paper and electronic), passport numbers and e-mail addresses, checked and normalised.

Phone numbers are left to ``phonenumbers`` (Google's libphonenumber metadata), which knows
every country's numbering plan; this module only prepares the text (Eastern Arabic and
Persian digits, a leading "00") and refuses letters. No library knows Afghan tazkira numbers,
so their checks are hand-written and deliberately loose: the e-tazkira number format is
unverified, so only its alphabet and length are checked. Passport numbers follow the ICAO
9303 alphabet (Latin capitals and digits) without any one country's pattern, so foreign
passports pass. E-mail addresses get a light hand-written check: full RFC 5322 validation
rejects nothing useful, and only a delivered message proves an address.

Errors carry a stable ``code`` and never the value that was refused.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from safepassage.engine.dates import to_latin_digits

__all__ = [
    "IdentityError",
    "is_afghan_mobile",
    "normalize_email",
    "normalize_etazkira_number",
    "normalize_passport_number",
    "normalize_phone",
    "validate_paper_tazkira",
]


class IdentityError(ValueError):
    """An identity number or contact detail that cannot be right. ``code`` is stable; the
    Django layer turns it into a translated message. The refused value is never included."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Hyphens and dashes that word processors and phone keyboards substitute for "-".
_DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2212"
# Bidirectional controls that right-to-left editors insert around numbers.
_INVISIBLE: Final = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _clean(raw: str) -> str:
    """Latin digits, no invisible marks, ASCII hyphens, no surrounding space."""
    text = _INVISIBLE.sub("", to_latin_digits(raw))
    return re.sub(f"[{_DASHES}]", "-", text).strip()


# --- phones -------------------------------------------------------------------------------

_PHONE_CHARACTERS: Final = re.compile(r"\+?[0-9\s\-().]+")
_AFGHAN_MOBILE_TYPES: Final = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def normalize_phone(raw: str, default_region: str = "AF") -> str:
    """The E.164 form ("+93701234567") of a phone number as typed.

    Accepts Latin, Eastern Arabic and Persian digits, spaces, dashes, brackets and dots, a
    leading "+" or "00", and numbers in the national form of ``default_region`` (an ISO
    3166-1 alpha-2 code; for Afghanistan "0701234567"). Numbers of any country are accepted
    in international form. Raises ``IdentityError("invalid_phone")`` for anything that is
    not a valid number, including text with letters.
    """
    text = _clean(raw)
    if not _PHONE_CHARACTERS.fullmatch(text):
        raise IdentityError("invalid_phone")
    if text.startswith("00"):
        # The international call prefix of Afghanistan and its neighbours, whatever the
        # default region's own prefix is.
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default_region.upper())
    except phonenumbers.NumberParseException:
        raise IdentityError("invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise IdentityError("invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_afghan_mobile(e164: str) -> bool:
    """True if ``e164`` is a valid Afghan mobile number (+93 7X XXX XXXX); False for any
    other number and for text that is not a number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == "AF"
        and phonenumbers.number_type(number) in _AFGHAN_MOBILE_TYPES
    )


# --- tazkira ------------------------------------------------------------------------------

_SEPARATORS: Final = re.compile(r"[\s\-]+")
_ETAZKIRA_NUMBER: Final = re.compile(r"[0-9]{6,20}")
_TAZKIRA_NUMBER_PART: Final = re.compile(r"[0-9]{1,8}")
# Volume numbers are digits, sometimes with a suffix: one Latin letter, or up to three
# Arabic-script letters (as "الف", "A"), possibly after a space, dash or slash.
_TAZKIRA_VOLUME: Final = re.compile(
    r"(?P<number>[0-9]{1,8})"
    r"(?:\s*[-/]?\s*(?P<suffix>[A-Za-z]|[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]{1,3}))?"
)


def normalize_etazkira_number(raw: str) -> str:
    """The digits of an e-tazkira number ("1399-0101-12345" -> "1399010112345").

    Groups may be separated by spaces or dashes; digits may be Latin, Eastern Arabic or
    Persian. The official format is unverified, so only the alphabet and a length of 6 to
    20 digits are checked. Raises ``IdentityError("invalid_etazkira")``.
    """
    digits = _SEPARATORS.sub("", _clean(raw))
    if not _ETAZKIRA_NUMBER.fullmatch(digits):
        raise IdentityError("invalid_etazkira")
    return digits


def validate_paper_tazkira(volume: str, page: str, registration: str) -> tuple[str, str, str]:
    """The normalised (volume, page, registration) numbers of a paper tazkira.

    Each is read with Latin, Eastern Arabic or Persian digits and spaces removed.
    The volume is 1 to 8 digits with an optional letter suffix (upper-cased if Latin and
    joined to the digits: "12 a" -> "12A"); page and registration are 1 to 8 digits. Raises
    ``IdentityError`` with code "invalid_tazkira_volume", "invalid_tazkira_page" or
    "invalid_tazkira_registration" for the first part that is wrong.
    """
    volume_match = _TAZKIRA_VOLUME.fullmatch(_clean(volume))
    if volume_match is None:
        raise IdentityError("invalid_tazkira_volume")
    normalised_volume = volume_match["number"] + (volume_match["suffix"] or "").upper()
    return (
        normalised_volume,
        _tazkira_number_part(page, "invalid_tazkira_page"),
        _tazkira_number_part(registration, "invalid_tazkira_registration"),
    )


def _tazkira_number_part(raw: str, code: str) -> str:
    digits = re.sub(r"\s+", "", _clean(raw))
    if not _TAZKIRA_NUMBER_PART.fullmatch(digits):
        raise IdentityError(code)
    return digits


# --- passports ----------------------------------------------------------------------------

_PASSPORT_NUMBER: Final = re.compile(r"[A-Z0-9]{6,12}")


def normalize_passport_number(raw: str) -> str:
    """A passport number in upper case without spaces or dashes ("p 0123-4567" ->
    "P01234567").

    Afghan passports are a letter and 7 or 8 digits, but any 6 to 12 Latin letters and digits
    are accepted so that foreign passports pass. Raises
    ``IdentityError("invalid_passport")``.
    """
    text = _SEPARATORS.sub("", _clean(raw)).upper()
    if not _PASSPORT_NUMBER.fullmatch(text):
        raise IdentityError("invalid_passport")
    return text


# --- e-mail -------------------------------------------------------------------------------

_EMAIL_MAX_LENGTH: Final = 254
_EMAIL_LOCAL_MAX_LENGTH: Final = 64
_EMAIL_LOCAL_PART: Final = re.compile(r"[^\s@\"(),:;<>\[\\\]]+")
# Letters of any script, so internationalised domains pass in their Unicode form.
_DOMAIN_LABEL: Final = re.compile(r"(?!-)[^\W_](?:[^\W_]|-){0,62}(?<!-)")


def normalize_email(raw: str) -> str:
    """An e-mail address without surrounding space and with its domain in lower case.

    The local part keeps its case: servers may distinguish it. The check is light: one
    "@", a local part without spaces or special characters, a domain of at least two labels
    of letters, digits and inner hyphens whose last label has two characters or more and is
    not all digits. Raises ``IdentityError("invalid_email")``.
    """
    text = _INVISIBLE.sub("", raw).strip()
    local, at, domain = text.rpartition("@")
    domain = domain.lower().rstrip(".")
    labels = domain.split(".")
    if (
        not at
        or len(text) > _EMAIL_MAX_LENGTH
        or len(local) > _EMAIL_LOCAL_MAX_LENGTH
        or not _EMAIL_LOCAL_PART.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or len(labels) < 2
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or len(labels[-1]) < 2
        or labels[-1].isdigit()
    ):
        raise IdentityError("invalid_email")
    return f"{local}@{domain}"
