"""The demo's tindak lanjut seed: final annual evaluations of 2024 and 2025 inside their curves,
the named follow-up cases, the keberatan decided on 2025, a periodic result open to keberatan now, and
idempotence."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from kinerja.demo import tindak_lanjut as demo
from kinerja.organisasi.models import Instansi, Periode, User
from kinerja.penilaian.models import (
    CapaianOrganisasiUnit,
    Evaluasi,
    FinalisasiKelompok,
    RatingPerilaku,
    RatingRhk,
)
from kinerja.perencanaan.models import Rhk, Skp, SkpVersi
from kinerja.rules import distribusi
from kinerja.rules import keberatan as aturan_keberatan
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.angka_kredit import angka_kredit
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.tindak_lanjut import Kategori, tindak_lanjut
from kinerja.rules.types import Jenjang, Predikat, Rating
from kinerja.tindak_lanjut.models import Keberatan
from tests.conftest import DEMO_NOW, demo_dinilai

NOW = DEMO_NOW
TAHUN = (2024, 2025)  # the two years before the demo's 2026
KABID = "197904182005012005"
IKA = "198506282010012004"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo with the pelaksanaan, penilaian and tindak lanjut seeds, once for this module (rolled
    back at the end)."""
    with demo_dinilai(django_db_blocker, demo.seed) as instansi:
        yield {"instansi": instansi}


@pytest.fixture
def instansi(seeded, db):  # type: ignore[no-untyped-def]
    return Instansi.objects.get(pk=seeded["instansi"].pk)


def _tahunan(tahun: int) -> list[Evaluasi]:
    return list(Evaluasi.objects.filter(periode__tahun=tahun, jenis="tahunan").select_related("skp__jabatan"))


def _riwayat(nip: str) -> dict[int, Predikat]:
    return {
        e.periode.tahun: Predikat(e.predikat)
        for e in Evaluasi.objects.filter(pegawai_nip=nip, jenis="tahunan").select_related("periode")
    }


def test_two_earlier_years_of_final_annual_evaluations(instansi):
    kini = set(
        Skp.objects.filter(periode__tahun=2026, status=StatusSkp.DISETUJUI.value).values_list(
            "pegawai_nip", flat=True
        )
    )
    assert len(kini) > 30
    for tahun in TAHUN:
        periode = Periode.objects.get(instansi=instansi, tahun=tahun)
        assert periode.periode_penilaian.count() == 4
        evs = _tahunan(tahun)
        # Everyone evaluated in 2026, except a PPPK appointed later (the year in the NIP).
        assert {e.pegawai_nip for e in evs} == {n for n in kini if int(n[8:12]) <= tahun}
        for e in evs:
            assert e.is_final and e.periode_penilaian_id is None
            assert e.skp.status == StatusSkp.DISETUJUI.value and e.skp.periode_id == periode.pk
            assert SkpVersi.objects.filter(skp=e.skp).exists()
            assert timezone.localtime(e.final_pada).date() == datetime.date(tahun + 1, 1, 10)
            assert e.predikat == kuadran_predikat(Rating(e.rating_hasil), Rating(e.rating_perilaku)).value
            assert e.pegawai_nama and e.pegawai_jabatan and e.unit_kelompok_id
            assert RatingRhk.objects.filter(evaluasi=e).count() == Rhk.objects.filter(skp=e.skp).count() > 0
            assert set(RatingPerilaku.objects.filter(evaluasi=e).values_list("rating", flat=True)) - {""}
            assert RatingPerilaku.objects.filter(evaluasi=e, rating="").count() == 0
            assert e.history.exists() and all(h.history_date.year == tahun + 1 for h in e.history.all())
        # A unit head's rating hasil kerja follows the annual capaian of the unit they lead.
        for e in evs:
            if e.unit_dipimpin_id:
                cap = CapaianOrganisasiUnit.objects.get(
                    unit_id=e.unit_dipimpin_id, periode=periode, periode_penilaian=None
                )
                assert e.capaian_organisasi == cap.nilai and e.dasar_hasil == "pimpinan"
    assert not Evaluasi.objects.filter(periode__tahun=2024, pegawai_nip="199703292025212009").exists()


def test_every_group_is_final_and_inside_its_curve(instansi):
    for tahun in TAHUN:
        evs = _tahunan(tahun)
        fins = list(FinalisasiKelompok.objects.filter(periode__tahun=tahun))
        assert len(fins) == len({(e.penilai_id, e.unit_kelompok_id) for e in evs}) >= 8
        assert sum(f.jumlah_pegawai for f in fins) == len(evs)
        for f in fins:
            assert f.periode_penilaian_id is None and not f.pelanggaran
            cap = CapaianOrganisasiUnit.objects.get(
                unit=f.unit_kelompok, periode__tahun=tahun, periode_penilaian=None
            )
            assert f.capaian_organisasi == cap.nilai
            anggota = [
                e for e in evs if (e.penilai_id, e.unit_kelompok_id) == (f.penilai_id, f.unit_kelompok_id)
            ]
            assert len(anggota) == f.jumlah_pegawai
            assert {e.final_pada for e in anggota} == {f.pada}
            # Checked with the predikat as they are now (after the keberatan decisions).
            cek = distribusi.check(cap.nilai_enum, Counter(Predikat(e.predikat) for e in anggota))
            assert cek.applicable or f.jumlah_pegawai == 1, (tahun, f.unit_kelompok.kode)
            assert not cek.violations, (tahun, f.unit_kelompok.kode, cek.violations)


