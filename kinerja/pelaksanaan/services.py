"""Every write of the carrying-out stage: one function per use case, atomic, permission-checked, audited.

The regulation (entry windows, capaian) lives in `kinerja.rules.realisasi`; django-simple-history records
every row change with the acting user. Times can be frozen by passing `sekarang` (an aware datetime).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja.organisasi.models import Pegawai, PeriodePenilaian, User
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.pelaksanaan.selectors import status_pengisian
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.permissions import require
from kinerja.rules import realisasi as realisasi_rules
from kinerja.rules.alur import Status

# =========================================================================================================
# Rencana aksi, realisasi, locks and unlocks
# =========================================================================================================


def _sekarang(sekarang: datetime.datetime | None) -> datetime.datetime:
    return sekarang if sekarang is not None else timezone.now()


def _pastikan_pemilik(skp: Skp, periode_penilaian: PeriodePenilaian, oleh: User) -> None:
    """Only the owner writes the pelaksanaan of an agreed SKP, for a periode the SKP covers."""
    require(
        oleh,
        "pelaksanaan.change_realisasi",
        skp,
        "Hanya pemilik SKP yang dapat mengisi rencana aksi dan realisasinya.",
    )
    if skp.status != Status.DISETUJUI.value:
        raise ValidationError(
            "Rencana aksi dan realisasi diisi pada SKP yang sudah disetujui pejabat penilai. "
            f"SKP ini berstatus {skp.status_enum.label.lower()}."
        )
    if periode_penilaian.periode_id != skp.periode_id:
        raise ValidationError(f"{periode_penilaian} bukan periode SKP tahun {skp.periode.tahun}.")
    if periode_penilaian.mulai > skp.selesai or periode_penilaian.selesai < skp.mulai:
        raise ValidationError(
            f"{periode_penilaian.nama} berada di luar masa berlaku SKP ini "
            f"({realisasi_rules.format_tanggal(skp.mulai)} – {realisasi_rules.format_tanggal(skp.selesai)})."
        )


def _pastikan_terbuka(status: realisasi_rules.StatusPengisian) -> None:
    if not status.boleh:
        raise ValidationError(status.alasan)


def pesan_konflik(obj: RencanaAksi | Realisasi) -> str:
    """The message for a save based on a stale version: when and by whom the row was last changed."""
    terakhir = obj.history.order_by("-history_date", "-history_id").select_related("history_user__pegawai")
    record = terakhir.first()
    siapa = "pengguna lain"
    if record is not None and record.history_user is not None:
        u = record.history_user
        siapa = u.pegawai.nama_lengkap if u.pegawai_id else (u.get_full_name() or u.username)
    waktu = realisasi_rules.format_waktu(timezone.localtime(obj.diubah_pada))
    return (
        f"Data ini sudah diubah di tab/perangkat lain pada {waktu} oleh {siapa}; "
        "muat ulang halaman untuk melihat perubahan terbaru."
    )


def _klaim_versi(model: type[Model], obj: RencanaAksi | Realisasi, versi: int | None) -> None:
    """Optimistic lock: atomically move the row from ``versi`` to ``versi + 1`` or refuse.

    The conditional UPDATE is the check (on PostgreSQL a concurrent writer waits for the row lock and then
    finds the version gone; on SQLite writes are serialised). The caller then saves the full row, which
    writes the history record.
    """
    if versi is None:
        versi = obj.versi
    claimed = model._default_manager.filter(pk=obj.pk, versi=versi).update(versi=versi + 1)
    if not claimed:
        obj.refresh_from_db()
        raise ValidationError(pesan_konflik(obj), code="konflik")
    obj.versi = versi + 1


def _teks(value: str, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({what: "Wajib diisi."})
    return value


@transaction.atomic
def save_rencana_aksi(
    rhk: Rhk,
    periode_penilaian: PeriodePenilaian,
    oleh: User,
    teks: str,
    aksi: RencanaAksi | None = None,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> RencanaAksi:
    """Add a rencana aksi to an RHK for a periode, or change ``aksi`` (refused when ``versi`` is stale).

    Rencana aksi may be written ahead of the periode; after its realisasi deadline only under an unlock.
    """
    skp = rhk.skp
    if aksi is not None and (aksi.rhk_id != rhk.pk or aksi.periode_penilaian_id != periode_penilaian.pk):
        raise ValidationError("Rencana aksi ini bukan milik RHK dan periode tersebut.")
    _pastikan_pemilik(skp, periode_penilaian, oleh)
    _pastikan_terbuka(status_pengisian(skp.pegawai_id, periode_penilaian, rencana=True, sekarang=sekarang))
    teks = _teks(teks, "teks")
    if aksi is None:
        urutan = RencanaAksi.objects.filter(rhk=rhk, periode_penilaian=periode_penilaian).count() + 1
        aksi = RencanaAksi(rhk=rhk, periode_penilaian=periode_penilaian, urutan=urutan)
    else:
        _klaim_versi(RencanaAksi, aksi, versi)
    aksi.teks = teks
    aksi._history_user = oleh  # type: ignore[attr-defined]
    aksi.save()
    return aksi


@transaction.atomic
def delete_rencana_aksi(
    aksi: RencanaAksi, oleh: User, versi: int | None = None, sekarang: datetime.datetime | None = None
) -> None:
    """Delete a rencana aksi (refused when ``versi`` is stale: someone changed it in the meantime)."""
    skp = aksi.rhk.skp
    _pastikan_pemilik(skp, aksi.periode_penilaian, oleh)
    _pastikan_terbuka(
        status_pengisian(skp.pegawai_id, aksi.periode_penilaian, rencana=True, sekarang=sekarang)
    )
    _klaim_versi(RencanaAksi, aksi, versi)
    aksi._history_user = oleh  # type: ignore[attr-defined]
    aksi.delete()


def parse_angka(value: Any) -> Decimal | None:
    """A number as typed in Indonesia: "1.250,5" or "1250,5" or "1250.5" -> Decimal; empty -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    teks = str(value).strip().replace(" ", "")
    if "," in teks:
        teks = teks.replace(".", "").replace(",", ".")
    try:
        number = Decimal(teks)
    except InvalidOperation:
        raise ValidationError({"nilai_angka": "Isi dengan angka, mis. 12 atau 12,5."}) from None
    if not number.is_finite():
        raise ValidationError({"nilai_angka": "Isi dengan angka, mis. 12 atau 12,5."})
    return number


