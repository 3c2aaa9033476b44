from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.organisasi.impor import services as importer
from kinerja.organisasi.models import Instansi


class Command(BaseCommand):
    help = (
        "Impor unit kerja, jabatan, pegawai, dan penempatan dari template Excel, sama seperti halaman "
        "Impor, tanpa batas waktu permintaan web (untuk berkas besar). Semua baris diperiksa dulu; "
        "bila ada kesalahan tidak ada yang diimpor."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("berkas", type=Path, help="berkas .xlsx dari template")
        parser.add_argument("--instansi", required=True, help="kode instansi tujuan")
        parser.add_argument(
            "--dry-run",
            "--pratinjau",
            action="store_true",
            dest="dry_run",
            help="hanya periksa dan tampilkan apa yang akan dibuat, diubah, dan diakhiri; tidak menyimpan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = Instansi.objects.filter(kode=options["instansi"]).first()
        if instansi is None:
            raise CommandError(
                f"Instansi dengan kode {options['instansi']!r} tidak ditemukan. Instansi baru dibuat dengan: "
                "python manage.py buat_instansi --kode KODE --nama NAMA"
            )
        path: Path = options["berkas"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        with path.open("rb") as handle:
            plan = importer.parse_workbook(handle, instansi)
        errors = plan.errors
        result = None
        if plan.ok:
            result = importer.preview(plan, None) if options["dry_run"] else importer.apply(plan, None)
            errors = result.errors
        if errors:
            for e in errors:
                where = f"{e.sheet} baris {e.row}" if e.row else e.sheet
                self.stderr.write(f"{where}, kolom {e.column or '-'}: {e.message} (nilai: {e.value!r})")
            raise CommandError(f"Tidak ada data yang diimpor: {len(errors)} kesalahan.")
        assert result is not None
        for e in plan.warnings:
            where = f"{e.sheet} baris {e.row}" if e.row else e.sheet
            self.stdout.write(f"Peringatan — {where}, kolom {e.column or '-'}: {e.message}")
        if options["dry_run"]:
            self.stdout.write("PRATINJAU — tidak ada data yang disimpan.")
            for sheet, c in result.rows():
                for p in c.changes:
                    rincian = f": {p.rincian}" if p.rincian else ""
                    self.stdout.write(f"  {sheet} baris {p.row} [{p.aksi}] {p.data}{rincian}")
        for sheet, c in result.rows():
            akhir = f" (di antaranya {c.closed} diakhiri)" if c.closed else ""
            self.stdout.write(
                f"{sheet}: {c.created} baru, {c.updated} diperbarui{akhir}, {c.unchanged} tidak berubah"
            )
