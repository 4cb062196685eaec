import re

import pytest

from incubator.models import OutboxMessage, User

pytestmark = pytest.mark.django_db(transaction=True)

SIGN_UP = {
    "email": "Founder@Example.KR",
    "full_name": "남정화",
    "language": "ko",
    "time_zone": "Asia/Seoul",
    "password1": "orangsimhan-2020!",
    "password2": "orangsimhan-2020!",
}


def test_sign_up_sends_a_link_that_confirms_the_address_and_signs_in(client, mailoutbox):
    response = client.post("/portal/sign-up/", SIGN_UP)
    assert response.status_code == 200
    user = User.objects.get(email="founder@example.kr")
    assert not user.email_verified
    response = client.post(
        "/portal/sign-in/", {"username": "founder@example.kr", "password": SIGN_UP["password1"]}
    )
    assert not response.wsgi_request.user.is_authenticated  # not before the address is confirmed
    assert 'class="form-errors"' in response.content.decode()

    message = OutboxMessage.objects.get(kind="verify_email")
    assert message.status == OutboxMessage.Status.SENT and len(mailoutbox) == 1
    link = re.search(r"http://testserver(/portal/verify/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.wsgi_request.user.is_authenticated
    user.refresh_from_db()
    assert user.email_verified


def test_sign_up_errors_stand_beside_the_field_and_keep_the_answers(client):
    response = client.post("/portal/sign-up/", {**SIGN_UP, "password2": "different"})
    html = response.content.decode()
    assert 'id="id_password2_error"' in html
    assert 'value="남정화"' in html
    assert not User.objects.exists()


def test_a_second_account_with_the_same_address_is_refused(client):
    client.post("/portal/sign-up/", SIGN_UP)
    response = client.post("/portal/sign-up/", {**SIGN_UP, "email": "founder@example.kr"})
    assert 'id="id_email_error"' in response.content.decode()
    assert User.objects.count() == 1


def test_a_forged_confirmation_link_is_refused(client):
    response = client.get("/portal/verify/MQ/forged-token/")
    assert response.status_code == 400
