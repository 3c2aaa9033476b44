"""The exact SIASN request bodies (docs/rules.md §21.6): codes, field names per endpoint, refusals."""

from __future__ import annotations

import datetime

import pytest

from kinerja.rules import siasn as kode
from kinerja.rules.types import Jenjang, Predikat, Rating
from kinerja.tindak_lanjut.siasn import permintaan as pm

PNS_ID = "A5EB03E23C4EF6A0E040640A040252AD"
DOK = {
    "dok_id": "890",
    "dok_nama": "evaluasi.pdf",
    "dok_uri": "peremajaan/x.pdf",
    "object": "x",
    "slug": "890",
}


def _row(**ubah: object) -> dict[str, object]:
    row: dict[str, object] = {
        "jenisKinerja": "PERIODIK",
        "tahun": 2026,
        "periodeNama": "Triwulan I 2026",
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "tahunMulaiPenilaian": 2026,
        "tahunSelesaiPenilaian": 2026,
        "pnsDinilaiNip": "199108162015031001",
        "pnsDinilaiNama": "Rahmat Hidayat",
        "hasilKinerjaNilai": 1,
        "hasilKinerja": "Diatas Ekspektasi",
        "perilakuKerjaNilai": 2,
        "perilakuKerja": "Sesuai Ekspektasi",
        "kuadranKinerjaNilai": 2,
        "kuadranKinerja": "Baik",
        "statusPenilai": "ASN",
        "penilaiNipNrp": "197904182005012005",
        "penilaiNama": "Kepala Bidang",
        "penilaiJabatanNama": "Kepala Bidang PKP",
        "penilaiGolongan": "IV/a",
        "penilaiUnorNama": "Bidang PKP",
        "tanggalFinal": "2026-04-20",
    }
    row.update(ubah)
    return row


def test_periodic_body_is_exactly_the_listed_fields_with_codes() -> None:
    p = pm.build(_row(), pns_id=PNS_ID, jenjang="ahli_muda", path=[DOK])
    assert p.endpoint == "kinerjaperiodik/save"
    assert p.body == {
        "id": "",
        "pnsDinilaiId": PNS_ID,
        "tahun": 2026,
        "periodikId": "2",
        "koefisienId": "22",
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "tahunMulaiPenilaian": 2026,
        "tahunSelesaiPenilaian": 2026,
        "hasilKinerjaNilai": 1,
        "perilakuKerjaNilai": 2,
        "kuadranKinerjaNilai": 2,
        "penilaiGolongan": "41",
        "penilaiJabatanNama": "Kepala Bidang PKP",
        "penilaiNama": "Kepala Bidang",
        "penilaiNipNrp": "197904182005012005",
        "penilaiUnorNama": "Bidang PKP",
        "statusPenilai": "ASN",
        "path": [DOK],
    }


def test_annual_body_uses_penilai_jabatan_and_has_no_months() -> None:
    row = _row(jenisKinerja="TAHUNAN", bulanSelesaiPenilaian=12, periodeNama="Tahunan 2026")
    p = pm.build(row, pns_id=PNS_ID, record_id="rw-1", jenjang="ahli_muda")
    assert p.endpoint == "skp22/save"
    assert p.body == {
        "id": "rw-1",
        "pnsDinilaiOrang": PNS_ID,
        "tahun": 2026,
        "hasilKinerjaNilai": 1,
        "perilakuKerjaNilai": 2,
        "kuadranKinerjaNilai": 2,
        "penilaiGolongan": "41",
        "penilaiJabatan": "Kepala Bidang PKP",
        "penilaiNama": "Kepala Bidang",
        "penilaiNipNrp": "197904182005012005",
        "penilaiUnorNama": "Bidang PKP",
        "statusPenilai": "ASN",
        "path": [],
    }
    assert "penilaiJabatanNama" not in p.body


