"""`manage.py restore ARSIP`: restore a `backup` archive into an empty installation (docs/rules.md §24.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.organisasi.cadangan import ArsipError, restore_arsip


class Command(BaseCommand):
    help = (
        "Pulihkan arsip dari `backup` ke instalasi kosong: periksa checksum, migrate, muat data, "
        "salin berkas, bandingkan jumlah baris."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arsip", help="Berkas kinerja-YYYYMMDD-HHMMSS.tar.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Hapus semua data dan berkas instalasi ini lalu ganti dengan isi arsip.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        arsip = Path(options["arsip"])
        if not arsip.is_file():
            raise CommandError(f"Arsip {arsip} tidak ditemukan.")
        try:
            hasil = restore_arsip(arsip, paksa=options["force"])
        except ArsipError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Dipulihkan dari {hasil.arsip}: {hasil.baris} baris dari {hasil.model} model, "
            f"{hasil.berkas} berkas; checksum dan jumlah baris cocok."
        )
