"""The invitation link, made when its message is rendered (see incubator.links), and the
address an invitation's link was sent to (the sign-up form's)."""

from django.urls import Resolver404, resolve, reverse

from companies.models import Invitation


def invitation_path(payload: dict) -> str:
    invitation = Invitation.objects.get(pk=payload["invitation_id"])
    return reverse("companies:invitation-accept", args=[invitation.link_token])


def invited_address(path: str) -> str | None:
    """Return the address of the pending invitation whose page is `path`, or None.

    The page shows it to whoever holds the link; the sign-up form opened from there starts
    with it, so that a typo does not make an account that cannot accept.
    """
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    if match.view_name != "companies:invitation-accept":
        return None
    token = Invitation.token_of_link(match.kwargs["token"])
    if token is None:
        return None
    invitation = Invitation.objects.filter(token=token, accepted_at__isnull=True).first()
    if invitation is None or invitation.is_expired():
        return None
    return invitation.email
