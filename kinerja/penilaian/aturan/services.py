"""The instansi's pola distribusi rules: versioned CONFIG (docs/rules.md §3.7).

* `selectors_aturan.aturan_berlaku(instansi)` -> ``(versi, rules)``: the latest `AturanDistribusi` of the
  instansi, or ``(None, DEFAULT_RULES)`` (the regulation's defaults) when the admin never changed them.
  Every check of a rating group uses it (`selectors.kelompok`), and a finalisation records the version it
  was checked against (`FinalisasiKelompok.versi_aturan`).
* `save_aturan(instansi, oleh, data, alasan)`: a new version (rows are never edited). Only the admin
  kepegawaian of that instansi; ``data`` is the `rules_to_dict` form and must hold a rule for every capaian
  organisasi; it is validated by `rules_from_dict` and the rules' own checks (shares 0-100 %, laminar sets)
  plus one more: the constraints must be satisfiable together for a group of 100 pegawai (otherwise every
  check would say "tidak dapat diterapkan"). Saving the rules in force again is refused (nothing changed).
* `data_dari_formulir(rules, post)`: the edit form (a percentage per share constraint, the "sebagian
  besar" predikat per capaian) applied to the current rules; the structure (which constraints exist) is
  not edited there.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.organisasi.models import Instansi, User
from kinerja.penilaian.aturan.selectors import aturan_berlaku, nama_field
from kinerja.penilaian.models import AturanDistribusi
from kinerja.permissions import require
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.distribusi import DEFAULT_RULES, ConstraintKind, Rules
from kinerja.rules.types import CapaianOrganisasi, Predikat

__all__ = [
    "data_dari_formulir",
    "reset_bawaan",
    "save_aturan",
    "validate_aturan",
]

#: Group size used to refuse rules whose constraints can never hold together.
N_UJI = 100


def _label_ketentuan(item: Mapping[str, Any]) -> str:
    try:
        kind = ConstraintKind(str(item.get("kind"))).label
    except ValueError:
        kind = str(item.get("kind"))
    nama = []
    for p in item.get("predikat") or []:
        try:
            nama.append(Predikat(p).label)
        except ValueError:
            nama.append(str(p))
    return f"“{kind} {' + '.join(nama)}”"


def validate_aturan(data: Any) -> dict[CapaianOrganisasi, distribusi_rules.DistribusiRule]:
    """The rules of ``data`` (`rules_to_dict` form), or ValidationError naming the capaian and the field."""
    if not isinstance(data, Mapping):
        raise ValidationError("Aturan pola distribusi harus berupa objek per capaian organisasi.")
    galat: dict[str, str] = {}
    for key in data:
        try:
            CapaianOrganisasi(key)
        except ValueError:
            galat[str(key)] = f"Capaian organisasi tidak dikenal: {key!r}."
    hasil: dict[CapaianOrganisasi, distribusi_rules.DistribusiRule] = {}
    for capaian in CapaianOrganisasi:
        raw = data.get(capaian.value)
        if raw is None:
            galat[capaian.value] = f"Aturan untuk capaian {capaian.label} wajib ada."
            continue
        salah = False
        if isinstance(raw, Mapping):
            bulk = raw.get("bulk")
            if bulk is not None and (not isinstance(bulk, str) or bulk not in {p.value for p in Predikat}):
                galat[nama_field(capaian)] = (
                    f"Capaian {capaian.label}, predikat “sebagian besar”: predikat tidak dikenal ({bulk!r})."
                )
                salah = True
            items = raw.get("constraints")
            for i, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, Mapping) or item.get("kind") == ConstraintKind.HARUS_ADA.value:
                    continue
                share = item.get("share", "0")
                try:
                    nilai = Decimal(str(share)) if not isinstance(share, bool) else None
                except InvalidOperation:
                    nilai = None
                if nilai is None or not nilai.is_finite() or nilai < 0 or nilai > 1:
                    galat[nama_field(capaian, i)] = (
                        f"Capaian {capaian.label}, ketentuan {_label_ketentuan(item)}: persentase harus "
                        "angka antara 0 dan 100."
                    )
                    salah = True
        if salah:
            continue
        try:
            rule = distribusi_rules.rules_from_dict({capaian.value: raw})[capaian]
        except ValueError as exc:
            galat[capaian.value] = f"Capaian {capaian.label}: {exc}"
            continue
        cek = distribusi_rules.check(capaian, {Predikat.BAIK: N_UJI}, {capaian: rule})
        if not cek.applicable:
            alasan = (cek.reason or "").split(": ", 1)[-1]
            galat[capaian.value] = (
                f"Capaian {capaian.label}: ketentuannya tidak dapat dipenuhi bersamaan bahkan untuk "
                f"{N_UJI} pegawai ({alasan})"
            )
            continue
        hasil[capaian] = rule
    if galat:
        raise ValidationError(galat)
    return hasil


@transaction.atomic
def save_aturan(instansi: Instansi, oleh: User, data: Any, alasan: str) -> AturanDistribusi:
    """Save ``data`` as the next version of the instansi's pola distribusi rules (see the module doc)."""
    require(
        oleh,
        "penilaian.change_aturan",
        instansi,
        "Aturan pola distribusi hanya dapat diubah oleh admin kepegawaian instansi ini.",
    )
    alasan = (alasan or "").strip()
    galat: dict[str, str] = {}
    if not alasan:
        galat["alasan"] = "Alasan perubahan aturan pola distribusi wajib diisi."
    try:
        rules = validate_aturan(data)
    except ValidationError as exc:
        galat.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        rules = None
    if galat:
        raise ValidationError(galat)
    Instansi.objects.select_for_update().filter(pk=instansi.pk).first()  # one new version at a time
    versi, sekarang = aturan_berlaku(instansi)
    if dict(rules or {}) == dict(sekarang):  # Decimal equality: "0.7" and "0.70" are the same share
        raise ValidationError(
            "Tidak ada perubahan: aturan ini sama dengan aturan pola distribusi yang berlaku"
            + (f" (versi {versi})." if versi else " (ketentuan bawaan).")
        )
    row = AturanDistribusi(
        instansi=instansi,
        versi=(versi or 0) + 1,
        aturan=distribusi_rules.rules_to_dict(rules or {}),
        alasan=alasan,
        dibuat_oleh=oleh,
    )
    row.save()
    return row


