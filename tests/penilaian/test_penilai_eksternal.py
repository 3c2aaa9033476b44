"""Penilai outside the instansi (docs/rules.md "Penilai di luar instansi"): the admin records who rates the
head of the instansi (the PPK or the Sekda), validated and audited; the admin enters the ratings on that
penilai's written decision (number and date required, scan optional); the evaluation, its documents and the
SIASN export name that penilai.

Cast (tests/builders.py): the kepala heads the top unit and has no penilai in the app; the admin rates him.
"""

from __future__ import annotations

import dataclasses
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinerja.penilaian import services
from kinerja.penilaian.eksternal import services as services_eksternal
from kinerja.penilaian.eksternal.selectors import penilai_eksternal_untuk
from kinerja.penilaian.models import Evaluasi, KeputusanPenilaiEksternal, PenilaiEksternal
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.tindak_lanjut.siasn.ekspor import rows as ekspor
from tests import builders as b
from tests.dokumen.conftest import pdf_text

pytestmark = pytest.mark.django_db

NIP_SEKDA = "196805121990031004"
NIK_BUPATI = "3201011204700003"
SEKDA = {
    "status": "ASN",
    "nama": "Drs. Bambang Sutrisno, M.Si.",
    "nomor_identitas": NIP_SEKDA,
    "jabatan": "Sekretaris Daerah Kota Sukamaju",
    "golongan": "IV/d",
    "instansi_penilai": "Pemerintah Kota Sukamaju",
}
BUPATI = {
    "status": "NON ASN",
    "nama": "H. Ahmad Fauzi",
    "nomor_identitas": NIK_BUPATI,
    "jabatan": "Wali Kota Sukamaju",
    "golongan": "",
    "instansi_penilai": "Pemerintah Kota Sukamaju",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _batas_evaluasi():  # type: ignore[no-untyped-def]
    """Small data: the cast's own deadlines are ahead of the moment it is rated."""


@dataclasses.dataclass
class Kasus:
    tim: b.Tim
    ev: Evaluasi
    sekarang: datetime.datetime


def _kepala_dibuka() -> Kasus:
    """The kepala's Triwulan I evaluation opened by the admin, the capaian of his unit set on the PPK's
    decision and every BerAKHLAK value rated: what remains is the decision on both ratings."""
    tim = b.atasan_dan_bawahan()
    skp = b.skp_disetujui(tim.kepala)
    pp = tim.pp(1)
    sekarang = b.saat_menilai(skp, pp)
    services.set_capaian_organisasi(
        tim.unit,
        tim.periode,
        pp,
        "baik",
        "",
        tim.admin,
        services.KeputusanPpk("Wali Kota Sukamaju", "800/1/2026", pp.selesai),
    )
    ev = b.evaluasi_dibuka(skp, pp)
    for n in BERAKHLAK:
        ev = services.rate_perilaku(ev, n.kode, "sesuai", "", tim.admin, sekarang=sekarang)
    return Kasus(tim, ev, sekarang)


@pytest.fixture
def kasus() -> Kasus:
    return _kepala_dibuka()


def _catat(k: Kasus, data: dict[str, str] | None = None, **ubah: str) -> PenilaiEksternal:
    return services_eksternal.record_penilai_eksternal(
        k.tim.kepala, k.tim.periode, None, {**(data or SEKDA), **ubah}, k.tim.admin
    )


def _nilai(k: Kasus, **kw):  # type: ignore[no-untyped-def]
    args = {"nomor": "800/15/SETDA/2026", "tanggal": datetime.date(2026, 4, 1), **kw}
    return services_eksternal.rate_on_keputusan_eksternal(k.ev, k.tim.admin, sekarang=k.sekarang, **args)


def test_the_admin_records_an_external_penilai_audited(kasus):
    pe = _catat(kasus)
    assert (pe.status, pe.nomor_identitas, pe.golongan) == ("ASN", NIP_SEKDA, "IV/d")
    assert pe.history.get().history_user == kasus.tim.admin
    # Recording again for the same year changes the row (one per pegawai and year), audited.
    pe = _catat(kasus, jabatan="Sekretaris Daerah")
    assert PenilaiEksternal.objects.count() == 1 and pe.history.count() == 2


@pytest.mark.parametrize(
    ("ubah", "field", "pesan"),
    [
        ({"nomor_identitas": "12345"}, "nomor_identitas", "NIP penilai eksternal (12345) tidak sah"),
        ({"status": "NON ASN", "nomor_identitas": NIP_SEKDA}, "nomor_identitas", "harus 16 digit"),
        ({"nama": "  "}, "nama", "Nama penilai eksternal wajib diisi"),
        ({"golongan": ""}, "golongan", "ASN wajib diisi"),
        ({"golongan": "IX/z"}, "golongan", "tidak dikenal"),
        ({"status": "PPPK"}, "status", "ASN atau NON ASN"),
    ],
)
def test_bad_identity_is_refused_naming_the_field(kasus, ubah, field, pesan):
    with pytest.raises(ValidationError) as exc:
        _catat(kasus, **ubah)
    assert pesan in " ".join(exc.value.message_dict[field])
    assert not PenilaiEksternal.objects.exists()


def test_a_non_asn_penilai_needs_a_nik_and_no_golongan(kasus):
    pe = _catat(kasus, BUPATI)
    assert (pe.status, pe.nomor_identitas, pe.golongan, pe.label_nomor) == ("NON ASN", NIK_BUPATI, "", "NIK")


def test_only_the_admin_of_the_instansi_records(kasus):
    lain = b.admin_instansi(b.InstansiFactory(), username="admin-lain")
    for oleh in (kasus.tim.atasan.user, lain):
        with pytest.raises(PermissionDenied):
            services_eksternal.record_penilai_eksternal(
                kasus.tim.kepala, kasus.tim.periode, None, SEKDA, oleh
            )


def test_a_periode_row_wins_over_the_year_row(kasus):
    _catat(kasus)
    pp = services_eksternal.record_penilai_eksternal(
        kasus.tim.kepala, kasus.tim.periode, kasus.tim.pp(1), BUPATI, kasus.tim.admin
    )
    assert penilai_eksternal_untuk(kasus.ev) == pp


def test_ratings_on_the_decision_name_the_external_penilai(kasus):
    pe = _catat(kasus)
    ev = _nilai(
        kasus, rating_perilaku="sesuai", berkas=io.BytesIO(PDF), nama_berkas="sk.pdf", ukuran_berkas=len(PDF)
    )
    assert ev.status == "dinilai" and ev.predikat and ev.penilai_eksternal == pe
    assert (ev.penilai_nama, ev.penilai_nip, ev.penilai_jabatan_nama, ev.penilai_unit) == (
        SEKDA["nama"],
        NIP_SEKDA,
        SEKDA["jabatan"],
        SEKDA["instansi_penilai"],
    )
    assert ev.penilai_pangkat.endswith("(IV/d)")
    kep = KeputusanPenilaiEksternal.objects.get()
    assert (kep.nomor, kep.penilai, kep.dicatat_oleh) == ("800/15/SETDA/2026", pe, kasus.tim.admin)
    assert kep.nama_asli == "sk.pdf" and kep.berkas.name and kep.rating_hasil == ev.rating_hasil
    # Audited: the evaluation's history row of the rating already names the external penilai.
    assert ev.history.first().penilai_eksternal_id == pe.pk
    # SIASN: the external penilai's identity and status.
    row = ekspor.baris(Evaluasi.objects.select_related("periode", "periode_penilaian", "skp").get(pk=ev.pk))
    assert (row["statusPenilai"], row["penilaiNipNrp"], row["penilaiGolongan"]) == ("ASN", NIP_SEKDA, "IV/d")
    assert (row["penilaiNama"], row["penilaiUnorNama"]) == (SEKDA["nama"], "Pemerintah Kota Sukamaju")


def test_a_non_asn_penilai_is_sent_as_non_asn(kasus):
    _catat(kasus, BUPATI)
    ev = _nilai(kasus)
    row = ekspor.baris(Evaluasi.objects.select_related("periode", "periode_penilaian", "skp").get(pk=ev.pk))
    assert (row["statusPenilai"], row["penilaiNipNrp"], row["penilaiGolongan"]) == ("NON ASN", NIK_BUPATI, "")


@pytest.mark.parametrize(
    ("kw", "field", "pesan"),
    [
        ({"nomor": " "}, "keputusan_nomor", "Nomor keputusan"),
        ({"tanggal": None}, "keputusan_tanggal", "Tanggal keputusan"),
        ({"tanggal": datetime.date(2026, 12, 1)}, "keputusan_tanggal", "tidak boleh setelah hari ini"),
        (
            {"berkas": io.BytesIO(b"MZ\x90\x00"), "nama_berkas": "sk.pdf", "ukuran_berkas": 4},
            "keputusan_berkas",
            "sk.pdf",
        ),
    ],
)
def test_a_decision_without_reference_date_or_a_good_scan_is_refused_nothing_saved(kasus, kw, field, pesan):
    _catat(kasus)
    versi = Evaluasi.objects.get(pk=kasus.ev.pk).versi
    with pytest.raises(ValidationError) as exc:
        _nilai(kasus, **kw)
    assert pesan in " ".join(exc.value.message_dict[field])
    ev = Evaluasi.objects.get(pk=kasus.ev.pk)
    assert ev.versi == versi and ev.penilai_eksternal_id is None and not ev.rating_hasil
    assert not KeputusanPenilaiEksternal.objects.exists()


def test_refused_without_an_external_penilai_recorded(kasus):
    with pytest.raises(ValidationError, match="catat dahulu di halaman Penilai eksternal"):
        _nilai(kasus)


def test_refused_for_an_evaluation_with_a_penilai_in_the_app(kasus):
    tim = kasus.tim
    b.skp_disetujui(tim.atasan)
    skp = b.skp_disetujui(tim.bawahan)
    ev = b.evaluasi_dibuka(skp, tim.pp(1))
    with pytest.raises(ValidationError, match="pejabat penilainya tidak ada di aplikasi"):
        services_eksternal.rate_on_keputusan_eksternal(
            ev, tim.admin, nomor="1", tanggal=datetime.date(2026, 4, 2), sekarang=kasus.sekarang
        )


def test_not_recorded_for_a_pegawai_rated_inside_the_app(kasus):
    """rules.md §15.1: an external penilai is only for a pegawai whose penilai Kinerja does not hold."""
    tim = kasus.tim
    with pytest.raises(ValidationError, match="dinilai oleh .* di Kinerja: penilai eksternal hanya") as e:
        services_eksternal.record_penilai_eksternal(tim.bawahan, tim.periode, None, SEKDA, tim.admin)
    assert "pegawai" in e.value.message_dict
    assert not PenilaiEksternal.objects.filter(pegawai=tim.bawahan).exists()


# --- pages ----------------------------------------------------------------------------------------------


def test_the_list_page_records_and_lists_for_the_admin_only(kasus):
    tim = kasus.tim
    url = "/penilaian/penilai-eksternal/"
    assert b.klien(tim.atasan.user).get(url).status_code == 403
    c = b.klien(tim.admin)
    r = c.post(url + f"?tahun={tim.periode.tahun}", {**SEKDA, "pegawai": tim.kepala.pk})
    assert r.status_code == 302
    halaman = c.get(url + f"?tahun={tim.periode.tahun}").content.decode()
    assert SEKDA["nama"] in halaman and "Sepanjang tahun" in halaman
    # Bad input: shown on the form, nothing saved.
    r = c.post(url, {**BUPATI, "nomor_identitas": "123", "pegawai": tim.atasan.pk})
    assert r.status_code == 422 and "harus 16 digit" in r.content.decode()
    assert PenilaiEksternal.objects.count() == 1


def test_the_evaluation_page_takes_the_decision_and_the_pegawai_sees_who_rated(kasus, monkeypatch):
    tim = kasus.tim
    _catat(kasus)
    c = b.klien(tim.admin)
    url = f"/penilaian/evaluasi/{kasus.ev.pk}/"
    # The page's clock: after the periode ended (rating opens), before its deadline.
    monkeypatch.setattr("django.utils.timezone.now", lambda: kasus.sekarang)
    halaman = c.get(url).content.decode()
    assert "form-keputusan-eksternal" in halaman and "Nomor keputusan penilai" in halaman
    r = c.post(url + "tetapkan-eksternal/", {"keputusan_nomor": "", "keputusan_tanggal": ""})
    assert r.status_code == 422 and "Nomor keputusan penilai eksternal wajib diisi" in r.content.decode()
    r = c.post(
        url + "tetapkan-eksternal/",
        {"keputusan_nomor": "800/15/SETDA/2026", "keputusan_tanggal": "2026-04-01", "rating_perilaku": ""},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    sendiri = b.klien(tim.kepala.user).get(url).content.decode()
    assert "Dinilai oleh penilai di luar instansi" in sendiri and "800/15/SETDA/2026" in sendiri
    assert SEKDA["nama"] in sendiri


def test_the_admin_downloads_the_scan_of_the_decision_others_may_not(kasus, monkeypatch):
    tim = kasus.tim
    _catat(kasus)
    _nilai(kasus, berkas=io.BytesIO(PDF), nama_berkas="sk-sekda.pdf", ukuran_berkas=len(PDF))
    kep = KeputusanPenilaiEksternal.objects.get()
    url = reverse("penilaian:keputusan_eksternal_berkas", args=[kep.pk])
    r = b.klien(tim.admin).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert 'attachment; filename="sk-sekda.pdf"' in r["Content-Disposition"]
    assert r["Cache-Control"] == "private, no-store" and r["X-Content-Type-Options"] == "nosniff"
    assert b.klien(tim.admin).get(url + "?lihat=1")["Content-Disposition"].startswith("inline")
    # The pegawai rated (who reads the decision's number on his page), another instansi's admin: refused.
    lain = b.admin_instansi(b.InstansiFactory(), username="admin-lain")
    for oleh in (tim.kepala.user, tim.atasan.user, lain):
        assert b.klien(oleh).get(url).status_code == 403
    assert (
        b.klien(tim.admin)
        .get(reverse("penilaian:keputusan_eksternal_berkas", args=[kep.pk + 99]))
        .status_code
        == 404
    )
    # The evaluation page links the scan for the admin only.
    monkeypatch.setattr("django.utils.timezone.now", lambda: kasus.sekarang)
    halaman = f"/penilaian/evaluasi/{kasus.ev.pk}/"
    assert f'href="{url}?lihat=1"' in b.klien(tim.admin).get(halaman).content.decode()
    sendiri = b.klien(tim.kepala.user).get(halaman).content.decode()
    assert "sk-sekda.pdf" in sendiri and url not in sendiri


def test_a_decision_without_a_scan_has_nothing_to_download(kasus):
    _catat(kasus)
    _nilai(kasus)
    kep = KeputusanPenilaiEksternal.objects.get()
    assert (
        b.klien(kasus.tim.admin)
        .get(reverse("penilaian:keputusan_eksternal_berkas", args=[kep.pk]))
        .status_code
        == 404
    )


# --- documents ------------------------------------------------------------------------------------------


def test_the_evaluation_document_prints_the_external_penilai(kasus):
    _catat(kasus, BUPATI)
    ev = _nilai(kasus)
    r = b.klien(kasus.tim.admin).get(reverse("dokumen:evaluasi_pdf", args=[ev.pk]))
    assert r.status_code == 200
    teks = " ".join(pdf_text(r.content).split())
    assert "H. Ahmad Fauzi" in teks and "Wali Kota Sukamaju" in teks
    # A NON ASN penilai is identified by NIK, in the identity block and under the signature.
    assert f"NIK {NIK_BUPATI}" in teks and f"NIK. {NIK_BUPATI}" in teks


def test_the_pegawai_posting_a_decision_on_his_own_evaluation_is_forbidden_nothing_saved(kasus, monkeypatch):
    """§15.1: only the admin kepegawaian enters the ratings on the decision. The head may read his own
    evaluation, but a forged POST (valid or not) is 403, not the page again with form errors."""
    tim = kasus.tim
    _catat(kasus)
    monkeypatch.setattr("django.utils.timezone.now", lambda: kasus.sekarang)
    url = f"/penilaian/evaluasi/{kasus.ev.pk}/tetapkan-eksternal/"
    c = b.klien(tim.kepala.user)
    for data in (
        {"keputusan_nomor": "", "keputusan_tanggal": ""},
        {"keputusan_nomor": "800/15/SETDA/2026", "keputusan_tanggal": "2026-04-01", "rating_perilaku": ""},
    ):
        assert c.post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services_eksternal.rate_on_keputusan_eksternal(
            kasus.ev, tim.kepala.user, nomor="1", tanggal=datetime.date(2026, 4, 1), sekarang=kasus.sekarang
        )
    ev = Evaluasi.objects.get(pk=kasus.ev.pk)
    assert ev.penilai_eksternal_id is None and not ev.rating_hasil
    assert not KeputusanPenilaiEksternal.objects.exists()


def test_a_decision_dated_after_today_is_refused_with_dates_in_the_long_form(kasus):
    """§22: dates inside a message read "1 Desember 2026", not "01-12-2026"."""
    _catat(kasus)
    with pytest.raises(ValidationError) as exc:
        _nilai(kasus, tanggal=datetime.date(2026, 12, 1))
    pesan = " ".join(exc.value.message_dict["keputusan_tanggal"])
    assert "(1 Desember 2026)" in pesan and "-12-2026" not in pesan


def test_the_pegawai_himself_is_refused_as_his_external_penilai(kasus):
    """§15.1 / §21.3: the penilai's NIP differs from the pegawai's; refused when recorded, not at the send."""
    kepala = kasus.tim.kepala
    kepala.nip = "196502152000031007"  # a valid NIP (the cast's is not one)
    kepala.save(update_fields=["nip"])
    with pytest.raises(ValidationError) as exc:
        _catat(kasus, nomor_identitas=kepala.nip)
    assert "sendiri" in " ".join(exc.value.message_dict["nomor_identitas"])
    assert not PenilaiEksternal.objects.exists()


def test_a_penilai_already_used_on_a_decision_cannot_be_changed_in_place(kasus):
    """§15.1: editing the year's row after a decision would make the decision, the final evaluation's page,
    its SIASN statusPenilai and its document name someone who did not decide. A new penilai is recorded
    for the next periode instead; an unchanged record again is still fine."""
    pe = _catat(kasus)
    _nilai(kasus)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        _catat(kasus, BUPATI)
    pe.refresh_from_db()
    assert (pe.status, pe.nama, pe.nomor_identitas) == ("ASN", SEKDA["nama"], NIP_SEKDA)
    assert pe.history.count() == 1
    _catat(kasus)  # the same data again: nothing changes, nothing refused
    tw2 = services_eksternal.record_penilai_eksternal(
        kasus.tim.kepala, kasus.tim.periode, kasus.tim.pp(2), BUPATI, kasus.tim.admin
    )
    assert tw2.pk != pe.pk and PenilaiEksternal.objects.count() == 2
    keputusan = KeputusanPenilaiEksternal.objects.get()
    assert keputusan.penilai.nama == SEKDA["nama"]
