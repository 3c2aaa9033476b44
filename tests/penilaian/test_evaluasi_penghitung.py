"""The rating page's htmx answers: the headings' counters come out of band with each save, and every
out-of-band element has its target on the page (htmx logs an error otherwise)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.rules.perilaku import BERAKHLAK
from tests.penilaian.conftest import FUNGSIONAL, KABID, user_of

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _oob_ids(html: str) -> set[str]:
    return set(re.findall(r'<[^>]*\bid="([^"]+)"[^>]*hx-swap-oob="true"', html))


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("nomor", [1, 2], ids=["periode-berakhir", "periode-berjalan"])
def test_each_save_refreshes_the_counters_and_only_targets_on_the_page(siap, nomor):
    # DEMO_TODAY is 15 June: TW I has ended (the "Tetapkan rating" form is shown), TW II has not (draft).
    ev = siap(FUNGSIONAL, nomor)
    c = Client()
    c.force_login(user_of(KABID))
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
