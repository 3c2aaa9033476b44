"""The one task every background job runs in (docs/architecture.md "Background jobs")."""

from __future__ import annotations

from django_tasks import task

from kinerja.pekerjaan import services


@task()
def jalankan_pekerjaan(pekerjaan_id: int) -> None:
    services.jalankan(pekerjaan_id)
