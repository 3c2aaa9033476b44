"""SIASN data-utama: reading the answer, comparing names, and which side must be fixed (docs/rules.md
§21.10–21.11)."""

from __future__ import annotations

import datetime

import pytest

from kinerja.rules.siasn_data_utama import (
    DataKinerja,
    DataUtamaTidakSah,
    Pihak,
    compare,
    decide_pihak,
    normalise_nama,
    parse_data_utama,
    parse_tanggal,
)

NIP = "199108162015031001"
D = datetime.date


def jawaban(**ubah: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "A1B2",
        "nipBaru": NIP,
        "nama": "Rudi",
        "unorId": "U-1",
        "unorNama": "BIDANG MUTASI DAN PROMOSI",
        "unorIndukId": "U-0",
        "unorIndukNama": "BKPSDM",
        "jenisJabatanId": 4,
        "jenisJabatan": "Fungsional Umum",
        "jabatanNama": "Pengolah Data",
        "jabatanStrukturalId": None,
        "jabatanFungsionalId": None,
        "jabatanFungsionalUmumId": "JFU-9",
        "tmtJabatan": "02-01-2023",
        "golRuangAkhir": "III/a",
        "eselon": None,
        "nik": "3200000000000000",  # not kept
    }
    data.update(ubah)
    return data


def test_parse_keeps_unit_jabatan_and_tmt() -> None:
    d = parse_data_utama(jawaban(), NIP)
    assert (d.pns_id, d.unor_id, d.unor_nama, d.jabatan_id, d.jabatan_nama) == (
        "A1B2",
        "U-1",
        "BIDANG MUTASI DAN PROMOSI",
        "JFU-9",
        "Pengolah Data",
    )
    assert d.tmt_jabatan == D(2023, 1, 2)
    assert d.jenis_jabatan_id == 4
    assert d.golongan == "III/a"
    assert not hasattr(d, "nik")


@pytest.mark.parametrize(
    ("jenis", "harap"),
    [(1, "S-1"), (2, "F-1"), (4, "U-1"), ("2", "F-1"), (None, "S-1"), (9, "S-1")],
)
def test_jabatan_id_follows_jenis(jenis: object, harap: str) -> None:
    data = jawaban(
        jenisJabatanId=jenis,
        jabatanStrukturalId="S-1",
        jabatanFungsionalId="F-1",
        jabatanFungsionalUmumId="U-1",
    )
    assert parse_data_utama(data, NIP).jabatan_id == harap


@pytest.mark.parametrize(
    ("data", "pesan"),
    [
        ([], "bukan objek JSON"),
        (jawaban(id=None), "kolom id tidak ada"),
        (jawaban(id=" "), "kolom id kosong"),
        (jawaban(nipBaru="198506282010012004"), "bukan NIP yang dicari"),
        (jawaban(unorNama={"x": 1}), "kolom unorNama bukan teks"),
        (jawaban(jenisJabatanId="struktural"), "jenisJabatanId bukan angka"),
        (jawaban(jenisJabatanId=True), "jenisJabatanId bukan angka"),
        (jawaban(tmtJabatan="2 Januari 2023"), "tmtJabatan bukan tanggal"),
        (jawaban(tmtJabatan="31-02-2023"), "tmtJabatan bukan tanggal"),
    ],
)
def test_parse_refuses_malformed_answers(data: object, pesan: str) -> None:
    with pytest.raises(DataUtamaTidakSah) as e:
        parse_data_utama(data, NIP)
    assert pesan in str(e.value)
    assert NIP in str(e.value)


@pytest.mark.parametrize(
    ("teks", "harap"),
    [
        ("02-01-2023", D(2023, 1, 2)),
        ("2023-01-02", D(2023, 1, 2)),
        ("2023-01-02T00:00:00", D(2023, 1, 2)),
        ("", None),
    ],
)
def test_parse_tanggal(teks: str, harap: datetime.date | None) -> None:
    assert parse_tanggal(teks) == harap


