"""The admin downloads the Excel template, uploads a file with a bad NIP in row 7, sees that row's error
with nothing imported, fixes the file, reads the preview and imports it."""

from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, UnitKerja

NEW_PEGAWAI = [  # six rows: data rows 2..7 of the Pegawai sheet
    ("198001152005011001", "Ahmad Fauzi", "PNS", "III/d"),
    ("198203202006042002", "Lestari Wulandari", "PNS", "III/c"),
    ("198505052009011003", "Budi Santoso", "PNS", "III/b"),
    ("199001012015032004", "Citra Kirana", "PNS", "III/a"),
    ("199202022017011005", "Dodi Firmansyah", "PNS", "III/a"),
    ("199303032019032006", "Eka Putri", "PNS", "III/a"),
]
BAD_NIP = "199313032019032006"  # month 13 in the birth date


def fill(path: Path, bad_row_7: bool) -> None:
    wb = load_workbook(path)
    wb["Unit Kerja"].append(["UPT-DIK", "UPT Pendidikan dan Pelatihan", "BKPSDM"])
    jab = wb["Jabatan"]
    jab.append(
        ["UPT-KA", "Kepala UPT Pendidikan dan Pelatihan", "Pengawas", None, "UPT-DIK", "KABAN", "Ya", "Tidak"]
    )
    for i in range(1, 6):
        jab.append(
            [f"UPT-S{i}", "Pengelola Pelatihan", "Pelaksana", None, "UPT-DIK", "UPT-KA", "Tidak", "Tidak"]
        )
    peg, pen = wb["Pegawai"], wb["Penempatan"]
    for i, (nip, nama, jenis, pangkat) in enumerate(NEW_PEGAWAI):
        row_nip = BAD_NIP if (bad_row_7 and i == 5) else nip
        peg.append([row_nip, nama, None, None, jenis, pangkat, None, "Ya"])
        pen.append([row_nip, "UPT-KA" if i == 0 else f"UPT-S{i}", "Definitif", "02-01-2026", None, None])
    for ws in (peg, pen):
        for row in ws.iter_rows(min_row=2, max_col=1):
            row[0].number_format = "@"
    wb.save(path)


def test_import_with_bad_row_then_fixed(page, login, seeded, tmp_path):
    login("admin")
    page.goto("/organisasi/impor/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh template Excel").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    bad = tmp_path / "pegawai-salah.xlsx"
    bad.write_bytes(template.read_bytes())
    fill(bad, bad_row_7=True)
    before = (
        UnitKerja.objects.count(),
        Jabatan.objects.count(),
        Pegawai.objects.count(),
        Penempatan.objects.count(),
    )
    page.locator("input[name=berkas]").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa berkas").click()
    main = page.locator("main")
    expect(main).to_contain_text("Tidak ada data yang diimpor")
    error_row = page.locator("table tr", has_text=BAD_NIP).first
    expect(error_row).to_contain_text("Pegawai")
    expect(error_row.locator("td").nth(1)).to_have_text("7")
    after = (
        UnitKerja.objects.count(),
        Jabatan.objects.count(),
        Pegawai.objects.count(),
        Penempatan.objects.count(),
    )
    assert after == before

    good = tmp_path / "pegawai-benar.xlsx"
    good.write_bytes(template.read_bytes())
    fill(good, bad_row_7=False)
    page.locator("input[name=berkas]").set_input_files(str(good))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(main).to_contain_text("Pratinjau impor")
    assert not Pegawai.objects.filter(nip__in=[n for n, *_ in NEW_PEGAWAI]).exists()  # nothing yet
    page.get_by_role("button", name="Terapkan impor").click()
    expect(main).to_contain_text("Impor berhasil")
    assert Pegawai.objects.filter(nip__in=[n for n, *_ in NEW_PEGAWAI]).count() == 6
    assert Jabatan.objects.filter(kode__startswith="UPT-").count() == 6
    page.goto("/organisasi/pegawai/?q=Eka+Putri")
    expect(main).to_contain_text("Eka Putri")
