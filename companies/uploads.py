"""Recognise an uploaded file by its content (magic bytes), never by its name."""

import io
import zipfile

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
