"""The dashboard's dated to-do list per role (docs/rules.md §32): what the user must do next, each item a
link to the page where it is done, ordered by `kinerja.rules.tugas`.

`tugas_untuk` composes it from what the dashboard already reads (passed in as `Bahan`: the cached SKP,
umpan balik, keberatan and predikat summaries, the bawahan, the SKP inbox count) plus a fixed number of
reads of its own, however many bawahan or items: the running periode with its periods (one), the open
realisasi's progress (one), the penilai's rating progress (one, in an evaluation window) and the admin's
failures (one). The documents waiting for a signature are loaded after the page
(`ttd_menunggu_kartu?bentuk=tugas`, docs/rules.md §29.6).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import ImporTertunda, Instansi, Periode, PeriodePenilaian
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.models import Status as StatusPekerjaan
from kinerja.pelaksanaan import selectors as pelaksanaan_selectors
from kinerja.pelaksanaan.models import Realisasi
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.perencanaan.skp.selectors import RingkasanSkp
from kinerja.rules import tugas as aturan
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.jadwal import format_tanggal
from kinerja.tindak_lanjut.keberatan.selectors import PredikatBeranda, RingkasanBeranda
from kinerja.tindak_lanjut.models import KirimSiasn, StatusKirimSiasn

PEGAWAI, PENILAI, PIMPINAN, ADMIN = "pegawai", "penilai", "pimpinan", "admin"

#: A final predikat stays on the list this many days after the pegawai was told, even when no keberatan
#: may be filed (e.g. a periodic one where the instansi allows none).
HARI_PREDIKAT_BARU = 14
#: Failed background jobs of the admin older than this are no longer news.
HARI_PEKERJAAN_GAGAL = 7


@dataclass(frozen=True)
class Tugas:
    """One item of the to-do list."""

    judul: str
    keterangan: str
    tautan: str
    batas: datetime.date | None = None
    jumlah: int | None = None
    selesai: int | None = None
    peran: str = PEGAWAI
    terlambat: bool = False


@dataclass
class Bahan:
    """What the dashboard already read for its cards (cached), handed to `tugas_untuk` so nothing is read
    twice. None: not read (not this role)."""

    skp: RingkasanSkp | None = None
    umpan_balik_belum: int = 0
    keberatan: RingkasanBeranda | None = None
    predikat: list[PredikatBeranda] = field(default_factory=list)
    skp_menunggu: int = 0
    penilai: bool = False
    admin_instansi: Instansi | None = None


def _periode(instansi_id: int, pegawai_id: int | None) -> tuple[Periode | None, list[PeriodePenilaian]]:
    return pelaksanaan_selectors.periode_berjalan_dan_daftar(instansi_id, pegawai_id=pegawai_id)


# --- pegawai ----------------------------------------------------------------------------------------------


def _tugas_skp(ringkasan: RingkasanSkp, hari: datetime.date) -> list[Tugas]:
    if ringkasan.periode is None:
        return []
    skp = ringkasan.skp
    if skp is None:
        return [
            Tugas(
                f"Buat SKP {ringkasan.periode.tahun}",
                f"Anda belum membuat SKP tahun {ringkasan.periode.tahun}",
                reverse("skp:saya"),
                ringkasan.periode.batas_skp,
            )
        ]
    if skp.status == StatusSkp.DIKEMBALIKAN.value:
        return [
            Tugas(
                f"Perbaiki SKP {skp.periode.tahun}",
                f"dikembalikan oleh {skp.penilai_nama or 'pejabat penilai'}",
                reverse("skp:detail", args=[skp.pk]),
                skp.batas,
            )
        ]
    if skp.status == StatusSkp.DRAFT.value:
        sisa = len(ringkasan.masalah)
        return [
            Tugas(
                f"Ajukan SKP {skp.periode.tahun}",
                f"masih draft, {sisa} hal belum lengkap" if sisa else "masih draft, siap diajukan",
                reverse("skp:detail", args=[skp.pk]),
                skp.batas,
            )
        ]
    return []


def _terisi(pp_id: int) -> Q:
    """An indikator with a realisasi entered for the period (a number or, qualitative, a text)."""
    return Q(
        Exists(
            Realisasi.objects.filter(indikator=OuterRef("pk"), periode_penilaian_id=pp_id).filter(
                Q(nilai_angka__isnull=False) | ~Q(nilai_teks="")
            )
        )
    )


def _tugas_realisasi(
    daftar: list[PeriodePenilaian], ringkasan: RingkasanSkp, hari: datetime.date
) -> list[Tugas]:
    """Each period open for realisasi today (`rules.tugas.batas_jendela`, the pegawai's unlock included)
    that the pegawai's approved SKP covers: its indikator filled / all, in one query for all periods."""
    skp = ringkasan.skp
    if skp is None or skp.status != StatusSkp.DISETUJUI.value:
        return []
    terbuka: list[tuple[PeriodePenilaian, datetime.date]] = []
    for pp in daftar:
        if not (skp.mulai <= pp.selesai and skp.selesai >= pp.mulai):
            continue
        buka = getattr(pp, "buka_kunci_aktif", None)
        sampai = aturan.batas_jendela(
            mulai=pp.mulai,
            batas=pp.batas_realisasi,
            hari=hari,
            dibuka_sampai=timezone.localdate(buka.berlaku_sampai) if buka is not None else None,
        )
        if sampai is not None:
            terbuka.append((pp, sampai))
    if not terbuka:
        return []
    angka = Indikator.objects.filter(rhk__skp=skp).aggregate(
        semua=Count("pk"), **{f"isi_{pp.pk}": Count("pk", filter=_terisi(pp.pk)) for pp, _ in terbuka}
    )
    hasil = []
    for pp, sampai in terbuka:
        semua, isi = angka["semua"], angka[f"isi_{pp.pk}"]
        if semua and isi >= semua:
            continue  # all entered: nothing left to do
        hasil.append(
            Tugas(
                f"Realisasi {pp.nama}",
                f"{isi} dari {semua} terisi",
                f"{reverse('pelaksanaan:realisasi')}?periode={pp.nomor}",
                sampai,
                jumlah=semua,
                selesai=isi,
            )
        )
    return hasil


def _tugas_predikat(predikat: list[PredikatBeranda], hari: datetime.date) -> list[Tugas]:
    """A final predikat while a keberatan may be filed (until its last day), or told in the last days."""
    hasil = []
    for p in predikat:
        ev = p.evaluasi
        judul = f"Predikat {ev.nama_periode} ({ev.get_predikat_display()})"
        tautan = reverse("penilaian:evaluasi", args=[ev.pk])
        if p.pengajuan.boleh:
            hasil.append(Tugas(judul, "keberatan dapat diajukan", tautan, p.pengajuan.batas))
        elif p.diberitahu is not None and (hari - p.diberitahu).days <= HARI_PREDIKAT_BARU:
            hasil.append(Tugas(judul, f"diberitahukan {format_tanggal(p.diberitahu)}", tautan))
    return hasil


def _tugas_keberatan(keberatan: RingkasanBeranda) -> list[Tugas]:
    hasil = []
    for k in keberatan.penjelasan:
        hasil.append(
            Tugas(
                f"Jelaskan keberatan {k.pegawai.nama_lengkap}",
                str(k.evaluasi.nama_periode),
                reverse("tindak_lanjut:keberatan_detail", args=[k.pk]),
                k.batas_penjelasan,
                peran=PENILAI,
            )
        )
    for k in keberatan.keputusan:
        hasil.append(
            Tugas(
                f"Putuskan keberatan {k.pegawai.nama_lengkap}",
                str(k.evaluasi.nama_periode),
                reverse("tindak_lanjut:keberatan_detail", args=[k.pk]),
                k.batas_keputusan,
                peran=PIMPINAN,
            )
        )
    if keberatan.instansi_terbuka:
        terlambat = keberatan.instansi_terlambat
        hasil.append(
            Tugas(
                "Keberatan instansi belum diputus",
                f"{keberatan.instansi_terbuka} terbuka"
                + (f", {terlambat} melewati batas" if terlambat else ""),
                f"{reverse('tindak_lanjut:keberatan_instansi')}?status=terbuka",
                jumlah=keberatan.instansi_terbuka,
                peran=ADMIN,
            )
        )
    return hasil


# --- penilai (and the admin for the SKP without one) ------------------------------------------------------


@dataclass(frozen=True)
class _Jendela:
    """A period being evaluated today: ended, its evaluation deadline not past."""

    kode: str
    nama: str
    pp: PeriodePenilaian | None
    mulai: datetime.date
    selesai: datetime.date
    batas: datetime.date


def _jendela_evaluasi(
    periode: Periode, daftar: list[PeriodePenilaian], hari: datetime.date
) -> list[_Jendela]:
    hasil = [
        _Jendela(str(pp.nomor), pp.nama, pp, pp.mulai, pp.selesai, pp.batas_evaluasi)
        for pp in daftar
        if pp.selesai < hari and not aturan.terlambat(pp.batas_evaluasi, hari)
    ]
    if daftar and daftar[-1].selesai < hari and not aturan.terlambat(periode.batas_evaluasi_tahunan, hari):
        hasil.append(
            _Jendela(
                "akhir", "tahunan", None, daftar[0].mulai, daftar[-1].selesai, periode.batas_evaluasi_tahunan
            )
        )
    return hasil


def _tugas_penilaian(
    dinilai: Q, periode: Periode, daftar: list[PeriodePenilaian], hari: datetime.date, peran: str
) -> list[Tugas]:
    """The SKP ``dinilai`` selects (the penilai's, or the admin's without a penilai), per period being
    evaluated: how many pegawai are rated of all, and how many rated evaluations wait for their group's
    finalisation. One query for all periods."""
    jendela = _jendela_evaluasi(periode, daftar, hari)
    if not jendela:
        return []
    dinilai_status = [StatusEvaluasi.DINILAI.value, StatusEvaluasi.FINAL.value]
    agregat: dict[str, Any] = {}
    for j in jendela:
        meliputi = Q(mulai__lte=j.selesai, selesai__gte=j.mulai)
        ev = (
            Q(evaluasi__periode_penilaian=j.pp)
            if j.pp is not None
            else Q(evaluasi__periode_penilaian__isnull=True)
        )
        agregat[f"semua_{j.kode}"] = Count("pegawai_id", distinct=True, filter=meliputi)
        agregat[f"dinilai_{j.kode}"] = Count(
            "evaluasi__pegawai_id",
            distinct=True,
            filter=meliputi & ev & Q(evaluasi__status__in=dinilai_status),
        )
        agregat[f"final_{j.kode}"] = Count(
            "evaluasi", distinct=True, filter=meliputi & ev & Q(evaluasi__status=StatusEvaluasi.DINILAI.value)
        )
    angka = Skp.objects.filter(dinilai, periode=periode, status=StatusSkp.DISETUJUI.value).aggregate(
        **agregat
    )
    hasil = []
    for j in jendela:
        semua, sudah, siap = angka[f"semua_{j.kode}"], angka[f"dinilai_{j.kode}"], angka[f"final_{j.kode}"]
        judul_periode = j.nama if j.pp is not None else f"tahunan {periode.tahun}"
        if semua and sudah < semua:
            siapa = "bawahan" if peran == PENILAI else "pegawai tanpa pejabat penilai"
            hasil.append(
                Tugas(
                    f"Nilai {siapa}: evaluasi {judul_periode}",
                    f"{sudah} dari {semua} dinilai",
                    f"{reverse('penilaian:index')}?periode={j.kode}",
                    j.batas,
                    jumlah=semua,
                    selesai=sudah,
                    peran=peran,
                )
            )
        if siap:
            hasil.append(
                Tugas(
                    f"Finalisasi kelompok: evaluasi {judul_periode}",
                    f"{siap} penilaian menunggu finalisasi",
                    reverse("penilaian:kalibrasi"),
                    j.batas,
                    jumlah=siap,
                    peran=peran,
                )
            )
    return hasil


# --- admin ------------------------------------------------------------------------------------------------


def _jadwal(periode: Periode | None, daftar: list[PeriodePenilaian], hari: datetime.date) -> list[Tugas]:
    """The running periode's next deadlines (never a past one, never a past year's); no periode this year:
    make it."""
    if periode is None or periode.tahun < hari.year:
        return [
            Tugas(
                f"Buat periode kinerja {hari.year}",
                "beserta jadwalnya",
                reverse("organisasi:periode_create"),
                peran=ADMIN,
            )
        ]
    batas = [(f"Batas persetujuan SKP {periode.tahun}", periode.batas_skp)]
    for pp in daftar:
        batas.append((f"Batas pengisian realisasi {pp.nama}", pp.batas_realisasi))
        batas.append((f"Batas evaluasi {pp.nama}", pp.batas_evaluasi))
    batas.append((f"Batas evaluasi tahunan {periode.tahun}", periode.batas_evaluasi_tahunan))
    tautan = reverse("organisasi:periode_detail", args=[periode.pk])
    return [
        Tugas(judul, f"jadwal periode {periode.tahun}", tautan, tanggal, peran=ADMIN)
        for judul, tanggal in aturan.akan_datang(batas, hari)
    ]


def _jumlah(qs: Any) -> Any:
    return Coalesce(
        Subquery(qs.order_by().values("instansi_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _tugas_gagal(user: Any, instansi: Instansi) -> list[Tugas]:
    """Failed SIASN sends of the instansi, the admin's failed background jobs of the last days and their
    uploaded imports not applied yet: one query."""
    sejak = timezone.now() - datetime.timedelta(days=HARI_PEKERJAAN_GAGAL)
    angka = (
        Instansi.objects.filter(pk=instansi.pk)
        .annotate(
            siasn=_jumlah(
                KirimSiasn.objects.filter(instansi_id=OuterRef("pk"), status=StatusKirimSiasn.GAGAL.value)
            ),
            pekerjaan=_jumlah(
                Pekerjaan.objects.filter(
                    instansi_id=OuterRef("pk"),
                    pemilik_id=user.pk,
                    status=StatusPekerjaan.GAGAL.value,
                    dibuat_pada__gte=sejak,
                )
            ),
            impor=_jumlah(ImporTertunda.objects.filter(instansi_id=OuterRef("pk"), user_id=user.pk)),
        )
        .values("siasn", "pekerjaan", "impor")
        .first()
    ) or {"siasn": 0, "pekerjaan": 0, "impor": 0}
    hasil = []
    if angka["siasn"]:
        hasil.append(
            Tugas(
                "Pengiriman SIASN gagal",
                f"{angka['siasn']} evaluasi gagal dikirim",
                f"{reverse('tindak_lanjut:siasn_sinkron')}?status=gagal",
                jumlah=angka["siasn"],
                peran=ADMIN,
            )
        )
    if angka["pekerjaan"]:
        hasil.append(
            Tugas(
                "Pekerjaan latar gagal",
                f"{angka['pekerjaan']} pekerjaan gagal dalam {HARI_PEKERJAAN_GAGAL} hari terakhir",
                reverse("pekerjaan:daftar"),
                jumlah=angka["pekerjaan"],
                peran=ADMIN,
            )
        )
    if angka["impor"]:
        hasil.append(
            Tugas(
                "Impor belum diterapkan",
                f"{angka['impor']} berkas impor menunggu diterapkan",
                reverse("organisasi:impor"),
                jumlah=angka["impor"],
                peran=ADMIN,
            )
        )
    return hasil


# --- the list ---------------------------------------------------------------------------------------------


def tugas_untuk(user: Any, hari: datetime.date, bahan: Bahan | None = None) -> list[Tugas]:
    """The user's to-do list on ``hari``, ordered (`rules.tugas.urutkan`) and with the overdue marked.
    ``bahan``: what the dashboard already read (see `Bahan`); without it, only the items of its own reads
    and of the admin's instansi."""
    bahan = bahan or Bahan()
    pegawai_id = getattr(user, "pegawai_id", None)
    hasil: list[Tugas] = []
    periode: Periode | None = None
    daftar: list[PeriodePenilaian] = []
    if pegawai_id:
        periode, daftar = _periode(user.pegawai.instansi_id, pegawai_id)
        if bahan.skp is not None:
            hasil += _tugas_skp(bahan.skp, hari)
            hasil += _tugas_realisasi(daftar, bahan.skp, hari)
        if bahan.umpan_balik_belum:
            hasil.append(
                Tugas(
                    "Baca umpan balik",
                    f"{bahan.umpan_balik_belum} belum dibaca",
                    reverse("pelaksanaan:umpan_balik"),
                    jumlah=bahan.umpan_balik_belum,
                )
            )
        hasil += _tugas_predikat(bahan.predikat, hari)
        if bahan.skp_menunggu:
            hasil.append(
                Tugas(
                    "Setujui SKP bawahan",
                    f"{bahan.skp_menunggu} SKP bawahan menunggu persetujuan Anda",
                    reverse("skp:persetujuan"),
                    jumlah=bahan.skp_menunggu,
                    peran=PENILAI,
                )
            )
        if bahan.penilai and periode is not None:
            hasil += _tugas_penilaian(Q(penilai_id=pegawai_id), periode, daftar, hari, PENILAI)
    if bahan.keberatan is not None:
        hasil += _tugas_keberatan(bahan.keberatan)
    instansi = bahan.admin_instansi
    if instansi is not None:
        if not pegawai_id or user.pegawai.instansi_id != instansi.pk:
            periode, daftar = _periode(instansi.pk, None)
        hasil += _jadwal(periode, daftar, hari)
        if periode is not None:
            tanpa_penilai = Q(penilai__isnull=True, instansi_id=instansi.pk)
            hasil += _tugas_penilaian(tanpa_penilai, periode, daftar, hari, ADMIN)
        hasil += _tugas_gagal(user, instansi)
    hasil = [dataclasses.replace(t, terlambat=aturan.terlambat(t.batas, hari)) for t in hasil]
    return aturan.urutkan(hasil, hari, lambda t: t.batas)
