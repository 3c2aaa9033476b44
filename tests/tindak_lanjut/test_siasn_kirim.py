"""`siasn_kirim --dry-run` on the demo (docs/rules.md §21.8): complete bodies for this year's periodic and
last year's annual final evaluations, refusals named, stored SIASN ids used."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kinerja.demo import siasn as demo_siasn
from kinerja.demo import tindak_lanjut as demo_tindak_lanjut
from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.models import IdSiasnPegawai, KirimSiasn
from kinerja.tindak_lanjut.siasn import permintaan as pm
from tests.conftest import demo_dinilai
from tests.siasn_palsu import SiasnPalsu, periksa_body

KEPALA = "197205141998031003"  # the head: rated by an external penilai (the Sekda), every year
PELAKSANA = "199108162015031001"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with demo_dinilai(django_db_blocker, demo_tindak_lanjut.seed, demo_siasn.seed) as instansi:
        yield instansi


@pytest.fixture
def inst(seeded, db):  # type: ignore[no-untyped-def]
    return seeded


def _dry_run(tmp_path: Path, *args: str) -> tuple[list[dict[str, object]], str]:
    keluaran = tmp_path / "kirim.jsonl"
    err = io.StringIO()
    call_command("siasn_kirim", *args, "--dry-run", "--keluaran", str(keluaran), stderr=err)
    return [json.loads(line) for line in keluaran.read_text().splitlines()], err.getvalue()


def test_dry_run_this_year_writes_complete_periodic_bodies(inst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, err = _dry_run(tmp_path, "--tahun", "2026")
    final = Evaluasi.objects.filter(periode__tahun=2026, status="final").count()
    # Every final periodic evaluation of the year, the head's too: he is rated by an external penilai.
    assert final > 0 and len(lines) == final
    # The demo's records sent before are updated with their SIASN id (docs/rules.md §21.9); the rest added.
    terkirim = KirimSiasn.objects.filter(evaluasi__periode__tahun=2026).exclude(siasn_id="")
    ids = set(terkirim.values_list("siasn_id", flat=True))
    assert len([line for line in lines if line["body"]["id"]]) == len(ids) > 0
    for line in lines:
        assert set(line) == {"endpoint", "body"} and line["endpoint"] == "kinerjaperiodik/save"
        body = line["body"]
        assert tuple(body) == pm.FIELDS_PERIODIK
        assert body["periodikId"] == "2" and body["id"] in ids | {""} and len(body["pnsDinilaiId"]) == 32
        assert all(isinstance(body[k], int) for k in ("tahun", "hasilKinerjaNilai", "kuadranKinerjaNilai"))
        assert body["penilaiGolongan"] in {"31", "32", "33", "34", "41", "42", "43", "44", "45"}
    kepala = [line["body"] for line in lines if "Sekretaris Daerah" in line["body"]["penilaiJabatanNama"]]
    assert len(kepala) == 3 and all(b["statusPenilai"] == "ASN" for b in kepala)
    assert "Ditolak" not in err and "permintaan ditulis, 0 evaluasi ditolak" in err


def test_every_dry_run_body_passes_the_strict_fake(inst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    palsu = SiasnPalsu()
    for id_siasn in IdSiasnPegawai.objects.select_related("pegawai"):
        palsu.tambah_pns(id_siasn.pegawai.nip, pns_id=id_siasn.pns_id)
    # What the demo's worker sent is in SIASN: its records and documents (a re-send updates them).
    for kirim in KirimSiasn.objects.exclude(siasn_id="").select_related("evaluasi__pegawai__id_siasn"):
        pns = "pnsDinilaiId" if kirim.endpoint == pm.PERIODIK else "pnsDinilaiOrang"
        palsu.riwayat[kirim.siasn_id] = (kirim.endpoint, {pns: kirim.evaluasi.pegawai.id_siasn.pns_id})
        palsu.dokumen.update({dok["dok_uri"]: dok for dok in kirim.dokumen})
    for tahun in ("2025", "2026"):
        lines, _ = _dry_run(tmp_path, "--tahun", tahun)
        for line in lines:
            periksa_body(str(line["endpoint"]), line["body"], palsu)  # raises on what SIASN would refuse


def test_dry_run_last_year_writes_complete_annual_bodies(inst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines, err = _dry_run(tmp_path, "--tahun", "2025")
    final = Evaluasi.objects.filter(periode__tahun=2025, status="final").count()
    # Every final annual evaluation, the head's too: the Sekda rated his past years as well.
    assert final > 0 and len(lines) == final and "0 evaluasi ditolak" in err
    assert {line["endpoint"] for line in lines} == {"skp22/save"}
    for line in lines:
        assert tuple(line["body"]) == pm.FIELDS_TAHUNAN
        assert line["body"]["pnsDinilaiOrang"] and line["body"]["penilaiJabatan"]
    kepala = Evaluasi.objects.get(periode__tahun=2025, pegawai_nip=KEPALA)
    (body,) = [
        ln["body"] for ln in lines if ln["body"]["penilaiJabatan"] == "Sekretaris Daerah Kota Sukamaju"
    ]
    assert body["pnsDinilaiOrang"] == demo_siasn.pns_id_demo(KEPALA) and kepala.penilai_eksternal_id
    assert (body["statusPenilai"], body["penilaiGolongan"]) == ("ASN", "44")


def test_periode_filter_and_stored_ids(inst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ev = Evaluasi.objects.get(pegawai_nip=PELAKSANA, periode__tahun=2026, periode_penilaian__nomor=2)
    KirimSiasn.objects.update_or_create(
        evaluasi=ev,
        defaults={"instansi": inst, "endpoint": pm.PERIODIK, "siasn_id": "rw-77", "status": "terkirim"},
    )
    IdSiasnPegawai.objects.filter(pegawai__nip="198506282010012004").delete()
    lines, err = _dry_run(tmp_path, "--tahun", "2026", "--periode", "2")
    assert {
        (line["body"]["bulanMulaiPenilaian"], line["body"]["bulanSelesaiPenilaian"]) for line in lines
    } == {(4, 6)}
    pns_id = IdSiasnPegawai.objects.get(pegawai__nip=PELAKSANA).pns_id
    ids = [line["body"]["id"] for line in lines if line["body"]["pnsDinilaiId"] == pns_id]
    assert ids == ["rw-77"]  # the record sent before is updated, not added again
    assert "(198506282010012004), Triwulan II 2026: ID SIASN pegawai belum diketahui" in err


def test_bad_arguments_are_refused_clearly(inst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="tidak ada periode penilaian nomor 9 pada tahun 2026"):
        call_command("siasn_kirim", "--tahun", "2026", "--periode", "9", "--dry-run")
    with pytest.raises(CommandError, match="--keluaran hanya dipakai bersama --dry-run"):
        call_command("siasn_kirim", "--tahun", "2026", "--keluaran", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="--instansi"):
        call_command("siasn_kirim", "--tahun", "2026", "--instansi", "TIDAKADA", "--dry-run")


def test_demo_sync_page_tells_the_story(inst, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from tests import builders as b

    admin = b.klien(get_user_model().objects.get(username="admin"))
    with django_assert_max_num_queries(12):
        r = admin.get("/tindak-lanjut/siasn/sinkron/")
    jumlah = r.context["ringkasan"].jumlah
    assert jumlah["antri"] == 1 and jumlah["gagal"] >= 1 and jumlah["terkirim"] > 100 and jumlah["belum"] > 0
    html = admin.get("/tindak-lanjut/siasn/sinkron/", {"status": "gagal"}).content.decode()
    assert demo_siasn.PESAN_GAGAL.format(tahun=2026) in html and "BKPSDM melalui SIASN" in html
    assert "SIASN belum dikonfigurasi untuk instansi ini" in html  # the demo needs no SIASN server
    galih = Evaluasi.objects.get(
        pegawai_nip=demo_siasn.NIP_GAGAL, periode__tahun=2026, periode_penilaian__nomor=3
    )
    assert "Gagal dikirim ke SIASN" in admin.get(f"/penilaian/evaluasi/{galih.pk}/").content.decode()
    ika = Evaluasi.objects.get(
        pegawai_nip="198506282010012004", periode__tahun=2026, periode_penilaian__nomor=1
    )
    pegawai = b.klien(get_user_model().objects.get(pegawai__nip="198506282010012004"))
    assert "Terkirim ke SIASN pada" in pegawai.get(f"/penilaian/evaluasi/{ika.pk}/").content.decode()
