"""Pegawai, jabatan and penempatan of an instansi from SIASN (docs/rules.md §21.12), after the units.

SIASN lists no instansi's PNS, so the NIPs are the active pegawai in Kinerja or an uploaded list
(:func:`read_nip_list`). Their ``data-utama`` is read by the data-utama refresh (a
:class:`PenyegaranDataUtama` with ``untuk_impor``: the same background job, snapshots and progress); a NIP
with no pegawai yet keeps its snapshot on the record. :func:`plan_pegawai` then turns every snapshot into
rows of the Excel import (new pegawai; jabatan fungsional/pelaksana to create in their unit; penempatan
definitif to add or change) through ``rules.siasn_penempatan.propose``, checked by the import's
``check_plan``; :func:`apply_pegawai` writes them with the import's writer, all or nothing. Our existing
jabatan are never written here, so their atasan chain stays as it is.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.common.spreadsheet import BATAS_UNGGAH_XLSX, BerkasDitolak, baris, open_xlsx
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import Instansi, Jabatan, JenisAsn, Pegawai, Penempatan, UnitKerja, User
from kinerja.permissions import require
from kinerja.rules import nip as nip_rules
from kinerja.rules import siasn_penempatan as aturan
from kinerja.rules.siasn_data_utama import normalise_nama
from kinerja.rules.types import JenisJabatan, JenisPenempatan
from kinerja.tindak_lanjut.models import DataUtamaSiasn, PenyegaranDataUtama, StatusPenyegaran
from kinerja.tindak_lanjut.siasn.data_utama import services as data_utama

PERM = "organisasi.manage_instansi"
BATAS_NIP = 2000  # NIPs per list: one read takes about a second per NIP
DEFINITIF = JenisPenempatan.DEFINITIF.value


# --- the NIP list -------------------------------------------------------------------------------------


def _sel_xlsx(berkas: Any) -> list[tuple[int, Any]]:
    try:
        wb = open_xlsx(berkas, BATAS_NIP + 1)
    except BerkasDitolak as exc:
        raise ValidationError(str(exc)) from None
    except Exception:
        raise ValidationError(
            "Berkas bukan xlsx yang dapat dibaca. Simpan ulang sebagai .xlsx, atau kirim CSV."
        ) from None
    ws = wb.worksheets[0]
    return [(n, nilai[0] if nilai else None) for n, nilai in baris(ws, BATAS_NIP + 1, 1)]


def _sel_teks(berkas: Any) -> list[tuple[int, Any]]:
    isi = berkas.read()
    try:
        teks = isi.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Berkas teks/CSV harus berenkode UTF-8 (satu NIP per baris).") from None
    baris_teks = teks.splitlines()
    if len(baris_teks) > BATAS_NIP + 1:
        raise ValidationError(f"Berkas berisi lebih dari {BATAS_NIP} baris; bagi menjadi beberapa berkas.")
    hasil = []
    for n, b in enumerate(csv.reader(io.StringIO("\n".join(baris_teks)), delimiter=_pemisah(teks)), 1):
        hasil.append((n, b[0] if b else None))
    return hasil


def _pemisah(teks: str) -> str:
    awal = teks[:2000]
    return ";" if ";" in awal else "\t" if "\t" in awal else ","


def read_nip_list(berkas: Any, nama: str) -> list[str]:
    """The NIPs of an uploaded list (xlsx: the first column of the first sheet; CSV/text: the first field of
    each line), one per row, a header row allowed. ValidationError naming every bad row and why; nothing
    is read from SIASN when one row is bad."""
    ukuran = getattr(berkas, "size", None)
    if ukuran is not None and ukuran > BATAS_UNGGAH_XLSX:
        raise ValidationError(f"Berkas lebih besar dari {BATAS_UNGGAH_XLSX // (1024 * 1024)} MB.")
    sel = _sel_xlsx(berkas) if nama.lower().endswith(".xlsx") else _sel_teks(berkas)
    masalah: list[str] = []
    nips: list[str] = []
    di_baris: dict[str, int] = {}
    for n, nilai in sel:
        if nilai is None or str(nilai).strip() == "":
            continue
        if isinstance(nilai, (int, float)) and not isinstance(nilai, bool):
            masalah.append(
                f"baris {n}: NIP ditulis sebagai angka sehingga dibulatkan Excel ({nilai}); "
                "format kolom NIP sebagai Teks lalu ketik ulang"
            )
            continue
        teks = str(nilai).strip().strip("'\"")
        if n == 1 and not any(c.isdigit() for c in teks):
            continue  # the header ("NIP")
        try:
            nip = nip_rules.parse(nip_rules.normalize(teks)).nip
        except ValueError as exc:
            masalah.append(f"baris {n}: '{teks[:40]}' bukan NIP yang sah — {exc}")
            continue
        if nip in di_baris:
            masalah.append(f"baris {n}: NIP {nip} sudah ada di baris {di_baris[nip]}")
            continue
        di_baris[nip] = n
        nips.append(nip)
    if masalah:
        lagi = f" … dan {len(masalah) - 30} baris lain." if len(masalah) > 30 else ""
        raise ValidationError(
            "Daftar NIP tidak dapat dipakai; tidak ada yang dibaca dari SIASN. "
            + "; ".join(masalah[:30])
            + (lagi if lagi else ".")
        )
    if not nips:
        raise ValidationError("Berkas tidak berisi NIP (satu NIP per baris, di kolom pertama).")
    return nips


# --- the read -----------------------------------------------------------------------------------------


def bacaan_terakhir(instansi: Instansi) -> PenyegaranDataUtama | None:
    return (
        PenyegaranDataUtama.objects.filter(instansi=instansi, untuk_impor=True)
        .select_related("instansi", "dimulai_oleh", "diterapkan_oleh", "pekerjaan")
        .order_by("-dibuat_pada", "-pk")
        .first()
    )


def start_baca_pegawai(
    instansi: Instansi, user: User, nips: list[str] | None = None
) -> tuple[PenyegaranDataUtama, bool]:
    """Queue the read of data-utama for the import: ``nips`` from an uploaded list, or (None) every active
    pegawai in Kinerja. (record, True), or (the refresh still running, False)."""
    require(user, PERM, instansi)
    with transaction.atomic():
        Instansi.objects.select_for_update().get(pk=instansi.pk)
        berjalan = data_utama.penyegaran_berjalan(instansi)
        if berjalan is not None:
            return berjalan, False
        p = data_utama.create_refresh(instansi, user, nips or (), untuk_impor=True)
        data_utama.queue_refresh(p, user)
    return p, True


# --- the plan -----------------------------------------------------------------------------------------


@dataclass
class Baris:
    """One NIP as the page shows it: SIASN's values, Kinerja's, what applying does, or the problem."""

    no: int
    nip: str
    nama: str
    pegawai_baru: bool = False
    unit_siasn: str = ""
    jabatan_siasn: str = ""
    jenis: str = ""
    tmt: datetime.date | None = None
    unit_kita: str = ""
    jabatan_kita: str = ""
    mulai_kita: datetime.date | None = None
    aksi: str = aturan.MASALAH
    jabatan_baru: str = ""  # kode of the jabatan to create
    masalah: str = ""
    galat: list[str] = field(default_factory=list)  # what the import's checks found in its rows

    @property
    def berbeda(self) -> bool:
        return self.pegawai_baru or self.aksi != aturan.SAMA


@dataclass
class RencanaPegawai:
    bacaan: PenyegaranDataUtama
    baris: list[Baris] = field(default_factory=list)
    plan: impor.ImportPlan | None = None

    @property
    def perbedaan(self) -> list[Baris]:
        return [b for b in self.baris if b.berbeda]

    @property
    def sama(self) -> int:
        return sum(1 for b in self.baris if not b.berbeda)

    @property
    def galat(self) -> list[impor.RowError]:
        return self.plan.errors if self.plan else []

    @property
    def dapat_diterapkan(self) -> bool:
        return (
            self.plan is not None
            and self.plan.ok
            and self.plan.row_count > 0
            and self.bacaan.diterapkan_pada is None
        )


@dataclass(frozen=True)
class _Snap:
    nip: str
    nama: str
    unor_id: str
    unor_nama: str
    jabatan_nama: str
    jenis_jabatan_id: int | None
    jenis_jabatan: str
    tmt: datetime.date | None
    golongan: str
    baru: bool
    #: The pegawai's open penempatan definitif in Kinerja, its nomor SK and unit's name.
    kini: tuple[aturan.PenempatanKita, str, str] | None = None


def _snapshots(p: PenyegaranDataUtama) -> list[_Snap]:
    """This read's snapshots: those stored on the pegawai since it started, each with the pegawai's open
    penempatan definitif (one query), and those kept on the record (NIPs with no pegawai)."""
    terbuka = (
        Penempatan.objects.filter(pegawai=OuterRef("pegawai"), jenis=DEFINITIF)
        .filter(Q(selesai__isnull=True) | Q(selesai__gte=timezone.localdate()))
        .order_by("-mulai")
    )
    qs = (
        DataUtamaSiasn.objects.filter(
            pegawai__in=data_utama.pegawai_penyegaran(p), dibaca_pada__gte=p.dibuat_pada
        )
        .select_related("pegawai")
        .annotate(
            k_kode=Subquery(terbuka.values("jabatan__kode")[:1]),
            k_nama=Subquery(terbuka.values("jabatan__nama")[:1]),
            k_unit=Subquery(terbuka.values("jabatan__unit__nama")[:1]),
            k_mulai=Subquery(terbuka.values("mulai")[:1]),
            k_sk=Subquery(terbuka.values("nomor_sk")[:1]),
        )
    )
    hasil = [
        _Snap(
            d.pegawai.nip,
            d.pegawai.nama_lengkap,
            d.unor_id,
            d.unor_nama,
            d.jabatan_nama,
            d.jenis_jabatan_id,
            d.jenis_jabatan,
            d.tmt_jabatan,
            d.golongan,
            False,
            (aturan.PenempatanKita(d.k_kode, d.k_nama, _tanggal(d.k_mulai)), d.k_sk, d.k_unit)
            if d.k_kode
            else None,
        )
        for d in qs
    ]
    for d in p.baru:
        tmt = datetime.date.fromisoformat(d["tmt_jabatan"]) if d.get("tmt_jabatan") else None
        hasil.append(
            _Snap(
                d["nip"],
                d["nama"],
                d["unor_id"],
                d["unor_nama"],
                d["jabatan_nama"],
                d["jenis_jabatan_id"],
                d["jenis_jabatan"],
                tmt,
                d["golongan"],
                True,
            )
        )
    return sorted(hasil, key=lambda s: s.nip)


def _tanggal(nilai: Any) -> datetime.date:
    """A date from a subquery (SQLite gives it back as text)."""
    return nilai if isinstance(nilai, datetime.date) else datetime.date.fromisoformat(str(nilai))


def _organisasi(
    instansi: Instansi, nips: list[str]
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, bool]], set[str]]:
    """The instansi's units (kode, nama, SIASN id, parent kode), jabatan (kode, nama, unit kode, head of
    it), and which of ``nips`` are pegawai by now (anywhere), read in one query."""
    units = (
        UnitKerja.objects.filter(instansi=instansi)
        .annotate(
            t=Value("u"), a=Coalesce(F("siasn_id"), Value("")), c=Coalesce(F("parent__kode"), Value(""))
        )
        .order_by()
        .values_list("t", "kode", "nama", "a", "c")
    )
    jabatan = (
        Jabatan.objects.filter(instansi=instansi)
        .annotate(
            t=Value("j"),
            a=F("unit__kode"),
            c=Case(When(pimpinan_unit=True, then=Value("1")), default=Value(""), output_field=CharField()),
        )
        .order_by()
        .values_list("t", "kode", "nama", "a", "c")
    )
    pegawai = (
        Pegawai.objects.filter(nip__in=nips)
        .annotate(t=Value("p"), a=Value(""), c=Value(""))
        .order_by()
        .values_list("t", "nip", "nama", "a", "c")
    )
    u_rows, j_rows, ada = [], [], set()
    for t, kode, nama, a, c in units.union(jabatan, pegawai, all=True):
        if t == "u":
            u_rows.append((kode, nama, a, c))
        elif t == "j":
            j_rows.append((kode, nama, a, c == "1"))
        else:
            ada.add(kode)
    return u_rows, j_rows, ada


def plan_pegawai(p: PenyegaranDataUtama) -> RencanaPegawai:
    """The differences of a finished import read with Kinerja today and the Excel import's rows that make
    them, checked like an import (nothing is written)."""
    rencana = RencanaPegawai(p)
    if p.status != StatusPenyegaran.SELESAI:
        return rencana
    instansi = p.instansi
    snapshots = _snapshots(p)
    units, jabatan, sudah_ada = _organisasi(instansi, [s.nip for s in snapshots if s.baru])
    by_siasn = {s: k for k, _, s, _ in units if s}
    by_nama: dict[str, list[str]] = {}
    for k, n, _, _ in units:
        by_nama.setdefault(normalise_nama(n), []).append(k)
    induk = {k: i for k, _, _, i in units}
    per_unit: dict[str, list[aturan.JabatanKita]] = {}
    kepala: dict[str, str] = {}
    for k, n, u, pim in jabatan:
        per_unit.setdefault(u, []).append(aturan.JabatanKita(k, n))
        if pim:
            kepala.setdefault(u, k)
    terpakai = {k for k, _, _, _ in jabatan}

    plan = impor.ImportPlan(instansi)
    baru_per_nama: dict[tuple[str, str], str] = {}  # (unit kode, normalised name) → new jabatan kode
    for no, s in enumerate(snapshots, start=1):
        b = Baris(no, s.nip, s.nama, s.baru, s.unor_nama, s.jabatan_nama, tmt=s.tmt)
        if s.baru and s.nip in sudah_ada:
            # Added in Kinerja since the read: never overwritten from an old snapshot.
            b.masalah = "NIP ini sudah ditambahkan ke Kinerja sesudah dibaca; baca ulang dari SIASN"
            rencana.baris.append(b)
            continue
        kini = s.kini
        if kini:
            b.unit_kita, b.jabatan_kita, b.mulai_kita = kini[2], kini[0].nama_jabatan, kini[0].mulai
        unit = by_siasn.get(s.unor_id)
        if unit is None:
            calon = by_nama.get(normalise_nama(s.unor_nama), [])
            unit = calon[0] if len(calon) == 1 else None
        jenis = aturan.jenis_dari_siasn(s.jenis_jabatan_id, s.jenis_jabatan, s.jabatan_nama)
        b.jenis = jenis.label if jenis else ""
        u = aturan.propose(
            s.jabatan_nama, jenis, s.tmt, per_unit.get(unit, []) if unit else None, kini[0] if kini else None
        )
        b.aksi, b.masalah = u.aksi, u.masalah
        rencana.baris.append(b)
        if u.aksi == aturan.MASALAH:
            continue
        if s.baru:
            info = nip_rules.parse(s.nip)
            plan.pegawai.append(
                impor.PegawaiRow(
                    no,
                    s.nip,
                    s.nama[:150],
                    "",
                    "",
                    JenisAsn.PPPK.value if info.is_pppk else JenisAsn.PNS.value,
                    (impor.PANGKAT.get(s.golongan) or "") if s.golongan else "",
                    "",
                    True,
                )
            )
        if u.aksi == aturan.SAMA:
            continue
        assert unit is not None and u.mulai is not None
        kode = u.kode_jabatan
        if u.jabatan_baru:
            kunci = (unit, normalise_nama(s.jabatan_nama))
            if kunci not in baru_per_nama:
                kode, n = f"J-{unit}-1"[:30], 2
                while kode in terpakai:
                    kode, n = f"J-{unit}"[:25] + f"-{n}", n + 1
                terpakai.add(kode)
                baru_per_nama[kunci] = kode
                atas = unit
                while atas and atas not in kepala:
                    atas = induk.get(atas) or ""
                plan.jabatan.append(
                    impor.JabatanRow(
                        no,
                        kode,
                        s.jabatan_nama[:200],
                        u.jenis.value if u.jenis else JenisJabatan.PELAKSANA.value,
                        u.jenjang,
                        unit,
                        kepala.get(atas, ""),
                        False,
                        False,
                    )
                )
            kode = baru_per_nama[kunci]
            b.jabatan_baru = kode
        if u.aksi == aturan.GANTI and kini is not None:
            plan.penempatan.append(
                impor.PenempatanRow(
                    no, s.nip, kini[0].kode_jabatan, DEFINITIF, kini[0].mulai, u.tutup, kini[1]
                )
            )
        plan.penempatan.append(impor.PenempatanRow(no, s.nip, kode, DEFINITIF, u.mulai, None, ""))
    for g in p.kegagalan:
        rencana.baris.append(Baris(len(rencana.baris) + 1, g["nip"], g["nama"], masalah=g["alasan"]))
    impor.check_plan(plan)
    per_no = {b.no: b for b in rencana.baris}
    for e in plan.errors:
        if e.row in per_no:
            per_no[e.row].galat.append(e.message)
    rencana.plan = plan
    return rencana


# --- applying -----------------------------------------------------------------------------------------


def apply_pegawai(p: PenyegaranDataUtama, user: User) -> impor.ImportResult:
    """Write the read's pegawai, jabatan and penempatan (all or nothing) and mark it applied."""
    require(user, PERM, p.instansi)
    with transaction.atomic():
        p = PenyegaranDataUtama.objects.select_for_update().get(pk=p.pk)
        if not p.untuk_impor or p.status != StatusPenyegaran.SELESAI:
            raise ValidationError(
                "Pembacaan pegawai dari SIASN ini belum selesai atau gagal; tidak ada yang diterapkan."
            )
        if p.diterapkan_pada is not None:
            raise ValidationError(
                "Pembacaan ini sudah diterapkan. Baca ulang dari SIASN untuk sinkronisasi berikutnya."
            )
        rencana = plan_pegawai(p)
        assert rencana.plan is not None
        if not rencana.plan.ok:
            raise ValidationError(
                "Pegawai dan penempatan dari SIASN tidak dapat diterapkan: "
                + "; ".join(e.message for e in rencana.plan.errors[:5])
                + ". Tidak ada yang disimpan."
            )
        if rencana.plan.row_count == 0:
            raise ValidationError("Tidak ada perbedaan untuk diterapkan.")
        hasil = impor.apply(rencana.plan, user)
        if not hasil.ok:
            transaction.set_rollback(True)
            return hasil
        p.diterapkan_pada, p.diterapkan_oleh = timezone.now(), user
        p._history_user = user  # type: ignore[attr-defined]
        p.save(update_fields=["diterapkan_pada", "diterapkan_oleh"])
    return hasil
