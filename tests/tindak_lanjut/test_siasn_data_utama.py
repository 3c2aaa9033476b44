"""Reading SIASN's data-utama of an instansi's pegawai against the strict fake (docs/rules.md §21.10): the
snapshot kept, the refresh as a background task with its progress and failures, the command."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from kinerja.tindak_lanjut.models import DataUtamaSiasn, IdSiasnPegawai, PenyegaranDataUtama
from kinerja.tindak_lanjut.siasn import klien as k
from kinerja.tindak_lanjut.siasn.data_utama import services
from kinerja.tindak_lanjut.siasn.data_utama.tasks import refresh_data_utama
from kinerja.tindak_lanjut.siasn.klien import BELUM_DIKONFIGURASI
from tests import builders as b
from tests.siasn_palsu import Server, SiasnPalsu

pytestmark = pytest.mark.django_db


@pytest.fixture
def palsu() -> Iterator[SiasnPalsu]:
    with Server() as state:
        yield state


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


@pytest.fixture
def env(palsu: SiasnPalsu, monkeypatch: pytest.MonkeyPatch) -> SiasnPalsu:
    for kunci, nilai in palsu.lingkungan().items():
        monkeypatch.setenv(kunci, nilai)
    return palsu


def _klien(palsu: SiasnPalsu) -> k.KlienHttp:
    konf = k.Konfigurasi.from_env(palsu.lingkungan())
    assert konf is not None
    return k.KlienHttp(konf, sleep=lambda _: None)


def test_read_keeps_unit_jabatan_tmt_and_the_id(tim: b.Tim, palsu: SiasnPalsu) -> None:
    pns_id = palsu.tambah_pns(
        tim.bawahan.nip,
        unorId="UNOR-7",
        unorNama="BIDANG UJI",
        jabatanNama="PENGOLAH DATA UJI",
        tmtJabatan="01-07-2024",
    )
    palsu.gangguan = [503]  # a retry on the way
    d = services.read_data_utama(tim.bawahan, _klien(palsu))
    assert (d.pns_id, d.unor_id, d.unor_nama, d.jabatan_nama) == (
        pns_id,
        "UNOR-7",
        "BIDANG UJI",
        "PENGOLAH DATA UJI",
    )
    assert (d.jabatan_id, d.jenis_jabatan_id, d.tmt_jabatan, d.golongan) == (
        "JFU-0001",
        4,
        datetime.date(2024, 7, 1),
        "III/b",
    )
    assert IdSiasnPegawai.objects.get(pegawai=tim.bawahan).pns_id == pns_id
    # A second read replaces the snapshot; the history keeps the first.
    palsu.pns[tim.bawahan.nip]["unorNama"] = "BIDANG LAIN"
    services.read_data_utama(tim.bawahan, _klien(palsu))
    d = DataUtamaSiasn.objects.get(pegawai=tim.bawahan)
    assert d.unor_nama == "BIDANG LAIN" and d.history.count() == 2


def test_refresh_runs_as_a_task_with_progress_and_failures(
    tim: b.Tim, env: SiasnPalsu, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    env.tambah_pns(tim.kepala.nip)
    env.tambah_pns(tim.atasan.nip, tmtJabatan="tanggal 5")  # malformed: refused, named
    # the bawahan is not in SIASN: 404
    with django_capture_on_commit_callbacks(execute=True):
        p, baru = services.start_refresh(tim.instansi, tim.admin)
    assert baru
    p.refresh_from_db()
    assert (p.status, p.jumlah, p.selesai) == ("selesai", 3, 3)
    alasan = {g["nip"]: g["alasan"] for g in p.kegagalan}
    assert set(alasan) == {tim.atasan.nip, tim.bawahan.nip}
    assert "tmtJabatan bukan tanggal" in alasan[tim.atasan.nip]
    assert "HTTP 404" in alasan[tim.bawahan.nip] and "tidak ditemukan" in alasan[tim.bawahan.nip]
    assert p.pesan == "1 dari 3 pegawai terbaca dari SIASN, 2 gagal."
    assert list(
        DataUtamaSiasn.objects.filter(pegawai__instansi=tim.instansi).values_list("pegawai", flat=True)
    ) == [tim.kepala.pk]


def test_a_running_refresh_is_not_started_twice(tim: b.Tim, env: SiasnPalsu) -> None:
    berjalan = PenyegaranDataUtama.objects.create(instansi=tim.instansi, status="berjalan", jumlah=3)
    p, baru = services.start_refresh(tim.instansi, tim.admin)
    assert (p.pk, baru) == (berjalan.pk, False)


def test_refresh_without_siasn_configured_is_refused_at_once(
    tim: b.Tim, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SIASN_GATEWAY_URL", raising=False)
    with pytest.raises(ValidationError, match="SIASN belum dikonfigurasi"):
        services.start_refresh(tim.instansi, tim.admin)
    assert not PenyegaranDataUtama.objects.exists()


def test_a_refresh_queued_before_siasn_was_unconfigured_fails_visibly(  # type: ignore[no-untyped-def]
    tim: b.Tim, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    p = services.create_refresh(tim.instansi, tim.admin)
    monkeypatch.delenv("SIASN_GATEWAY_URL", raising=False)
    refresh_data_utama.call(p.pk)
    p.refresh_from_db()
    assert (p.status, p.pesan) == ("gagal", BELUM_DIKONFIGURASI)


def test_only_the_admin_of_the_instansi_starts_a_refresh(tim: b.Tim) -> None:
    with pytest.raises(PermissionDenied):
        services.start_refresh(tim.instansi, tim.bawahan.user)
    lain = b.admin_instansi(b.InstansiFactory())
    with pytest.raises(PermissionDenied):
        services.start_refresh(tim.instansi, lain)
    assert not PenyegaranDataUtama.objects.exists()


def test_command_reads_one_nip_or_the_instansi(tim: b.Tim, env: SiasnPalsu) -> None:
    for peg in (tim.kepala, tim.atasan, tim.bawahan):
        env.tambah_pns(peg.nip)
    out = io.StringIO()
    call_command("siasn_data_utama", "--instansi", tim.instansi.kode, "--nip", tim.bawahan.nip, stdout=out)
    assert out.getvalue().strip() == f"{tim.instansi.kode}: 1 dari 1 pegawai terbaca dari SIASN, 0 gagal."
    call_command("siasn_data_utama", "--instansi", tim.instansi.kode, stdout=out)
    assert DataUtamaSiasn.objects.filter(pegawai__instansi=tim.instansi).count() == 3
    with pytest.raises(CommandError, match="tidak ada pegawai aktif dengan NIP 199901012020011001"):
        call_command("siasn_data_utama", "--nip", "199901012020011001")
    with pytest.raises(CommandError, match="kode 'TIDAKADA' tidak ada"):
        call_command("siasn_data_utama", "--instansi", "TIDAKADA")


def test_a_nip_siasn_does_not_know_is_marked_so_on_the_refresh(tim: b.Tim, palsu: SiasnPalsu) -> None:
    palsu.tambah_pns(tim.kepala.nip)
    palsu.tambah_pns(tim.atasan.nip)
    p = services.create_refresh(tim.instansi, tim.admin)
    services.run_refresh(p, _klien(palsu))
    p.refresh_from_db()
    (gagal,) = p.kegagalan
    assert gagal["nip"] == tim.bawahan.nip and gagal["tidak_dikenal"] is True
    assert "HTTP 404" in gagal["alasan"]
