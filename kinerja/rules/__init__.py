"""The regulation as pure Python (PermenPANRB 6/2022 and related rules); no Django imports.

Modules: :mod:`~kinerja.rules.kuadran` (predikat), :mod:`~kinerja.rules.distribusi` (pola distribusi),
:mod:`~kinerja.rules.capaian` (capaian and consolidation), :mod:`~kinerja.rules.angka_kredit`,
:mod:`~kinerja.rules.nip`, :mod:`~kinerja.rules.jadwal` (periods and deadlines),
:mod:`~kinerja.rules.penilai` (evaluation chain), :mod:`~kinerja.rules.perilaku` (BerAKHLAK),
:mod:`~kinerja.rules.rating` (suggested ratings), :mod:`~kinerja.rules.evaluasi` (evaluation workflow),
:mod:`~kinerja.rules.kehadiran` (a working day's status; its types in :mod:`~kinerja.rules.jenis_hari`),
:mod:`~kinerja.rules.tpp` (the month's TPP from a rule set).
Only the enums are re-exported here; functions are imported from their modules (``capaian.capaian``
would otherwise shadow its module). See ``docs/rules.md``.
"""

from kinerja.rules.types import (
    Aspek,
    CapaianOrganisasi,
    JenisJabatan,
    JenisPenempatan,
    JenisRhk,
    Jenjang,
    Konsolidasi,
    ModelSkp,
    Perspektif,
    Polaritas,
    Predikat,
    Rating,
    Skema,
)

__all__ = [
    "Aspek",
    "CapaianOrganisasi",
    "JenisJabatan",
    "JenisPenempatan",
    "JenisRhk",
    "Jenjang",
    "Konsolidasi",
    "ModelSkp",
    "Perspektif",
    "Polaritas",
    "Predikat",
    "Rating",
    "Skema",
]
