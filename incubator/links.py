"""Links that carry a secret, made when a message is rendered and never stored.

An outbox row says only whom its link is for ({"user_id": 5}); the builder
registered for the message's kind turns that into a path with a fresh token at
delivery. Staff who read the outbox thus never see a usable link. Apps register
their own kinds from AppConfig.ready, so the core imports none of them.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

_builders: dict[str, Callable[[dict], str]] = {}


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens of confirmation links: a salt of their own, so that one is never a reset token.

    The hash covers the verified flag, so a link stops working once it has served.
    """

    key_salt = "incubator.links.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.email_verified}"


email_verification_token = EmailVerificationTokenGenerator()


def register_link(kind: str, builder: Callable[[dict], str]) -> None:
    """Make `builder(payload)` give the path of the link of every `kind` message."""
    _builders[kind] = builder


def link_path(kind: str, payload: dict) -> str | None:
    """Return the path of the link of a `kind` message, or None when it has none."""
    builder = _builders.get(kind)
    return builder(payload) if builder else None


def _user_token_path(url_name: str, payload: dict, generator) -> str:
    user = get_user_model()._default_manager.get(pk=payload["user_id"])
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(url_name, args=[uid, generator.make_token(user)])


def verify_email_path(payload: dict) -> str:
    return _user_token_path("portal:verify-email", payload, email_verification_token)


def password_reset_path(payload: dict) -> str:
    # A token made now is as good as one made at the request: it stays valid
    # until the password changes or PASSWORD_RESET_TIMEOUT passes.
    return _user_token_path("portal:password_reset_confirm", payload, default_token_generator)


register_link("verify_email", verify_email_path)
register_link("password_reset", password_reset_path)
