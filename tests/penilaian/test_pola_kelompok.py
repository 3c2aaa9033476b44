"""Who is in a group's pola distribusi (docs/rules.md §3.8), what finalisation records when the curve
cannot be applied (§3.4, §15), where that shows (group page, penetapan PDF/xlsx, rekap), and one word for
one state of an evaluation (§15).

Cast (tests/builders.py, built once for the module): the kepala (no penilai: the admin rates him) heads
the top unit; under him the Sekretaris (the Sekretariat, with the Subbagian Umum whose head rates four
pegawai) and the kabid (the bidang, where Ika's SKP has an RHK with two indikator). Everyone has an
approved SKP; the evaluation deadlines are ahead.
"""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.dokumen.evaluasi import selectors as dok_evaluasi
from kinerja.dokumen.evaluasi.xlsx import penetapan_xlsx
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Pegawai, UnitKerja, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import selectors, services
from kinerja.penilaian.evaluasi import massal as services_massal
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules.distribusi import Sebab
from kinerja.rules.types import Predikat, Rating
from kinerja.tindak_lanjut.rekap import selectors as selectors_rekap
from tests import builders as b
from tests.conftest import DEMO_TODAY, perpanjang_batas_evaluasi
from tests.penilaian.conftest import buka, isi_realisasi, nilai_semua, tw

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

D, S = Rating.DIATAS, Rating.SESUAI


PPK = services.KeputusanPpk("Bupati Contoh", "800/7/KPTS/2026", DEMO_TODAY)


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    ksubum: Pegawai  # Kepala Subbagian Umum: rates four pegawai
    subum: UnitKerja

    @property
    def fungsional(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional", bawahan={"nama": "Ika Puspitasari"})
    j_kepala = tim.kepala.penempatan.get().jabatan
    sekr = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Sekretariat")
    j_sekr = b.JabatanFactory(
        unit=sekr, nama="Sekretaris", jenis="administrator", parent=j_kepala, pimpinan_unit=True
    )
    subum = b.UnitKerjaFactory(instansi=tim.instansi, parent=sekr, nama="Subbagian Umum")
    j_ksubum = b.JabatanFactory(
        unit=subum, nama="Kepala Subbagian Umum", jenis="pengawas", parent=j_sekr, pimpinan_unit=True
    )
    sekretaris, ksubum = b.pegawai_di(j_sekr), b.pegawai_di(j_ksubum)
    j_staf = b.JabatanFactory(unit=subum, nama="Pengadministrasi Umum", parent=j_ksubum)
    staf = [b.pegawai_di(j_staf) for _ in range(4)]
    for peg in (tim.kepala, tim.atasan, tim.bawahan, sekretaris, ksubum, *staf):
        b.skp_disetujui(peg)
    rhk = Rhk.objects.filter(skp__pegawai=tim.bawahan).first()
    b.IndikatorFactory(rhk=rhk, target_periode={n: "Tersedia" for n in range(1, 5)})  # a second indikator
    perpanjang_batas_evaluasi(tim.instansi)
    return Pemeran(tim, ksubum, subum)


_p, p = b.pemeran_modul(_bangun, "p")


@pytest.fixture
def instansi(p):  # type: ignore[no-untyped-def]
    return p.tim.instansi


def admin(instansi) -> User:  # type: ignore[no-untyped-def]
    return User.objects.get(admin_instansi=instansi)


def skp_of(pegawai: Pegawai) -> Skp:
    return Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)


def tetapkan_capaian(unit: UnitKerja, skp: Skp, nomor: int, nilai: str) -> None:
    """Set a unit's capaian organisasi as whoever sets it (the head above, or the admin for the top)."""
    pp = tw(skp, nomor)
    penetap = sk.penetap_capaian(
        list(UnitKerja.objects.filter(instansi=unit.instansi)),
        sk.pimpinan_semua_unit(unit.instansi, pp.selesai),
    )[unit.pk]
    if penetap.pegawai is not None and not penetap.admin:
        oleh = User.objects.get(pegawai_id=penetap.pegawai.pk)
        services.set_capaian_organisasi(unit, skp.periode, pp, nilai, "", oleh)
    else:  # the top unit: the admin, on the PPK's written decision (docs/rules.md §15)
        services.set_capaian_organisasi(unit, skp.periode, pp, nilai, "", admin(unit.instansi), PPK)


# --- the head of the instansi: alone in his group ------------------------------------------------------


