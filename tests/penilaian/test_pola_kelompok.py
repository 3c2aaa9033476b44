"""Who is in a group's pola distribusi (docs/rules.md §3.8), what finalisation records when the curve
cannot be applied (§3.4, §15), where that shows (group page, penetapan PDF/xlsx, rekap), and one word for
one state of an evaluation (§15)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.dokumen.evaluasi import selectors as dok_evaluasi
from kinerja.dokumen.evaluasi.xlsx import penetapan_xlsx
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import UnitKerja, User
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
from tests.conftest import DEMO_TODAY
from tests.penilaian.conftest import (
    FUNGSIONAL,
    KABID,
    KEPALA,
    KSUBUM,
    isi_realisasi,
    nilai_semua,
    skp_of,
    tw,
    user_of,
)

pytestmark = pytest.mark.django_db

D, S = Rating.DIATAS, Rating.SESUAI


PPK = services.KeputusanPpk("Bupati Contoh", "800/7/KPTS/2026", DEMO_TODAY)


def klien(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def admin() -> User:
    return User.objects.get(username="admin")


def tetapkan_capaian(unit: UnitKerja, skp: Skp, nomor: int, nilai: str) -> None:
    """Set a unit's capaian organisasi as whoever sets it (the head above, or the admin for the top)."""
    pp = tw(skp, nomor)
    penetap = sk.penetap_capaian(
        list(UnitKerja.objects.filter(instansi=unit.instansi)),
        sk.pimpinan_semua_unit(unit.instansi, pp.selesai),
    )[unit.pk]
    if penetap.pegawai is not None and not penetap.admin:
        services.set_capaian_organisasi(unit, skp.periode, pp, nilai, "", user_of(penetap.pegawai.nip))
    else:  # the top unit: the admin, on the PPK's written decision (docs/rules.md §15)
        services.set_capaian_organisasi(unit, skp.periode, pp, nilai, "", admin(), PPK)


# --- the head of the instansi: alone in his group ------------------------------------------------------


@pytest.fixture
def kepala_sangat_baik(siap, demo_instansi):  # type: ignore[no-untyped-def]
    """The Kepala Badan (no penilai; rated by the admin) under capaian Istimewa: Sangat Baik for TW I."""
    skp = skp_of(KEPALA)
    top = UnitKerja.objects.get(instansi=demo_instansi, parent=None)
    tetapkan_capaian(top, skp, 1, "istimewa")
    ev = services.set_rating(nilai_semua(siap(KEPALA), admin(), D, D), admin())
    assert ev.predikat == Predikat.SANGAT_BAIK.value and ev.unit_dipimpin_id == top.pk
    return skp, top


def test_the_head_alone_in_his_group_has_no_curve_and_finalises_without_a_reason(kepala_sangat_baik):
    skp, top = kepala_sangat_baik
    kel = selectors.kelompok(None, tw(skp, 1), periode=skp.periode)
    assert kel.unit == top and [e.pegawai_nip for e in kel.pimpinan] == [KEPALA]
    assert kel.jumlah[Predikat.SANGAT_BAIK] == 0  # not counted in the curve of the unit he leads
    assert kel.cek is not None and kel.cek.sebab is Sebab.HANYA_PIMPINAN and not kel.pelanggaran_dengan_nama()
    fin = services_kelompok.finalise_kelompok(None, skp.periode, tw(skp, 1), admin())  # no reason asked
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
    (baris,) = [r for r in sk.kalibrasi(admin(), skp.periode.instansi, pilihan) if r.tanpa_penilai]
    assert baris.pimpinan == 1 and baris.cek is not None and baris.cek.sebab is Sebab.HANYA_PIMPINAN
    assert baris.jumlah_pelanggaran == 0


# --- a small group: the curve as advice ----------------------------------------------------------------


@pytest.fixture
def subum_baik(siap, demo_instansi):  # type: ignore[no-untyped-def]
    """The four pegawai the Kepala Subbagian Umum rates, all Baik for TW I, under capaian Baik (which
    asks for at most 70 % Baik and at least one Butuh Perbaikan or Kurang)."""
    ksubum = user_of(KSUBUM)
    skp = skp_of(KSUBUM)
    nips = sorted({s.pegawai.nip for s in selectors.kelompok(skp.pegawai, tw(skp, 1)).belum_dibuka})
    assert len(nips) == 4
    for nip in nips:
        services.set_rating(nilai_semua(siap(nip), ksubum, S, S), ksubum)
    subum = UnitKerja.objects.get(instansi=demo_instansi, kode="SUBUM")
    tetapkan_capaian(subum, skp, 1, "baik")
    return skp, subum


