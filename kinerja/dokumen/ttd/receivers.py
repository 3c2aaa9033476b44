"""Keep the cached "signing enabled" of an instansi true to its settings, whoever saves them."""

from __future__ import annotations

from typing import Any

from kinerja.common import cache
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd.layanan import lingkup


def pengaturan_berubah(sender: Any, instance: PengaturanTtd, **kwargs: Any) -> None:
    cache.invalidate(lingkup(instance.instansi_id))
