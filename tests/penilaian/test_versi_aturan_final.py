"""A FINAL rating group is checked (page, chart, calibration, API, documents) with the pola distribusi rules
version it was finalised with; a group not final follows the version in force.

The kabid's seven bawahan are all Baik for TW I under capaian Baik. Version 1 allows Baik for everyone
(only "harus ada Butuh Perbaikan atau Kurang" is violated); the group is finalised under it. Version 2 then
allows Baik for at most half (three of seven): under it the group would also break "Baik melebihi batas".

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module); the query count stays on the demo.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.dokumen.evaluasi import selectors as dokumen_evaluasi
from kinerja.dokumen.models import Dokumen
from kinerja.organisasi.models import Pegawai, UnitKerja, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.aturan import selectors as selectors_aturan
from kinerja.penilaian.aturan import services as services_aturan
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.distribusi import DEFAULT_RULES, rules_to_dict
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating
from tests import builders as b
from tests.dokumen.conftest import pdf_text
from tests.penilaian.conftest import BAWAHAN_KABID, KABID, KEPALA, Tujuh, nilai_semua, skp_of, tw, user_of

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

S = Rating.SESUAI
HALAMAN = "/penilaian/kelompok/"
PDF = "/penilaian/kelompok/penetapan/pdf/"
API = "/api/v1/penilaian/kelompok"


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def _siap(pegawai: Pegawai) -> Evaluasi:
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)
    return b.evaluasi_dibuka(skp, b.periode_penilaian(skp.periode, 1))


def _admin(instansi=None) -> User:  # type: ignore[no-untyped-def]
    if instansi is None:
        return User.objects.get(username="admin")  # the demo's
    return User.objects.get(admin_instansi=instansi)


def _baik_max(share: str) -> dict:
    data = rules_to_dict(DEFAULT_RULES)
    data["baik"]["constraints"][0]["share"] = share  # "Paling banyak Baik"
    return data


def _login(pegawai: Pegawai) -> Client:
    return b.klien(pegawai.user)


def _jenis(kel: selectors.Kelompok) -> set[str]:
    return {f.kind.value for f in kel.cek.violations}


def _maks_baik(kel: selectors.Kelompok) -> int:
    kolom = {k.predikat: k for k in sk.grafik_kelompok(kel).kolom}
    return kolom[Predikat.BAIK].maksimum


def _capaian(unit: UnitKerja, skp: Skp, oleh: User) -> None:
    services.set_capaian_organisasi(unit, skp.periode, tw(skp, 1), "baik", "", oleh)


@pytest.fixture
def final_versi_1(p):  # type: ignore[no-untyped-def]
    """The kabid's group finalised under version 1, then version 2 saved. Returns (penilai, TW I)."""
    kabid, instansi = p.kabid.user, p.tim.instansi
    for skp in p.skp_bawahan():
        services.set_rating(nilai_semua(_siap(skp.pegawai), kabid, S, S), kabid)
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=p.kabid)
    _capaian(p.tim.bidang, skp, p.kepala.user)
    services_aturan.save_aturan(instansi, _admin(instansi), _baik_max("1"), "Baik boleh seluruhnya")
    fin = services_kelompok.finalise_kelompok(
        skp.pegawai, skp.periode, tw(skp, 1), kabid, "Belum ada yang kurang"
    )
    assert fin.versi_aturan == 1
    services_aturan.save_aturan(instansi, _admin(instansi), _baik_max("0.5"), "Baik paling banyak separuh")
    return skp.pegawai, tw(skp, 1)


def test_final_group_keeps_the_version_it_was_finalised_with(final_versi_1):
    penilai, tw1 = final_versi_1
    kel = selectors.kelompok(penilai, tw1)
    assert kel.semua_final and kel.finalisasi is not None
    assert (kel.versi_aturan, kel.versi_berlaku) == (1, 2)
    assert _jenis(kel) == {"harus_ada"}
    assert [r.maximum for r in kel.cek.ranges if Predikat.BAIK in r.predikat] == [7]
    assert _maks_baik(kel) == 7
    assert [p["jenis"] for p in kel.pelanggaran_dengan_nama()] == [
        p["jenis"] for p in kel.finalisasi.pelanggaran
    ]
    # The what-if of a final group also reads its own version: Baik may be everyone.
    assert not any(f.kind.value == "max" for f in kel.what_if()[CapaianOrganisasi.BAIK].violations)
    # Under version 2 (in force) the same counts would break the Baik ceiling (three of seven).
    versi, sekarang = selectors_aturan.aturan_berlaku(penilai.instansi_id)
    cek = distribusi_rules.check(CapaianOrganisasi.BAIK, kel.jumlah, sekarang)
    assert versi == 2 and {f.kind.value for f in cek.violations} == {"max", "harus_ada"}


def test_group_page_names_the_recorded_version_and_the_one_in_force(final_versi_1):
    penilai, tw1 = final_versi_1
    r = _login(penilai).get(HALAMAN, {"periode": "1", "penilai": str(penilai.pk)})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Difinalisasi dengan aturan pola distribusi versi 1; versi berlaku sekarang: 2." in html
    assert "Baik melebihi batas" not in html  # version 2's ceiling is not applied
    assert "Pegawai di luar kurva (1 pelanggaran)" in html
    baik = next(k for k in sk.grafik_kelompok(selectors.kelompok(penilai, tw1)).kolom if k.predikat == "baik")
    assert baik.maksimum == 7 and baik.batas_singkat in html and not baik.di_luar


