"""Every portal page on a phone (390 x 844): nothing wider than the screen, no date or
status pill broken over two lines, no table stacked for a phone that still scrolls
sideways, no script or style that the CSP refused.

The pages are the authorization matrix's: each GET a portal role opens with a 200, with
the matrix world's real objects of startup A, in Korean (the longest words break worst)
and in Chinese (some 3 s of CPU more than Korean alone), with fonts that have their glyphs:
without them Chromium draws narrower boxes, and a line too wide for a founder's phone passes.
"""

import itertools
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from companies import services as company_services
from companies.models import Document, Patent
from tests.authz import matrix
from tests.authz import world as world_module
from tests.companies.factories import ApplicationFactory, MembershipFactory, PatentFactory
from tests.conftest import need

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
ROLES = ("anonymous", "owner_a", "partner", "judge")
LANGUAGES = ("ko", "zh-hans")

# What the page measures: elements wider than the viewport, and dates, times and pills
# whose text the browser laid out on more than one line.
MEASURE = r"""() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) wide.push(el.tagName + "." + el.className);
  }
  const lines = (range) => new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  const wrapped = [];
  for (const el of document.querySelectorAll("time, .badge, .steps li")) {
    const range = document.createRange();
    range.selectNodeContents(el);
    // A step longer than the whole line may wrap inside its pill, and then fills the line.
    const line = el.matches(".steps li") ? el.parentElement.clientWidth : Infinity;
    if (lines(range) > 1 && el.getBoundingClientRect().width < line - 1) {
      wrapped.push(el.textContent.trim());
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const date = /\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(date)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (lines(range) > 1) wrapped.push(match[0]);
    }
  }
  // A table stacked a row a block (table.stack) must fit without its sideways scroll.
  const stacked = [...document.querySelectorAll("table.stack")]
    .filter((table) => table.getBoundingClientRect().right > width + 1)
    .map((table) => table.id || table.className);
  const scroll = document.documentElement.scrollWidth;
  return {scroll, width, wide: wide.slice(0, 5), wrapped, stacked};
}"""


def portal_pages(world, role):
    table = matrix.read_table()
    for row, pattern in matrix.project_rows().items():
        if row.url.startswith(("admin", "api:")) or row.method != "GET":
            continue
        if table.get(row, {}).get(role) != 200:
            continue
        url = matrix.url_of(row, pattern, world)
        if url.endswith((".ics", ".csv", ".xlsx", ".pdf")) or "/feed/" in url:
            continue
        yield row.url, url


def has_font_for(language: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", f":lang={language}"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


def test_every_portal_page_fits_a_phone_in_korean_and_chinese(live_server, new_context, signed_in):
    for language in ("ko", "zh"):
        need(has_font_for(language), f"a font with {language} glyphs (fonts-noto-cjk)")
    world = world_module.build()
    problems, seen = {}, 0
    refused = []  # a script or a style the CSP refused, which the page then lacks
    for language, role in itertools.product(LANGUAGES, ROLES):
        context = new_context()
        context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
        user = world.users.get(role)
        page = signed_in(context, user) if user else context.new_page()
        page.set_viewport_size(PHONE)
        page.on(
            "console",
            lambda m, page=page: (
                refused.append(f"{page.url}: {m.text[:120]}")
                if "Content Security Policy" in m.text
                else None
            ),
        )
        for name, url in portal_pages(world, role):
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):  # a file, not a page
                    continue
                raise
            if (
                response is None
                or response.status != 200
                or "html" not in (response.headers.get("content-type", ""))
            ):
                continue
            seen += 1
            found = page.evaluate(MEASURE)
            if found["scroll"] > found["width"] or found["wrapped"] or found["stacked"]:
                problems[f"{language} {role} {name}"] = found
        if user is not None:
            # The calendar page shows its address only after a POST, once: make it (or a new
            # one, the second time round) and measure the page that shows it.
            page.goto(live_server.url + reverse("events:calendar"))
            make = page.locator("#feed-mine form").first
            if make.locator("input[type=checkbox]").count():
                make.locator("input[type=checkbox]").check()
            make.locator("button[type=submit]").click()
            page.wait_for_selector("#feed-mine-address")
            seen += 1
            found = page.evaluate(MEASURE)
            if found["scroll"] > found["width"] or found["wrapped"] or found["stacked"]:
                problems[f"{language} {role} events:calendar (address shown)"] = found
        page.close()
    assert seen > 40, f"only {seen} pages measured at {timezone.now()}"
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert refused == []


