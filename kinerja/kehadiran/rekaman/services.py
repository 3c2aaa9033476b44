"""Writes of the taps feature: machines and their PINs, imports of attendance files (a background job),
taps pushed by other systems. Every write checks `kehadiran.manage_kehadiran` (the admin of the instansi)
or, for the push API, is scoped to the token's instansi; taps are unique per pegawai and second, so every
import and push is idempotent (docs/rules.md §27)."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment

from kinerja.common import spreadsheet
from kinerja.common.xlsx import BIRU, TEBAL
from kinerja.kehadiran.models import ImporKehadiran, MesinPresensi, PinMesin, Rekaman, SumberRekaman
from kinerja.kehadiran.rekaman import baca
from kinerja.kehadiran.signals import kabarkan_perubahan
from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan
from kinerja.permissions import require

PESAN_ADMIN = "Hanya admin kepegawaian instansi ini yang boleh mengelola mesin dan impor kehadiran."
UKURAN_BATCH = 5_000
MAKS_DITOLAK_DISIMPAN = 1_000
MAKS_BERKAS_ATTLOG = 100 * 1024 * 1024  # a month of 20 000 pegawai is ~40 MB
MAKS_BARIS_LEMBAR = 100_000
MAKS_BARIS_PIN = 50_000
JENIS_PEKERJAAN = "impor_kehadiran"
KOLOM_LEMBAR = ("NIP", "Tanggal", "Jam")


def zona() -> ZoneInfo:
    """Files and sheets carry the instansi's local wall time (settings.TIME_ZONE)."""
    return ZoneInfo(settings.TIME_ZONE)


def kini_lokal() -> datetime.datetime:
    return timezone.localtime(timezone.now(), zona()).replace(tzinfo=None, microsecond=0)


# --- machines and PINs ----------------------------------------------------------------------------------


def _periksa_mesin(mesin: MesinPresensi) -> None:
    try:
        mesin.full_clean()
    except ValidationError as e:
        if "__all__" in e.message_dict or "nama" in e.message_dict:
            raise ValidationError(
                {"nama": f"Nama mesin “{mesin.nama}” sudah dipakai di instansi ini."}
            ) from e
        raise


def simpan_mesin(user: Any, instansi: Instansi, mesin: MesinPresensi) -> MesinPresensi:
    """Add or edit a machine of ``instansi`` (its fields already set, e.g. by a ModelForm)."""
    require(user, "kehadiran.manage_kehadiran", instansi, PESAN_ADMIN)
    if mesin.pk is not None and mesin.instansi_id != instansi.pk:
        raise ValidationError("Mesin ini milik instansi lain.")
    mesin.instansi = instansi
    mesin.nama = mesin.nama.strip()
    _periksa_mesin(mesin)
    mesin._history_user = user  # type: ignore[attr-defined]
    with transaction.atomic():
        mesin.save()
    return mesin


def tambah_pin(user: Any, mesin: MesinPresensi, pin: str, nip: str) -> PinMesin:
    require(user, "kehadiran.manage_kehadiran", mesin.instansi_id, PESAN_ADMIN)
    pin, nip = pin.strip(), nip.strip()
    if not pin:
        raise ValidationError({"pin": "PIN wajib diisi."})
    pegawai = Pegawai.objects.filter(instansi_id=mesin.instansi_id, nip=nip).first()
    if pegawai is None:
        raise ValidationError({"nip": f"NIP {nip} bukan pegawai instansi ini."})
    obj = PinMesin(mesin=mesin, pin=pin, pegawai=pegawai)
    obj._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError({"pin": f"PIN {pin} sudah dipakai di mesin {mesin.nama}."}) from None
    return obj


def hapus_pin(user: Any, pin: PinMesin) -> None:
    require(user, "kehadiran.manage_kehadiran", pin.mesin.instansi_id, PESAN_ADMIN)
    pin._history_user = user  # type: ignore[attr-defined]
    with transaction.atomic():
        pin.delete()


