"""Signing the penetapan predikat of a final rating group (docs/rules.md §29.5): its signatory, the head of
the group's unit, signs from the group page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kinerja.dokumen.models import Dokumen, PengaturanTtd
from kinerja.dokumen.ttd import pdf
from kinerja.penilaian.models import Evaluasi
from tests import builders as b
from tests.dokumen.test_dokumen_evaluasi import _bangun, url_penetapan
from tests.dokumen.test_ttd_alur_skp import SANDI, akar, ca, daftarkan_sertifikat  # noqa: F401

pytestmark = pytest.mark.django_db

_p, p = b.pemeran_modul(_bangun, "p")


def test_the_unit_head_signs_the_penetapan_from_the_group_page(p: Any, ca: Any) -> None:  # noqa: F811
    ev = Evaluasi.objects.get(pegawai=p.ika, periode_penilaian__nomor=1)
    kabid, ika = b.segar(p.kabid.user), b.segar(p.ika.user)
    halaman = f"{reverse('penilaian:kelompok')}?periode=1&penilai={ev.penilai_id}"
    entri = url_penetapan(ev, "dokumen:ttd_penetapan")
    assert "Tanda tangani penetapan" not in b.klien(kabid).get(halaman).content.decode()  # signing is off
    PengaturanTtd.objects.create(instansi_id=ev.instansi_id, penyedia="sertifikat")
    daftarkan_sertifikat(ca, kabid)
    assert "Tanda tangani penetapan" in b.klien(kabid).get(halaman).content.decode()
    assert b.klien(ika).get(halaman).status_code in (200, 403)
    assert "Tanda tangani penetapan" not in b.klien(ika).get(halaman).content.decode()

    klien = b.klien(kabid)
    resp = klien.get(entri)
    assert resp.status_code == 302
    (dok,) = Dokumen.objects.filter(jenis=Dokumen.Jenis.PENETAPAN)
    assert resp["Location"] == reverse("dokumen:ttd", args=[dok.token])
    assert b.klien(ika).post(resp["Location"], {"passphrase": SANDI}).status_code == 403
    assert klien.post(resp["Location"], {"passphrase": SANDI}).status_code in (200, 302)
    dok.refresh_from_db()
    assert dok.status_ttd == "lengkap"
    with dok.berkas.open("rb") as f:
        hasil = pdf.periksa(f.read(), akar(ca))
    assert [h.field for h in hasil.tanda_tangan] == ["ttd-penetap"] and hasil.semua_sah
    assert "Tanda tangani penetapan" not in klien.get(halaman).content.decode()  # signed: nothing left
