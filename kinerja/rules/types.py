"""Enumerations shared by the rules core.

Every enum is a :class:`enum.StrEnum` whose values are lowercase strings, so a Django model can store it in
a ``CharField`` with ``choices=Enum.choices()``, and a value read back from the database compares equal
to the member (``Predikat.BAIK == "baik"``). Each member carries an Indonesian ``label`` for display.

Enums whose order means something (:class:`Rating`, :class:`Predikat`, :class:`CapaianOrganisasi`) are
declared best first and compare by rank: ``Predikat.SANGAT_BAIK > Predikat.BAIK`` and
``sorted(predikats)`` gives worst first. Their ``rank`` is ``len(enum)`` for the best member down to 1 for
the worst.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

__all__ = [
    "Aspek",
    "CapaianOrganisasi",
    "Jenjang",
    "JenisJabatan",
    "JenisPenempatan",
    "JenisRhk",
    "Konsolidasi",
    "LabeledEnum",
    "ModelSkp",
    "Perspektif",
    "Polaritas",
    "Predikat",
    "RankedEnum",
    "Rating",
    "Skema",
]


class LabeledEnum(StrEnum):
    """A string enum whose members are declared as ``NAME = "value", "Label"``."""

    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        # ``label`` has a default only so that a lookup by value (``Predikat("baik")``) type-checks; every
        # member is declared with its label.
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj._label = label
        return obj

    @property
    def label(self) -> str:
        """The Indonesian display name."""
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``[(value, label), ...]`` in declaration order, for Django ``choices``."""
        return [(member.value, member.label) for member in cls]


class RankedEnum(LabeledEnum):
    """A labelled enum declared best first; members compare by :attr:`rank` (higher is better).

    Comparing with anything that is not a member of the same enum is not supported (``NotImplemented``).
    """

    @property
    def rank(self) -> int:
        """``len(enum)`` for the first (best) member down to 1 for the last (worst)."""
        members = list(type(self))
        return len(members) - members.index(self)

    def _comparable(self, other: object) -> bool:
        return type(other) is type(self)

    def __lt__(self, other: object) -> bool:
        if not self._comparable(other):
            return NotImplemented
        assert isinstance(other, RankedEnum)
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not self._comparable(other):
            return NotImplemented
        assert isinstance(other, RankedEnum)
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not self._comparable(other):
            return NotImplemented
        assert isinstance(other, RankedEnum)
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not self._comparable(other):
            return NotImplemented
        assert isinstance(other, RankedEnum)
        return self.rank >= other.rank

    # StrEnum's hash/eq stay those of ``str``; the comparison overrides above only change ordering.
    __hash__ = StrEnum.__hash__


class Rating(RankedEnum):
    """Rating hasil kerja or rating perilaku kerja (PermenPANRB 6/2022, lampiran)."""

    DIATAS = "diatas", "Diatas Ekspektasi"
    SESUAI = "sesuai", "Sesuai Ekspektasi"
    DIBAWAH = "dibawah", "Dibawah Ekspektasi"


class Predikat(RankedEnum):
    """Predikat kinerja pegawai, best first."""

    SANGAT_BAIK = "sangat_baik", "Sangat Baik"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"
    KURANG = "kurang", "Kurang/Misconduct"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"


class CapaianOrganisasi(RankedEnum):
    """Capaian kinerja organisasi (step 1 of the evaluation), best first."""

    ISTIMEWA = "istimewa", "Istimewa"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"
    KURANG = "kurang", "Kurang"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"


class Polaritas(LabeledEnum):
    """Polarity of a numeric indicator (Manual IKU/IKI)."""

    MAXIMIZE = "maximize", "Maximize (makin tinggi makin baik)"
    MINIMIZE = "minimize", "Minimize (makin rendah makin baik)"
    STABILIZE = "stabilize", "Stabilize (makin dekat target makin baik)"


class Konsolidasi(LabeledEnum):
    """How the values of the periods of a year combine into the yearly value (Manual IKU/IKI)."""

    SUM = "sum", "Jumlah"
    AVERAGE = "average", "Rata-rata"
    LAST = "last", "Nilai terakhir"


class Jenjang(LabeledEnum):
    """Jenjang jabatan fungsional (keterampilan then keahlian)."""

    PEMULA = "pemula", "Pemula"
    TERAMPIL = "terampil", "Terampil"
    MAHIR = "mahir", "Mahir"
    PENYELIA = "penyelia", "Penyelia"
    AHLI_PERTAMA = "ahli_pertama", "Ahli Pertama"
    AHLI_MUDA = "ahli_muda", "Ahli Muda"
    AHLI_MADYA = "ahli_madya", "Ahli Madya"
    AHLI_UTAMA = "ahli_utama", "Ahli Utama"


class JenisJabatan(LabeledEnum):
    """Jenis jabatan ASN."""

    JPT_UTAMA = "jpt_utama", "JPT Utama"
    JPT_MADYA = "jpt_madya", "JPT Madya"
    JPT_PRATAMA = "jpt_pratama", "JPT Pratama"
    ADMINISTRATOR = "administrator", "Administrator"
    PENGAWAS = "pengawas", "Pengawas"
    PELAKSANA = "pelaksana", "Pelaksana"
    FUNGSIONAL = "fungsional", "Fungsional"


class JenisPenempatan(LabeledEnum):
    """How a pegawai holds a jabatan: definitively, or acting (Plt.) / daily acting (Plh.)."""

    DEFINITIF = "definitif", "Definitif"
    PLT = "plt", "Pelaksana Tugas (Plt.)"
    PLH = "plh", "Pelaksana Harian (Plh.)"


class Skema(LabeledEnum):
    """Periodic evaluation scheme chosen per instansi and year."""

    BULANAN = "bulanan", "Bulanan"
    TRIWULANAN = "triwulanan", "Triwulanan"
    SEMESTERAN = "semesteran", "Semesteran"


class Perspektif(LabeledEnum):
    """The four perspectives of a peta strategi / JPT SKP (PermenPANRB 6/2022, lampiran), in order."""

    PENERIMA_LAYANAN = "penerima_layanan", "Perspektif Penerima Layanan"
    PROSES_BISNIS = "proses_bisnis", "Perspektif Proses Bisnis"
    PENGUATAN_INTERNAL = "penguatan_internal", "Perspektif Penguatan Internal"
    ANGGARAN = "anggaran", "Perspektif Anggaran"


class Aspek(LabeledEnum):
    """Aspect an indikator kinerja individu measures."""

    KUANTITAS = "kuantitas", "Kuantitas"
    KUALITAS = "kualitas", "Kualitas"
    WAKTU = "waktu", "Waktu"
    BIAYA = "biaya", "Biaya"


class ModelSkp(LabeledEnum):
    """Kuantitatif (numeric targets; mandatory for JPT and pimpinan unit kerja mandiri) or kualitatif."""

    KUANTITATIF = "kuantitatif", "Kuantitatif"
    KUALITATIF = "kualitatif", "Kualitatif"


class JenisRhk(LabeledEnum):
    """RHK utama (from the job and the atasan's RHK) or tambahan (an extra assignment)."""

    UTAMA = "utama", "Utama"
    TAMBAHAN = "tambahan", "Tambahan"
