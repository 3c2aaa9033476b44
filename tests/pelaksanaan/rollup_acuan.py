"""The roll-up of an atasan's RHK read plainly with the ORM, one model instance per row: the reference the
board's single-query roll-up (`selectors_papan.rollup_penilai`) is compared with."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from kinerja.organisasi.models import PeriodePenilaian
from kinerja.pelaksanaan.papan.selectors import (
    RhkBawahan,
    RollupRhk,
    _kumulatif,
    _muat_indikator,
    rata_rata,
)
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules.alur import Status


def rollup_acuan(skp: Skp, pp: PeriodePenilaian, daftar: list[PeriodePenilaian]) -> list[RollupRhk]:
    """Each RHK of `skp` with the agreed bawahan RHK intervening it: capaian year to date (mean of their
    numeric indikator) and realisasi filled for the periode. Five queries whatever the size."""
    rhk_atasan = list(Rhk.objects.filter(skp=skp).order_by("jenis", "urutan", "pk"))
    bawahan = list(
        Rhk.objects.filter(intervensi__in=rhk_atasan, skp__periode_id=skp.periode_id)
        .filter(Q(skp__status=Status.DISETUJUI.value) | Q(skp__disetujui_pada__isnull=False))
        .exclude(skp__pegawai_id=skp.pegawai_id)
        .select_related("skp")
        .order_by("skp__pegawai_nama", "skp__mulai", "jenis", "urutan", "pk")
    )
    item = {r.pk: RhkBawahan(r) for r in bawahan}
    nilai: dict[int, list[Decimal]] = defaultdict(list)
    for ind in _muat_indikator(Indikator.objects.filter(rhk__in=bawahan), skp.periode_id):
        it = item[ind.rhk_id]
        it.jumlah_indikator += 1
        it.terisi += pp.pk in ind.realisasi
        c = _kumulatif(ind, pp, daftar)
        if c is not None:
            nilai[ind.rhk_id].append(c)
    per_induk: dict[int, list[RhkBawahan]] = defaultdict(list)
    for r in bawahan:
        item[r.pk].capaian = rata_rata(nilai.get(r.pk, []))
        per_induk[r.intervensi_id].append(item[r.pk])  # type: ignore[index]
    return [RollupRhk(r, per_induk.get(r.pk, [])) for r in rhk_atasan]
