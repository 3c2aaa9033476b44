"""The evaluation documents: Dokumen Evaluasi Kinerja Pegawai (periodic), Dokumen Predikat
Kinerja Pegawai (annual) and the penetapan predikat of a rating group (PDF + xlsx): content, DRAFT
watermark vs registration of final content, verification, permissions, flat query counts."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.common.tanggal import tanggal_panjang as tanggal_indonesia
from kinerja.dokumen.models import Dokumen
from kinerja.organisasi.models import Pegawai, User
from kinerja.penilaian import services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
from kinerja.perencanaan.models import Skp
from kinerja.rules.types import Rating
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi
from tests.dokumen.conftest import page_size_mm, pdf_text
from tests.penilaian.conftest import SETELAH_TAHUN, buka, kelompok_kabid, nilai_semua

pytestmark = pytest.mark.django_db

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH
IKA = "Ika Puspitasari, S.Psi., M.Psi."
NIP_IKA = "198506282099012004"
ALASAN_UBAH = "Inovasi layanan konseling daring melampaui target triwulan."


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    """The kabid (Ratna Sari Dewi) rates seven: Ika Puspitasari (fungsional, the tim's bawahan), Rahmat
    Hidayat and five more pelaksana; the kepala (Dr. Hendra Gunawan) rates the kabid; the Kepala Bidang
    Mutasi (kbmp) heads a sibling bidang and rates one (an approved SKP, no evaluation). The evaluation
    deadlines are ahead, and the kabid's group for Triwulan I is final (`kelompok_final`)."""

    rahmat: Pegawai
    kbmp: Pegawai

    @property
    def ika(self) -> Pegawai:
        return self.tim.bawahan

    def bawahan_kabid(self) -> list[Pegawai]:
        dinilai = Skp.objects.filter(penilai=self.kabid).values("pegawai")
        return list(Pegawai.objects.filter(pk__in=dinilai).order_by("pk"))


def nilai_kelompok_kabid(p: Pemeran, bawahan: list[Pegawai] | None = None, nomor: int = 1) -> list[Evaluasi]:
    """The kabid rates the bawahan (all Sesuai); Ika is rated Diatas over the suggestion, with a reason,
    and gets feedback on one RHK and one value."""
    kabid = p.kabid.user
    hasil = []
    for peg in p.bawahan_kabid() if bawahan is None else bawahan:
        ev = nilai_semua(buka(peg, nomor), kabid, S, S)
        if peg.pk == p.ika.pk:
            row = ev.rating_rhk.order_by("urutan").first()
            assert row is not None
            ev = services.rate_rhk(ev, row.rhk, S, "Laporan konseling tepat waktu.", kabid)
            ev = services.rate_perilaku(ev, "KO", S, "Aktif berbagi praktik baik konseling.", kabid)
            ev = services.set_rating(
                ev,
                kabid,
                rating_hasil=D,
                alasan_hasil=ALASAN_UBAH,
                catatan="Pertahankan kualitas layanan konseling.",
                rekomendasi="Diikutsertakan pelatihan konselor tingkat lanjut.",
            )
        else:
            ev = services.set_rating(ev, kabid)
        hasil.append(ev)
    return hasil


def tetapkan_capaian(p: Pemeran, ev: Evaluasi, nilai: str = "baik") -> None:
    """The kepala sets the capaian organisasi of the kabid's bidang for the evaluation's periode."""
    services.set_capaian_organisasi(
        p.tim.bidang, ev.periode, ev.periode_penilaian, nilai, "Capaian IKU triwulan", p.kepala.user
    )


def finalisasi(p: Pemeran, ev: Evaluasi) -> None:
    services_kelompok.finalise_kelompok(
        ev.penilai,
        ev.periode,
        ev.periode_penilaian,
        p.kabid.user,
        "Kalibrasi dengan atasan telah dilakukan.",
    )


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(
        jenis_bawahan="fungsional",
        kepala={"nama": "Hendra Gunawan", "gelar_depan": "Dr.", "gelar_belakang": "S.Sos., M.Si."},
        atasan={"nama": "Ratna Sari Dewi", "gelar_belakang": "S.Psi., M.Psi."},
        bawahan={
            "nama": "Ika Puspitasari",
            "gelar_belakang": "S.Psi., M.Psi.",
            "nip": NIP_IKA,
            "pangkat_golongan": "III/d",
        },
    )
    pelaksana = kelompok_kabid(tim)
    kbmp = b.kabid_lain(tim, "Bidang Mutasi", nama="Bambang Sutrisno")
    j_kbmp = kbmp.penempatan.get().jabatan
    bawahan_kbmp = b.pegawai_di(b.JabatanFactory(unit=j_kbmp.unit, parent=j_kbmp), nama="Dedi Kurniawan")
    b.skp_disetujui(kbmp)
    b.skp_disetujui(bawahan_kbmp)
    perpanjang_batas_evaluasi(tim.instansi)
    p = Pemeran(tim, pelaksana[1], kbmp)
    evs = nilai_kelompok_kabid(p)
    tetapkan_capaian(p, evs[0])
    finalisasi(p, evs[0])
    return p


_p, p = b.pemeran_modul(_bangun, "p")


@pytest.fixture
def kelompok_final(p: Pemeran) -> Evaluasi:
    """Ika's evaluation for Triwulan I: the kabid's group rated, capaian Baik set, finalised (with a
    violation and a reason)."""
    return Evaluasi.objects.get(pegawai=p.ika, periode_penilaian__nomor=1)


def url_evaluasi(ev: Evaluasi) -> str:
    return reverse("dokumen:evaluasi_pdf", args=[ev.pk])


def url_penetapan(ev: Evaluasi, name: str = "dokumen:penetapan_pdf") -> str:
    """The query of the group page: penilai (0: none), periode number or "akhir", tahun."""
    periode = ev.periode_penilaian.nomor if ev.periode_penilaian_id else "akhir"
    return f"{reverse(name)}?penilai={ev.penilai_id or 0}&periode={periode}&tahun={ev.periode.tahun}"


def _dokumen(jenis: str, objek_id: int) -> list[Dokumen]:
    return list(Dokumen.objects.filter(jenis=jenis, objek_id=objek_id).order_by("pk"))


# --- Dokumen Evaluasi Kinerja Pegawai (periodic) ------------------------------------------------------


def test_final_periodic_document_has_the_official_layout_and_is_registered(p, kelompok_final):
    ev = kelompok_final
    response = b.klien(p.ika.user).get(url_evaluasi(ev))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="Evaluasi-{NIP_IKA}-2026-P1.pdf"'
    assert page_size_mm(response.content) == (210, 297)
    text = pdf_text(response.content)
    for words in (
        "EVALUASI KINERJA PEGAWAI",
        "PERIODE: TRIWULAN I",
        "PERIODE PENILAIAN: 1 JANUARI 2026 S.D. 31 MARET 2026",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        IKA,
        "19850628 209901 2 004",
        "Penata Tingkat I (III/d)",
        "Ratna Sari Dewi, S.Psi., M.Psi.",  # the penilai
        "CAPAIAN KINERJA ORGANISASI BAIK",
        "Capaian IKU triwulan",
        "POLA DISTRIBUSI Kurva capaian kinerja organisasi Baik.",
        "RENCANA HASIL KERJA",
        "INDIKATOR KINERJA INDIVIDU",
        "REALISASI",
        "A. UTAMA",
        "Laporan konseling tepat waktu.",  # the penilai's note on an RHK
        "RATING HASIL KERJA DIATAS EKSPEKTASI",
        "PERILAKU KERJA",
        "Kolaboratif",
        "Aktif berbagi praktik baik konseling.",  # the feedback given on a value
        "RATING PERILAKU KERJA SESUAI EKSPEKTASI",
        "PREDIKAT KINERJA PEGAWAI BAIK",
        "Pegawai yang Dinilai,",
        "Pejabat Penilai Kinerja,",
        "Halaman 1 dari",
    ):
        assert words in text, words
    for row in ev.rating_rhk.select_related("rhk"):
        assert " ".join(row.rhk_teks.split()) in text
        for ind in row.rhk.indikator.all():
            assert " ".join(ind.teks.split()) in text
    assert "Rahmat Hidayat" not in text  # the group's chart names nobody on a pegawai's own document
    # The chart and the system's reasoning stay on the pages and in the penetapan (docs/rules.md §31).
    assert "7 pegawai" not in text and "pelanggaran" not in text and "Diubah dari saran" not in text
    assert "DRAFT" not in text and "belum final" not in text
    (dok,) = _dokumen("evaluasi_kinerja", ev.pk)
    assert (dok.status_sumber, dok.revisi, dok.tahun, dok.pegawai_nip) == ("final", 1, 2026, NIP_IKA)
    assert dok.disetujui_pada == ev.final_pada and len(dok.sha256) == 64
    assert f"/verifikasi/{dok.token}/" in text and dok.sha256[:12] in text
    kota = p.tim.instansi.kota
    assert f"{kota}, {tanggal_indonesia(ev.final_pada)} Pegawai yang Dinilai" in text  # the final date


def test_f4_paper(p, kelompok_final):
    response = b.klien(p.ika.user).get(url_evaluasi(kelompok_final) + "?kertas=f4")
    assert page_size_mm(response.content) == (215, 330)


def test_draft_prints_a_watermark_and_registers_nothing(p):
    ev = nilai_kelompok_kabid(p, [p.ika], nomor=2)[0]  # Triwulan I is final: its successor is not
    assert ev.status == "dinilai"
    response = b.klien(p.kabid.user).get(url_evaluasi(ev))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-P2-DRAFT.pdf"')
    text = pdf_text(response.content)
    assert "DRAFT" in text and "belum terdaftar dan belum dapat diverifikasi" in text
    assert "/verifikasi/" not in text
    assert "BELUM DITETAPKAN" in text  # no capaian organisasi yet: no curve either
    assert "Belum dapat ditentukan: capaian kinerja organisasi belum ditetapkan." in text
    assert not Dokumen.objects.exists()


def test_reprint_is_the_same_record_and_verification_follows_the_evaluation(p, kelompok_final):
    ev = kelompok_final
    b.klien(p.ika.user).get(url_evaluasi(ev))
    b.klien(p.kabid.user).get(url_evaluasi(ev) + "?kertas=f4")
    (dok,) = _dokumen("evaluasi_kinerja", ev.pk)
    page = Client().get(reverse("dokumen:verifikasi", args=[dok.token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dokumen ini sah" in html and "Dokumen Evaluasi Kinerja Pegawai" in html
    assert dok.sha256 in html and "Final pada" in html and "Ik* P**********" in html and IKA not in html
    assert IKA in b.klien(p.ika.user).get(reverse("dokumen:verifikasi", args=[dok.token])).content.decode()

    admin = p.tim.admin
    ev = services.reopen(ev, admin, "Keberatan pegawai dikabulkan sebagian.")
    html = Client().get(reverse("dokumen:verifikasi", args=[dok.token])).content.decode()
    assert "Dokumen ini sudah tidak berlaku" in html and "dibuka kembali" in html
    assert "Keberatan pegawai dikabulkan sebagian." not in html  # a remark about people: not public
    dibaca_admin = b.klien(admin).get(reverse("dokumen:verifikasi", args=[dok.token])).content.decode()
    assert "Alasan: Keberatan pegawai dikabulkan sebagian." in dibaca_admin
    assert "DRAFT" in pdf_text(b.klien(p.ika.user).get(url_evaluasi(ev)).content)
    assert len(_dokumen("evaluasi_kinerja", ev.pk)) == 1  # a reopened evaluation registers nothing

    kabid = p.kabid.user
    ev = services.set_rating(
        ev, kabid, rating_hasil=D, alasan_hasil=ALASAN_UBAH, rating_perilaku=D, alasan_perilaku="Teladan tim."
    )
    finalisasi(p, ev)
    text = pdf_text(b.klien(p.ika.user).get(url_evaluasi(ev)).content)
    assert "PREDIKAT KINERJA PEGAWAI SANGAT BAIK" in text
    lama, baru = _dokumen("evaluasi_kinerja", ev.pk)
    assert lama.pk == dok.pk and baru.revisi == 2 and baru.sha256 != dok.sha256
    assert (
        "Dokumen ini sah" in Client().get(reverse("dokumen:verifikasi", args=[baru.token])).content.decode()
    )
    assert "tidak berlaku" in Client().get(reverse("dokumen:verifikasi", args=[dok.token])).content.decode()


def test_head_of_unit_document_says_the_rating_follows_the_unit(p):
    kepala = p.kepala.user
    ev = nilai_semua(buka(p.kabid, 2), kepala, B, S)  # RHK ratings do not decide a head's rating hasil
    tetapkan_capaian(p, ev, "istimewa")
    ev = services.set_rating(Evaluasi.objects.get(pk=ev.pk), kepala)
    text = pdf_text(b.klien(p.kabid.user).get(url_evaluasi(ev)).content)
    assert "Ratna Sari Dewi, S.Psi., M.Psi." in text and "Dr. Hendra Gunawan, S.Sos., M.Si." in text
    assert "DIATAS EKSPEKTASI" in text  # the watermark letters of a draft interleave with table text
    assert (
        f"Pegawai memimpin unit kerja {p.tim.bidang.nama}: rating hasil kerja mengikuti "
        "capaian kinerja organisasi unit yang dipimpinnya (Istimewa)"
    ) in text
    assert "Diubah dari saran" not in text and "BAIK" in text
    assert "DRAFT" in text


# --- Dokumen Predikat Kinerja Pegawai (annual) --------------------------------------------------------


def test_annual_document_shows_the_year_and_the_periodic_results(p, kelompok_final):
    kabid = p.kabid.user
    for peg in p.bawahan_kabid():
        ev = buka(peg, None)
        if peg.pk != p.ika.pk:
            ev = nilai_semua(ev, kabid, S, S)
        services.set_rating(ev, kabid, sekarang=SETELAH_TAHUN)
    ika = Evaluasi.objects.get(pegawai=p.ika, jenis="tahunan")
    draft = pdf_text(b.klien(p.ika.user).get(url_evaluasi(ika)).content)
    assert "DRAFT" in draft and not Dokumen.objects.filter(jenis="predikat_kinerja").exists()
    services.set_capaian_organisasi(p.tim.bidang, ika.periode, None, "istimewa", "", p.kepala.user)
    finalisasi(p, ika)
    response = b.klien(p.ika.user).get(url_evaluasi(ika))
    assert response["Content-Disposition"] == f'inline; filename="Predikat-{NIP_IKA}-2026-Akhir.pdf"'
    text = pdf_text(response.content)
    for words in (
        "EVALUASI KINERJA PEGAWAI",
        "PERIODE: AKHIR",
        "PERIODE PENILAIAN: 1 JANUARI 2026 S.D. 31 DESEMBER 2026",
        "TARGET",
        "REALISASI BERDASARKAN BUKTI DUKUNG",
        "POLA DISTRIBUSI Kurva capaian kinerja organisasi Istimewa.",
        "PREDIKAT KINERJA PEGAWAI",
    ):
        assert words in text, words
    assert "DRAFT" not in text
    (dok,) = _dokumen("predikat_kinerja", ika.pk)
    html = Client().get(reverse("dokumen:verifikasi", args=[dok.token])).content.decode()
    assert "Dokumen ini sah" in html and "Dokumen Predikat Kinerja Pegawai" in html


# --- penetapan predikat of a group ---------------------------------------------------------------------


def test_penetapan_pdf_lists_the_group_and_is_signed_by_the_unit_head(p, kelompok_final):
    ev = kelompok_final
    bidang = p.tim.bidang
    response = b.klien(p.kabid.user).get(url_penetapan(ev))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'inline; filename="Penetapan-Predikat-{bidang.kode}-2026-P1.pdf"'
    )
    text = pdf_text(response.content)
    for words in (
        "PENETAPAN PREDIKAT KINERJA PEGAWAI",
        "PERIODE: TRIWULAN I",
        f"UNIT KERJA {bidang.nama}",
        "CAPAIAN KINERJA ORGANISASI BAIK",
        "RATING HASIL KERJA",
        "PREDIKAT KINERJA",
        f"{IKA} NIP. 19850628 209901 2 004",
        "(diubah dari saran)",
        "Capaian organisasi Baik · 7 pegawai · 2 pelanggaran",
        "Pelanggaran pola distribusi (2)",
        "Rahmat Hidayat",  # the unit head's document names the pegawai over the curve
        "Kalibrasi dengan atasan telah dilakukan.",
        "Ditetapkan oleh",
        f"Kepala {bidang.nama},",
        "Ratna Sari Dewi, S.Psi., M.Psi.",
    ):
        assert words in text, words
    assert "DRAFT" not in text
    for e in Evaluasi.objects.filter(periode_penilaian=ev.periode_penilaian, penilai=ev.penilai):
        assert e.pegawai_nama in text
    (dok,) = Dokumen.objects.filter(jenis="penetapan_predikat")
    fin = FinalisasiKelompok.objects.get(penilai=ev.penilai, periode_penilaian=ev.periode_penilaian)
    assert dok.objek_id == fin.pk and dok.disetujui_pada == fin.pada
    assert dok.unit_nama == bidang.nama and dok.status_sumber == "final"
    assert f"/verifikasi/{dok.token}/" in text
    html = Client().get(reverse("dokumen:verifikasi", args=[dok.token])).content.decode()
    assert "Dokumen ini sah" in html and "Pimpinan unit" in html and "Ra*** S*** D***" in html
    assert "Ratna Sari Dewi" not in html
    b.klien(p.kabid.user).get(url_penetapan(ev, "dokumen:penetapan_xlsx"))  # the xlsx reuses the record
    assert Dokumen.objects.filter(jenis="penetapan_predikat").count() == 1
    own = b.klien(p.kabid.user).get(f"{reverse('dokumen:penetapan_pdf')}?periode=1")  # the reader's own group
    assert own.status_code == 200 and own.content == response.content


def test_penetapan_xlsx_reads_back(p, kelompok_final):
    ev = kelompok_final
    response = b.klien(p.kepala.user).get(url_penetapan(ev, "dokumen:penetapan_xlsx"))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="Penetapan-Predikat-{p.tim.bidang.kode}-2026-P1.xlsx"'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "PENETAPAN PREDIKAT KINERJA PEGAWAI"
    assert rows[3][0] == "Capaian kinerja organisasi: Baik" and rows[4][0] == "Status: final"
    assert rows[6][:7] == [
        "No",
        "Nama",
        "NIP",
        "Jabatan",
        "Rating Hasil Kerja",
        "Rating Perilaku Kerja",
        "Predikat Kinerja",
    ]
    pegawai = {r[1]: r for r in rows[7:14]}
    assert len(pegawai) == 7 and all(r[6] == "Baik" for r in pegawai.values())
    assert pegawai[IKA][2:6] == [
        "19850628 209901 2 004",
        "Analis Uji",
        "Diatas Ekspektasi",
        "Sesuai Ekspektasi",
    ]
    assert pegawai[IKA][7] == "Rating hasil kerja diubah dari saran"
    counts = {r[1]: r[2] for r in rows if r[1] in {"Sangat Baik", "Baik", "Butuh Perbaikan", "Jumlah"}}
    assert counts == {"Sangat Baik": 0, "Baik": 7, "Butuh Perbaikan": 0, "Jumlah": 7}
    flat = [str(v) for r in rows for v in r if v is not None]
    assert any(v.startswith("Baik melebihi batas") and "Rahmat Hidayat" in v for v in flat)
    assert "Ratna Sari Dewi, S.Psi., M.Psi." in flat
    dok = Dokumen.objects.get(jenis="penetapan_predikat")
    assert f"SHA-256 isi: {dok.sha256}" in flat


def test_penetapan_of_a_group_not_yet_final_is_a_draft(p):
    (ev,) = nilai_kelompok_kabid(p, [p.ika], nomor=2)  # Triwulan I is final: its successor is not
    kabid = b.klien(p.kabid.user)
    text = pdf_text(kabid.get(url_penetapan(ev)).content)
    assert "DRAFT" in text and "Evaluasi belum dibuka" in text  # six bawahan still without one
    assert "JUMLAH PEGAWAI PER PREDIKAT" in text  # no capaian: the counts without the curve
    ws = load_workbook(io.BytesIO(kabid.get(url_penetapan(ev, "dokumen:penetapan_xlsx")).content)).active
    assert ws["A5"].value == "Status: DRAFT — belum final, belum terdaftar"
    assert not Dokumen.objects.exists()


def test_penetapan_of_the_top_group_and_annual_group_by_year(p):
    admin = p.tim.admin
    ev = nilai_semua(buka(p.kepala, None), admin, S, S)  # the head of the instansi: no penilai
    url = f"{reverse('dokumen:penetapan_pdf')}?penilai=0&periode=akhir&tahun=2026"
    text = pdf_text(b.klien(admin).get(url).content)
    assert "PERIODE: AKHIR TAHUN 2026" in text and ev.pegawai_nama in text
    assert b.klien(p.kepala.user).get(url).status_code == 200  # the head of the unit signs it
    assert b.klien(p.kabid.user).get(url).status_code == 403  # below the head: not hers to read


# --- permissions ----------------------------------------------------------------------------------------


def pembaca(p: Pemeran, peran: str) -> User:
    """The reader in each role towards Ika's evaluation and the kabid's group."""
    if peran == "admin":
        return p.tim.admin
    if peran == "admin_lain":
        return User.objects.get(username="admin-lain")
    pegawai = {
        "pegawai": p.ika,
        "penilai": p.kabid,
        "atasan": p.kepala,
        "rekan": p.rahmat,  # same group, not his evaluation
        "penilai_lain": p.kbmp,
    }[peran]
    return pegawai.user


@pytest.mark.parametrize(
    ("peran", "status"),
    [
        ("pegawai", 200),
        ("penilai", 200),
        ("atasan", 200),
        ("admin", 200),
        ("rekan", 403),
        ("penilai_lain", 403),
        ("admin_lain", 403),
    ],
)
def test_evaluation_document_permissions(p, kelompok_final, other_instansi, peran, status):
    assert b.klien(pembaca(p, peran)).get(url_evaluasi(kelompok_final)).status_code == status


@pytest.mark.parametrize(
    ("peran", "status"),
    [
        ("pegawai", 403),
        ("penilai", 200),
        ("atasan", 200),
        ("admin", 200),
        ("rekan", 403),
        ("penilai_lain", 403),
        ("admin_lain", 403),
    ],
)
def test_penetapan_permissions(p, kelompok_final, other_instansi, peran, status):
    client = b.klien(pembaca(p, peran))
    assert client.get(url_penetapan(kelompok_final)).status_code == status
    assert client.get(url_penetapan(kelompok_final, "dokumen:penetapan_xlsx")).status_code == status


def test_missing_and_anonymous(p, kelompok_final):
    ev = kelompok_final
    admin = b.klien(p.tim.admin)
    assert admin.get(reverse("dokumen:evaluasi_pdf", args=[999999])).status_code == 404
    base = reverse("dokumen:penetapan_pdf")
    assert admin.get(base).status_code == 404  # no periode
    assert admin.get(f"{base}?penilai={ev.penilai_id}&periode=9").status_code == 404
    assert admin.get(f"{base}?penilai=999999&periode=1").status_code == 404
    assert admin.get(f"{base}?penilai={ev.penilai_id}&periode=abc").status_code == 404
    assert admin.get(f"{base}?periode=1").status_code == 404  # the admin rates nobody: no own group
    assert admin.get(f"{base}?penilai={p.ika.pk}&periode=1").status_code == 404
    assert admin.get(f"{base}?penilai={ev.penilai_id}&periode=1&tahun=1999").status_code == 404
    # the kbmp rates nobody in Triwulan I with an evaluation, but has a bawahan
    assert admin.get(f"{base}?penilai={p.kbmp.pk}&periode=1").status_code == 200
    anonymous = Client().get(url_evaluasi(ev))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


# --- query counts ---------------------------------------------------------------------------------------


def _kelompok_berukuran(ev: Evaluasi, jumlah: int, penilai_lain: Pegawai) -> None:
    """Shrink the kabid's final Triwulan I group to `jumlah` members (moving the others to another penilai)
    or grow it with copies of Ika's final evaluation for new pegawai."""
    anggota = list(Evaluasi.objects.filter(penilai=ev.penilai, periode_penilaian=ev.periode_penilaian))
    if jumlah < len(anggota):
        pindah = [e for e in anggota if e.pk != ev.pk][: len(anggota) - jumlah]
        Skp.objects.filter(pk__in=[e.skp_id for e in pindah]).update(penilai=penilai_lain)
        Evaluasi.objects.filter(pk__in=[e.pk for e in pindah]).update(penilai=penilai_lain)
        return
    for i in range(jumlah - len(anggota)):
        peg = Pegawai.objects.create(
            instansi=ev.instansi, nip=f"19900101201501{i:04d}", nama=f"Pegawai Uji {i}"
        )
        skp = Skp.objects.get(pk=ev.skp_id)
        skp.pk, skp.pegawai, skp.pegawai_nama, skp.pegawai_nip = None, peg, peg.nama, peg.nip
        skp.save()
        salinan = Evaluasi.objects.get(pk=ev.pk)
        salinan.pk, salinan.pegawai, salinan.skp = None, peg, skp
        salinan.pegawai_nama, salinan.pegawai_nip = peg.nama, peg.nip
        salinan._status_tersimpan = None  # a new row, not a change of the final one
        salinan.save()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_stay_flat_with_the_group_size(p, kelompok_final):
    ev = kelompok_final
    kabid = b.klien(p.kabid.user)
    urls = [
        url_penetapan(ev),
        url_penetapan(ev, "dokumen:penetapan_xlsx"),
        url_evaluasi(ev),
        reverse("dokumen:evaluasi_ringkas_pdf", args=[ev.pk]),
    ]
    _kelompok_berukuran(ev, 3, p.kbmp)
    kabid.get(reverse("dashboard:home"))  # the user's cached facts (two-step policy, navigation) warm
    kecil = [_queries(kabid, url) for url in urls]
    text = pdf_text(kabid.get(urls[0]).content)
    assert "DRAFT" not in text and "3 pegawai berpredikat" in text
    _kelompok_berukuran(ev, 12, p.kbmp)
    besar = [_queries(kabid, url) for url in urls]
    text = pdf_text(kabid.get(urls[0]).content)
    assert "DRAFT" not in text and "12 pegawai berpredikat" in text and "Pegawai Uji 8" in text
    assert Dokumen.objects.filter(jenis="penetapan_predikat").count() == 2  # 3 and 12 members
    assert besar == kecil, (kecil, besar)
    assert max(besar) <= 40


def test_penetapan_of_a_unit_group(p):
    """Instansi setting "kelompok per unit": the group is named by its unit alone."""
    instansi = p.tim.instansi
    instansi.kelompok_distribusi = "unit"
    instansi.save()
    (ev,) = nilai_kelompok_kabid(p, [p.ika], nomor=2)  # Triwulan I is final: its successor is not
    url = f"{reverse('dokumen:penetapan_pdf')}?unit={ev.unit_kelompok_id}&periode=2"
    response = b.klien(p.kabid.user).get(url)  # the head of the unit
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Seluruh pegawai yang dinilai di unit kerja ini" in text and IKA in text
    assert b.klien(p.ika.user).get(url).status_code == 403
