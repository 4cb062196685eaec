"""Refuse an oversized request body while it is read, before it is stored.

Django stores an upload whole (in memory, or in a temporary file past
FILE_UPLOAD_MAX_MEMORY_SIZE) before a form sees its size, and the CSRF check
reads the body of any POST, signed in or not. This handler comes first in
FILE_UPLOAD_HANDLERS:

- a body announced larger than UPLOAD_MAX_BODY_BYTES is refused unread (a 413
  page, from `incubator.views.bad_request`);
- a file that grows past UPLOAD_MAX_BYTES is dropped at the limit, and the form
  receives a `RefusedUpload` in its place: its size and no content, which
  `checked_upload` below refuses with a field error while the
  other answers of the form stay.

So at most one file's limit ever reaches the disk, and only for a moment.
"""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _


class UploadTooLarge(MultiPartParserError):
    """A request body over UPLOAD_MAX_BODY_BYTES."""


class RefusedUpload(UploadedFile):
    """A file stopped at UPLOAD_MAX_BYTES: the size it had reached, and no content."""

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.UPLOAD_MAX_BODY_BYTES:
            raise UploadTooLarge(
                f"The request body of {content_length} bytes is over UPLOAD_MAX_BODY_BYTES."
            )

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.over_limit = False

    def receive_data_chunk(self, raw_data, start):
        if self.over_limit:
            return None
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self.over_limit = True
            # The handlers after this one hold what came so far; close their files now
            # (a temporary file is deleted on close), as Django's parser does on StopUpload.
            for handler in self.request.upload_handlers:
                if handler is not self and hasattr(handler, "file"):
                    handler.file.close()
            return None
        return raw_data

    def file_complete(self, file_size):
        if not self.over_limit:
            return None
        return RefusedUpload(
            self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
        )


# --- What an accepted file is: recognised by its content (magic bytes), never its name ---

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