def test_a_small_group_gets_advice_never_a_block_and_the_finalisation_records_why(subum_baik, demo_instansi):
    skp, subum = subum_baik
    demo_instansi.distribusi_mode = "blokir"  # even blocking mode does not block advice
    demo_instansi.save()
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert kel.cek is not None and kel.cek.sebab is Sebab.KELOMPOK_KECIL and not kel.cek.violations
    assert {f.kind.value for f in kel.cek.saran} == {"max", "harus_ada"}
    html = klien(user_of(KSUBUM)).get(reverse("penilaian:kelompok"), {"periode": "1"}).content.decode()
    assert "Saran pola distribusi (tidak mengikat)" in html and "kurang dari 5 pegawai" in html
    fin = services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), user_of(KSUBUM))
    assert fin.sebab_tidak_diterapkan == Sebab.KELOMPOK_KECIL.value and fin.minimal_kelompok == 5
    assert "4 pegawai, kurang dari 5 pegawai" in fin.alasan_tidak_diterapkan
    assert (
        Evaluasi.objects.filter(penilai=skp.pegawai, periode_penilaian=tw(skp, 1), status="final").count()
        == 4
    )
    # The group page, the penetapan (content, PDF template, xlsx) and the rekap say so.
    html = klien(user_of(KSUBUM)).get(reverse("penilaian:kelompok"), {"periode": "1"}).content.decode()
    assert "Dicatat saat finalisasi: pola distribusi tidak dapat diterapkan." in html
    penetapan = dok_evaluasi.fill_penetapan(selectors.kelompok(skp.pegawai, tw(skp, 1)))
    assert penetapan.final and penetapan.isi.data["pola_tidak_diterapkan"] == fin.alasan_tidak_diterapkan
    ws = load_workbook(io.BytesIO(penetapan_xlsx(penetapan.isi.data, True, "https://x/v", "abc"))).active
    teks = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "Status pola distribusi: tidak dapat diterapkan (dicatat saat finalisasi)" in teks
    assert fin.alasan_tidak_diterapkan in teks
    pilihan = selectors_rekap.select_periode(demo_instansi, str(skp.periode.tahun), "1")
    data = selectors_rekap.rekap(admin(), demo_instansi, pilihan)
    (baris,) = [b for b in data.baris if b.unit == subum]
    assert baris.angka.kelompok_final == 1 and baris.angka.tidak_diterapkan[Sebab.KELOMPOK_KECIL] == 1
    assert data.total.jumlah_tidak_diterapkan == 1
    html = klien(admin()).get(reverse("tindak_lanjut:rekap"), {"periode": "1"}).content.decode()
    assert "pola distribusi <strong>tidak dapat diterapkan</strong> pada 1 kelompok" in html


def test_the_penetapan_pdf_names_the_status(subum_baik):
    skp, _ = subum_baik
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), user_of(KSUBUM))
    from django.template.loader import render_to_string

    from kinerja.dokumen.evaluasi.konteks import konteks_penetapan

    penetapan = dok_evaluasi.fill_penetapan(selectors.kelompok(skp.pegawai, tw(skp, 1)))
    ctx = konteks_penetapan(penetapan.isi, None, "https://x/v", "Sukamaju", "penetapan")
    assert ctx["grafik"] is not None and not ctx["grafik"].applicable  # the curve drawn, not judged
    html = render_to_string("dokumen/evaluasi/penetapan.html", ctx)
    assert "Status pola distribusi: tidak dapat diterapkan (dicatat saat finalisasi)." in html


def test_the_minimum_is_an_instansi_setting(subum_baik, demo_instansi):
    skp, _ = subum_baik
    org_services.update_pengaturan_instansi(demo_instansi, admin(), minimal_kelompok_distribusi=1)
    assert demo_instansi.history.first().minimal_kelompok_distribusi == 1  # in the page's history
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert kel.cek is not None and kel.cek.applicable and len(kel.cek.violations) == 2
    with pytest.raises(ValidationError, match="tuliskan alasan"):
        services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), user_of(KSUBUM))
    with pytest.raises(ValidationError) as exc:
        org_services.update_pengaturan_instansi(demo_instansi, admin(), minimal_kelompok_distribusi=0)
    assert "minimal_kelompok_distribusi" in exc.value.message_dict


def test_the_settings_page_offers_the_minimum(client_for, demo_instansi):
    html = client_for("admin").get(reverse("organisasi:pengaturan")).content.decode()
    assert 'name="minimal_kelompok_distribusi"' in html and "Bawaan: 5 pegawai" in html


# --- one word for one state ----------------------------------------------------------------------------


def test_a_fully_rated_draft_is_named_draf_not_belum_dinilai(demo_instansi):
    kabid = user_of(KABID)
    skp = skp_of(FUNGSIONAL)
    tw4 = tw(skp, 4)  # running: ratings are drafts until it ends
    isi_realisasi(skp, tw4)
    nilai_semua(services.open_evaluasi(skp, tw4, kabid), kabid, S, S)
    html = klien(kabid).get(reverse("penilaian:kelompok"), {"periode": "4"}).content.decode()
    assert "Belum dinilai: Ika" not in html
    assert "Draf — ditetapkan setelah periode berakhir: Ika Puspitasari" in html
    assert "baru dapat ditetapkan setelah periodenya berakhir" in html
    daftar = klien(kabid).get(reverse("penilaian:index"), {"periode": "4"}).content.decode()
    assert '>Draf</span><div class="small text-muted">ditetapkan setelah periode berakhir</div>' in daftar


