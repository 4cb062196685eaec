"""The matrix rows of the portal and the site's own pages: everything outside /admin/."""

import pytest

from tests.authz import matrix

pytestmark = pytest.mark.django_db


def test_every_portal_url_answers_each_role_as_the_table_says(world):
    rows = [row for row in matrix.project_rows() if not row.url.startswith("admin")]
    matrix.check(rows, world, "portal")


def test_a_calendar_feed_with_a_wrong_or_dead_token_is_a_404_for_every_role(world):
    from django.urls import reverse

    from events.feeds.services import calendar_feed_regenerate

    _feed, live = calendar_feed_regenerate(actor=world.owner_b, user=world.owner_b)
    dead = world.calendar_feed_token[:-1] + ("A" if world.calendar_feed_token[-1] != "A" else "B")
    clients = matrix.clients_for(world)
    for token in (dead, "x" * 43):
        url = reverse("events:calendar-feed", kwargs={"token": token})
        seen = {role: client.request("GET", url, {}).status for role, client in clients.items()}
        assert set(seen.values()) == {404}, seen
    url = reverse("events:calendar-feed", kwargs={"token": live})
    assert {client.request("GET", url, {}).status for client in clients.values()} == {200}
