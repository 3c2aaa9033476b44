"""The rating page's htmx answers: the headings' counters come out of band with each save, and every
out-of-band element has its target on the page (htmx logs an error otherwise).

Cast (tests/builders.py, built once for the module): the kabid rates a fungsional whose SKP has two RHK.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kinerja.perencanaan.models import Skp
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

HX = {"HTTP_HX_REQUEST": "true"}


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional")
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan, rhk=["Tersusunnya analisis kinerja", "Tersusunnya rekomendasi"])
    perpanjang_batas_evaluasi(tim.instansi)
    return tim


_tim, tim = b.pemeran_modul(_bangun, "tim")


def _oob_ids(html: str) -> set[str]:
    return set(re.findall(r'<[^>]*\bid="([^"]+)"[^>]*hx-swap-oob="true"', html))


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("nomor", [1, 2], ids=["periode-berakhir", "periode-berjalan"])
def test_each_save_refreshes_the_counters_and_only_targets_on_the_page(tim, nomor):
    # DEMO_TODAY is 15 June: TW I has ended (the "Tetapkan rating" form is shown), TW II has not (draft).
    ev = b.evaluasi_dibuka(Skp.objects.get(pegawai=tim.bawahan), tim.pp(nomor))
    c = b.klien(tim.atasan.user)
    halaman = c.get(reverse("penilaian:evaluasi", args=[ev.pk])).content.decode()
    rows = list(ev.rating_rhk.order_by("urutan"))
    assert f"0 dari {len(rows)} RHK dinilai" in halaman and "0 dari 7 nilai dinilai" in halaman
    for i, row in enumerate(rows, 1):
        r = c.post(reverse("penilaian:evaluasi_rhk", args=[ev.pk, row.pk]), {"rating": "sesuai"}, **HX)
        body = r.content.decode()
        assert f'id="jumlah-rhk" class="small text-muted fw-normal" hx-swap-oob="true">· {i} dari ' in body
        assert _oob_ids(body) <= _ids(halaman), _oob_ids(body) - _ids(halaman)
    for i, n in enumerate(BERAKHLAK, 1):
        r = c.post(reverse("penilaian:evaluasi_perilaku", args=[ev.pk, n.kode]), {"rating": "sesuai"}, **HX)
        body = r.content.decode()
        assert f'hx-swap-oob="true">· {i} dari 7 nilai dinilai</span>' in body
        assert _oob_ids(body) <= _ids(halaman), _oob_ids(body) - _ids(halaman)
    halaman = c.get(reverse("penilaian:evaluasi", args=[ev.pk])).content.decode()
    assert f"{len(rows)} dari {len(rows)} RHK dinilai" in halaman and "7 dari 7 nilai dinilai" in halaman
