"""A partner registers for a matching session and shows the badge; staff check them in at the
door on a phone, by typing the code and by scanning the QR code, in Chromium."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events.models import Event, Registration
from incubator import roles
from tests.companies.factories import StaffFactory
from tests.events.factories import EventFactory, PartnerPersonFactory, StartupRegistrationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# A stand-in for the camera and the BarcodeDetector API, which headless Chromium lacks: the
# camera films a blank canvas, and the detector "reads" the code the test put in a global.
FAKE_SCANNER = """
window.__scannedCode = null;
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  constructor(options) { this.options = options; }
  async detect(_source) {
    return window.__scannedCode ? [{ rawValue: window.__scannedCode, format: "qr_code" }] : [];
  }
};
Object.defineProperty(navigator, "mediaDevices", {
  value: {
    getUserMedia: async () => {
      const canvas = document.createElement("canvas");
      canvas.width = 64;
      canvas.height = 64;
      canvas.getContext("2d").fillRect(0, 0, 64, 64);
      return canvas.captureStream(5);
    },
  },
});
"""


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_partner_registers_and_is_checked_in_at_the_door(
    live_server, browser, new_context, signed_in
):
    roles.sync_role_permissions()
    url = live_server.url
    event = EventFactory(title_en="Binxian matching session", capacity=10)
    person = PartnerPersonFactory(user__full_name="Zhang Wei")
    other = StartupRegistrationFactory(event=event, name="Kim Min-jun")

    # The partner finds the event, registers and opens the badge.
    page = signed_in(new_context(), person.user)
    page.goto(url + "/portal/events/")
    submit(page, f"a[href='/portal/events/{event.pk}/']")
    assert "Sign in" not in page.text_content("#registration")
    submit(page, f"form[action='/portal/events/{event.pk}/register/'] button")
    registration = Registration.objects.get(event=event, user=person.user)
    assert registration.badge_code in page.text_content(".messages")
    submit(page, f"a[href='/portal/events/registrations/{registration.pk}/badge/']")
    assert page.text_content("#badge-code").strip() == registration.badge_code
    assert page.locator("svg.qr").is_visible()
    assert page.locator("svg.qr").bounding_box()["width"] > 100

    # At the door on the day (check-in opens on the event's day), on a phone: type the code.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=30))
    coordinator = StaffFactory()
    coordinator.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-US"
    )
    door = signed_in(phone, coordinator)
    door.add_init_script(FAKE_SCANNER)
    door.goto(f"{url}/portal/staff/events/{event.pk}/check-in/")
    assert "0 of 2 checked in" in door.text_content("#checkin-count")
    door.fill("#id_q", registration.badge_code.lower())
    submit(door, "#checkin-search button[type=submit]")
    assert door.locator(".checkin-result").count() == 1
    button = door.locator(".checkin-result button")
    assert button.bounding_box()["height"] >= 44  # a thumb-sized target
    submit(door, ".checkin-result button")
    assert "Checked in: Zhang Wei" in door.text_content(".messages")
    assert "1 of 2 checked in" in door.text_content("#checkin-count")

    # Then scan the next badge with the camera.
    door.evaluate("code => { window.__scannedCode = code; }", other.badge_code)
    assert door.locator("[data-scan]").is_visible()
    with door.expect_navigation():
        door.click("[data-scan]")
    assert door.input_value("#id_q") == other.badge_code
    assert "Kim Min-jun" in door.text_content(".checkin-results")
    submit(door, ".checkin-result button")
    assert "2 of 2 checked in" in door.text_content("#checkin-count")
    phone.close()

    registration.refresh_from_db()
    assert registration.checked_in_by == coordinator
