"""A pegawai signs in through ASN Digital (a real OIDC provider process) in the browser, and out again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kinerja.demo import organisasi as demo
from kinerja.organisasi.models import User
from tests.e2e.conftest import logout


@pytest.fixture
def oidc(settings, penyedia_oidc):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    for name, value in penyedia_oidc.settings().items():
        setattr(settings, name, value)
    return penyedia_oidc


def _pelaksana() -> User:
    login_name = dict((r, n) for r, n, _ in demo.demo_accounts())["pelaksana"]
    return User.objects.select_related("pegawai").get(username=login_name)


def _lewat_asn_digital(page, sub: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.get_by_role("link", name="Masuk dengan ASN Digital").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()


def test_a_pegawai_signs_in_with_asn_digital_and_out_of_both(page, seeded, oidc):
    user = _pelaksana()
    nip = user.pegawai.nip
    oidc.set_user("pelaksana@asn.go.id", nip=f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")

    _lewat_asn_digital(page, "pelaksana@asn.go.id")

    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.locator("main")).to_contain_text("Atasan saya")

    logout(page)
    expect(page.get_by_role("heading", name="Anda telah keluar dari Kinerja")).to_be_visible()
    page.get_by_role("link", name="Keluar juga dari ASN Digital").click()
    page.get_by_role("button", name="End session").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Masuk ke Kinerja")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", name="Masuk ke Kinerja")).to_be_visible()


def test_an_unknown_nip_gets_a_page_saying_whom_to_ask(page, seeded, oidc):
    oidc.set_user("orang-luar@asn.go.id", nip="199001012020121001")

    _lewat_asn_digital(page, "orang-luar@asn.go.id")

    expect(page.get_by_role("heading", name="NIP Anda belum terdaftar di Kinerja")).to_be_visible()
    expect(page.locator("main")).to_contain_text("BKPSDM")
    page.get_by_role("link", name="Kembali ke halaman masuk").click()
    expect(page.get_by_role("heading", name="Masuk ke Kinerja")).to_be_visible()


def test_the_password_form_stays_beside_asn_digital(page, login, seeded, oidc):
    login("admin")
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
