"""Reads for the pola distribusi rules page: the rules in force as table rows and the version history with
a summary of what each version changed (two queries whatever the number of versions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.organisasi.models import Instansi
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.distribusi import DEFAULT_RULES, ConstraintKind, Rules
from kinerja.rules.types import CapaianOrganisasi, Predikat

from .models import AturanDistribusi
from .services_aturan import nama_field


def persen(share: Decimal) -> str:
    """``Decimal("0.7")`` -> ``"70"``, ``Decimal("0.125")`` -> ``"12,5"``."""
    return format((share * 100).normalize(), "f").replace(".", ",")


def _angka(share: Decimal) -> str:
    """The value of a number input (a dot, never a localised comma)."""
    return format((share * 100).normalize(), "f")


@dataclass
class BarisKetentuan:
    indeks: int
    jenis: str
    predikat: str
    persen: str | None  # None for "harus ada"
    nilai_input: str
    field: str


@dataclass
class TabelCapaian:
    capaian: CapaianOrganisasi
    bulk: Predikat | None
    field_bulk: str
    bulk_input: str
    ketentuan: list[BarisKetentuan] = field(default_factory=list)


def tabel(rules: Rules) -> list[TabelCapaian]:
    """One table per capaian organisasi: the "sebagian besar" predikat and each constraint."""
    hasil = []
    for capaian in CapaianOrganisasi:
        rule = rules.get(capaian)
        if rule is None:
            continue
        t = TabelCapaian(capaian, rule.bulk, nama_field(capaian), rule.bulk.value if rule.bulk else "")
        for i, c in enumerate(rule.constraints):
            harus_ada = c.kind is ConstraintKind.HARUS_ADA
            t.ketentuan.append(
                BarisKetentuan(
                    i,
                    c.kind.label,
                    c.label,
                    None if harus_ada else persen(c.share),
                    "" if harus_ada else _angka(c.share),
                    nama_field(capaian, i),
                )
            )
        hasil.append(t)
    return hasil


def _ringkas(rule: distribusi_rules.DistribusiRule | None) -> dict[str, str]:
    if rule is None:
        return {}
    hasil = {"Sebagian besar": rule.bulk.label if rule.bulk else "-"}
    for c in rule.constraints:
        hasil[f"{c.kind.label} {c.label}"] = (
            "ada" if c.kind is ConstraintKind.HARUS_ADA else persen(c.share) + "%"
        )
    return hasil


def perubahan(lama: Rules, baru: Rules) -> list[str]:
    """What changed from ``lama`` to ``baru``: ``"Baik: Paling banyak Baik 70% → 100%"``."""
    hasil = []
    for capaian in CapaianOrganisasi:
        a, b = _ringkas(lama.get(capaian)), _ringkas(baru.get(capaian))
        for kunci in list(a) + [k for k in b if k not in a]:
            dari, ke = a.get(kunci), b.get(kunci)
            if dari == ke:
                continue
            hasil.append(f"{capaian.label}: {kunci} {dari or '(tidak ada)'} → {ke or '(dihapus)'}")
    return hasil


@dataclass
class VersiAturan:
    row: AturanDistribusi
    perubahan: list[str]
    sama_dengan_bawaan: bool


def riwayat(instansi: Instansi) -> list[VersiAturan]:
    """Every version of the instansi's rules, newest first, each with what it changed from the one before
    (version 1: from the regulation's defaults)."""
    rows = list(
        AturanDistribusi.objects.filter(instansi=instansi)
        .select_related("dibuat_oleh__pegawai")
        .order_by("versi")
    )
    hasil = []
    sebelumnya: Rules = DEFAULT_RULES
    for row in rows:
        rules = distribusi_rules.rules_from_dict(row.aturan)
        hasil.append(VersiAturan(row, perubahan(sebelumnya, rules), dict(rules) == dict(DEFAULT_RULES)))
        sebelumnya = rules
    hasil.reverse()
    return hasil
