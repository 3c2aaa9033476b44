"""`manage.py backup`: a dated archive of the database and the stored files (docs/rules.md §24.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.organisasi.cadangan import ArsipError, create_arsip


class Command(BaseCommand):
    help = "Tulis arsip cadangan (basis data + berkas MEDIA_ROOT + manifest checksum) ke var/backup/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder",
            default=str(Path(settings.BASE_DIR) / "var" / "backup"),
            help="Folder tujuan arsip (bawaan: var/backup/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            hasil = create_arsip(Path(options["folder"]))
        except ArsipError as exc:
            raise CommandError(str(exc)) from exc
        # Only the archive's path and counts: never settings, connection strings or data.
        self.stdout.write(
            f"Arsip {hasil.arsip} ({hasil.ukuran} byte): {hasil.baris} baris dari {hasil.model} model, "
            f"{hasil.berkas} berkas."
        )
