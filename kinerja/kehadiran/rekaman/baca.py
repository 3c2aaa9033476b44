"""Reading attendance files line by line (no Django: plain string operations, fast on big attlogs).

A ZKTeco attlog line is ``PIN<TAB>YYYY-MM-DD HH:MM:SS<TAB>verify<TAB>status<TAB>workcode…`` (the PIN may be
space-padded, the line may end in CRLF). Each line gives either a tap (PIN and the local wall time, naive)
or a refusal with an Indonesian reason; the caller maps PINs to pegawai and writes the taps.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Fields an attlog line must have: PIN, time, verify, status (the rest is optional).
MIN_KOLOM_ATTLOG = 4
#: Taps older than this many days are refused (a wrong machine clock, a wrong file).
BATAS_HARI_LAMPAU = 400
#: A machine clock a little ahead is tolerated; a tap later than now plus this is "in the future".
TOLERANSI_MASA_DEPAN = datetime.timedelta(minutes=10)
MAKS_ISI_DITOLAK = 200  # characters of a refused line kept for the page


@dataclass(frozen=True, slots=True)
class Tolak:
    baris: int
    isi: str
    alasan: str


class Batas:
    """The accepted window of tap times (local, naive): not before ``awal``, not after ``akhir``."""

    __slots__ = ("akhir", "awal")

    def __init__(self, kini: datetime.datetime, hari_lampau: int = BATAS_HARI_LAMPAU) -> None:
        self.awal = datetime.datetime.combine(
            kini.date() - datetime.timedelta(days=hari_lampau), datetime.time()
        )
        self.akhir = kini + TOLERANSI_MASA_DEPAN

    def alasan(self, waktu: datetime.datetime) -> str | None:
        if waktu > self.akhir:
            return f"Waktu {waktu:%d-%m-%Y %H:%M:%S} ada di masa depan."
        if waktu < self.awal:
            return (
                f"Waktu {waktu:%d-%m-%Y %H:%M:%S} lebih lama dari {BATAS_HARI_LAMPAU} hari yang lalu "
                f"(paling awal {self.awal:%d-%m-%Y})."
            )
        return None


def waktu_teks(teks: str) -> datetime.datetime | None:
    """``YYYY-MM-DD HH:MM[:SS]`` (a ``T`` also separates) → naive datetime; None when unreadable."""
    t = teks.strip()
    n = len(t)
    if n not in (16, 19) or t[4] != "-" or t[7] != "-" or t[10] not in " T" or t[13] != ":":
        return None
    if n == 19 and t[16] != ":":
        return None
    try:
        detik = int(t[17:19]) if n == 19 else 0
        return datetime.datetime(int(t[0:4]), int(t[5:7]), int(t[8:10]), int(t[11:13]), int(t[14:16]), detik)
    except ValueError:
        return None


def attlog(baris: Iterable[str], batas: Batas) -> Iterator[tuple[int, str, datetime.datetime] | Tolak]:
    """(line number, PIN, local time) for each good line, a `Tolak` for each bad one; blank lines skipped."""
    cache: dict[str, datetime.datetime | None] = {}  # the same second recurs across many pegawai
    for nomor, mentah in enumerate(baris, 1):
        line = mentah.rstrip("\r\n")
        if not line.strip():
            continue
        kolom = line.split("\t")
        if len(kolom) < MIN_KOLOM_ATTLOG:
            yield Tolak(nomor, line[:MAKS_ISI_DITOLAK], _kurang_kolom(len(kolom)))
            continue
        pin = kolom[0].strip()
        if not pin:
            yield Tolak(nomor, line[:MAKS_ISI_DITOLAK], "PIN kosong.")
            continue
        teks = kolom[1]
        if teks in cache:
            waktu = cache[teks]
        else:
            waktu = cache[teks] = waktu_teks(teks)
        if waktu is None:
            yield Tolak(nomor, line[:MAKS_ISI_DITOLAK], f"Tanggal/jam tidak terbaca: “{teks.strip()[:40]}”.")
            continue
        alasan = batas.alasan(waktu)
        if alasan is not None:
            yield Tolak(nomor, line[:MAKS_ISI_DITOLAK], alasan)
            continue
        yield nomor, pin, waktu


def _kurang_kolom(n: int) -> str:
    return (
        f"Kolom kurang: {n} kolom, sedikitnya {MIN_KOLOM_ATTLOG} (PIN, tanggal dan jam, verifikasi, status) "
        "dipisah tab."
    )


def tanggal_sel(nilai: object) -> datetime.date | None:
    """A Tanggal cell: a date, or text dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd."""
    if isinstance(nilai, datetime.datetime):
        return nilai.date()
    if isinstance(nilai, datetime.date):
        return nilai
    if not isinstance(nilai, str):
        return None
    t = nilai.strip().replace("/", "-")
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


def jam_sel(nilai: object) -> datetime.time | None:
    """A Jam cell: a time, a datetime (its time), or text HH:MM[:SS] (a dot also separates)."""
    if isinstance(nilai, datetime.datetime):
        return nilai.time()
    if isinstance(nilai, datetime.time):
        return nilai
    if not isinstance(nilai, str):
        return None
    t = nilai.strip().replace(".", ":")
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            return datetime.datetime.strptime(t, fmt).time()
        except ValueError:
            continue
    return None


def nip_sel(nilai: object) -> str:
    """A NIP cell as text (a number cell loses nothing for 18 digits only when typed as text)."""
    if isinstance(nilai, int | float) and not isinstance(nilai, bool):
        return str(int(nilai))
    return str(nilai or "").strip().replace(" ", "")


def lembar(
    baris: Iterable[tuple[int, tuple[object, ...]]], batas: Batas
) -> Iterator[tuple[int, str, datetime.datetime] | Tolak]:
    """(row number, NIP, local time) for each filled row of the sheet after its header; `Tolak` for bad
    ones. Columns: NIP, Tanggal, Jam."""
    for nomor, nilai in baris:
        if nomor == 1:
            continue
        sel = (tuple(nilai) + (None, None, None))[:3]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in sel):
            continue
        isi = " | ".join("" if v is None else str(v) for v in sel)[:MAKS_ISI_DITOLAK]
        nip = nip_sel(sel[0])
        if not nip:
            yield Tolak(nomor, isi, "Kolom NIP kosong.")
            continue
        tanggal, jam = tanggal_sel(sel[1]), jam_sel(sel[2])
        if tanggal is None:
            yield Tolak(nomor, isi, "Kolom Tanggal tidak terbaca (isi dd-mm-yyyy atau sel tanggal).")
            continue
        if jam is None:
            yield Tolak(nomor, isi, "Kolom Jam tidak terbaca (isi JJ:MM atau JJ:MM:DD).")
            continue
        waktu = datetime.datetime.combine(tanggal, jam.replace(microsecond=0, tzinfo=None))
        alasan = batas.alasan(waktu)
        if alasan is not None:
            yield Tolak(nomor, isi, alasan)
            continue
        yield nomor, nip, waktu
