"""`python manage.py siasn_kirim --tahun YYYY [--periode N] [--instansi KODE] [--nip NIP]
[--dry-run --keluaran FILE | --antre]`.

Sends every final evaluation of a year to SIASN (docs/rules.md §21.6–21.8): the annual ones to
``skp22/save``, the periodic ones to ``kinerjaperiodik/save``; ``--periode N`` only periode penilaian N.
``--dry-run`` sends nothing: it writes every request it would send, one JSON object per line,
``{"endpoint": …, "body": …}``, the body exactly as it would be posted (to ``--keluaran`` or stdout).
Refused records (semester period, no SIASN id, invalid record) are listed with their reasons on stderr,
and UNSURE mappings (a PPPK penilai's golongan) as warnings. Without ``--dry-run`` each evaluation is
sent with the client configured from the environment (`siasn.kirim.services.send`); each outcome is kept
on its send record (terkirim / gagal with SIASN's text) and listed. ``--antre`` sends nothing here: it
queues each evaluation for the background worker (`siasn.kirim.tasks`, retried with backoff; docs/rules.md
§21.9), as the sync page's buttons do. Never a page request.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.organisasi.models import Instansi, PeriodePenilaian
from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.models import StatusKirimSiasn
from kinerja.tindak_lanjut.siasn import selectors
from kinerja.tindak_lanjut.siasn.kirim import services
from kinerja.tindak_lanjut.siasn.klien import KlienHttp, SiasnError, klien_wajib


class Command(BaseCommand):
    help = "Kirim hasil evaluasi final ke SIASN (atau tulis permintaannya saja dengan --dry-run)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tahun", type=int, required=True, help="tahun penilaian, mis. 2026")
        parser.add_argument("--periode", type=int, help="hanya periode penilaian nomor N (periodik)")
        parser.add_argument("--instansi", help="kode instansi (tanpa ini: semua instansi)")
        parser.add_argument("--nip", help="hanya pegawai dengan NIP ini")
        parser.add_argument("--dry-run", action="store_true", help="jangan kirim; tulis permintaannya")
        parser.add_argument("--keluaran", help="berkas JSON Lines untuk --dry-run (tanpa ini: stdout)")
        parser.add_argument(
            "--antre", action="store_true", help="jangan kirim di sini; masukkan ke antrean worker latar"
        )

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
        if options["antre"] and options["dry_run"]:
            raise CommandError("--antre dan --dry-run tidak dapat dipakai bersama.")
        nomor = options["periode"]
        if nomor is not None:
            ada = PeriodePenilaian.objects.filter(periode__tahun=tahun, nomor=nomor)
            if instansi is not None:
                ada = ada.filter(periode__instansi=instansi)
            if not ada.exists():
                pesan = f"--periode: tidak ada periode penilaian nomor {nomor} pada tahun {tahun}."
                raise CommandError(pesan)
        evaluasi = selectors.evaluasi_kirim(tahun, nomor, instansi)
        if options["nip"]:
            evaluasi = evaluasi.filter(pegawai_nip=options["nip"].replace(" ", ""))
        if options["antre"]:
            self._antre(list(evaluasi))
            return
        if not options["dry_run"]:
            self._kirim(list(evaluasi))
            return
        rencana = [selectors.plan(ev) for ev in evaluasi]
        for r in rencana:
            for alasan in r.alasan:
                self.stderr.write(f"Ditolak: {r.pegawai}: {alasan}")
            for pesan in r.peringatan:
                self.stderr.write(f"Peringatan: {r.pegawai}: {pesan}")
        siap = [r for r in rencana if r.permintaan is not None]
        self._tulis(siap, options["keluaran"])
        self.stderr.write(f"{len(siap)} permintaan ditulis, {len(rencana) - len(siap)} evaluasi ditolak.")

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

    def _antre(self, evaluasi: list[Evaluasi]) -> None:
        """Queue each evaluation for the worker (only for the instansi SIASN is configured for)."""
        self._klien()  # refuses a missing or half configuration here, before anything is queued
        siap = [ev for ev in evaluasi if services.is_siasn_configured(ev.instansi_id)]
        n = services.queue_evaluasi(siap)
        lewat = len(evaluasi) - len(siap)
        pesan = f"{n} evaluasi dimasukkan ke antrean SIASN; worker latar (manage.py db_worker) mengirimnya."
        if lewat:
            pesan += (
                f" {lewat} evaluasi dilewati: SIASN tidak dikonfigurasi untuk instansinya (SIASN_INSTANSI)."
            )
        self.stdout.write(pesan)

    def _klien(self) -> KlienHttp:
        try:
            klien = klien_wajib()
        except SiasnError as e:
            raise CommandError(e.pesan + " Atau gunakan --dry-run.") from None
        return klien

    def _kirim(self, evaluasi: list[Evaluasi]) -> None:
        """Send each evaluation (the refused ones too: their record shows why) and report per record."""
        klien = self._klien()
        hitung = {StatusKirimSiasn.TERKIRIM: 0, StatusKirimSiasn.GAGAL: 0}
        sibuk = 0
        for ev in evaluasi:
            kirim = services.send_now(ev, klien, services.render_dokumen_evaluasi)
            nama = selectors.Rencana(ev, None, [], []).pegawai
            if kirim is None:
                sibuk += 1
                self.stderr.write(f"Dilewati: {nama}: sedang dikirim oleh worker latar.")
                continue
            hitung[StatusKirimSiasn(kirim.status)] += 1
            if kirim.status == StatusKirimSiasn.GAGAL:
                self.stderr.write(f"Gagal: {nama}: {kirim.pesan}")
            else:
                self.stdout.write(f"Terkirim: {nama} → {kirim.endpoint} (ID SIASN {kirim.siasn_id})")
        self.stdout.write(
            f"{hitung[StatusKirimSiasn.TERKIRIM]} terkirim, {hitung[StatusKirimSiasn.GAGAL]} gagal."
            + (f" {sibuk} dilewati (sedang dikirim oleh worker)." if sibuk else "")
        )
