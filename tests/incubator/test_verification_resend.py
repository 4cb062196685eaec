"""An unverified person asks for the confirmation link again: through the outbox, at most
once every few minutes, with no token stored and the same answer for any address."""

import datetime as dt

import pytest
from django.utils import timezone

from incubator import account_services, services
from incubator.models import OutboxMessage
from tests.companies.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["lang"] = "en"


def links_sent(user) -> int:
    return OutboxMessage.objects.filter(kind="verify_email", recipient=user.email).count()


def test_the_sign_in_offers_a_new_link_which_goes_out_once_per_window(client, monkeypatch):
    user = UserFactory(email_verified=False)
    services.outbox_enqueue(  # the sign-up's link
        recipient=user.email,
        kind="verify_email",
        dedupe_key=f"verify-email:{user.pk}",
        payload={"name": user.full_name, "user_id": user.pk},
    )
    page = client.post(
        "/portal/sign-in/", {"username": user.email, "password": PASSWORD}
    ).content.decode()
    assert 'id="verify-resend"' in page and f'value="{user.email}"' in page

    # A minute after the sign-up's link: too soon for another.
    later = timezone.now() + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post("/portal/verify/resend/", {"email": user.email.upper()})
    # Nothing was sent: the page does not claim a new link, it points to the one sent.
    page = response.content.decode()
    assert response.status_code == 200 and "new link is on its way" not in page
    assert "the one sent less than 5 minutes ago" in page and "spam folder" in page
    assert links_sent(user) == 1

    later += dt.timedelta(minutes=account_services.VERIFICATION_RESEND_MINUTES)
    client.post("/portal/verify/resend/", {"email": user.email})
    client.post("/portal/verify/resend/", {"email": user.email})  # a double click
    assert links_sent(user) == 2
    resent = OutboxMessage.objects.filter(kind="verify_email").latest("pk")
    assert resent.payload == {"name": user.full_name, "user_id": user.pk}  # no token, no link


def answer(client, email: str) -> str:
    """The resend page's answer, its address taken out."""
    response = client.post("/portal/verify/resend/", {"email": email})
    assert response.status_code == 200
    return response.content.decode().split("<main")[1].split("</main>")[0].replace(email, "…")


@pytest.mark.parametrize("make", [lambda: UserFactory(email_verified=True), lambda: None])
def test_a_confirmed_or_unknown_address_gets_the_same_page_and_nothing(client, make):
    user = make()
    email = user.email if user else "nobody@example.kr"
    assert "the one sent less than 5 minutes ago" in answer(client, email)
    assert not OutboxMessage.objects.exists()


def test_the_answer_is_the_same_sent_too_soon_sent_or_unknown(client):
    waiting = UserFactory(email_verified=False, email="waiting@example.kr")
    services.outbox_enqueue(  # the sign-up's link, a moment ago
        recipient=waiting.email,
        kind="verify_email",
        dedupe_key=f"verify-email:{waiting.pk}",
        payload={"name": waiting.full_name, "user_id": waiting.pk},
    )
    too_soon = answer(client, waiting.email)
    sent = answer(client, UserFactory(email_verified=False, email="fresh@example.kr").email)
    unknown = answer(client, "nobody@example.kr")
    assert too_soon == sent == unknown
    assert links_sent(waiting) == 1 and OutboxMessage.objects.count() == 2


def test_the_resend_form_takes_the_address_from_the_link(client):
    page = client.get("/portal/verify/resend/?email=a%40example.kr").content.decode()
    assert 'value="a@example.kr"' in page