def reset_bawaan(instansi: Instansi, oleh: User, alasan: str) -> AturanDistribusi:
    """A new version equal to the regulation's defaults."""
    return save_aturan(instansi, oleh, distribusi_rules.rules_to_dict(DEFAULT_RULES), alasan)


def _persen(teks: str) -> Decimal | None:
    teks = (teks or "").strip().replace(",", ".").removesuffix("%").strip()
    if not teks:
        return None
    try:
        nilai = Decimal(teks)
    except InvalidOperation:
        return None
    return nilai if nilai.is_finite() else None


def data_dari_formulir(rules: Rules, post: Mapping[str, Any]) -> dict[str, Any]:
    """The current ``rules`` with the shares (percent, ``"70"`` / ``"12,5"``) and "sebagian besar" predikat
    of the edit form applied; ValidationError naming the capaian and the field for an unreadable number."""
    data = distribusi_rules.rules_to_dict(rules)
    galat: dict[str, str] = {}
    for capaian in CapaianOrganisasi:
        rule = data.get(capaian.value)
        if rule is None:
            continue
        key = nama_field(capaian)
        if key in post:
            rule["bulk"] = post.get(key) or None
        for i, item in enumerate(rule["constraints"]):
            key = nama_field(capaian, i)
            if item["kind"] == ConstraintKind.HARUS_ADA.value or key not in post:
                continue
            nilai = _persen(str(post.get(key, "")))
            if nilai is None or nilai < 0 or nilai > 100:
                galat[key] = (
                    f"Capaian {capaian.label}, ketentuan {_label_ketentuan(item)}: isi persentase "
                    "antara 0 dan 100."
                )
                continue
            if nilai / 100 != Decimal(item["share"]):
                item["share"] = str((nilai / 100).normalize())
    if galat:
        raise ValidationError(galat)
    return data
