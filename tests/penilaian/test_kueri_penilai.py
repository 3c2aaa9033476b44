"""The penilai's pages on deadline day cost a fixed number of queries: the evaluation list and the group
page with 10 or 30 bawahan, the evaluation page (penilai and pegawai) and a rating saved with htmx with 3
or 15 RHK. Each count is pinned exactly, the layout's queries (session, user, navigation; changed
elsewhere) counted apart with `tests.tata_letak`.

Teams are the bench's (`kinerja.demo.bench.pelaksanaan`): agreed SKP with 2 RHK × 2 indikator, realisasi
of the periods started, feedback on two of three. Time is frozen at 24 November 2026 10:00: TW I is
evaluated (its deadline moved ahead, as the admin may), TW IV is running and its evaluation open."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi
from tests.conftest import perpanjang_batas_evaluasi
from tests.tata_letak import SESI_DAN_PENGGUNA, kueri, kueri_tata_letak

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
# Each page's own queries (the layout's come on top):
# list: periode with tabs and instansi; SKP rated; their evaluations; RHK × indikator with realisasi and the
# RHK marked "tidak ada realisasi"; SKP not yet agreed; my own evaluations.
KUERI_DAFTAR = 6
# group: periode with tabs and instansi; the unit of the first SKP; evaluations; SKP not yet opened; capaian
# organisasi (with who set it); placements of the group's day.
KUERI_KELOMPOK = 6
# evaluation page: the evaluation (with the ids of its newest history records and whether its SKP has umpan
# balik); periode penilaian; rating rows; indikator, targets, realisasi; umpan balik threads and their
# replies; BerAKHLAK rows. The history comes from the cache, warmed by the first request.
KUERI_EVALUASI = 9
# a rating saved with htmx (the partial has no navigation: only the user; the session and the context
# processor's facts come from the cache): the service (the evaluation under its lock, its RHK rows and
# values, read once for the suggestion and the answer; the row's save and history, the evaluation's save
# and history; two savepoints in the test's transaction: 9); the answer (the row's form, its badge, the
# header, the counters and the suggestions, from those rows: 0).
KUERI_SIMPAN = 9 + 0


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def klien(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def tim(n: int, kode: str) -> bench.Tim:
    instansi, periode = bench.create_instansi(kode, 2026)
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, n)
    perpanjang_batas_evaluasi(instansi)
    return t


def nilai_tw1(t: bench.Tim) -> None:
    """Open every bawahan's TW I evaluation; rate and decide two of three."""
    pp = t.periode.periode_penilaian.get(nomor=1)
    admin = User.objects.create(username=f"admin-{t.instansi.kode}", admin_instansi=t.instansi)
    ppk = services.KeputusanPpk("PPK uji", "UJI/1", timezone.localdate())
    services.set_capaian_organisasi(t.unit, t.periode, pp, CapaianOrganisasi.BAIK, "", admin, ppk)
    for i, skp in enumerate(Skp.objects.filter(penilai=t.kepala).select_related("periode").order_by("pk")):
        ev = services.open_evaluasi(skp, pp, t.user)
        if i % 3 == 0:
            continue
        for row in ev.rating_rhk.select_related("rhk"):
            ev = services.rate_rhk(ev, row.rhk, ("sesuai", "diatas")[i % 2], "", t.user)
        for n in BERAKHLAK:
            ev = services.rate_perilaku(ev, n.kode, "sesuai", "", t.user)
        services.set_rating(ev, t.user)


def test_daftar_dan_kelompok_jumlah_kueri_tetap_untuk_10_dan_30_bawahan() -> None:
    kecil, besar = tim(10, "KUERI-EV-10"), tim(30, "KUERI-EV-30")
    nilai_tw1(kecil), nilai_tw1(besar)
    c_kecil, c_besar = klien(kecil.user), klien(besar.user)
    tata_letak = kueri_tata_letak(besar.user)
    for url, sendiri in (
        (f"{reverse('penilaian:index')}?periode=1", KUERI_DAFTAR),
        (f"{reverse('penilaian:kelompok')}?periode=1", KUERI_KELOMPOK),
    ):
        kueri(c_kecil, url), kueri(c_besar, url)  # warm per-user caches alike
        assert kueri(c_kecil, url) == kueri(c_besar, url) == tata_letak + sendiri, url
    html = c_besar.get(f"{reverse('penilaian:kelompok')}?periode=1").content.decode()
    assert html.count("Pegawai Uji") >= 30


