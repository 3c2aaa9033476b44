"""The dashboard's dated to-do list in a real browser (docs/rules.md §32): the pelaksana sees the open
Triwulan IV realisasi with its progress and date, follows the link and lands on the realisasi page of that
periode; the penilai sees the SKP waiting for their approval."""

from django.urls import reverse
from playwright.sync_api import expect

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.organisasi.templatetags.tanggal import tanggal
from kinerja.perencanaan import services as skp_services
from kinerja.perencanaan.models import Skp

PELAKSANA = "199108162015031001"  # Rahmat Hidayat
KABID = "197904182005012005"  # Ratna Sari Dewi, his pejabat penilai
WULAN = "199406222019032009"  # the demo's draft SKP, rated by the kabid


def test_pegawai_follows_the_realisasi_item_and_penilai_sees_skp_to_approve(page, login, keluar, seeded):
    skp = Skp.objects.get(pegawai__nip=PELAKSANA, status="disetujui")
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)

    login(PELAKSANA)
    page.goto("/")
    daftar = page.locator("#judul-tugas + ul")
    item = daftar.locator("li", has_text="Realisasi Triwulan IV")
    expect(item).to_contain_text("terisi")
    expect(item).to_contain_text(f"sampai {tanggal(tw4.batas_realisasi)}")
    item.get_by_role("link", name="Realisasi Triwulan IV").click()
    page.wait_for_url(f"**{reverse('pelaksanaan:realisasi')}?periode=4")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_text("Triwulan IV").first).to_be_visible()
    keluar()

    draft = Skp.objects.filter(pegawai__nip=WULAN).order_by("-mulai").first()
    assert draft is not None
    skp_services.submit_skp(draft, User.objects.get(pegawai__nip=WULAN))
    login(KABID)
    page.goto("/")
    item = page.locator("#judul-tugas + ul li", has_text="Setujui SKP bawahan")
    expect(item).to_contain_text("SKP bawahan menunggu persetujuan Anda")
    item.get_by_role("link", name="Setujui SKP bawahan").click()
    page.wait_for_url(f"**{reverse('skp:persetujuan')}")
