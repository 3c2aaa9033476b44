"""Reads of the instansi's pola distribusi rules (docs/rules.md §3.7): the rules in force
(`aturan_berlaku`, `aturan_versi`, `dengan_aturan` / `aturan_dari`), and for the rules page the rules as
table rows and the version history with a summary of what each version changed (two queries whatever the
number of versions)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import JSONField, QuerySet, Subquery

from kinerja.organisasi.models import Instansi
from kinerja.penilaian.models import AturanDistribusi
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.distribusi import DEFAULT_RULES, ConstraintKind, Rules
from kinerja.rules.types import CapaianOrganisasi, Predikat


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


def _instansi_id(instansi: Instansi | int) -> int:
    return instansi if isinstance(instansi, int) else instansi.pk


def aturan_berlaku(instansi: Instansi | int) -> tuple[int | None, Rules]:
    """The rules in force for ``instansi``: ``(versi, rules)``; ``(None, DEFAULT_RULES)`` = the defaults."""
    row = AturanDistribusi.objects.filter(instansi_id=_instansi_id(instansi)).order_by("-versi").first()
    if row is None:
        return None, DEFAULT_RULES
    return row.versi, distribusi_rules.rules_from_dict(row.aturan)


def dengan_aturan(qs: QuerySet[Any], instansi_id: int) -> QuerySet[Any]:
    """``qs`` annotated with the instansi's rules in force (read back with `aturan_dari`), so a reader that
    loads a row anyway gets the rules without a query of their own."""
    terakhir = AturanDistribusi.objects.filter(instansi_id=instansi_id).order_by("-versi")
    return qs.annotate(
        aturan_versi_=Subquery(terakhir.values("versi")[:1]),
        aturan_data_=Subquery(terakhir.values("aturan")[:1], output_field=JSONField()),
    )


def aturan_dari(obj: Any) -> tuple[int | None, Rules]:
    """``(versi, rules)`` of a row loaded through `dengan_aturan`."""
    if obj.aturan_versi_ is None:
        return None, DEFAULT_RULES
    data = obj.aturan_data_
    if isinstance(data, str):  # some backends hand a JSON subquery back as text
        data = json.loads(data)
    return obj.aturan_versi_, distribusi_rules.rules_from_dict(data)


def aturan_versi(instansi: Instansi | int, versi: int | None) -> Rules:
    """The rules of one recorded version (``None``: the defaults), e.g. for a finalised group."""
    if versi is None:
        return DEFAULT_RULES
    row = AturanDistribusi.objects.filter(instansi_id=_instansi_id(instansi), versi=versi).first()
    if row is None:
        raise ValidationError(f"Aturan pola distribusi versi {versi} tidak ditemukan.")
    return distribusi_rules.rules_from_dict(row.aturan)


def nama_field(capaian: CapaianOrganisasi, indeks: int | None = None) -> str:
    """Form field / error key: ``"baik-0"`` (share of the first constraint), ``"baik-bulk"``."""
    return f"{capaian.value}-{'bulk' if indeks is None else indeks}"
