"""The "pola distribusi" chart of a rating group: actual predikat counts next to the allowed curve.

:func:`data_grafik` turns a :class:`~kinerja.rules.distribusi.DistribusiCheck` into a
:class:`GrafikDistribusi` with everything the template ``penilaian/_grafik_distribusi.html`` shows already
computed: per predikat the count, the allowed range from the constraints on that predikat alone, the
status, and the SVG geometry (as strings, so Django's number localisation — ``LANGUAGE_CODE = "id"`` writes
``12,5`` — never reaches an SVG attribute). Constraints over several predikat ("harus ada BP atau K",
"K + BP ≥ 10 %") are drawn as a bracket under the columns they join and listed as rows of their own.

The chart is plain SVG + HTML with inline attributes/styles only, so it looks the same on a Bootstrap page
and in a WeasyPrint PDF (no JavaScript, no external resource). Use::

    {% include "penilaian/_grafik_distribusi.html" with grafik=grafik %}

Django-free on purpose: only ``kinerja.rules`` and the standard library.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from kinerja.rules.distribusi import (
    DEFAULT_RULES,
    ConstraintKind,
    ConstraintRange,
    DistribusiCheck,
    Finding,
    Rules,
    Sebab,
)
from kinerja.rules.types import CapaianOrganisasi, Predikat

__all__ = [
    "GabunganGrafik",
    "GarisSumbu",
    "GrafikDistribusi",
    "KolomGrafik",
    "LegendaItem",
    "Temuan",
    "data_grafik",
]

NBSP = "\u00a0"

# --- geometry of the SVG (user units of the viewBox; ~1 px on screen, ~0.27 mm on an A4 page) ---------

LEBAR = 640
PLOT_KIRI = 46
PLOT_KANAN = 626
PLOT_ATAS = 58
PLOT_TINGGI = 170
PLOT_BAWAH = PLOT_ATAS + PLOT_TINGGI
LEBAR_BATANG = 40
LEBAR_PITA = 76
LABEL_BARIS_1 = PLOT_BAWAH + 17
LABEL_BARIS_2 = PLOT_BAWAH + 30
BATAS_Y = PLOT_BAWAH + 47
GABUNGAN_AWAL = BATAS_Y + 24  # y of the line of the first bracket row
GABUNGAN_JARAK = 32
HURUF_GABUNGAN = 11  # font size of a bracket label
BATANG_NOL = 1.5  # a count of 0 is drawn as a thin line on the axis, so the column is visibly empty

# Colours live in the template (bars #2f5d8a; outside: red hatching #c62828 on white, edge #7f1d1d; allowed
# band #cfe8d7 with dashed bound lines #1e7a46): they stay readable printed in black and white.

_nomor = itertools.count(1)


def _f(x: float) -> str:
    """A coordinate for an SVG attribute: dot decimal, at most one decimal place."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _persen_aturan(share: Decimal) -> str:
    """``Decimal("0.7")`` -> ``"70 %"``; ``Decimal("0.125")`` -> ``"12,5 %"``."""
    text = format((share * 100).normalize(), "f").replace(".", ",")
    return f"{text}{NBSP}%"


def _persen_jumlah(count: int, n: int) -> str:
    """Share of the group, whole percent (half up): 8 of 12 -> ``"67 %"``."""
    if n <= 0:
        return ""
    value = (Decimal(count) * 100 / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value}{NBSP}%"


def _baris_label(label: str) -> tuple[str, str]:
    """Two lines for a column label: ``"Butuh Perbaikan"`` -> ``("Butuh", "Perbaikan")``."""
    if "/" in label:
        head, tail = label.split("/", 1)
        return head + "/", tail
    words = label.split(" ")
    if len(words) == 1:
        return label, ""
    return " ".join(words[:-1]), words[-1]


def _langkah(n: int) -> int:
    """Step of the count axis: the smallest 1-2-5 step giving at most six intervals up to ``n``."""
    base = 1
    while True:
        for m in (1, 2, 5):
            if math.ceil(n / (m * base)) <= 6:
                return m * base
        base *= 10


