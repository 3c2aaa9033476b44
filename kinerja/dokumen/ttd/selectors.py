"""What the signing page shows: a document's slots, who fills each, who signed when (docs/rules.md §29.5)."""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.dokumen.models import Dokumen, TandaTangan
from kinerja.dokumen.ttd import pihak
from kinerja.organisasi.models import User
from kinerja.rules import ttd


@dataclass(frozen=True)
class BarisSlot:
    peran: ttd.Peran
    alasan: str
    orang: User | None
    tanda_tangan: TandaTangan | None
    #: Why it cannot be signed yet (the order), empty when signed or signable.
    menunggu: str


def dokumen_by_token(token: str) -> Dokumen | None:
    return Dokumen.objects.select_related("instansi", "digantikan_oleh").filter(token=token).first()


def slot_dokumen(dok: Dokumen) -> list[BarisSlot]:
    sudah = {t.peran: t for t in pihak.tanda_tangan(dok)}
    peran_sudah = {ttd.Peran(p) for p in sudah}
    orang = pihak.penanda_slot(dok)
    return [
        BarisSlot(
            s.peran,
            s.alasan,
            orang.get(s.peran),
            sudah.get(s.peran.value),
            "" if s.peran in peran_sudah else (ttd.alasan_tidak_boleh(dok.jenis, s.peran, peran_sudah) or ""),
        )
        for s in ttd.SLOT.get(dok.jenis, ())
    ]