@pytest.fixture
def kepala_sangat_baik(p, instansi):  # type: ignore[no-untyped-def]
    """The kepala (no penilai; rated by the admin) under capaian Istimewa: Sangat Baik for TW I."""
    skp = skp_of(p.kepala)
    top = p.tim.unit
    tetapkan_capaian(top, skp, 1, "istimewa")
    ev = services.set_rating(nilai_semua(buka(p.kepala), admin(instansi), D, D), admin(instansi))
    assert ev.predikat == Predikat.SANGAT_BAIK.value and ev.unit_dipimpin_id == top.pk
    return skp, top


def test_the_head_alone_in_his_group_has_no_curve_and_finalises_without_a_reason(p, kepala_sangat_baik):
    skp, top = kepala_sangat_baik
    kel = selectors.kelompok(None, tw(skp, 1), periode=skp.periode)
    assert kel.unit == top and [e.pegawai for e in kel.pimpinan] == [p.kepala]
    assert kel.jumlah[Predikat.SANGAT_BAIK] == 0  # not counted in the curve of the unit he leads
    assert kel.cek is not None and kel.cek.sebab is Sebab.HANYA_PIMPINAN and not kel.pelanggaran_dengan_nama()
    fin = services_kelompok.finalise_kelompok(None, skp.periode, tw(skp, 1), admin(top.instansi))  # no reason
    assert fin.sebab_tidak_diterapkan == Sebab.HANYA_PIMPINAN.value and fin.pelanggaran == []
    assert "hanya berisi pimpinan unit" in fin.alasan_tidak_diterapkan and fin.alasan == ""


def test_bulk_and_calibration_leave_the_head_out_as_the_group_does(kepala_sangat_baik):
    skp, top = kepala_sangat_baik
    massal = services_massal.evaluasi_massal(tw(skp, 1))
    (grup,) = [k for k in massal.kelompok if k.penilai_id is None and k.unit_id == top.pk]
    assert (
        grup.cek is not None
        and grup.cek.sebab is Sebab.HANYA_PIMPINAN
        and grup not in massal.kelompok_melanggar
    )
    pilihan = sk.PilihanPeriode(skp.periode, tw(skp, 1), [])
    (baris,) = [
        r for r in sk.kalibrasi(admin(top.instansi), skp.periode.instansi, pilihan) if r.tanpa_penilai
    ]
    assert baris.pimpinan == 1 and baris.cek is not None and baris.cek.sebab is Sebab.HANYA_PIMPINAN
    assert baris.jumlah_pelanggaran == 0


# --- a small group: the curve as advice ----------------------------------------------------------------


@pytest.fixture
def subum_baik(p):  # type: ignore[no-untyped-def]
    """The four pegawai the Kepala Subbagian Umum rates, all Baik for TW I, under capaian Baik (which
    asks for at most 70 % Baik and at least one Butuh Perbaikan or Kurang)."""
    ksubum = p.ksubum.user
    skp = skp_of(p.ksubum)
    anggota = sorted({s.pegawai for s in selectors.kelompok(skp.pegawai, tw(skp, 1)).belum_dibuka}, key=str)
    assert len(anggota) == 4
    for peg in anggota:
        services.set_rating(nilai_semua(buka(peg), ksubum, S, S), ksubum)
    subum = p.subum
    tetapkan_capaian(subum, skp, 1, "baik")
    return skp, subum


