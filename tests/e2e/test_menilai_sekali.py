"""Rating in one pass in a real browser (docs/rules.md §33): the penilai opens a bawahan's evaluation,
fills the seven values with "Semua perilaku Sesuai Ekspektasi", rates the RHK, saves once with Ctrl+Enter,
sees the counters, and goes on to the next bawahan with the keyboard; no htmx or CSP error on the way."""

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Indikator, Skp

KABID = "197904182005012005"  # Ratna Sari Dewi, head of Bidang Penilaian Kinerja


def _dua_evaluasi():  # type: ignore[no-untyped-def]
    """Two bawahan's evaluations of the running triwulan, opened, with the realisasi entered."""
    hasil = []
    kabid = User.objects.get(username=KABID)
    for skp in (
        Skp.objects.filter(penilai__nip=KABID, status="disetujui")
        .select_related("periode")
        .order_by("pegawai_nip")[:2]
    ):
        hari_ini = timezone.localdate()
        tw = PeriodePenilaian.objects.get(periode=skp.periode, mulai__lte=hari_ini, selesai__gte=hari_ini)
        for ind in Indikator.objects.filter(rhk__skp=skp):
            Realisasi.objects.create(
                indikator=ind,
                periode_penilaian=tw,
                nilai_angka=ind.target_angka,
                nilai_teks="" if ind.target_angka is not None else "Tercapai",
            )
        hasil.append(services.open_evaluasi(skp, tw, kabid))
    return sorted(hasil, key=lambda e: (e.pegawai_nama, e.pk))


def test_rate_in_one_pass_and_go_to_the_next_bawahan(page, login, seeded):
    ev, berikut = _dua_evaluasi()
    galat: list[str] = []
    page.on("console", lambda m: galat.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: galat.append(str(e)))
    page.on("response", lambda r: galat.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(KABID)
    page.goto(reverse("penilaian:evaluasi", args=[ev.pk]))
    page.get_by_role("link", name="Menilai sekaligus").click()
    expect(page.get_by_role("heading", name=f"Menilai {ev.pegawai_nama}")).to_be_visible()
    n = ev.rating_rhk.count()
    expect(page.locator("#hitung-rating")).to_have_text(f"RHK dinilai 0/{n} · Perilaku 0/7")

    page.get_by_role("button", name="Semua perilaku Sesuai Ekspektasi").click()
    expect(page.locator("#hitung-rating")).to_have_text(f"RHK dinilai 0/{n} · Perilaku 7/7")
    expect(page.get_by_label("Rating Akuntabel").get_by_text("Sesuai Ekspektasi")).to_be_visible()
    # The penilai adjusts one value, then rates the RHK.
    page.locator("label[for='perilaku-KO-diatas']").click()
    for row in ev.rating_rhk.order_by("urutan", "pk"):
        page.locator(f"label[for='rhk-{row.pk}-sesuai']").click()
    terakhir = ev.rating_rhk.order_by("urutan", "pk").last()
    page.locator(f"#rhk-{terakhir.pk}-catatan").fill("Laporan tepat waktu.")
    page.locator(f"#rhk-{terakhir.pk}-catatan").press("Control+Enter")  # save with the keyboard
    expect(page.locator("#hitung-rating")).to_have_text(f"RHK dinilai {n}/{n} · Perilaku 7/7")
    expect(page.locator("#status-simpan")).to_contain_text("Tersimpan")
    expect(page.locator("#penghitung")).to_contain_text("predikat")
    assert set(RatingRhk.objects.filter(evaluasi=ev).values_list("rating", flat=True)) == {"sesuai"}
    assert RatingRhk.objects.get(pk=terakhir.pk).catatan == "Laporan tepat waktu."
    assert RatingPerilaku.objects.get(evaluasi=ev, kode="KO").rating == "diatas"

    # "Simpan & lanjut" with the keyboard: the next bawahan not yet decided.
    page.get_by_role("button", name="Simpan & lanjut").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Menilai {berikut.pegawai_nama}")).to_be_visible()
    page.get_by_role("link", name="Bawahan sebelumnya").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Menilai {ev.pegawai_nama}")).to_be_visible()
    expect(page.locator("#hitung-rating")).to_have_text(f"RHK dinilai {n}/{n} · Perilaku 7/7")
    assert galat == []
