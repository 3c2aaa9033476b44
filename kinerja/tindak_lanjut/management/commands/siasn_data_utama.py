"""`python manage.py siasn_data_utama [--instansi KODE] [--nip NIP …]`.

Reads what SIASN holds for the pegawai (``pns/data-utama/{nip}``, docs/rules.md §21.10) and stores it for
the mismatch report: every active pegawai of every instansi, or of one instansi, or only the NIPs given.
SIASN has no endpoint listing the PNS of an instansi, so the NIPs are those of the pegawai in Kinerja.
Runs here, in this process (the page runs the same refresh as a background task); each refresh is kept
with its progress and failures, so the page shows the last one too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.tindak_lanjut.siasn.data_utama import services
from kinerja.tindak_lanjut.siasn.klien import SiasnError, klien_wajib


class Command(BaseCommand):
    help = "Baca data utama pegawai dari SIASN (unit dan jabatan) untuk laporan selisih data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--instansi", help="kode instansi (tanpa ini: semua instansi)")
        parser.add_argument("--nip", action="append", default=[], help="hanya NIP ini (boleh berulang)")

    def handle(self, *args: Any, **options: Any) -> None:
        nips = sorted({n.replace(" ", "") for n in options["nip"]})
        daftar = Instansi.objects.order_by("kode")
        if options["instansi"]:
            daftar = daftar.filter(kode=options["instansi"])
            if not daftar.exists():
                raise CommandError(f"--instansi: instansi dengan kode {options['instansi']!r} tidak ada.")
        if nips:
            dikenal = set(Pegawai.objects.filter(nip__in=nips, aktif=True).values_list("nip", flat=True))
            if asing := [n for n in nips if n not in dikenal]:
                raise CommandError(f"--nip: tidak ada pegawai aktif dengan NIP {', '.join(asing)}.")
            daftar = daftar.filter(pegawai__nip__in=nips).distinct()
        try:
            klien = klien_wajib()
        except SiasnError as e:
            raise CommandError(e.pesan) from None
        for instansi in daftar:
            p = services.run_refresh(services.create_refresh(instansi, None, nips), klien)
            for g in p.kegagalan:
                self.stderr.write(f"Gagal: {g['nama']} ({g['nip']}): {g['alasan']}")
            self.stdout.write(f"{instansi.kode}: {p.pesan}")