def tambah_rhk(skp: Skp, jumlah: int, pp_ids: list[int]) -> None:
    """``jumlah`` more RHK on the SKP, each with a numeric and a qualitative indikator realised in the
    periods given."""
    awal = skp.rhk.count()
    rhk = Rhk.objects.bulk_create(
        Rhk(skp=skp, teks=f"Hasil kerja tambahan {k + 1}", urutan=awal + k) for k in range(jumlah)
    )
    indikator = Indikator.objects.bulk_create(
        ind
        for r in rhk
        for ind in (
            Indikator(rhk=r, teks="Jumlah dokumen", target_angka=Decimal(10), satuan="dokumen", urutan=0),
            Indikator(rhk=r, teks="Dokumen diterima", target_teks="Diterima", urutan=1),
        )
    )
    Realisasi.objects.bulk_create(
        Realisasi(
            indikator=ind,
            periode_penilaian_id=pp_id,
            nilai_angka=Decimal(3) if ind.target_angka is not None else None,
            nilai_teks="" if ind.target_angka is not None else "Diterima",
        )
        for ind in indikator
        for pp_id in pp_ids
    )


def test_halaman_evaluasi_dan_simpan_rating_jumlah_kueri_tetap_untuk_3_dan_15_rhk() -> None:
    t = tim(3, "KUERI-RHK")
    pp = t.periode.periode_penilaian.get(nomor=4)
    pp_ids = list(t.periode.periode_penilaian.values_list("pk", flat=True))
    # The second and third bawahan both have feedback (the bench gives it to two of three).
    skp_3, skp_15 = list(Skp.objects.filter(penilai=t.kepala).select_related("periode").order_by("pk"))[1:]
    tambah_rhk(skp_3, 1, pp_ids)
    tambah_rhk(skp_15, 13, pp_ids)
    evs = [services.open_evaluasi(s, pp, t.user) for s in (skp_3, skp_15)]
    assert [e.rating_rhk.count() for e in evs] == [3, 15]
    for ev in evs:  # some history to show
        row = ev.rating_rhk.select_related("rhk").order_by("urutan").first()
        assert row is not None and row.rhk is not None
        services.rate_rhk(ev, row.rhk, "sesuai", "", t.user)
    penilai = klien(t.user)
    pegawai_users = [
        User.objects.create(username=f"peg-{s.pegawai.nip}", pegawai=s.pegawai) for s in (skp_3, skp_15)
    ]
    urls = [reverse("penilaian:evaluasi", args=[e.pk]) for e in evs]

    kueri(penilai, urls[0]), kueri(penilai, urls[1])
    tata_letak = kueri_tata_letak(t.user)
    assert kueri(penilai, urls[0]) == kueri(penilai, urls[1]) == tata_letak + KUERI_EVALUASI
    html = penilai.get(urls[1]).content.decode()
    assert html.count("Hasil kerja tambahan") >= 13

    pegawai = [klien(u) for u in pegawai_users]
    kueri(pegawai[0], urls[0]), kueri(pegawai[1], urls[1])
    tata_letak_pegawai = kueri_tata_letak(pegawai_users[1])
    assert kueri(pegawai[0], urls[0]) == kueri(pegawai[1], urls[1]) == tata_letak_pegawai + KUERI_EVALUASI

    htmx = {"HTTP_HX_REQUEST": "true"}
    jumlah = []
    for ev in evs:
        row = ev.rating_rhk.order_by("urutan").last()
        assert row is not None
        url = reverse("penilaian:evaluasi_rhk", args=[ev.pk, row.pk])
        for rating in ("diatas", "sesuai"):
            versi = Evaluasi.objects.get(pk=ev.pk).versi
            jumlah.append(
                kueri(penilai, url, {"rating": rating, "catatan": "", "versi_halaman": str(versi)}, **htmx)
            )
        row.refresh_from_db()
        assert row.rating == "sesuai"
    assert jumlah == [SESI_DAN_PENGGUNA + KUERI_SIMPAN] * 4
