"""Unlocking a login that django-axes locked after repeated wrong passwords (docs/rules.md §24.1)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kinerja.organisasi.keamanan import selectors as selectors_keamanan
from kinerja.organisasi.models import Pegawai, PembukaanKunciAkun, User


@transaction.atomic
def unlock_akun(pegawai: Pegawai, oleh: User, alasan: str) -> PembukaanKunciAkun:
    """The admin kepegawaian of the pegawai's instansi unlocks their login, with a reason (audited).

    Removes the login's failed attempts (from every address), so it may try again at once. An address locked
    for failures on many logins stays locked until its time passes.
    """
    if not oleh.has_perm("organisasi.change_pegawai", pegawai):
        raise PermissionDenied(
            "Hanya admin kepegawaian instansi pegawai ini yang dapat membuka kunci akunnya."
        )
    alasan = alasan.strip()
    if not alasan:
        raise ValidationError({"alasan": "Tuliskan alasan membuka kunci, mis. “pegawai sudah dihubungi”."})
    user = User.objects.filter(pegawai=pegawai).first()
    if user is None:
        raise ValidationError("Pegawai ini belum memiliki akun.")
    status = selectors_keamanan.status_kunci(user.username)
    if status.terkunci_sampai is None:
        raise ValidationError("Akun ini tidak sedang dikunci.")
    AccessAttempt.objects.filter(username=user.username).delete()
    return PembukaanKunciAkun.objects.create(
        user=user, dibuka_oleh=oleh, alasan=alasan, jumlah_gagal=status.gagal
    )
