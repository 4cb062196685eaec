"""The admin's lists on a laptop's screen: they fit beside their filters, no sideways scroll.
The front page's dashboard and the pipeline board fit a phone's."""

import pytest
from django.contrib.auth.models import Group

from events.models import Event
from incubator import roles
from programs.journey import services as journey_services
from tests.companies.factories import CompanyFactory, ProgramFactory, StaffFactory
from tests.events.factories import EventFactory
from tests.programs.factories import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCROLLS_SIDEWAYS = """() => {
  const results = document.querySelector('#changelist .results');
  return results.scrollWidth > results.clientWidth + 1;
}"""
PAGE_SCROLLS_SIDEWAYS = (
    """() => document.documentElement.scrollWidth > document.documentElement.clientWidth"""
)


def test_a_list_fits_a_laptop_the_dashboard_a_phone_and_the_menu_opens_when_asked(
    live_server, new_context, signed_in
):
    manager = StaffFactory(language="en")
    manager.groups.add(Group.objects.get(name=roles.CENTER_MANAGER))
    program = ProgramFactory(name_en="China–Korea International Innovation Incubation Program")
    cohort = CohortFactory(
        program=program, label_en="First year: digital-economy companies and their introduction"
    )
    for _ in range(3):
        journey_services.enrollment_create(
            company=CompanyFactory(), cohort=cohort, actor=manager, reason="Accepted."
        )
    context = new_context()
    page = signed_in(context, manager)
    page.set_viewport_size({"width": 1280, "height": 800})
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    url = f"{live_server.url}/admin/programs/enrollment/"

    page.goto(url)
    assert not page.is_visible("#nav-sidebar")  # a first visit: the menu starts closed
    assert page.evaluate(SCROLLS_SIDEWAYS) is False
    # The widest list: eleven columns, a zone that breaks only at its space.
    EventFactory(
        kind=Event.Kind.COMPETITION,
        title_en="China–Korea Science & Technology Startup Competition 2027",
        capacity=300,
    )
    EventFactory(
        kind=Event.Kind.ONLINE_PROGRAMME,
        status=Event.Status.COMPLETED,
        title_en="Doing business in Heilongjiang, online, 2027",
        time_zone="Asia/Seoul",
    )
    page.goto(f"{live_server.url}/admin/events/event/")
    assert page.evaluate(SCROLLS_SIDEWAYS) is False

    page.click("#toggle-nav-sidebar")
    assert page.is_visible("#nav-sidebar")
    page.goto(url)
    assert page.is_visible("#nav-sidebar")  # the choice is kept

    # On a phone (390 px), the dashboard's panels and the board's columns and tables.
    page.set_viewport_size({"width": 390, "height": 844})
    for phone_url in ("/admin/", "/admin/programs/enrollment/pipeline/"):
        page.goto(live_server.url + phone_url)
        assert page.evaluate(PAGE_SCROLLS_SIDEWAYS) is False, phone_url
    assert refused == []
    context.close()  # its storage holds the choice: no later test gets it
