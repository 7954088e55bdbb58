"""Hardened document uploads: decide a file's type by its bytes and store only what is safe to open.

What does the work:
- Pillow decodes images and re-encodes them from pixels alone, so nothing rides along: appended
  archives (JPEG+ZIP, GIFAR), EXIF (GPS!), XMP, comments and ICC profiles are all dropped.
- pypdf parses PDFs so active content hidden in compressed object streams is seen; PDFs are
  refused, never rewritten (flattening would alter evidence and is a second parser to trust).
- ClamAV (optional) scans through clamd when the settings name it.

What is hand-written, and why:
- The type sniffing: a dozen fixed magic numbers; a sniffing library (python-magic) needs libmagic
  and would still leave us to decide which of its hundreds of answers are acceptable.
- The raw PDF name scan with ``#xx`` decoding: a second, independent look at the bytes, so a file
  pypdf reads leniently cannot slip a ``/J#61vaScript`` past us.
- The clamd INSTREAM client: the ``clamd`` package's last release is from 2014, it is untyped,
  imports the deprecated ``pkg_resources`` and has no timeout by default (a hung scanner would hang
  the upload); the protocol is a command, length-prefixed chunks and a one-line reply.
- The display name cleaning: it is a few string rules specific to how we show names.

Decisions: GIF is converted to PNG (first frame only). HEIC is accepted only when a HEIF plugin
for Pillow is installed (it is not a dependency), and is then stored as JPEG; without the plugin
it is refused as ``unknown_type``. WebP stays WebP. Stored images can be larger than the upload
(re-encoding at quality 88); the size limit applies to what the user sent.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import socket
import struct
import unicodedata
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from safepassage.core.errors import InvalidInputError

logger = logging.getLogger(__name__)

UploadRejection = Literal[
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
]

MAX_IMAGE_PIXELS: Final = 40_000_000
MAX_NAME_LENGTH: Final = 120
JPEG_QUALITY: Final = 88

# Pillow's own guard, process-wide: above this it warns, above twice this it refuses to open.
# We turn the warning into an error while opening, and check the header ourselves as well.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

_MESSAGES: Final[dict[UploadRejection, Promise]] = {
    "empty": _("The file is empty."),
    "too_large": _("This file is too large."),
    "unknown_type": _(
        "This kind of file is not accepted. Upload a photo (JPEG, PNG or WebP) or a PDF."
    ),
    "archive": _("Archives such as ZIP files are not accepted. Upload each document on its own."),
    "pdf_active_content": _(
        "This PDF contains scripts, attachments or automatic actions, so it was not accepted. "
        "Scan or print the document to a new PDF and upload that."
    ),
    "pdf_unreadable": _("This PDF cannot be read. It may be damaged or protected by a password."),
    "image_too_large": _("This image has too many pixels. Reduce its size and try again."),
    "image_unreadable": _("This image cannot be read. It may be damaged."),
    "malware": _("This file was found to contain malicious software and was not accepted."),
    "scan_unavailable": _(
        "Files cannot be checked for malicious software right now. Please try again later."
    ),
    "quota_exceeded": _("There is no room left for more documents here."),
}


class UploadRejectedError(InvalidInputError):
    """An upload that will not be stored; ``reason`` is a stable code for it.

    The message never contains the file's name or content.
    """

    code = "upload_rejected"

    def __init__(self, reason: UploadRejection, *, field: str | None = None) -> None:
        super().__init__(_MESSAGES[reason], field=field)
        self.reason: UploadRejection = reason
        if reason == "scan_unavailable":
            self.status = 503  # our fault, not the file's: the user may try again


@dataclass(frozen=True)
class CleanUpload:
    content: bytes  # what will be stored: a re-encoded image or a checked, unchanged PDF
    content_type: str  # decided by the content, never by the name or the client's header
    extension: str  # "jpg", "png", "webp" or "pdf"
    safe_name: str  # display name: a plain basename ending in ``extension``


def clean_upload(*, content: bytes, original_name: str, max_bytes: int) -> CleanUpload:
    """Check an uploaded file and return what may be stored.

    Args:
        content: the bytes as uploaded.
        original_name: the name the client gave; used only for the display name.
        max_bytes: the largest upload accepted.

    Raises:
        UploadRejectedError: with ``reason`` "empty", "too_large", "unknown_type", "archive",
            "pdf_active_content", "pdf_unreadable", "image_too_large", "image_unreadable",
            "malware" or "scan_unavailable" (see ``scan_for_malware``, which this runs).
    """
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    try:
        return _clean(content, original_name, max_bytes)
    except UploadRejectedError as error:
        logger.info("upload rejected: reason=%s bytes=%d", error.reason, len(content))
        raise


def _clean(content: bytes, original_name: str, max_bytes: int) -> CleanUpload:
    if not content:
        raise UploadRejectedError("empty")
    if len(content) > max_bytes:
        raise UploadRejectedError("too_large")
    kind = _sniff(content)
    if kind == "archive":
        raise UploadRejectedError("archive")
    if kind == "pdf":
        scan_for_malware(content)
        _check_pdf(content)
        stored, extension, content_type = content, "pdf", "application/pdf"
    elif kind in _IMAGE_KINDS:
        scan_for_malware(content)
        image_kind = _IMAGE_KINDS[kind]
        stored = _reencode_image(content, image_kind)
        extension, content_type = image_kind.extension, image_kind.content_type
    else:
        raise UploadRejectedError("unknown_type")
    return CleanUpload(
        content=stored,
        content_type=content_type,
        extension=extension,
        safe_name=safe_display_name(original_name, extension=extension),
    )


# --- type by content ------------------------------------------------------------------------

_Kind = Literal["jpeg", "png", "gif", "webp", "heif", "pdf", "archive", "unknown"]

_ARCHIVE_SIGNATURES: Final = (
    b"PK\x03\x04",  # zip, and so jar, apk, docx, xlsx, odt
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"\x1f\x9d",  # compress
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\x04\x22\x4d\x18",  # lz4
    b"MSCF",  # cab
    b"LZIP",
    b"!<arch>\n",  # ar, and so deb
)
_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
# Office documents are zips too, but "archive" would be a confusing thing to tell their owner.
_OFFICE_FIRST_ENTRIES: Final = (b"[Content_Types].xml", b"mimetype")


def _sniff(content: bytes) -> _Kind:
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and content[30:].startswith(_OFFICE_FIRST_ENTRIES):
        return "unknown"
    if (
        head.startswith(_ARCHIVE_SIGNATURES)
        or content[257:262] == b"ustar"  # tar
        or content[0x8001:0x8006] == b"CD001"  # ISO 9660 disc image
    ):
        return "archive"
    return "unknown"


# --- images ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ImageKind:
    pillow_format: str  # the only Pillow decoder allowed to read it
    output_format: str
    extension: str
    content_type: str


_JPEG_OUT: Final = ("JPEG", "jpg", "image/jpeg")
_IMAGE_KINDS: Final[dict[str, _ImageKind]] = {
    "jpeg": _ImageKind("JPEG", *_JPEG_OUT),
    "png": _ImageKind("PNG", "PNG", "png", "image/png"),
    "gif": _ImageKind("GIF", "PNG", "png", "image/png"),
    "webp": _ImageKind("WEBP", "WEBP", "webp", "image/webp"),
    "heif": _ImageKind("HEIF", *_JPEG_OUT),  # only with a HEIF plugin, see the module docstring
}

# What a hostile file can make a Pillow decoder raise; any of them means "cannot be read".
_DECODER_ERRORS: Final = (
    OSError,  # includes UnidentifiedImageError and truncated data
    ValueError,
    SyntaxError,  # some Pillow plugins signal broken headers this way
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ImageCms.PyCMSError,
)


def _reencode_image(content: bytes, kind: _ImageKind) -> bytes:
    Image.init()
    if kind.pillow_format not in Image.OPEN:
        raise UploadRejectedError("unknown_type")
    try:
        # Pillow warns between MAX_IMAGE_PIXELS and twice that; make it an error. (The filter
        # is process-wide for the moment it is set; it only ever makes other code stricter.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[kind.pillow_format]) as source:
                width, height = source.size  # from the header: no pixel is decoded yet
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRejectedError("image_too_large")
                if width < 1 or height < 1:
                    raise UploadRejectedError("image_unreadable")
                source.load()
                lossless = kind.pillow_format == "WEBP" and content[12:16] == b"VP8L"
                clean = _pixels_only(source, kind.output_format)
        buffer = io.BytesIO()
        clean.save(buffer, format=kind.output_format, **_save_options(kind.output_format, lossless))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejectedError("image_too_large") from None
    except _DECODER_ERRORS:
        raise UploadRejectedError("image_unreadable") from None
    return buffer.getvalue()


def _pixels_only(source: Image.Image, output_format: str) -> Image.Image:
    """Upright, sRGB pixels with nothing else attached, ready for the encoder.

    Transposes in place rather than build a fresh image: a 40-megapixel photo is 120 MB per copy.
    The encoders take metadata only from ``info`` and the save options, so emptying ``info`` and
    passing empty metadata options (``_save_options``) leaves nothing to carry over; the tests
    check the stored bytes for EXIF, GPS, XMP, ICC, comments and text chunks.
    """
    icc_profile = source.info.get("icc_profile")
    image = source
    # Broken EXIF: keep the pixels as they are rather than refuse the photo.
    with contextlib.suppress(ValueError, OSError, SyntaxError, struct.error, KeyError, TypeError):
        ImageOps.exif_transpose(source, in_place=True)
    if isinstance(icc_profile, bytes) and icc_profile:
        image = _to_srgb(image, icc_profile)
    mode = _output_mode(image, output_format)
    if image.mode != mode:
        image = image.convert(mode)
    image.info = {}
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        converted = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unusable profile: colours may shift a little, the profile still goes
    return converted if converted is not None else image


def _output_mode(image: Image.Image, output_format: str) -> str:
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )
    if output_format == "JPEG":
        return "L" if image.mode in ("1", "L") else "RGB"
    if has_alpha:
        return "RGBA"
    return "L" if image.mode in ("1", "L") and output_format == "PNG" else "RGB"


def _save_options(output_format: str, lossless: bool) -> dict[str, object]:
    no_metadata: dict[str, object] = {"exif": b"", "icc_profile": None}
    if output_format == "JPEG":
        return {**no_metadata, "comment": None, "quality": JPEG_QUALITY, "optimize": True}
    if output_format == "WEBP":
        quality: dict[str, object] = {"lossless": True} if lossless else {"quality": JPEG_QUALITY}
        return {**no_metadata, **quality}
    return {**no_metadata, "optimize": True}


# --- PDFs -----------------------------------------------------------------------------------

# Keys and action types that run code, start programs, send data, fetch or carry other files.
_PDF_FORBIDDEN_NAMES: Final = frozenset(
    {
        "JavaScript",
        "JS",
        "AA",  # additional actions: triggered on open, close, page view, field focus...
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "RichMediaExecute",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToR",  # opens another file, e.g. on a network share: leaks the reader's address
        "GoToE",  # opens an embedded file
    }
)
_PDF_FORBIDDEN_NAME_BYTES: Final = frozenset(name.encode() for name in _PDF_FORBIDDEN_NAMES)
# A name runs from "/" to the next whitespace or delimiter (PDF 32000-1:2008, 7.2 and 7.3.5).
_PDF_NAME: Final = re.compile(rb"/([^\x00\t\n\x0c\r \[\]()<>{}/%]+)")
_PDF_NAME_ESCAPE: Final = re.compile(rb"#([0-9A-Fa-f]{2})")
# A zip reader finds a zip by its end record, at most 64 KiB of comment from the end of the file.
_ZIP_END_RECORD: Final = b"PK\x05\x06"
_ZIP_END_SEARCH_BYTES: Final = 65_535 + 22

_PDF_ERRORS: Final = (
    PyPdfError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,  # pypdf on hostile input sometimes meets a null where it expects an object
    RecursionError,
    OSError,
    EOFError,
    struct.error,
    zlib.error,
)


def _check_pdf(content: bytes) -> None:
    if _has_forbidden_name(content):
        raise UploadRejectedError("pdf_active_content")
    if _ZIP_END_RECORD in content[-_ZIP_END_SEARCH_BYTES:]:
        raise UploadRejectedError("archive")  # a PDF that is also a zip
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRejectedError("pdf_unreadable")
        if not isinstance(reader.trailer.get("/Root"), IndirectObject | DictionaryObject):
            raise UploadRejectedError("pdf_unreadable")
        if len(reader.pages) < 1:
            raise UploadRejectedError("pdf_unreadable")
        if _pdf_objects_are_active(reader):
            raise UploadRejectedError("pdf_active_content")
    except _PDF_ERRORS:
        raise UploadRejectedError("pdf_unreadable") from None


def _has_forbidden_name(data: bytes) -> bool:
    """Look at every name in raw bytes, decoding ``#xx`` escapes as a PDF reader would."""
    return any(name in _PDF_FORBIDDEN_NAME_BYTES for name in _raw_pdf_names(data))


