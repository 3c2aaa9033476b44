"""`python manage.py kirim_pengingat_catatan [--tanggal YYYY-MM-DD]`: remind pegawai who logged no catatan
kegiatan on the previous working day (docs/rules.md §34; `kinerja.kehadiran.catatan_harian.services`).

Run it daily (cron, systemd timer); idempotent, and a cross-process lock lets one node send when cron runs
it on every app node at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kinerja.common.klaster import kunci_lintas_proses
from kinerja.common.tanggal import tanggal_acuan
from kinerja.kehadiran.catatan_harian.services import kirim_pengingat_catatan
from kinerja.organisasi.selectors import today
from kinerja.rules.realisasi import format_tanggal


class Command(BaseCommand):
    help = "Kirim pengingat kepada pegawai yang belum mengisi catatan kegiatan pada hari kerja sebelumnya."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tanggal", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")

    def handle(self, *args: Any, **options: Any) -> None:
        hari_ini = tanggal_acuan(options.get("tanggal"), "2026-12-07", today())
        with kunci_lintas_proses("kirim-pengingat-catatan"):
            n = kirim_pengingat_catatan(hari_ini)
        self.stdout.write(
            f"Pengingat catatan kegiatan terkirim: {n} (tanggal acuan {format_tanggal(hari_ini)})."
        )
