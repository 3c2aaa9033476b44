"""Two-step sign-in in the browser: enrol from the user menu by typing the secret's code, sign out, sign in
with the password and a code, then with a recovery code (docs/rules.md §30)."""

import base64
import re
import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kinerja.demo import organisasi as demo


def _kode(rahasia: str, login: str) -> str:
    """The code an authenticator holding `rahasia` shows, for a step the device still accepts (never the
    step of a code already used: see tests/organisasi/dua_langkah_bantu.py)."""
    kunci = base64.b32decode(rahasia + "=" * (-len(rahasia) % 8))
    device = TOTPDevice.objects.filter(user__username=login).order_by("-pk").first()
    sekarang = int(time.time()) // 30
    langkah = max(device.last_t + 1, sekarang + device.drift) if device else sekarang
    return f"{totp(kunci, drift=langkah - sekarang):06d}"


def test_enrol_then_sign_in_with_password_and_code(page, login, keluar, seeded):
    pelaksana = dict((r, n) for r, n, _ in demo.demo_accounts())["pelaksana"]
    login(pelaksana)
    page.locator("[data-bs-toggle=dropdown][title^='Anda masuk sebagai']").click()
    page.get_by_role("link", name="Verifikasi dua langkah").click()
    expect(page.get_by_role("heading", name="Verifikasi dua langkah", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Kode QR"))).to_be_visible()
    rahasia = page.locator("#rahasia-2fa").get_attribute("data-rahasia")
    assert rahasia

    page.get_by_label("Kode 6 angka dari aplikasi").fill(_kode(rahasia, pelaksana))
    page.get_by_role("button", name="Aktifkan verifikasi dua langkah").click()
    expect(page.get_by_role("heading", name="Kode pemulihan")).to_be_visible()
    kode_pemulihan = page.locator("#kode-pemulihan .kode").all_inner_texts()
    assert len(kode_pemulihan) == 10
    expect(page.get_by_role("link", name=re.compile("Unduh"))).to_have_attribute(
        "download", "kode-pemulihan-kinerja.txt"
    )
    page.get_by_role("link", name="Sudah saya simpan").click()
    expect(page.locator("#status-2fa")).to_contain_text("Aktif")

    keluar()
    login(pelaksana)
    expect(page).to_have_url(re.compile(r"/login/kode/$"))
    page.get_by_label("Kode verifikasi").fill(_kode(rahasia, pelaksana))
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.locator("main")).to_contain_text("Atasan saya")

    keluar()
    login(pelaksana)
    page.get_by_label("Kode verifikasi").fill(kode_pemulihan[0])
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
