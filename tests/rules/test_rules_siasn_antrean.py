"""The queue's pure rules (docs/rules.md §21.9): the kind of a failed SIASN send, whether it is tried again,
the backoff, and who must act."""

from __future__ import annotations

import pytest

from kinerja.rules.siasn import JenisGagal, Tahap, is_sementara, jeda_ulang, jenis_gagal, tindakan

J = JenisGagal


@pytest.mark.parametrize(
    ("tahap", "status", "pesan", "terputus", "jenis"),
    [
        (Tahap.RENCANA, None, "Tidak dapat dikirim: Tidak ada pejabat penilai", False, J.DATA_KINERJA),
        (Tahap.KONFIGURASI, None, "Konfigurasi SIASN belum lengkap", False, J.AKSES),
        (Tahap.GALAT, None, "Kesalahan di Kinerja (RuntimeError)", False, J.GALAT_KINERJA),
        (Tahap.SIMPAN, 401, "Invalid Credentials", False, J.AKSES),
        (Tahap.DATA_UTAMA, 403, "Forbidden", False, J.AKSES),
        (Tahap.DATA_UTAMA, None, "SIASN tidak dapat dihubungi", True, J.GANGGUAN),
        (Tahap.SIMPAN, 429, "Too Many Requests", False, J.GANGGUAN),
        (Tahap.UNGGAH, 502, "Bad Gateway", False, J.GANGGUAN),
        (Tahap.SIMPAN, 503, "Down", False, J.GANGGUAN),
        (Tahap.SIMPAN, 504, "Gateway Timeout", False, J.GANGGUAN),
        (Tahap.DATA_UTAMA, 404, "Data PNS dengan NIP 1 tidak ditemukan", False, J.DATA_BKN),
        (Tahap.SIMPAN, 400, "pnsDinilaiId tidak ditemukan", False, J.DATA_BKN),
        (Tahap.SIMPAN, 400, "Data jabatan PNS belum diverifikasi BKN", False, J.DATA_BKN),
        (Tahap.SIMPAN, 400, 'Unrecognized field "x"', False, J.DITOLAK_SIASN),
        (Tahap.SIMPAN, 400, "Kode penilaiGolongan tidak dikenal", False, J.DITOLAK_SIASN),
        (Tahap.UNGGAH, 400, "file harus PDF", False, J.DITOLAK_SIASN),
        (Tahap.SIMPAN, 500, "Internal Server Error", False, J.DITOLAK_SIASN),
        (
            Tahap.SIMPAN,
            None,
            "SIASN menerima skp22/save tetapi tidak mengembalikan ID",
            False,
            J.DITOLAK_SIASN,
        ),
    ],
)
def test_jenis_gagal(tahap: Tahap, status: int | None, pesan: str, terputus: bool, jenis: JenisGagal) -> None:
    assert jenis_gagal(tahap, status, pesan, terputus) is jenis
    assert is_sementara(status, terputus) is (jenis is J.GANGGUAN)


@pytest.mark.parametrize(
    ("jenis", "masih_diulang", "pelaku"),
    [
        (J.DATA_KINERJA, False, "Admin kepegawaian"),
        (J.DATA_BKN, False, "BKPSDM melalui SIASN"),
        (J.DITOLAK_SIASN, False, "Admin kepegawaian"),
        (J.GANGGUAN, True, "Tidak ada"),
        (J.GANGGUAN, False, "Admin kepegawaian"),
        (J.AKSES, False, "Pengelola server"),
        (J.GALAT_KINERJA, False, "Pengelola server"),
        ("data_bkn", False, "BKPSDM melalui SIASN"),
    ],
)
def test_tindakan(jenis: JenisGagal | str, masih_diulang: bool, pelaku: str) -> None:
    t = tindakan(jenis, masih_diulang)
    assert t is not None and t.pelaku == pelaku and t.saran.endswith(".")


def test_no_failure_no_action() -> None:
    assert tindakan("") is None and tindakan(None) is None


@pytest.mark.parametrize(
    ("percobaan", "detik"), [(1, 300), (2, 600), (3, 1200), (6, 9600), (7, 19200), (8, 21600), (60, 21600)]
)
def test_jeda_ulang_doubles_up_to_the_cap(percobaan: int, detik: int) -> None:
    assert jeda_ulang(percobaan, 300, 21600) == detik


def test_jeda_ulang_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        jeda_ulang(0, 300, 600)


def test_antrean_macet_after_the_time_passed_by_more_than_a_quarter_hour() -> None:
    import datetime

    from kinerja.rules.siasn import TERLAMBAT, antrean_macet

    kini = datetime.datetime(2026, 12, 7, 5, 0, tzinfo=datetime.UTC)
    assert not antrean_macet(None, kini)
    assert not antrean_macet(kini + datetime.timedelta(minutes=10), kini)  # not yet due
    assert not antrean_macet(kini - TERLAMBAT, kini)
    assert antrean_macet(kini - TERLAMBAT - datetime.timedelta(seconds=1), kini)
