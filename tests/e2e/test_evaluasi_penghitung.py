"""The rating page in a real browser: the headings' counters follow each htmx save, without htmx errors."""

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.perencanaan.models import Indikator, Skp

KABID = "197904182005012005"  # Ratna Sari Dewi, head of Bidang Penilaian Kinerja


def _evaluasi_terbuka():  # type: ignore[no-untyped-def]
    """One bawahan's evaluation of the triwulan running today, opened, with the realisasi entered: before
    its periode ends the ratings are a draft and the page has no "Tetapkan rating" form."""
    skp = (
        Skp.objects.filter(penilai__nip=KABID, status="disetujui")
        .select_related("periode")
        .order_by("pegawai_nip")
        .first()
    )
    hari_ini = timezone.localdate()
    tw = PeriodePenilaian.objects.get(periode=skp.periode, mulai__lte=hari_ini, selesai__gte=hari_ini)
    for ind in Indikator.objects.filter(rhk__skp=skp):
        Realisasi.objects.create(
            indikator=ind,
            periode_penilaian=tw,
            nilai_angka=ind.target_angka,
            nilai_teks="" if ind.target_angka is not None else "Tercapai",
        )
    return services.open_evaluasi(skp, tw, User.objects.get(username=KABID))


def test_counters_follow_each_save_and_htmx_reports_no_error(page, login, seeded):
    ev = _evaluasi_terbuka()
    galat: list[str] = []
    page.on("console", lambda m: galat.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: galat.append(str(e)))
    page.on("response", lambda r: galat.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(KABID)
    page.goto(reverse("penilaian:evaluasi", args=[ev.pk]))
    n_rhk = ev.rating_rhk.count()
    expect(page.locator("#jumlah-rhk")).to_have_text(f"· 0 dari {n_rhk} RHK dinilai")
    expect(page.locator("#jumlah-perilaku")).to_have_text("· 0 dari 7 nilai dinilai")
    for bagian, kotak, total, kata in (
        ("rhk", "#jumlah-rhk", n_rhk, "RHK dinilai"),
        ("perilaku", "#jumlah-perilaku", 7, "nilai dinilai"),
    ):
        forms = page.locator(f"form[action*='/{bagian}/']:has(select[name=rating])")
        for i in range(forms.count()):
            form = forms.nth(i)
            form.locator("select[name=rating]").select_option("sesuai")
            form.get_by_role("button", name="Simpan rating").click()
            expect(forms.nth(i).get_by_text("Tersimpan")).to_be_visible()
            expect(page.locator(kotak)).to_have_text(f"· {i + 1} dari {total} {kata}")
    assert galat == []
