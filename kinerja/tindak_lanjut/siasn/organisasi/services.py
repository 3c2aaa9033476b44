"""Units of an instansi from SIASN (``referensi/ref-unor``, docs/rules.md §21.12): the first import and every
re-sync.

The read from SIASN runs as a background job (:func:`jalankan_tarik_unor` through
``pekerjaan.services.mulai``; a record queued before reads ran as jobs through `organisasi/tasks.py`) and
keeps the unor tree under the instansi's root unor on a :class:`TarikUnorSiasn` record. The page then shows
the differences (units added, renamed, moved, no longer in SIASN) and the problems the Excel import's checks
find; applying writes them through the Excel import's own checks and writer
(`organisasi.impor.services.check_plan` / `apply`), in one transaction: nothing is applied half. Units are
matched by the SIASN unor id stored on them (`UnitKerja.siasn_id`), never by name once they have one. A unit
SIASN no longer lists is kept (its jabatan and pegawai stay attached) and shown, for the admin to close by
hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import Instansi, Jabatan, UnitKerja, User
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan, PekerjaanDiambilAlih, mulai
from kinerja.permissions import require
from kinerja.rules import jabatan as jabatan_rules
from kinerja.rules.siasn_data_utama import normalise_nama
from kinerja.rules.siasn_unor import (
    Perbedaan,
    Unit,
    Unor,
    UnorTidakSah,
    compare_units,
    parse_ref_unor,
    subtree,
)
from kinerja.tindak_lanjut.models import StatusPenyegaran, TarikUnorSiasn
from kinerja.tindak_lanjut.siasn.kirim.services import check_siasn_ready
from kinerja.tindak_lanjut.siasn.klien import SiasnError, klien_wajib

PERM = "organisasi.manage_instansi"
JENIS_PEKERJAAN = "siasn_unor"
PESAN_BARU_SELESAI = "Pembacaan sebelumnya baru saja selesai; muat ulang halaman lalu coba lagi."


class KlienUnor(Protocol):
    """What the import needs from the SIASN client (`klien.KlienHttp`)."""

    def ref_unor(self) -> list[Any]: ...


def akar_tersimpan(instansi: Instansi) -> str:
    """The SIASN id of the instansi's root unit, when an earlier import stored it."""
    akar = UnitKerja.objects.filter(instansi=instansi, parent__isnull=True).exclude(siasn_id="").first()
    return akar.siasn_id if akar else ""


def tarik_terakhir(instansi: Instansi) -> TarikUnorSiasn | None:
    return (
        TarikUnorSiasn.objects.filter(instansi=instansi)
        .select_related("dimulai_oleh", "pekerjaan")
        .order_by("-dibuat_pada", "-pk")
        .first()
    )


def start_tarik_unor(instansi: Instansi, user: User, akar_id: str) -> tuple[TarikUnorSiasn, bool]:
    """Queue the read of SIASN's unor under ``akar_id``: (the record, True), or (the one still running,
    False)."""
    require(user, PERM, instansi)
    akar_id = (akar_id or "").strip()
    if not akar_id:
        raise ValidationError({"akar_id": "Isi ID unor instansi di SIASN (unor tertinggi instansi ini)."})
    if len(akar_id) > 64:
        raise ValidationError({"akar_id": "ID unor SIASN paling panjang 64 karakter."})
    check_siasn_ready(instansi)
    with transaction.atomic():
        Instansi.objects.select_for_update().get(pk=instansi.pk)
        berjalan = TarikUnorSiasn.objects.filter(
            instansi=instansi, status__in=[StatusPenyegaran.ANTRI, StatusPenyegaran.BERJALAN]
        ).first()
        if berjalan is not None:
            return berjalan, False
        t = TarikUnorSiasn.objects.create(instansi=instansi, dimulai_oleh=user, akar_id=akar_id)
        job = mulai(
            JENIS_PEKERJAAN,
            f"siasn-unor:{instansi.pk}",
            user,
            instansi,
            f"Pembacaan unit dari SIASN (unor {akar_id})",
            jalankan_tarik_unor,
            tarik_id=t.pk,
        )
        if not job.baru:  # its record has just finished, the job not yet: the transaction undoes t
            raise ValidationError(PESAN_BARU_SELESAI)
        _tandai(t, pekerjaan=job)
    return t, True