def impor_pin(user: Any, mesin: MesinPresensi, berkas: Any) -> int:
    """PIN,NIP rows of an xlsx (header row first): all checked, then all saved, or none (ValidationError
    listing every bad row). A PIN already mapped on the machine is moved to the new pegawai."""
    require(user, "kehadiran.manage_kehadiran", mesin.instansi_id, PESAN_ADMIN)
    try:
        wb = spreadsheet.open_xlsx(berkas, MAKS_BARIS_PIN)
    except spreadsheet.BerkasDitolak as e:
        raise ValidationError(e.pesan) from None
    except Exception:
        raise ValidationError("Berkas bukan lembar kerja Excel (.xlsx) yang terbaca.") from None
    ws = wb.worksheets[0]
    baris: list[tuple[int, str, str]] = []
    galat: list[str] = []
    for nomor, nilai in spreadsheet.baris(ws, MAKS_BARIS_PIN, 2):
        if nomor == 1:
            continue
        pin, nip = (baca.nip_sel(v) for v in (tuple(nilai) + (None, None))[:2])
        if not pin and not nip:
            continue
        if not pin or not nip:
            galat.append(f"Baris {nomor}: PIN dan NIP wajib diisi.")
            continue
        baris.append((nomor, pin, nip))
    peta = dict(
        Pegawai.objects.filter(instansi_id=mesin.instansi_id, nip__in={n for _, _, n in baris}).values_list(
            "nip", "pk"
        )
    )
    dilihat: dict[str, int] = {}
    for nomor, pin, nip in baris:
        if nip not in peta:
            galat.append(f"Baris {nomor}: NIP {nip} bukan pegawai instansi ini.")
        if pin in dilihat:
            galat.append(f"Baris {nomor}: PIN {pin} sudah ada di baris {dilihat[pin]}.")
        dilihat.setdefault(pin, nomor)
    if galat:
        raise ValidationError(galat[:200])
    with transaction.atomic():
        ada = {p.pin: p for p in PinMesin.objects.filter(mesin=mesin, pin__in=dilihat)}
        for _, pin, nip in baris:
            obj = ada.get(pin) or PinMesin(mesin=mesin, pin=pin)
            if obj.pk is not None and obj.pegawai_id == peta[nip]:
                continue
            obj.pegawai_id = peta[nip]
            obj._history_user = user  # type: ignore[attr-defined]
            obj.save()
    return len(baris)


# --- writing taps (imports and the push API) ------------------------------------------------------------


@dataclass
class Hasil:
    diterima: int = 0
    baru: int = 0
    sudah_ada: int = 0
    ditolak: list[dict[str, Any]] = field(default_factory=list)
    jumlah_ditolak: int = 0
    pegawai: set[int] = field(default_factory=set)
    mulai: datetime.date | None = None
    selesai: datetime.date | None = None

    def tolak(self, item: dict[str, Any]) -> None:
        self.jumlah_ditolak += 1
        if len(self.ditolak) < MAKS_DITOLAK_DISIMPAN:
            self.ditolak.append(item)


def _tulis(
    taps: dict[tuple[int, datetime.datetime], None],
    sumber: str,
    mesin_id: int | None,
    impor_id: int | None,
    langkah: Any = None,
) -> None:
    """Insert the (pegawai, aware time) taps in batches; a tap already stored is skipped (`rekaman_unik`).

    `bulk_create(ignore_conflicts=True)` in SQL form: the same INSERT … ON CONFLICT DO NOTHING (INSERT OR
    IGNORE on SQLite), built by the backend, sent with ``executemany``. Building a model instance per tap
    costs ~50 µs, most of a month's import of a big instansi (docs/benchmarks.md "Kehadiran")."""
    ops = connection.ops
    qn = ops.quote_name
    kolom = ("pegawai_id", "waktu", "sumber", "mesin_id", "impor_id")
    sql = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {qn(Rekaman._meta.db_table)} "
        f"({', '.join(qn(k) for k in kolom)}) VALUES (%s, %s, %s, %s, %s) "
        f"{ops.on_conflict_suffix_sql([], OnConflict.IGNORE, None, None)}"
    ).strip()
    adaptasi: dict[datetime.datetime, Any] = {}
    baris = []
    for p, w in taps:
        nilai = adaptasi.get(w)
        if nilai is None:
            nilai = adaptasi[w] = ops.adapt_datetimefield_value(w)
        baris.append((p, nilai, sumber, mesin_id, impor_id))
    with connection.cursor() as cursor:
        for i in range(0, len(baris), UKURAN_BATCH):
            cursor.executemany(sql, baris[i : i + UKURAN_BATCH])
            if langkah is not None:
                langkah(min(i + UKURAN_BATCH, len(baris)), len(baris))


