"""From a machine's attlog to the month's TPP: the admin imports the file and computes November's TPP; the
pelaksana sees a late day explained on their calendar and as a cut in their TPP, asks a correction (the
machine was broken); the kabid, their penilai, approves it on the team board; the TPP is recomputed
without the cut."""

from __future__ import annotations

import datetime
from decimal import Decimal

from playwright.sync_api import expect

from kinerja.kehadiran.models import MesinPresensi, Rekaman, TppPegawai
from kinerja.kehadiran.tpp import services as tpp_services
from kinerja.organisasi.models import Pegawai, User
from kinerja.organisasi.selectors import jabatan_utama
from kinerja.rules import tpp

PELAKSANA = "199108162015031001"
KABID = "197904182005012005"
TERLAMBAT = datetime.date(2026, 11, 10)  # a Tuesday; the tests' today is 6 December 2026


def _attlog() -> str:
    """November 2026 for the pelaksana (PIN = NIP): on time every working day but the 10th (07.55)."""
    baris = []
    for d in range(1, 31):
        t = datetime.date(2026, 11, d)
        if t.weekday() >= 5:
            continue
        masuk = "07:55:00" if t == TERLAMBAT else "07:24:00"
        pulang = "16:42:00" if t.weekday() == 4 else "16:10:00"
        baris += [f"{PELAKSANA}\t{t} {masuk}\t1\t0\t0\t0", f"{PELAKSANA}\t{t} {pulang}\t1\t1\t0\t0"]
    return "\r\n".join(baris) + "\r\n"


def _siapkan_tpp() -> None:
    admin = User.objects.get(username="admin")
    instansi = admin.admin_instansi
    jabatan = jabatan_utama(Pegawai.objects.get(nip=PELAKSANA)).jabatan
    jabatan.kelas_jabatan = 7
    jabatan.save(update_fields=["kelas_jabatan"])
    awal = datetime.date(2026, 1, 1)
    tpp_services.simpan_tabel_pagu(instansi, [(None, 7, 3_000_000)], awal, "Perkada TPP 2026", admin)
    tpp_services.simpan_aturan(instansi, tpp.PRESET["kementerian"], awal, "Perkada TPP 2026", admin)
    MesinPresensi.objects.create(instansi=instansi, nama="Lobi utama", pin_adalah_nip=True)


def _bruto(pegawai: Pegawai) -> Decimal:
    return TppPegawai.objects.get(pegawai=pegawai, bulan__tahun=2026, bulan__bulan=11).bruto


def test_attlog_to_correction_to_tpp(page, login, keluar, seeded, tmp_path):
    _siapkan_tpp()
    pelaksana = Pegawai.objects.get(nip=PELAKSANA)

    # The admin imports the machine's file and computes November.
    login("admin")
    page.goto("/kehadiran/impor/")
    page.get_by_label("Jenis berkas").select_option("attlog")
    page.get_by_label("Mesin presensi").select_option(label="Lobi utama")
    berkas = tmp_path / "lobi_attlog.dat"
    berkas.write_text(_attlog())
    page.get_by_label("Berkas", exact=True).set_input_files(str(berkas))
    page.get_by_role("button", name="Impor").click()
    expect(page.get_by_text("Rekaman baru")).to_be_visible()
    assert Rekaman.objects.filter(pegawai=pelaksana).count() == 42  # 21 working days, two taps each
    page.goto("/kehadiran/tpp/bulan/2026-11/")
    page.get_by_role("button", name="Hitung TPP").click()
    page.wait_for_load_state()
    sebelum = _bruto(pelaksana)
    keluar()

    # The pelaksana sees the late day and why, and the cut in the month's TPP; asks a correction.
    login(PELAKSANA)
    page.goto("/kehadiran/saya/?bulan=2026-11")
    hari = page.locator("#kalender td", has=page.locator(f"[data-tanggal='{TERLAMBAT}']"))
    expect(hari.locator(".badge")).to_have_text("Terlambat 25 menit")
    hari.get_by_text("mengapa?").click()
    expect(hari.get_by_text("Masuk 07.55, jadwal 07.30: terlambat 25 menit")).to_be_visible()
    page.goto(f"/kehadiran/tpp/pegawai/{pelaksana.pk}/2026-11/")
    expect(page.get_by_role("cell", name="TL 25 menit (10 November)", exact=False)).to_be_visible()
    page.goto("/kehadiran/saya/?bulan=2026-11")
    hari.get_by_role("link", name="Koreksi").click()
    page.get_by_label("Jenis").select_option("mesin_rusak")
    page.get_by_label("Jam masuk").fill("07:25")
    page.get_by_label("Alasan").fill("Mesin di lobi mati pagi itu; saya hadir 07.25 (lihat buku tamu).")
    page.get_by_role("button", name="Kirim pengajuan").click()
    page.wait_for_load_state()
    keluar()

    # The kabid approves it on the team board.
    login(KABID)
    page.goto("/kehadiran/tim/")
    permintaan = page.locator("li, tr", has_text="Mesin di lobi mati").last
    permintaan.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    keluar()

    # The TPP was recomputed: no TL cut any more, a higher bruto; the day reads Hadir.
    assert _bruto(pelaksana) > sebelum
    login(PELAKSANA)
    page.goto(f"/kehadiran/tpp/pegawai/{pelaksana.pk}/2026-11/")
    expect(page.get_by_text("TL 25 menit", exact=False)).to_have_count(0)
    page.goto("/kehadiran/saya/?bulan=2026-11")
    expect(hari.locator(".badge")).to_have_text("Hadir")
