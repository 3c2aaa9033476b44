"""Background task: read the data-utama of an instansi's pegawai from SIASN (docs/rules.md §21.10;
docs/architecture.md "Background tasks")."""

from __future__ import annotations

from django_tasks import task

from kinerja.tindak_lanjut.models import PenyegaranDataUtama
from kinerja.tindak_lanjut.siasn.data_utama import services
from kinerja.tindak_lanjut.siasn.klien import SiasnError, klien_wajib


@task()
def refresh_data_utama(penyegaran_id: int) -> None:
    p = PenyegaranDataUtama.objects.filter(pk=penyegaran_id).first()
    if p is None or not p.berjalan:
        return  # deleted, or already run (a task delivered twice)
    try:
        klien = klien_wajib()
    except SiasnError as e:
        services.fail_refresh(p, e.pesan)
        return
    services.run_refresh(p, klien)