# --- imports (a background job) --------------------------------------------------------------------------


def path_berkas(impor: ImporKehadiran) -> str:
    return f"kehadiran/impor/{impor.pk}.bin"


def sudah_pernah(instansi_id: int, sha256: str, kecuali: int | None = None) -> ImporKehadiran | None:
    """An earlier import of the same file (same sha256) in this instansi."""
    qs = ImporKehadiran.objects.filter(instansi_id=instansi_id, sha256=sha256).exclude(pk=kecuali)
    return qs.order_by("dibuat_pada", "pk").first()


def mulai_impor(
    user: Any,
    instansi: Instansi,
    *,
    jenis: str,
    nama_berkas: str,
    isi: bytes,
    mesin: MesinPresensi | None = None,
) -> ImporKehadiran:
    """Keep an uploaded attlog (for ``mesin``) or spreadsheet and queue its import."""
    require(user, "kehadiran.manage_kehadiran", instansi, PESAN_ADMIN)
    if jenis == "attlog":
        if mesin is None or mesin.instansi_id != instansi.pk:
            raise ValidationError({"mesin": "Pilih mesin presensi instansi ini untuk berkas attlog."})
        if len(isi) > MAKS_BERKAS_ATTLOG:
            raise ValidationError({"berkas": "Berkas attlog terlalu besar (lebih dari 100 MB)."})
    elif jenis == "lembar":
        mesin = None
        try:
            spreadsheet.periksa_cepat(io.BytesIO(isi))
        except spreadsheet.BerkasDitolak as e:
            raise ValidationError({"berkas": e.pesan}) from None
    else:
        raise ValidationError({"jenis": "Jenis berkas tidak dikenal."})
    if not isi:
        raise ValidationError({"berkas": "Berkas kosong (0 byte)."})
    with transaction.atomic():
        impor = ImporKehadiran.objects.create(
            instansi=instansi,
            jenis=jenis,
            mesin=mesin,
            nama_berkas=nama_berkas[:200],
            sha256=hashlib.sha256(isi).hexdigest(),
            dibuat_oleh=user,
        )
        path = default_storage.save(path_berkas(impor), ContentFile(isi))
        p = pekerjaan.mulai(
            JENIS_PEKERJAAN,
            f"impor-kehadiran:{impor.pk}",
            user,
            instansi,
            f"Impor kehadiran {impor.nama_berkas}",
            jalankan_impor,
            impor_id=impor.pk,
            path=path,
        )
        ImporKehadiran.objects.filter(pk=impor.pk).update(pekerjaan=p)
        impor.pekerjaan = p
    return impor


def _baris_teks(isi: bytes) -> Iterator[str]:
    teks = isi.decode("utf-8-sig", errors="replace")
    return iter(teks.splitlines())