def _nilai_realisasi(
    indikator: Indikator, nilai_angka: Any, nilai_teks: str, narasi: str
) -> tuple[Decimal | None, str, str]:
    """The checked (number, text, narrative) of a realisasi: a number for a numeric target, else text."""
    if indikator.target_angka is not None:
        angka = parse_angka(nilai_angka)
        if angka is None:
            raise ValidationError({"nilai_angka": "Isi realisasi berupa angka."})
        if angka < 0:
            raise ValidationError({"nilai_angka": "Realisasi tidak boleh negatif."})
        if abs(angka) >= Decimal(10) ** 14:
            raise ValidationError({"nilai_angka": "Angka terlalu besar."})
        return angka.quantize(Decimal("0.0001")), "", (narasi or "").strip()
    return None, _teks(nilai_teks, "nilai_teks"), (narasi or "").strip()


@transaction.atomic
def save_realisasi(
    indikator: Indikator,
    periode_penilaian: PeriodePenilaian,
    oleh: User,
    *,
    nilai_angka: Any = None,
    nilai_teks: str = "",
    narasi: str = "",
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Realisasi:
    """Save the realisasi of an indikator for a periode (one row per indikator and periode).

    ``versi``: the version the form was read at (0 = the row did not exist yet); a different current
    version refuses the save and writes nothing. An entry after the deadline under an unlock is flagged
    ``terlambat``. Statements of a change: the locked read of the row, its UPDATE and the history INSERT
    (the unlock comes with the periode when `selectors.periode_list(..., pegawai_id)` loaded it).
    """
    skp = indikator.rhk.skp
    _pastikan_pemilik(skp, periode_penilaian, oleh)
    status = status_pengisian(skp.pegawai_id, periode_penilaian, sekarang=sekarang)
    _pastikan_terbuka(status)
    angka, nilai_teks, narasi = _nilai_realisasi(indikator, nilai_angka, nilai_teks, narasi)

    # At most one row (unique pair). Ordered by nothing but its key: the model's default ordering would
    # join the indikator, RHK, SKP and periode tables into the locked read, and on PostgreSQL FOR UPDATE
    # locks the joined rows too: every save of the instansi would queue on its periode's row.
    obj = (
        Realisasi.objects.select_for_update()
        .filter(indikator=indikator, periode_penilaian=periode_penilaian)
        .order_by("pk")
        .first()
    )
    if obj is None:
        if versi:  # the form saw a row that has since been deleted: treat as a conflict, too
            raise ValidationError(
                "Data ini sudah dihapus di tab/perangkat lain; muat ulang halaman untuk melihat "
                "perubahan terbaru.",
                code="konflik",
            )
        obj = Realisasi(indikator=indikator, periode_penilaian=periode_penilaian)
    elif versi is not None and versi != obj.versi:
        if (obj.nilai_angka, obj.nilai_teks, obj.narasi) == (angka, nilai_teks, narasi):
            # The same value sent again (a phone's offline queue retrying a save whose answer it never
            # got, docs/rules.md §35): already stored, nothing to change and no conflict.
            return obj
        raise ValidationError(pesan_konflik(obj), code="konflik")
    else:
        # The row is locked until the transaction ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
        # write transactions are serialised), so its version cannot move under us: no separate claim.
        obj.versi += 1
    obj.nilai_angka = angka
    obj.nilai_teks = nilai_teks
    obj.narasi = narasi
    obj.diisi_oleh = oleh
    obj.terlambat = obj.terlambat or status.terlambat
    obj._history_user = oleh  # type: ignore[attr-defined]
    if obj.pk is not None:
        obj.save()  # the UPDATE and its history record
        return obj
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # another tab created the same row a moment ago
        obj = Realisasi.objects.get(indikator=indikator, periode_penilaian=periode_penilaian)
        raise ValidationError(pesan_konflik(obj), code="konflik") from None
    return obj


@dataclass(frozen=True)
class IsiRealisasi:
    """One realisasi of a bulk save (an Excel upload): the indikator and what was typed for it."""

    indikator: Indikator
    nilai_angka: Any = None
    nilai_teks: str = ""
    narasi: str = ""


class GagalBaris(ValidationError):
    """A bulk save refused because of item ``indeks`` (0-based); ``error`` is the item's own error."""

    def __init__(self, indeks: int, error: ValidationError) -> None:
        super().__init__(error.message_dict if hasattr(error, "error_dict") else error.messages)
        self.indeks = indeks
        self.error = error


@transaction.atomic
def save_realisasi_banyak(
    skp: Skp,
    periode_penilaian: PeriodePenilaian,
    oleh: User,
    isian: Sequence[IsiRealisasi],
    *,
    sekarang: datetime.datetime | None = None,
) -> tuple[int, int]:
    """Save many realisasi of one SKP and periode at once (the Excel upload); returns (created, changed).

    Same checks as `save_realisasi`, but the owner, the lock and the existing rows are read once for the
    whole file and the rows are written in bulk (with their history records), so an upload of 1 000 rows
    costs a handful of queries. The existing rows are locked for the transaction; all or nothing.
    """
    _pastikan_pemilik(skp, periode_penilaian, oleh)
    status = status_pengisian(skp.pegawai_id, periode_penilaian, sekarang=sekarang)
    _pastikan_terbuka(status)
    nilai = []
    for n, isi in enumerate(isian):
        if isi.indikator.rhk.skp_id != skp.pk:
            raise GagalBaris(n, ValidationError("Indikator ini bukan bagian dari SKP tersebut."))
        try:
            nilai.append(_nilai_realisasi(isi.indikator, isi.nilai_angka, isi.nilai_teks, isi.narasi))
        except ValidationError as exc:
            raise GagalBaris(n, exc) from None
    ada = {
        r.indikator_id: r
        for r in Realisasi.objects.select_for_update()
        .filter(periode_penilaian=periode_penilaian, indikator__in=[i.indikator for i in isian])
        .order_by("pk")  # not the default ordering: its joins would lock the SKP's and periode's rows too
    }
    waktu = _sekarang(sekarang)
    baru, ubah = [], []
    for isi, (angka, teks, narasi) in zip(isian, nilai, strict=True):
        obj = ada.get(isi.indikator.pk)
        if obj is None:
            obj = Realisasi(indikator=isi.indikator, periode_penilaian=periode_penilaian, dibuat_pada=waktu)
            baru.append(obj)
        else:
            obj.versi += 1  # the rows are locked: a tab holding the old version will be refused
            ubah.append(obj)
        obj.nilai_angka, obj.nilai_teks, obj.narasi = angka, teks, narasi
        obj.diisi_oleh = oleh
        obj.diubah_pada = waktu
        obj.terlambat = obj.terlambat or status.terlambat
    try:
        with transaction.atomic():
            bulk_create_with_history(baru, Realisasi, default_user=oleh, default_date=waktu)
    except IntegrityError:  # another tab created one of these rows a moment ago
        raise ValidationError(
            "Sebagian realisasi ini baru saja diisi di tab/perangkat lain; muat ulang lalu unggah lagi.",
            code="konflik",
        ) from None
    bulk_update_with_history(
        ubah,
        Realisasi,
        ["nilai_angka", "nilai_teks", "narasi", "versi", "diisi_oleh", "diubah_pada", "terlambat"],
        default_user=oleh,
        default_date=waktu,
    )
    return len(baru), len(ubah)


@transaction.atomic
def buka_kunci(
    pegawai: Pegawai,
    periode_penilaian: PeriodePenilaian,
    oleh: User,
    alasan: str,
    sekarang: datetime.datetime | None = None,
) -> BukaKunci:
    """The admin kepegawaian reopens realisasi entry of one pegawai and periode for
    ``Instansi.lama_buka_kunci_hari`` days (audited: the reason, who and when are kept with history)."""
    require(
        oleh,
        "pelaksanaan.unlock_realisasi",
        pegawai,
        "Hanya admin kepegawaian instansi pegawai ini yang dapat membuka kunci.",
    )
    if periode_penilaian.periode.instansi_id != pegawai.instansi_id:
        raise ValidationError({"periode_penilaian": "Periode bukan milik instansi pegawai."})
    alasan = _teks(alasan, "alasan")
    now = _sekarang(sekarang)
    hari = pegawai.instansi.lama_buka_kunci_hari or 1
    obj = BukaKunci(
        pegawai=pegawai,
        periode_penilaian=periode_penilaian,
        alasan=alasan,
        dibuka_oleh=oleh,
        berlaku_sampai=now + datetime.timedelta(days=hari),
    )
    obj._history_user = oleh  # type: ignore[attr-defined]
    obj.save()
    if sekarang is not None:  # keep frozen time consistent (auto_now_add used the real clock)
        BukaKunci.objects.filter(pk=obj.pk).update(dibuka_pada=sekarang)
        obj.dibuka_pada = sekarang
    return obj
