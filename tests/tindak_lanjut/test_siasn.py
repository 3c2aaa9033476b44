"""SIASN export (docs/rules.md §21): the records of the demo's FINAL periodic evaluations (TW I–III 2026)
checked field by field, every file row equal to the request the API path posts (and to the dry run), BKN's
labels, the JSON validated against the schema in the repo, xlsx cells, rows the API refuses shown with its
reasons, only the admin of the instansi, flat query counts."""

from __future__ import annotations

import datetime
import io
import json

import jsonschema_rs
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.demo import siasn as demo_siasn
from kinerja.demo.penilaian import SEKDA
from kinerja.organisasi.models import Instansi, Pegawai, UnitKerja, User
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import nip as nip_rules
from kinerja.rules import siasn as kode
from kinerja.rules.kuadran import KUADRAN
from kinerja.rules.types import Jenjang, Predikat, Rating
from kinerja.tindak_lanjut.models import IdSiasnPegawai
from kinerja.tindak_lanjut.siasn import permintaan as pm
from kinerja.tindak_lanjut.siasn import selectors as sel
from kinerja.tindak_lanjut.siasn.ekspor import rows as siasn
from kinerja.tindak_lanjut.siasn.kirim import services
from kinerja.tindak_lanjut.siasn.klien import SiasnError
from tests.conftest import DEMO_NOW, demo_dinilai