@pytest.mark.parametrize(
    ("mulai", "selesai", "kode_periodik"),
    [
        ((2026, 1), (2026, 1), "1"),
        ((2026, 4), (2026, 6), "2"),
        ((2026, 11), (2027, 1), "2"),
        ((2026, 1), (2026, 6), None),
        ((2026, 1), (2026, 12), None),
        ((2026, 1), (2026, 2), None),
    ],
)
def test_periodik_code_from_the_length_of_the_period(mulai, selesai, kode_periodik) -> None:  # type: ignore[no-untyped-def]
    assert kode.kode_periodik(mulai, selesai) == kode_periodik
    assert (
        kode.kode_periodik(datetime.date(mulai[0], mulai[1], 1), datetime.date(selesai[0], selesai[1], 28))
        == kode_periodik
    )


@pytest.mark.parametrize(
    ("golongan", "kode_gol"),
    [("I/a", "11"), ("I/d", "14"), ("II/a", "21"), ("III/a", "31"), ("III/d", "34"), ("IV/a", "41"),
     ("IV/e", "45"), ("IX", None), ("", None), ("IV/f", None)],
)  # fmt: skip
def test_golongan_pns_codes(golongan: str, kode_gol: str | None) -> None:
    assert kode.kode_golongan(golongan) == kode_gol


@pytest.mark.parametrize(
    ("jenjang", "kode_k"),
    [("ahli_pertama", "12"), ("ahli_muda", "22"), ("ahli_madya", "32"), ("ahli_utama", "42"),
     ("pemula", "52"), ("terampil", "62"), ("mahir", "72"), ("penyelia", "82"), ("", "")],
)  # fmt: skip
def test_koefisien_by_jenjang(jenjang: str, kode_k: str) -> None:
    assert pm.koefisien(jenjang) == kode_k


def test_every_jenjang_has_a_koefisien_and_every_rating_and_predikat_a_code() -> None:
    assert set(kode.KOEFISIEN) == set(Jenjang)
    assert set(kode.RATING) == set(Rating) and set(kode.KUADRAN) == set(Predikat)
    assert kode.LABEL_RATING[1] == "DIATAS ESPEKTASI" and kode.LABEL_KUADRAN[3] == "BUTUH PERBAIKAN"


@pytest.mark.parametrize(
    ("ubah", "kwargs", "pesan"),
    [
        ({}, {"pns_id": ""}, "ID SIASN pegawai belum diketahui"),
        ({"bulanSelesaiPenilaian": 6, "periodeNama": "Semester I 2026"}, {}, "periode 6 bulan"),
        ({"kuadranKinerjaNilai": 4, "kuadranKinerja": "Kurang/Misconduct"}, {}, "tidak sesuai kuadran"),
        ({"penilaiNipNrp": "199108162015031001"}, {}, "Pejabat penilai sama dengan pegawai"),
        (
            {"penilaiNipNrp": "", "penilaiNama": "", "penilaiJabatanNama": "", "penilaiGolongan": "",
             "penilaiUnorNama": "", "statusPenilai": "NON ASN"},
            {},
            "Tidak ada pejabat penilai di sistem",
        ),
    ],
)  # fmt: skip
def test_gaps_are_refused_with_a_reason(ubah: dict[str, object], kwargs: dict[str, str], pesan: str) -> None:
    with pytest.raises(pm.Ditolak) as e:
        pm.build(_row(**ubah), pns_id=kwargs.get("pns_id", PNS_ID))
    assert any(pesan in a for a in e.value.alasan), e.value.alasan


def test_pppk_penilai_golongan_is_sent_empty_with_a_warning() -> None:
    row = _row(penilaiGolongan="IX")
    p = pm.build(row, pns_id=PNS_ID)
    assert p.body["penilaiGolongan"] == ""
    assert "TIDAK PASTI" in pm.peringatan(row)[0]
    assert pm.peringatan(_row()) == []


def test_a_non_asn_penilai_is_sent_as_non_asn() -> None:
    row = _row(penilaiNipNrp="", penilaiGolongan="", statusPenilai="NON ASN", penilaiNama="Bupati")
    body = pm.build(row, pns_id=PNS_ID).body
    assert (body["statusPenilai"], body["penilaiNipNrp"], body["penilaiGolongan"]) == ("NON ASN", "", "")


def test_path_keeps_only_the_document_fields_as_strings() -> None:
    body = pm.build(_row(), pns_id=PNS_ID, path=[{**DOK, "extra": 1, "dok_id": 890}]).body
    assert body["path"] == [{**DOK, "dok_id": "890"}]