def test_the_list_says_lengkap_only_when_every_indikator_is_filled_as_the_board(demo_instansi):
    kabid = user_of(KABID)
    skp = skp_of(FUNGSIONAL)
    pp = tw(skp, 1)
    isi_realisasi(skp, pp)
    url = reverse("penilaian:index")
    assert "lengkap</span>" in klien(kabid).get(url, {"periode": "1"}).content.decode()
    rhk = Rhk.objects.filter(skp=skp).annotate(n=Count("indikator")).filter(n__gte=2).first()
    assert rhk is not None
    Realisasi.objects.filter(
        indikator=Indikator.objects.filter(rhk=rhk).first(), periode_penilaian=pp
    ).delete()
    html = klien(kabid).get(url, {"periode": "1"}).content.decode()
    jumlah = Indikator.objects.filter(rhk__skp=skp).count()
    assert (
        f'siap dinilai</span> <span class="text-muted">· {jumlah - 1} dari {jumlah} indikator terisi' in html
    )


def test_bulk_checks_a_final_group_with_what_it_was_finalised_with(subum_baik, demo_instansi):
    """A setting changed after finalisation does not re-judge a final group: the bulk path reads the
    recorded minimum (and rules version) as the group page does (docs/rules.md §3.7, §3.8)."""
    skp, subum = subum_baik
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), user_of(KSUBUM))
    org_services.update_pengaturan_instansi(demo_instansi, admin(), minimal_kelompok_distribusi=1)
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert kel.cek is not None and kel.cek.sebab is Sebab.KELOMPOK_KECIL  # as recorded: advice
    massal = services_massal.evaluasi_massal(tw(skp, 1))
    (grup,) = [k for k in massal.kelompok if k.penilai_id == skp.pegawai_id and k.unit_id == subum.pk]
    assert grup.cek is not None and grup.cek.sebab is Sebab.KELOMPOK_KECIL
    assert grup not in massal.kelompok_melanggar


def test_the_rekap_no_longer_counts_a_reopened_group_as_final(subum_baik, demo_instansi):
    """Reopening one member makes the group not final again (its page says so); the rekap counts it again
    only when it is finalised anew (docs/rules.md §20.3)."""
    skp, subum = subum_baik
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), user_of(KSUBUM))
    ev = Evaluasi.objects.filter(penilai=skp.pegawai, periode_penilaian=tw(skp, 1)).first()
    services.reopen(ev, admin(), "Salah ketik rating")
    assert not selectors.kelompok(skp.pegawai, tw(skp, 1)).semua_final
    pilihan = selectors_rekap.select_periode(demo_instansi, str(skp.periode.tahun), "1")
    (baris,) = [b for b in selectors_rekap.rekap(admin(), demo_instansi, pilihan).baris if b.unit == subum]
    assert baris.angka.kelompok_final == 0 and baris.angka.jumlah_tidak_diterapkan == 0


def test_in_unit_mode_the_head_of_the_instansi_and_the_top_unit_group_keep_their_own_finalisation(
    siap, demo_instansi
):
    """Kelompok per unit: the group without a penilai (the Kepala Badan) and the group of everyone rated in
    the top unit are two groups; each page reads its own finalisation and the rekap counts both (§3.8)."""
    demo_instansi.kelompok_distribusi = "unit"
    demo_instansi.save()
    skp = skp_of(KEPALA)
    top = UnitKerja.objects.get(instansi=demo_instansi, parent=None)
    tetapkan_capaian(top, skp, 1, "baik")
    services.set_rating(nilai_semua(siap(KEPALA), admin(), S, S), admin())
    sendiri = services_kelompok.finalise_kelompok(None, skp.periode, tw(skp, 1), admin())
    kepala = user_of(KEPALA)
    for unit in UnitKerja.objects.filter(parent=top):
        tetapkan_capaian(unit, skp, 1, "baik")
    for nip in Skp.objects.filter(penilai__nip=KEPALA, status="disetujui").values_list(
        "pegawai__nip", flat=True
    ):
        services.set_rating(nilai_semua(siap(nip), kepala, S, S), kepala)
    unit_atas = services_kelompok.finalise_kelompok(
        kepala.pegawai, skp.periode, tw(skp, 1), kepala, alasan="uji"
    )
    kel_kepala = selectors.kelompok(None, tw(skp, 1), periode=skp.periode)
    assert kel_kepala.finalisasi is not None and kel_kepala.finalisasi.pk == sendiri.pk
    assert kel_kepala.finalisasi.sebab_tidak_diterapkan == Sebab.HANYA_PIMPINAN.value
    kel = selectors.kelompok(kepala.pegawai, tw(skp, 1))
    assert kel.finalisasi is not None and kel.finalisasi.pk == unit_atas.pk
    pilihan = selectors_rekap.select_periode(demo_instansi, str(skp.periode.tahun), "1")
    (baris,) = [b for b in selectors_rekap.rekap(admin(), demo_instansi, pilihan).baris if b.unit == top]
    assert baris.angka.kelompok_final == 2
