"""What a keberatan (and a SIASN send) asks of the documents, answered by the dokumen app (a later stage,
so it listens).

Sent inside the keberatan's transaction; the receiver (connected in `DokumenConfig.ready`) returns the
document, and its errors propagate, so a failed registration rolls the keberatan back as before.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# kwargs: evaluasi, oleh. Register (or find) the evaluation's document with its current content.
dokumen_diajukan = Signal()
# kwargs: evaluasi, oleh, sekarang. Re-issue the documents after the predikat changed by the decision.
dokumen_dikabulkan = Signal()
# kwargs: evaluasi (final). The evaluation document to upload to SIASN: (file name, PDF bytes).
dokumen_siasn = Signal()


def satu_jawaban(signal: Signal, sender: Any, **kwargs: Any) -> Any:
    """The one receiver's answer; no receiver (or several) is a wiring error, never a silent None."""
    jawaban = [hasil for _, hasil in signal.send(sender=sender, **kwargs)]
    if len(jawaban) != 1:
        raise ImproperlyConfigured(f"Sinyal dokumen butuh tepat satu penerima ({len(jawaban)}).")
    return jawaban[0]