NOW = DEMO_NOW
URL = "/tindak-lanjut/siasn/"
UNDUH = "/tindak-lanjut/siasn/unduh/"
PELAKSANA = "199108162015031001"  # Rahmat Hidayat, whose TW III hasil kerja was overridden to Diatas
SKEMA = json.loads(siasn.SKEMA.read_text())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo with its pelaksanaan and penilaian seeds (TW I–III final) and its SIASN ids, once for this
    module."""
    with demo_dinilai(django_db_blocker, demo_siasn.seed) as instansi:
        yield instansi


@pytest.fixture
def inst(seeded, db):  # type: ignore[no-untyped-def]
    return seeded


@pytest.fixture
def kepala_tanpa_penilai(inst):  # type: ignore[no-untyped-def]
    """The Kepala Badan's evaluations as if the admin had rated them without recording his external penilai
    (the demo records the Sekda): no penilai at all, the row SIASN would refuse (undone after the test)."""
    kosong = dict.fromkeys(("nama", "nip", "pangkat", "jabatan_nama", "unit"), "")
    Evaluasi.objects.filter(penilai__isnull=True, periode__tahun=2026).update(
        penilai_eksternal=None, **{f"penilai_{k}": v for k, v in kosong.items()}
    )
    return inst


@pytest.fixture
def admin(inst) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def _pilihan(inst: Instansi, nomor: int | str, unit: UnitKerja | None = None) -> sel.Pilihan:
    p = sel.pilihan(inst, "2026", str(nomor), str(unit.pk) if unit else None)
    assert p is not None
    return p


def _validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(SKEMA)


# --- the schema -------------------------------------------------------------------------------------------


def test_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    assert SKEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert jsonschema_rs.meta.is_valid(SKEMA)
    # The bodies the schema allows are exactly the API's (permintaan.py), field for field.
    for nama, fields in (("bodyPeriodik", pm.FIELDS_PERIODIK), ("bodyTahunan", pm.FIELDS_TAHUNAN)):
        body = SKEMA["$defs"][nama]
        assert body["required"] == list(fields) == list(body["properties"])
        assert body["additionalProperties"] is False


def _row(**ubah: object) -> dict:
    row = {
        "jenisKinerja": "PERIODIK",
        "tahun": 2026,
        "periodeNama": "Triwulan I 2026",
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "tahunMulaiPenilaian": 2026,
        "tahunSelesaiPenilaian": 2026,
        "pnsDinilaiNip": "199108162015031001",
        "pnsDinilaiNama": "Rahmat Hidayat",
        "hasilKinerjaNilai": 2,
        "hasilKinerja": "Sesuai Ekspektasi",
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


PNS_ID = demo_siasn.pns_id_demo("199108162015031001")


def _baris(row: dict, pns_id: str = PNS_ID, jenjang: str = "") -> siasn.BarisEkspor:
    """A file row from a record as `selectors.baris_ekspor` makes it."""
    return sel.build_baris_ekspor(row, pns_id=pns_id, jenjang=jenjang)


def _doc(rows: list[siasn.BarisEkspor], endpoint: str = pm.PERIODIK) -> dict:
    return siasn.dokumen_json(
        rows,
        instansi_kode="X",
        instansi_nama="Dinas X",
        tahun=2026,
        endpoint=endpoint,
        periode_nama="Triwulan I 2026",
        unit_nama=None,
        dibuat_pada="2026-11-24T10:00:00+07:00",
    )


@pytest.mark.parametrize(("hasil", "perilaku"), list(KUADRAN))
def test_schema_and_checks_agree_with_the_kuadran_matrix(hasil: Rating, perilaku: Rating) -> None:
    """Every cell: the right predikat passes the schema, `periksa` and the API path; every wrong one fails
    all three."""
    v = _validator()
    for p in Predikat:
        row = _row(
            hasilKinerjaNilai=kode.RATING[hasil],
            hasilKinerja=hasil.label,
            perilakuKerjaNilai=kode.RATING[perilaku],
            perilakuKerja=perilaku.label,
            kuadranKinerjaNilai=kode.KUADRAN[p],
            kuadranKinerja=p.label,
        )
        benar = p == KUADRAN[(hasil, perilaku)]
        baris = _baris(row)
        assert v.is_valid(_doc([baris])) is benar
        assert (siasn.periksa(row) == []) is benar
        assert baris.valid is benar


def test_a_row_carries_its_endpoints_field_names_and_bkn_labels() -> None:
    periodik = _baris(_row(), jenjang="ahli_muda")
    assert periodik.endpoint == "kinerjaperiodik/save" and tuple(periodik.body) == pm.FIELDS_PERIODIK
    assert periodik.label == {
        "periodikId": "TRIWULAN",
        "koefisienId": "AHLI MUDA",
        "hasilKinerjaNilai": "SESUAI ESPEKTASI",
        "perilakuKerjaNilai": "SESUAI ESPEKTASI",
        "kuadranKinerjaNilai": "BAIK",
        "penilaiGolongan": "IV/a",
    }
    assert (periodik.body["penilaiGolongan"], periodik.body["penilaiJabatanNama"]) == (
        "41",
        "Kepala Bidang PKP",
    )
    assert periodik.identitas == {
        "nip": "199108162015031001",
        "nama": "Rahmat Hidayat",
        "periode": "Triwulan I 2026",
        "tanggalFinal": "2026-04-20",
    }
    tahunan = _baris(_row(jenisKinerja="TAHUNAN", periodeNama="Tahunan 2026", bulanSelesaiPenilaian=12))
    assert tahunan.endpoint == "skp22/save" and tuple(tahunan.body) == pm.FIELDS_TAHUNAN
    assert tahunan.body["pnsDinilaiOrang"] == PNS_ID and tahunan.body["penilaiJabatan"] == "Kepala Bidang PKP"
    assert "bulanMulaiPenilaian" not in tahunan.body and "periodikId" not in tahunan.label
    doc = _doc([tahunan], pm.TAHUNAN)
    assert _validator().is_valid(doc)
    assert doc["data"][0] == {
        "endpoint": "skp22/save",
        "body": tahunan.body,
        "label": tahunan.label,
        "identitas": tahunan.identitas,
    }


@pytest.mark.parametrize(
    ("ubah", "pns_id", "pesan", "skema"),
    [
        ({"bulanSelesaiPenilaian": 6, "periodeNama": "Semester I 2026"}, PNS_ID, "periode 6 bulan", True),
        # The NIP is not in the body: only `periksa` sees that the pegawai rates himself.
        ({"penilaiNipNrp": "199108162015031001"}, PNS_ID, "Pejabat penilai sama dengan pegawai", False),
    ],
)
def test_rows_the_api_refuses_carry_its_reasons(ubah: dict, pns_id: str, pesan: str, skema: bool) -> None:
    row = _row(**ubah)
    baris = _baris(row, pns_id=pns_id)
    with pytest.raises(pm.Ditolak) as e:
        pm.build(row, pns_id=pns_id)
    assert baris.alasan == e.value.alasan and any(pesan in a for a in baris.alasan)
    assert not baris.valid and siasn.check_all([baris]).bermasalah == [baris]
    assert _validator().is_valid(_doc([baris])) is not skema


@pytest.mark.parametrize("jenis", ["PERIODIK", "TAHUNAN"])
def test_a_row_whose_only_gap_is_the_siasn_id_is_exported_with_it_empty_and_a_warning(jenis: str) -> None:
    """The file's Choice (docs/rules.md §21.2): the API path refuses the record, the file keeps it with
    the id empty and the warning; the schema accepts it only with that warning."""
    row = _row(jenisKinerja=jenis, bulanSelesaiPenilaian=3 if jenis == "PERIODIK" else 12)
    with pytest.raises(pm.Ditolak) as e:
        pm.build(row, pns_id="")
    assert e.value.alasan == [pm.TANPA_ID_PEGAWAI]
    baris = _baris(row, pns_id="")
    assert baris.valid and baris.alasan == [] and baris.tanpa_id
    assert baris.peringatan == [siasn.TANPA_ID] and baris.pns_id == ""
    # Apart from the id, the body is the one the API path would post with an id.
    dengan_id = pm.build(row, pns_id=PNS_ID).body
    id_field = "pnsDinilaiId" if jenis == "PERIODIK" else "pnsDinilaiOrang"
    assert baris.body == {**dengan_id, id_field: ""}
    endpoint = pm.PERIODIK if jenis == "PERIODIK" else pm.TAHUNAN
    doc = _doc([baris], endpoint)
    assert doc["data"][0]["peringatan"] == [siasn.TANPA_ID] and _validator().is_valid(doc)
    tanpa_peringatan = {**doc, "data": [{k: v for k, v in doc["data"][0].items() if k != "peringatan"}]}
    assert not _validator().is_valid(tanpa_peringatan)
    assert siasn.check_all([baris]).tanpa_id == 1


@pytest.mark.parametrize(
    ("ubah", "pesan"),
    [
        ({"bulanSelesaiPenilaian": 6, "periodeNama": "Semester I 2026"}, "periode 6 bulan"),
        ({"penilaiNipNrp": "199108162015031001"}, "Pejabat penilai sama dengan pegawai"),
        ({"penilaiNama": ""}, "Nama pejabat penilai kosong."),
    ],
)
def test_a_row_without_siasn_id_and_another_problem_stays_refused_for_that_problem(
    ubah: dict, pesan: str
) -> None:
    row = _row(**ubah)
    baris = _baris(row, pns_id="")
    assert not baris.valid and any(pesan in a for a in baris.alasan)
    assert pm.TANPA_ID_PEGAWAI not in baris.alasan and baris.peringatan == [siasn.TANPA_ID]
    # The API path is unchanged: it names the missing id (and the record's problems it checks first).
    with pytest.raises(pm.Ditolak) as e:
        pm.build(row, pns_id="")
    assert pm.TANPA_ID_PEGAWAI in e.value.alasan and e.value.alasan == pm.reasons(row, pns_id="")


def test_a_pppk_penilai_is_valid_with_the_api_paths_warning() -> None:
    baris = _baris(_row(penilaiGolongan="IX"))
    assert baris.valid and baris.body["penilaiGolongan"] == "" and baris.label["penilaiGolongan"] == ""
    assert (
        baris.peringatan == pm.peringatan(_row(penilaiGolongan="IX")) and "TIDAK PASTI" in baris.peringatan[0]
    )
    doc = _doc([baris])
    assert _validator().is_valid(doc) and doc["data"][0]["peringatan"] == baris.peringatan


def test_tanggal_final_is_the_local_date_of_the_instansi(inst) -> None:  # type: ignore[no-untyped-def]
    ev = (
        Evaluasi.objects.filter(instansi=inst, status="final")
        .select_related("periode", "periode_penilaian")
        .first()
    )
    # 17:30 UTC on 9 January is 00:30 WIB on 10 January.
    ev.final_pada = datetime.datetime(2026, 1, 9, 17, 30, tzinfo=datetime.UTC)
    assert siasn.baris(ev)["tanggalFinal"] == "2026-01-10"
    ev.final_pada = datetime.datetime(2026, 1, 9, 16, 59, tzinfo=datetime.UTC)
    assert siasn.baris(ev)["tanggalFinal"] == "2026-01-09"


def test_codes_are_the_documented_ones() -> None:
    assert {r.label: k for r, k in kode.RATING.items()} == {
        "Diatas Ekspektasi": 1,
        "Sesuai Ekspektasi": 2,
        "Dibawah Ekspektasi": 3,
    }
    assert [kode.KUADRAN[p] for p in Predikat] == [1, 2, 3, 4, 5]  # best first
    assert [kode.LABEL_KUADRAN[k] for k in range(1, 6)] == [
        "SANGAT BAIK",
        "BAIK",
        "BUTUH PERBAIKAN",
        "KURANG",
        "SANGAT KURANG",
    ]
    assert kode.LABEL_RATING[2] == "SESUAI ESPEKTASI"  # BKN's spelling
    assert kode.LABEL_GOLONGAN["34"] == "III/d" and kode.LABEL_KOEFISIEN["82"] == "PENYELIA"


@pytest.mark.parametrize(
    ("ubah", "pesan"),
    [
        ({"penilaiNipNrp": "199108162015031001"}, "Pejabat penilai sama dengan pegawai yang dinilai"),
        ({"penilaiNama": ""}, "Nama pejabat penilai kosong."),
        ({"penilaiUnorNama": "  "}, "Unit kerja pejabat penilai kosong."),
        ({"pnsDinilaiNip": "12345"}, "NIP pegawai dinilai tidak sah"),
        ({"hasilKinerjaNilai": None}, "Kode rating hasil kerja kosong."),
        ({"perilakuKerjaNilai": True}, "Kode rating perilaku kerja harus berupa bilangan bulat."),
        ({"hasilKinerja": "Diatas Ekspektasi"}, "Rating hasil kerja tidak sesuai dengan kodenya"),
        ({"kuadranKinerjaNilai": 1, "kuadranKinerja": "Sangat Baik"}, "tidak sesuai kuadran"),
        ({"kuadranKinerjaNilai": 7}, "Kode predikat (kuadran) harus 1–5."),
        ({"statusPenilai": "NON ASN"}, "Status penilai NON ASN padahal"),
        ({"penilaiNipNrp": "", "statusPenilai": "ASN"}, "NIP pejabat penilai kosong."),
        ({"penilaiGolongan": ""}, "Golongan pejabat penilai kosong."),
        ({"bulanMulaiPenilaian": 4}, "Bulan mulai penilaian sesudah bulan selesai."),
        ({"bulanSelesaiPenilaian": 13}, "Bulan selesai harus 1–12."),
        ({"tahun": 2025}, "Tahun penilaian tidak sesuai"),
        ({"jenisKinerja": "BULANAN"}, "Jenis harus TAHUNAN atau PERIODIK."),
        ({"tanggalFinal": "20-04-2026"}, "Tanggal final harus berbentuk YYYY-MM-DD."),
        ({"lain": 1}, "Kolom tidak dikenal: lain."),
    ],
)
def test_periksa_names_each_problem_in_indonesian(ubah: dict, pesan: str) -> None:
    assert siasn.periksa(_row()) == []
    masalah = siasn.periksa(_row(**ubah))
    assert any(pesan in m for m in masalah), masalah


def test_a_row_without_any_penilai_gets_one_message() -> None:
    row = _row(statusPenilai="NON ASN", **dict.fromkeys(siasn.PENILAI, ""))
    assert siasn.periksa(row) == [siasn.TANPA_PENILAI]
    assert siasn.periksa({**row, "pnsDinilaiNama": ""}) == [
        siasn.TANPA_PENILAI,
        "Nama pegawai dinilai kosong.",
    ]


def test_a_non_asn_penilai_may_have_no_nip_or_golongan_and_the_schema_agrees() -> None:
    row = _row(statusPenilai="NON ASN", penilaiNipNrp="", penilaiGolongan="", penilaiNama="Bupati Contoh")
    assert siasn.periksa(row) == []
    assert _validator().is_valid(_doc([_baris(row)]))
    # An ASN needs an 18-digit NIP: refused by `periksa`, and the schema says so too.
    asn = _baris(_row(penilaiNipNrp="", penilaiGolongan=""))
    assert asn.alasan and not _validator().is_valid(_doc([asn]))


@pytest.mark.parametrize(
    ("pangkat", "gol"),
    [("Pembina (IV/a)", "IV/a"), ("Penata Muda Tingkat I (III/b)", "III/b"), ("Juru (I/c)", "I/c")]
    + [("II/d", "II/d"), ("Golongan IX", "IX"), ("", ""), ("tidak jelas", "")],
)
def test_golongan_from_the_pangkat_snapshot(pangkat: str, gol: str) -> None:
    assert siasn.golongan(pangkat) == gol


def test_status_penilai() -> None:
    assert siasn.status_penilai("197904182005012005") == "ASN"
    assert siasn.status_penilai("") == "NON ASN"
    assert siasn.status_penilai("NRP 12345") == "NON ASN"


# --- rows from the demo ------------------------------------------------------------------------------------


@pytest.mark.parametrize("nomor", [1, 2, 3])
def test_every_row_of_the_demo_matches_its_final_evaluation_field_by_field(inst, nomor) -> None:  # type: ignore[no-untyped-def]
    p = _pilihan(inst, nomor)
    evs = {ev.pegawai_nip: ev for ev in sel.evaluasi_ekspor(inst, p)}
    final = Evaluasi.objects.filter(instansi=inst, periode_penilaian=p.periode_penilaian, status="final")
    assert len(evs) == final.count() > 30
    rows = sel.rows_ekspor(inst, p)
    assert [r.identitas["nip"] for r in rows] == sorted(evs)
    pp = p.periode_penilaian
    for r in rows:
        ev = evs[r.identitas["nip"]]
        b, label = r.body, r.label
        assert r.endpoint == "kinerjaperiodik/save" and tuple(b) == pm.FIELDS_PERIODIK
        assert r.valid and r.alasan == []
        assert b["pnsDinilaiId"] == IdSiasnPegawai.objects.get(pegawai__nip=ev.pegawai_nip).pns_id
        assert r.identitas["nip"] == ev.pegawai_nip == ev.pegawai.nip
        assert r.identitas["nama"] == ev.pegawai_nama
        assert r.identitas["periode"] == f"{pp.nama} 2026"
        assert r.identitas["tanggalFinal"] == timezone.localdate(ev.final_pada).isoformat()
        assert (b["tahun"], b["periodikId"], label["periodikId"]) == (2026, "2", "TRIWULAN")
        assert (b["bulanMulaiPenilaian"], b["bulanSelesaiPenilaian"]) == (3 * nomor - 2, 3 * nomor)
        assert b["tahunMulaiPenilaian"] == b["tahunSelesaiPenilaian"] == 2026
        for f, nilai in (("hasilKinerjaNilai", ev.rating_hasil), ("perilakuKerjaNilai", ev.rating_perilaku)):
            assert b[f] == kode.RATING[Rating(nilai)]
            # BKN's spelling: "DIATAS ESPEKTASI".
            assert label[f] == kode.LABEL_RATING[b[f]] == Rating(nilai).label.upper().replace("EKS", "ES")
        assert b["kuadranKinerjaNilai"] == kode.KUADRAN[Predikat(ev.predikat)]
        assert label["kuadranKinerjaNilai"] == kode.LABEL_KUADRAN[b["kuadranKinerjaNilai"]]
        jenjang = ev.skp.jabatan.jenjang
        assert b["koefisienId"] == (kode.KOEFISIEN[Jenjang(jenjang)] if jenjang else "")
        assert b["penilaiNama"] == ev.penilai_nama
        assert b["penilaiNipNrp"] == ev.penilai_nip
        assert b["penilaiJabatanNama"] == ev.penilai_jabatan_nama
        assert b["penilaiUnorNama"] == ev.penilai_unit
        if ev.penilai_id:
            # The pegawai evaluated, never the penilai; the penilai's golongan code from their pangkat.
            assert b["penilaiNipNrp"] == ev.penilai.nip != r.identitas["nip"]
            assert b["statusPenilai"] == "ASN"
            assert label["penilaiGolongan"] and label["penilaiGolongan"] in ev.penilai_pangkat
            assert b["penilaiGolongan"] == kode.GOLONGAN_PNS[label["penilaiGolongan"]]


@pytest.mark.parametrize("periode", ["1", "2", "3"])
def test_every_file_row_is_the_request_of_the_api_path_and_of_the_dry_run(inst, periode, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The file and the API can never disagree: each row's endpoint and body are what `plan` (the send)
    and `siasn_kirim --dry-run` give for the same evaluation."""
    rows = sel.rows_ekspor(inst, _pilihan(inst, periode))
    for ev, r in zip(sel.evaluasi_ekspor(inst, _pilihan(inst, periode)), rows, strict=True):
        rencana = sel.plan(ev)
        assert rencana.permintaan is not None
        assert (r.endpoint, r.body) == (rencana.permintaan.endpoint, rencana.permintaan.body)
        assert (r.alasan, r.peringatan) == (rencana.alasan, rencana.peringatan)
    keluaran = tmp_path / "kirim.jsonl"
    args = ["--tahun", "2026", "--periode", periode, "--instansi", inst.kode, "--keluaran", str(keluaran)]
    call_command("siasn_kirim", *args, "--dry-run", stderr=io.StringIO())
    jsonl = [json.loads(line) for line in keluaran.read_text().splitlines()]
    assert jsonl == [{"endpoint": r.endpoint, "body": r.body} for r in rows]


