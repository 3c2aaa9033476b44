"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium tidak ditemukan di {CHROMIUM}: jalankan scripts/ensure-system-packages.sh")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def seeded(transactional_db: None) -> None:
    from kinerja.demo import organisasi as demo
    from kinerja.demo import perencanaan as demo_perencanaan
    from kinerja.pelaksanaan.umpan_balik.pustaka import load_pustaka_awal

    demo_perencanaan.seed(demo.seed())
    # A transactional test flushes every table afterwards, data migrations' rows included.
    load_pustaka_awal()


@pytest.fixture
def login(page):  # type: ignore[no-untyped-def]
    """login(username, password="kinerja-demo"): through the real login form."""

    def do_login(username: str, password: str = "kinerja-demo") -> None:
        page.goto("/login/")
        page.get_by_label("NIP atau nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()

    return do_login


def logout(page) -> None:  # type: ignore[no-untyped-def]
    """Through the user menu at the top right, as a person would."""
    page.locator("[data-bs-toggle=dropdown][title^='Anda masuk sebagai']").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


@pytest.fixture
def keluar(page):  # type: ignore[no-untyped-def]
    return lambda: logout(page)
