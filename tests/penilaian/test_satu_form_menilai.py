"""Rating in one pass (docs/rules.md §33): one form, one POST, one service call, all or nothing; the
"Semua perilaku Sesuai Ekspektasi" starting point; the next bawahan; query counts flat in the RHK.

Cast: `Tujuh` (tests/penilaian/conftest.py): the kabid rates Ika (fungsional) and six pelaksana."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kinerja.organisasi.models import User
from kinerja.penilaian import services
from kinerja.penilaian import services_sekaligus as layanan
from kinerja.penilaian.evaluasi import selectors as sel
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b
from tests.penilaian.conftest import Tujuh, buka, nilai_semua

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def _url(ev: Evaluasi) -> str:
    return reverse("penilaian:menilai", args=[ev.pk])


def _isian(ev: Evaluasi, rhk: str = "sesuai", perilaku: str = "diatas") -> dict[str, str]:
    data = {"versi": str(ev.versi)}
    for r in ev.rating_rhk.all():
        data[f"rhk-{r.pk}-rating"] = rhk
        data[f"rhk-{r.pk}-catatan"] = f"Umpan balik {r.pk}"
    for n in BERAKHLAK:
        data[f"perilaku-{n.kode}-rating"] = perilaku
        data[f"perilaku-{n.kode}-catatan"] = ""
    return data


def _kabid(p: Tujuh) -> Client:
    return b.klien(p.kabid.user)


def test_the_page_is_one_form_with_labelled_radio_groups(p):
    ev = buka(p.fungsional)
    html = _kabid(p).get(_url(ev)).content.decode()
    n = ev.rating_rhk.count()
    assert html.count('<form id="form-menilai"') == 1
    assert f"RHK dinilai 0/{n} · Perilaku 0/7" in html
    assert html.count('role="radiogroup"') == n + 7 and 'aria-label="Rating Berorientasi Pelayanan"' in html
    assert "Semua perilaku Sesuai Ekspektasi" in html and "Simpan &amp; lanjut" in html
    assert "data-simpan" in html and "kinerja/menilai.js" in html and "onclick" not in html


def test_one_post_saves_every_rating_and_answers_counters_and_time(p):
    ev = buka(p.fungsional)
    n = ev.rating_rhk.count()
    resp = _kabid(p).post(_url(ev), _isian(ev), **HX)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Tersimpan " in html and f"RHK dinilai {n}/{n} · Perilaku 7/7" in html
    assert "predikat <strong>Baik</strong>" in html  # Sesuai × Diatas → Baik (the preview)
    ev2 = Evaluasi.objects.get(pk=ev.pk)
    assert ev2.versi == ev.versi + 1 and ev2.saran_hasil == "sesuai" and ev2.saran_perilaku == "diatas"
    assert set(RatingRhk.objects.filter(evaluasi=ev).values_list("rating", flat=True)) == {"sesuai"}
    assert set(RatingPerilaku.objects.filter(evaluasi=ev).values_list("rating", flat=True)) == {"diatas"}
    row = RatingRhk.objects.filter(evaluasi=ev).first()
    assert row.catatan == f"Umpan balik {row.pk}"
    h = row.history.first()
    assert h.history_user == p.kabid.user and h.rating == "sesuai"  # audited, who did it


def test_unchanged_autosave_keeps_the_version(p):
    ev = buka(p.fungsional)
    c = _kabid(p)
    c.post(_url(ev), _isian(ev), **HX)
    ev = Evaluasi.objects.get(pk=ev.pk)
    resp = c.post(_url(ev), _isian(ev), **HX)
    assert "Tersimpan" in resp.content.decode() and Evaluasi.objects.get(pk=ev.pk).versi == ev.versi


def test_one_bad_field_saves_nothing_and_is_shown_at_its_row(p):
    ev = buka(p.fungsional)
    data = _isian(ev)
    salah = ev.rating_rhk.order_by("urutan").last()
    data[f"rhk-{salah.pk}-rating"] = "luar_biasa"
    data["perilaku-AK-catatan"] = "x" * 4001
    html = _kabid(p).post(_url(ev), data, **HX).content.decode()
    assert f'id="galat-rhk-{salah.pk}"' in html and "Rating tidak dikenal" in html
    assert "Umpan balik Akuntabel terlalu panjang" in html and "Belum tersimpan" in html
    assert not RatingRhk.objects.filter(evaluasi=ev).exclude(rating="").exists()
    assert not RatingPerilaku.objects.filter(evaluasi=ev).exclude(rating="").exists()
    assert Evaluasi.objects.get(pk=ev.pk).versi == ev.versi


def test_a_stale_version_is_refused(p):
    ev = buka(p.fungsional)
    data = _isian(ev)
    data["versi"] = str(ev.versi - 1)
    html = _kabid(p).post(_url(ev), data, **HX).content.decode()
    assert "sudah diubah di tab/perangkat lain" in html and "Muat ulang halaman" in html
    assert not RatingRhk.objects.filter(evaluasi=ev).exclude(rating="").exists()


def test_without_htmx_errors_show_on_the_page_and_success_redirects(p):
    ev = buka(p.fungsional)
    data = _isian(ev)
    data["perilaku-BP-rating"] = "?"
    resp = _kabid(p).post(_url(ev), data)
    assert resp.status_code == 422 and "Rating tidak dikenal" in resp.content.decode()
    resp = _kabid(p).post(_url(ev), _isian(ev))
    assert resp.status_code == 302 and resp["Location"] == _url(ev)


def test_semua_perilaku_sesuai_fills_only_what_is_not_rated(p):
    ev = buka(p.fungsional)
    ev = services.rate_perilaku(ev, "AK", "diatas", "", p.kabid.user)
    resp = _kabid(p).post(
        reverse("penilaian:menilai_perilaku_sesuai", args=[ev.pk]), {"versi": ev.versi}, **HX
    )
    html = resp.content.decode()
    assert (
        'id="bagian-perilaku" class="mt-4" aria-labelledby="judul-menilai-perilaku" hx-swap-oob="true"'
        in html
    )
    assert "Perilaku 7/7" in html
    nilai = dict(RatingPerilaku.objects.filter(evaluasi=ev).values_list("kode", "rating"))
    assert nilai.pop("AK") == "diatas" and set(nilai.values()) == {"sesuai"}
    assert RatingPerilaku.objects.get(evaluasi=ev, kode="BP").history.first().history_user == p.kabid.user


@pytest.mark.parametrize("siapa", ["pemilik", "atasan", "penilai_lain", "admin_lain"])
def test_only_the_penilai_writes(p, other_instansi, siapa):
    ev = buka(p.fungsional)
    user = {
        "pemilik": p.fungsional.user,
        "atasan": p.kepala.user,
        "penilai_lain": p.kbmp.user,
        "admin_lain": User.objects.get(username="admin-lain"),
    }[siapa]
    c = b.klien(user)
    assert c.post(_url(ev), _isian(ev), **HX).status_code == 403
    assert c.post(reverse("penilaian:menilai_perilaku_sesuai", args=[ev.pk]), {}, **HX).status_code == 403
    assert not RatingPerilaku.objects.filter(evaluasi=ev).exclude(rating="").exists()
    with pytest.raises(PermissionDenied):
        layanan.perilaku_sesuai_ekspektasi(ev.pk, user)


def test_the_owner_reading_is_sent_to_the_evaluation_page(p):
    ev = buka(p.fungsional)
    resp = b.klien(p.fungsional.user).get(_url(ev))
    assert resp.status_code == 302 and resp["Location"] == reverse("penilaian:evaluasi", args=[ev.pk])


def test_service_rejects_unknown_rows_and_keeps_omitted_ones(p):
    ev = buka(p.fungsional)
    with pytest.raises(ValidationError) as e:
        layanan.nilai_sekaligus(
            ev.pk, p.kabid.user, {999999: layanan.Isian("sesuai")}, {"ZZ": layanan.Isian("")}
        )
    assert set(e.value.message_dict) == {"rhk-999999-rating", "perilaku-ZZ-rating"}
    hasil = layanan.nilai_sekaligus(ev.pk, p.kabid.user, {}, {"BP": layanan.Isian("dibawah", "Lambat")})
    assert hasil.diubah == 1 and hasil.evaluasi.versi == ev.versi + 1


def test_simpan_dan_lanjut_goes_to_the_next_bawahan_not_decided(p):
    urut = sorted((buka(s.pegawai) for s in p.skp_bawahan()[:4]), key=lambda e: (e.pegawai_nama, e.pk))
    pertama = urut[0]
    # The second one is decided: skipped.
    services.set_rating(nilai_semua(urut[1], p.kabid.user, "sesuai", "sesuai"), p.kabid.user)
    t = sel.tetangga(pertama)
    assert t.sebelumnya is None and t.berikutnya is not None and t.berikutnya[0] == urut[2].pk
    resp = _kabid(p).post(_url(pertama), {**_isian(pertama), "lanjut": "berikutnya"}, **HX)
    assert resp.status_code == 204 and resp["HX-Redirect"] == reverse("penilaian:menilai", args=[urut[2].pk])
    assert sel.tetangga(urut[2]).sebelumnya[0] == pertama.pk


def test_queries_flat_in_the_number_of_rhk(p, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ev = buka(p.fungsional)
    c = _kabid(p)
    c.get(_url(ev))  # warm the caches

    def hitung(fn):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as q:
            fn()
        return len(q.captured_queries)

    ev = Evaluasi.objects.get(pk=ev.pk)
    get1 = hitung(lambda: c.get(_url(ev)))
    post1 = hitung(lambda: c.post(_url(ev), _isian(ev), **HX))
    for i in range(4):
        rhk = b.RhkFactory(skp=ev.skp, teks=f"RHK tambahan {i}")
        RatingRhk.objects.create(evaluasi=ev, rhk=rhk, rhk_jenis="utama", rhk_teks=rhk.teks, urutan=50 + i)
    ev = Evaluasi.objects.get(pk=ev.pk)
    get2 = hitung(lambda: c.get(_url(ev)))
    post2 = hitung(lambda: c.post(_url(ev), _isian(ev, perilaku="sesuai"), **HX))
    assert get1 == get2 and post1 == post2
    with django_assert_max_num_queries(12):
        c.get(_url(ev))
