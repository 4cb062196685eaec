"""An oversized body is refused while it is read: it never reaches the disk whole.

The bodies are made as the server reads them (nothing of 200 MB is ever in memory),
and each read measures the temporary upload directory, so a test sees the most it
ever held.
"""

import os

import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Document
from tests.companies.factories import ApplicationFactory
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "fuzzboundary7MA4YWxkTrZu0gW"
CHUNK = bytes(64 * 1024)


class StreamedBody:
    """A multipart body with `fields` and one file of `file_bytes`, made as it is read."""

    def __init__(self, fields: dict, file_bytes: int, *, temp_dir, file_field="file"):
        parts = [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        parts.append(
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{file_field}"; filename="statement.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        self.head = "".join(parts).encode() + b"%PDF-1.4\n"
        self.file_bytes = file_bytes - len(b"%PDF-1.4\n")
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + self.file_bytes + len(self.tail)
        self.temp_dir = temp_dir
        self.bytes_read = 0
        self.most_in_temp_dir = 0

    def _piece(self, position: int, size: int) -> bytes:
        if position < len(self.head):
            return self.head[position : position + size]
        position -= len(self.head)
        if position < self.file_bytes:
            return CHUNK[: min(size, self.file_bytes - position, len(CHUNK))]
        position -= self.file_bytes
        return self.tail[position : position + size]

    def read(self, size=-1):
        self.most_in_temp_dir = max(self.most_in_temp_dir, bytes_in(self.temp_dir))
        if size is None or size < 0:
            size = self.length - self.bytes_read
        out = bytearray()
        while len(out) < size and self.bytes_read < self.length:
            piece = self._piece(self.bytes_read, size - len(out))
            out += piece
            self.bytes_read += len(piece)
        return bytes(out)

    def readline(self, size=-1):
        return self.read(size)


class StreamedForm(StreamedBody):
    """An urlencoded body: `fields`, then one field of `text_bytes` letters."""

    def __init__(self, fields: dict, text_bytes: int, *, temp_dir):
        self.head = "&".join(f"{k}={v}" for k, v in fields.items()).encode() + b"&purpose="
        self.file_bytes = text_bytes
        self.tail = b""
        self.length = len(self.head) + text_bytes
        self.temp_dir = temp_dir
        self.bytes_read = 0
        self.most_in_temp_dir = 0


def bytes_in(directory) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(directory) if entry.is_file())


def post_streamed(client, path: str, body: StreamedBody, content_type=None):
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE=content_type or f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )


@pytest.fixture
def temp_dir(settings, tmp_path):
    directory = tmp_path / "uploads"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    return directory


@pytest.fixture
def documents_url(member):
    application = ApplicationFactory(company=member.membership.company)
    return reverse("programs:application-step", args=[application.pk, "documents"])


