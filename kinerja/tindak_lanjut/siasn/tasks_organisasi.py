"""Background task: read SIASN's unit reference for the organisation import (docs/rules.md §21.12)."""

from __future__ import annotations

from django_tasks import task

from kinerja.tindak_lanjut.models import TarikUnorSiasn
from kinerja.tindak_lanjut.siasn import services_organisasi as services
from kinerja.tindak_lanjut.siasn.klien import SiasnError, klien_from_env
from kinerja.tindak_lanjut.siasn.tasks_data_utama import BELUM_DIKONFIGURASI


@task()
def read_unor(tarik_id: int) -> None:
    t = TarikUnorSiasn.objects.filter(pk=tarik_id).first()
    if t is None or not t.berjalan:
        return
    try:
        klien = klien_from_env()
    except SiasnError as e:
        services.fail_tarik(t, e.pesan)
        return
    if klien is None:
        services.fail_tarik(t, BELUM_DIKONFIGURASI)
        return
    services.run_tarik_unor(t, klien)
