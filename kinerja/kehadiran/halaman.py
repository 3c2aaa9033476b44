"""What the stage's admin pages share: the instansi managed, a date from a query value, a service's
errors by field."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from kinerja.organisasi.models import Instansi
from kinerja.permissions import admin_instansi


def instansi_dikelola(request: HttpRequest) -> Instansi:
    """The instansi whose attendance and TPP the admin manages; 403 for anyone else."""
    instansi = admin_instansi(request)
    if not request.user.has_perm("kehadiran.manage_kehadiran", instansi):
        raise PermissionDenied("Halaman ini hanya untuk admin kepegawaian.")
    return instansi


def tanggal_iso(teks: str | None) -> datetime.date | None:
    """``2026-03-02`` → the date; None for empty or unreadable."""
    try:
        return datetime.date.fromisoformat((teks or "").strip())
    except ValueError:
        return None


def galat_per_bidang(exc: ValidationError) -> dict[str, str]:
    """A service's ValidationError as field → message (``umum`` when it names no field)."""
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"umum": " ".join(exc.messages)}