def test_a_pegawai_without_siasn_id_is_exported_with_a_warning_and_refused_by_the_api_path(
    inst, admin, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    IdSiasnPegawai.objects.filter(pegawai__nip=PELAKSANA).delete()
    (r,) = [r for r in sel.rows_ekspor(inst, _pilihan(inst, 3)) if r.identitas["nip"] == PELAKSANA]
    assert r.valid and r.peringatan == [siasn.TANPA_ID] and r.body["pnsDinilaiId"] == ""
    assert r.body["hasilKinerjaNilai"] == 1  # the rest of the body is the request as it would be sent
    # The API path still refuses it: the send plan and the dry run.
    ev = sel.evaluasi_kirim(2026, 3, inst).get(pegawai_nip=PELAKSANA)
    rencana = sel.plan(ev)
    assert rencana.permintaan is None and rencana.alasan == [pm.TANPA_ID_PEGAWAI]
    keluaran = tmp_path / "kirim.jsonl"
    stderr = io.StringIO()
    args = ["--tahun", "2026", "--periode", "3", "--instansi", inst.kode, "--keluaran", str(keluaran)]
    call_command("siasn_kirim", *args, "--dry-run", stderr=stderr)
    assert PELAKSANA not in keluaran.read_text() and pm.TANPA_ID_PEGAWAI in stderr.getvalue()
    # The page: the row valid with the warning, counted; the whole export is not refused.
    html = admin.get(URL, {"tahun": 2026, "periode": 3}).content.decode()
    assert "ID SIASN belum tersimpan" in html and siasn.TANPA_ID in html
    assert 'id="jumlah-tanpa-id"' in html and "0</strong> baris bermasalah" in html
    response = admin.get(UNDUH, {"tahun": 2026, "periode": 3, "format": "json"})
    assert response.status_code == 200 and response["X-Baris-Ditolak"] == "0"
    doc = json.loads(response.content)
    assert doc["versi"] == 3 and _validator().is_valid(doc)
    (baris,) = [d for d in doc["data"] if d["identitas"]["nip"] == PELAKSANA]
    assert baris["body"]["pnsDinilaiId"] == "" and baris["peringatan"] == [siasn.TANPA_ID]
    assert all(d["body"]["pnsDinilaiId"] and "peringatan" not in d for d in doc["data"] if d is not baris)
    xlsx = admin.get(UNDUH, {"tahun": 2026, "periode": 3, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    keys = [c.value for c in ws[2]]
    (sel_baris,) = [row for row in ws.iter_rows(min_row=4, values_only=True) if PELAKSANA in row]
    assert sel_baris[keys.index("pnsDinilaiId")] is None
    assert sel_baris[keys.index("peringatan")] == siasn.TANPA_ID


class _KlienTanpaData:
    """SIASN that does not know the pegawai: the send must stop there and post nothing."""

    def __init__(self) -> None:
        self.disimpan: list = []

    def data_utama(self, nip: str) -> dict:
        raise SiasnError("HTTP 404: data tidak ditemukan", 404)

    def save(self, endpoint: str, body: dict) -> str:
        self.disimpan.append(body)
        return "x"

    def upload(self, id_ref_dokumen: str, nama: str, isi: bytes) -> dict:
        raise AssertionError("no upload without the pegawai's id")


def test_the_send_still_refuses_a_pegawai_whose_siasn_id_is_unknown(inst) -> None:  # type: ignore[no-untyped-def]
    IdSiasnPegawai.objects.filter(pegawai__nip=PELAKSANA).delete()
    ev = Evaluasi.objects.get(pegawai_nip=PELAKSANA, periode_penilaian__nomor=3, status="final")
    klien = _KlienTanpaData()
    kirim = services.send(ev, klien)
    assert kirim.status == "gagal" and kirim.pesan.startswith("Pencarian data utama")
    assert klien.disimpan == [] and not IdSiasnPegawai.objects.filter(pegawai__nip=PELAKSANA).exists()


def test_the_override_of_the_demo_pelaksana_is_exported_as_rated(inst) -> None:  # type: ignore[no-untyped-def]
    (r,) = [r for r in sel.rows_ekspor(inst, _pilihan(inst, 3)) if r.identitas["nip"] == PELAKSANA]
    ev = Evaluasi.objects.get(pegawai__nip=PELAKSANA, periode_penilaian__nomor=3)
    assert ev.rating_hasil == "diatas" and r.body["hasilKinerjaNilai"] == 1
    assert r.label["hasilKinerjaNilai"] == "DIATAS ESPEKTASI"
    kabid = Pegawai.objects.get(nip="197904182005012005")
    assert (r.body["penilaiNipNrp"], r.body["penilaiNama"]) == (kabid.nip, kabid.nama_lengkap)


def test_the_head_rated_by_an_external_penilai_is_exported_with_that_penilai(inst) -> None:  # type: ignore[no-untyped-def]
    """The Kepala Badan has no pejabat penilai in the system: the admin recorded the Sekda of Kota
    Sukamaju as his external penilai and entered the Sekda's decision (docs/rules.md "Penilai di luar
    instansi"), so his row carries the Sekda's identity as ASN and every final row may be exported."""
    hasil = siasn.check_all(sel.rows_ekspor(inst, _pilihan(inst, 1)))
    assert hasil.bermasalah == []
    kepala = Evaluasi.objects.get(periode_penilaian__nomor=1, penilai__isnull=True)
    (r,) = [r for r in hasil.valid if r.identitas["nip"] == kepala.pegawai_nip]
    assert (r.body["statusPenilai"], r.body["penilaiNipNrp"], r.body["penilaiGolongan"]) == (
        "ASN",
        SEKDA["nomor_identitas"],
        "44",
    )
    assert r.label["penilaiGolongan"] == "IV/d"
    assert (r.body["penilaiNama"], r.body["penilaiJabatanNama"]) == (SEKDA["nama"], SEKDA["jabatan"])
    assert r.body["penilaiUnorNama"] == SEKDA["instansi_penilai"]
    assert len(hasil.valid) == Evaluasi.objects.filter(periode_penilaian__nomor=1, status="final").count()


def test_only_final_evaluations_are_exported(inst) -> None:  # type: ignore[no-untyped-def]
    p = _pilihan(inst, 2)
    ev = Evaluasi.objects.filter(periode_penilaian__nomor=2, penilai__isnull=False).first()
    before = {r.identitas["nip"] for r in sel.rows_ekspor(inst, p)}
    assert ev.pegawai_nip in before
    Evaluasi.objects.filter(pk=ev.pk).update(status="dibuka_kembali")  # as a reopening would leave it
    after = {r.identitas["nip"] for r in sel.rows_ekspor(inst, p)}
    assert after == before - {ev.pegawai_nip}
    assert sel.jumlah_belum_final(inst, p) == 1


def test_no_annual_evaluations_yet_means_nothing_to_export(inst, admin) -> None:  # type: ignore[no-untyped-def]
    assert sel.rows_ekspor(inst, _pilihan(inst, "tahunan")) == []
    response = admin.get(UNDUH, {"tahun": 2026, "periode": "tahunan", "format": "json"})
    assert response.status_code == 422
    assert "Tidak ada evaluasi final" in response.content.decode()


def test_an_annual_row_takes_the_months_of_its_skp(inst) -> None:  # type: ignore[no-untyped-def]
    """Annual: the months are those of the SKP evaluated (a mutation's SKP covers part of the year)."""
    ev = Evaluasi.objects.filter(periode_penilaian__nomor=1, penilai__isnull=False).select_related(
        "skp", "periode"
    )[0]
    ev.jenis, ev.periode_penilaian = "tahunan", None
    ev.skp.mulai, ev.skp.selesai = datetime.date(2026, 4, 1), datetime.date(2026, 12, 31)
    r = siasn.baris(ev)
    assert (r["jenisKinerja"], r["periodeNama"]) == ("TAHUNAN", "Tahunan 2026")
    assert (r["bulanMulaiPenilaian"], r["bulanSelesaiPenilaian"]) == (4, 12)
    assert siasn.periksa(r) == []


def test_the_unit_filter_keeps_the_unit_and_the_units_under_it(inst) -> None:  # type: ignore[no-untyped-def]
    kabid = Pegawai.objects.get(nip="197904182005012005")
    unit = Evaluasi.objects.filter(pegawai=kabid).first().unit
    rows = sel.rows_ekspor(inst, _pilihan(inst, 1, unit))
    expected = set(
        Evaluasi.objects.filter(
            periode_penilaian__nomor=1, status="final", unit__path__startswith=unit.path
        ).values_list("pegawai_nip", flat=True)
    )
    assert {r.identitas["nip"] for r in rows} == expected
    assert 1 < len(expected) < len(sel.rows_ekspor(inst, _pilihan(inst, 1)))


# --- the page and the files ---------------------------------------------------------------------------------


def test_the_page_shows_the_preview_and_the_validation(admin, kepala_tanpa_penilai) -> None:  # type: ignore[no-untyped-def]
    response = admin.get(URL, {"tahun": 2026, "periode": 3})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pratinjau"' in html and 'id="daftar-bermasalah"' in html
    assert "Rahmat Hidayat" in html and PELAKSANA in html
    assert "<code>kinerjaperiodik/save</code>" in html and "<code>pnsDinilaiId</code>" in html
    assert "1 · DIATAS ESPEKTASI" in html and "TRIWULAN" in html
    assert "Ekspor baris yang valid saja (xlsx)" in html
    assert "format=xlsx&amp;sebagian=1" in html


def test_an_export_with_invalid_rows_is_refused_listing_each_problem(
    inst, admin, kepala_tanpa_penilai
) -> None:  # type: ignore[no-untyped-def]
    kepala = Evaluasi.objects.get(periode_penilaian__nomor=2, penilai__isnull=True)
    for fmt in ("xlsx", "json"):
        response = admin.get(UNDUH, {"tahun": 2026, "periode": 2, "format": fmt})
        assert response.status_code == 422
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "Ekspor ditolak: 1 baris" in html
        assert f"{kepala.pegawai_nama} ({kepala.pegawai_nip})" in html
        assert "Tidak ada pejabat penilai di sistem" in html


def test_json_of_the_valid_rows_matches_the_schema_and_the_evaluations(
    inst, admin, kepala_tanpa_penilai
) -> None:  # type: ignore[no-untyped-def]
    response = admin.get(UNDUH, {"tahun": 2026, "periode": 1, "format": "json", "sebagian": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="siasn-kinerja-' in response["Content-Disposition"]
    doc = json.loads(response.content)
    errors = [e.message for e in _validator().iter_errors(doc)]
    assert errors == []
    final = Evaluasi.objects.filter(periode_penilaian__nomor=1, status="final")
    assert doc["jumlah"] == len(doc["data"]) == final.count() - 1 == int(response["X-Baris-Diekspor"])
    assert response["X-Baris-Ditolak"] == "1"
    assert (doc["instansi"]["kode"], doc["tahun"], doc["endpoint"]) == (
        inst.kode,
        2026,
        "kinerjaperiodik/save",
    )
    by_nip = {ev.pegawai_nip: ev for ev in final}
    for r in doc["data"]:
        ev = by_nip[r["identitas"]["nip"]]
        assert r["endpoint"] == "kinerjaperiodik/save" and set(r) == {
            "endpoint",
            "body",
            "label",
            "identitas",
        }
        assert r["label"]["kuadranKinerjaNilai"] == kode.LABEL_KUADRAN[kode.KUADRAN[Predikat(ev.predikat)]]
        assert r["body"]["penilaiNipNrp"] == ev.penilai_nip != r["identitas"]["nip"]
        assert nip_rules.is_valid(r["body"]["penilaiNipNrp"])


def test_the_whole_demo_json_would_fail_the_schema_only_on_the_head_row(inst, kepala_tanpa_penilai) -> None:  # type: ignore[no-untyped-def]
    """The schema alone catches the missing penilai too (a second, independent check of the rows)."""
    rows = sel.rows_ekspor(inst, _pilihan(inst, 1))
    errors = list(_validator().iter_errors(_doc(rows)))
    paths = {tuple(e.instance_path)[:2] for e in errors}
    kepala = Evaluasi.objects.get(periode_penilaian__nomor=1, penilai__isnull=True)
    idx = [r.identitas["nip"] for r in rows].index(kepala.pegawai_nip)
    assert paths == {("data", idx)}


def test_xlsx_cells(inst, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.get(UNDUH, {"tahun": 2026, "periode": 3, "format": "xlsx", "sebagian": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.title == "Kinerja"
    assert ws["A1"].value.startswith("Hasil evaluasi kinerja Triwulan III 2026")
    kolom = siasn.kolom_xlsx(pm.FIELDS_PERIODIK)
    keys = [k for k, _ in kolom]
    assert [c.value for c in ws[2]] == keys
    assert [c.value for c in ws[3]] == [h for _, h in kolom]
    # Every request field but the documents, each code with its label beside it, the NIP said not sent.
    assert [k for k in keys if k in pm.FIELDS_PERIODIK] == [f for f in pm.FIELDS_PERIODIK if f != "path"]
    assert keys.index("label.hasilKinerjaNilai") == keys.index("hasilKinerjaNilai") + 1
    assert "tidak dikirim" in ws.cell(row=3, column=keys.index("identitas.nip") + 1).value
    valid = siasn.check_all(sel.rows_ekspor(inst, _pilihan(inst, 3))).valid
    assert ws.max_row == 3 + len(valid)
    col = {k: i for i, k in enumerate(keys)}
    for n, row in enumerate(ws.iter_rows(min_row=4, values_only=True)):
        r = valid[n]
        assert {f: row[col[f]] for f in pm.FIELDS_PERIODIK if f != "path"} == {
            f: (None if v == "" else v)
            for f, v in r.body.items()
            if f != "path"  # an empty cell is None
        }
        assert {f: row[col[f"label.{f}"]] or "" for f in r.label} == r.label
    (baris,) = [r for r in ws.iter_rows(min_row=4) if r[col["identitas.nip"]].value == PELAKSANA]
    assert baris[col["identitas.nip"]].number_format == "@"  # NIP as text
    assert baris[col["pnsDinilaiId"]].value == demo_siasn.pns_id_demo(PELAKSANA)
    assert baris[col["hasilKinerjaNilai"]].value == 1
    assert baris[col["label.hasilKinerjaNilai"]].value == "DIATAS ESPEKTASI"
    assert baris[col["label.kuadranKinerjaNilai"]].value in {"SANGAT BAIK", "BAIK"}
    assert baris[col["bulanMulaiPenilaian"]].value == 7 and baris[col["bulanSelesaiPenilaian"]].value == 9
    assert (baris[col["periodikId"]].value, baris[col["statusPenilai"]].value) == ("2", "ASN")


def test_a_complete_selection_downloads_without_asking(inst, admin) -> None:  # type: ignore[no-untyped-def]
    kabid = Pegawai.objects.get(nip="197904182005012005")
    unit = Evaluasi.objects.filter(pegawai=kabid).first().unit
    page = admin.get(URL, {"tahun": 2026, "periode": 1, "unit": unit.pk}).content.decode()
    assert "Semua baris lengkap dan sah" in page and "sebagian=1" not in page
    response = admin.get(UNDUH, {"tahun": 2026, "periode": 1, "unit": unit.pk, "format": "json"})
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert _validator().is_valid(doc)
    assert doc["unitKerja"] == unit.nama and response["X-Baris-Ditolak"] == "0"


def test_an_unknown_format_is_refused(admin) -> None:  # type: ignore[no-untyped-def]
    assert admin.get(UNDUH, {"tahun": 2026, "periode": 1, "format": "csv"}).status_code == 422


# --- who may ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["kepala", "kabid", "fungsional", "pelaksana"])
@pytest.mark.parametrize("url", [URL, UNDUH + "?tahun=2026&periode=1&format=json&sebagian=1"])
def test_only_the_admin_may_export(inst, client_for, role, url) -> None:  # type: ignore[no-untyped-def]
    assert client_for(role).get(url).status_code == 403


def test_anonymous_is_sent_to_login(inst) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(UNDUH, {"tahun": 2026, "periode": 1, "format": "json", "sebagian": "1"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_admin_of_another_instansi_sees_only_their_own(inst, other_instansi) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.get(username="admin-lain"))
    demo_unit = UnitKerja.objects.filter(instansi=inst).first()
    for url in (URL, UNDUH):
        response = client.get(url, {"tahun": 2026, "periode": 1, "unit": demo_unit.pk, "format": "json"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "belum memiliki periode penilaian" in html and PELAKSANA not in html


def test_query_count_does_not_grow_with_rows(inst, admin) -> None:  # type: ignore[no-untyped-def]
    kabid = Pegawai.objects.get(nip="197904182005012005")
    unit = Evaluasi.objects.filter(pegawai=kabid).first().unit
    akar = UnitKerja.objects.get(instansi=inst, parent__isnull=True)
    assert len(sel.rows_ekspor(inst, _pilihan(inst, 1, akar))) > 3 * len(
        sel.rows_ekspor(inst, _pilihan(inst, 1, unit))
    )
    counts = {}
    admin.get(URL)  # the navigation's cached facts (kinerja/common/cache.py) are read once, before all
    for key, params in {
        "unit": {"tahun": 2026, "periode": 1, "unit": unit.pk},
        "semua": {"tahun": 2026, "periode": 1, "unit": akar.pk},
    }.items():
        for url, extra in ((URL, {}), (UNDUH, {"format": "json", "sebagian": "1"})):
            with CaptureQueriesContext(connection) as ctx:
                assert admin.get(url, {**params, **extra}).status_code == 200
            counts[(key, url)] = len(ctx.captured_queries)
    assert max(counts.values()) <= 12, counts
    assert counts[("unit", URL)] == counts[("semua", URL)]
    assert counts[("unit", UNDUH)] == counts[("semua", UNDUH)]
