"""Display names of uploads: whatever a client sends, what we show is a plain, honest basename."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.protection.uploads import (
    MAX_NAME_LENGTH,
    UploadRejectedError,
    safe_display_name,
)

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@given(
    original_name=st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from(["/", "\\", ".", " ", "\u0301", "\u202e", "\u2066", "\x00", "\n"]),
        ),
        max_size=400,
    ),
    extension=st.sampled_from(["jpg", "png", "webp", "pdf"]),
)
def test_any_client_name_becomes_a_plain_basename_with_the_given_extension(
    original_name: str, extension: str
) -> None:
    name = safe_display_name(original_name, extension=extension)

    assert name.endswith(f".{extension}")
    assert len(name) <= MAX_NAME_LENGTH
    assert "/" not in name
    assert "\\" not in name
    assert ".." not in name
    assert not name.startswith((".", " "))
    assert unicodedata.is_normalized("NFC", name)
    assert not set(BIDI_CONTROLS) & set(name)
    assert all(not unicodedata.category(character).startswith("Cc") for character in name)
    assert "\u2028" not in name


def test_a_decomposed_name_is_stored_composed() -> None:
    assert safe_display_name("Re\u0301sume\u0301.pdf", extension="pdf") == "R\u00e9sum\u00e9.pdf"


def test_the_zero_width_non_joiner_of_persian_words_is_kept() -> None:
    assert safe_display_name("می\u200cخواهم.jpg", extension="jpg") == "می\u200cخواهم.jpg"


def test_a_windows_device_name_is_defused() -> None:
    assert safe_display_name("CON.jpg", extension="jpg") == "_CON.jpg"


def test_characters_windows_forbids_are_replaced() -> None:
    assert safe_display_name('a<b>c:d"e|f?g*h.pdf', extension="pdf") == "a_b_c_d_e_f_g_h.pdf"


def test_only_the_last_extension_is_replaced() -> None:
    assert safe_display_name("scan.2024.03.exe", extension="pdf") == "scan.2024.03.pdf"


@pytest.mark.parametrize(
    "reason",
    [
        "empty",
        "too_large",
        "unknown_type",
        "archive",
        "pdf_active_content",
        "pdf_unreadable",
        "image_too_large",
        "image_unreadable",
        "malware",
        "scan_unavailable",
        "quota_exceeded",
    ],
)
def test_every_rejection_reason_has_a_message(reason: str) -> None:
    error = UploadRejectedError(reason)  # type: ignore[arg-type]

    assert error.reason == reason
    assert error.code == "upload_rejected"
    assert str(error)