def test_a_small_group_gets_advice_never_a_block_and_the_finalisation_records_why(p, subum_baik, instansi):
    skp, subum = subum_baik
    instansi.distribusi_mode = "blokir"  # even blocking mode does not block advice
    instansi.save()
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert kel.cek is not None and kel.cek.sebab is Sebab.KELOMPOK_KECIL and not kel.cek.violations
    assert {f.kind.value for f in kel.cek.saran} == {"max", "harus_ada"}
    html = b.klien(p.ksubum.user).get(reverse("penilaian:kelompok"), {"periode": "1"}).content.decode()
    assert "Saran pola distribusi (tidak mengikat)" in html and "kurang dari 5 pegawai" in html
    fin = services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), p.ksubum.user)
    assert fin.sebab_tidak_diterapkan == Sebab.KELOMPOK_KECIL.value and fin.minimal_kelompok == 5
    assert "4 pegawai, kurang dari 5 pegawai" in fin.alasan_tidak_diterapkan
    assert (
        Evaluasi.objects.filter(penilai=skp.pegawai, periode_penilaian=tw(skp, 1), status="final").count()
        == 4
    )
    # The group page, the penetapan (content, PDF template, xlsx) and the rekap say so.
    html = b.klien(p.ksubum.user).get(reverse("penilaian:kelompok"), {"periode": "1"}).content.decode()
    assert "Dicatat saat finalisasi: pola distribusi tidak dapat diterapkan." in html
    penetapan = dok_evaluasi.fill_penetapan(selectors.kelompok(skp.pegawai, tw(skp, 1)))
    assert penetapan.final and penetapan.isi.data["pola_tidak_diterapkan"] == fin.alasan_tidak_diterapkan
    ws = load_workbook(io.BytesIO(penetapan_xlsx(penetapan.isi.data, True, "https://x/v", "abc"))).active
    teks = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "Status pola distribusi: tidak dapat diterapkan (dicatat saat finalisasi)" in teks
    assert fin.alasan_tidak_diterapkan in teks
    pilihan = selectors_rekap.select_periode(instansi, str(skp.periode.tahun), "1")
    data = selectors_rekap.rekap(admin(instansi), instansi, pilihan)
    (baris,) = [b for b in data.baris if b.unit == subum]
    assert baris.angka.kelompok_final == 1 and baris.angka.tidak_diterapkan[Sebab.KELOMPOK_KECIL] == 1
    assert data.total.jumlah_tidak_diterapkan == 1
    html = b.klien(admin(instansi)).get(reverse("tindak_lanjut:rekap"), {"periode": "1"}).content.decode()
    assert "pola distribusi <strong>tidak dapat diterapkan</strong> pada 1 kelompok" in html


def test_the_penetapan_pdf_names_the_status(p, subum_baik):
    skp, _ = subum_baik
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), p.ksubum.user)
    from django.template.loader import render_to_string

    from kinerja.dokumen.evaluasi.konteks import konteks_penetapan

    penetapan = dok_evaluasi.fill_penetapan(selectors.kelompok(skp.pegawai, tw(skp, 1)))
    ctx = konteks_penetapan(penetapan.isi, None, "https://x/v", "Sukamaju", "penetapan")
    assert ctx["grafik"] is not None and not ctx["grafik"].applicable  # the curve drawn, not judged
    html = render_to_string("dokumen/evaluasi/penetapan.html", ctx)
    assert "Status pola distribusi: tidak dapat diterapkan (dicatat saat finalisasi)." in html


def test_the_minimum_is_an_instansi_setting(p, subum_baik, instansi):
    skp, _ = subum_baik
    org_services.update_pengaturan_instansi(instansi, admin(instansi), minimal_kelompok_distribusi=1)
    assert instansi.history.first().minimal_kelompok_distribusi == 1  # in the page's history
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert kel.cek is not None and kel.cek.applicable and len(kel.cek.violations) == 2
    with pytest.raises(ValidationError, match="tuliskan alasan"):
        services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), p.ksubum.user)
    with pytest.raises(ValidationError) as exc:
        org_services.update_pengaturan_instansi(instansi, admin(instansi), minimal_kelompok_distribusi=0)
    assert "minimal_kelompok_distribusi" in exc.value.message_dict


def test_the_settings_page_offers_the_minimum(instansi):
    html = b.klien(admin(instansi)).get(reverse("organisasi:pengaturan")).content.decode()
    assert 'name="minimal_kelompok_distribusi"' in html and "Bawaan: 5 pegawai" in html


# --- one word for one state ----------------------------------------------------------------------------


def test_a_fully_rated_draft_is_named_draf_not_belum_dinilai(p):
    kabid = p.kabid.user
    skp = skp_of(p.fungsional)
    tw4 = tw(skp, 4)  # running: ratings are drafts until it ends
    isi_realisasi(skp, tw4)
    nilai_semua(services.open_evaluasi(skp, tw4, kabid), kabid, S, S)
    html = b.klien(kabid).get(reverse("penilaian:kelompok"), {"periode": "4"}).content.decode()
    assert "Belum dinilai: Ika" not in html
    assert "Draf — ditetapkan setelah periode berakhir: Ika Puspitasari" in html
    assert "baru dapat ditetapkan setelah periodenya berakhir" in html
    daftar = b.klien(kabid).get(reverse("penilaian:index"), {"periode": "4"}).content.decode()
    assert '>Draf</span><div class="small text-muted">ditetapkan setelah periode berakhir</div>' in daftar


