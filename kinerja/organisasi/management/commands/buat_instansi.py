"""`manage.py buat_instansi`: the installer creates an instansi and, optionally, its first admin."""

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.organisasi import services

PASSWORD_ENV = "KINERJA_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Buat instansi baru (mis. pemerintah kabupaten) dengan pengaturan bawaan, dan bila --admin diberikan "
        "akun admin kepegawaian pertamanya. Kata sandi ditanyakan, atau dibaca dari variabel lingkungan "
        f"{PASSWORD_ENV} dengan --no-input. Lalu impor organisasinya: "
        "impor_organisasi berkas.xlsx --instansi KODE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kode", required=True, help="kode instansi, unik (mis. PEMKAB-SUKAMAJU)")
        parser.add_argument(
            "--nama", required=True, help="nama instansi (mis. Pemerintah Kabupaten Sukamaju)"
        )
        parser.add_argument("--singkatan", default="")
        parser.add_argument("--kota", default="", help="kota tempat penandatanganan dokumen")
        parser.add_argument("--admin", default="", help="nama pengguna admin kepegawaian pertama (opsional)")
        parser.add_argument("--email", default="", help="email admin")
        parser.add_argument(
            "--no-input", action="store_true", help=f"jangan bertanya; kata sandi admin dari {PASSWORD_ENV}"
        )

    def _password(self, options: dict[str, Any]) -> str:
        if not options["admin"]:
            return ""
        if options["no_input"]:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"Dengan --no-input, isi kata sandi admin di variabel {PASSWORD_ENV}.")
            return password
        password = getpass.getpass(f"Kata sandi admin {options['admin']}: ")
        if password != getpass.getpass("Ulangi kata sandi: "):
            raise CommandError("Kedua kata sandi tidak sama; tidak ada yang dibuat.")
        return password

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instansi, admin = services.create_instansi(
                None,
                kode=options["kode"],
                nama=options["nama"],
                singkatan=options["singkatan"],
                kota=options["kota"],
                admin_username=options["admin"],
                admin_password=self._password(options),
                admin_email=options["email"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.stderr.write(f"{field}: {' '.join(messages)}")
            raise CommandError("Instansi tidak dibuat.") from None
        self.stdout.write(f"Instansi {instansi.kode} — {instansi.nama} dibuat.")
        if admin is not None:
            self.stdout.write(f"Admin kepegawaian: {admin.username}")
        self.stdout.write(
            f"Berikutnya: python manage.py impor_organisasi berkas.xlsx --instansi {instansi.kode}"
        )
