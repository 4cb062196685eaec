"""An optional reminder says why it came and links the preferences where it is turned off."""

import pytest

from incubator.models import OutboxMessage
from incubator.services import render_message
from tests.companies.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "name": "Kim",
    "company": "Test Technology",
    "certification": "Venture company",
    "expires_on": "2027-01-19",
    "path": "/portal/requests/new/?kind=other",
}


def _message(kind: str, payload: dict) -> OutboxMessage:
    return OutboxMessage.objects.create(
        recipient="founder@example.kr",
        kind=kind,
        dedupe_key=f"test:{kind}",
        payload=payload,
        language="en",
    )


def test_an_optional_reminder_links_the_preferences_in_its_text_html_and_headers(settings):
    settings.SITE_URL = "https://center.example"
    email = render_message(_message("reminder_certification_expiring", PAYLOAD))
    preferences = "https://center.example/portal/preferences/"
    assert "You receive this because the reminder" in email.body
    assert "A certification of my company expires in 30 days" in email.body
    assert preferences in email.body
    html = email.alternatives[0][0]
    assert f'href="{preferences}"' in html
    assert email.extra_headers["List-Unsubscribe"] == f"<{preferences}>"


def test_a_message_that_is_not_an_optional_reminder_has_no_such_footer():
    email = render_message(_message("password_reset", {"name": "Kim", "user_id": UserFactory().pk}))
    assert "preferences" not in email.body
    assert "List-Unsubscribe" not in email.extra_headers
