"""The kinerja part of the TPP from the final evaluations (docs/rules.md §28.3): the month job under the
`pemda_60_40` preset pays by the predikat of the evaluation whose periode contains the month, a pegawai
without one by the assumed predikat, and the estimate page shows where the predikat comes from."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from kinerja.kehadiran.models import TppPegawai
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp import services
from kinerja.organisasi.models import Jabatan
from kinerja.pekerjaan.models import Status
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import tpp
from kinerja.rules.types import Predikat
from tests.builders import (
    atasan_dan_bawahan,
    evaluasi_final,
    klien,
    periode_penilaian,
    skp_disetujui,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
TABEL = {
    Predikat.SANGAT_BAIK: Decimal(100),
    Predikat.BAIK: Decimal(90),
    Predikat.BUTUH_PERBAIKAN: Decimal(70),
    Predikat.KURANG: Decimal(50),
    Predikat.SANGAT_KURANG: Decimal(25),
}
# No taps in the tests: every working day would be TK, so TK costs nothing here.
ATURAN = dataclasses.replace(
    tpp.PRESET["pemda_60_40"], nama="60/40 uji", tk=tpp.PotonganHarian(Decimal(0)), tabel_predikat=TABEL
)


@pytest.fixture
def tim():
    t = atasan_dan_bawahan()
    Jabatan.objects.filter(instansi=t.instansi).update(kelas_jabatan=7)
    services.simpan_tabel_pagu(t.instansi, [(None, 7, "1000000")], JAN, "Perkada", t.admin)
    services.simpan_aturan(t.instansi, ATURAN, JAN, "Perkada 60/40", t.admin)
    skp_disetujui(t.kepala)
    skp_disetujui(t.atasan)
    skp = skp_disetujui(t.bawahan)
    ev = evaluasi_final(skp, periode_penilaian(skp.periode, 1))
    Evaluasi.objects.filter(pk=ev.pk).update(predikat=Predikat.BUTUH_PERBAIKAN.value)
    return t


def test_month_job_pays_the_kinerja_part_by_the_predikat(tim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.hitung_bulan(tim.instansi, 2026, 3, tim.admin)
    job.refresh_from_db()
    assert job.status == Status.SELESAI, job.alasan
    baris = {r.pegawai_id: r for r in TppPegawai.objects.filter(bulan__instansi=tim.instansi)}
    assert set(baris) == {tim.kepala.pk, tim.atasan.pk, tim.bawahan.pk}  # nobody skipped
    # 40 % disiplin part uncut + 60 % kinerja part × 70 % (Butuh Perbaikan, Triwulan I contains March).
    b = baris[tim.bawahan.pk]
    assert b.bruto == Decimal(400_000 + 420_000)
    assert b.hasil["sumber_kinerja"] == "Predikat Butuh Perbaikan (evaluasi Triwulan I 2026) → 70 %"
    # No final evaluation: the assumed Baik (90 %), said so.
    k = baris[tim.kepala.pk]
    assert k.bruto == Decimal(400_000 + 540_000)
    assert k.hasil["sumber_kinerja"] == "Predikat Baik (anggapan: belum ada evaluasi final) → 90 %"


def test_a_later_month_takes_the_last_final_evaluation(tim):
    awal, akhir = sel.rentang_bulan(2026, 5)
    ev = sel.evaluasi_final([tim.bawahan.pk, tim.atasan.pk], 2026, 5)
    assert tim.atasan.pk not in ev
    assert tpp.pilih_predikat(ev[tim.bawahan.pk], awal, akhir) == (
        Predikat.BUTUH_PERBAIKAN,
        "evaluasi Triwulan I 2026, evaluasi final terakhir",
    )


def test_estimate_page_shows_the_source_within_its_budget(tim, django_assert_max_num_queries):
    c = klien(tim.bawahan.user)
    url = f"/kehadiran/tpp/pegawai/{tim.bawahan.pk}/2026-12/"
    c.get(url)
    # The PENUH pin is 10; a predikat rule set reads the final evaluations instead (+1).
    with django_assert_max_num_queries(11):
        r = c.get(url)
    assert "Predikat Butuh Perbaikan (evaluasi Triwulan I 2026, evaluasi final terakhir) → 70 %" in (
        r.content.decode()
    )
