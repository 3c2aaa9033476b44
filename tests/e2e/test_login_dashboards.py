"""Every demo role logs in through the real login form and lands on the dashboard meant for them."""

import re

import pytest
from playwright.sync_api import expect

from kinerja.demo import organisasi as demo
from kinerja.organisasi.models import Pegawai

EXPECTED = {
    "admin": ["Admin kepegawaian", "pegawai aktif", "Yang perlu dikerjakan"],
    "kepala": ["Bawahan yang saya nilai", "Tidak ada (pimpinan tertinggi instansi)", "Sri Wahyuni"],
    "kabid": ["Bawahan yang saya nilai", "Rahmat Hidayat", "Dr. Hendra Gunawan"],
    "fungsional": ["Atasan saya", "Ratna Sari Dewi", "tidak menjadi pejabat penilai"],
    "pelaksana": ["Atasan saya", "Ratna Sari Dewi", "tidak menjadi pejabat penilai"],
}


@pytest.mark.parametrize("role,login_name,name", demo.demo_accounts())
def test_each_demo_role_sees_its_dashboard(page, login, seeded, role, login_name, name):
    login(login_name)
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    body = page.locator("main")
    for text in EXPECTED[role]:
        expect(body).to_contain_text(text)
    menu = page.get_by_role("button", name="Kepegawaian", exact=True)
    if role == "admin":
        expect(menu).to_have_count(1)
    else:
        expect(menu).to_have_count(0)
        expect(page.get_by_role("navigation", name="Navigasi utama")).to_contain_text(name.split(",")[0])


def test_wrong_password_is_refused_with_a_message(page, login, seeded):
    login("admin", "bukan-sandinya")
    expect(page.locator("main")).to_contain_text("kata sandi salah")


def test_logout(page, login, keluar, seeded):
    login("admin")
    keluar()
    expect(page.get_by_role("heading", name="Masuk ke Kinerja")).to_be_visible()


@pytest.mark.parametrize("width", [1200, 1280, 1366])
def test_menu_bar_fits_the_desktop_width_for_a_head_with_every_menu(page, login, seeded, width):
    # The kabid has the most menus (own SKP, bawahan, penilaian, rekap) plus unread badges.
    page.set_viewport_size({"width": width, "height": 900})
    login(dict((r, n) for r, n, _ in demo.demo_accounts())["kabid"])
    for path in ("/", "/skp/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} at {width} px scrolls sideways by {overflow} px"


@pytest.mark.parametrize(
    "role,paths",
    [
        (
            "admin",
            ["/organisasi/jabatan/", "/organisasi/unit/", "/organisasi/pegawai/", "/rencana/pk/", "pegawai"],
        ),  # noqa: E501
        ("kepala", ["/iiaa/", "/skp/persetujuan/", "/rencana/pk/"]),
    ],
)
def test_pages_do_not_scroll_sideways_on_a_phone(page, login, seeded, role, paths):
    # Wide tables scroll inside their own box; tab bars scroll inside themselves; the page never does.
    page.set_viewport_size({"width": 390, "height": 900})
    login(dict((r, n) for r, n, _ in demo.demo_accounts())[role])
    for path in paths:
        if path == "pegawai":  # a pegawai's page: four action buttons above the cards
            path = f"/organisasi/pegawai/{Pegawai.objects.filter(aktif=True).order_by('pk').first().pk}/"
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} at 390 px scrolls sideways by {overflow} px"
