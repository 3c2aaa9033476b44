"""The demo's SIASN ids (docs/rules.md §21.7): every pegawai holds one, as if looked up through
``pns/data-utama/{nip}``, so a dry run of ``siasn_kirim`` on the demo writes complete bodies.

The id is derived from the NIP (32 upper-case hex digits, the shape SIASN's ids take), so it is the same
on every machine and every run. Idempotent.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.tindak_lanjut.models import IdSiasnPegawai


def pns_id_demo(nip: str) -> str:
    return hashlib.sha256(f"siasn-demo:{nip}".encode()).hexdigest()[:32].upper()


@transaction.atomic
def seed(instansi: Instansi) -> None:
    ada = IdSiasnPegawai.objects.filter(pegawai__instansi=instansi)
    sudah = set(ada.values_list("pegawai_id", flat=True))
    kini = timezone.now()
    for pegawai in Pegawai.objects.filter(instansi=instansi).exclude(pk__in=sudah).order_by("nip"):
        IdSiasnPegawai.objects.create(pegawai=pegawai, pns_id=pns_id_demo(pegawai.nip), dicari_pada=kini)
