"""Local key files for the embedded default: created once, readable by the owner only."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def private_file_create(path: Path, content: str) -> None:
    """Create ``path`` readable by its owner only; FileExistsError if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)


def read_or_create(path: Path, make: str) -> str:
    """The content of a private key file, creating it with ``make`` when it does not exist.

    An existing file readable by group or others is refused: a key that others can read
    protects nothing.
    """
    with contextlib.suppress(FileExistsError):
        private_file_create(path, make)
    mode = path.stat().st_mode & 0o077
    if mode:
        raise PermissionError(f"{path} must be readable by its owner only (chmod 600)")
    return path.read_text(encoding="utf-8").strip()


def local_secret(path: Path) -> str:
    return read_or_create(path, secrets.token_urlsafe(50))