@pytest.mark.parametrize(
    ("a", "b", "sama"),
    [
        ("Kepala Subbagian Umum dan Kepegawaian", "KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN", True),
        ("Kasubbag Umum & Kepegawaian", "Kepala Sub Bagian Umum dan Kepegawaian", True),
        ("Kabid. Mutasi dan Promosi", "Kepala Bidang Mutasi dan Promosi", True),
        ("Subbagian  Perencanaan,  dan Keuangan", "Sub Bagian Perencanaan dan Keuangan", True),
        # Not expanded on purpose: "Sek" may be Sekretaris or Sekretariat.
        ("Sek. Badan", "Sekretariat Badan", False),
        ("Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi", False),
        ("Analis SDM Aparatur Ahli Muda", "Analis SDM Aparatur Ahli Pertama", False),
        # SIASN writes the jabatan fungsional in full; agencies abbreviate "SDM" (one meaning).
        ("Analis SDM Aparatur Ahli Pertama", "ANALIS SUMBER DAYA MANUSIA APARATUR AHLI PERTAMA", True),
        ("Bidang Pengembangan SDM", "BIDANG PENGEMBANGAN SUMBER DAYA MANUSIA", True),
    ],
)
def test_names_compared_normalised(a: str, b: str, sama: bool) -> None:
    assert (normalise_nama(a) == normalise_nama(b)) is sama


@pytest.mark.parametrize(
    ("kinerja", "siasn", "pihak", "kata"),
    [
        (D(2025, 7, 1), D(2021, 3, 1), Pihak.SIASN, "belum tercatat di SIASN"),
        (D(2021, 3, 1), D(2025, 7, 1), Pihak.KINERJA, "perbaiki unit, jabatan atau penempatan di Kinerja"),
        (D(2024, 1, 2), D(2024, 1, 2), Pihak.KINERJA, "sama atau lebih baru"),
        (D(2024, 1, 2), None, Pihak.KINERJA, "tidak mencatat TMT jabatan"),
        (None, D(2024, 1, 2), Pihak.KINERJA, "catat penempatan"),
        (None, None, Pihak.KINERJA, "tidak mencatat TMT jabatan"),
    ],
)
def test_which_side_must_be_fixed(
    kinerja: datetime.date | None, siasn: datetime.date | None, pihak: Pihak, kata: str
) -> None:
    hasil, alasan = decide_pihak(kinerja, siasn)
    assert hasil is pihak
    assert kata in alasan


def test_compare_agreeing_records_is_empty() -> None:
    siasn = parse_data_utama(jawaban(jabatanNama="PENGOLAH DATA"), NIP)
    kita = DataKinerja("Bidang Mutasi dan Promosi", "Pengolah Data", D(2023, 1, 2))
    assert compare(kita, siasn) == []


def test_compare_a_move_not_yet_in_siasn() -> None:
    siasn = parse_data_utama(
        jawaban(unorNama="SUB BAGIAN UMUM DAN KEPEGAWAIAN", tmtJabatan="02-01-2019"), NIP
    )
    kita = DataKinerja("Bidang Mutasi dan Promosi", "Pengolah Data", D(2025, 7, 1))
    (beda,) = compare(kita, siasn)
    assert (beda.bidang, beda.kinerja, beda.siasn, beda.pihak) == (
        "unit",
        "Bidang Mutasi dan Promosi",
        "SUB BAGIAN UMUM DAN KEPEGAWAIAN",
        Pihak.SIASN,
    )


def test_compare_by_unor_id_when_our_unit_holds_one() -> None:
    siasn = parse_data_utama(jawaban(unorNama="BIDANG MUTASI & PROMOSI ASN"), NIP)
    kita = DataKinerja("Bidang Mutasi dan Promosi", "Pengolah Data", D(2023, 1, 2), unit_siasn_id="U-1")
    assert compare(kita, siasn) == []
    lain = DataKinerja("Bidang Mutasi dan Promosi", "Pengolah Data", D(2023, 1, 2), unit_siasn_id="U-7")
    assert [s.bidang for s in compare(lain, siasn)] == ["unit"]


def test_compare_without_a_jabatan_in_kinerja() -> None:
    siasn = parse_data_utama(jawaban(), NIP)
    beda = compare(DataKinerja("", "", None), siasn)
    assert [(s.bidang, s.kinerja, s.pihak) for s in beda] == [
        ("unit", "—", Pihak.KINERJA),
        ("jabatan", "—", Pihak.KINERJA),
    ]
