"""The demo's penilaian seed: the finished periods evaluated and finalised for everyone with an
approved SKP, one override with a reason, one group finalised outside its curve, idempotent."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from kinerja.demo import penilaian as demo
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, PeriodePenilaian, UnitKerja
from kinerja.penilaian import selectors
from kinerja.penilaian.evaluasi.massal import evaluasi_massal
from kinerja.penilaian.models import (
    CapaianOrganisasiUnit,
    Evaluasi,
    FinalisasiKelompok,
    RatingPerilaku,
    RatingRhk,
)
from kinerja.perencanaan.models import Skp
from kinerja.rules import distribusi
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.rating import hasil_pimpinan
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating
from tests.conftest import DEMO_NOW, demo_dinilai

NOW = DEMO_NOW


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo with its pelaksanaan and penilaian seeds, once for this module (rolled back at the end)."""
    with demo_dinilai(django_db_blocker) as instansi:
        yield {"instansi": instansi}


@pytest.fixture
def data(seeded, db):  # type: ignore[no-untyped-def]
    return seeded


def _selesai() -> list[PeriodePenilaian]:
    return list(PeriodePenilaian.objects.filter(selesai__lt=NOW.date()).order_by("nomor"))


def test_periode_selesai_dinilai_dan_final_untuk_semua_skp_disetujui(data) -> None:  # type: ignore[no-untyped-def]
    selesai = _selesai()
    assert [p.nomor for p in selesai] == [1, 2, 3]
    disetujui = set(Skp.objects.filter(status=StatusSkp.DISETUJUI.value).values_list("pegawai_id", flat=True))
    assert len(disetujui) > 30
    for pp in selesai:
        evs = Evaluasi.objects.filter(periode_penilaian=pp)
        assert set(evs.values_list("pegawai_id", flat=True)) == disetujui
        assert set(evs.values_list("status", flat=True)) == {"final"}
        assert not evs.filter(predikat="").exists()
    # The running periode is left open; the pegawai whose SKP is a draft or was returned have nothing.
    assert not Evaluasi.objects.filter(periode_penilaian__nomor=4).exists()
    belum = Skp.objects.exclude(status=StatusSkp.DISETUJUI.value).values_list("pegawai_id", flat=True)
    assert len(belum) == 2 and not Evaluasi.objects.filter(pegawai_id__in=belum).exists()
    # Every RHK and value rated; an RHK without realisasi is marked so, with the reason.
    assert not RatingRhk.objects.filter(rating="").exists()
    assert not RatingPerilaku.objects.filter(rating="").exists()
    tanpa = RatingRhk.objects.filter(tanpa_realisasi=True)
    assert tanpa.exists() and not tanpa.filter(tanpa_realisasi_alasan="").exists()
    assert set(tanpa.values_list("evaluasi__periode_penilaian__nomor", flat=True)) == {3}


def test_predikat_dari_kuadran_dan_pimpinan_dari_capaian_unit(data) -> None:  # type: ignore[no-untyped-def]
    evs = list(Evaluasi.objects.select_related("unit_dipimpin"))
    for ev in evs:
        assert ev.predikat == kuadran_predikat(Rating(ev.rating_hasil), Rating(ev.rating_perilaku)).value
    kepala = [ev for ev in evs if ev.unit_dipimpin_id]
    assert (
        len(kepala) == 6 * 3
    )  # Kepala Badan, Sekretaris, two Kasubbag, two Kabid (BPK: the Sekretaris, Plt.)
    for ev in kepala:
        cap = CapaianOrganisasiUnit.objects.get(
            unit_id=ev.unit_dipimpin_id, periode_penilaian_id=ev.periode_penilaian_id
        )
        assert ev.rating_hasil == hasil_pimpinan(cap.nilai_enum).rating.value
    assert Counter(ev.predikat for ev in evs).keys() >= {
        Predikat.SANGAT_BAIK.value,
        Predikat.BAIK.value,
        Predikat.BUTUH_PERBAIKAN.value,
    }


def test_capaian_organisasi_ditetapkan_pimpinan_unit_di_atasnya(data) -> None:  # type: ignore[no-untyped-def]
    units = list(UnitKerja.objects.filter(instansi=data["instansi"]))
    for pp in _selesai():
        caps = {c.unit_id: c for c in CapaianOrganisasiUnit.objects.filter(periode_penilaian=pp)}
        assert set(caps) == {u.pk for u in units}
        for u in units:
            c = caps[u.pk]
            if u.parent_id is None:
                assert c.ditetapkan_oleh.admin_instansi_id == data["instansi"].pk
                assert c.nilai == CapaianOrganisasi.ISTIMEWA.value
            else:
                atas = org.pimpinan_unit(u.parent, pp.selesai)
                atas = atas or org.pimpinan_unit(u.parent.parent, pp.selesai)
                assert c.ditetapkan_oleh.pegawai_id == atas.pegawai.pk
            assert c.catatan and pp.selesai < timezone.localtime(c.ditetapkan_pada).date() < NOW.date()
    assert (
        Counter(CapaianOrganisasiUnit.objects.values_list("nilai", flat=True)).most_common(1)[0][0] == "baik"
    )