def test_calibration_and_api_read_the_recorded_version(p, final_versi_1):
    penilai, _ = final_versi_1
    kepala = p.kepala.user
    pilihan = sk.select_periode(penilai.instansi, "1")
    (ringkas,) = [r for r in sk.kalibrasi(kepala, penilai.instansi, pilihan) if r.penilai == penilai]
    assert ringkas.semua_final and ringkas.jumlah_pelanggaran == 1
    data = _login(penilai).get(API, {"periode": "1"}).json()
    assert [p["jenis"] for p in data["cek"]["pelanggaran"]] == ["harus_ada"]
    assert [r["maximum"] for r in data["cek"]["rentang"] if r["predikat"] == ["baik"]] == [7]


def test_penetapan_and_member_document_print_version_1_and_stay_valid(final_versi_1):
    penilai, tw1 = final_versi_1
    r = _login(penilai).get(PDF, {"periode": "1", "penilai": str(penilai.pk), "tahun": "2026"})
    assert r.status_code == 200
    teks = pdf_text(r.content)
    assert "Difinalisasi dengan aturan pola distribusi versi 1 instansi" in teks
    assert "Baik melebihi batas" not in teks
    pen = dokumen_evaluasi.fill_penetapan(selectors.kelompok(penilai, tw1))
    capaian = pen.isi.data["capaian_organisasi"]
    assert pen.final and capaian["versi_aturan"] == 1 and capaian["aturan"] == _baik_max("1")
    assert [p["pesan"] for p in pen.isi.data["pelanggaran"]] == [
        p["pesan"] for p in pen.finalisasi.pelanggaran
    ]
    ev = Evaluasi.objects.filter(periode_penilaian=tw1, penilai=penilai).first()
    assert dokumen_evaluasi.fill_evaluasi(ev).data["capaian_organisasi"]["versi_aturan"] == 1
    # A newer version does not change what the registered penetapan says: it stays valid.
    dok = Dokumen.objects.get(jenis=Dokumen.Jenis.PENETAPAN)
    services_aturan.reset_bawaan(penilai.instansi, _admin(penilai.instansi), "Kembali ke pedoman")
    assert dokumen_evaluasi.keabsahan(dok).tingkat == "sah"


def test_a_group_not_final_uses_the_version_in_force(p, final_versi_1):
    penilai, tw1 = final_versi_1
    kbmp = p.kbmp.user
    skp_kbmp = b.skp_disetujui(p.kbmp)
    j_staf = b.JabatanFactory(unit=skp_kbmp.unit, parent=p.kbmp.penempatan.get().jabatan)
    # The Kepala Bidang Mutasi's group of five (big enough for the curve): two of them rated.
    staf = [b.pegawai_di(j_staf, nama=nama) for nama in ("Endang Susanti", "Dedi Kurniawan", "C", "D", "E")]
    for peg in staf:
        b.skp_disetujui(peg)
    for peg in staf[:2]:
        services.set_rating(nilai_semua(_siap(peg), kbmp, S, S), kbmp)
    _capaian(skp_kbmp.unit, skp_kbmp, p.kepala.user)
    kel = selectors.kelompok(kbmp.pegawai, tw1)
    assert not kel.semua_final and kel.finalisasi is None
    assert (kel.versi_aturan, kel.versi_berlaku) == (2, 2)
    assert "max" in _jenis(kel) and _maks_baik(kel) == 1  # two Baik, at most half
    html = _login(p.kbmp).get(HALAMAN, {"periode": "1"}).content.decode()
    assert "Aturan pola distribusi versi 2." in html and "Difinalisasi dengan" not in html


def test_a_reopened_group_follows_the_version_in_force_again(final_versi_1):
    penilai, tw1 = final_versi_1
    ev = Evaluasi.objects.filter(periode_penilaian=tw1, penilai=penilai).order_by("pk").first()
    services.reopen(ev, _admin(penilai.instansi), "Salah input rating.")
    kel = selectors.kelompok(penilai, tw1)
    assert kel.finalisasi is None and (kel.versi_aturan, kel.versi_berlaku) == (2, 2)
    assert _jenis(kel) == {"max", "harus_ada"} and _maks_baik(kel) == 3


def test_one_query_more_for_a_final_group_whatever_the_versions(siap, batas_evaluasi_terbuka):
    demo_instansi = batas_evaluasi_terbuka
    kabid = user_of(KABID)
    for nip in BAWAHAN_KABID:
        services.set_rating(nilai_semua(siap(nip), kabid, S, S), kabid)
    skp = skp_of(KABID)
    _capaian(UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP"), skp, user_of(KEPALA))
    tw1 = tw(skp, 1)

    def hitung() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.kelompok(skp.pegawai, tw1)
        return len(ctx.captured_queries)

    hitung()  # loads the instansi of the periode once (cached on the objects passed in)
    belum_final = hitung()
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw1, kabid, "Belum ada yang kurang")
    final = hitung()
    assert final == belum_final + 1
    for i in range(3):
        services_aturan.save_aturan(demo_instansi, _admin(), _baik_max(f"0.{i + 5}"), f"versi {i + 1}")
    assert hitung() == final
