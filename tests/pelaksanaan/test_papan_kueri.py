"""The penilai's board (/pemantauan/) on deadline day: a fixed number of queries whatever the number of
bawahan (10 or 30), its roll-up of the head's own RHK (/pemantauan/rhk-saya/, loaded apart) likewise, and
the same rows as the general selectors (`papan_penilai`, counting row by row in Python) on a varied team.

Time is frozen at 24 November 2026 10:00 (TW I–III past their deadlines, TW IV running), as in
test_papan_views. The teams are the bench's (`kinerja.demo.bench.pelaksanaan`), the head with an agreed SKP
whose RHK the bawahan's intervene."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi.models import Pegawai, Penempatan, Periode, User
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.models import Realisasi, UmpanBalik
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from tests.pelaksanaan.rollup_acuan import rollup_acuan
from tests.tata_letak import SESI_DAN_PENGGUNA, kueri, kueri_tata_letak

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
PAPAN = reverse("pelaksanaan:papan")
ROLLUP = reverse("pelaksanaan:papan_rollup")
# The board's own queries: periode with its tabs; the SKP with what is counted of each (umpan balik, RHK,
# rencana aksi, indikator, realisasi per periode, late ones, bukti, last edit); the numeric indikator with
# their targets, and their realisasi values (the capaian). The penilai's placements, the jabatan below
# their posts and its holders are cached per penilai and day (warmed by the first request). The layout's
# (session, user, navigation) come on top and are counted apart.
KUERI_PAPAN = 4
# The roll-up's: periode; the penilai's SKP; their RHK each joined to the bawahan RHK intervening them (with
# their SKP and their indikator, numeric and filled ones counted); the numeric indikator with their targets,
# and their values (only when there are numeric ones: the bench's have). Its htmx answer has no layout: the
# user's pegawai (read by the layout otherwise) comes on top of session and user.
KUERI_ROLLUP = 5


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
    assert html.count('aria-label="Realisasi Pegawai Uji') == 25  # a page of the table
    assert kueri(c_besar, PAPAN + "?page=2") == tata_letak + KUERI_PAPAN
    assert c_besar.get(PAPAN + "?page=2").content.decode().count('aria-label="Realisasi Pegawai Uji') == 5
    assert "Capaian RHK saya dari RHK bawahan" in html
    assert f'hx-get="{ROLLUP}?periode=4" hx-trigger="revealed"' in html
    assert "Meningkatnya kinerja unit, sasaran 1" not in html  # the roll-up is loaded apart


def test_rollup_penilai_jumlah_kueri_tetap_untuk_10_dan_30_bawahan() -> None:
    kecil, besar = tim(10, "ROLLUP-10"), tim(30, "ROLLUP-30")
    c_kecil, c_besar = Client(), Client()
    c_kecil.force_login(kecil.user)
    c_besar.force_login(besar.user)
    kueri(c_kecil, ROLLUP, HTTP_HX_REQUEST="true"), kueri(c_besar, ROLLUP, HTTP_HX_REQUEST="true")
    sesi = SESI_DAN_PENGGUNA + 1
    kecil = kueri(c_kecil, ROLLUP, HTTP_HX_REQUEST="true")
    assert kecil == kueri(c_besar, ROLLUP, HTTP_HX_REQUEST="true") == sesi + KUERI_ROLLUP
    potongan = c_besar.get(ROLLUP, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in potongan  # the section's content only
    assert potongan.count("Meningkatnya kinerja unit, sasaran 1") == 1
    assert potongan.count('<a href="/realisasi/skp/') == 60  # 30 bawahan × 2 RHK intervening
    halaman = c_besar.get(ROLLUP).content.decode()  # without JavaScript: a page of its own
    assert "<html" in halaman and potongan.strip() in halaman
    assert kueri(c_besar, ROLLUP) == kueri_tata_letak(besar.user) + KUERI_ROLLUP


def _tim_beragam() -> tuple[bench.Tim, Periode, Pegawai]:
    """A team with every case a row counts: the bench's (numeric and kualitatif indikator, a running
    periode not filled, a past one left empty, realisasi entered late, bukti, umpan balik, RHK without
    rencana aksi), plus a pegawai's own reply and an unattached message, a periode partly filled, an SKP
    still submitted, a pegawai without SKP, a range target, an SKP covering half the year, and a pegawai
    placed under the penilai only as Plt. (not rated there: both leave it out)."""
    t = tim(14, "KUERI-BERAGAM")
    skp = list(Skp.objects.filter(periode=t.periode).exclude(pegawai=t.kepala).order_by("pk"))
    Skp.objects.filter(pk=skp[1].pk).update(status="diajukan", disetujui_pada=None)
    skp[2].delete()
    ind = Indikator.objects.filter(rhk__skp=skp[6], target_angka__isnull=False).order_by("pk").first()
    assert ind is not None
    Indikator.objects.filter(pk=ind.pk).update(target_angka=Decimal(20), target_angka_atas=Decimal(30))
    IndikatorTargetPeriode.objects.filter(indikator=ind).delete()
    Skp.objects.filter(pk=skp[7].pk).update(selesai=datetime.date(2026, 6, 30))
    pp = selectors.periode_list(t.periode)
    # the pegawai's own reply does not count; an unattached message written in TW III counts there
    sendiri = User.objects.create(username="bawahan-membalas", pegawai=skp[9].pegawai)
    UmpanBalik.objects.create(skp=skp[9], teks="Baik.", oleh=sendiri)
    lepas = UmpanBalik.objects.create(skp=skp[10], teks="Lanjutkan.", oleh=t.user)
    UmpanBalik.objects.filter(pk=lepas.pk).update(pada=timezone.make_aware(datetime.datetime(2026, 8, 3, 9)))
    assert pp[2].mulai <= datetime.date(2026, 8, 3) <= pp[2].selesai
    satu = Realisasi.objects.filter(indikator__rhk__skp=skp[8], periode_penilaian__nomor=4).order_by("pk")
    satu.filter(pk=satu[0].pk).delete()  # one indikator of the running periode left empty
    plt = bench.create_staf(t, 3, mulai_nomor=100)[0]
    Penempatan.objects.filter(pegawai=plt).update(jenis="plt")
    return t, t.periode, plt


def test_halaman_penilai_sama_dengan_papan_umum_pada_tim_beragam() -> None:
    t, periode, plt = _tim_beragam()
    lepas_skp = UmpanBalik.objects.get(teks="Lanjutkan.").skp_id
    daftar = selectors.periode_list(periode)

    def ringkas(r: selectors_papan.BarisPapan) -> tuple[object, ...]:
        return (
            r.pegawai.pk,
            r.skp.pk if r.skp else None,
            r.berlaku,
            r.jumlah_rhk,
            r.rhk_beraksi,
            r.jumlah_indikator,
            r.terisi,
            r.bukti,
            r.capaian,
            r.jumlah_capaian,
            r.terakhir_diisi,
            r.umpan_balik_terakhir,
            r.umpan_balik_periode,
            r.diisi_terlambat,
            tuple(r.tunggakan),
        )

    dilihat = set()
    for pp in daftar:  # the running periode and the past ones
        h = selectors_papan.halaman_penilai(t.kepala, periode, pp, daftar)
        umum = selectors_papan.papan_penilai(t.kepala, periode, pp, daftar)
        assert len(h.semua) == len(umum) == 16  # 14 + 3 - the Plt.
        assert plt.pk not in {r.pegawai.pk for r in h.semua}
        assert [ringkas(r) for r in h.semua] == [ringkas(r) for r in umum]
        for r in h.semua:
            dilihat |= {
                ("tanpa skp", r.skp is None),
                ("belum berlaku", r.skp is not None and not r.berlaku),
                ("tunggakan", bool(r.tunggakan)),
                ("diisi terlambat", r.diisi_terlambat > 0),
                ("sebagian", 0 < r.terisi < r.jumlah_indikator),
                ("capaian", r.capaian is not None),
                ("bukti", r.bukti > 0),
                ("umpan balik", r.umpan_balik_periode > 0),
                ("umpan balik lepas", pp.nomor == 3 and r.skp is not None and r.skp.pk == lepas_skp),
                ("aksi kurang", r.rhk_beraksi < r.jumlah_rhk),
            }
        assert h.skp_saya == Skp.objects.get(pegawai=t.kepala)
        assert [u.pk for u in h.unit_saya] == [t.unit.pk]
    assert {k for k, ada in dilihat if ada} == {k for k, _ in dilihat}, "every case is met"


def test_rollup_penilai_sama_dengan_rollup_umum() -> None:
    """The same groups, lines, counts and capaian in every periode, with the cases the join leaves out: a
    bawahan SKP only submitted, one under revision (agreed before: kept), and an RHK of the head's own
    intervening another of theirs (left out) that no bawahan RHK intervenes (a group without lines)."""
    t = tim(12, "KUERI-SAMA")
    daftar = selectors.periode_list(t.periode)
    skp = Skp.objects.get(pegawai=t.kepala)
    staf = list(Skp.objects.filter(periode=t.periode).exclude(pegawai=t.kepala).order_by("pk"))
    Skp.objects.filter(pk=staf[0].pk).update(status="diajukan", disetujui_pada=None)
    Skp.objects.filter(pk=staf[1].pk).update(status="draft")  # a revision of an agreed SKP
    rhk_kepala = list(Rhk.objects.filter(skp=skp).order_by("urutan", "pk"))
    # intervenes another RHK of the head (left out of the roll-up) and is intervened by none (a group alone)
    Rhk.objects.create(skp=skp, teks="RHK kepala sendiri", urutan=9, intervensi=rhk_kepala[0])

    def ringkas_rollup(g: selectors_papan.RollupRhk) -> tuple[object, ...]:
        return (
            g.rhk.pk,
            g.rhk.teks,
            tuple(
                (
                    b.rhk.pk,
                    b.rhk.skp_id,
                    b.rhk.teks,
                    b.rhk.skp.pegawai_nama,
                    b.jumlah_indikator,
                    b.terisi,
                    b.capaian,
                )
                for b in g.bawahan
            ),
        )

    dilihat = set()
    for pp in daftar:
        skp_saya, rollup = selectors_papan.rollup_penilai(t.kepala, t.periode, pp, daftar)
        assert skp_saya == skp
        umum = rollup_acuan(skp, pp, daftar)
        assert [ringkas_rollup(g) for g in rollup] == [ringkas_rollup(g) for g in umum]
        assert sum(len(g.bawahan) for g in rollup) == 22  # all but the submitted SKP's two and the head's
        dilihat |= {("terisi", b.terisi > 0) for g in rollup for b in g.bawahan}
        dilihat |= {("capaian", b.capaian is not None) for g in rollup for b in g.bawahan}
        dilihat |= {("kosong", not g.bawahan) for g in rollup}
    assert dilihat >= {("terisi", True), ("terisi", False), ("capaian", True), ("kosong", True)}
    # without numeric indikator the values are not read at all (two queries fewer), the lines the same
    Indikator.objects.filter(rhk__skp__in=staf).update(target_angka=None, target_angka_atas=None)
    with CaptureQueriesContext(connection) as ctx:
        _, rollup = selectors_papan.rollup_penilai(t.kepala, t.periode, daftar[2], daftar)
    assert len(ctx.captured_queries) == 2  # the penilai's SKP; their RHK with the bawahan RHK
    assert [ringkas_rollup(g) for g in rollup] == [
        ringkas_rollup(g) for g in rollup_acuan(skp, daftar[2], daftar)
    ]
    assert all(b.capaian is None and b.jumlah_indikator == 2 for g in rollup for b in g.bawahan)


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