@pytest.fixture
def anonymous():
    """A visitor with a CSRF cookie, as anyone gets from any page: the check then reads the body."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["lang"] = "en"
    client.get(reverse("portal:login"))
    return client, client.cookies["csrftoken"].value


def test_a_200_mb_document_is_refused_before_a_byte_is_read(
    client, member, documents_url, temp_dir
):
    signed_in(client, member)
    body = StreamedBody({"form": "document", "kind": "financial"}, 200 * MB, temp_dir=temp_dir)
    response = post_streamed(client, documents_url, body)
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is larger than 10 MB" in page
    assert "site-header" in page  # the portal's layout, not a bare error
    assert body.bytes_read == 0
    assert body.most_in_temp_dir == 0
    assert not Document.objects.exists()


def post_from(client, path: str, body: StreamedBody, referer: str):
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        HTTP_REFERER=referer,
        **{"wsgi.input": body},
    )


def test_the_413_page_leads_back_to_the_page_of_the_form(client, member, documents_url, temp_dir):
    signed_in(client, member)
    body = StreamedBody({"form": "document", "kind": "financial"}, 200 * MB, temp_dir=temp_dir)
    response = post_from(client, documents_url, body, f"http://testserver{documents_url}")
    assert response.status_code == 413
    link = response.content.decode().split('id="go-back"')[0].rsplit("<a", 1)[1]
    assert f'href="http://testserver{documents_url}"' in link


def test_the_413_page_does_not_lead_to_another_site(client, member, documents_url, temp_dir):
    signed_in(client, member)
    body = StreamedBody({"form": "document", "kind": "financial"}, 200 * MB, temp_dir=temp_dir)
    response = post_from(client, documents_url, body, "https://evil.example/phish")
    assert response.status_code == 413
    page = response.content.decode()
    assert "evil.example" not in page
    assert f'href="{reverse("portal:home")}" id="go-back"' in page


def test_an_anonymous_200_mb_post_is_refused_by_the_csrf_check_unread(anonymous, temp_dir):
    client, token = anonymous
    body = StreamedBody({"csrfmiddlewaretoken": token}, 200 * MB, temp_dir=temp_dir)
    response = post_streamed(client, reverse("portal:login"), body)
    assert response.status_code == 413
    assert "The file is larger than 10 MB" in response.content.decode()
    assert body.bytes_read == 0
    assert body.most_in_temp_dir == 0


def test_a_file_over_the_limit_in_a_small_body_stops_at_the_limit_with_a_field_error(
    client, member, documents_url, temp_dir, settings
):
    signed_in(client, member)
    size = settings.UPLOAD_MAX_BYTES + MB // 2  # the body is within UPLOAD_MAX_BODY_BYTES
    body = StreamedBody({"form": "document", "kind": "financial"}, size, temp_dir=temp_dir)
    assert body.length <= settings.UPLOAD_MAX_BODY_BYTES
    response = post_streamed(client, documents_url, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file is 10.5 MB; files may be at most 10 MB." in page
    assert '<option value="financial" selected>' in page  # the other answers stay
    # The file did go to a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE, and no further
    # than the limit; it is gone once the request is answered.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < body.most_in_temp_dir <= settings.UPLOAD_MAX_BYTES
    assert bytes_in(temp_dir) == 0
    assert not Document.objects.exists()


def test_an_anonymous_file_over_the_limit_leaves_nothing_in_the_temp_dir(anonymous, temp_dir):
    client, token = anonymous
    body = StreamedBody({"csrfmiddlewaretoken": token}, 10 * MB + MB // 2, temp_dir=temp_dir)
    response = post_streamed(client, reverse("portal:login"), body)
    assert response.status_code == 200  # the sign-in form, asking for its fields
    assert body.most_in_temp_dir <= 10 * MB
    assert bytes_in(temp_dir) == 0


def test_a_file_within_the_limit_is_still_uploaded(client, member, documents_url, temp_dir):
    signed_in(client, member)
    body = StreamedBody({"form": "document", "kind": "financial"}, 4 * MB, temp_dir=temp_dir)
    response = post_streamed(client, documents_url, body)
    assert response.status_code == 302
    assert Document.objects.get().size == 4 * MB


def test_a_200_mb_form_without_a_file_is_refused_unread(anonymous, temp_dir):
    client, token = anonymous
    body = StreamedForm({"csrfmiddlewaretoken": token}, 200 * MB, temp_dir=temp_dir)
    response = post_streamed(
        client, reverse("portal:login"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "What you sent is larger than the portal accepts." in response.content.decode()
    assert body.bytes_read == 0


def test_text_fields_over_the_memory_limit_are_refused_with_the_form_page(
    client, member, documents_url, temp_dir, settings
):
    signed_in(client, member)
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    body = StreamedBody({"form": "document", "kind": text}, 1000, temp_dir=temp_dir)
    response = post_streamed(client, documents_url, body)
    assert response.status_code == 413
    assert "What you sent is larger than the portal accepts." in response.content.decode()
    assert not Document.objects.exists()
