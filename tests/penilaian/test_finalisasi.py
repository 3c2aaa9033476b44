"""Finalisation of a rating group against its pola distribusi (warn or block per instansi), immutability
of final evaluations, reopening by the admin (audited), and the group selector's flat query count.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module), the kabid's group of seven. The
query count stays on the demo's group of eight.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import Pegawai, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating
from tests.penilaian.conftest import KBMP, KEPALA, Tujuh, buka, nilai_semua, skp_of, tw, user_of

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def siap(p: Tujuh, pegawai: Pegawai) -> Evaluasi:
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    return buka(pegawai)


@pytest.fixture
def kelompok_kabid(p):  # type: ignore[no-untyped-def]
    """The kabid's seven bawahan rated for TW I: all Baik (Sesuai / Sesuai)."""
    kabid = p.kabid.user
    for skp in p.skp_bawahan():
        services.set_rating(nilai_semua(siap(p, skp.pegawai), kabid, S, S), kabid)
    return p.kabid, p.tim.periode, p.tim.pp(1)


def _capaian(p: Tujuh, nilai: str) -> None:
    services.set_capaian_organisasi(p.tim.bidang, p.tim.periode, p.tim.pp(1), nilai, "", p.kepala.user)


def test_group_shows_counts_and_the_check(p, kelompok_kabid):
    penilai, periode, tw1 = kelompok_kabid
    kel = selectors.kelompok(penilai, tw1)
    assert kel.unit == p.tim.bidang and len(kel.evaluasi) == 7 and not kel.belum_dibuka
    assert kel.jumlah[Predikat.BAIK] == 7 and kel.cek is None  # no capaian yet: nothing to check against
    with pytest.raises(ValidationError, match="belum ditetapkan; pola distribusi belum dapat diperiksa"):
        services_kelompok.finalise_kelompok(penilai, periode, tw1, p.kabid.user)
    _capaian(p, "baik")
    kel = selectors.kelompok(penilai, tw1)
    assert kel.cek is not None and not kel.cek.ok  # Baik: at least one Butuh Perbaikan or Kurang
    pelanggaran = {p["jenis"]: p for p in kel.pelanggaran_dengan_nama()}
    assert set(pelanggaran) == {"max", "harus_ada"}
    assert (
        len(pelanggaran["max"]["pegawai"]) == 7
        and "Ika Puspitasari, S.Psi., M.Psi." in pelanggaran["max"]["pegawai"]
    )
    assert pelanggaran["harus_ada"]["pegawai"] == []  # nobody in Butuh Perbaikan / Kurang yet
    besar = [p for p in kel.cek.ranges if Predikat.BAIK in p.predikat]
    assert besar and besar[0].maximum == 4  # Baik ≤ 70 % of 7 → floor 4.9 = 4
    # What-if: under Istimewa the same counts pass; nothing is saved.
    assert kel.what_if()[CapaianOrganisasi.ISTIMEWA].ok
    assert selectors.kelompok(penilai, tw1).capaian.nilai == "baik"


def test_finalising_needs_a_capaian_and_every_member_rated(p):
    kabid, penilai, periode, tw1 = p.kabid.user, p.kabid, p.tim.periode, p.tim.pp(1)
    with pytest.raises(ValidationError, match="Evaluasi belum dibuka dan dinilai untuk: Andi"):
        services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)  # nothing opened yet
    with pytest.raises(PermissionDenied):
        services_kelompok.finalise_kelompok(penilai, periode, tw1, p.fungsional.user)
    services.set_rating(nilai_semua(siap(p, p.fungsional), kabid, S, S), kabid)
    with pytest.raises(ValidationError) as exc:
        services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)
    assert "Evaluasi belum dibuka dan dinilai untuk" in str(exc.value)
    for skp in p.skp_bawahan():
        siap(p, skp.pegawai)  # opened, not rated
    with pytest.raises(ValidationError) as exc:
        services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)
    assert "Belum dinilai:" in str(exc.value) and "Rahmat Hidayat" in str(exc.value)


def test_warn_mode_needs_a_reason_then_records_the_violations(p, kelompok_kabid):
    penilai, periode, tw1 = kelompok_kabid
    kabid = p.kabid.user
    _capaian(p, "butuh_perbaikan")  # BP ≥ 60 %: all Baik violates it
    with pytest.raises(ValidationError) as exc:
        services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)
    assert "tuliskan alasan" in exc.value.message_dict["alasan"][0]
    assert not Evaluasi.objects.filter(penilai=penilai, status="final").exists()
    fin = services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid, "Unit melampaui target triwulan.")
    assert Evaluasi.objects.filter(penilai=penilai, periode_penilaian=tw1, status="final").count() == 7
    assert fin.alasan == "Unit melampaui target triwulan." and fin.capaian_organisasi == "butuh_perbaikan"
    assert fin.jumlah_pegawai == 7 and fin.pelanggaran
    (bp,) = [p for p in fin.pelanggaran if p["predikat"] == ["butuh_perbaikan"]]
    assert bp["jenis"] == "min" and bp["pegawai"] == []
    assert "Ika Puspitasari, S.Psi., M.Psi." in bp["di_luar"] and len(bp["di_luar"]) == 7
    ev = Evaluasi.objects.get(pegawai=p.fungsional, periode_penilaian=tw1)
    assert ev.final_oleh == kabid and ev.history.first().history_user == kabid


