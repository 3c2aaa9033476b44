"""Writes of the tunjangan kinerja table (docs/rules.md §20.1; rules in `kinerja.rules.tukin`).

`save_tabel` saves a new version; rows are never changed or deleted (the model refuses), so the
versions themselves are the audit trail: who (``dibuat_oleh``), when (``dibuat_pada``), why (``alasan``),
from which day (``berlaku_mulai``) and the five percentages.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from kinerja.organisasi.models import Instansi, User
from kinerja.permissions import require
from kinerja.rules import tukin
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.models import TabelTunjanganKinerja

TOLAK = "Tabel tunjangan kinerja hanya dapat dikelola oleh admin kepegawaian instansi."


def field(p: Predikat) -> str:
    return f"persen_{p.value}"


def save_tabel(
    instansi: Instansi,
    nilai: Mapping[Predikat | str, str | Decimal | int | None],
    berlaku_mulai: datetime.date | None,
    alasan: str,
    oleh: User,
) -> tuple[TabelTunjanganKinerja, tuple[str, ...]]:
    """Save a new version of the instansi's table; returns it and the monotonicity warnings.

    ``nilai``: predikat → percentage (typed text such as ``"87,5"`` or a number). Every field error is
    reported at once, named by its form field (``persen_<predikat>``, ``berlaku_mulai``, ``alasan``)."""
    require(oleh, "tindak_lanjut.change_tukin", instansi, TOLAK)
    dibaca = {Predikat(k): v for k, v in nilai.items()}
    galat: dict[str, str] = {}
    persen: dict[Predikat, Decimal | None] = {}
    for p in Predikat:
        try:
            persen[p] = tukin.read_persen(dibaca.get(p))
        except ValueError as exc:
            galat[field(p)] = f"Persentase untuk predikat {p.label} {exc}."
            persen[p] = None
    hasil = tukin.validasi(persen)
    for p, pesan in hasil.galat.items():
        galat.setdefault(field(p), pesan)
    if berlaku_mulai is None:
        galat["berlaku_mulai"] = "Tanggal berlaku mulai wajib diisi."
    alasan = (alasan or "").strip()
    if not alasan:
        galat["alasan"] = "Alasan perubahan wajib diisi."
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        # Lock the instansi row so two admins saving at once get consecutive version numbers.
        Instansi.objects.select_for_update().filter(pk=instansi.pk).first()
        terakhir = TabelTunjanganKinerja.objects.filter(instansi=instansi).aggregate(m=Max("versi"))["m"]
        row = TabelTunjanganKinerja(
            instansi=instansi,
            versi=(terakhir or 0) + 1,
            berlaku_mulai=berlaku_mulai,
            alasan=alasan,
            dibuat_oleh=oleh,
            **{field(p): persen[p] for p in Predikat},
        )
        row.save()
    return row, hasil.peringatan
