"""A last line of defence for logs: personal data that slipped into a log line is masked.

Code must not log personal data in the first place (ids and counts only); this filter catches
mistakes and third-party messages: e-mail addresses, phone- and identity-like digit runs
(Latin or Eastern Arabic digits), and words in Arabic script (names in Dari or Pashto)."""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # 6+ digits, possibly grouped by spaces, dashes or dots; Latin or Eastern Arabic digits.
    re.compile(r"\+?[0-9٠-٩۰-۹](?:[\s.\-]?[0-9٠-٩۰-۹]){5,}"),
    re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+"),
)
MASK = "[redacted]"


def scrub(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