def _raw_pdf_names(data: bytes) -> Iterator[bytes]:
    for match in _PDF_NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_NAME_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), name)
        yield name


def _pdf_objects_are_active(reader: PdfReader) -> bool:
    """Walk every object the reader can reach or find in the cross-reference tables.

    This sees inside compressed object streams, which the raw scan cannot.
    """
    pending: list[PdfObject] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    while pending:
        item: PdfObject | None = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, NameObject):
            if item[1:] in _PDF_FORBIDDEN_NAMES:
                return True
        elif isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key[1:] in _PDF_FORBIDDEN_NAMES or (
                    key == "/OpenAction" and _is_action_other_than_goto(value)
                ):
                    return True
                pending.append(value)
            if (
                isinstance(item, StreamObject)
                and item.get("/Type") == "/ObjStm"
                and _has_forbidden_name(item.get_data())
            ):
                return True
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _is_action_other_than_goto(value: PdfObject) -> bool:
    """An open action may show a page; anything else (a URI, a script...) runs unasked.

    A chained ``/Next`` action could follow the page with anything, so it is refused too.
    """
    action = value.get_object()
    return isinstance(action, DictionaryObject) and (
        action.get("/S") != "/GoTo" or "/Next" in action
    )


# --- malware scanning -----------------------------------------------------------------------

