"""Umpan balik defects a new user found: a form error shown inside an unrelated thread, a remark made in
Triwulan IV filed under "Sepanjang tahun", a success message ending in "..", and the "Balasan baru" column
disagreeing with the dashboard's count.

Cast (tests/builders.py `atasan_dan_bawahan`): the atasan (penilai) gives umpan balik on the bawahan's
approved SKP of this year."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import UmpanBalik
from kinerja.pelaksanaan.umpan_balik import selectors as sel
from kinerja.pelaksanaan.umpan_balik.pustaka import load_pustaka_awal
from kinerja.perencanaan.models import Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_of(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    return tim


_tim, tim = b.pemeran_modul(_bangun, "tim")


@pytest.fixture
def skp(tim: b.Tim) -> Skp:
    """The bawahan's approved SKP, with no umpan balik yet."""
    load_pustaka_awal()
    return Skp.objects.get(pegawai=tim.bawahan, status="disetujui")


def penilai_of(skp: Skp) -> User:
    return User.objects.get(pegawai=skp.penilai)


def kirim(skp: Skp, **data):  # type: ignore[no-untyped-def]
    return client_of(penilai_of(skp)).post(
        reverse("pelaksanaan:umpan_balik_kirim", args=[skp.pk]), data, **HTMX
    )


def test_an_empty_form_error_is_shown_by_the_form_only_not_inside_the_threads(skp):
    assert kirim(skp, item="perilaku:BP", teks="Pelayanan cepat.").status_code == 200
    html = kirim(skp, item="perilaku:KO", teks="  ").content.decode()
    pesan = "Pilih frasa dari pustaka atau tulis umpan balik."
    assert html.count(pesan) == 1
    utas = html[html.index('id="utas-') :]
    assert pesan not in utas[: utas.index("</ol>")]


def test_a_refused_reply_is_shown_in_its_own_thread(skp):
    kirim(skp, item="perilaku:BP", teks="Pelayanan cepat.")
    induk = UmpanBalik.objects.get()
    resp = client_of(skp.pegawai.user).post(
        reverse("pelaksanaan:umpan_balik_balas", args=[induk.pk]), {"teks": " "}, **HTMX
    )
    html = resp.content.decode().strip()
    assert html.startswith(f'<div id="utas-{induk.pk}"') and 'role="alert"' in html


def test_the_periode_running_today_is_preselected_so_a_remark_is_not_filed_under_the_whole_year(skp):
    hari_ini = timezone.localdate()
    berjalan = skp.periode.periode_penilaian.filter(mulai__lte=hari_ini, selesai__gte=hari_ini).first()
    assert berjalan is not None  # the builders' year is this year
    html = (
        client_of(penilai_of(skp)).get(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk])).content.decode()
    )
    pilihan = html[html.index('id="ub-periode"') : html.index("</select>", html.index('id="ub-periode"'))]
    assert re.findall(r'<option value="(\d*)" selected>', pilihan) == [str(berjalan.pk)]
    assert '<option value="">Sepanjang tahun</option>' in pilihan  # still there, when chosen


def test_a_refused_post_keeps_the_periode_the_penilai_chose(skp):
    html = kirim(skp, item="perilaku:BP", teks=" ", periode="").content.decode()
    pilihan = html[html.index('id="ub-periode"') : html.index("</select>", html.index('id="ub-periode"'))]
    assert " selected>" not in pilihan


def test_the_success_message_ends_in_one_full_stop_when_the_name_ends_in_a_title(skp):
    Skp.objects.filter(pk=skp.pk).update(pegawai_nama="Budi Santoso, S.Kom.")
    html = kirim(skp, item="perilaku:BP", teks="Pelayanan cepat.").content.decode()
    assert "Umpan balik untuk Budi Santoso, S.Kom. terkirim." in html
    assert "S.Kom.." not in html


def test_the_new_replies_column_counts_what_the_dashboard_counts(skp):
    kirim(skp, item="perilaku:BP", teks="Pelayanan cepat.")
    induk = UmpanBalik.objects.get()
    pelaksana = client_of(skp.pegawai.user)
    for teks in ("Terima kasih.", "Saya lanjutkan.", "Sudah saya unggah."):
        pelaksana.post(reverse("pelaksanaan:umpan_balik_balas", args=[induk.pk]), {"teks": teks}, **HTMX)
    kabid_user = penilai_of(skp)
    kabid = client_of(kabid_user)
    assert sel.jumlah_belum_dibaca(kabid_user) == 3
    assert "3 belum dibaca" in kabid.get(reverse("dashboard:home")).content.decode()

    def kolom() -> str:
        html = kabid.get(reverse("pelaksanaan:umpan_balik")).content.decode()
        baris = html[html.index(skp.pegawai_nama) :]
        return re.findall(r'<td class="text-end">(.*?)</td>', baris)[1]

    assert kolom() == '<span class="badge text-bg-primary">3</span>'
    # The page does not show those replies: they stay new there and on the dashboard ...
    assert kolom() == '<span class="badge text-bg-primary">3</span>'
    assert sel.jumlah_belum_dibaca(kabid_user) == 3
    # ... until the SKP's page is opened.
    kabid.get(reverse("pelaksanaan:umpan_balik_skp", args=[skp.pk]))
    assert kolom() == '<span class="text-muted">0</span>'
    assert sel.jumlah_belum_dibaca(kabid_user) == 0
