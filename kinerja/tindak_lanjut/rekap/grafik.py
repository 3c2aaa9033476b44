"""The predikat distribution chart of the rekap: one horizontal bar per predikat (count and share of the
final evaluations), as plain SVG with inline attributes (no JavaScript, no external resource).

`kinerja.penilaian.grafik` draws a rating group against its pola distribusi curve (allowed bands, brackets
of joint constraints); a rekap of a unit or instansi has no curve to compare with, so this is a separate,
much smaller drawing in the same colours. Coordinates are strings with a dot decimal so Django's number
localisation never reaches an SVG attribute. Django-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kinerja.rules.types import Predikat

LEBAR = 600
LABEL_LEBAR = 150  # the predikat names, right-aligned before the bars
BATANG_KIRI = LABEL_LEBAR + 10
BATANG_MAKS = 330
BARIS = 30
BATANG_TINGGI = 20
ATAS = 8
WARNA = "#2f5d8a"


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Batang:
    label: str
    jumlah: int
    persen: str
    y: str  # top of the bar
    teks_y: str  # baseline of the label and the value
    lebar: str
    nilai_x: str  # where the value text starts


@dataclass(frozen=True)
class GrafikRekap:
    id: str
    judul: str
    deskripsi: str
    viewbox: str
    batang: tuple[Batang, ...]
    label_x: str
    batang_kiri: str
    sumbu_bawah: str
    kosong: bool


def grafik(
    id_: str, judul: str, distribusi: Sequence[tuple[Predikat, int, str]], jumlah_final: int
) -> GrafikRekap:
    """``distribusi``: (predikat, count, share text) best first, as `selectors_rekap.Angka.distribusi`."""
    maks = max((n for _, n, _ in distribusi), default=0)
    batang = []
    for i, (p, n, persen) in enumerate(distribusi):
        y = ATAS + i * BARIS
        lebar = 0.0 if maks == 0 else BATANG_MAKS * n / maks
        if n > 0:
            lebar = max(lebar, 2.0)  # a small count is still visible
        batang.append(
            Batang(
                label=p.label,
                jumlah=n,
                persen=persen,
                y=_f(y),
                teks_y=_f(y + BATANG_TINGGI / 2 + 4),
                lebar=_f(lebar),
                nilai_x=_f(BATANG_KIRI + lebar + 6),
            )
        )
    tinggi = ATAS + len(distribusi) * BARIS + 4
    bagian = [f"{p.label}: {n} pegawai ({persen})" for p, n, persen in distribusi]
    deskripsi = f"Sebaran predikat dari {jumlah_final} evaluasi final. " + "; ".join(bagian) + "."
    return GrafikRekap(
        id=id_,
        judul=judul,
        deskripsi=deskripsi,
        viewbox=f"0 0 {LEBAR} {_f(tinggi)}",
        batang=tuple(batang),
        label_x=_f(LABEL_LEBAR),
        batang_kiri=_f(BATANG_KIRI),
        sumbu_bawah=_f(tinggi - 4),
        kosong=jumlah_final == 0,
    )
