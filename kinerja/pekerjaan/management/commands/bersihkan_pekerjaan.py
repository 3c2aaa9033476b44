"""Remove finished background jobs and their result files after the retention (docs/architecture.md
"Background jobs"). The worker (`db_worker`) runs it every hour; run it from cron or a systemd timer where
no worker of this project runs (README "The worker")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kinerja.pekerjaan.services import bersihkan


class Command(BaseCommand):
    help = (
        "Hapus pekerjaan latar yang sudah selesai/gagal lebih lama dari PEKERJAAN_SIMPAN_HARI "
        "beserta berkasnya."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hari", type=int, default=None, help="Simpan sekian hari (bawaan: PEKERJAAN_SIMPAN_HARI)."
        )

    def handle(self, *args: Any, hari: int | None = None, **options: Any) -> None:
        if hari is not None and hari < 0:
            self.stderr.write("--hari tidak boleh negatif.")
            raise SystemExit(2)
        d = bersihkan(hari)
        self.stdout.write(
            f"{d.pekerjaan} pekerjaan dan {d.berkas} berkas hasil dihapus; "
            f"{d.detak} detak pekerja lama dihapus."
        )
