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
    assert response.status_code == 200 and "a new link is on its way" in response.content.decode()
    assert links_sent(user) == 1

    later += dt.timedelta(minutes=account_services.VERIFICATION_RESEND_MINUTES)
    client.post("/portal/verify/resend/", {"email": user.email})
    client.post("/portal/verify/resend/", {"email": user.email})  # a double click
    assert links_sent(user) == 2
    resent = OutboxMessage.objects.filter(kind="verify_email").latest("pk")
    assert resent.payload == {"name": user.full_name, "user_id": user.pk}  # no token, no link


@pytest.mark.parametrize("make", [lambda: UserFactory(email_verified=True), lambda: None])
def test_a_confirmed_or_unknown_address_gets_the_same_page_and_nothing(client, make):
    user = make()
    email = user.email if user else "nobody@example.kr"
    response = client.post("/portal/verify/resend/", {"email": email})
    assert response.status_code == 200 and "a new link is on its way" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_the_resend_form_takes_the_address_from_the_link(client):
    page = client.get("/portal/verify/resend/?email=a%40example.kr").content.decode()
    assert 'value="a@example.kr"' in page
