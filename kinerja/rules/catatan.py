"""Time spent on a catatan kegiatan and the working days a pegawai is expected to log (docs/rules.md §34).

Pure: no Django. The service turns the messages into a ValidationError keyed by field.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MENIT_SEHARI",
    "HasilDurasi",
    "durasi_dari_jam",
    "tentukan_durasi",
    "periksa_total_hari",
    "format_durasi",
    "hari_kerja",
    "hari_kerja_sebelumnya",
]

#: A day holds at most 24 hours of logged work, all catatan of the day together.
MENIT_SEHARI = 24 * 60


@dataclass(frozen=True)
class HasilDurasi:
    """The time spent in minutes (None: not given) or the problems, keyed by form field."""

    menit: int | None
    salah: dict[str, str]


def durasi_dari_jam(mulai: datetime.time, selesai: datetime.time) -> int:
    """Minutes from ``mulai`` to ``selesai`` on the same day (negative when selesai is earlier)."""
    return (selesai.hour * 60 + selesai.minute) - (mulai.hour * 60 + mulai.minute)


def tentukan_durasi(
    jam: int | None, menit: int | None, mulai: datetime.time | None, selesai: datetime.time | None
) -> HasilDurasi:
    """The catatan's time spent from the hours-and-minutes input and/or the start and end times.

    Both times given: the duration is theirs, and an hours/minutes input given as well must agree.
    Only hours/minutes: their sum, positive and at most a day. Neither: None (time spent is optional).
    """
    salah: dict[str, str] = {}
    if jam is not None and jam < 0:
        salah["durasi_jam"] = "Jam tidak boleh negatif."
    if menit is not None and not 0 <= menit <= 59:
        salah["durasi_menit"] = "Menit diisi 0 sampai 59."
    if salah:
        return HasilDurasi(None, salah)
    isian = None if jam is None and menit is None else (jam or 0) * 60 + (menit or 0)
    if mulai is not None and selesai is not None:
        dari_jam = durasi_dari_jam(mulai, selesai)
        if dari_jam <= 0:
            return HasilDurasi(None, {"jam_selesai": "Jam selesai harus setelah jam mulai."})
        if isian is not None and isian != dari_jam:
            return HasilDurasi(
                None,
                {
                    "durasi_jam": f"Lama kegiatan ({format_durasi(isian)}) tidak sama dengan selisih jam "
                    f"mulai dan selesai ({format_durasi(dari_jam)}). Kosongkan salah satunya."
                },
            )
        return HasilDurasi(dari_jam, {})
    if isian is None:
        return HasilDurasi(None, {})
    if isian <= 0:
        return HasilDurasi(None, {"durasi_jam": "Lama kegiatan harus lebih dari 0 menit."})
    if isian > MENIT_SEHARI:
        return HasilDurasi(None, {"durasi_jam": "Lama kegiatan paling lama 24 jam."})
    return HasilDurasi(isian, {})


def periksa_total_hari(menit_lain: int, menit_ini: int | None) -> str | None:
    """The problem when this catatan brings the day's total over 24 hours (None: fine)."""
    if menit_ini is None:
        return None
    total = menit_lain + menit_ini
    if total > MENIT_SEHARI:
        sisa = max(MENIT_SEHARI - menit_lain, 0)
        return (
            f"Jumlah lama kegiatan hari ini menjadi {format_durasi(total)}, lebih dari 24 jam. "
            f"Sisa yang masih dapat dicatat: {format_durasi(sisa) or '0 menit'}."
        )
    return None


def format_durasi(menit: int | None) -> str:
    """``6 jam 45 menit``, ``2 jam``, ``30 menit``; empty for none or zero."""
    if not menit or menit <= 0:
        return ""
    jam, sisa = divmod(menit, 60)
    if jam and sisa:
        return f"{jam} jam {sisa} menit"
    return f"{jam} jam" if jam else f"{sisa} menit"


def hari_kerja(tanggal: datetime.date, libur: Iterable[datetime.date] = ()) -> bool:
    """Monday to Friday and not a holiday of the instansi's calendar (libur nasional, cuti bersama)."""
    return tanggal.weekday() < 5 and tanggal not in set(libur)


def hari_kerja_sebelumnya(tanggal: datetime.date, libur: Iterable[datetime.date] = ()) -> datetime.date:
    """The last working day before ``tanggal``."""
    libur = set(libur)
    t = tanggal - datetime.timedelta(days=1)
    while not hari_kerja(t, libur):
        t -= datetime.timedelta(days=1)
    return t