def _batas_teks(r: ConstraintRange, n: int, *, singkat: bool = False) -> str:
    """One constraint as a bound: ``"≤ 8 (70 %)"``, ``"≥ 7 (60 %)"``, ``"≥ 1 (harus ada)"``."""
    c = r.constraint
    if c.kind is ConstraintKind.HARUS_ADA:
        return f"≥{NBSP}1 (harus ada)"
    if n == 0:  # no counts yet: the shares only
        if c.kind is ConstraintKind.MAX:
            return "tidak boleh ada" if c.share == 0 else f"≤{NBSP}{_persen_aturan(c.share)}"
        return f"≥{NBSP}{_persen_aturan(c.share)}"
    if c.kind is ConstraintKind.MAX:
        if c.share == 0 and r.maximum == 0:
            return "0 (tidak boleh ada)"
        extra = ""
        if not singkat and r.maximum > int((c.share * n).to_integral_value(rounding=ROUND_FLOOR)):
            extra = f"; minimal {r.maximum} diizinkan"  # min_allowed raised the maximum
        return f"≤{NBSP}{r.maximum} ({_persen_aturan(c.share)}{extra})"
    return f"≥{NBSP}{r.minimum} ({_persen_aturan(c.share)})"


def _batas_singkat(own: Sequence[ConstraintRange], low: int, high: int, n: int) -> str:
    """The bound printed under a column, short enough for its width."""
    if not own:
        return "bebas"
    if len(own) == 1:
        r = own[0]
        if r.constraint.kind is ConstraintKind.MAX and r.constraint.share == 0 and r.maximum == 0:
            return "tidak boleh ada"
        return _batas_teks(r, n, singkat=True)
    if n == 0:
        return " dan ".join(_batas_teks(r, n) for r in own)
    if low == high:
        return f"tepat {low}"
    parts = []
    if any(r.minimum > 0 for r in own):
        parts.append(f"≥{NBSP}{low}")
    if any(r.constraint.kind is ConstraintKind.MAX for r in own):
        parts.append(f"≤{NBSP}{high}")
    return " dan ".join(parts)


def _aturan_teks(r: ConstraintRange) -> str:
    """A constraint in shares only (for an empty group): ``"Baik paling banyak 70 %"``."""
    c = r.constraint
    if c.kind is ConstraintKind.HARUS_ADA:
        return "Harus ada paling sedikit 1 pegawai dengan predikat " + " atau ".join(
            p.label for p in c.ordered
        )
    if c.kind is ConstraintKind.MAX:
        if c.share == 0:
            return f"{c.label} tidak boleh ada"
        return f"{c.label} paling banyak {_persen_aturan(c.share)}"
    return f"{c.label} paling sedikit {_persen_aturan(c.share)}"


@dataclass(frozen=True)
class GarisSumbu:
    """A horizontal grid line of the count axis with its label."""

    y: str
    label: str
    label_y: str


@dataclass(frozen=True)
class KolomGrafik:
    """One predikat: its count, allowed range (constraints on this predikat alone), status and geometry."""

    predikat: Predikat
    label: str
    jumlah: int
    persen: str  # share of the group, e.g. "67 %" ("" when the group is empty)
    minimum: int  # allowed counts from the constraints on this predikat alone ([0, n] when none)
    maksimum: int
    ada_batas_bawah: bool
    ada_batas_atas: bool
    batas: str  # "≤ 8 (70 %)", "≥ 7 (60 %)", "bebas"
    batas_singkat: str  # under the column label: "≤ 8 (70 %)", "≥ 2 dan ≤ 8", "tidak boleh ada", "bebas"
    catatan: tuple[str, ...]  # constraints over several predikat that include this one
    di_luar: bool
    status: str  # "Sesuai", "Melebihi batas", "Kurang dari batas", "—" (not applicable)
    sebagian_besar: bool  # the predikat the rule wants for most of the group
    # --- SVG geometry (strings: see the module docstring) ---
    tengah: str
    label_baris: tuple[tuple[str, str], ...]  # (text, y)
    batang_x: str
    batang_y: str
    batang_tinggi: str
    nilai_y: str
    persen_grafik: str  # " (67 %)" next to the count in the chart ("" for 0)
    status_y: str
    status_singkat: str  # "melebihi" / "kurang" above an outside bar
    pita: bool  # draw the allowed band
    pita_x: str
    pita_y: str
    pita_tinggi: str
    pita_x2: str
    garis_atas_y: str  # "" when there is no upper bound line
    garis_bawah_y: str
    penanda_x: str  # x of the small bound labels right of the band
    penanda_atas: str  # "≤ 8"
    penanda_atas_y: str
    penanda_bawah: str  # "≥ 7"
    penanda_bawah_y: str