def test_satu_rating_diubah_dari_saran_dengan_alasan(data) -> None:  # type: ignore[no-untyped-def]
    diubah = [e for e in Evaluasi.objects.all() if e.hasil_diubah_dari_saran or e.perilaku_diubah_dari_saran]
    assert len(diubah) == 1
    ev = diubah[0]
    assert ev.pegawai_nip == demo.NIP_UBAH_SARAN and ev.periode_penilaian.nomor == 3
    assert (ev.saran_hasil, ev.rating_hasil) == ("sesuai", "diatas")
    assert ev.alasan_ubah_hasil == demo.ALASAN_UBAH_SARAN
    assert Evaluasi.objects.exclude(pk=ev.pk).filter(
        alasan_ubah_hasil="", alasan_ubah_perilaku=""
    ).count() == (Evaluasi.objects.count() - 1)


def test_satu_kelompok_di_luar_kurva_difinalisasi_dengan_alasan(data) -> None:  # type: ignore[no-untyped-def]
    finalisasi = list(
        FinalisasiKelompok.objects.select_related("periode_penilaian", "unit_kelompok", "penilai")
    )
    assert len(finalisasi) == 8 * 3  # eight rating groups per periode
    melanggar = []
    for fin in finalisasi:
        kel = selectors.kelompok(fin.penilai, fin.periode_penilaian, unit=fin.unit_kelompok)
        assert kel.semua_final and kel.cek is not None
        if kel.pelanggaran_dengan_nama():
            melanggar.append((fin, kel))
            continue
        assert not kel.cek.applicable or kel.cek.ok, (fin.unit_kelompok.kode, kel.cek.violations)
        assert fin.alasan == "" and fin.pelanggaran == []
    assert len(melanggar) == 1
    fin, kel = melanggar[0]
    assert (fin.unit_kelompok.kode, fin.periode_penilaian.nomor) == (demo.UNIT_PELANGGARAN, 3)
    assert fin.alasan == demo.ALASAN_PELANGGARAN and fin.pelanggaran == kel.pelanggaran_dengan_nama()
    assert {p["jenis"] for p in fin.pelanggaran} == {"max", "harus_ada"}
    # The what-if shows which capaian would have fitted these ratings.
    assert kel.what_if()[CapaianOrganisasi.ISTIMEWA].ok


def test_penilaian_massal_sama_dengan_kelompok(data) -> None:  # type: ignore[no-untyped-def]
    for pp in _selesai():
        massal = evaluasi_massal(pp)
        assert len(massal.evaluasi) == Evaluasi.objects.filter(periode_penilaian=pp).count()
        for ev in Evaluasi.objects.filter(periode_penilaian=pp):
            assert massal.evaluasi[ev.pk].predikat == ev.predikat
        penilai = Pegawai.objects.in_bulk([k.penilai_id for k in massal.kelompok if k.penilai_id])
        for k in massal.kelompok:
            kel = selectors.kelompok(penilai.get(k.penilai_id), pp, unit=UnitKerja.objects.get(pk=k.unit_id))
            assert sorted(k.evaluasi) == sorted(e.pk for e in kel.evaluasi)
            assert k.cek == kel.cek
        assert len(massal.kelompok_melanggar) == (1 if pp.nomor == 3 else 0)


def test_riwayat_dimundurkan_ke_tanggal_penilaian(data) -> None:  # type: ignore[no-untyped-def]
    for ev in Evaluasi.objects.select_related("periode_penilaian"):
        pp = ev.periode_penilaian
        assert pp.selesai < timezone.localtime(ev.dinilai_pada).date()
        assert ev.dinilai_pada < ev.final_pada < NOW - datetime.timedelta(days=30)
        tanggal = set(ev.history.values_list("history_date", flat=True))
        assert max(tanggal) == ev.final_pada and min(tanggal) <= ev.dinilai_pada
    assert not Evaluasi.history.filter(history_date__gte=NOW - datetime.timedelta(days=30)).exists()
    assert not RatingRhk.history.filter(history_date__gte=NOW - datetime.timedelta(days=30)).exists()
    assert not FinalisasiKelompok.objects.filter(pada__gte=NOW - datetime.timedelta(days=30)).exists()


def test_idempoten(data) -> None:  # type: ignore[no-untyped-def]
    def hitung() -> tuple[int, ...]:
        return (
            Evaluasi.objects.count(),
            Evaluasi.history.count(),
            RatingRhk.history.count(),
            RatingPerilaku.history.count(),
            CapaianOrganisasiUnit.history.count(),
            FinalisasiKelompok.objects.count(),
        )

    sebelum = hitung()
    demo.seed(data["instansi"])
    assert hitung() == sebelum


def test_rencana_memenuhi_kurva() -> None:
    S, D, B = Rating.SESUAI, Rating.DIATAS, Rating.DIBAWAH
    kasus = [
        (CapaianOrganisasi.BAIK, [S] * 7),
        (CapaianOrganisasi.BAIK, [S, S, B, S]),
        (CapaianOrganisasi.BUTUH_PERBAIKAN, [S, S, S, B]),
        (CapaianOrganisasi.ISTIMEWA, [D]),
        (CapaianOrganisasi.KURANG, [S] * 10),
    ]
    for capaian, hasil in kasus:
        anggota = [demo.Anggota(i, h) for i, h in enumerate(hasil)]
        rencana = demo._rencana(capaian, anggota)
        cek = distribusi.check(capaian, Counter(rencana.values()))
        assert cek.ok, (capaian, hasil, cek.violations)
    # A head's fixed rating hasil kerja is respected: Sesuai can only give Baik or Kurang.
    kepala = [demo.Anggota(0, S, tetap=True), demo.Anggota(1, S)]
    rencana = demo._rencana(CapaianOrganisasi.BAIK, kepala)
    assert (
        rencana[0] in (Predikat.BAIK, Predikat.KURANG)
        and distribusi.check(CapaianOrganisasi.BAIK, Counter(rencana.values())).ok
    )
