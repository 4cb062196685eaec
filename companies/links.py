"""The invitation link, made when its message is rendered (see incubator.links)."""

from django.urls import reverse

from companies.models import Invitation


def invitation_path(payload: dict) -> str:
    invitation = Invitation.objects.get(pk=payload["invitation_id"])
    return reverse("companies:invitation-accept", args=[invitation.link_token])