def jalankan_impor(laporan: Laporan, *, impor_id: int, path: str) -> None:
    """The job: read the kept file, check every line, write the accepted taps in one transaction."""
    impor = ImporKehadiran.objects.select_related("mesin", "dibuat_oleh").get(pk=impor_id)
    require(impor.dibuat_oleh, "kehadiran.manage_kehadiran", impor.instansi_id, PESAN_ADMIN)
    try:
        with default_storage.open(path, "rb") as f:
            isi = f.read()
    except FileNotFoundError:
        raise GagalPekerjaan("Berkas yang diunggah sudah tidak tersedia; unggah ulang.") from None
    laporan.langkah(0, 3, "Membaca berkas")
    batas = baca.Batas(kini_lokal())
    hasil = Hasil()
    taps: dict[tuple[int, datetime.datetime], None] = {}
    jumlah_baris = 0
    tz = zona()
    sadar: dict[datetime.datetime, datetime.datetime] = {}
    if impor.jenis == "attlog":
        mesin = impor.mesin
        assert mesin is not None
        peta = peta_pin(mesin)
        sumber = SumberRekaman.MESIN
        baris: Iterable[Any] = baca.attlog(_baris_teks(isi), batas)
        tak_dikenal = (
            "PIN {kunci} tidak terdaftar di mesin " + mesin.nama.replace("{", "(").replace("}", ")") + "."
        )
    else:
        try:
            wb = spreadsheet.open_xlsx(io.BytesIO(isi), MAKS_BARIS_LEMBAR)
        except spreadsheet.BerkasDitolak as e:
            raise GagalPekerjaan(e.pesan) from None
        except Exception:
            raise GagalPekerjaan("Berkas bukan lembar kerja Excel (.xlsx) yang terbaca.") from None
        peta = peta_nip(impor.instansi_id)
        sumber = SumberRekaman.LEMBAR
        baris = baca.lembar(spreadsheet.baris(wb.worksheets[0], MAKS_BARIS_LEMBAR, 3), batas)
        tak_dikenal = "NIP {kunci} bukan pegawai instansi ini."
    for item in baris:
        jumlah_baris += 1
        if isinstance(item, baca.Tolak):
            hasil.tolak({"baris": item.baris, "isi": item.isi, "alasan": item.alasan})
            continue
        nomor, kunci, lokal = item
        pegawai_id = peta.get(kunci)
        if pegawai_id is None:
            hasil.tolak(
                {"baris": nomor, "isi": f"{kunci}\t{lokal}", "alasan": tak_dikenal.format(kunci=kunci)}
            )
            continue
        w = sadar.get(lokal)
        if w is None:
            w = sadar[lokal] = lokal.replace(tzinfo=tz)
        taps[(pegawai_id, w)] = None
        hasil.diterima += 1
    laporan.langkah(1, 3, f"Menyimpan {len(taps)} rekaman")

    def langkah(selesai: int, jumlah: int) -> None:
        laporan.langkah(1, 3, f"Menyimpan rekaman: {selesai} dari {jumlah}")

    with transaction.atomic():
        _tulis(taps, sumber, impor.mesin_id, impor.pk, langkah)
        baru = Rekaman.objects.filter(impor_id=impor.pk).count()
        ImporKehadiran.objects.filter(pk=impor.pk).update(
            jumlah_baris=jumlah_baris,
            jumlah_baru=baru,
            jumlah_sudah_ada=hasil.diterima - baru,
            ditolak=hasil.ditolak,
            jumlah_ditolak=hasil.jumlah_ditolak,
            selesai_pada=timezone.now(),
        )
        if taps:
            pegawai_ids = {p for p, _ in taps}
            hari = [w.date() for w in sadar]
            kabarkan_perubahan(impor.instansi_id, pegawai_ids, min(hari), max(hari))
    default_storage.delete(path)
    laporan.langkah(3, 3, "Selesai")
    laporan.ringkas(
        f"{baru} rekaman baru, {hasil.diterima - baru} sudah ada, {hasil.jumlah_ditolak} baris ditolak."
    )


def peta_pin(mesin: MesinPresensi) -> dict[str, int]:
    """PIN → pegawai id on a machine (read once per import); with "PIN = NIP" the instansi's NIPs too."""
    peta: dict[str, int] = {}
    if mesin.pin_adalah_nip:
        peta.update(peta_nip(mesin.instansi_id))
    peta.update(PinMesin.objects.filter(mesin=mesin).values_list("pin", "pegawai_id"))
    return peta


def peta_nip(instansi_id: int) -> dict[str, int]:
    return dict(Pegawai.objects.filter(instansi_id=instansi_id).values_list("nip", "pk"))


# --- the spreadsheet template ---------------------------------------------------------------------------