@dataclass(frozen=True)
class GabunganGrafik:
    """A constraint over several predikat (e.g. "harus ada Butuh Perbaikan atau Kurang/Misconduct")."""

    label: str  # "Butuh Perbaikan + Kurang/Misconduct"
    predikat: tuple[Predikat, ...]
    jumlah: int
    persen: str
    batas: str
    deskripsi: str  # the rule's own description with counts
    terpenuhi: bool
    status: str
    # --- bracket under the columns ---
    x1: str
    x2: str
    y: str
    tanda_y: str  # top of the ticks pointing at the member columns
    tanda_x: tuple[str, ...]
    teks: str
    teks_x: str
    teks_y: str


@dataclass(frozen=True)
class Temuan:
    """A violation or warning with, for an exceeded maximum, the names of the pegawai concerned."""

    pesan: str
    nama: tuple[str, ...] = ()


@dataclass(frozen=True)
class LegendaItem:
    jenis: str  # "batang", "pita", "luar"
    x: str
    teks: str
    teks_x: str


@dataclass(frozen=True)
class GrafikDistribusi:
    """Everything the template shows for one rating group (see :func:`data_grafik`)."""

    id: str
    capaian: CapaianOrganisasi
    capaian_label: str
    n: int
    applicable: bool
    alasan: str | None
    keterangan: str  # caption: "Capaian organisasi Baik · 12 pegawai · 1 pelanggaran"
    judul: str  # <title> of the SVG
    deskripsi: str  # <desc> of the SVG: the chart in words
    kolom: tuple[KolomGrafik, ...]
    gabungan: tuple[GabunganGrafik, ...]
    pelanggaran: tuple[Temuan, ...]
    peringatan: tuple[Temuan, ...]
    aturan: tuple[str, ...]  # the rule in shares (shown for an empty group)
    sebagian_besar: str  # label of the bulk predikat, "" when unknown or none
    # --- SVG frame ---
    tinggi: str
    viewbox: str
    sumbu: tuple[GarisSumbu, ...]
    plot_kiri: str
    plot_kanan: str
    plot_bawah: str
    plot_atas: str
    sumbu_label_x: str
    batas_y: str
    lebar_batang: str
    lebar_pita: str
    legenda: tuple[LegendaItem, ...]

    @property
    def kosong(self) -> bool:
        """No pegawai in the group: the chart is replaced by a message."""
        return self.n == 0

    @property
    def ok(self) -> bool:
        return self.applicable and not self.pelanggaran

    @property
    def ada_di_luar(self) -> bool:
        return any(k.di_luar for k in self.kolom) or any(not g.terpenuhi for g in self.gabungan)


def _bulk(cek: DistribusiCheck, rules: Rules | None) -> Predikat | None:
    """The bulk predikat of the rule ``cek`` was checked against; refuses rules that do not match it."""
    rule = (DEFAULT_RULES if rules is None else rules).get(cek.capaian)
    checked = tuple(r.constraint for r in cek.ranges)
    if rule is None:
        if checked:
            raise ValueError(
                f"Aturan pola distribusi yang diberikan tidak memuat capaian {cek.capaian.label}, "
                "padahal pemeriksaan memakainya"
            )
        return None
    if not checked and not cek.applicable and cek.reason and cek.reason.startswith("Belum ada ketentuan"):
        raise ValueError(
            f"Aturan pola distribusi yang diberikan memuat capaian {cek.capaian.label}, "
            "padahal pemeriksaan tidak menemukannya"
        )
    if tuple(rule.constraints) != checked:
        raise ValueError(
            f"Aturan pola distribusi yang diberikan berbeda dari yang dipakai pemeriksaan capaian "
            f"{cek.capaian.label}; berikan aturan instansi yang sama kepada data_grafik"
        )
    return rule.bulk


def _penanda_y(line_y: float) -> float:
    """Baseline of a bound label beside its line: centred on it, or just above it on the axis."""
    return line_y - 3 if line_y >= PLOT_BAWAH - 1 else line_y + 4


def _di_atas_garis(baseline: float, height: float, lines: Sequence[float]) -> float:
    """Baseline of the labels above a bar, moved up above any bound line that would cross them.

    The labels span ``[baseline - height, baseline + 3]`` (``height`` above the baseline of the count).
    """
    for line in sorted(lines, reverse=True):  # the lowest line first
        if baseline - height - 3 <= line <= baseline + 5:
            baseline = line - 6
    return baseline


