"""Every write of the planning stage: one function per use case, atomic, permission-checked, audited.

Workflow moves go through `kinerja.rules.alur` (the table of who may move a document where); content
rules through `kinerja.rules.skp`. django-simple-history records every row change; `LogAlur` records every
workflow step with its note.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, Periode, UnitKerja, User
from kinerja.perencanaan import notifikasi
from kinerja.perencanaan.models import (
    Indikator,
    IndikatorTargetPeriode,
    LogAlur,
    ManualIndikator,
    PerjanjianKinerja,
    PerjanjianKinerjaIndikator,
    PustakaEkspektasi,
    Rhk,
    SasaranStrategis,
    Skp,
    SkpLampiran,
    SkpPerilaku,
    SkpVersi,
)
from kinerja.perencanaan.selectors import hash_data, kelayakan_massal, masalah_pengajuan, snapshot
from kinerja.permissions import peran_perjanjian, peran_skp, require
from kinerja.rules import JenisJabatan, JenisRhk, Konsolidasi, ModelSkp, alur
from kinerja.rules import skp as skp_rules
from kinerja.rules.alur import Aksi, Peran, Status
from kinerja.rules.capaian import KONSOLIDASI_RENTANG, PESAN_RENTANG_SUM
from kinerja.rules.perilaku import BERAKHLAK

# --- who is acting ------------------------------------------------------------------------------------


def _owner_may_edit(skp: Skp, user: User) -> None:
    require(user, "perencanaan.change_skp", skp, "Hanya pemilik SKP yang dapat mengubah isinya.")
    if not alur.dapat_diubah(skp.status_enum):
        raise ValidationError(
            f"SKP berstatus {skp.status_enum.label.lower()} tidak dapat diubah. "
            + (
                "Gunakan 'Ajukan perubahan' untuk membuka revisi baru."
                if skp.status == Status.DISETUJUI
                else ""
            )
        )


def ensure_editable(skp: Skp, oleh: User) -> None:
    """Refuse unless `oleh` owns the SKP and it is in an editable state (for callers that change several
    parts in one transaction, e.g. `services_skp.PengubahSkp`, so the check runs even when nothing else
    would)."""
    _owner_may_edit(skp, oleh)


# --- SKP ----------------------------------------------------------------------------------------------


@transaction.atomic
def create_skp(pegawai: Pegawai, periode: Periode, oleh: User, tanggal: datetime.date | None = None) -> Skp:
    """Draft a new SKP for the pegawai's current definitif jabatan and penilai.

    When the jabatan or the penilai changed since the pegawai's previous SKP of the year, that SKP is
    closed the day before (it keeps its months) and the new one runs to the end of the year.
    """
    require(oleh, "perencanaan.create_skp", pegawai, "Anda hanya dapat membuat SKP Anda sendiri.")
    if periode.instansi_id != pegawai.instansi_id:
        raise ValidationError("Periode bukan milik instansi pegawai.")
    tanggal = tanggal or org.today()
    awal, akhir = datetime.date(periode.tahun, 1, 1), datetime.date(periode.tahun, 12, 31)
    tanggal = min(max(tanggal, awal), akhir)
    penempatan = org.jabatan_utama(pegawai, tanggal)
    if penempatan is None:
        raise ValidationError(
            "Anda belum memiliki jabatan definitif pada tanggal ini, sehingga pejabat penilai tidak dapat "
            "ditentukan. Hubungi admin kepegawaian."
        )
    rantai = org.rantai_penilai(pegawai, tanggal)
    mulai = max(awal, penempatan.mulai)
    selesai = min(akhir, penempatan.selesai or akhir)
    sebelumnya = (
        Skp.objects.filter(pegawai=pegawai, periode=periode, selesai__gte=mulai).order_by("-mulai").first()
    )
    if sebelumnya is not None:
        sama = sebelumnya.penempatan_id == penempatan.pk and sebelumnya.penilai_id == (
            rantai.penilai.pegawai.pk if rantai.penilai else None
        )
        # A new jabatan starts on its TMT (the old SKP keeps only the months served in the old one, even
        # when the new SKP is drafted later); a new penilai in the same jabatan from the day of the new SKP
        # (docs/rules.md §11 "new SKP mid-year").
        if sebelumnya.penempatan_id != penempatan.pk:
            mulai = max(mulai, sebelumnya.mulai + datetime.timedelta(days=1))
        else:
            mulai = tanggal
        if sama or sebelumnya.mulai >= mulai:
            raise ValidationError(
                f"SKP tahun {periode.tahun} untuk jabatan dan pejabat penilai ini sudah ada."
            )
        sebelumnya.selesai = mulai - datetime.timedelta(days=1)
        sebelumnya.save(update_fields=["selesai", "diubah_pada"])
    jabatan = penempatan.jabatan
    model = skp_rules.model_skp(
        JenisJabatan(jabatan.jenis),
        jabatan.unit_kerja_mandiri,
        pegawai.instansi.skp_kuantitatif_semua,
        pegawai.instansi.skp_kuantitatif_struktural,
    )
    skp = Skp.objects.create(
        instansi_id=pegawai.instansi_id,
        periode=periode,
        pegawai=pegawai,
        penempatan=penempatan,
        jabatan=jabatan,
        pegawai_jenjang=jabatan.jenjang,
        unit=jabatan.unit,
        penilai=rantai.penilai.pegawai if rantai.penilai else None,
        penilai_jabatan=rantai.penilai.jabatan if rantai.penilai else None,
        atasan_penilai=rantai.atasan_penilai.pegawai if rantai.atasan_penilai else None,
        perjanjian_kinerja=PerjanjianKinerja.objects.filter(
            periode=periode, pegawai=pegawai, jabatan=jabatan
        ).first(),
        model=model.value,
        mulai=mulai,
        selesai=selesai,
        batas=skp_rules.batas_skp_pegawai(periode.tahun, penempatan.mulai, periode.batas_skp),
        **Skp.identitas_values(pegawai, jabatan, rantai.penilai, rantai.atasan_penilai),
    )
    SkpPerilaku.objects.bulk_create([SkpPerilaku(skp=skp, kode=n.kode) for n in BERAKHLAK])
    LogAlur.objects.create(skp=skp, aksi="buat", status_ke=Status.DRAFT.value, oleh=oleh)
    return skp


def pilihan_intervensi(skp: Skp) -> QuerySet[Rhk]:
    """The RHK an RHK of this SKP may intervene: the RHK of its penilai's SKP of the same year.

    The one place that decides the cascade link (a tim kerja feature will add the ketua tim's RHK here).
    """
    if skp.penilai_id is None:
        return Rhk.objects.none()
    return (
        Rhk.objects.filter(skp__pegawai_id=skp.penilai_id, skp__periode_id=skp.periode_id)
        .filter(skp__mulai__lte=skp.selesai, skp__selesai__gte=skp.mulai)
        .select_related("skp")
        .order_by("skp__mulai", "jenis", "urutan", "pk")
    )


def validate_intervensi(skp: Skp, induk: Rhk | None, jenis: str) -> None:
    if induk is None:
        if skp.penilai_id is not None and jenis == JenisRhk.UTAMA.value:
            raise ValidationError(
                {
                    "intervensi": "RHK utama wajib menyebut RHK pimpinan yang diintervensi "
                    "(RHK pejabat penilai Anda)."
                }
            )
        return
    if not pilihan_intervensi(skp).filter(pk=induk.pk).exists():
        raise ValidationError(
            {"intervensi": "RHK yang diintervensi harus salah satu RHK pejabat penilai Anda."}
        )


@transaction.atomic
def save_rhk(
    skp: Skp,
    oleh: User,
    rhk: Rhk | None = None,
    *,
    teks: str,
    jenis: str = JenisRhk.UTAMA.value,
    intervensi: Rhk | None = None,
    pk_indikator: PerjanjianKinerjaIndikator | None = None,
    perspektif: str = "",
) -> tuple[Rhk, list[str]]:
    """Add or change an RHK; returns it with wording warnings (never blocking)."""
    _owner_may_edit(skp, oleh)
    teks = teks.strip()
    errors: dict[str, str] = {}
    if len(teks) < 10:
        errors["teks"] = "Tuliskan RHK sebagai kalimat hasil (paling sedikit 10 karakter)."
    if pk_indikator is not None and pk_indikator.perjanjian.pegawai_id != skp.pegawai_id:
        errors["pk_indikator"] = "IKU harus dari Perjanjian Kinerja Anda sendiri."
    if errors:
        raise ValidationError(errors)
    validate_intervensi(skp, intervensi, jenis)
    rhk = rhk or Rhk(skp=skp, urutan=skp.rhk.count() + 1)
    if rhk.skp_id != skp.pk:
        raise PermissionDenied("RHK ini bukan bagian dari SKP tersebut.")
    rhk.teks, rhk.jenis, rhk.intervensi, rhk.pk_indikator, rhk.perspektif = (
        teks,
        jenis,
        intervensi,
        pk_indikator,
        perspektif,
    )
    rhk.full_clean()
    rhk.save()
    return rhk, skp_rules.peringatan_rhk(teks)


@transaction.atomic
def delete_rhk(rhk: Rhk, oleh: User) -> None:
    _owner_may_edit(rhk.skp, oleh)
    bawahan = list(rhk.intervensi_bawahan.select_related("skp")[:3])
    if bawahan:
        nama = ", ".join(sorted({r.skp.pegawai_nama for r in bawahan}))
        raise ValidationError(f"RHK ini diintervensi oleh RHK bawahan ({nama}); ubah RHK mereka dulu.")
    rhk.delete()


def _angka(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@transaction.atomic
def save_indikator(
    rhk: Rhk,
    oleh: User,
    indikator: Indikator | None = None,
    *,
    teks: str,
    aspek: str,
    target_angka: Decimal | None = None,
    target_angka_atas: Decimal | None = None,
    satuan: str = "",
    target_teks: str = "",
    polaritas: str = "maximize",
    konsolidasi: str = Konsolidasi.SUM.value,
    target_periode: dict[int, Any] | None = None,
) -> Indikator:
    """Add or change an indikator with its yearly and per-periode targets (validated per model)."""
    skp = rhk.skp
    _owner_may_edit(skp, oleh)
    target_periode = target_periode or {}
    jumlah_periode = skp.periode.periode_penilaian.count()
    errors: dict[str, str] = {}
    if len(teks.strip()) < 3:
        errors["teks"] = "Indikator wajib diisi."
    if skp.model == ModelSkp.KUANTITATIF.value:
        target_angka, target_angka_atas = _angka(target_angka), _angka(target_angka_atas)
        angka_periode = {n: _angka(target_periode.get(n)) for n in range(1, jumlah_periode + 1)}
        masalah = skp_rules.check_target_periode(
            target_angka, angka_periode, Konsolidasi(konsolidasi), satuan
        )
        if masalah:
            errors["target_angka"] = " ".join(m.pesan for m in masalah)
        if target_angka_atas is not None and target_angka is not None and target_angka_atas <= target_angka:
            errors["target_angka_atas"] = "Batas atas rentang harus lebih besar dari target."
        if target_angka_atas is not None and Konsolidasi(konsolidasi) not in KONSOLIDASI_RENTANG:
            errors["konsolidasi"] = PESAN_RENTANG_SUM  # a range is never summed (docs/rules.md §4)
        if not satuan.strip():
            errors["satuan"] = "Satuan wajib diisi untuk target angka (mis. dokumen, %, hari)."
    elif not target_teks.strip():
        errors["target_teks"] = "Tuliskan ukuran keberhasilan (target kualitatif)."
    if errors:
        raise ValidationError(errors)
    indikator = indikator or Indikator(rhk=rhk, urutan=rhk.indikator.count() + 1)
    if indikator.rhk_id != rhk.pk:
        raise PermissionDenied("Indikator ini bukan bagian dari RHK tersebut.")
    indikator.teks, indikator.aspek, indikator.satuan, indikator.polaritas, indikator.konsolidasi = (
        teks.strip(),
        aspek,
        satuan.strip(),
        polaritas,
        konsolidasi,
    )
    if skp.model == ModelSkp.KUANTITATIF.value:
        indikator.target_angka, indikator.target_angka_atas, indikator.target_teks = (
            target_angka,
            target_angka_atas,
            "",
        )
    else:
        indikator.target_angka = indikator.target_angka_atas = None
        indikator.target_teks = target_teks.strip()
    indikator.full_clean()
    indikator.save()
    existing = {t.nomor: t for t in indikator.target_periode.all()}
    for nomor in range(1, jumlah_periode + 1):
        value = target_periode.get(nomor)
        row = existing.get(nomor) or IndikatorTargetPeriode(indikator=indikator, nomor=nomor)
        if skp.model == ModelSkp.KUANTITATIF.value:
            new = (_angka(value), "")
        else:
            new = (None, (value or "").strip() if isinstance(value, str) else "")
        if row.pk is None or (row.target_angka, row.target_teks) != new:
            row.target_angka, row.target_teks = new
            row.save()
    return indikator


@transaction.atomic
def delete_indikator(indikator: Indikator, oleh: User) -> None:
    _owner_may_edit(indikator.rhk.skp, oleh)
    indikator.delete()


@transaction.atomic
def save_ekspektasi(
    skp: Skp, oleh: User, kode: str, teks: str, simpan_ke_pustaka: bool = False
) -> SkpPerilaku:
    """The penilai writes the ekspektasi khusus of one BerAKHLAK value (before the SKP is approved)."""
    require(oleh, "perencanaan.approve_skp", skp, "Ekspektasi khusus ditulis oleh pejabat penilai.")
    if skp.status == Status.DISETUJUI.value:
        raise ValidationError("SKP sudah disetujui; ekspektasi berubah hanya melalui revisi.")
    perilaku = skp.perilaku.get(kode=kode)
    teks = teks.strip()
    if perilaku.ekspektasi_khusus != teks:
        perilaku.ekspektasi_khusus = teks
        perilaku.save()
    if teks and simpan_ke_pustaka:
        item, _ = PustakaEkspektasi.objects.get_or_create(
            instansi_id=skp.instansi_id, kode=kode, teks=teks[:500], defaults={"dibuat_oleh": oleh}
        )
        PustakaEkspektasi.objects.filter(pk=item.pk).update(dipakai=item.dipakai + 1)
    return perilaku


@transaction.atomic
def save_lampiran(skp: Skp, oleh: User, *, jenis: str, teks: str, kategori: str = "") -> SkpLampiran:
    _owner_may_edit(skp, oleh)
    if not teks.strip():
        raise ValidationError({"teks": "Uraian lampiran wajib diisi."})
    if jenis != SkpLampiran.Jenis.DUKUNGAN:
        kategori = ""
    lampiran = SkpLampiran(
        skp=skp, jenis=jenis, kategori=kategori, teks=teks.strip(), urutan=skp.lampiran.count() + 1
    )
    lampiran.full_clean()
    lampiran.save()
    return lampiran


@transaction.atomic
def delete_lampiran(lampiran: SkpLampiran, oleh: User) -> None:
    _owner_may_edit(lampiran.skp, oleh)
    lampiran.delete()


def _jalankan_alur(
    dokumen: Skp | PerjanjianKinerja, roles: set[Peran], oleh: User, aksi: Aksi, catatan: str, nama: str
) -> tuple[str, Status]:
    """Check the move against `kinerja.rules.alur` and set the workflow fields shared by SKP and PK.

    Returns the previous status and the new one; the caller saves, adds its own effects and logs.
    """
    peran = alur.TRANSISI[aksi].oleh
    if peran not in roles:
        raise PermissionDenied(f"{aksi.label} hanya dapat dilakukan oleh {peran.label.lower()} {nama} ini.")
    try:
        baru = alur.transisi(dokumen.status_enum, aksi, peran, catatan)
    except alur.TransisiDitolak as exc:
        raise ValidationError(str(exc)) from exc
    dari, now = dokumen.status, timezone.now()
    if aksi is Aksi.AJUKAN:
        dokumen.diajukan_pada, dokumen.catatan_pengembalian = now, ""
    elif aksi is Aksi.SETUJUI:
        dokumen.disetujui_pada, dokumen.disetujui_oleh = now, oleh
    elif aksi is Aksi.KEMBALIKAN:
        dokumen.catatan_pengembalian = catatan.strip()
    elif aksi is Aksi.AJUKAN_PERUBAHAN:
        dokumen.revisi += 1
        dokumen.disetujui_pada = dokumen.disetujui_oleh = None
    dokumen.status = baru.value
    return dari, baru


def _jalankan(skp: Skp, oleh: User, aksi: Aksi, catatan: str = "") -> Skp:
    if aksi is Aksi.AJUKAN and Peran.PEMILIK in peran_skp(skp, oleh):
        masalah = masalah_pengajuan(skp)
        if masalah and alur.dapat_diubah(skp.status_enum):
            raise ValidationError(masalah)
    dari, baru = _jalankan_alur(skp, peran_skp(skp, oleh), oleh, aksi, catatan, "SKP")
    terlambat = aksi is Aksi.AJUKAN and timezone.localdate() > skp.batas
    skp.save()
    if aksi is Aksi.SETUJUI:
        data = snapshot(skp)
        SkpVersi.objects.create(
            skp=skp,
            revisi=skp.revisi,
            data=data,
            sha256=hash_data(data),
            disetujui_oleh=oleh,
            disetujui_pada=skp.disetujui_pada,
        )
    log = LogAlur.objects.create(
        skp=skp,
        aksi=aksi.value,
        status_dari=dari,
        status_ke=baru.value,
        revisi=skp.revisi,
        catatan=catatan.strip(),
        oleh=oleh,
        terlambat=terlambat,
    )
    if aksi in (Aksi.SETUJUI, Aksi.KEMBALIKAN):
        notifikasi.skp_diputuskan(skp, aksi.value, oleh, catatan, log.pk)
    return skp


@transaction.atomic
def submit_skp(skp: Skp, oleh: User) -> Skp:
    return _jalankan(skp, oleh, Aksi.AJUKAN)


@transaction.atomic
def withdraw_skp(skp: Skp, oleh: User) -> Skp:
    return _jalankan(skp, oleh, Aksi.TARIK)


@transaction.atomic
def approve_skp(skp: Skp, oleh: User) -> Skp:
    return _jalankan(skp, oleh, Aksi.SETUJUI)


ALASAN_BUKAN_BAWAHAN = "bukan bawahan Anda"


@dataclass
class HasilMassal:
    """What a bulk approval did: the approved SKP, and (skp_id, pegawai name, reason) of each one skipped."""

    disetujui: list[Skp] = field(default_factory=list)
    dilewati: list[tuple[int, str, str]] = field(default_factory=list)


def approve_skp_massal(skp_ids: list[int], oleh: User) -> HasilMassal:
    """Approve each chosen SKP of the penilai's inbox in its own transaction (docs/rules.md §33.7).

    Eligibility is checked again here, on the locked row, whatever the form showed; an SKP of someone else's
    bawahan is skipped without naming its pegawai, and a refusal of `approve_skp` (permission or workflow)
    skips that SKP only, the others stay approved."""
    hasil = HasilMassal()
    ids = list(dict.fromkeys(skp_ids))
    milik = (
        set(Skp.objects.filter(pk__in=ids, penilai_id=oleh.pegawai_id).values_list("pk", flat=True))
        if oleh.pegawai_id
        else set()
    )
    for pk in ids:
        if pk not in milik:
            hasil.dilewati.append((pk, f"SKP #{pk}", ALASAN_BUKAN_BAWAHAN))
            continue
        try:
            with transaction.atomic():
                skp = Skp.objects.select_for_update().select_related("periode", "pegawai").get(pk=pk)
                alasan = kelayakan_massal([skp])[skp.pk]
                if alasan is None:
                    hasil.disetujui.append(approve_skp(skp, oleh))
        except (PermissionDenied, ValidationError) as exc:
            alasan = "; ".join(getattr(exc, "messages", None) or [str(exc)]) or "ditolak"
        if alasan is not None:
            hasil.dilewati.append((pk, skp.pegawai_nama, alasan))
    return hasil


@transaction.atomic
def return_skp(skp: Skp, oleh: User, catatan: str) -> Skp:
    return _jalankan(skp, oleh, Aksi.KEMBALIKAN, catatan)


@transaction.atomic
def submit_perubahan_skp(skp: Skp, oleh: User) -> Skp:
    return _jalankan(skp, oleh, Aksi.AJUKAN_PERUBAHAN)


@transaction.atomic
def copy_from_last_year(skp: Skp, oleh: User) -> int:
    """Copy RHK, indikator and lampiran of the pegawai's latest SKP of the previous year into an empty draft.

    Cascade links are not copied (last year's atasan RHK are not this year's); returns the RHK count.
    """
    _owner_may_edit(skp, oleh)
    if skp.rhk.exists():
        raise ValidationError("Salin dari tahun lalu hanya untuk SKP yang belum berisi RHK.")
    lama = (
        Skp.objects.filter(pegawai=skp.pegawai, periode__tahun=skp.periode.tahun - 1)
        .order_by("-mulai")
        .prefetch_related("rhk__indikator", "lampiran")
        .first()
    )
    if lama is None:
        raise ValidationError(f"Tidak ada SKP tahun {skp.periode.tahun - 1} untuk disalin.")
    for r in lama.rhk.all():
        baru = Rhk.objects.create(
            skp=skp, jenis=r.jenis, teks=r.teks, perspektif=r.perspektif, urutan=r.urutan
        )
        for i in r.indikator.all():
            rentang = skp.is_kuantitatif and i.target_angka_atas is not None
            konsolidasi = i.konsolidasi
            if rentang and Konsolidasi(konsolidasi) not in KONSOLIDASI_RENTANG:
                # A range is never summed (docs/rules.md §4): one stored with "sum" before the form refused
                # it comes over with the instansi's choice, as its capaian was read.
                konsolidasi = skp.instansi.konsolidasi_rentang
            Indikator.objects.create(
                rhk=baru,
                aspek=i.aspek,
                teks=i.teks,
                satuan=i.satuan,
                polaritas=i.polaritas,
                konsolidasi=konsolidasi,
                urutan=i.urutan,
                target_angka=i.target_angka if skp.is_kuantitatif else None,
                target_angka_atas=i.target_angka_atas if rentang else None,
                target_teks=i.target_teks if not skp.is_kuantitatif else "",
            )
    for lam in lama.lampiran.all():
        SkpLampiran.objects.create(
            skp=skp, jenis=lam.jenis, kategori=lam.kategori, teks=lam.teks, urutan=lam.urutan
        )
    return lama.rhk.count()


@transaction.atomic
def fill_from_rhk_atasan(skp: Skp, oleh: User) -> int:
    """Prefill one RHK utama per RHK utama of the penilai, each already linked to the RHK it intervenes.

    The text starts as the atasan's; the pegawai rewrites it as their own contribution.
    """
    _owner_may_edit(skp, oleh)
    sudah = set(skp.rhk.exclude(intervensi=None).values_list("intervensi_id", flat=True))
    dibuat = 0
    for induk in pilihan_intervensi(skp).filter(jenis=JenisRhk.UTAMA.value):
        if induk.pk in sudah:
            continue
        dibuat += 1
        Rhk.objects.create(
            skp=skp, jenis=JenisRhk.UTAMA.value, teks=induk.teks, intervensi=induk, urutan=skp.rhk.count() + 1
        )
    if not dibuat:
        raise ValidationError("Tidak ada RHK pejabat penilai yang belum diintervensi.")
    return dibuat


# --- Perjanjian Kinerja, peta strategi, Manual IKU ----------------------------------------------------


@transaction.atomic
def save_sasaran(
    unit: UnitKerja, oleh: User, sasaran: SasaranStrategis | None = None, **fields: Any
) -> SasaranStrategis:
    require(
        oleh, "perencanaan.plan_unit", unit, "Peta strategi diisi oleh pimpinan unit atau admin kepegawaian."
    )
    sasaran = sasaran or SasaranStrategis(instansi_id=unit.instansi_id, unit=unit)
    for name, value in fields.items():
        setattr(sasaran, name, value)
    sasaran.full_clean()
    sasaran.save()
    return sasaran


@transaction.atomic
def save_manual(
    unit: UnitKerja,
    oleh: User,
    manual: ManualIndikator | None = None,
    *,
    target_periode: dict[int, Any],
    **fields: Any,
) -> ManualIndikator:
    """Add or change a Manual IKU/IKI with its per-periode targets (checked against the yearly target)."""
    require(
        oleh, "perencanaan.plan_unit", unit, "Manual IKU diisi oleh pimpinan unit atau admin kepegawaian."
    )
    manual = manual or ManualIndikator(instansi_id=unit.instansi_id, unit=unit)
    for name, value in fields.items():
        setattr(manual, name, value)
    angka = {n: _angka(v) for n, v in target_periode.items()}
    masalah = skp_rules.check_target_periode(
        _angka(manual.target_tahun), angka, Konsolidasi(manual.konsolidasi), manual.satuan
    )
    if masalah:
        raise ValidationError({"target_tahun": " ".join(m.pesan for m in masalah)})
    manual.full_clean()
    manual.save()
    existing = {t.nomor: t for t in manual.target_periode.all()}
    for nomor, nilai in angka.items():
        row = existing.get(nomor)
        if row is None:
            manual.target_periode.create(nomor=nomor, target=nilai)
        elif row.target != nilai:
            row.target = nilai
            row.save()
    return manual


@transaction.atomic
def create_perjanjian(unit: UnitKerja, periode: Periode, oleh: User) -> PerjanjianKinerja:
    """Draft the Perjanjian Kinerja of the unit's head for the year; the head's own superior approves it
    (the admin kepegawaian for the top of the instansi)."""
    require(
        oleh,
        "perencanaan.plan_unit",
        unit,
        "Perjanjian Kinerja dibuat oleh pimpinan unit atau admin kepegawaian.",
    )
    tanggal = org.today() if org.today().year == periode.tahun else datetime.date(periode.tahun, 1, 2)
    kepala = org.pimpinan_unit(unit, tanggal)
    if kepala is None:
        raise ValidationError(f"{unit.nama} belum memiliki pimpinan; Perjanjian Kinerja tidak dapat dibuat.")
    if PerjanjianKinerja.objects.filter(periode=periode, unit=unit, pegawai=kepala.pegawai).exists():
        raise ValidationError(f"Perjanjian Kinerja {unit.nama} tahun {periode.tahun} sudah ada.")
    rantai = org.rantai_penilai(kepala.pegawai, tanggal)
    atasan = rantai.penilai
    pk = PerjanjianKinerja.objects.create(
        instansi_id=unit.instansi_id,
        periode=periode,
        unit=unit,
        jabatan=kepala.jabatan,
        pegawai=kepala.pegawai,
        penyetuju=atasan.pegawai if atasan else None,
        pegawai_nama=kepala.pegawai.nama_lengkap,
        pegawai_nip=kepala.pegawai.nip,
        pegawai_jabatan=kepala.jabatan.nama
        if kepala.jenis == "definitif"
        else f"{kepala.jenis_label} {kepala.jabatan.nama}",
        penyetuju_nama=atasan.pegawai.nama_lengkap if atasan else "",
        penyetuju_nip=atasan.pegawai.nip if atasan else "",
        penyetuju_jabatan=atasan.jabatan.nama if atasan else "",
    )
    LogAlur.objects.create(perjanjian=pk, aksi="buat", status_ke=Status.DRAFT.value, oleh=oleh)
    return pk


def _pk_owner_may_edit(pk: PerjanjianKinerja, oleh: User) -> None:
    require(
        oleh,
        "perencanaan.change_perjanjian",
        pk,
        "Perjanjian Kinerja diubah oleh pimpinan unit yang menandatanganinya.",
    )
    if not alur.dapat_diubah(pk.status_enum):
        raise ValidationError(
            f"Perjanjian Kinerja berstatus {pk.status_enum.label.lower()} tidak dapat diubah."
        )


@transaction.atomic
def save_pk_indikator(
    pk: PerjanjianKinerja,
    oleh: User,
    item: PerjanjianKinerjaIndikator | None = None,
    *,
    sasaran: SasaranStrategis,
    manual: ManualIndikator,
    target_tahun: Decimal,
) -> PerjanjianKinerjaIndikator:
    _pk_owner_may_edit(pk, oleh)
    if sasaran.unit_id != pk.unit_id or manual.unit_id != pk.unit_id:
        raise ValidationError("Sasaran dan IKU harus dari peta strategi dan Manual IKU unit ini.")
    if _angka(target_tahun) is None or _angka(target_tahun) <= 0:  # type: ignore[operator]
        raise ValidationError({"target_tahun": "Target harus lebih dari 0."})
    item = item or PerjanjianKinerjaIndikator(perjanjian=pk, urutan=pk.indikator.count() + 1)
    item.sasaran, item.manual, item.target_tahun = sasaran, manual, _angka(target_tahun)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def delete_pk_indikator(item: PerjanjianKinerjaIndikator, oleh: User) -> None:
    _pk_owner_may_edit(item.perjanjian, oleh)
    if item.rhk.exists():
        raise ValidationError("IKU ini sudah dipakai RHK di SKP; ubah RHK itu dulu.")
    item.delete()


def _jalankan_pk(pk: PerjanjianKinerja, oleh: User, aksi: Aksi, catatan: str = "") -> PerjanjianKinerja:
    roles = peran_perjanjian(pk, oleh)
    ready_check = aksi is Aksi.AJUKAN and Peran.PEMILIK in roles and alur.dapat_diubah(pk.status_enum)
    if ready_check and not pk.indikator.exists():
        raise ValidationError("Perjanjian Kinerja belum berisi sasaran dan IKU.")
    dari, baru = _jalankan_alur(pk, roles, oleh, aksi, catatan, "Perjanjian Kinerja")
    pk.save()
    LogAlur.objects.create(
        perjanjian=pk,
        aksi=aksi.value,
        status_dari=dari,
        status_ke=baru.value,
        revisi=pk.revisi,
        catatan=catatan.strip(),
        oleh=oleh,
    )
    return pk


@transaction.atomic
def run_perjanjian(pk: PerjanjianKinerja, oleh: User, aksi: Aksi, catatan: str = "") -> PerjanjianKinerja:
    return _jalankan_pk(pk, oleh, aksi, catatan)
