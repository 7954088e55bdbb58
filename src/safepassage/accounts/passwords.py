"""Password rules beyond Django's: no identity in the password, no known-breached password."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MINIMUM_PART_LENGTH = 3
SHA1_HEX_LENGTH = 40


class IdentityInPasswordValidator:
    """Refuses a password that contains the username, the name or short name of one of the
    user's organisations, or the product's name: the first words an attacker tries."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = password.casefold()
        for part in self._identity_parts(user):
            if len(part) >= MINIMUM_PART_LENGTH and part in folded:
                raise ValidationError(
                    _("The password must not contain your username or your organisation's name."),
                    code="password_contains_identity",
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain your username or your organisation's name.")

    @staticmethod
    def _identity_parts(user: Any) -> list[str]:
        parts = ["safepassage"]
        if user is None:
            return parts
        username = getattr(user, "username", "") or ""
        parts.append(username.casefold())
        if getattr(user, "pk", None) is not None:
            from safepassage.core.models import Membership

            for name, slug in Membership.objects.filter(user_id=user.pk).values_list(
                "organization__name", "organization__slug"
            ):
                parts.append(name.casefold())
                parts.append(slug.casefold())
                parts.extend(word.casefold() for word in name.split() if len(word) > 4)
        return parts


class BreachedPasswordValidator:
    """Refuses a password whose SHA-1 hash is in an offline list of breached passwords.

    The list is the file named by the BREACHED_PASSWORDS_FILE setting: one hash a line,
    40 hex digits, optionally followed by ``:count`` (the published Pwned Passwords format),
    sorted by hash. It is searched by bisection on byte offsets, so a multi-gigabyte list costs
    about 35 reads and no memory. There is no network lookup: the service runs offline.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path

    def validate(self, password: str, user: Any = None) -> None:
        path = self.path if self.path is not None else settings.BREACHED_PASSWORDS_FILE
        if not path:
            return
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest()
        if sorted_hash_file_contains(path, digest):
            raise ValidationError(
                _("This password has appeared in a data breach. Choose another one."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be one that has appeared in a data breach.")


def sorted_hash_file_contains(path: str | os.PathLike[str], digest: str) -> bool:
    """Whether the sorted file of hex hashes at ``path`` holds ``digest`` (case-insensitive)."""
    wanted = digest.upper().encode("ascii")
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        low, high = 0, handle.tell()
        # Invariant: every line starting before `low` sorts below `wanted`; every line starting
        # at or after `high` sorts above it (or does not exist).
        while low < high:
            middle = (low + high) // 2
            start = _line_start_at_or_after(handle, middle)
            if start >= high:
                # No line starts in [middle, high): look in the lower half's last line.
                high = middle
                continue
            handle.seek(start)
            line = handle.readline()
            key = line[:SHA1_HEX_LENGTH].upper()
            if key == wanted:
                return True
            if key < wanted:
                low = start + len(line)
            else:
                high = start
        return False


def _line_start_at_or_after(handle: Any, offset: int) -> int:
    """The offset of the first line that starts at or after ``offset``."""
    if offset == 0:
        return 0
    handle.seek(offset - 1)
    handle.readline()  # finish the line that `offset - 1` falls in
    position: int = handle.tell()
    return position
