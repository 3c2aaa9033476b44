"""The demo TPP (`kinerja.demo.tpp.seed_tpp`) on the demo instansi: a closed month and an open one with
sane amounts, and a second run that writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.demo import tpp as demo_tpp
from kinerja.demo.organisasi import INSTANSI_KODE, PEGAWAI
from kinerja.kehadiran.models import (
    AturanTppInstansi,
    BulanTpp,
    HukumanDisiplinPegawai,
    PeristiwaDisiplin,
    Rekaman,
    TabelPaguTpp,
    TppPegawai,
)
from kinerja.organisasi.models import Instansi, Jabatan, User
from kinerja.pekerjaan.models import Pekerjaan

pytestmark = pytest.mark.django_db

MODELS = (
    AturanTppInstansi,
    BulanTpp,
    HukumanDisiplinPegawai,
    PeristiwaDisiplin,
    Rekaman,
    TabelPaguTpp,
    TppPegawai,
    Pekerjaan,
    Jabatan.history.model,
    BulanTpp.history.model,
)


def _jumlah() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_tpp_closes_one_month_leaves_the_next_open_and_is_idempotent():
    instansi = Instansi.objects.get(kode=INSTANSI_KODE)
    admin = User.objects.get(username="admin")
    today = timezone.localdate()  # 6 Dec 2026 in the suite: closed October, open November
    # The last full month's taps are seed_kehadiran's; here the same on-time taps stand in for them.
    demo_tpp._set_kelas(instansi)
    assert demo_tpp._rekaman_bulan(instansi, 2026, 11) > 0

    demo_tpp.seed_tpp(instansi, admin, today)

    okt = BulanTpp.objects.get(instansi=instansi, tahun=2026, bulan=10)
    nov = BulanTpp.objects.get(instansi=instansi, tahun=2026, bulan=11)
    assert okt.ditutup and okt.ditutup_oleh == admin
    assert not nov.ditutup and nov.dihitung_pada is not None
    aturan = dict(AturanTppInstansi.objects.filter(instansi=instansi).values_list("versi", "berlaku_mulai"))
    assert [d.isoformat() for _, d in sorted(aturan.items())] == ["2025-01-01", "2026-11-01"]

    okt_rows = list(TppPegawai.objects.filter(bulan=okt).select_related("pegawai", "aturan"))
    nov_rows = list(TppPegawai.objects.filter(bulan=nov).select_related("pegawai", "aturan"))
    # Every pegawai with a definitif jabatan is paid (the PLT's second post is not a second TPP).
    assert len(okt_rows) == len(nov_rows) == len(PEGAWAI)
    assert {r.aturan.versi for r in okt_rows} == {1} and {r.aturan.versi for r in nov_rows} == {2}
    for r in okt_rows + nov_rows:
        assert Decimal(2_000_000) <= r.pagu <= Decimal(12_000_000)
        assert Decimal(0) < r.bruto <= r.pagu
    kepala = next(r for r in okt_rows if r.pegawai.nip == "197205141998031003")
    assert kepala.pagu == kepala.bruto == Decimal(10_000_000)
    # On-time taps pay the whole pagu, except the two late mornings; the presets cut nothing for a
    # missed apel or a hukuman ringan, which are recorded all the same.
    terpotong = {r.pegawai.nip for r in okt_rows if r.bruto < r.pagu}
    assert terpotong == {demo_tpp.TERLAMBAT}
    assert PeristiwaDisiplin.objects.filter(pegawai__nip=demo_tpp.DISIPLIN).count() == 2
    assert (
        HukumanDisiplinPegawai.objects.filter(pegawai__nip=demo_tpp.DISIPLIN, tingkat="ringan").count() == 1
    )
    lambat = next(r for r in okt_rows if r.pegawai.nip == demo_tpp.TERLAMBAT)
    assert Decimal("0.97") * lambat.pagu <= lambat.bruto < lambat.pagu

    sebelum = _jumlah()
    demo_tpp.seed_tpp(instansi, admin, today)
    assert _jumlah() == sebelum


def test_kelas_follow_the_jabatan_kind():
    from kinerja.rules import JenisJabatan, Jenjang

    assert demo_tpp.kelas_jabatan("KABAN", JenisJabatan.JPT_PRATAMA, None) == 14
    assert demo_tpp.kelas_jabatan("KBMP", JenisJabatan.ADMINISTRATOR, None) == 12
    assert demo_tpp.kelas_jabatan("X", JenisJabatan.FUNGSIONAL, Jenjang.AHLI_MUDA) == 9
    assert demo_tpp.kelas_jabatan("UM-PU1", JenisJabatan.PELAKSANA, None) == 6
    assert set(demo_tpp.PAGU_KELAS) >= {5, 6, 7, 8, 9, 11, 12, 14}
