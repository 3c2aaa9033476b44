"""`manage.py impor_organisasi`: the same import as the page, for files too large for a web request."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kinerja.organisasi.impor import services as importer
from kinerja.organisasi.models import UnitKerja

pytestmark = pytest.mark.django_db


def workbook_with(tmp_path, unit_rows):
    wb = load_workbook(io.BytesIO(importer.build_template(None)))
    for row in unit_rows:
        wb["Unit Kerja"].append(row)
    path = tmp_path / "impor.xlsx"
    wb.save(path)
    return path


def test_command_imports_and_reports_counts(demo_instansi, tmp_path):
    path = workbook_with(tmp_path, [["UPT-X", "UPT Baru", "BKPSDM"]])
    out = io.StringIO()
    call_command("impor_organisasi", str(path), instansi=demo_instansi.kode, stdout=out)
    assert "Unit Kerja: 1 baru" in out.getvalue()
    assert UnitKerja.objects.get(instansi=demo_instansi, kode="UPT-X").parent.kode == "BKPSDM"


def test_command_with_errors_imports_nothing(demo_instansi, tmp_path):
    path = workbook_with(tmp_path, [["UPT-X", "UPT Baru", "BKPSDM"], ["UPT-Y", "UPT Lain", "TIDAK-ADA"]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada data yang diimpor"):
        call_command("impor_organisasi", str(path), instansi=demo_instansi.kode, stderr=err)
    assert "Unit Kerja baris 3" in err.getvalue()
    assert not UnitKerja.objects.filter(kode__in=["UPT-X", "UPT-Y"]).exists()


def test_command_unknown_instansi(tmp_path, db):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("impor_organisasi", str(tmp_path / "x.xlsx"), instansi="TIDAK-ADA")