def _tinggi(count: int, top: int) -> float:
    return PLOT_TINGGI * count / top


def _temuan(
    findings: Sequence[Finding], pegawai: Mapping[Predikat, Sequence[str]] | None, with_names: bool
) -> tuple[Temuan, ...]:
    result = []
    for f in findings:
        nama: tuple[str, ...] = ()
        if with_names and pegawai is not None and f.kind is ConstraintKind.MAX:
            nama = tuple(name for p in f.predikat for name in pegawai.get(p, ()))
        result.append(Temuan(f.message, nama))
    return tuple(result)


def _check_pegawai(cek: DistribusiCheck, pegawai: Mapping[Predikat, Sequence[str]]) -> None:
    for key, names in pegawai.items():
        try:
            p = Predikat(key)
        except ValueError:
            raise ValueError(f"Predikat tidak dikenal pada daftar nama pegawai: {key!r}") from None
        if isinstance(names, str):
            raise ValueError(f"Nama pegawai untuk predikat {p.label} harus berupa daftar, bukan satu teks")
        if len(names) != cek.counts.get(p, 0):
            raise ValueError(
                f"Jumlah nama pegawai untuk predikat {p.label} ({len(names)}) berbeda dari jumlah pada "
                f"pemeriksaan ({cek.counts.get(p, 0)})"
            )
    for p in Predikat:
        if cek.counts.get(p, 0) and p not in pegawai:
            raise ValueError(f"Nama pegawai untuk predikat {p.label} tidak diberikan")


def _baris_gabungan(spans: Sequence[tuple[float, float]]) -> list[int]:
    """Row per bracket (greedy, in the order given): brackets whose extents overlap go to different rows."""
    rows: list[list[tuple[float, float]]] = []
    result = []
    for lo, hi in spans:
        for i, taken in enumerate(rows):
            if all(hi + 8 < a or lo - 8 > b for a, b in taken):
                taken.append((lo, hi))
                result.append(i)
                break
        else:
            rows.append([(lo, hi)])
            result.append(len(rows) - 1)
    return result


