"""The portal's small scripts (static/js/portal.js) in a real browser."""

import pytest
from django.urls import reverse

from companies.models import Document
from tests.companies.factories import ApplicationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    live_server, new_context, signed_in, settings
):
    settings.UPLOAD_MAX_BYTES = 2_000
    owner = MembershipFactory().user
    application = ApplicationFactory(company=owner.membership.company)
    page = signed_in(new_context(), owner)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else 0)
    page.goto(
        live_server.url + reverse("programs:application-step", args=[application.pk, "documents"])
    )

    big = {"name": "big.pdf", "mimeType": "application/pdf", "buffer": PDF + bytes(3_000)}
    page.set_input_files("#id_file", files=[big])
    page.click("#document-form button[type=submit]")

    assert "the most the portal accepts" in page.inner_text("#id_file_too_large")
    assert posts == [] and not Document.objects.exists()

    # A file within the limit takes the note away and is sent.
    small = {"name": "small.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.set_input_files("#id_file", files=[small])
    assert page.locator("#id_file_too_large").count() == 0
    with page.expect_navigation():
        page.click("#document-form button[type=submit]")
    assert Document.objects.get().original_name == "small.pdf"


def test_the_market_fit_answer_counts_its_characters(live_server, new_context, signed_in):
    owner = MembershipFactory().user
    application = ApplicationFactory(company=owner.membership.company, market_fit="")
    page = signed_in(new_context(), owner)
    page.goto(
        live_server.url + reverse("programs:application-step", args=[application.pk, "review"])
    )

    assert page.inner_text("#id_market_fit_counter") == "0 / 3,000"
    page.fill("#id_market_fit", "하얼빈의 학교")
    assert page.inner_text("#id_market_fit_counter") == "7 / 3,000"
