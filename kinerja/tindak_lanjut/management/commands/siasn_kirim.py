"""`python manage.py siasn_kirim --tahun YYYY [--periode N] [--instansi KODE] [--dry-run --keluaran FILE]`.

Sends every final evaluation of a year to SIASN (docs/rules.md §21.6–21.8): the annual ones to
``skp22/save``, the periodic ones to ``kinerjaperiodik/save``; ``--periode N`` only periode penilaian N.
``--dry-run`` sends nothing: it writes every request it would send, one JSON object per line,
``{"endpoint": …, "body": …}``, the body exactly as it would be posted (to ``--keluaran`` or stdout).
Refused records (semester period, no SIASN id, invalid record) are listed with their reasons on stderr,
and UNSURE mappings (a PPPK penilai's golongan) as warnings.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.organisasi.models import Instansi
from kinerja.tindak_lanjut.siasn import selectors


class Command(BaseCommand):
    help = "Kirim hasil evaluasi final ke SIASN (atau tulis permintaannya saja dengan --dry-run)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tahun", type=int, required=True, help="tahun penilaian, mis. 2026")
        parser.add_argument("--periode", type=int, help="hanya periode penilaian nomor N (periodik)")
        parser.add_argument("--instansi", help="kode instansi (tanpa ini: semua instansi)")
        parser.add_argument("--dry-run", action="store_true", help="jangan kirim; tulis permintaannya")
        parser.add_argument("--keluaran", help="berkas JSON Lines untuk --dry-run (tanpa ini: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        tahun = options["tahun"]
        if not 2000 <= tahun <= 2100:
            raise CommandError(f"--tahun harus antara 2000 dan 2100 (diberikan {tahun}).")
        instansi = None
        if options["instansi"]:
            instansi = Instansi.objects.filter(kode=options["instansi"]).first()
            if instansi is None:
                raise CommandError(f"--instansi: instansi dengan kode {options['instansi']!r} tidak ada.")
        if options["keluaran"] and not options["dry_run"]:
            raise CommandError("--keluaran hanya dipakai bersama --dry-run.")
        rencana = [selectors.plan(ev) for ev in selectors.evaluasi_kirim(tahun, options["periode"], instansi)]
        for r in rencana:
            for alasan in r.alasan:
                self.stderr.write(f"Ditolak: {r.pegawai}: {alasan}")
            for pesan in r.peringatan:
                self.stderr.write(f"Peringatan: {r.pegawai}: {pesan}")
        siap = [r for r in rencana if r.permintaan is not None]
        if options["dry_run"]:
            self._tulis(siap, options["keluaran"])
            ditolak = len(rencana) - len(siap)
            self.stderr.write(f"{len(siap)} permintaan ditulis, {ditolak} evaluasi ditolak.")
            return
        self._kirim(siap)

    def _tulis(self, siap: list[selectors.Rencana], keluaran: str | None) -> None:
        baris = "".join(
            json.dumps(r.permintaan.baris_jsonl(), ensure_ascii=False) + "\n" for r in siap if r.permintaan
        )
        if keluaran:
            try:
                with open(keluaran, "w", encoding="utf-8") as f:
                    f.write(baris)
            except OSError as e:
                raise CommandError(
                    f"--keluaran: berkas {keluaran} tidak dapat ditulis ({e.strerror})."
                ) from e
        else:
            sys.stdout.write(baris)

    def _kirim(self, siap: list[selectors.Rencana]) -> None:
        raise CommandError(
            "Pengiriman langsung ke SIASN belum diaktifkan di perintah ini; gunakan --dry-run."
        )
