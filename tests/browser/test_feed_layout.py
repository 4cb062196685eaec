"""The calendar subscription's page on a phone: its controls and the ways to subscribe."""

import pytest
from django.urls import reverse

from tests.browser.test_phone_layout import PHONE, has_font_for
from tests.companies.factories import MembershipFactory
from tests.conftest import need

pytestmark = pytest.mark.django_db(transaction=True)

# Each element's lines as the browser laid them out: the tops of its text's boxes.
LINES = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return {
    text: el.textContent.trim(),
    lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
  };
})"""

# The vertical extent of each element: two blocks one under the other share no line.
BOXES = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const box = el.getBoundingClientRect();
  return {top: Math.round(box.top), bottom: Math.round(box.bottom)};
})"""


def open_page(live_server, new_context, signed_in, user, language):
    context = new_context()
    context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    return signed_in(context, user)


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_the_calendar_pages_controls_are_a_block_each_on_a_phone(
    language, live_server, new_context, signed_in
):
    need(has_font_for(language[:2]), f"a font with {language} glyphs (fonts-noto-cjk)")
    user = MembershipFactory(user__language=language[:2]).user
    page = open_page(live_server, new_context, signed_in, user, language)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("events:calendar"))
    page.click("#feed-mine button[type=submit]")  # make the address: the page then shows both

    forms = page.evaluate(BOXES, "#feed-mine form")
    assert len(forms) == 2
    # The second checkbox and its button start below the first button, never beside it.
    assert forms[1]["top"] >= forms[0]["bottom"]
    # The ways to subscribe are named in the page's language, as its buttons name them.
    names = [item["text"] for item in page.evaluate(LINES, "#feed-mine-address li strong")]
    calendar = {"ko": "캘린더", "zh-hans": "日历"}[language]
    assert names == [f"Google {calendar}", "Outlook", f"Apple {calendar}"]