def jalankan_tarik_unor(laporan: Laporan, tarik_id: int) -> None:
    """The job's function: run the read record (again from the start when the job was restarted; a record
    already finished or removed is left alone). Its failure is kept on the record and fails the job."""
    t = TarikUnorSiasn.objects.filter(pk=tarik_id).first()
    if t is None or not t.berjalan:
        laporan.ringkas("Pembacaan ini sudah berakhir; untuk membaca lagi, tekan tombol baca di halamannya.")
        return
    _tandai(t, pekerjaan=laporan.pekerjaan)
    laporan.langkah(0, 1, "Membaca referensi unor dari SIASN")
    try:
        run_tarik_unor(t, klien_wajib())
    except PekerjaanDiambilAlih:
        raise
    except SiasnError as e:
        fail_tarik(t, e.pesan)
    except Exception:
        fail_tarik(t, "Pembacaan terhenti karena kesalahan tak terduga; silakan baca ulang.")
        raise
    if t.status == StatusPenyegaran.GAGAL:
        raise GagalPekerjaan(t.pesan)
    laporan.langkah(1, 1, t.pesan)
    laporan.ringkas(t.pesan)


def _tandai(t: TarikUnorSiasn, **ubah: object) -> TarikUnorSiasn:
    for k, v in ubah.items():
        setattr(t, k, v)
    TarikUnorSiasn.objects.filter(pk=t.pk).update(**ubah)
    return t


def fail_tarik(t: TarikUnorSiasn, pesan: str) -> TarikUnorSiasn:
    return _tandai(t, status=StatusPenyegaran.GAGAL, pesan=pesan, selesai_pada=timezone.now())


def run_tarik_unor(t: TarikUnorSiasn, klien: KlienUnor) -> TarikUnorSiasn:
    """Read the reference (outside any transaction) and keep the tree under the root; a refusal or an
    unreadable answer is kept as the reason."""
    _tandai(t, status=StatusPenyegaran.BERJALAN)
    try:
        tree = subtree(parse_ref_unor(klien.ref_unor()), t.akar_id)
    except SiasnError as e:
        return fail_tarik(t, f"Referensi unor SIASN: {e.pesan}")
    except UnorTidakSah as e:
        return fail_tarik(t, str(e))
    unor = [
        {
            "id": x.id,
            "nama": x.nama,
            "diatasan_id": x.diatasan_id,
            "nama_jabatan": x.nama_jabatan,
            "kode_cepat": x.kode_cepat,
        }
        for x in tree
    ]
    return _tandai(
        t,
        status=StatusPenyegaran.SELESAI,
        unor=unor,
        selesai_pada=timezone.now(),
        pesan=f"{len(unor)} unor terbaca dari SIASN.",
    )


@dataclass
class Rencana:
    """What applying a read would change: the differences, and the Excel import's plan with its checks."""

    tarik: TarikUnorSiasn
    perbedaan: list[Perbedaan] = field(default_factory=list)
    plan: impor.ImportPlan | None = None

    @property
    def galat(self) -> list[impor.RowError]:
        return self.plan.errors if self.plan else []

    @property
    def peringatan(self) -> list[impor.RowError]:
        return self.plan.warnings if self.plan else []

    @property
    def dapat_diterapkan(self) -> bool:
        return (
            self.plan is not None
            and self.plan.ok
            and self.tarik.diterapkan_pada is None
            and any(p.aksi != "hilang" for p in self.perbedaan)
        )


def plan_tarik(t: TarikUnorSiasn) -> Rencana:
    """The differences of a finished read with the instansi's units today, and the rows to write: every
    unor of the tree as a unit row (kode, name, parent, SIASN id), checked like an Excel import."""
    if t.status != StatusPenyegaran.SELESAI:
        return Rencana(t)
    tree = [Unor(u["id"], u["nama"], u["diatasan_id"], u["nama_jabatan"], u["kode_cepat"]) for u in t.unor]
    units = [
        Unit(kode, nama, induk or "", siasn_id)
        for kode, nama, induk, siasn_id in UnitKerja.objects.filter(instansi=t.instansi).values_list(
            "kode", "nama", "parent__kode", "siasn_id"
        )
    ]
    kode, nama, perbedaan = compare_units(tree, units)
    plan = impor.ImportPlan(t.instansi)
    akar = tree[0].id if tree else ""
    plan.units = [
        impor.UnitRow(
            i,
            kode=kode[x.id],
            nama=nama[x.id][:200],
            kode_induk="" if x.id == akar else kode.get(x.diatasan_id, ""),
            siasn_id=x.id,
        )
        for i, x in enumerate(tree, start=1)
    ]
    plan.jabatan, peringatan = _pimpinan(t, tree, kode, perbedaan)
    impor.check_plan(plan)
    plan.warnings[:0] = peringatan
    return Rencana(t, perbedaan, plan)