def template_lembar() -> bytes:
    """The empty workbook to fill: NIP (text), Tanggal, Jam from row 2; a Petunjuk sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekaman"
    for j, (judul, lebar) in enumerate(zip(KOLOM_LEMBAR, (22, 14, 10), strict=True), 1):
        c = ws.cell(1, j, judul)
        c.font, c.fill = TEBAL, BIRU
        ws.column_dimensions[c.column_letter].width = lebar
    ws.column_dimensions["A"].number_format = "@"  # NIP as text: 18 digits would lose the last ones
    ws.freeze_panes = "A2"
    p = wb.create_sheet("Petunjuk")
    petunjuk = [
        "Isi sheet Rekaman mulai baris 2, satu baris untuk setiap rekaman kehadiran (tap).",
        "NIP: 18 digit, sebagai teks. Tanggal: dd-mm-yyyy atau sel tanggal. Jam: JJ:MM atau JJ:MM:DD (waktu "
        "setempat).",
        f"Tanggal di masa depan atau lebih lama dari {baca.BATAS_HARI_LAMPAU} hari ditolak. Rekaman yang "
        "sudah ada tidak ditambahkan lagi.",
    ]
    for i, teks in enumerate(petunjuk, 1):
        p.cell(i, 1, teks).alignment = Alignment(wrap_text=True)
    p.column_dimensions["A"].width = 100
    return spreadsheet.save_xlsx(wb)


# --- the push API ---------------------------------------------------------------------------------------


def simpan_push(instansi: Instansi, items: list[dict[str, Any]]) -> Hasil:
    """Taps pushed by an attendance system with the instansi's token: each item names a pegawai by ``nip``
    or by ``mesin`` (nama or nomor seri) and ``pin``, with an aware ``waktu``. Only this instansi's pegawai
    and machines are found; the rest is refused item by item. Written in one transaction."""
    batas = baca.Batas(kini_lokal())
    tz = zona()
    hasil = Hasil()
    nips = {str(i.get("nip")) for i in items if i.get("nip")}
    peta_nip_ = dict(Pegawai.objects.filter(instansi=instansi, nip__in=nips).values_list("nip", "pk"))
    nama_mesin = {str(i.get("mesin")) for i in items if i.get("mesin")}
    mesin: dict[str, MesinPresensi] = {}
    if nama_mesin:
        for m in MesinPresensi.objects.filter(instansi=instansi):
            mesin.setdefault(m.nama, m)
            if m.nomor_seri:
                mesin.setdefault(m.nomor_seri, m)
    peta_mesin: dict[int, dict[str, int]] = {}
    taps: dict[tuple[int, datetime.datetime], int | None] = {}
    for indeks, item in enumerate(items):
        waktu: datetime.datetime = item["waktu"]
        if timezone.is_naive(waktu):
            waktu = waktu.replace(tzinfo=tz)
        if item.get("nip"):
            pegawai_id = peta_nip_.get(str(item["nip"]))
            mesin_id = None
            if pegawai_id is None:
                hasil.tolak({"indeks": indeks, "alasan": f"NIP {item['nip']} bukan pegawai instansi ini."})
                continue
        else:
            m = mesin.get(str(item.get("mesin") or ""))
            if m is None:
                hasil.tolak(
                    {
                        "indeks": indeks,
                        "alasan": f"Mesin “{item.get('mesin')}” tidak dikenal di instansi ini.",
                    }
                )
                continue
            if m.pk not in peta_mesin:
                peta_mesin[m.pk] = peta_pin(m)
            pegawai_id = peta_mesin[m.pk].get(str(item.get("pin") or "").strip())
            mesin_id = m.pk
            if pegawai_id is None:
                hasil.tolak(
                    {"indeks": indeks, "alasan": f"PIN {item.get('pin')} tidak terdaftar di mesin {m.nama}."}
                )
                continue
        lokal = timezone.localtime(waktu, tz).replace(tzinfo=None)
        alasan = batas.alasan(lokal)
        if alasan is not None:
            hasil.tolak({"indeks": indeks, "alasan": alasan})
            continue
        waktu = waktu.replace(microsecond=0)
        hasil.diterima += 1
        taps.setdefault((pegawai_id, waktu), mesin_id)
    if taps:
        pegawai_ids = {p for p, _ in taps}
        waktu_semua = [w for _, w in taps]
        ada = set(
            Rekaman.objects.filter(
                pegawai_id__in=pegawai_ids, waktu__gte=min(waktu_semua), waktu__lte=max(waktu_semua)
            ).values_list("pegawai_id", "waktu")
        )
        baru = {k: v for k, v in taps.items() if (k[0], k[1]) not in ada}
        with transaction.atomic():
            Rekaman.objects.bulk_create(
                [
                    Rekaman(pegawai_id=p, waktu=w, sumber=SumberRekaman.API, mesin_id=m)
                    for (p, w), m in baru.items()
                ],
                ignore_conflicts=True,
                batch_size=UKURAN_BATCH,
            )
            hari = [timezone.localtime(w, tz).date() for w in waktu_semua]
            kabarkan_perubahan(instansi.pk, pegawai_ids, min(hari), max(hari))
        hasil.baru = len(baru)
        hasil.sudah_ada = hasil.diterima - hasil.baru
    return hasil
