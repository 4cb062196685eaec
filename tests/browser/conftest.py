import os

import pytest

from tests.conftest import chromium_path, need

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def async_unsafe_allowed():
    """Let the ORM run in the test thread while Playwright's event loop is open there.

    Playwright's sync API keeps an event loop marked as running in this thread;
    the ORM calls the tests make between page actions are plain synchronous
    code. Set only while the browser is open: a process-wide setting would leak
    into `manage.py check --deploy` runs of other tests.
    """
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if saved is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


# One Chromium for the package (a launch is a second of CPU): xdist gives the package to one
# worker as one unit (tests/conftest.py), so its tests run one after the other.
@pytest.fixture(scope="package")
def browser(async_unsafe_allowed):
    path = chromium_path()
    need(path is not None, "Chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def kept_contexts(browser):
    """Browser contexts that tests hand back: a new one costs ~0.35 s of Chromium's CPU."""
    kept = []
    yield kept
    for context in kept:
        context.close()


@pytest.fixture
def new_context(browser, kept_contexts):
    """Open browser contexts, each a fresh visit: no cookies, no page open.

    A context a test closes is gone; the others are emptied after the test (their pages
    closed, their cookies cleared) and given to the next tests.
    """
    in_use = []

    def open_context():
        free = [context for context in kept_contexts if context not in in_use]
        if free:
            context = free[0]
        else:
            context = browser.new_context(locale="en-US", timezone_id="Asia/Seoul")
            context.set_default_timeout(10_000)
            context.on("close", lambda closed: kept_contexts.remove(closed))
            kept_contexts.append(context)
        in_use.append(context)
        return context

    yield open_context
    for context in in_use:
        if context in kept_contexts:
            for page in context.pages:
                page.close()
            context.clear_cookies()
            context.clear_permissions()


@pytest.fixture
def signed_in(live_server):
    """Give a context the session cookie a sign-in leaves, and open a page in it.

    For the people whose sign-in the test does not look at: the form costs two page loads
    (the form, then the page it sends to). test_application_journey signs in with the
    portal's form and test_journey with the admin's.
    """
    from django.conf import settings
    from django.test import Client

    def open_page(context, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return open_page
