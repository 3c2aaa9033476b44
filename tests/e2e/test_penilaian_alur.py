"""Evaluation in a real browser: the kabid rates three bawahan through the page (every RHK and BerAKHLAK
value, then accepts the suggestion), sees on the group page the curve and a violation of the pola
distribusi, changes one rating with a reason until the group fits the curve, finalises the group; the
pegawai then opens their evaluation and downloads the Dokumen Evaluasi Kinerja Pegawai (PDF)."""

from django.urls import reverse
from playwright.sync_api import expect

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.rules.perilaku import BERAKHLAK
from tests.conftest import perpanjang_batas_evaluasi

KABID = "197904182005012005"  # Ratna Sari Dewi, head of Bidang Penilaian Kinerja
KEPALA = "197205141998031003"  # sets the bidang's capaian organisasi


def _siapkan() -> list[Skp]:
    """TW I realisasi of the kabid's bawahan, capaian organisasi Baik, and every bawahan but three already
    rated Sesuai (predikat Baik) through the services; returns the three left for the browser."""
    kabid = User.objects.get(username=KABID)
    bawahan = list(
        Skp.objects.filter(penilai__nip=KABID, status="disetujui")
        .select_related("periode")
        .order_by("pegawai_nip")
    )
    assert len(bawahan) >= 5
    tw1 = PeriodePenilaian.objects.get(periode=bawahan[0].periode, nomor=1)
    perpanjang_batas_evaluasi(tw1.periode.instansi)  # TW I's real deadline has passed: the admin moved it
    for skp in bawahan:
        for ind in Indikator.objects.filter(rhk__skp=skp):
            Realisasi.objects.create(
                indikator=ind,
                periode_penilaian=tw1,
                nilai_angka=ind.target_angka,
                nilai_teks="" if ind.target_angka is not None else "Tercapai",
            )
    unit = bawahan[0].penilai_jabatan.unit
    services.set_capaian_organisasi(
        unit, tw1.periode, tw1, "baik", "Target bidang tercapai.", User.objects.get(username=KEPALA)
    )
    for skp in bawahan[3:]:
        ev = services.open_evaluasi(skp, tw1, kabid)
        for row in ev.rating_rhk.all():
            ev = services.rate_rhk(ev, row.rhk, "sesuai", "", kabid)
        for nilai in BERAKHLAK:
            ev = services.rate_perilaku(ev, nilai.kode, "sesuai", "", kabid)
        services.set_rating(ev, kabid)
    return bawahan[:3]


def _nilai_di_halaman(page, skp: Skp) -> None:  # type: ignore[no-untyped-def]
    """Open the pegawai's evaluation from the list, rate every RHK and value Diatas, accept the suggestion."""
    page.goto(reverse("penilaian:index") + "?periode=1")
    page.get_by_role("button", name=f"Buka evaluasi {skp.pegawai_nama}").click()
    expect(page.get_by_role("heading", name=f"Evaluasi kinerja {skp.pegawai_nama}")).to_be_visible()
    for bagian in ("rhk", "perilaku"):
        forms = page.locator(f"form[action*='/{bagian}/']:has(select[name=rating])")
        for i in range(forms.count()):
            form = forms.nth(i)
            form.locator("select[name=rating]").select_option("diatas")
            form.get_by_role("button", name="Simpan rating").click()
            expect(forms.nth(i).get_by_text("Tersimpan")).to_be_visible()
    page.get_by_role("button", name="Tetapkan rating").click()
    expect(page.locator("#ev-ringkasan")).to_contain_text("Sangat Baik")


def test_penilai_rates_sees_curve_fixes_violation_finalises_pegawai_downloads(page, login, keluar, seeded):
    tiga = _siapkan()

    login(KABID)
    for skp in tiga:
        _nilai_di_halaman(page, skp)

    # The group page: three Sangat Baik, the rest Baik, and nobody in Butuh Perbaikan/Kurang although the
    # curve for capaian Baik requires one → a violation, and finalising needs a reason.
    page.goto(reverse("penilaian:kelompok") + "?periode=1")
    grafik = page.locator(".grafik-distribusi").first
    expect(grafik).to_contain_text("Sangat Baik")
    expect(page.get_by_text("Pegawai di luar kurva (1 pelanggaran)")).to_be_visible()
    expect(page.get_by_label("Alasan finalisasi dengan 1 pelanggaran pola distribusi")).to_be_visible()

    # The kabid changes one rating with a written reason: that pegawai becomes Butuh Perbaikan.
    diubah = tiga[0]
    ev = Evaluasi.objects.get(skp=diubah, periode_penilaian__nomor=1)
    page.goto(reverse("penilaian:evaluasi", args=[ev.pk]))
    page.get_by_label("Rating hasil kerja", exact=True).select_option("dibawah")
    page.locator("textarea[name=alasan_hasil]").fill(
        "Dua laporan utama triwulan terlambat lebih dari dua minggu."
    )
    page.get_by_role("button", name="Tetapkan rating").click()
    expect(page.locator("#ev-ringkasan")).to_contain_text("Butuh Perbaikan")
    expect(page.get_by_text("diubah dari saran").first).to_be_visible()

    # Now the group fits its curve and is finalised without a reason.
    page.goto(reverse("penilaian:kelompok") + "?periode=1")
    expect(page.get_by_text("Distribusi predikat sesuai pola distribusi.")).to_be_visible()
    page.get_by_role("button", name="Finalisasi").click()  # refused by the browser until confirmed
    expect(page.get_by_text("Semua evaluasi kelompok ini sudah final")).to_have_count(0)
    page.get_by_label("Saya memahami bahwa evaluasi yang difinalisasi tidak dapat diubah lagi").check()
    page.get_by_role("button", name="Finalisasi").click()
    expect(page.get_by_text("Semua evaluasi kelompok ini sudah final")).to_be_visible()
    assert set(Evaluasi.objects.filter(periode_penilaian__nomor=1).values_list("status", flat=True)) == {
        "final"
    }
    keluar()

    # The pegawai opens their evaluation and downloads the document.
    login(diubah.pegawai_nip)
    page.goto(reverse("penilaian:index"))
    page.get_by_role("link", name="Lihat").first.click()
    expect(page.locator("#ev-ringkasan")).to_contain_text("Butuh Perbaikan")
    href = page.get_by_role("link", name="Dokumen Evaluasi Kinerja (PDF)").get_attribute("href")
    r = page.context.request.get(href)
    assert r.status == 200 and r.body()[:4] == b"%PDF"