def _pimpinan(
    t: TarikUnorSiasn, tree: list[Unor], kode: dict[str, str], perbedaan: list[Perbedaan]
) -> tuple[list[impor.JabatanRow], list[impor.RowError]]:
    """The head's jabatan of each unor that names one (``NamaJabatan``): a new jabatan (pimpinan unit; its
    jenis from the title; its atasan the head of the nearest unor above that has one) when our unit has no
    head, or our head's jabatan renamed when the names differ after normalisation. Our existing jabatan
    keep their jenis, atasan and everything else: the penilai chain is never rearranged from SIASN. A
    title whose jenis cannot be told is skipped with a warning (the units are still imported)."""
    ada = list(
        Jabatan.objects.filter(instansi=t.instansi).values_list(
            "kode",
            "nama",
            "unit__kode",
            "parent__kode",
            "jenis",
            "jenjang",
            "pimpinan_unit",
            "unit_kerja_mandiri",
            "formasi",
        )
    )
    kepala = {r[2]: r for r in ada if r[6]}
    terpakai = {r[0] for r in ada}
    kepala_unor: dict[str, str] = {}  # unor id → kode of its head's jabatan (ours or new)
    baris: list[impor.JabatanRow] = []
    peringatan: list[impor.RowError] = []
    akar = tree[0].id if tree else ""
    induk = {x.id: x.diatasan_id for x in tree}
    for i, x in enumerate(tree, start=1):
        unit_kode = kode[x.id]
        r = kepala.get(unit_kode)
        if r is not None:
            kepala_unor[x.id] = r[0]
            if x.nama_jabatan and normalise_nama(r[1]) != normalise_nama(x.nama_jabatan):
                perbedaan.append(Perbedaan("jabatan_ganti_nama", r[0], x.id, r[1], x.nama_jabatan))
                baris.append(
                    impor.JabatanRow(
                        i, r[0], x.nama_jabatan[:200], r[4], r[5], r[2], r[3] or "", True, r[7], r[8]
                    )
                )
            continue
        if not x.nama_jabatan:
            continue
        jenis = jabatan_rules.jenis_struktural_dari_nama(x.nama_jabatan)
        if jenis is None:
            peringatan.append(
                impor.RowError(
                    impor.SHEET_JABATAN,
                    i,
                    "nama",
                    x.nama_jabatan,
                    f"jenis jabatan '{x.nama_jabatan}' (pimpinan {x.nama}) tidak dapat dipastikan dari "
                    "namanya; jabatan ini tidak dibuat — buat sendiri di halaman Jabatan",
                )
            )
            continue
        atas = induk.get(x.id, "") if x.id != akar else ""
        while atas and atas not in kepala_unor:
            atas = induk.get(atas, "")
        jk, n = f"J-{unit_kode}"[:30], 2
        while jk in terpakai:
            jk, n = f"J-{unit_kode}"[:26] + f"-{n}", n + 1
        terpakai.add(jk)
        kepala_unor[x.id] = jk
        perbedaan.append(Perbedaan("jabatan_baru", jk, x.id, "", x.nama_jabatan))
        baris.append(
            impor.JabatanRow(
                i,
                jk,
                x.nama_jabatan[:200],
                jenis.value,
                "",
                unit_kode,
                kepala_unor.get(atas, ""),
                True,
                x.id == akar,
                None,
            )
        )
    return baris, peringatan


def apply_tarik(t: TarikUnorSiasn, user: User) -> impor.ImportResult:
    """Write the read's units (all or nothing) and mark it applied; ValidationError when it cannot be."""
    require(user, PERM, t.instansi)
    with transaction.atomic():
        t = TarikUnorSiasn.objects.select_for_update().get(pk=t.pk)
        if t.status != StatusPenyegaran.SELESAI:
            raise ValidationError(
                "Pembacaan unor SIASN ini belum selesai atau gagal; tidak ada yang diterapkan."
            )
        if t.diterapkan_pada is not None:
            raise ValidationError(
                "Pembacaan unor SIASN ini sudah diterapkan. "
                "Baca ulang dari SIASN untuk sinkronisasi berikutnya."
            )
        rencana = plan_tarik(t)
        assert rencana.plan is not None
        if not rencana.plan.ok:
            raise ValidationError(
                "Unit dari SIASN tidak dapat diterapkan: "
                + "; ".join(e.message.rstrip(".") for e in rencana.plan.errors[:5])
                + ". Tidak ada yang disimpan."
            )
        hasil = impor.apply(rencana.plan, user)
        if not hasil.ok:
            transaction.set_rollback(True)
            return hasil
        t.diterapkan_pada, t.diterapkan_oleh = timezone.now(), user
        t._history_user = user  # type: ignore[attr-defined]
        t.save(update_fields=["diterapkan_pada", "diterapkan_oleh"])
    return hasil
