"""The penilai's board (/pemantauan/) on deadline day: a fixed number of queries whatever the number of
bawahan (10 or 30) and with the head's own RHK rolled up, and the same rows as the general selectors.

Time is frozen at 24 November 2026 10:00 (TW I–III past their deadlines, TW IV running), as in
test_papan_views. The teams are the bench's (`kinerja.demo.bench.pelaksanaan`), the head with an agreed SKP
whose RHK the bawahan's intervene."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi.models import Penempatan
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.models import Realisasi
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.perencanaan.models import Skp
from tests.tata_letak import kueri, kueri_tata_letak

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
PAPAN = reverse("pelaksanaan:papan")
# The board's own queries: periode with its tabs; the SKP (with umpan balik); the RHK (with rencana aksi
# and the roll-up); the indikator with their targets; the realisasi. The penilai's placements, the jabatan
# below their posts and its holders are cached per penilai and day (warmed by the first request). The
# layout's (session, user, navigation) come on top and are counted apart.
KUERI_PAPAN = 5


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def tim(n: int, kode: str) -> bench.Tim:
    instansi, periode = bench.create_instansi(kode, 2026)
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, n, rhk_induk=bench.create_skp_kepala(t))
    return t


def test_papan_penilai_jumlah_kueri_tetap_untuk_10_dan_30_bawahan() -> None:
    kecil, besar = tim(10, "KUERI-10"), tim(30, "KUERI-30")
    c_kecil, c_besar = Client(), Client()
    c_kecil.force_login(kecil.user)
    c_besar.force_login(besar.user)
    kueri(c_kecil, PAPAN), kueri(c_besar, PAPAN)  # warm per-user caches alike
    tata_letak = kueri_tata_letak(besar.user)
    assert kueri(c_kecil, PAPAN) == kueri(c_besar, PAPAN) == tata_letak + KUERI_PAPAN
    html = c_besar.get(PAPAN).content.decode()
    assert html.count('aria-label="Realisasi Pegawai Uji') == 30
    assert "Capaian RHK saya dari RHK bawahan" in html
    assert "Meningkatnya kinerja unit, sasaran 1" in html


def test_halaman_penilai_sama_dengan_papan_dan_rollup_umum() -> None:
    t = tim(12, "KUERI-SAMA")
    periode = t.periode
    daftar = selectors.periode_list(periode)
    pp = daftar[3]
    h = selectors_papan.halaman_penilai(t.kepala, periode, pp, daftar)
    umum = selectors_papan.papan_penilai(t.kepala, periode, pp, daftar)
    assert len(h.semua) == len(umum) == 12

    def ringkas(r: selectors_papan.BarisPapan) -> tuple[object, ...]:
        return (
            r.pegawai.pk,
            r.skp.pk if r.skp else None,
            r.jumlah_rhk,
            r.rhk_beraksi,
            r.jumlah_indikator,
            r.terisi,
            r.bukti,
            r.capaian,
            r.terakhir_diisi,
            r.umpan_balik_terakhir,
            r.umpan_balik_periode,
            r.diisi_terlambat,
            tuple(r.tunggakan),
        )

    assert [ringkas(r) for r in h.semua] == [ringkas(r) for r in umum]
    assert any(r.umpan_balik_periode for r in h.semua), "the bench gives two of three some feedback"
    skp = Skp.objects.get(pegawai=t.kepala)
    assert h.skp_saya == skp
    assert [u.pk for u in h.unit_saya] == [t.unit.pk]
    umum_rollup = selectors_papan.rollup_rhk(skp, pp, daftar)

    def ringkas_rollup(g: selectors_papan.RollupRhk) -> tuple[object, ...]:
        return (
            g.rhk.pk,
            tuple((b.rhk.pk, b.jumlah_indikator, b.terisi, b.capaian) for b in g.bawahan),
        )

    assert [ringkas_rollup(g) for g in h.rollup] == [ringkas_rollup(g) for g in umum_rollup]
    assert sum(len(g.bawahan) for g in h.rollup) == 24  # every bawahan RHK intervenes one of the head's


def test_papan_penilai_perubahan_penempatan_dan_realisasi_tampil_seketika(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    """The cached bawahan are dropped by a placement saved (organisation scopes); the realisasi are never
    cached: a bawahan's change shows on the next request."""
    t = tim(4, "KUERI-SEGAR")
    c = Client()
    c.force_login(t.user)
    label = 'aria-label="Realisasi Pegawai Uji'
    html = c.get(PAPAN).content.decode()
    assert html.count(label) == 4
    pp = selectors.periode_list(t.periode)[3]
    skp = Skp.objects.filter(periode=t.periode).exclude(pegawai=t.kepala).order_by("pk").first()
    assert skp is not None
    terisi = Realisasi.objects.filter(indikator__rhk__skp=skp, periode_penilaian=pp)
    assert terisi.exists(), "the bench fills the running periode"
    with django_capture_on_commit_callbacks(execute=True):
        terisi.delete()
    assert c.get(PAPAN).content.decode() != html  # its filled count and progress changed at once
    penempatan = Penempatan.objects.get(pegawai=skp.pegawai, selesai=None)
    with django_capture_on_commit_callbacks(execute=True):
        penempatan.selesai = NOW.date() - datetime.timedelta(days=1)
        penempatan.save()
    assert c.get(PAPAN).content.decode().count(label) == 3
