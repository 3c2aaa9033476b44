"""The one write that changes a FINAL evaluation: the decision granting a keberatan (docs/rules.md §18).

Called only by `kinerja.tindak_lanjut.keberatan.services.putuskan`, inside its transaction, after it checked
who decides and the keberatan's workflow. The new rating(s) replace the final ones with the reason
"Diubah atas keputusan keberatan: <pertimbangan>"; the predikat follows from the kuadran in `Evaluasi.save`
(never typed); the version moves on and the history names the pemutus. The evaluation stays final (status
and final_pada unchanged): the decision is final, and the revised document is registered by the caller.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from kinerja.organisasi.models import User
from kinerja.penilaian import signals
from kinerja.penilaian.models import Evaluasi
from kinerja.rules.types import Rating

AWALAN_ALASAN = "Diubah atas keputusan keberatan: "


def apply_keputusan_keberatan(
    evaluasi: Evaluasi,
    rating_hasil: Rating,
    rating_perilaku: Rating,
    pertimbangan: str,
    oleh: User,
) -> Evaluasi:
    """Set the granted rating(s) on the final evaluation (row-locked re-read) and return it."""
    ev = Evaluasi.objects.select_for_update(of=("self",)).get(pk=evaluasi.pk)
    if not ev.is_final:
        raise ValidationError(
            "Evaluasi ini tidak lagi final (dibuka kembali oleh admin); keputusan keberatan tidak dapat "
            "diterapkan."
        )
    hasil, perilaku = Rating(rating_hasil), Rating(rating_perilaku)
    if hasil.value == ev.rating_hasil and perilaku.value == ev.rating_perilaku:
        raise ValidationError("Keputusan mengabulkan keberatan harus mengubah paling sedikit satu rating.")
    alasan = AWALAN_ALASAN + pertimbangan.strip()
    if hasil.value != ev.rating_hasil:
        ev.rating_hasil, ev.alasan_ubah_hasil = hasil.value, alasan
    if perilaku.value != ev.rating_perilaku:
        ev.rating_perilaku, ev.alasan_ubah_perilaku = perilaku.value, alasan
    ev.versi += 1
    ev._keputusan_keberatan = True  # type: ignore[attr-defined]
    ev._history_user = oleh  # type: ignore[attr-defined]
    ev.save()
    ev._keputusan_keberatan = False  # type: ignore[attr-defined]
    signals.evaluasi_final.send(sender=Evaluasi, evaluasi=ev, sebab="keberatan")
    return ev