_CLAMD_CHUNK_BYTES: Final = 64 * 1024
_CLAMD_REPLY_MAX_BYTES: Final = 4096


def scan_for_malware(content: bytes) -> None:
    """Scan ``content`` with ClamAV when settings name a clamd; otherwise do nothing.

    Settings: ``CLAMAV_SOCKET`` (a Unix socket path) or ``CLAMAV_HOST`` and ``CLAMAV_PORT``
    (default 3310); ``CLAMAV_TIMEOUT_SECONDS`` (default 30).

    Speaks clamd's INSTREAM protocol itself rather than use the ``clamd`` package (see the module
    docstring): ``zINSTREAM\\0``, chunks each prefixed by a 4-byte big-endian length, a zero
    length to finish, and a NUL-terminated reply such as ``stream: OK``.

    Raises:
        UploadRejectedError: "malware" when ClamAV finds something; "scan_unavailable" when a
            scanner is configured but cannot be reached or answers with an error: we fail
            closed, an unscanned file is never accepted while scanning is switched on.
    """
    address = _clamd_address()
    if address is None:
        return
    try:
        reply = _clamd_instream(address, content, _clamd_timeout_seconds())
    except OSError as error:
        logger.error("malware scanner unreachable: %s", type(error).__name__)
        raise UploadRejectedError("scan_unavailable") from None
    if reply == "stream: OK":
        return
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream: ").removesuffix(" FOUND")
        logger.warning("malware found: signature=%s", signature[:120])
        raise UploadRejectedError("malware")
    logger.error("malware scanner answered with an error")
    raise UploadRejectedError("scan_unavailable")