# What an evidence table of the application leaves past a phone's edge: any element, also
# inside the table's sideways scroll (where the page's own width does not show it), a delete
# button, and a number, a size or a date broken over two lines ("10-/20/20-…", "45 바/이/트").
EVIDENCE = r"""() => {
  const width = document.documentElement.clientWidth;
  const past = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  };
  const wide = [...document.body.querySelectorAll("*")].filter(past);
  const buttons = [...document.querySelectorAll("table.evidence button")];
  const unreachable = buttons.filter((b) => {
    const box = b.getBoundingClientRect();
    return box.width === 0 || box.left < 0 || box.right > width + 1;
  });
  const broken = [...document.querySelectorAll("table.evidence .nowrap, table.evidence time")]
    .filter((el) => el.getClientRects().length > 1);
  const name = (el) => el.tagName + "." + el.className + " " + el.textContent.slice(0, 20);
  return {
    wide: wide.slice(0, 5).map(name),
    buttons: buttons.length,
    unreachable: unreachable.map(name),
    broken: broken.map(name),
  };
}"""


def test_the_evidence_tables_fit_a_phone_with_their_delete_buttons(
    live_server, new_context, signed_in
):
    need(has_font_for("ko"), "a font with ko glyphs (fonts-noto-cjk)")
    owner = MembershipFactory(user__language="ko").user
    company = owner.membership.company
    application = ApplicationFactory(company=company, created_by=owner)
    # A Korean title typed without a space, and a patent applied for, not yet registered.
    PatentFactory(
        company=company,
        number="10-2020-0012345",
        title="로봇팔관절제어를위한적응형토크추정방법" * 4,
    )
    PatentFactory(company=company, status=Patent.Status.APPLICATION, registered_on=None)
    company_services.document_upload(
        company=company,
        uploaded_file=SimpleUploadedFile(
            "pitch-deck-of-the-company-2026-spring-final-version.pdf", world_module.PDF
        ),
        kind=Document.Kind.PITCH,
        user=owner,
        max_bytes=world_module.MAX_BYTES,
    )
    context = new_context()
    context.add_cookies([{"name": "lang", "value": "ko", "url": live_server.url}])
    page = signed_in(context, owner)
    page.set_viewport_size(PHONE)
    found = {}
    for step in ("patents", "documents"):
        page.goto(
            live_server.url + reverse("programs:application-step", args=[application.pk, step])
        )
        found[step] = page.evaluate(EVIDENCE)
    fits = {"wide": [], "unreachable": [], "broken": []}
    assert found == {"patents": fits | {"buttons": 2}, "documents": fits | {"buttons": 1}}

    # Deleting asks first, in the words of the page; a "no" leaves the file.
    button = page.locator("table.evidence button").first
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    button.click()
    assert asked == [button.get_attribute("data-confirm")]
    assert company.documents.count() == 1


def test_a_stage_longer_than_a_phones_line_wraps_inside_its_pill(
    live_server, new_context, signed_in
):
    # "3. Industrialization (industry export, local production)": wider than 390 px in
    # English, where the page once scrolled sideways.
    world = world_module.build()
    context = new_context()
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server.url}])
    page = signed_in(context, world.owner_a)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("programs:journey"))
    pills = page.evaluate(
        """() => [...document.querySelectorAll(".stage-path li")].map((li) => {
          const box = li.getBoundingClientRect();
          return {text: li.textContent.trim(), right: box.right};
        })"""
    )
    found = page.evaluate(MEASURE)
    assert any("production" in pill["text"] for pill in pills)
    assert [p for p in pills if p["right"] > found["width"] + 1] == []
    assert found["scroll"] <= found["width"] and found["wrapped"] == []
