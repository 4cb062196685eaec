"""Recognise an uploaded file by its content (magic bytes), never by its name."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, PNG, JPEG, DOCX, XLSX = "pdf", "png", "jpeg", "docx", "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}


def sniff(head: bytes, read_all) -> str | None:
    """Return the kind of a file from its first bytes, or None when not allowed.

    `read_all()` returns the whole content; only ZIP files (DOCX, XLSX) need it,
    to tell an Office document from any other archive.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(read_all())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def checked_upload(uploaded_file, max_bytes: int):
    """Check an upload's size and content; return (file, original name, content type).

    The file comes back renamed after its content, so the uploader's name never
    reaches the file system. Raises ValidationError with a message for the user.
    """
    # A file sent over the limit arrives as incubator.uploads.RefusedUpload: the size
    # it reached, without the content the upload handler dropped at the limit.
    if uploaded_file.size > max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; files may be at most %(max).0f MB.")
            % {"size": uploaded_file.size / 1_048_576, "max": max_bytes / 1_048_576},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)

    def read_all():
        uploaded_file.seek(0)
        return uploaded_file.read()

    kind = sniff(head, read_all)
    uploaded_file.seek(0)
    if kind is None:
        raise ValidationError(
            _("This file is not a PDF, PNG, JPEG, DOCX or XLSX document (checked by its content)."),
            code="file_type",
        )
    original_name = uploaded_file.name[:255]
    uploaded_file.name = "upload" + EXTENSIONS[kind]
    return uploaded_file, original_name, CONTENT_TYPES[kind]