def _clamd_address() -> str | tuple[str, int] | None:
    socket_path = getattr(settings, "CLAMAV_SOCKET", None)
    if socket_path:
        return str(socket_path)
    host = getattr(settings, "CLAMAV_HOST", None)
    if host:
        return str(host), int(getattr(settings, "CLAMAV_PORT", 3310))
    return None


def _clamd_timeout_seconds() -> float:
    return float(getattr(settings, "CLAMAV_TIMEOUT_SECONDS", 30))


def _clamd_instream(address: str | tuple[str, int], content: bytes, timeout: float) -> str:
    if isinstance(address, str):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
    else:
        connection = socket.create_connection(address, timeout=timeout)
    with connection:
        if isinstance(address, str):
            connection.connect(address)
        connection.sendall(b"zINSTREAM\0")
        view = memoryview(content)
        for start in range(0, len(view), _CLAMD_CHUNK_BYTES):
            chunk = view[start : start + _CLAMD_CHUNK_BYTES]
            connection.sendall(struct.pack("!I", len(chunk)))
            connection.sendall(chunk)
        connection.sendall(struct.pack("!I", 0))
        reply = b""
        while b"\0" not in reply and len(reply) < _CLAMD_REPLY_MAX_BYTES:
            received = connection.recv(_CLAMD_REPLY_MAX_BYTES)
            if not received:
                break
            reply += received
    return reply.split(b"\0", 1)[0].decode("ascii", "replace").strip()


