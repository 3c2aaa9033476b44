"""Evaluations the caller still has to finish as pejabat penilai, periode by periode, with what is missing
(the API's `GET /penilaian/tertunda`; docs/rules.md §14, §15)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Periode, PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Skp
from kinerja.permissions import is_admin_of
from kinerja.rules import evaluasi as alur
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.perilaku import BERAKHLAK

#: The code of the annual evaluation where a periode is asked for.
AKHIR = "akhir"


@dataclass
class Tertunda:
    skp: Skp
    periode: Periode
    pp: PeriodePenilaian | None
    evaluasi: Evaluasi | None


@dataclass
class Kekurangan:
    """What still keeps one opened evaluation from being final."""

    rhk_belum_dinilai: int
    perilaku_belum_dinilai: int
    rhk_tanpa_realisasi: int
    kurang: list[str] = field(default_factory=list)


def tertunda(user: User, instansi: Instansi, per: Periode, kode: str | None) -> list[Tertunda]:
    """(SKP, periode) the caller rates and whose evaluation is not final, periode by periode (see module)."""
    daftar = list(PeriodePenilaian.objects.filter(periode=per).order_by("nomor"))
    hari_ini = timezone.localdate()
    if kode is None:
        jatuh: list[PeriodePenilaian | None] = [p for p in daftar if p.selesai < hari_ini]
        if daftar and daftar[-1].selesai < hari_ini:
            jatuh.append(None)
    elif kode == AKHIR:
        jatuh = [None]
    else:
        jatuh = [p for p in daftar if p.nomor == int(kode)]
        if not jatuh:
            raise Http404(f"Periode ke-{kode} tidak ada pada tahun {per.tahun}.")
    for p in daftar:
        p.periode = per
    dinilai = Skp.objects.none()
    if user.pegawai_id:
        dinilai = Skp.objects.filter(penilai_id=user.pegawai_id)
    if is_admin_of(user, instansi.pk):
        dinilai = dinilai | Skp.objects.filter(instansi=instansi, penilai__isnull=True)
    milik = list(dinilai.filter(periode=per, status=StatusSkp.DISETUJUI.value).order_by("pegawai_nama", "pk"))
    semua: dict[int, list[Skp]] = {}  # every approved SKP of those pegawai in the year (mutations)
    for s in Skp.objects.filter(
        periode=per, status=StatusSkp.DISETUJUI.value, pegawai_id__in={s.pegawai_id for s in milik}
    ).only("pk", "pegawai_id", "mulai", "selesai"):
        semua.setdefault(s.pegawai_id, []).append(s)
    evs = {
        (e.pegawai_id, e.periode_penilaian_id): e
        for e in Evaluasi.objects.filter(periode=per, pegawai_id__in=semua.keys())
    }
    hasil = []
    for pp in jatuh:
        for skp in milik:
            lain = semua.get(skp.pegawai_id, [])
            if pp is None:
                if any(s.mulai > skp.mulai for s in lain):
                    continue  # the annual evaluation is decided on the last SKP of the year
            else:
                if skp.mulai > pp.selesai or skp.selesai < pp.mulai:
                    continue
                if any(skp.mulai < s.mulai <= pp.selesai for s in lain):
                    continue  # a later SKP covers the periode: its penilai decides
            ev = evs.get((skp.pegawai_id, pp.pk if pp else None))
            if ev is not None and ev.is_final:
                continue
            hasil.append(Tertunda(skp, per, pp, ev))
    return hasil


def kekurangan(rows: list[Tertunda]) -> list[Kekurangan | None]:
    """For each row, what is missing (None: the evaluation is not opened yet); rating rows and realisasi
    read once for all the rows."""
    ev_ids = [r.evaluasi.pk for r in rows if r.evaluasi is not None]
    rhk_rows: dict[int, list[RatingRhk]] = {}
    perilaku: dict[int, list[RatingPerilaku]] = {}
    if ev_ids:
        for r in RatingRhk.objects.filter(evaluasi_id__in=ev_ids).order_by("urutan", "pk"):
            rhk_rows.setdefault(r.evaluasi_id, []).append(r)
        for r in RatingPerilaku.objects.filter(evaluasi_id__in=ev_ids):
            perilaku.setdefault(r.evaluasi_id, []).append(r)
    rhk_ids = {r.rhk_id for rs in rhk_rows.values() for r in rs if r.rhk_id}
    ada: dict[int, set[int]] = {}  # rhk -> the periode penilaian with a realisasi (an RHK is of one year)
    if rhk_ids:
        for rhk_id, pp_id in Realisasi.objects.filter(indikator__rhk_id__in=rhk_ids).values_list(
            "indikator__rhk_id", "periode_penilaian_id"
        ):
            ada.setdefault(rhk_id, set()).add(pp_id)
    out: list[Kekurangan | None] = []
    for t in rows:
        ev, pp = t.evaluasi, t.pp
        if ev is None:
            out.append(None)
            continue
        rr = rhk_rows.get(ev.pk, [])
        dengan = [r.pk for r in rr if r.rhk_id in ada and (pp is None or pp.pk in ada[r.rhk_id])]
        blok = alur.siap_dinilai(
            dengan, [r.pk for r in rr], {r.pk: r.tanpa_realisasi_alasan for r in rr if r.tanpa_realisasi}
        )
        nilai = {r.kode: r.rating for r in perilaku.get(ev.pk, [])}
        belum_rhk = sum(1 for r in rr if not r.rating)
        belum_perilaku = [n.nama for n in BERAKHLAK if not nilai.get(n.kode)]
        kurang = []
        if belum_rhk:
            kurang.append(f"{belum_rhk} dari {len(rr)} RHK belum dinilai.")
        if belum_perilaku:
            kurang.append(f"Rating perilaku belum diisi: {', '.join(belum_perilaku)}.")
        if blok:
            kurang.append(
                f"{len(blok)} RHK belum memiliki realisasi; tunggu realisasinya atau tandai "
                "'tidak ada realisasi' dengan alasan."
            )
        if not (ev.rating_hasil and ev.rating_perilaku) or ev.status == "draft":
            kurang.append("Rating hasil kerja dan perilaku kerja belum ditetapkan.")
        else:
            kurang.append("Menunggu finalisasi kelompok.")
        out.append(Kekurangan(belum_rhk, len(belum_perilaku), len(blok), kurang))
    return out
