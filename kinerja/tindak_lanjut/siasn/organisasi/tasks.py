"""Background task: read SIASN's unit reference for the organisation import (docs/rules.md §21.12)."""

from __future__ import annotations

from django_tasks import task

from kinerja.tindak_lanjut.models import TarikUnorSiasn
from kinerja.tindak_lanjut.siasn.klien import SiasnError, klien_wajib
from kinerja.tindak_lanjut.siasn.organisasi import services


@task()
def read_unor(tarik_id: int) -> None:
    t = TarikUnorSiasn.objects.filter(pk=tarik_id).first()
    if t is None or not t.berjalan:
        return
    try:
        klien = klien_wajib()
    except SiasnError as e:
        services.fail_tarik(t, e.pesan)
        return
    services.run_tarik_unor(t, klien)