# --- display names --------------------------------------------------------------------------

_JOINERS: Final = frozenset("\u200c\u200d")  # needed to write Dari and Pashto correctly
_WINDOWS_RESERVED_CHARACTERS: Final = '<>:"|?*'
_WINDOWS_DEVICE_NAMES: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{digit}" for digit in range(10)}
    | {f"LPT{digit}" for digit in range(10)}
)
_FALLBACK_STEM: Final = "document"


def safe_display_name(original_name: str, *, extension: str) -> str:
    """A display name from a client's file name: basename only, ending in ``.extension``.

    Drops directories (``/`` and ``\\``), ``..``, control and other invisible format characters
    (bidi overrides and isolates hide a real extension: ``photo\\u202egpj.exe``) except the
    joiners Persian script needs; normalises to NFC; keeps at most ``MAX_NAME_LENGTH`` characters.
    """
    name = unicodedata.normalize("NFC", original_name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_displayable(character) for character in name)
    for character in _WINDOWS_RESERVED_CHARACTERS:
        name = name.replace(character, "_")
    while ".." in name:
        name = name.replace("..", ".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _trim(stem)
    if stem.split(".", 1)[0].upper() in _WINDOWS_DEVICE_NAMES:
        stem = f"_{stem}"
    room = MAX_NAME_LENGTH - len(extension) - 1
    stem = _trim(unicodedata.normalize("NFC", stem[:room])[:room]) or _FALLBACK_STEM
    return f"{stem}.{extension}"


def _displayable(character: str) -> str:
    category = unicodedata.category(character)
    if character in _JOINERS:
        return character
    if category.startswith("C") or category in ("Zl", "Zp"):
        return ""  # controls, format characters (bidi), surrogates, private use, unassigned
    if category == "Zs":
        return " "
    return character


def _trim(stem: str) -> str:
    # Leading dots make hidden files; Windows drops trailing dots and spaces.
    return stem.strip(" .")
