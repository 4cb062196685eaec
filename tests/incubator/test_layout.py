"""What every page's head says, whichever layout draws it."""

import pytest
from django.template.loader import render_to_string

ICON = '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">'


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/portal/sign-in/", "/admin/login/"])
def test_each_layout_names_its_icon_so_no_browser_asks_for_favicon_ico(client, path):
    # Without it a browser asks /favicon.ico, a 404 page rendered by Django each time.
    response = client.get(path)
    assert response.status_code == 200
    assert ICON in response.content.decode()


def test_the_server_error_page_names_its_icon_too():
    assert ICON in render_to_string("500.html")
