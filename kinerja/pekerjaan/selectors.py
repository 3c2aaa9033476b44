"""Reading background jobs."""

from __future__ import annotations

from typing import Any

from kinerja.pekerjaan.models import Pekerjaan


def pekerjaan_saya(user: Any, batas: int = 50) -> list[Pekerjaan]:
    """The user's most recent jobs, newest first."""
    return list(Pekerjaan.objects.filter(pemilik_id=user.pk).order_by("-dibuat_pada", "-pk")[:batas])


def terakhir(kunci: str) -> Pekerjaan | None:
    """The newest job of ``kunci`` (queued, running or done), for the page that starts it."""
    return Pekerjaan.objects.filter(kunci=kunci).order_by("-dibuat_pada", "-pk").first()
