"""Signing through the instansi's BSrE gateway from the signing page (docs/rules.md §29.3, §29.5): the
signer types the NIK the certificate is registered under with the passphrase or a TOTP; the fake gateway
(tests/bsre_palsu.py) signs for real."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from kinerja.common import rahasia
from kinerja.dokumen import selectors, services
from kinerja.dokumen.models import Dokumen, PengaturanTtd, TandaTangan
from kinerja.dokumen.ttd import pdf
from tests import bsre_palsu

pytestmark = pytest.mark.django_db

NIK, PASS, TOTP = "3201010101900001", "Passphrase-Bsre-1", "123456"


@pytest.fixture(scope="module")
def gateway() -> Iterator[bsre_palsu.BsrePalsu]:
    with bsre_palsu.Server() as palsu:
        palsu.tambah(NIK, "Ratna Sari Dewi", PASS, TOTP)
        yield palsu


def _siap(skp_kecil: Any, gateway: bsre_palsu.BsrePalsu, versi: str) -> Dokumen:
    skp = skp_kecil("fungsional")
    PengaturanTtd.objects.create(
        instansi_id=skp.instansi_id,
        penyedia="bsre",
        bsre_url=gateway.url,
        bsre_versi=versi,
        bsre_pengguna=bsre_palsu.PENGGUNA,
        bsre_sandi=rahasia.sandikan(bsre_palsu.SANDI),
    )
    return services.issue_skp(skp, selectors.fill_skp(skp), None)


@pytest.mark.parametrize("versi", ["v1", "v2"])
def test_penilai_signs_with_nik_and_passphrase(
    versi: str, skp_kecil: Any, login_kecil: Any, gateway: bsre_palsu.BsrePalsu
) -> None:
    dok = _siap(skp_kecil, gateway, versi)
    klien = login_kecil("kabid")
    url = reverse("dokumen:ttd", args=[dok.token])
    html = klien.get(url).content.decode()
    assert "NIK (sesuai pendaftaran sertifikat BSrE)" in html
    assert ("kode TOTP" in html) is (versi == "v2")
    r = klien.post(url, {"nik": "12345", "passphrase": PASS})
    assert r.status_code == 422 and "NIK harus 16 angka." in r.content.decode()
    r = klien.post(url, {"nik": NIK, "passphrase": "keliru-sekali"})
    teks = r.content.decode()
    assert r.status_code == 422 and "keliru-sekali" not in teks and NIK in teks  # the NIK stays for a retry
    assert not TandaTangan.objects.filter(dokumen=dok).exists()
    assert klien.post(url, {"nik": NIK, "passphrase": PASS}).status_code == 302
    dok.refresh_from_db()
    (ttd,) = TandaTangan.objects.filter(dokumen=dok)
    assert ttd.penyedia == "bsre" and ttd.peran == "penilai" and "BSrE Palsu" in ttd.sertifikat_penerbit
    with dok.berkas.open("rb") as f:
        hasil = pdf.periksa(f.read(), gateway.akar)
    assert hasil.semua_sah and [h.nama for h in hasil.tanda_tangan] == ["Ratna Sari Dewi"]


def test_v2_signs_with_a_totp(skp_kecil: Any, login_kecil: Any, gateway: bsre_palsu.BsrePalsu) -> None:
    dok = _siap(skp_kecil, gateway, "v2")
    klien = login_kecil("kabid")
    url = reverse("dokumen:ttd", args=[dok.token])
    r = klien.post(url, {"nik": NIK})
    assert r.status_code == 422 and "Isi passphrase atau kode TOTP." in r.content.decode()
    assert klien.post(url, {"nik": NIK, "totp": TOTP}).status_code == 302
    dok.refresh_from_db()
    assert dok.status_ttd == "sebagian"