def test_block_mode_refuses_while_violations_remain(p, kelompok_kabid):
    penilai, periode, tw1 = kelompok_kabid
    kabid, kepala = p.kabid.user, p.kepala.user
    p.tim.instansi.distribusi_mode = "blokir"
    p.tim.instansi.save()
    _capaian(p, "baik")
    with pytest.raises(ValidationError) as exc:
        services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid, "alasan apa pun")
    assert "Finalisasi ditolak" in str(exc.value)
    # The atasan calibrates: three pegawai to Butuh Perbaikan (with a reason): Baik 4 of 7, BP ≥ 1.
    for skp in p.skp_bawahan()[:3]:
        ev = Evaluasi.objects.get(pegawai=skp.pegawai, periode_penilaian=tw1)
        services.adjust_by_atasan(ev, kepala, "Kalibrasi: capaian RHK utama di bawah rekan.", rating_hasil=B)
    fin = services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)
    assert fin.pelanggaran == [] and fin.alasan == ""
    assert FinalisasiKelompok.objects.filter(penilai=penilai).count() == 1


def test_no_violation_needs_no_reason(p, kelompok_kabid):
    penilai, periode, tw1 = kelompok_kabid
    _capaian(p, "istimewa")  # SB ≤ 70 %: all Baik is fine
    fin = services_kelompok.finalise_kelompok(penilai, periode, tw1, p.kabid.user)
    assert fin.pelanggaran == [] and fin.alasan == ""


def test_others_cannot_finalise(p, kelompok_kabid, other_instansi):
    penilai, periode, tw1 = kelompok_kabid
    _capaian(p, "istimewa")
    for user in (p.fungsional.user, p.kbmp.user, User.objects.get(username="admin-lain")):
        with pytest.raises(PermissionDenied):
            services_kelompok.finalise_kelompok(penilai, periode, tw1, user)
    assert not Evaluasi.objects.filter(status="final").exists()
    services_kelompok.finalise_kelompok(penilai, periode, tw1, p.kepala.user)  # the atasan penilai may


def test_final_is_immutable_until_the_admin_reopens_it(p, kelompok_kabid, other_instansi):
    penilai, periode, tw1 = kelompok_kabid
    kabid, kepala, admin = p.kabid.user, p.kepala.user, p.tim.admin
    _capaian(p, "istimewa")
    services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)
    ev = Evaluasi.objects.get(pegawai=p.fungsional, periode_penilaian=tw1)
    row = ev.rating_rhk.first()
    attempts = [
        lambda: services.rate_rhk(ev, row.rhk, D, "", kabid),
        lambda: services.rate_perilaku(ev, "BP", D, "", kabid),
        lambda: services.mark_tanpa_realisasi(ev, row.rhk, "alasan", kabid),
        lambda: services.set_rating(ev, kabid, rating_hasil=D, alasan_hasil="x"),
        lambda: services.adjust_by_atasan(ev, kepala, "x", rating_hasil=B),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="sudah final"):
            attempt()
    ev.rating_hasil = "diatas"
    with pytest.raises(ValidationError):
        ev.save()  # the models refuse, too
    with pytest.raises(ValidationError):
        row.rating = "diatas"
        row.save()
    with pytest.raises(ValidationError):
        ev.rating_perilaku_set.first().save()
    ev.refresh_from_db()
    assert (ev.rating_hasil, ev.status) == ("sesuai", "final")

    # Reopening: the admin only, with a reason.
    for user in (kabid, kepala, User.objects.get(username="admin-lain")):
        with pytest.raises(PermissionDenied):
            services.reopen(ev, user, "Salah input")
    with pytest.raises(ValidationError):
        services.reopen(ev, admin, "  ")
    ev = services.reopen(ev, admin, "Keberatan pegawai dikabulkan sebagian.")
    assert ev.status == "dibuka_kembali" and ev.dibuka_kembali_oleh == admin
    terakhir = ev.history.first()
    assert terakhir.history_user == admin and terakhir.dibuka_kembali_alasan.startswith("Keberatan")
    ev = services.set_rating(ev, kabid, rating_hasil=D, alasan_hasil="Bukti tambahan diterima.")
    assert (ev.status, ev.predikat) == ("dibuka_kembali", "baik")
    services_kelompok.finalise_kelompok(penilai, periode, tw1, kabid)
    ev.refresh_from_db()
    assert ev.status == "final" and ev.rating_hasil == "diatas"
    assert list(ev.history.values_list("status", flat=True)[:4]) == [
        "final",
        "dibuka_kembali",
        "dibuka_kembali",
        "final",
    ]


def _open(nips: list[str]) -> None:
    bambang = user_of(KBMP)
    for nip in nips:
        skp = skp_of(nip)
        services.open_evaluasi(skp, tw(skp, 1), bambang)


def test_group_selector_query_count_is_flat(batas_evaluasi_terbuka):
    demo_instansi = batas_evaluasi_terbuka
    from kinerja.organisasi import selectors as org

    bambang = user_of(KBMP)
    nips = [p.pegawai.nip for p in org.bawahan_langsung(bambang.pegawai)]
    assert len(nips) == 8
    from kinerja.organisasi.models import UnitKerja

    skp = skp_of(KBMP)
    bmp = UnitKerja.objects.get(instansi=demo_instansi, kode="BMP")
    services.set_capaian_organisasi(bmp, skp.periode, tw(skp, 1), "baik", "", user_of(KEPALA))
    _open(nips[:3])

    def count() -> tuple[int, int]:
        tw1 = tw(skp, 1)  # fresh: nothing cached between the two measurements
        with CaptureQueriesContext(connection) as ctx:
            kel = selectors.kelompok(bambang.pegawai, tw1)
            _ = [(e.pegawai_nama, e.predikat) for e in kel.evaluasi], kel.cek, kel.pelanggaran_dengan_nama()
        return len(ctx.captured_queries), len(kel.evaluasi)

    small, n_small = count()
    _open(nips[3:])
    large, n_large = count()
    assert (n_small, n_large) == (3, 8)
    assert small == large <= 6, (small, large)
