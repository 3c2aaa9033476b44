import io
import time
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kinerja.demo import organisasi as demo
from kinerja.demo import pelaksanaan as demo_pelaksanaan
from kinerja.demo import penilaian as demo_penilaian
from kinerja.demo import perencanaan as demo_perencanaan
from kinerja.demo import siasn as demo_siasn
from kinerja.demo import tindak_lanjut as demo_tindak_lanjut
from kinerja.demo import ttd as demo_ttd
from kinerja.demo.kehadiran import seed_bulan_ini, seed_kalender, seed_kehadiran
from kinerja.demo.tpp import seed_tpp
from kinerja.dokumen.management.commands.buat_ca_demo import PASSPHRASE_DEMO
from kinerja.notifikasi.services import tanpa_email
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.umpan_balik.pustaka import load_pustaka_awal


class Command(BaseCommand):
    help = "Muat instansi demo (idempoten: menjalankan dua kali tidak mengubah apa pun)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="cetak akun demo: peran<TAB>login<TAB>nama")
        parser.add_argument("--banner", action="store_true", help="muat data lalu cetak petunjuk masuk")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="alamat aplikasi untuk --banner")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for role, login, name in demo.demo_accounts():
                self.stdout.write(f"{role}\t{login}\t{name}")
            return
        langkah = self._langkah_berjalan()
        with tanpa_email():  # the replayed workflow notifies in the app only, it mails nobody
            instansi = langkah("Organisasi, pegawai dan akun", demo.seed)
            langkah(
                "Perencanaan: peta strategi, Perjanjian Kinerja, SKP", lambda: demo_perencanaan.seed(instansi)
            )
            load_pustaka_awal()  # feedback phrases (also loaded by migration pelaksanaan 0002)
            langkah(
                "Pelaksanaan: realisasi, bukti dukung, umpan balik", lambda: demo_pelaksanaan.seed(instansi)
            )
            langkah("Penilaian: evaluasi triwulan yang sudah lewat", lambda: demo_penilaian.seed(instansi))
            # the two years before: annual results, keberatan
            langkah(
                "Tindak lanjut: dua tahun sebelumnya, keberatan", lambda: demo_tindak_lanjut.seed(instansi)
            )
            langkah("SIASN: id pegawai", lambda: demo_siasn.seed(instansi))  # as if looked up
            langkah("Kehadiran: kalender, bulan lalu, bulan ini", lambda: self._kehadiran(instansi))
            langkah(
                "TPP: pagu, aturan, satu bulan ditutup",
                lambda: seed_tpp(instansi, User.objects.get(username="admin")),
            )
        # a demo CA and a certificate per pegawai, so documents can be signed electronically
        laporan_ca = io.StringIO()
        langkah(
            "Sertifikat tanda tangan demo",
            lambda: call_command("buat_ca_demo", "--instansi", instansi.kode, stdout=laporan_ca),
        )
        self.stdout.write(f"      {laporan_ca.getvalue().strip()}")
        with tanpa_email():  # a few documents signed, a few waiting for their next signer
            ditandatangani = langkah(
                "Dokumen bertanda tangan elektronik", lambda: demo_ttd.seed(instansi, options["url"])
            )
        self.stdout.write(f"{ditandatangani} tanda tangan elektronik demo dibuat.")
        self.stdout.write(f"Data demo siap: {instansi.nama}.")
        if options["banner"]:
            self.stdout.write(
                f"\nKinerja berjalan di {options['url']} — akun demo (kata sandi: {demo.DEMO_PASSWORD}):"
            )
            for role, login, name in demo.demo_accounts():
                self.stdout.write(f"  {role:<11} {login:<20} {name}")
            self.stdout.write(
                f"Tanda tangan elektronik (sertifikat demo): passphrase {PASSPHRASE_DEMO} "
                "untuk semua pegawai."
            )
            self.stdout.write("")

    def _langkah_berjalan(self) -> Callable[..., Any]:
        """Run each loading step with a numbered line before it and its time after: the demo takes a
        minute or two, and a silent terminal looks like a hang."""
        jumlah = 10
        nomor = 0

        def langkah(judul: str, kerja: Callable[[], Any]) -> Any:
            nonlocal nomor
            nomor += 1
            self.stdout.write(f"[{nomor}/{jumlah}] {judul} …", ending="")
            self.stdout.flush()
            mulai = time.monotonic()
            hasil = kerja()
            self.stdout.write(f" selesai ({time.monotonic() - mulai:.1f} dtk)")
            return hasil

        return langkah

    @staticmethod
    def _kehadiran(instansi: Any) -> None:
        seed_kalender(instansi)  # the shipped national holidays of the year
        seed_kehadiran(instansi)  # last month's taps, absences and corrections
        seed_bulan_ini(instansi)  # this month's taps up to today