def test_the_list_says_lengkap_only_when_every_indikator_is_filled_as_the_board(p):
    kabid = p.kabid.user
    skp = skp_of(p.fungsional)
    pp = tw(skp, 1)
    isi_realisasi(skp, pp)
    url = reverse("penilaian:index")
    assert "lengkap</span>" in b.klien(kabid).get(url, {"periode": "1"}).content.decode()
    rhk = Rhk.objects.filter(skp=skp).annotate(n=Count("indikator")).filter(n__gte=2).first()
    assert rhk is not None
    Realisasi.objects.filter(
        indikator=Indikator.objects.filter(rhk=rhk).first(), periode_penilaian=pp
    ).delete()
    html = b.klien(kabid).get(url, {"periode": "1"}).content.decode()
    jumlah = Indikator.objects.filter(rhk__skp=skp).count()
    assert (
        f'siap dinilai</span> <span class="text-muted">· {jumlah - 1} dari {jumlah} indikator terisi' in html
    )


def test_bulk_checks_a_final_group_with_what_it_was_finalised_with(p, subum_baik, instansi):
    """A setting changed after finalisation does not re-judge a final group: the bulk path reads the
    recorded minimum (and rules version) as the group page does (docs/rules.md §3.7, §3.8)."""
    skp, subum = subum_baik
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), p.ksubum.user)
    org_services.update_pengaturan_instansi(instansi, admin(instansi), minimal_kelompok_distribusi=1)
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert kel.cek is not None and kel.cek.sebab is Sebab.KELOMPOK_KECIL  # as recorded: advice
    massal = services_massal.evaluasi_massal(tw(skp, 1))
    (grup,) = [k for k in massal.kelompok if k.penilai_id == skp.pegawai_id and k.unit_id == subum.pk]
    assert grup.cek is not None and grup.cek.sebab is Sebab.KELOMPOK_KECIL
    assert grup not in massal.kelompok_melanggar


def test_the_rekap_no_longer_counts_a_reopened_group_as_final(p, subum_baik, instansi):
    """Reopening one member makes the group not final again (its page says so); the rekap counts it again
    only when it is finalised anew (docs/rules.md §20.3)."""
    skp, subum = subum_baik
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), p.ksubum.user)
    ev = Evaluasi.objects.filter(penilai=skp.pegawai, periode_penilaian=tw(skp, 1)).first()
    services.reopen(ev, admin(instansi), "Salah ketik rating")
    assert not selectors.kelompok(skp.pegawai, tw(skp, 1)).semua_final
    pilihan = selectors_rekap.select_periode(instansi, str(skp.periode.tahun), "1")
    (baris,) = [r for r in selectors_rekap.rekap(admin(instansi), instansi, pilihan).baris if r.unit == subum]
    assert baris.angka.kelompok_final == 0 and baris.angka.jumlah_tidak_diterapkan == 0


def test_in_unit_mode_the_head_of_the_instansi_and_the_top_unit_group_keep_their_own_finalisation(
    p, instansi
):
    """Kelompok per unit: the group without a penilai (the Kepala Badan) and the group of everyone rated in
    the top unit are two groups; each page reads its own finalisation and the rekap counts both (§3.8)."""
    instansi.kelompok_distribusi = "unit"
    instansi.save()
    skp = skp_of(p.kepala)
    top = p.tim.unit
    tetapkan_capaian(top, skp, 1, "baik")
    services.set_rating(nilai_semua(buka(p.kepala), admin(instansi), S, S), admin(instansi))
    sendiri = services_kelompok.finalise_kelompok(None, skp.periode, tw(skp, 1), admin(instansi))
    kepala = p.kepala.user
    for unit in UnitKerja.objects.filter(parent=top):
        tetapkan_capaian(unit, skp, 1, "baik")
    for peg in Pegawai.objects.filter(skp__penilai=p.kepala, skp__status="disetujui"):
        services.set_rating(nilai_semua(buka(peg), kepala, S, S), kepala)
    unit_atas = services_kelompok.finalise_kelompok(
        kepala.pegawai, skp.periode, tw(skp, 1), kepala, alasan="uji"
    )
    kel_kepala = selectors.kelompok(None, tw(skp, 1), periode=skp.periode)
    assert kel_kepala.finalisasi is not None and kel_kepala.finalisasi.pk == sendiri.pk
    assert kel_kepala.finalisasi.sebab_tidak_diterapkan == Sebab.HANYA_PIMPINAN.value
    kel = selectors.kelompok(kepala.pegawai, tw(skp, 1))
    assert kel.finalisasi is not None and kel.finalisasi.pk == unit_atas.pk
    pilihan = selectors_rekap.select_periode(instansi, str(skp.periode.tahun), "1")
    (baris,) = [r for r in selectors_rekap.rekap(admin(instansi), instansi, pilihan).baris if r.unit == top]
    assert baris.angka.kelompok_final == 2
