"""Kuadran kinerja: rating hasil kerja x rating perilaku kerja -> predikat.

The matrix is fixed by PermenPANRB 6/2022 (lampiran, kuadran kinerja pegawai); it is not CONFIG.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating

__all__ = ["KUADRAN", "PIMPINAN_DEFAULT", "predikat", "rating_hasil_pimpinan"]

#: All nine cells, keyed by ``(rating hasil kerja, rating perilaku kerja)``.
KUADRAN: Mapping[tuple[Rating, Rating], Predikat] = MappingProxyType(
    {
        (Rating.DIATAS, Rating.DIBAWAH): Predikat.KURANG,
        (Rating.DIATAS, Rating.SESUAI): Predikat.BAIK,
        (Rating.DIATAS, Rating.DIATAS): Predikat.SANGAT_BAIK,
        (Rating.SESUAI, Rating.DIBAWAH): Predikat.KURANG,
        (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
        (Rating.SESUAI, Rating.DIATAS): Predikat.BAIK,
        (Rating.DIBAWAH, Rating.DIBAWAH): Predikat.SANGAT_KURANG,
        (Rating.DIBAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
        (Rating.DIBAWAH, Rating.DIATAS): Predikat.BUTUH_PERBAIKAN,
    }
)

#: Default rating hasil kerja of the head of a unit from the unit's capaian (UNSURE, CONFIG).
PIMPINAN_DEFAULT: Mapping[CapaianOrganisasi, Rating] = MappingProxyType(
    {
        CapaianOrganisasi.ISTIMEWA: Rating.DIATAS,
        CapaianOrganisasi.BAIK: Rating.SESUAI,
        CapaianOrganisasi.BUTUH_PERBAIKAN: Rating.DIBAWAH,
        CapaianOrganisasi.KURANG: Rating.DIBAWAH,
        CapaianOrganisasi.SANGAT_KURANG: Rating.DIBAWAH,
    }
)


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    """The predikat for a rating hasil kerja and a rating perilaku kerja.

    Raises ``ValueError`` when either argument is not a :class:`Rating` value.
    """
    try:
        return KUADRAN[(Rating(hasil), Rating(perilaku))]
    except ValueError:
        raise ValueError(f"Rating tidak dikenal: hasil={hasil!r}, perilaku={perilaku!r}") from None


def rating_hasil_pimpinan(
    capaian: CapaianOrganisasi, mapping: Mapping[CapaianOrganisasi, Rating] | None = None
) -> Rating:
    """Rating hasil kerja of the head of a unit: the capaian kinerja of the unit they lead.

    ``mapping`` (CONFIG) overrides :data:`PIMPINAN_DEFAULT` key by key; a capaian it does not name keeps
    the default.
    """
    capaian = CapaianOrganisasi(capaian)
    if mapping is not None and capaian in mapping:
        return Rating(mapping[capaian])
    return PIMPINAN_DEFAULT[capaian]