@pytest.mark.parametrize(
    ("nip", "kategori", "dua_tahun"),
    [
        (demo.NIP_YUSUF, Kategori.PENGHARGAAN, True),
        (demo.NIP_TRI, Kategori.PENGHARGAAN, True),
        (demo.NIP_SUPARMAN, Kategori.PENGHARGAAN, True),
        (demo.NIP_INDAH, Kategori.PENGEMBANGAN, True),
        (demo.NIP_RINA, Kategori.PEMBINAAN, False),
        (demo.NIP_FAJAR, Kategori.TINJAUAN_SANKSI, False),
        (demo.NIP_RUDI, Kategori.TINJAUAN_SANKSI, True),
    ],
)
def test_story_cases_give_the_follow_up(instansi, nip, kategori, dua_tahun):
    riwayat = _riwayat(nip)
    assert {2026 + t: p for t, p in demo.CERITA[nip].items()} == {
        2026 + t: riwayat[2026 + t] for t in demo.CERITA[nip]
    }
    hasil = tindak_lanjut(2025, riwayat)
    assert hasil is not None and hasil.kategori is kategori and hasil.dua_tahun is dua_tahun


def test_story_predikat(instansi):
    assert _riwayat(demo.NIP_RUDI) == {2024: Predikat.SANGAT_KURANG, 2025: Predikat.SANGAT_KURANG}
    assert _riwayat(demo.NIP_FAJAR)[2025] is Predikat.KURANG
    assert _riwayat(demo.NIP_RINA)[2025] is Predikat.BUTUH_PERBAIKAN
    sangat_baik_dua = [
        nip
        for nip in {e.pegawai_nip for e in _tahunan(2025)}
        if set(_riwayat(nip).values()) == {Predikat.SANGAT_BAIK} and len(_riwayat(nip)) == 2
    ]
    assert len(sangat_baik_dua) >= 3


def test_fungsional_have_angka_kredit_over_the_years(instansi):
    total: dict[str, Decimal] = {}
    for tahun in TAHUN:
        for e in _tahunan(tahun):
            if e.skp.jabatan.jenjang:
                total.setdefault(e.pegawai_nip, Decimal(0))
                total[e.pegawai_nip] += angka_kredit(Jenjang(e.skp.jabatan.jenjang), Predikat(e.predikat))
    dua_tahun = [nip for nip in total if len(_riwayat(nip)) == 2]
    assert len(dua_tahun) >= 2
    # Yusuf Effendi (Ahli Madya, Sangat Baik twice): 37.5 x 150 % per year.
    assert total[demo.NIP_YUSUF] == Decimal("112.500")


def _urutan_status(k: Keberatan) -> list[str]:
    return [h.status for h in k.history.order_by("history_date", "history_id")]


def _transisi_sah(k: Keberatan) -> None:
    langkah = _urutan_status(k)
    assert langkah[0] == aturan_keberatan.Status.DIAJUKAN.value
    aksi = {
        "dijelaskan": (aturan_keberatan.Aksi.JELASKAN, aturan_keberatan.Peran.PENILAI),
        "ditolak": (aturan_keberatan.Aksi.TOLAK, aturan_keberatan.Peran.PEMUTUS),
        "dikabulkan": (aturan_keberatan.Aksi.KABULKAN, aturan_keberatan.Peran.PEMUTUS),
        "ditarik": (aturan_keberatan.Aksi.TARIK, aturan_keberatan.Peran.PEGAWAI),
    }
    for dari, ke in zip(langkah, langkah[1:], strict=False):
        a, peran = aksi[ke]
        assert aturan_keberatan.transisi(aturan_keberatan.Status(dari), a, peran).value == ke
    tanggal = [h.history_date for h in k.history.order_by("history_date", "history_id")]
    assert tanggal == sorted(tanggal) and tanggal[0] == k.diajukan_pada


