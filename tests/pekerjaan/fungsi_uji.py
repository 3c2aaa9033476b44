"""Job functions the background-job tests run (module level: the worker finds them by their path)."""

from __future__ import annotations

from kinerja.pekerjaan.services import GagalPekerjaan, Laporan


def tulis_berkas(laporan: Laporan, teks: str, langkah: int = 3) -> None:
    for i in range(langkah + 1):
        laporan.langkah(i, langkah, f"Menulis bagian {i}")
    laporan.hasil(teks.encode(), "hasil uji.txt")
    laporan.ringkas(f"{langkah} bagian ditulis.")


def tolak(laporan: Laporan) -> None:
    laporan.langkah(1, 4, "Memeriksa data")
    raise GagalPekerjaan("Periode penilaian 2026 belum dibuat; buat periodenya dahulu.")


def rusak(laporan: Laporan) -> None:
    raise RuntimeError("kunci rahasia bocor di traceback")


def langkah_banyak(laporan: Laporan, n: int) -> None:
    for i in range(n + 1):
        laporan.langkah(i, n, "Menghitung")
