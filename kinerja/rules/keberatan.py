"""Keberatan against a predikat kinerja (PermenPANRB 6/2022; PP 30/2019; docs/rules.md §16), as data.

A pegawai files a keberatan with reasons within N calendar days (CONFIG, default 14) of the document being
issued; the pejabat penilai writes a penjelasan within N days (CONFIG, default 5, UNSURE); the atasan
pejabat penilai (or, at the top of the instansi, the official the admin routes it to) decides within N days
(CONFIG, default 14): *ditolak* (the predikat stays) or *dikabulkan* with new rating(s), the predikat then
following from the kuadran. The decision is final. The pegawai may withdraw before the decision. One open
keberatan per result (finalisation) of an evaluation; a reopened and re-finalised evaluation is a new
result with a new window.

Counting days (**Choice**, docs/rules.md §16): the day of issue (of filing, for the later deadlines) is day
0; the deadline day itself is still in time. Issued on 1 March with 14 days: filing on 15 March is in
time, on 16 March it is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from kinerja.rules.alur import TransisiDitolak
from kinerja.rules.jadwal import lewat_batas
from kinerja.rules.realisasi import format_tanggal
from kinerja.rules.types import LabeledEnum

__all__ = [
    "DIPUTUS",
    "HARI_KEPUTUSAN_DEFAULT",
    "HARI_PENGAJUAN_DEFAULT",
    "HARI_PENJELASAN_DEFAULT",
    "TERBUKA",
    "TRANSISI",
    "Aksi",
    "Peran",
    "Status",
    "StatusPengajuan",
    "TransisiDitolak",
    "batas",
    "may_submit",
    "terlambat",
    "transisi",
]

#: Default days (CONFIG per instansi): filing after the document is issued; the penilai's penjelasan and
#: the decision, both counted from the day of filing.
HARI_PENGAJUAN_DEFAULT: Final = 14
HARI_PENJELASAN_DEFAULT: Final = 5
HARI_KEPUTUSAN_DEFAULT: Final = 14


class Status(LabeledEnum):
    DIAJUKAN = "diajukan", "Diajukan"
    DIJELASKAN = "dijelaskan", "Dijelaskan pejabat penilai"
    DITOLAK = "ditolak", "Ditolak"
    DIKABULKAN = "dikabulkan", "Dikabulkan"
    DITARIK = "ditarik", "Ditarik"


class Aksi(LabeledEnum):
    JELASKAN = "jelaskan", "Memberi penjelasan"
    TOLAK = "tolak", "Menolak keberatan"
    KABULKAN = "kabulkan", "Mengabulkan keberatan"
    TARIK = "tarik", "Menarik keberatan"


class Peran(LabeledEnum):
    PEGAWAI = "pegawai", "Pegawai yang mengajukan"
    PENILAI = "penilai", "Pejabat penilai"
    PEMUTUS = "pemutus", "Atasan pejabat penilai (pemutus keberatan)"


#: A keberatan still waiting for its decision (at most one per result of an evaluation).
TERBUKA: Final = frozenset({Status.DIAJUKAN, Status.DIJELASKAN})
#: A decided keberatan (final): no second one against the same result.
DIPUTUS: Final = frozenset({Status.DITOLAK, Status.DIKABULKAN})


@dataclass(frozen=True)
class Transisi:
    ke: Mapping[Status, Status]
    oleh: Peran


TRANSISI: Final[Mapping[Aksi, Transisi]] = MappingProxyType(
    {
        Aksi.JELASKAN: Transisi(MappingProxyType({Status.DIAJUKAN: Status.DIJELASKAN}), Peran.PENILAI),
        # The decision normally follows the penjelasan; once the penilai's deadline has passed without one,
        # the atasan decides without it (see `transisi`).
        Aksi.TOLAK: Transisi(
            MappingProxyType({Status.DIJELASKAN: Status.DITOLAK, Status.DIAJUKAN: Status.DITOLAK}),
            Peran.PEMUTUS,
        ),
        Aksi.KABULKAN: Transisi(
            MappingProxyType({Status.DIJELASKAN: Status.DIKABULKAN, Status.DIAJUKAN: Status.DIKABULKAN}),
            Peran.PEMUTUS,
        ),
        Aksi.TARIK: Transisi(
            MappingProxyType({Status.DIAJUKAN: Status.DITARIK, Status.DIJELASKAN: Status.DITARIK}),
            Peran.PEGAWAI,
        ),
    }
)


def _daftar(items: Collection[Status]) -> str:
    labels = [i.label.lower() for i in sorted(items, key=list(Status).index)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " atau " + labels[-1]


def transisi(status: Status, aksi: Aksi, peran: Peran, *, penjelasan_lewat: bool = False) -> Status:
    """The status after ``aksi``, or :class:`TransisiDitolak` saying why (role, then status).

    Deciding (tolak/kabulkan) a keberatan still waiting for the penilai's penjelasan is allowed only once
    the penjelasan deadline has passed (``penjelasan_lewat``).
    """
    status, aksi, peran = Status(status), Aksi(aksi), Peran(peran)
    aturan = TRANSISI[aksi]
    if peran is not aturan.oleh:
        raise TransisiDitolak(f"{aksi.label} hanya dapat dilakukan oleh {aturan.oleh.label.lower()}.")
    if status not in aturan.ke:
        raise TransisiDitolak(
            f"{aksi.label} tidak dapat dilakukan pada keberatan berstatus {status.label.lower()} "
            f"(hanya dari status {_daftar(frozenset(aturan.ke))})."
        )
    if aksi in (Aksi.TOLAK, Aksi.KABULKAN) and status is Status.DIAJUKAN and not penjelasan_lewat:
        raise TransisiDitolak(
            "Keberatan diputus setelah pejabat penilai memberi penjelasan, atau setelah batas waktu "
            "penjelasannya lewat."
        )
    return aturan.ke[status]


def batas(mulai: date, hari: int) -> date:
    """The last day in time for something due ``hari`` calendar days after ``mulai`` (day 0)."""
    if hari < 1:
        raise ValueError("Jumlah hari harus paling sedikit 1.")
    return mulai + timedelta(days=hari)


def terlambat(batas_hari: date, hari_ini: date) -> bool:
    """Past the (inclusive) deadline."""
    return lewat_batas(batas_hari, hari_ini)


@dataclass(frozen=True)
class StatusPengajuan:
    boleh: bool
    alasan: str
    batas: date | None = None


def may_submit(
    *,
    tahunan: bool,
    final: bool,
    terbit: date | None,
    hari_ini: date,
    hari: int = HARI_PENGAJUAN_DEFAULT,
    periodik_diizinkan: bool = False,
    ada_yang_terbuka: bool = False,
) -> StatusPengajuan:
    """Whether a keberatan may be filed now against an evaluation, and why not (Indonesian).

    ``terbit``: the day the (final) document was issued. Checks in order: the evaluation is final; annual,
    or periodic when the instansi allows it (CONFIG); no other keberatan is open; the window.
    """
    if not final or terbit is None:
        return StatusPengajuan(False, "Keberatan hanya dapat diajukan atas predikat yang sudah final.")
    if not tahunan and not periodik_diizinkan:
        return StatusPengajuan(
            False, "Keberatan hanya dapat diajukan atas predikat kinerja tahunan (Akhir) di instansi ini."
        )
    if ada_yang_terbuka:
        return StatusPengajuan(
            False, "Sudah ada keberatan yang belum diputus untuk evaluasi ini; tunggu keputusannya."
        )
    akhir = batas(terbit, hari)
    if terlambat(akhir, hari_ini):
        return StatusPengajuan(
            False,
            f"Batas pengajuan keberatan ({hari} hari sejak dokumen diterbitkan {format_tanggal(terbit)}) "
            f"berakhir {format_tanggal(akhir)}.",
            akhir,
        )
    return StatusPengajuan(True, f"Keberatan dapat diajukan sampai {format_tanggal(akhir)}.", akhir)
