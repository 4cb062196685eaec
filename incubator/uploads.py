"""Refuse an oversized request body while it is read, before it is stored.

Django stores an upload whole (in memory, or in a temporary file past
FILE_UPLOAD_MAX_MEMORY_SIZE) before a form sees its size, and the CSRF check
reads the body of any POST, signed in or not. This handler comes first in
FILE_UPLOAD_HANDLERS:

- a body announced larger than UPLOAD_MAX_BODY_BYTES is refused unread (a 413
  page, from `incubator.views.bad_request`);
- a file that grows past UPLOAD_MAX_BYTES is dropped at the limit, and the form
  receives a `RefusedUpload` in its place: its size and no content, which
  `companies.uploads.checked_upload` refuses with a field error while the
  other answers of the form stay.

So at most one file's limit ever reaches the disk, and only for a moment.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError


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
