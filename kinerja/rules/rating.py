"""Suggested ratings of the evaluation (PermenPANRB 6/2022 lampiran; SE MenPANRB 3/2023; docs/rules.md §13).

Every function returns a *suggestion* (:class:`SaranRating`: the rating, an Indonesian ``alasan`` and the
counts it was made from). The penilai accepts it or overrides it with a written reason; the predikat is
always :func:`kinerja.rules.kuadran.predikat` of the two ratings finally given.

Rating hasil kerja (:func:`suggest_hasil`), from the penilai's rating of each RHK. With ``n`` RHK utama of
which ``b`` are below expectation, and the *counted* hasil kerja ``H`` = every RHK utama plus every RHK
tambahan rated Diatas (a tambahan at or below expectation is left out: an extra assignment can lift the
rating, never lower it):

* **Diatas** when more than ``sebagian_besar`` of ``H`` is above expectation and ``b == 0``;
* **Sesuai** when more than ``sebagian_besar`` of ``H`` is as expected or above and
  ``b <= sebagian_kecil x n``;
* **Dibawah** otherwise (most or all below expectation, or more than a small part of the RHK utama).

Defaults (:class:`AmbangRating`, CONFIG): ``sebagian_besar`` = 1/2 ("more than half"; exactly half is not
most, so a tie between Diatas and Sesuai gives Sesuai), ``sebagian_kecil`` = 1/3 ("at most a third").
An SKP without any RHK utama is suggested from its RHK tambahan, counted like RHK utama.

Rating perilaku kerja (:func:`suggest_perilaku`) applies the same rule to the seven BerAKHLAK values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from functools import lru_cache
from typing import Any

from kinerja.rules.jadwal import periode_penilaian
from kinerja.rules.kuadran import predikat, rating_hasil_pimpinan
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.realisasi import format_tanggal
from kinerja.rules.types import CapaianOrganisasi, JenisRhk, Predikat, Rating, Skema

__all__ = [
    "AMBANG_DEFAULT",
    "PenetapCapaian",
    "may_set_capaian",
    "penetap_capaian_organisasi",
    "AmbangCapaianOrganisasi",
    "AmbangRating",
    "BagianSkp",
    "diubah_dari_saran",
    "Hitungan",
    "RatingRhk",
    "SaranEvaluasi",
    "SaranRating",
    "merge_mutasi",
    "hasil_pimpinan",
    "prefill_tahunan",
    "rata_rata_capaian",
    "saran_evaluasi",
    "suggest_capaian_organisasi",
    "suggest_hasil",
    "suggest_perilaku",
]


# --- thresholds ---------------------------------------------------------------------------------------


def _pecahan(value: object, nama: str) -> Fraction:
    """A fraction from a ``Fraction``, ``Decimal``, ``int`` or text (``"1/3"``, ``"0.5"``); never a float."""
    if isinstance(value, bool | float):
        raise ValueError(f"Ambang {nama} harus berupa pecahan (mis. '1/3' atau '0.5'), bukan {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | Decimal | str):
        try:
            result = Fraction(value)
        except (ValueError, ZeroDivisionError, OverflowError, InvalidOperation):
            raise ValueError(
                f"Ambang {nama} harus berupa pecahan (mis. '1/3' atau '0.5'), bukan {value!r}"
            ) from None
        return result
    raise ValueError(f"Ambang {nama} harus berupa pecahan (mis. '1/3' atau '0.5'), bukan {value!r}")


_NAMA_PECAHAN = {
    Fraction(1, 2): "separuh",
    Fraction(1, 3): "sepertiga",
    Fraction(1, 4): "seperempat",
    Fraction(1, 5): "seperlima",
    Fraction(2, 3): "dua pertiga",
    Fraction(3, 4): "tiga perempat",
    Fraction(0): "nol",
}


@lru_cache(maxsize=64)
def _teks_pecahan(value: Fraction) -> str:
    """``1/2`` -> ``"separuh"``; ``3/5`` -> ``"60%"``; ``2/7`` -> ``"28,57%"``."""
    if value in _NAMA_PECAHAN:
        return _NAMA_PECAHAN[value]
    with localcontext() as ctx:
        ctx.prec = 40
        persen = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    text = format(persen.normalize(), "f")
    return text.replace(".", ",") + "%"


@dataclass(frozen=True)
class AmbangRating:
    """Thresholds for "sebagian besar" and "sebagian kecil" (CONFIG per instansi).

    * ``sebagian_besar``: "most" means **more than** this share (default 1/2, so exactly half is not most);
      must be at least 1/2 and below 1.
    * ``sebagian_kecil``: "a small part" means **at most** this share (default 1/3); between 0 and 1/2.
      ``0`` gives the strictest reading: any RHK utama (or BerAKHLAK value) below expectation makes the
      suggestion Dibawah.

    Fields accept ``Fraction``, ``Decimal``, ``int`` or text (``"1/3"``, ``"0.5"``) and are stored as exact
    ``Fraction`` (so one third is exactly one third); floats are refused.
    """

    sebagian_besar: Fraction = Fraction(1, 2)
    sebagian_kecil: Fraction = Fraction(1, 3)

    def __post_init__(self) -> None:
        besar = _pecahan(self.sebagian_besar, "sebagian besar")
        kecil = _pecahan(self.sebagian_kecil, "sebagian kecil")
        if not Fraction(1, 2) <= besar < 1:
            raise ValueError(
                f"Ambang sebagian besar harus paling sedikit 1/2 dan kurang dari 1, bukan {besar}"
            )
        if not 0 <= kecil <= Fraction(1, 2):
            raise ValueError(f"Ambang sebagian kecil harus antara 0 dan 1/2, bukan {kecil}")
        object.__setattr__(self, "sebagian_besar", besar)
        object.__setattr__(self, "sebagian_kecil", kecil)

    def sebagian_besar_dari(self, jumlah: int, total: int) -> bool:
        """Whether ``jumlah`` of ``total`` is "most" (strictly more than the share)."""
        share = self.sebagian_besar
        return jumlah * share.denominator > share.numerator * total

    def sebagian_kecil_dari(self, jumlah: int, total: int) -> bool:
        """Whether ``jumlah`` of ``total`` is at most "a small part"."""
        share = self.sebagian_kecil
        return jumlah * share.denominator <= share.numerator * total

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form: ``{"sebagian_besar": "1/2", "sebagian_kecil": "1/3"}``."""
        return {"sebagian_besar": str(self.sebagian_besar), "sebagian_kecil": str(self.sebagian_kecil)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AmbangRating:
        """The thresholds :meth:`to_dict` writes; a missing key keeps its default; else ``ValueError``."""
        if not isinstance(data, Mapping):
            raise ValueError("Ambang rating harus berupa objek dengan sebagian_besar dan sebagian_kecil")
        unknown = set(data) - {"sebagian_besar", "sebagian_kecil"}
        if unknown:
            raise ValueError(f"Kunci tidak dikenal pada ambang rating: {sorted(unknown)}")
        default = AMBANG_DEFAULT
        return cls(
            _pecahan(data.get("sebagian_besar", default.sebagian_besar), "sebagian besar"),
            _pecahan(data.get("sebagian_kecil", default.sebagian_kecil), "sebagian kecil"),
        )


#: Default thresholds: most = more than half; a small part = at most a third (CONFIG).
AMBANG_DEFAULT = AmbangRating()


# --- results ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hitungan:
    """How many items were rated Diatas, Sesuai and Dibawah Ekspektasi."""

    diatas: int = 0
    sesuai: int = 0
    dibawah: int = 0

    @classmethod
    def dari(cls, ratings: Iterable[Rating]) -> Hitungan:
        counts = {r: 0 for r in Rating}
        for r in ratings:
            counts[r] += 1
        return cls(counts[Rating.DIATAS], counts[Rating.SESUAI], counts[Rating.DIBAWAH])

    @property
    def total(self) -> int:
        return self.diatas + self.sesuai + self.dibawah

    def jumlah(self, rating: Rating) -> int:
        """The count for ``rating``."""
        rating = Rating(rating)
        if rating is Rating.DIATAS:
            return self.diatas
        if rating is Rating.SESUAI:
            return self.sesuai
        return self.dibawah

    def uraian(self) -> str:
        """``"2 di atas, 1 sesuai, 0 di bawah ekspektasi"``."""
        return f"{self.diatas} di atas, {self.sesuai} sesuai, {self.dibawah} di bawah ekspektasi"


@dataclass(frozen=True)
class SaranRating:
    """A suggested rating with its Indonesian explanation.

    ``jumlah``: the counts the suggestion was made from (RHK utama for hasil kerja, or the RHK tambahan when
    there is no RHK utama; the seven values for perilaku; the rated periods for the annual prefill);
    ``jumlah_tambahan``: the RHK tambahan (hasil kerja only; zero otherwise).
    """

    rating: Rating
    alasan: str
    jumlah: Hitungan = Hitungan()
    jumlah_tambahan: Hitungan = Hitungan()


def _rating(value: object, what: str) -> Rating:
    if isinstance(value, str):
        try:
            return Rating(value)
        except ValueError:
            pass
    raise ValueError(f"Rating {what} tidak dikenal: {value!r}")


@dataclass(frozen=True)
class RatingRhk:
    """The penilai's rating of one RHK. Stored string values (``"utama"``, ``"diatas"``) are accepted."""

    jenis: JenisRhk
    rating: Rating

    def __post_init__(self) -> None:
        try:
            jenis = JenisRhk(self.jenis)
        except ValueError:
            raise ValueError(f"Jenis RHK tidak dikenal: {self.jenis!r}") from None
        object.__setattr__(self, "jenis", jenis)
        object.__setattr__(self, "rating", _rating(self.rating, "RHK"))


# --- rating hasil kerja -------------------------------------------------------------------------------


def _tentukan(
    diatas: int, sesuai_atau_diatas: int, total: int, dibawah: int, total_dasar: int, ambang: AmbangRating
) -> Rating:
    """The shared rule: ``diatas`` / ``sesuai_atau_diatas`` of ``total`` counted items; ``dibawah`` of
    ``total_dasar`` items that may not be below expectation (RHK utama, or the values)."""
    if dibawah == 0 and ambang.sebagian_besar_dari(diatas, total):
        return Rating.DIATAS
    if ambang.sebagian_kecil_dari(dibawah, total_dasar) and ambang.sebagian_besar_dari(
        sesuai_atau_diatas, total
    ):
        return Rating.SESUAI
    return Rating.DIBAWAH


def suggest_hasil(rhk: Sequence[RatingRhk], ambang: AmbangRating | None = None) -> SaranRating:
    """Suggested rating hasil kerja from the rating of every RHK (docs/rules.md §13.1; see the module
    docstring).

    Raises ``ValueError`` when ``rhk`` is empty (nothing to suggest from).
    """
    ambang = ambang or AMBANG_DEFAULT
    items = list(rhk)
    if not items:
        raise ValueError("Belum ada RHK yang dinilai; saran rating hasil kerja tidak dapat dibuat.")
    utama = Hitungan.dari(r.rating for r in items if r.jenis is JenisRhk.UTAMA)
    tambahan = Hitungan.dari(r.rating for r in items if r.jenis is JenisRhk.TAMBAHAN)

    if utama.total == 0:
        dasar, nama_dasar, angkat = tambahan, "RHK tambahan", 0
    else:
        dasar, nama_dasar, angkat = utama, "RHK utama", tambahan.diatas
    total = dasar.total + angkat
    diatas = dasar.diatas + angkat
    sesuai_atau_diatas = dasar.diatas + dasar.sesuai + angkat
    rating = _tentukan(diatas, sesuai_atau_diatas, total, dasar.dibawah, dasar.total, ambang)

    besar = _teks_pecahan(ambang.sebagian_besar)
    kecil = _teks_pecahan(ambang.sebagian_kecil)
    bagian = [f"{nama_dasar}: {dasar.uraian()}."]
    if utama.total == 0:
        bagian.append("Tidak ada RHK utama, sehingga saran dihitung dari RHK tambahan.")
    elif tambahan.total:
        bagian.append(f"RHK tambahan: {tambahan.uraian()}.")
        if tambahan.diatas:
            bagian.append(f"{tambahan.diatas} RHK tambahan di atas ekspektasi ikut dihitung.")
        lain = tambahan.total - tambahan.diatas
        if lain:
            bagian.append(
                f"{lain} RHK tambahan yang tidak di atas ekspektasi tidak ikut dihitung "
                "(RHK tambahan hanya dapat menaikkan saran, tidak menurunkannya)."
            )
    kata = "hasil kerja" if angkat else nama_dasar
    if rating is Rating.DIATAS:
        bagian.append(
            f"Diatas Ekspektasi: {diatas} dari {total} {kata} di atas ekspektasi (lebih dari {besar}) "
            f"dan tidak ada {nama_dasar} di bawah ekspektasi."
        )
    elif rating is Rating.SESUAI:
        if dasar.dibawah:
            bawah = (
                f"; {dasar.dibawah} dari {dasar.total} {nama_dasar} di bawah ekspektasi "
                f"(sebagian kecil: paling banyak {kecil})"
            )
        else:
            bawah = f" dan tidak ada {nama_dasar} di bawah ekspektasi"
        bagian.append(
            f"Sesuai Ekspektasi: {sesuai_atau_diatas} dari {total} {kata} sesuai atau di atas "
            f"ekspektasi{bawah}."
        )
        if dasar.dibawah:
            bagian.append(f"Belum Diatas Ekspektasi karena ada {nama_dasar} di bawah ekspektasi.")
        else:
            bagian.append(
                f"Belum Diatas Ekspektasi karena yang di atas ekspektasi baru {diatas} dari {total}, "
                f"tidak lebih dari {besar}."
            )
    elif not ambang.sebagian_kecil_dari(dasar.dibawah, dasar.total):
        bagian.append(
            f"Dibawah Ekspektasi: {dasar.dibawah} dari {dasar.total} {nama_dasar} di bawah ekspektasi, "
            f"lebih dari {kecil} (bukan lagi sebagian kecil)."
        )
    else:
        bagian.append(
            f"Dibawah Ekspektasi: hanya {sesuai_atau_diatas} dari {total} {kata} sesuai atau di atas "
            f"ekspektasi, tidak lebih dari {besar}."
        )
    return SaranRating(rating, " ".join(bagian), dasar, tambahan)


# --- rating perilaku kerja ----------------------------------------------------------------------------

_NAMA_NILAI = {n.kode: n.nama for n in BERAKHLAK}


def diubah_dari_saran(rating: str, saran: str) -> bool:
    """Whether the penilai's rating differs from the suggested one (both set): such a change needs its
    reason recorded (docs/rules.md, the suggested ratings)."""
    return bool(rating and saran and rating != saran)


def suggest_perilaku(nilai: Mapping[str, Rating], ambang: AmbangRating | None = None) -> SaranRating:
    """Suggested rating perilaku kerja from the rating of each of the seven BerAKHLAK values.

    ``nilai`` maps the kode (``"BP"``, ``"AK"``, ...; case-insensitive) to a rating; all seven are
    required (``ValueError`` naming the missing ones), an unknown or repeated kode is a ``ValueError``.
    Same rule as hasil kerja: Diatas when more than ``sebagian_besar`` of the values are Diatas and none is
    Dibawah; Sesuai when at most ``sebagian_kecil`` are Dibawah; otherwise Dibawah (with the defaults: 4 or
    more Diatas and no Dibawah -> Diatas; 0-2 Dibawah -> Sesuai; 3 or more Dibawah -> Dibawah).
    """
    ambang = ambang or AMBANG_DEFAULT
    ratings: dict[str, Rating] = {}
    for key, value in nilai.items():
        kode = str(key).strip().upper()
        if kode not in _NAMA_NILAI:
            raise ValueError(f"Kode nilai BerAKHLAK tidak dikenal: {key!r}")
        if kode in ratings:
            raise ValueError(f"Nilai BerAKHLAK {_NAMA_NILAI[kode]} ({kode}) dinilai lebih dari sekali")
        ratings[kode] = _rating(value, f"perilaku {_NAMA_NILAI[kode]}")
    missing = [n for n in BERAKHLAK if n.kode not in ratings]
    if missing:
        daftar = ", ".join(f"{n.nama} ({n.kode})" for n in missing)
        raise ValueError(f"Rating perilaku belum lengkap: belum ada rating untuk {daftar}.")

    counts = Hitungan.dari(ratings.values())
    n = counts.total
    rating = _tentukan(counts.diatas, counts.diatas + counts.sesuai, n, counts.dibawah, n, ambang)
    besar = _teks_pecahan(ambang.sebagian_besar)
    kecil = _teks_pecahan(ambang.sebagian_kecil)
    dibawah = [n.nama for n in BERAKHLAK if ratings[n.kode] is Rating.DIBAWAH]
    nama_dibawah = f" ({', '.join(dibawah)})" if dibawah else ""
    bagian = [f"Nilai BerAKHLAK: {counts.uraian()}."]
    if rating is Rating.DIATAS:
        bagian.append(
            f"Diatas Ekspektasi: {counts.diatas} dari {n} nilai di atas ekspektasi (lebih dari {besar}) "
            "dan tidak ada yang di bawah ekspektasi."
        )
    elif rating is Rating.SESUAI:
        if counts.dibawah:
            bawah = (
                f"; {counts.dibawah} dari {n} nilai di bawah ekspektasi{nama_dibawah} "
                f"(sebagian kecil: paling banyak {kecil})"
            )
        else:
            bawah = " dan tidak ada yang di bawah ekspektasi"
        bagian.append(
            f"Sesuai Ekspektasi: {counts.diatas + counts.sesuai} dari {n} nilai sesuai atau di atas "
            f"ekspektasi{bawah}."
        )
        if counts.dibawah:
            bagian.append("Belum Diatas Ekspektasi karena ada nilai di bawah ekspektasi.")
        else:
            bagian.append(
                f"Belum Diatas Ekspektasi karena yang di atas ekspektasi baru {counts.diatas} dari {n}, "
                f"tidak lebih dari {besar}."
            )
    elif not ambang.sebagian_kecil_dari(counts.dibawah, n):
        bagian.append(
            f"Dibawah Ekspektasi: {counts.dibawah} dari {n} nilai di bawah ekspektasi{nama_dibawah}, "
            f"lebih dari {kecil}: belum secara konsisten menunjukkan perilaku sesuai nilai dasar ASN."
        )
    else:
        bagian.append(
            f"Dibawah Ekspektasi: hanya {counts.diatas + counts.sesuai} dari {n} nilai sesuai atau di atas "
            f"ekspektasi, tidak lebih dari {besar}."
        )
    return SaranRating(rating, " ".join(bagian), counts)


# --- head of a unit -----------------------------------------------------------------------------------


def hasil_pimpinan(
    capaian: CapaianOrganisasi,
    mapping: Mapping[CapaianOrganisasi, Rating] | None = None,
    unit: str = "",
) -> SaranRating:
    """Rating hasil kerja of a pegawai who heads a unit: the capaian kinerja of the unit they lead.

    Uses :func:`kinerja.rules.kuadran.rating_hasil_pimpinan` (``mapping`` is the instansi's CONFIG);
    ``unit`` names the unit in the explanation.
    """
    try:
        capaian = CapaianOrganisasi(capaian)
    except ValueError:
        raise ValueError(f"Capaian kinerja organisasi tidak dikenal: {capaian!r}") from None
    rating = rating_hasil_pimpinan(capaian, mapping)
    nama_unit = f"unit {unit}" if unit else "unit yang dipimpinnya"
    sumber = "pemetaan instansi" if mapping is not None and capaian in mapping else "pemetaan bawaan"
    alasan = (
        "Pegawai memimpin unit kerja, sehingga rating hasil kerjanya mengikuti capaian kinerja organisasi "
        f"{nama_unit}: {capaian.label} → {rating.label} ({sumber}), bukan saran dari rating RHK."
    )
    return SaranRating(rating, alasan)


# --- capaian kinerja organisasi -----------------------------------------------------------------------

_BATAS_ATAS_AMBANG = Decimal(200)


def _angka(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{what} harus berupa angka Decimal atau bilangan bulat, bukan {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} harus berupa angka terhingga, bukan {value!r}")
    return number


def _angka_teks(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value != 0 else "0"
    return text.replace(".", ",")


@dataclass(frozen=True)
class AmbangCapaianOrganisasi:
    """Instansi-set thresholds (CONFIG, no default): the least average IKU capaian, in percent, for each
    capaian kinerja organisasi; an average below ``kurang`` is Sangat Kurang.

    The four thresholds must be within 0-200 and strictly descending (``istimewa > baik >
    butuh_perbaikan > kurang``), so that every level can be reached. ``Decimal`` or ``int`` only.
    """

    istimewa: Decimal
    baik: Decimal
    butuh_perbaikan: Decimal
    kurang: Decimal

    def __post_init__(self) -> None:
        values = []
        for level in (
            CapaianOrganisasi.ISTIMEWA,
            CapaianOrganisasi.BAIK,
            CapaianOrganisasi.BUTUH_PERBAIKAN,
            CapaianOrganisasi.KURANG,
        ):
            number = _angka(getattr(self, level.value), f"Ambang capaian {level.label}")
            if not 0 <= number <= _BATAS_ATAS_AMBANG:
                raise ValueError(
                    f"Ambang capaian {level.label} harus antara 0 dan 200 persen, bukan {number}"
                )
            object.__setattr__(self, level.value, number)
            values.append((level, number))
        for (atas, nilai_atas), (bawah, nilai_bawah) in zip(values, values[1:], strict=False):
            if not nilai_atas > nilai_bawah:
                raise ValueError(
                    f"Ambang capaian harus menurun: {atas.label} ({_angka_teks(nilai_atas)}%) harus lebih "
                    f"tinggi dari {bawah.label} ({_angka_teks(nilai_bawah)}%)"
                )

    def batas(self, capaian: CapaianOrganisasi) -> Decimal | None:
        """The least average for ``capaian`` (``None`` for Sangat Kurang: everything below ``kurang``)."""
        capaian = CapaianOrganisasi(capaian)
        if capaian is CapaianOrganisasi.SANGAT_KURANG:
            return None
        value: Decimal = getattr(self, capaian.value)
        return value

    def tingkat(self, rata_rata: Decimal) -> CapaianOrganisasi:
        """The capaian organisasi for an average capaian (each threshold is inclusive)."""
        for level in CapaianOrganisasi:
            batas = self.batas(level)
            if batas is None or rata_rata >= batas:
                return level
        raise AssertionError("unreachable")  # pragma: no cover - Sangat Kurang always matches

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form, thresholds as decimal strings keyed by the capaian value."""
        return {
            level: str(getattr(self, level)) for level in ("istimewa", "baik", "butuh_perbaikan", "kurang")
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AmbangCapaianOrganisasi:
        """The thresholds :meth:`to_dict` writes (all four required); ``ValueError`` in Indonesian."""
        if not isinstance(data, Mapping):
            raise ValueError("Ambang capaian organisasi harus berupa objek")
        keys = ("istimewa", "baik", "butuh_perbaikan", "kurang")
        unknown = set(data) - set(keys)
        if unknown:
            raise ValueError(f"Kunci tidak dikenal pada ambang capaian organisasi: {sorted(unknown)}")
        missing = [CapaianOrganisasi(k).label for k in keys if data.get(k) in (None, "")]
        if missing:
            raise ValueError(f"Ambang capaian organisasi belum lengkap: {', '.join(missing)}")
        values = []
        for k in keys:
            raw = data[k]
            try:
                values.append(Decimal(str(raw)) if isinstance(raw, str) else raw)
            except InvalidOperation:
                raise ValueError(
                    f"Ambang capaian {CapaianOrganisasi(k).label} bukan angka: {raw!r}"
                ) from None
        return cls(*values)


def rata_rata_capaian(capaian_iku: Iterable[Decimal | int | None]) -> Decimal | None:
    """Average of the IKU capaian (percent), 2 decimals ``ROUND_HALF_UP``; ``None`` entries (an IKU without
    a capaian yet) are skipped; nothing left -> ``None``. Negative values or floats raise ``ValueError``."""
    numbers = []
    for value in capaian_iku:
        if value is None:
            continue
        number = _angka(value, "Capaian IKU")
        if number < 0:
            raise ValueError(f"Capaian IKU tidak boleh negatif: {number}")
        numbers.append(number)
    if not numbers:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        average = sum(numbers, Decimal(0)) / len(numbers)
        return average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PenetapCapaian:
    """Who sets the capaian kinerja organisasi of a unit (docs/rules.md §13.4): the head ``pegawai`` of the
    unit ``tingkat`` levels up (0 = the unit directly above), or — ``admin`` — the admin kepegawaian
    recording the PPK's written decision (who, number, date)."""

    pegawai: int | None
    tingkat: int | None
    admin: bool


def penetap_capaian_organisasi(kepala_unit: int | None, kepala_atas: Sequence[int | None]) -> PenetapCapaian:
    """The unit's capaian becomes its head's rating hasil kerja, so it is set by the level above, never by
    the head himself (docs/rules.md §13.4): the nearest head of a unit above (``kepala_atas``, nearest first;
    None = no head) who is not also the head of this unit; with none (the top unit, or no other head above)
    the admin kepegawaian on the PPK's written decision."""
    for tingkat, kepala in enumerate(kepala_atas):
        if kepala is not None and kepala != kepala_unit:
            return PenetapCapaian(kepala, tingkat, False)
    return PenetapCapaian(None, None, True)


def may_set_capaian(
    penetap: PenetapCapaian, kepala_unit: int | None, pegawai: int | None, admin: bool
) -> bool:
    """Whether someone (``pegawai``: their pegawai id; ``admin``: admin kepegawaian of the instansi) sets
    the capaian: the head of the unit never does, not even as admin."""
    if pegawai is not None and pegawai == kepala_unit:
        return False
    if penetap.admin:
        return admin
    return pegawai is not None and pegawai == penetap.pegawai


def suggest_capaian_organisasi(
    capaian_iku: Sequence[Decimal | int | None], ambang: AmbangCapaianOrganisasi | None
) -> CapaianOrganisasi | None:
    """Suggested capaian kinerja organisasi of a unit from the capaian of its IKU (CONFIG).

    No thresholds set by the instansi, or no IKU capaian -> ``None`` (no suggestion). Otherwise the
    average (:func:`rata_rata_capaian`, rounded to 2 decimals as shown to the user) is compared with the
    thresholds, each inclusive: ``average >= istimewa`` -> Istimewa, ``>= baik`` -> Baik, and so on;
    below ``kurang`` -> Sangat Kurang.
    """
    if ambang is None:
        return None
    average = rata_rata_capaian(capaian_iku)
    if average is None:
        return None
    return ambang.tingkat(average)


# --- annual evaluation --------------------------------------------------------------------------------

#: Period names per scheme (they do not depend on the year).
_NAMA_PERIODE = {s: tuple(p.nama for p in periode_penilaian(2000, s)) for s in Skema}


def prefill_tahunan(
    periodik: Sequence[tuple[int, Rating | None]], skema: Skema = Skema.TRIWULANAN
) -> SaranRating:
    """Prefill of an annual rating: the rating of the last rated periodic evaluation, never silently.

    ``periodik``: ``(nomor periode, rating or None when not rated)`` for the periods of the pegawai's SKP,
    in any order; ``skema`` names the periods in the explanation, which lists every period's result so the
    penilai decides over the whole year. Raises ``ValueError`` when no period is rated, a nomor repeats, or
    a nomor is outside the scheme.
    """
    skema = Skema(skema)
    names = _NAMA_PERIODE[skema]
    seen: dict[int, Rating | None] = {}
    for nomor, rating in periodik:
        if isinstance(nomor, bool) or not isinstance(nomor, int) or not 1 <= nomor <= len(names):
            raise ValueError(
                f"Nomor periode {nomor!r} tidak ada pada skema {skema.label.lower()} (1-{len(names)})"
            )
        if nomor in seen:
            raise ValueError(f"Periode {names[nomor - 1]} disebut lebih dari sekali")
        seen[nomor] = None if rating is None else _rating(rating, f"periode {names[nomor - 1]}")
    rated = {nomor: r for nomor, r in seen.items() if r is not None}
    if not rated:
        raise ValueError(
            "Belum ada evaluasi periodik yang dinilai; rating tahunan ditetapkan penilai tanpa isian awal."
        )
    last = max(rated)
    rating = rated[last]
    rincian = "; ".join(
        f"{names[n - 1]} {r.label if r is not None else 'belum dinilai'}" for n, r in sorted(seen.items())
    )
    bagian = [
        f"Diisi dari evaluasi periodik terakhir yang dinilai: {names[last - 1]} ({rating.label}).",
        f"Hasil semua periode: {rincian}.",
    ]
    belum = [names[n - 1] for n, r in sorted(seen.items()) if r is None and n > last]
    if belum:
        bagian.append(f"Perhatian, periode sesudahnya belum dinilai: {', '.join(belum)}.")
    bagian.append("Penilai menetapkan rating tahunan atas kinerja setahun penuh.")
    return SaranRating(rating, " ".join(bagian), Hitungan.dari(rated.values()))


@dataclass(frozen=True)
class BagianSkp:
    """One SKP of a pegawai within a year (mutation / change of penilai) and its rating.

    ``mulai`` and ``selesai`` are inclusive; ``nama`` labels it in the explanation (e.g. the jabatan).
    """

    mulai: date
    selesai: date
    rating: Rating
    nama: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.mulai, date) or not isinstance(self.selesai, date):
            raise ValueError("Tanggal mulai dan selesai SKP harus berupa tanggal")
        if self.mulai > self.selesai:
            raise ValueError(
                f"Tanggal mulai SKP ({format_tanggal(self.mulai)}) sesudah tanggal selesainya "
                f"({format_tanggal(self.selesai)})"
            )
        if self.mulai.year != self.selesai.year:
            raise ValueError("Satu SKP harus berada dalam satu tahun kinerja")
        object.__setattr__(self, "rating", _rating(self.rating, "SKP"))

    @property
    def hari(self) -> int:
        """Days covered, both ends included."""
        return (self.selesai - self.mulai).days + 1

    def uraian(self) -> str:
        nama = f"SKP {self.nama}" if self.nama else "SKP"
        return (
            f"{nama} ({format_tanggal(self.mulai)} – {format_tanggal(self.selesai)}, {self.hari} hari): "
            f"{self.rating.label}"
        )


def merge_mutasi(bagian: Sequence[BagianSkp]) -> SaranRating:
    """Suggested annual rating of a pegawai with several SKP in one year (mutation, change of penilai).

    The suggestion is the rating of the SKP covering the longest part of the year (in days); on a tie the
    later SKP. The explanation lists every SKP with its dates and rating; the penilai of the last SKP
    decides the annual rating. The SKP must lie in one year and must not overlap (``ValueError``).
    """
    parts = sorted(bagian, key=lambda b: b.mulai)
    if not parts:
        raise ValueError(
            "Belum ada SKP yang dinilai pada tahun ini; saran rating tahunan tidak dapat dibuat."
        )
    tahun = {p.mulai.year for p in parts}
    if len(tahun) > 1:
        raise ValueError(f"SKP yang digabung harus dalam satu tahun, bukan {sorted(tahun)}")
    for before, after in zip(parts, parts[1:], strict=False):
        if after.mulai <= before.selesai:
            raise ValueError(f"Masa SKP tumpang tindih: {before.uraian()} dan {after.uraian()}")
    chosen = max(parts, key=lambda p: (p.hari, p.mulai))
    daftar = "; ".join(p.uraian() for p in parts)
    if len(parts) == 1:
        alasan = f"Hanya satu SKP pada tahun {chosen.mulai.year}: {daftar}."
    else:
        terpanjang = [p for p in parts if p.hari == chosen.hari]
        seri = " (sama panjang; diambil SKP yang lebih akhir)" if len(terpanjang) > 1 else ""
        nama = f"SKP {chosen.nama}" if chosen.nama else f"SKP mulai {format_tanggal(chosen.mulai)}"
        alasan = (
            f"{len(parts)} SKP pada tahun {chosen.mulai.year}: {daftar}. Saran mengikuti SKP yang mencakup "
            f"bagian tahun terpanjang{seri}: {nama} ({chosen.hari} hari), {chosen.rating.label}. "
            "Penilai SKP terakhir menetapkan rating tahunan."
        )
    return SaranRating(chosen.rating, alasan, Hitungan.dari(p.rating for p in parts))


# --- both ratings together ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SaranEvaluasi:
    """The two suggestions for one pegawai; the predikat is always the kuadran of the two."""

    hasil: SaranRating
    perilaku: SaranRating

    @property
    def predikat(self) -> Predikat:
        return predikat(self.hasil.rating, self.perilaku.rating)


def saran_evaluasi(
    rhk: Sequence[RatingRhk],
    rate_perilaku: Mapping[str, Rating],
    *,
    ambang: AmbangRating | None = None,
    capaian_pimpinan: CapaianOrganisasi | None = None,
    pemetaan_pimpinan: Mapping[CapaianOrganisasi, Rating] | None = None,
    unit: str = "",
) -> SaranEvaluasi:
    """Both suggestions for one pegawai. For the head of a unit pass ``capaian_pimpinan`` (the capaian of
    the unit they lead): the rating hasil kerja then follows it (:func:`hasil_pimpinan`) and ``rhk`` is
    not used."""
    if capaian_pimpinan is not None:
        hasil = hasil_pimpinan(capaian_pimpinan, pemetaan_pimpinan, unit)
    else:
        hasil = suggest_hasil(rhk, ambang)
    return SaranEvaluasi(hasil, suggest_perilaku(rate_perilaku, ambang))