def test_keberatan_granted_changes_the_predikat_and_supersedes_the_document(instansi):
    k = Keberatan.objects.select_related("evaluasi", "dokumen_awal", "dokumen_revisi").get(
        pegawai__nip=demo.NIP_WAHYU
    )
    ev = k.evaluasi
    assert k.status == "dikabulkan" and ev.periode.tahun == 2025 and ev.is_tahunan and ev.is_final
    assert k.predikat_awal == Predikat.BUTUH_PERBAIKAN.value
    assert (k.rating_hasil_awal, k.rating_perilaku_awal) == (Rating.DIBAWAH.value, Rating.SESUAI.value)
    assert (k.rating_hasil_baru, k.rating_perilaku_baru) == (ev.rating_hasil, ev.rating_perilaku)
    assert k.predikat_akhir == ev.predikat == Predikat.BAIK.value
    assert ev.predikat == kuadran_predikat(Rating(ev.rating_hasil), Rating(ev.rating_perilaku)).value
    assert ev.alasan_ubah_hasil.startswith("Diubah atas keputusan keberatan: ")
    assert k.penjelasan and k.keputusan_alasan in ev.alasan_ubah_hasil
    # Filed within the window of the document (final 10 January), decided by the atasan penilai.
    terbit = timezone.localtime(ev.final_pada).date()
    assert aturan_keberatan.may_submit(
        tahunan=True, final=True, terbit=terbit, hari_ini=timezone.localtime(k.diajukan_pada).date()
    ).boleh
    assert k.penilai_id == ev.penilai_id and k.pemutus_id == ev.atasan_penilai_id
    assert k.diputus_oleh == User.objects.get(pegawai_id=k.pemutus_id)
    assert timezone.localtime(k.diputus_pada).date() <= k.batas_keputusan
    assert k.dokumen_awal.digantikan_oleh_id == k.dokumen_revisi_id
    assert k.dokumen_revisi.digantikan_oleh_id is None and k.dokumen_revisi.revisi > k.dokumen_awal.revisi
    terakhir = ev.history.order_by("-history_date").first()
    assert terakhir.predikat == Predikat.BAIK.value and terakhir.history_date == k.diputus_pada
    assert ev.history.filter(predikat=Predikat.BUTUH_PERBAIKAN.value).exists()
    _transisi_sah(k)


def test_keberatan_rejected_and_withdrawn(instansi):
    ditolak = Keberatan.objects.get(pegawai__nip=demo.NIP_FAJAR)
    assert ditolak.status == "ditolak" and ditolak.penjelasan and ditolak.keputusan_alasan
    assert ditolak.predikat_awal == ditolak.predikat_akhir == ditolak.evaluasi.predikat == "kurang"
    assert not ditolak.evaluasi.alasan_ubah_hasil and not ditolak.evaluasi.alasan_ubah_perilaku
    assert ditolak.dokumen_awal.digantikan_oleh_id is None and ditolak.dokumen_revisi_id is None
    _transisi_sah(ditolak)
    ditarik = Keberatan.objects.get(pegawai__nip=demo.NIP_ANDI)
    assert ditarik.status == "ditarik" and ditarik.ditarik_pada and ditarik.ditarik_alasan
    assert ditarik.diputus_pada is None and not ditarik.predikat_akhir
    assert ditarik.evaluasi.predikat == ditarik.predikat_awal == "baik"
    assert _urutan_status(ditarik) == ["diajukan", "dijelaskan", "ditarik"]
    _transisi_sah(ditarik)
    assert Keberatan.objects.count() == 3


def test_kabid_tw3_group_recently_final_so_ika_can_file(instansi):
    assert instansi.keberatan_periodik is True
    fin = FinalisasiKelompok.objects.get(periode__tahun=2026, periode_penilaian__nomor=3, penilai__nip=KABID)
    hari_ini = timezone.localdate(NOW)
    assert timezone.localdate(fin.pada) == hari_ini - datetime.timedelta(days=3)
    ika = Evaluasi.objects.get(pegawai_nip=IKA, periode__tahun=2026, periode_penilaian__nomor=3)
    assert ika.final_pada == fin.pada and ika.predikat == Predikat.BUTUH_PERBAIKAN.value
    status = aturan_keberatan.may_submit(
        tahunan=False,
        final=ika.is_final,
        terbit=timezone.localdate(ika.final_pada),
        hari_ini=hari_ini,
        hari=instansi.keberatan_hari_pengajuan,
        periodik_diizinkan=instansi.keberatan_periodik,
    )
    assert status.boleh
    assert ika.history.order_by("-history_date").first().history_date == fin.pada
    # The other groups of TW III stay finalised in October.
    lain = FinalisasiKelompok.objects.filter(periode__tahun=2026, periode_penilaian__nomor=3).exclude(
        pk=fin.pk
    )
    assert lain.exists() and all(
        timezone.localdate(f.pada) < hari_ini - datetime.timedelta(days=30) for f in lain
    )


def _keadaan() -> dict[str, object]:
    models = (Periode, Skp, Rhk, Evaluasi, RatingRhk, RatingPerilaku, FinalisasiKelompok, Keberatan)
    keadaan: dict[str, object] = {m.__name__: m.objects.count() for m in models}
    for m in (Evaluasi, Keberatan, FinalisasiKelompok, Skp):
        keadaan[f"h{m.__name__}"] = m.history.count()
    keadaan["predikat"] = sorted(Evaluasi.objects.values_list("pk", "predikat", "final_pada"))
    keadaan["fin"] = sorted(FinalisasiKelompok.objects.values_list("pk", "pada"))
    keadaan["instansi"] = Instansi.history.count()
    return keadaan


def test_second_run_changes_nothing(instansi):
    sebelum = _keadaan()
    with mock.patch("django.utils.timezone.now", lambda: NOW + datetime.timedelta(hours=2)):
        demo.seed(instansi)
    assert _keadaan() == sebelum
