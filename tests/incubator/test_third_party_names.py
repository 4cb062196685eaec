"""The names the admin gives third-party rows read whole in the reader's language."""

import pytest
from axes.models import AccessFailureLog
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "locked_words"),
    [("ko", "로그인 실패: 잠김"), ("zh-hans", "登录失败，已锁定"), ("en", "locked out")],
)
def test_a_failed_sign_in_that_locked_the_account_says_so_in_the_reader_language(
    language, locked_words
):
    failure = AccessFailureLog.objects.create(
        username="kim@example.com", ip_address="127.0.0.9", locked_out=True, user_agent="x"
    )
    with translation.override(language):
        name = str(failure)
    assert locked_words in name and "kim@example.com" in name and "127.0.0.9" in name
    assert language == "en" or "locked out" not in name
