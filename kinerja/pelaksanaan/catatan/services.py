"""Catatan kegiatan (laporan harian): a pegawai logs what they did on a day, for which rencana
aksi or indikator, with an optional output quantity and bukti (a link or a checked file).

Only the owner writes, on an approved SKP that covers the date, while the periode containing the date is
open for realisasi (the same lock as realisasi: `selectors.status_pengisian`). Each write is one atomic,
audited function. A catatan logged for a rencana aksi counts towards an indikator of that RHK when it can
be told which one (the only numeric indikator, or the one with the same satuan); that indikator is stored
so the suggested realisasi is one grouped SUM.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from kinerja.common.berkas import validate_berkas, validate_tautan
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.models import CatatanKegiatan, RencanaAksi
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.permissions import require
from kinerja.rules import catatan as aturan
from kinerja.rules.alur import Status

PANJANG_KEGIATAN = 2000


@dataclass
class BerkasUnggah:
    """An uploaded file handed to the service (the view's UploadedFile parts)."""

    isi: IO[bytes]
    nama: str
    ukuran: int


def skp_pada(pegawai_id: int, tanggal: datetime.date) -> Skp | None:
    """The pegawai's approved SKP in force on ``tanggal`` (the latest one when two overlap)."""
    return (
        Skp.objects.select_related("periode", "instansi")
        .filter(
            pegawai_id=pegawai_id, status=Status.DISETUJUI.value, mulai__lte=tanggal, selesai__gte=tanggal
        )
        .order_by("-mulai", "-pk")
        .first()
    )


def periode_pada(skp: Skp, tanggal: datetime.date) -> PeriodePenilaian | None:
    return PeriodePenilaian.objects.filter(
        periode=skp.periode, mulai__lte=tanggal, selesai__gte=tanggal
    ).first()


def indikator_untuk_aksi(aksi: RencanaAksi, satuan: str, indikator_rhk: list[Indikator]) -> Indikator | None:
    """The indikator a rencana aksi's output counts towards: the RHK's numeric indikator with the same
    satuan, else its only numeric indikator; None when it cannot be told."""
    numerik = [i for i in indikator_rhk if i.target_angka is not None]
    satuan = (satuan or "").strip().casefold()
    if satuan:
        sama = [i for i in numerik if i.satuan.strip().casefold() == satuan]
        if len(sama) == 1:
            return sama[0]
    return numerik[0] if len(numerik) == 1 else None


@dataclass
class DataCatatan:
    tanggal: datetime.date | None
    kegiatan: str
    jam_mulai: datetime.time | None = None
    jam_selesai: datetime.time | None = None
    jumlah_output: Decimal | None = None
    satuan_output: str = ""
    rencana_aksi_id: int | None = None
    indikator_id: int | None = None
    tautan: str | None = None  # None: keep the stored link (the Excel sheet has no link column)
    # Time spent as typed ("1 jam 30 menit"); from jam mulai/selesai when both are given (§34).
    durasi_jam: int | None = None
    durasi_menit: int | None = None
    # The offline queue's key: the same key from the same pegawai again is the same catatan (§34).
    kunci_klien: uuid.UUID | None = None

    def durasi(self) -> aturan.HasilDurasi:
        return aturan.tentukan_durasi(self.durasi_jam, self.durasi_menit, self.jam_mulai, self.jam_selesai)


def _pastikan_terbuka(pegawai_id: int, periode: PeriodePenilaian, sekarang: datetime.datetime | None) -> None:
    status = selectors.status_pengisian(pegawai_id, periode, sekarang=sekarang)
    if not status.boleh:
        raise ValidationError(
            {"tanggal": f"Catatan kegiatan tanggal ini tidak dapat diubah. {status.alasan}"}
        )


def kesalahan_isian(data: DataCatatan, sekarang: datetime.datetime | None = None) -> dict[str, str]:
    """Every problem of a catatan's own values (no database), by field: all of them at once, so a form or
    an upload row shows everything to fix in one pass (docs/rules.md §23)."""
    salah: dict[str, str] = {}
    hari_ini = timezone.localtime(sekarang).date() if sekarang else timezone.localdate()
    if data.tanggal is None:
        salah["tanggal"] = "Isi tanggal kegiatan."
    elif data.tanggal > hari_ini:
        salah["tanggal"] = "Tanggal kegiatan tidak boleh setelah hari ini."
    kegiatan = (data.kegiatan or "").strip()
    if not kegiatan:
        salah["kegiatan"] = "Tuliskan kegiatan yang dilakukan."
    elif len(kegiatan) > PANJANG_KEGIATAN:
        salah["kegiatan"] = f"Uraian kegiatan terlalu panjang (maksimal {PANJANG_KEGIATAN} karakter)."
    if data.jam_mulai and data.jam_selesai and data.jam_selesai < data.jam_mulai:
        salah["jam_selesai"] = "Jam selesai tidak boleh sebelum jam mulai."
    elif data.jam_selesai and not data.jam_mulai:
        salah["jam_mulai"] = "Isi jam mulai bila jam selesai diisi."
    else:
        for kunci, pesan in data.durasi().salah.items():
            salah.setdefault(kunci, pesan)
    if data.jumlah_output is not None:
        if data.jumlah_output < 0:
            salah["jumlah_output"] = "Jumlah output tidak boleh negatif."
        elif data.jumlah_output >= Decimal(10) ** 14:
            salah["jumlah_output"] = "Jumlah output terlalu besar."
    return salah


def periksa(
    pegawai_id: int, data: DataCatatan, sekarang: datetime.datetime | None = None
) -> tuple[Skp, PeriodePenilaian, RencanaAksi | None, Indikator | None]:
    """Check one catatan (everything but the file) and resolve its SKP, periode, rencana aksi, indikator.

    Raises ValidationError keyed by field with Bahasa Indonesia messages.
    """
    if salah := kesalahan_isian(data, sekarang):
        raise ValidationError(salah)
    assert data.tanggal is not None
    skp = skp_pada(pegawai_id, data.tanggal)
    if skp is None:
        raise ValidationError({"tanggal": "Tidak ada SKP yang sudah disetujui dan berlaku pada tanggal ini."})
    periode = periode_pada(skp, data.tanggal)
    if periode is None:
        raise ValidationError({"tanggal": "Tanggal ini tidak termasuk periode penilaian mana pun."})
    _pastikan_terbuka(pegawai_id, periode, sekarang)
    aksi = indikator = None
    if data.rencana_aksi_id:
        aksi = (
            RencanaAksi.objects.select_related("rhk")
            .filter(pk=data.rencana_aksi_id, rhk__skp=skp, periode_penilaian=periode)
            .first()
        )
        if aksi is None:
            raise ValidationError(
                {"rencana_aksi": f"Rencana aksi ini bukan rencana aksi SKP Anda untuk {periode.nama}."}
            )
    if data.indikator_id:
        indikator = Indikator.objects.filter(pk=data.indikator_id, rhk__skp=skp).first()
        if indikator is None:
            raise ValidationError(
                {"indikator": "Indikator ini tidak ada dalam SKP yang berlaku pada tanggal itu."}
            )
    elif aksi is not None:
        indikator = indikator_untuk_aksi(aksi, data.satuan_output, list(aksi.rhk.indikator.all()))
    return skp, periode, aksi, indikator


def _pemilik(catatan: CatatanKegiatan, oleh: User) -> None:
    require(
        oleh,
        "pelaksanaan.change_catatan",
        catatan,
        "Hanya pemilik catatan kegiatan yang dapat mengubah atau menghapusnya.",
    )


def sama(
    catatan: CatatanKegiatan, data: DataCatatan, aksi: RencanaAksi | None, indikator: Indikator | None
) -> bool:
    """Whether saving ``data`` would change nothing (the Excel import skips such rows)."""
    jumlah = data.jumlah_output.quantize(Decimal("0.0001")) if data.jumlah_output is not None else None
    return (
        catatan.tanggal == data.tanggal
        and catatan.jam_mulai == data.jam_mulai
        and catatan.jam_selesai == data.jam_selesai
        and catatan.kegiatan == (data.kegiatan or "").strip()
        and catatan.jumlah_output == jumlah
        and catatan.satuan_output == (data.satuan_output or "").strip()
        and catatan.rencana_aksi_id == (aksi.pk if aksi else None)
        and catatan.indikator_id == (indikator.pk if indikator else None)
        and (data.tautan is None or catatan.tautan == data.tautan.strip())
        and (data.durasi().menit is None or catatan.durasi_menit == data.durasi().menit)
    )


def catatan_klien(pegawai_id: int, kunci_klien: uuid.UUID | None) -> CatatanKegiatan | None:
    """The catatan a phone already sent with this key (docs/rules.md §34), if any."""
    if kunci_klien is None:
        return None
    return CatatanKegiatan.objects.filter(pegawai_id=pegawai_id, kunci_klien=kunci_klien).first()


def _periksa_total_hari(
    pegawai_id: int, tanggal: datetime.date, menit: int | None, kecuali: int | None
) -> None:
    """All catatan of the day together stay within 24 hours (docs/rules.md §34)."""
    if menit is None:
        return
    lain = (
        CatatanKegiatan.objects.filter(pegawai_id=pegawai_id, tanggal=tanggal)
        .exclude(pk=kecuali)
        .aggregate(t=Sum("durasi_menit"))["t"]
        or 0
    )
    if pesan := aturan.periksa_total_hari(lain, menit):
        raise ValidationError({"durasi_jam": pesan})


@transaction.atomic
def save_catatan(
    oleh: User,
    data: DataCatatan,
    catatan: CatatanKegiatan | None = None,
    berkas: BerkasUnggah | None = None,
    hapus_berkas: bool = False,
    sekarang: datetime.datetime | None = None,
) -> CatatanKegiatan:
    """Add a catatan for the acting pegawai, or change ``catatan`` (owner only; both dates must be open).

    A new catatan sent with ``data.kunci_klien`` that this pegawai already sent is not added again: the
    stored one is returned unchanged (a phone's offline queue retries; docs/rules.md §34)."""
    if not oleh.pegawai_id:
        raise PermissionDenied("Catatan kegiatan diisi oleh pegawai yang memiliki SKP.")
    if catatan is None and (ada := catatan_klien(oleh.pegawai_id, data.kunci_klien)) is not None:
        return ada
    if catatan is not None:
        _pemilik(catatan, oleh)
        lama = periode_pada(catatan.skp, catatan.tanggal)
        if lama is not None:
            _pastikan_terbuka(catatan.pegawai_id, lama, sekarang)
    skp, _, aksi, indikator = periksa(oleh.pegawai_id, data, sekarang)
    tautan = ""
    if (data.tautan or "").strip():
        try:
            tautan = validate_tautan(data.tautan)
        except ValidationError as exc:
            raise ValidationError({"tautan": exc.messages}) from None
    durasi = data.durasi().menit
    assert data.tanggal is not None
    _periksa_total_hari(oleh.pegawai_id, data.tanggal, durasi, catatan.pk if catatan else None)
    if catatan is None:
        catatan = CatatanKegiatan(pegawai_id=oleh.pegawai_id, kunci_klien=data.kunci_klien)
    catatan.skp = skp
    catatan.durasi_menit = durasi
    catatan.tanggal = data.tanggal  # type: ignore[assignment]
    catatan.jam_mulai = data.jam_mulai
    catatan.jam_selesai = data.jam_selesai
    catatan.kegiatan = data.kegiatan.strip()
    catatan.jumlah_output = (
        data.jumlah_output.quantize(Decimal("0.0001")) if data.jumlah_output is not None else None
    )
    catatan.satuan_output = (data.satuan_output or "").strip()[:40]
    catatan.rencana_aksi = aksi
    catatan.indikator = indikator
    if data.tautan is not None:
        catatan.tautan = tautan
    lama_berkas = catatan.berkas.name if catatan.berkas else ""
    baru = ""
    if berkas is not None:
        try:
            valid = validate_berkas(
                berkas.isi, berkas.nama, berkas.ukuran, skp.instansi.batas_ukuran_bukti_mb
            )
        except ValidationError as exc:
            raise ValidationError({"berkas": exc.messages}) from None
        berkas.isi.seek(0)
        catatan.berkas.save(valid.nama, File(berkas.isi, name=valid.nama), save=False)
        catatan.nama_berkas = valid.nama
        baru = catatan.berkas.name
    elif hapus_berkas:
        catatan.berkas = ""  # type: ignore[assignment]
        catatan.nama_berkas = ""
    catatan._history_user = oleh  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            catatan.save()
    except IntegrityError:
        if baru:
            catatan.berkas.storage.delete(baru)  # no orphan file
        # The same key sent twice at once: the other request stored it first.
        if (ada := catatan_klien(oleh.pegawai_id, data.kunci_klien)) is not None:
            return ada
        raise
    except Exception:
        if baru:
            catatan.berkas.storage.delete(baru)  # no orphan file
        raise
    if lama_berkas and (baru or hapus_berkas) and lama_berkas != baru:
        storage = catatan.berkas.storage
        transaction.on_commit(lambda: storage.delete(lama_berkas))
    return catatan


@transaction.atomic
def delete_catatan(catatan: CatatanKegiatan, oleh: User, sekarang: datetime.datetime | None = None) -> None:
    _pemilik(catatan, oleh)
    periode = periode_pada(catatan.skp, catatan.tanggal)
    if periode is not None:
        _pastikan_terbuka(catatan.pegawai_id, periode, sekarang)
    nama = catatan.berkas.name if catatan.berkas else ""
    storage = catatan.berkas.storage
    catatan._history_user = oleh  # type: ignore[attr-defined]
    catatan.delete()
    if nama:
        transaction.on_commit(lambda: storage.delete(nama))
