"""Whether an instansi is large enough that its whole-instansi exports run as background jobs
(docs/architecture.md "Background jobs"): on a small one they take well under a second and stay direct."""

from __future__ import annotations

from typing import Any

from kinerja.organisasi.models import Pegawai

#: Above this many active pegawai, whole-instansi exports and bulk actions run in the background.
BATAS_LANGSUNG = 2000


def instansi_besar(instansi: Any) -> bool:
    """One query (a bounded slice, not a full count)."""
    instansi_id = getattr(instansi, "pk", instansi)
    qs = Pegawai.objects.filter(instansi_id=instansi_id, aktif=True).order_by()
    return qs[BATAS_LANGSUNG : BATAS_LANGSUNG + 1].exists()
