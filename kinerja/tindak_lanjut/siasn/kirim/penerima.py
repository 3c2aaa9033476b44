"""Receiver of the evaluation stage's ``evaluasi_final`` (connected in `TindakLanjutConfig.ready`): a final
result made or changed is queued for SIASN when SIASN is configured for the instansi (docs/rules.md §21.9).
The send itself runs after the commit, in the worker."""

from __future__ import annotations

from typing import Any

from kinerja.tindak_lanjut.siasn.kirim import services


def saat_final(sender: Any, evaluasi: Any, **kwargs: Any) -> None:
    services.queue_on_final(evaluasi)
