"""The favicon: every page links one that exists, and the browsers' default /favicon.ico never 404s."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_base_template_links_an_icon_that_exists(client_for):
    resp = client_for("pelaksana").get("/")
    assert resp.status_code == 200
    assert f'<link rel="icon" href="{static("kinerja/favicon.svg")}"' in resp.content.decode()
    assert finders.find("kinerja/favicon.svg")


def test_login_page_links_the_icon(client):
    assert static("kinerja/favicon.svg") in client.get("/login/").content.decode()


def test_favicon_ico_redirects_to_the_icon(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301
    assert resp["Location"] == static("kinerja/favicon.svg")
