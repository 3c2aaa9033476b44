"""Keberatan in a real browser (docs/rules.md §18): the kabid's group is rated and finalised today through the
services (TW I, the instansi allowing keberatan on a periodic predikat); the pegawai files a keberatan with
an attachment from her evaluation page, the penilai explains, the atasan penilai grants it with new ratings
(the predikat preview follows the kuadran), and the pegawai downloads the revised document; the old
document's verification page says it was superseded."""

from django.urls import reverse
from playwright.sync_api import expect

from kinerja.organisasi.models import Instansi, PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.tindak_lanjut.models import Keberatan
from tests.conftest import perpanjang_batas_evaluasi

KABID = "197904182005012005"  # Ratna Sari Dewi: penilai
KEPALA = "197205141998031003"  # atasan penilai: decides
IKA = "198506282010012004"  # the pegawai


def _final_hari_ini() -> Evaluasi:
    """Every bawahan of the kabid rated Sesuai for TW I and the group finalised (final_pada = now)."""
    kabid = User.objects.get(username=KABID)
    bawahan = list(Skp.objects.filter(penilai__nip=KABID, status="disetujui").select_related("periode"))
    tw1 = PeriodePenilaian.objects.get(periode=bawahan[0].periode, nomor=1)
    instansi = tw1.periode.instansi
    perpanjang_batas_evaluasi(instansi)  # TW I's real deadline has passed: the admin moved it
    Instansi.objects.filter(pk=instansi.pk).update(keberatan_periodik=True)
    for skp in bawahan:
        for ind in Indikator.objects.filter(rhk__skp=skp):
            Realisasi.objects.create(
                indikator=ind,
                periode_penilaian=tw1,
                nilai_angka=ind.target_angka,
                nilai_teks="" if ind.target_angka is not None else "Tercapai",
            )
        ev = services.open_evaluasi(skp, tw1, kabid)
        for row in ev.rating_rhk.all():
            ev = services.rate_rhk(ev, row.rhk, "sesuai", "", kabid)
        for nilai in BERAKHLAK:
            ev = services.rate_perilaku(ev, nilai.kode, "sesuai", "", kabid)
        services.set_rating(ev, kabid)
    unit = bawahan[0].penilai_jabatan.unit
    services.set_capaian_organisasi(
        unit, tw1.periode, tw1, "istimewa", "Target bidang terlampaui.", User.objects.get(username=KEPALA)
    )
    services_kelompok.finalise_kelompok(kabid.pegawai, tw1.periode, tw1, kabid)
    ev = Evaluasi.objects.get(pegawai__nip=IKA, periode_penilaian=tw1)
    assert ev.is_final and ev.predikat == "baik"
    return ev


def test_pegawai_files_penilai_explains_atasan_grants_pegawai_downloads_revision(page, login, keluar, seeded):
    ev = _final_hari_ini()
    nama = ev.pegawai.nama_lengkap

    # The pegawai files from her evaluation page, with an attachment.
    login(IKA)
    page.goto(reverse("penilaian:evaluasi", args=[ev.pk]))
    expect(page.locator("#batas-keberatan")).to_contain_text("sampai")
    page.get_by_role("link", name="Ajukan keberatan").click()
    page.get_by_label("Alasan keberatan").fill("Seluruh RHK saya melampaui target; mohon ditinjau kembali.")
    page.get_by_label("Lampiran (boleh lebih dari satu)").set_input_files(
        [{"name": "rekap-capaian.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator("#status-keberatan")).to_have_text("Diajukan")
    expect(page.get_by_role("link", name="rekap-capaian.pdf")).to_be_visible()
    keluar()

    # The penilai explains (from "Perlu penjelasan").
    login(KABID)
    page.goto(reverse("tindak_lanjut:keberatan") + "?tab=penjelasan")
    page.get_by_role("link", name=nama).click()
    page.get_by_label("Penjelasan pejabat penilai").fill("Rating mengikuti pola distribusi kelompok.")
    page.get_by_role("button", name="Kirim penjelasan").click()
    expect(page.locator("#status-keberatan")).to_have_text("Dijelaskan pejabat penilai")
    keluar()

    # The atasan penilai grants it; the preview shows the kuadran's predikat before saving.
    login(KEPALA)
    page.goto(reverse("tindak_lanjut:keberatan") + "?tab=keputusan")
    page.get_by_role("link", name=nama).click()
    expect(page.locator("#penjelasan")).to_contain_text("pola distribusi kelompok")
    page.get_by_label("Dikabulkan — rating diubah").check()
    page.get_by_label("Rating hasil kerja").select_option("diatas")
    expect(page.locator("#pratinjau-predikat")).to_contain_text("Baik")
    page.get_by_label("Rating perilaku kerja").select_option("diatas")
    expect(page.locator("#pratinjau-predikat")).to_contain_text("Sangat Baik")
    expect(page.locator("body")).not_to_contain_text("Live predikat")  # no template comment, however often
    page.get_by_label("Pertimbangan keputusan").fill("Bukti capaian di atas target meyakinkan.")
    page.get_by_role("button", name="Simpan keputusan").click()
    # Not confirmed: nothing is decided; the page asks for the confirmation.
    expect(page.locator("#galat-konfirmasi")).to_contain_text("Centang pernyataan")
    page.get_by_label("Saya memahami bahwa keputusan atas keberatan bersifat final").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.locator("#status-keberatan")).to_have_text("Dikabulkan")
    expect(page.locator("#predikat-baru")).to_contain_text("Sangat Baik")
    keluar()

    # The pegawai downloads the revised document.
    login(IKA)
    page.goto(reverse("tindak_lanjut:keberatan"))
    page.get_by_role("link", name=nama).click()
    unduh = page.get_by_role("link", name="Unduh dokumen revisi 2 (PDF)")
    expect(unduh).to_be_visible()
    r = page.context.request.get(unduh.get_attribute("href"))
    assert r.status == 200 and r.body()[:4] == b"%PDF"
    k = Keberatan.objects.get(evaluasi=ev)
    assert k.dokumen_revisi.revisi == 2 and Evaluasi.objects.get(pk=ev.pk).predikat == "sangat_baik"

    # The old document's verification page (public) says it was superseded.
    page.goto(reverse("dokumen:verifikasi", args=[k.dokumen_awal.token]))
    expect(page.locator("#digantikan")).to_contain_text("Digantikan oleh revisi 2")
