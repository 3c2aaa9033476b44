"""The Content-Security-Policy header, and templates that keep to it (docs/rules.md §24.3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[1] / "kinerja"


def _directives(header: str) -> dict[str, list[str]]:
    return {bagian.split()[0]: bagian.split()[1:] for bagian in header.split(";") if bagian.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/healthz"])
def test_every_response_carries_the_policy(url):
    header = Client().get(url)["Content-Security-Policy"]
    d = _directives(header)
    assert d["script-src"] == ["'self'"]
    assert d["style-src-elem"] == ["'self'"]
    assert d["default-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in header


@pytest.mark.django_db
def test_pages_of_a_logged_in_user_carry_it_too(client_for):
    response = client_for("pelaksana").get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'name="htmx-config"' in response.content.decode()
    assert '"includeIndicatorStyles": false' in response.content.decode()


def _html_templates() -> list[Path]:
    return [p for p in TEMPLATES.rglob("templates/**/*.html")]


def test_no_template_has_an_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    salah = []
    for path in _html_templates():
        teks = path.read_text()
        for pola in (inline_script, handler):
            for m in pola.finditer(teks):
                salah.append(f"{path.relative_to(TEMPLATES)}: {m.group(0)}")
    assert salah == []
