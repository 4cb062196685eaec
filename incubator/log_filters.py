"""What the request logs leave out: the secrets that ride in a link, and a refusal's
traceback.

A few links carry a secret in their path: the private calendar feed
(`/portal/calendar/<token>.ics`, which a calendar app polls for as long as the feed lives
and which opens a person's events without signing in), the e-mail confirmation and
password-reset links (`/portal/verify/<uidb64>/<token>/`,
`/portal/password-reset/<uidb64>/<token>/`) and a company's invitation
(`/portal/invitations/<token>/`, also in a sign-in page's `?next=`). `mask_secrets` puts
"…" in place of the secret wherever such a path is in a line: a request line, a Referer
(a page's own address, sent with each of its images and styles), a `?next=`. The dev
server's request log (logger `django.server`) and Django's request warnings
(`django.request`, `django.security.csrf`) and whatever reaches the root's handler (django-axes
writes the path of every sign-in) go through `SecretsMasked` (settings' LOGGING), gunicorn's
access log through `incubator.gunicorn_config.AccessLogger`.

Every route whose secret is its `<token>` is listed here: tests/incubator/test_log_filters.py
walks the URL patterns and fails for one that is not masked. Nothing here reads a Django
setting: gunicorn's master process loads this module before Django is set up.
"""

import logging
import re

from django.core.exceptions import PermissionDenied

MASK = "…"

_SLASH = r"(?:/|%2[fF])"  # a `?next=` may carry the path percent-encoded
_SEGMENT = r"[^/%?&#\s\"'<>]+"

_SECRET_IN_PATH = re.compile(
    "|".join(
        [
            # The secret ends where ".ics" begins (a slug: letters, digits, - and _).
            rf"({_SLASH}portal{_SLASH}calendar{_SLASH})[-\w]+(?=\.ics)",
            rf"({_SLASH}portal{_SLASH}invitations{_SLASH}){_SEGMENT}",
            # <uidb64>/<token>/; Django's reset page moves on to <uidb64>/set-password/,
            # the token then in the session, and "resend/", "sent/", "done/" are one segment.
            rf"({_SLASH}portal{_SLASH}(?:verify|password-reset){_SLASH}{_SEGMENT}{_SLASH})"
            rf"(?!set-password(?:/|%2[fF]|$)){_SEGMENT}",
        ]
    )
)


def _masked(match: re.Match) -> str:
    return next(group for group in match.groups() if group is not None) + MASK


def mask_secrets(text: str) -> str:
    """Return `text` with the secret of every secret-bearing path in it replaced by "…"."""
    return _SECRET_IN_PATH.sub(_masked, text)


def _mask_value(value):
    return mask_secrets(value) if isinstance(value, str) else value


class SecretsMasked(logging.Filter):
    """Mask the secrets of links in a record's message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _mask_value(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_mask_value(value) for value in record.args)
        return True


class RefusalsWithoutTraceback(logging.Filter):
    """Keep Django's one-line "Forbidden (Permission denied): /path" without its traceback.

    A refusal is the policy working (a role without the right, a crafted POST), not an
    error: hundreds of tracebacks of it a day bury the one of a real fault.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