def data_grafik(
    cek: DistribusiCheck,
    *,
    rules: Rules | None = None,
    pegawai: Mapping[Predikat, Sequence[str]] | None = None,
    kunci: str | None = None,
) -> GrafikDistribusi:
    """The chart data of one rating group from its distribution check.

    ``rules`` are the instansi's rules the check was made with (``None``: the defaults); they are only
    read for the predikat wanted for "sebagian besar", and a mismatch with ``cek`` raises ``ValueError``.
    ``pegawai`` (optional) maps each predikat to the names of the pegawai holding it (as many as the
    counts); an exceeded maximum then lists them. ``kunci`` makes the SVG ids unique on a page that shows
    several charts (default: a number unique in the process).
    """
    bulk = _bulk(cek, rules)
    if pegawai is not None:
        _check_pegawai(cek, pegawai)
    n = cek.n
    uid = "grafik-distribusi-" + (
        re.sub(r"[^A-Za-z0-9_-]+", "-", kunci) if kunci is not None else str(next(_nomor))
    )
    counts = {p: cek.counts.get(p, 0) for p in Predikat}

    single: dict[Predikat, list[ConstraintRange]] = {p: [] for p in Predikat}
    combined: list[ConstraintRange] = []
    for r in cek.ranges:
        if len(r.constraint.predikat) == 1:
            single[next(iter(r.constraint.predikat))].append(r)
        else:
            combined.append(r)

    step = _langkah(max(n, 1))
    top = max(step * math.ceil(max(n, 1) / step), 1)
    column = (PLOT_KANAN - PLOT_KIRI) / len(Predikat)

    def y_of(count: int) -> float:
        return PLOT_BAWAH - _tinggi(count, top)

    def center(p: Predikat) -> float:
        return PLOT_KIRI + column * (list(Predikat).index(p) + 0.5)

    # Not applicable because the rules have no entry for the capaian (an infeasible rule has constraints).
    tanpa_aturan = not cek.applicable and not cek.ranges and n > 0
    kolom = []
    for p in Predikat:
        count = counts[p]
        own = single[p]
        low = max((r.minimum for r in own), default=0)
        high = min((r.maximum for r in own), default=n)
        has_low = any(r.minimum > 0 for r in own)
        has_high = any(r.constraint.kind is ConstraintKind.MAX for r in own)
        outside = cek.applicable and bool(own) and not (low <= count <= high)
        if not cek.applicable:
            status = "—"
        elif count > high:
            status = "Melebihi batas"
        elif count < low:
            status = "Kurang dari batas"
        else:
            status = "Sesuai"
        if own:
            batas = " dan ".join(_batas_teks(r, n) for r in own)
        else:
            batas = "tidak ada ketentuan" if tanpa_aturan else "bebas"
        notes = tuple(
            f"bersama {' + '.join(q.label for q in r.predikat if q is not p)}: {_batas_teks(r, n)}"
            for r in combined
            if p in r.constraint.predikat
        )
        cx = center(p)
        h = max(_tinggi(count, top), BATANG_NOL)
        bar_top = PLOT_BAWAH - h
        band_low = y_of(min(low, n))
        band_high = y_of(min(high, n))
        line1, line2 = _baris_label(p.label)
        labels = tuple((text, _f(y)) for text, y in ((line1, LABEL_BARIS_1), (line2, LABEL_BARIS_2)) if text)
        marker_x = cx + LEBAR_PITA / 2 + 3
        lines = [y for y, on in ((band_high, has_high), (band_low, has_low)) if on and n > 0]
        value_y = _di_atas_garis(bar_top - 6, 26 if outside else 11, lines)
        kolom.append(
            KolomGrafik(
                predikat=p,
                label=p.label,
                jumlah=count,
                persen=_persen_jumlah(count, n),
                minimum=low,
                maksimum=high,
                ada_batas_bawah=has_low,
                ada_batas_atas=has_high,
                batas=batas,
                batas_singkat="—" if tanpa_aturan else _batas_singkat(own, low, high, n),
                catatan=notes,
                di_luar=outside,
                status=status,
                sebagian_besar=p is bulk,
                tengah=_f(cx),
                label_baris=labels,
                batang_x=_f(cx - LEBAR_BATANG / 2),
                batang_y=_f(bar_top),
                batang_tinggi=_f(h),
                nilai_y=_f(value_y),
                persen_grafik=f" ({_persen_jumlah(count, n)})" if count else "",
                status_y=_f(value_y - 15),
                status_singkat=("melebihi" if count > high else "kurang") if outside else "",
                pita=bool(own) and n > 0,
                pita_x=_f(cx - LEBAR_PITA / 2),
                pita_y=_f(band_high),
                pita_tinggi=_f(band_low - band_high),
                pita_x2=_f(cx + LEBAR_PITA / 2),
                garis_atas_y=_f(band_high) if has_high and n > 0 else "",
                garis_bawah_y=_f(band_low) if has_low and n > 0 else "",
                penanda_x=_f(marker_x),
                penanda_atas=f"≤{NBSP}{high}" if has_high else "",
                penanda_atas_y=_f(_penanda_y(band_high)),
                penanda_bawah=f"≥{NBSP}{low}" if has_low else "",
                penanda_bawah_y=_f(
                    _penanda_y(band_low) if not has_high or band_low - band_high > 12 else band_low + 13
                ),
            )
        )

    # Brackets: nested (smaller) sets first, so they sit closer to the columns they join.
    combined.sort(key=lambda r: (len(r.constraint.predikat), [list(Predikat).index(q) for q in r.predikat]))
    texts = []
    spans = []
    for r in combined:
        total = sum(counts[q] for q in r.constraint.predikat)
        lo = min(center(q) for q in r.predikat)
        hi = max(center(q) for q in r.predikat)
        ok = not cek.applicable or r.minimum <= total <= r.maximum
        state = "" if not cek.applicable else (" · terpenuhi" if ok else " · tidak terpenuhi")
        text = f"Gabungan {_batas_teks(r, n)} · saat ini {total}{state}"
        width = len(text) * HURUF_GABUNGAN * 0.53
        mid = (lo + hi) / 2
        mid = min(max(mid, PLOT_KIRI + width / 2), LEBAR - 4 - width / 2)
        texts.append((text, mid, total, ok))
        spans.append((min(lo, mid - width / 2), max(hi, mid + width / 2)))
    rows = _baris_gabungan(spans)
    gabungan = []
    for r, (text, mid, total, ok), row in zip(combined, texts, rows, strict=True):
        y = GABUNGAN_AWAL + row * GABUNGAN_JARAK
        gabungan.append(
            GabunganGrafik(
                label=r.constraint.label,
                predikat=r.predikat,
                jumlah=total,
                persen=_persen_jumlah(total, n),
                batas=_batas_teks(r, n),
                deskripsi=r.description,
                terpenuhi=ok,
                status="—" if not cek.applicable else ("Sesuai" if ok else "Tidak terpenuhi"),
                x1=_f(min(center(q) for q in r.predikat)),
                x2=_f(max(center(q) for q in r.predikat)),
                y=_f(y),
                tanda_y=_f(y - 8),
                tanda_x=tuple(_f(center(q)) for q in r.predikat),
                teks=text,
                teks_x=_f(mid),
                teks_y=_f(y + 14),
            )
        )
    height = (GABUNGAN_AWAL + max(rows) * GABUNGAN_JARAK + 22) if rows else BATAS_Y + 12

    sumbu = tuple(
        GarisSumbu(y=_f(y_of(v)), label=str(v), label_y=_f(y_of(v) + 3.5)) for v in range(0, top + 1, step)
    )
    legend = []
    x = float(PLOT_KIRI)
    for jenis, teks in (
        ("batang", "Jumlah pegawai"),
        ("pita", "Rentang yang diizinkan"),
        ("luar", "Di luar batas"),
    ):
        legend.append(LegendaItem(jenis, _f(x), teks, _f(x + 20)))
        x += 20 + len(teks) * 11 * 0.52 + 22

    violations = len(cek.violations)
    parts = [f"Capaian organisasi {cek.capaian.label}"]
    if cek.sebab is Sebab.HANYA_PIMPINAN:
        parts.append("hanya pimpinan unit, di luar pola distribusi unit ini")
    elif n == 0:
        parts.append("belum ada pegawai yang dinilai")
    else:
        parts.append(f"{n} pegawai")
        if cek.sebab is Sebab.KELOMPOK_KECIL:
            parts.append("kelompok kecil, pola distribusi hanya saran")
        elif not cek.applicable:
            parts.append("pola distribusi tidak dapat diterapkan")
        elif violations:
            parts.append(f"{violations} pelanggaran")
        else:
            parts.append("sesuai pola distribusi")
        if cek.warnings:
            parts.append(f"{len(cek.warnings)} peringatan")
    keterangan = " · ".join(parts)

    words = [f"Jumlah pegawai per predikat dibandingkan rentang yang diizinkan ({n} pegawai)."]
    for k in kolom:
        status = "" if not cek.applicable else f", {k.status.lower()}"
        words.append(f"{k.label}: {k.jumlah} pegawai, batas {k.batas}{status}.")
    for g in gabungan:
        status = "" if not cek.applicable else f", {g.status.lower()}"
        words.append(f"{g.label} gabungan: {g.jumlah} pegawai, batas {g.batas}{status}.")
    if not cek.applicable and cek.reason:
        words.append(cek.reason)

    return GrafikDistribusi(
        id=uid,
        capaian=cek.capaian,
        capaian_label=cek.capaian.label,
        n=n,
        applicable=cek.applicable,
        alasan=cek.reason,
        keterangan=keterangan,
        judul=f"Pola distribusi predikat kinerja — capaian organisasi {cek.capaian.label}",
        deskripsi=" ".join(words),
        kolom=tuple(kolom),
        gabungan=tuple(gabungan),
        pelanggaran=_temuan(cek.violations, pegawai, with_names=True),
        peringatan=_temuan(cek.warnings, pegawai, with_names=False),
        aturan=tuple(_aturan_teks(r) for r in cek.ranges),
        sebagian_besar=bulk.label if bulk is not None else "",
        tinggi=_f(height),
        viewbox=f"0 0 {LEBAR} {_f(height)}",
        sumbu=sumbu,
        plot_kiri=_f(PLOT_KIRI),
        plot_kanan=_f(PLOT_KANAN),
        plot_bawah=_f(PLOT_BAWAH),
        plot_atas=_f(PLOT_ATAS),
        sumbu_label_x=_f(PLOT_KIRI - 8),
        batas_y=_f(BATAS_Y),
        lebar_batang=_f(LEBAR_BATANG),
        lebar_pita=_f(LEBAR_PITA),
        legenda=tuple(legend),
    )
