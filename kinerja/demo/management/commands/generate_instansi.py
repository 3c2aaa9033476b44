from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from kinerja.demo import generate


class Command(BaseCommand):
    help = (
        "Bangkitkan instansi besar yang deterministik untuk uji beban (seed yang sama → data yang sama): "
        "pohon unit kerja dan jabatan dengan ±10 bawahan per pimpinan, pegawai dengan NIP sah dan unik, "
        "satu penempatan definitif per pegawai, ±1% jabatan pimpinan kosong yang dijabat PLT, periode "
        "tahun berjalan, dan akun admin admin-<kode> (kata sandi kinerja-demo). Data dimasukkan dengan "
        "bulk_create: tidak ada baris riwayat (django-simple-history) untuk data bangkitan. Dengan --lengkap "
        "juga: akun setiap pegawai (NIP / kinerja-demo, satu hash dipakai untuk semua), SKP tahun berjalan "
        "yang sudah disetujui dan berjenjang dari SKP pejabat penilai (3 RHK × 2 indikator; JPT 4 RHK per "
        "perspektif; BerAKHLAK dengan ekspektasi khusus), rencana aksi per indikator dan periode, dan "
        "realisasi untuk periode yang sudah lewat (periode berjalan tetap terbuka)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--pegawai", type=int, default=20000, help="jumlah pegawai (bawaan 20000)")
        parser.add_argument("--seed", type=int, default=1, help="benih acak (bawaan 1)")
        parser.add_argument("--bawahan", type=int, default=10, help="target bawahan per pimpinan (bawaan 10)")
        parser.add_argument("--kode", default="", help="kode instansi (bawaan GEN-<seed>-<pegawai>)")
        parser.add_argument(
            "--lengkap",
            action="store_true",
            help="juga akun pegawai, SKP disetujui berjenjang, rencana aksi dan realisasi (uji lonjakan)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="hapus dulu instansi berkode sama beserta seluruh datanya, lalu bangkitkan ulang",
        )
        parser.add_argument(
            "--ganti",
            default="",
            metavar="KODE",
            help="hapus dulu instansi bangkitan berkode KODE (mis. GEN-<seed>-<pegawai> yang polos) beserta "
            "seluruh datanya, dalam transaksi yang sama",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kode = options["kode"] or generate.default_kode(options["seed"], options["pegawai"])
        if len(kode) > 20:
            raise CommandError(f"Kode instansi paling panjang 20 karakter: {kode}")
        try:
            result = generate.generate(
                options["pegawai"],
                options["seed"],
                branching=options["bawahan"],
                kode=kode,
                replace=options["replace"],
                lengkap=options["lengkap"],
                ganti=options["ganti"] or None,
                log=self.stdout.write if options["verbosity"] > 1 else None,
            )
        except (generate.GenerateError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except IntegrityError as exc:
            raise CommandError(
                f"Instansi {kode} tidak dapat diganti: datanya masih dirujuk oleh data lain ({exc})."
            ) from exc
        self.stdout.write(
            f"Instansi {kode} dibangkitkan dalam {result.seconds:.1f} detik: {result.units} unit kerja, "
            f"{result.jabatan} jabatan ({result.plt} kosong, dijabat PLT), {result.pegawai} pegawai, "
            f"{result.penempatan} penempatan; {result.levels} tingkat unit, {result.unit_branching} sub-unit "
            f"per unit.\nMasuk sebagai admin: {result.admin_username} / {generate.PASSWORD}"
        )
        if result.lengkap is not None:
            lk = result.lengkap
            self.stdout.write(
                f"Lengkap: {lk.users} akun pegawai (NIP / {generate.PASSWORD}), {lk.skp} SKP disetujui, "
                f"{lk.rhk} RHK, {lk.indikator} indikator, {lk.rencana_aksi} rencana aksi, {lk.realisasi} "
                f"realisasi ({lk.periode_lalu} periode yang sudah lewat)."
            )
