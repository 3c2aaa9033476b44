"""Writes of the TPP feature (docs/rules.md §28): pagu table and rule set versions, disciplinary
records, computing a month (a background job for the instansi, inline for one pegawai), closing and
reopening it. Each checks `kehadiran.manage_kehadiran` with `require`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kinerja.kehadiran.models import (
    AturanTppInstansi,
    BulanTpp,
    HukumanDisiplinPegawai,
    PaguTpp,
    PeristiwaDisiplin,
    TabelPaguTpp,
    TppPegawai,
)
from kinerja.kehadiran.selectors import POTONGAN, kalender
from kinerja.kehadiran.signals import kabarkan_perubahan
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp.hasil import hasil_ke_json
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan, mulai
from kinerja.permissions import require
from kinerja.rules import tpp

TOLAK = "TPP hanya dapat dikelola oleh admin kepegawaian instansi."
DITUTUP = (
    "TPP bulan {bulan:02d}/{tahun} sudah ditutup; buka kembali dahulu (dengan alasan) untuk menghitung ulang."
)


def _versi_berikut(model: type[TabelPaguTpp] | type[AturanTppInstansi], instansi: Instansi) -> int:
    # Lock the instansi row so two admins saving at once get consecutive version numbers.
    Instansi.objects.select_for_update().filter(pk=instansi.pk).first()
    return (model.objects.filter(instansi=instansi).aggregate(m=Max("versi"))["m"] or 0) + 1


def _umum(galat: dict[str, str], berlaku_mulai: datetime.date | None, alasan: str) -> str:
    if berlaku_mulai is None:
        galat["berlaku_mulai"] = "Tanggal berlaku mulai wajib diisi."
    alasan = (alasan or "").strip()
    if not alasan:
        galat["alasan"] = "Alasan perubahan wajib diisi."
    return alasan


def simpan_tabel_pagu(
    instansi: Instansi,
    baris: Iterable[tuple[int | None, int | None, str | Decimal | int]],
    berlaku_mulai: datetime.date | None,
    alasan: str,
    oleh: User,
) -> TabelPaguTpp:
    """Save a new version of the pagu table. ``baris``: (jabatan id or None, kelas jabatan or None, pagu
    in rupiah); every bad row is reported at once under ``baris[n]``."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    galat: dict[str, str] = {}
    alasan = _umum(galat, berlaku_mulai, alasan)
    bersih: list[PaguTpp] = []
    kunci: set[tuple[str, int]] = set()
    asal: list[int] = []
    for i, (jabatan_id, kelas, pagu) in enumerate(baris, start=1):
        tempat = f"baris[{i}]"
        try:
            nilai = Decimal(str(pagu).replace(".", "").replace(",", ".").strip())
        except InvalidOperation:
            galat[tempat] = f"Baris {i}: pagu harus berupa angka rupiah."
            continue
        if nilai < 0 or nilai != nilai.to_integral_value():
            galat[tempat] = f"Baris {i}: pagu harus rupiah bulat, tidak negatif."
            continue
        if jabatan_id is None and (kelas is None or not 1 <= kelas <= 17):
            galat[tempat] = f"Baris {i}: isi kelas jabatan (1–17) atau jabatan."
            continue
        k = ("j", jabatan_id) if jabatan_id is not None else ("k", kelas or 0)
        if k in kunci:
            galat[tempat] = f"Baris {i}: jabatan/kelas ini sudah ada di baris lain."
            continue
        kunci.add(k)
        asal.append(i)
        bersih.append(PaguTpp(jabatan_id=jabatan_id, kelas_jabatan=None if jabatan_id else kelas, pagu=nilai))
    ids = {b.jabatan_id for b in bersih if b.jabatan_id is not None}
    if ids:
        milik = set(Jabatan.objects.filter(pk__in=ids, instansi=instansi).values_list("pk", flat=True))
        for i, b in zip(asal, bersih, strict=True):
            if b.jabatan_id is not None and b.jabatan_id not in milik:
                galat[f"baris[{i}]"] = f"Baris {i}: jabatan yang dipilih bukan jabatan instansi ini."
    if not bersih and not galat:
        galat["baris"] = "Tabel pagu belum berisi satu baris pun."
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        tabel = TabelPaguTpp.objects.create(
            instansi=instansi,
            versi=_versi_berikut(TabelPaguTpp, instansi),
            berlaku_mulai=berlaku_mulai,
            alasan=alasan,
            dibuat_oleh=oleh,
        )
        for b in bersih:
            b.tabel = tabel
        PaguTpp.objects.bulk_create(bersih)
    return tabel


def simpan_aturan(
    instansi: Instansi,
    aturan: tpp.AturanTpp | Mapping[str, Any],
    berlaku_mulai: datetime.date | None,
    alasan: str,
    oleh: User,
) -> AturanTppInstansi:
    """Save a new version of the rule set (an `AturanTpp` or its `ke_dict` form); `tpp.validasi` errors
    come back under their field paths."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    galat: dict[str, str] = {}
    alasan = _umum(galat, berlaku_mulai, alasan)
    if not isinstance(aturan, tpp.AturanTpp):
        try:
            aturan = tpp.dari_dict(aturan)
        except ValueError as e:
            raise ValidationError({"aturan": str(e)}) from None
    galat.update(tpp.validasi(aturan))
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        return AturanTppInstansi.objects.create(
            instansi=instansi,
            versi=_versi_berikut(AturanTppInstansi, instansi),
            nama=aturan.nama,
            aturan=tpp.ke_dict(aturan),
            berlaku_mulai=berlaku_mulai,
            alasan=alasan,
            dibuat_oleh=oleh,
        )


def catat_peristiwa(
    pegawai: Pegawai, tanggal: datetime.date, jenis: str, keterangan: str, oleh: User
) -> PeristiwaDisiplin:
    """Record a missed apel or an atribut violation (audited; once per pegawai, date and kind)."""
    require(oleh, "kehadiran.manage_kehadiran", pegawai.instansi_id, TOLAK)
    if jenis not in {j.value for j in tpp.JenisPeristiwa}:
        raise ValidationError({"jenis": "Jenis pelanggaran tidak dikenal."})
    _bulan_terbuka(pegawai.instansi_id, tanggal)
    if PeristiwaDisiplin.objects.filter(pegawai=pegawai, tanggal=tanggal, jenis=jenis).exists():
        raise ValidationError({"tanggal": "Pelanggaran ini sudah tercatat untuk pegawai pada tanggal itu."})
    with transaction.atomic():
        p = PeristiwaDisiplin(
            pegawai=pegawai, tanggal=tanggal, jenis=jenis, keterangan=keterangan, dicatat_oleh=oleh
        )
        p._history_user = oleh  # type: ignore[attr-defined]
        p.save()
        kabarkan_perubahan(pegawai.instansi_id, [pegawai.pk], tanggal, tanggal)
    return p


def _bulan_terbuka(instansi_id: int, tanggal: datetime.date) -> None:
    b = sel.bulan_tpp(instansi_id, tanggal.year, tanggal.month)
    if b is not None and b.ditutup:
        raise ValidationError(
            {
                "tanggal": DITUTUP.format(tahun=tanggal.year, bulan=tanggal.month).replace(
                    "menghitung ulang", "mengubahnya"
                )
            }
        )


def hapus_peristiwa(p: PeristiwaDisiplin, oleh: User) -> None:
    """Delete a recorded apel/atribut event (audited; not in a closed month)."""
    pegawai = p.pegawai
    require(oleh, "kehadiran.manage_kehadiran", pegawai.instansi_id, TOLAK)
    _bulan_terbuka(pegawai.instansi_id, p.tanggal)
    with transaction.atomic():
        p._history_user = oleh  # type: ignore[attr-defined]
        p.delete()
        kabarkan_perubahan(pegawai.instansi_id, [pegawai.pk], p.tanggal, p.tanggal)


def catat_hukuman(
    pegawai: Pegawai, tanggal: datetime.date, tingkat: str, nomor_sk: str, oleh: User
) -> HukumanDisiplinPegawai:
    """Record a hukuman disiplin decision (audited)."""
    require(oleh, "kehadiran.manage_kehadiran", pegawai.instansi_id, TOLAK)
    galat: dict[str, str] = {}
    if tingkat not in {t.value for t in tpp.TingkatHukuman}:
        galat["tingkat"] = "Tingkat hukuman tidak dikenal."
    if not (nomor_sk or "").strip():
        galat["nomor_sk"] = "Nomor keputusan wajib diisi."
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        h = HukumanDisiplinPegawai(
            pegawai=pegawai, tanggal=tanggal, tingkat=tingkat, nomor_sk=nomor_sk.strip(), dicatat_oleh=oleh
        )
        h._history_user = oleh  # type: ignore[attr-defined]
        h.save()
        # A decision cuts up to 36 months from its date (docs/rules.md §28.3).
        akhir = datetime.date(tanggal.year + 3, tanggal.month, 1)
        kabarkan_perubahan(pegawai.instansi_id, [pegawai.pk], tanggal, akhir)
    return h


def simpan_kelas_jabatan(instansi: Instansi, kelas: Mapping[int, str], oleh: User) -> int:
    """Set the kelas jabatan (1–17, empty: none) of the instansi's jabatan, ``kelas`` jabatan id -> text;
    every bad row reported at once under ``kelas[<id>]``; changed rows are saved audited. Returns how
    many changed."""
    require(oleh, "kehadiran.manage_kehadiran", instansi, TOLAK)
    jabatan = {j.pk: j for j in Jabatan.objects.filter(instansi=instansi, pk__in=list(kelas))}
    galat: dict[str, str] = {}
    ubah: list[tuple[Jabatan, int | None]] = []
    for pk, teks in kelas.items():
        j = jabatan.get(pk)
        if j is None:
            galat[f"kelas[{pk}]"] = "Jabatan ini bukan jabatan instansi Anda."
            continue
        teks = (teks or "").strip()
        if teks and (not teks.isdigit() or not 1 <= int(teks) <= 17):
            galat[f"kelas[{pk}]"] = f"{j.nama}: kelas jabatan harus bilangan bulat 1–17 atau kosong."
            continue
        nilai = int(teks) if teks else None
        if nilai != j.kelas_jabatan:
            ubah.append((j, nilai))
    if galat:
        raise ValidationError(galat)
    with transaction.atomic():
        for j, nilai in ubah:
            j.kelas_jabatan = nilai
            j._history_user = oleh  # type: ignore[attr-defined]
            j.save(update_fields=["kelas_jabatan"])
    if ubah:
        # The kelas keys the pagu: the open computed months of the holders are recomputed.
        hari_ini = timezone.localdate()
        awal = datetime.date(hari_ini.year - 1, hari_ini.month, 1)
        kabarkan_perubahan(instansi.pk, None, awal, hari_ini)
    return len(ubah)


# --- computing a month ----------------------------------------------------------------------------------


def _bulan(instansi_id: int, tahun: int, bulan: int) -> BulanTpp:
    b, _ = BulanTpp.objects.get_or_create(instansi_id=instansi_id, tahun=tahun, bulan=bulan)
    return b


def _baris(
    b: BulanTpp, aturan: AturanTppInstansi, tabel: TabelPaguTpp, h: sel.HitungPegawai, kini: datetime.datetime
) -> TppPegawai:
    assert h.hasil is not None and h.tempat is not None
    r = h.hasil
    return TppPegawai(
        bulan=b,
        pegawai_id=h.pegawai_id,
        unit_id=h.tempat.unit_id,
        jabatan_id=h.tempat.jabatan_id,
        aturan=aturan,
        tabel_pagu=tabel,
        pagu=r.pagu_bulan.quantize(Decimal(1)),
        potongan=r.potongan.quantize(Decimal(1)),
        faktor_kinerja=r.faktor_kinerja.quantize(Decimal("0.01")),
        bruto=r.bruto,
        hasil=hasil_ke_json(r),
        dihitung_pada=kini,
    )


def _dasar(instansi_id: int, tahun: int, bulan: int) -> tuple[AturanTppInstansi, TabelPaguTpp, tpp.AturanTpp]:
    awal, _ = sel.rentang_bulan(tahun, bulan)
    aturan = sel.aturan_berlaku(instansi_id, awal)
    tabel = sel.tabel_pagu_berlaku(instansi_id, awal)
    if aturan is None:
        raise GagalPekerjaan(f"Belum ada aturan TPP yang berlaku pada {bulan:02d}/{tahun}.")
    if tabel is None:
        raise GagalPekerjaan(f"Belum ada tabel pagu TPP yang berlaku pada {bulan:02d}/{tahun}.")
    return aturan, tabel, tpp.dari_dict(aturan.aturan)


def hitung_bulan(instansi: Instansi, tahun: int, bulan: int, user: User) -> Pekerjaan:
    """Start (or give back the running) job computing the instansi's month."""
    require(user, "kehadiran.manage_kehadiran", instansi, TOLAK)
    b = sel.bulan_tpp(instansi.pk, tahun, bulan)
    if b is not None and b.ditutup:
        raise ValidationError(DITUTUP.format(tahun=tahun, bulan=bulan))
    return mulai(
        "tpp",
        f"tpp:{instansi.pk}:{tahun}-{bulan:02d}",
        user,
        instansi,
        f"Hitung TPP {bulan:02d}/{tahun}",
        jalankan_hitung_bulan,
        instansi_id=instansi.pk,
        tahun=tahun,
        bulan=bulan,
    )


def jalankan_hitung_bulan(laporan: Laporan, instansi_id: int, tahun: int, bulan: int) -> None:
    """The job: compute every pegawai placed in the month, then replace the month's rows in one
    transaction (readers see the old month or the new one, never half)."""
    if (b := sel.bulan_tpp(instansi_id, tahun, bulan)) is not None and b.ditutup:
        raise GagalPekerjaan(DITUTUP.format(tahun=tahun, bulan=bulan))
    aturan, tabel, atur = _dasar(instansi_id, tahun, bulan)
    pagu = sel.peta_pagu(tabel.pk)
    awal, akhir = sel.rentang_bulan(tahun, bulan)
    kal = kalender(instansi_id, awal, akhir)
    tempat = sel.penempatan_bulan(instansi_id, tahun, bulan)
    ids = sorted(tempat)
    laporan.langkah(0, len(ids), "Membaca kehadiran")
    hasil: list[sel.HitungPegawai] = []
    hari_ini = timezone.localdate()
    for potong in sel.ids_terpotong(ids, POTONGAN):
        hasil.extend(sel.hitung(kal, {p: tempat[p] for p in potong}, atur, pagu, tahun, bulan, hari_ini))
        laporan.langkah(len(hasil), len(ids), f"{len(hasil)} dari {len(ids)} pegawai dihitung")
    kini = timezone.now()
    with transaction.atomic():
        b = (
            BulanTpp.objects.select_for_update()
            .filter(instansi_id=instansi_id, tahun=tahun, bulan=bulan)
            .first()
        )
        b = b or _bulan(instansi_id, tahun, bulan)
        if b.ditutup:
            raise GagalPekerjaan(DITUTUP.format(tahun=tahun, bulan=bulan))
        TppPegawai.objects.filter(bulan=b).delete()
        TppPegawai.objects.bulk_create(
            [_baris(b, aturan, tabel, h, kini) for h in hasil if h.hasil is not None], batch_size=1000
        )
        b.dihitung_pada = kini
        b.save(update_fields=["dihitung_pada"])
    dilewati = [h for h in hasil if h.hasil is None]
    teks = f"{len(hasil) - len(dilewati)} pegawai dihitung"
    if dilewati:
        nama = dict(
            Pegawai.objects.filter(pk__in=[h.pegawai_id for h in dilewati[:50]]).values_list("pk", "nama")
        )
        contoh = "; ".join(f"{nama.get(h.pegawai_id, h.pegawai_id)}: {h.alasan}" for h in dilewati[:50])
        lagi = f" (dan {len(dilewati) - 50} lainnya)" if len(dilewati) > 50 else ""
        teks += f", {len(dilewati)} dilewati — {contoh}{lagi}"
    laporan.ringkas(teks)


def hitung_pegawai(pegawai: Pegawai, tahun: int, bulan: int) -> sel.HitungPegawai:
    """Recompute one pegawai's month inline and write their row when the month is computed and open
    (the receiver's path; no user: the change that triggers it was already authorised)."""
    instansi_id = pegawai.instansi_id
    aturan, tabel, atur = _dasar(instansi_id, tahun, bulan)
    awal, akhir = sel.rentang_bulan(tahun, bulan)
    tempat = sel.penempatan_bulan(instansi_id, tahun, bulan, [pegawai.pk])
    if pegawai.pk not in tempat:
        return sel.HitungPegawai(pegawai.pk, None, alasan="Tidak ada penempatan definitif pada bulan ini")
    [h] = sel.hitung(
        kalender(instansi_id, awal, akhir),
        tempat,
        atur,
        sel.peta_pagu(tabel.pk),
        tahun,
        bulan,
        timezone.localdate(),
    )
    with transaction.atomic():
        b = (
            BulanTpp.objects.select_for_update()
            .filter(instansi_id=instansi_id, tahun=tahun, bulan=bulan)
            .first()
        )
        if b is None or b.ditutup or b.dihitung_pada is None:
            return h
        TppPegawai.objects.filter(bulan=b, pegawai=pegawai).delete()
        if h.hasil is not None:
            _baris(b, aturan, tabel, h, timezone.now()).save()
    return h


def tutup_bulan(b: BulanTpp, user: User) -> BulanTpp:
    """Close a computed month: its rows are frozen and recomputing is refused until it is reopened."""
    require(user, "kehadiran.manage_kehadiran", b.instansi_id, TOLAK)
    with transaction.atomic():
        b = BulanTpp.objects.select_for_update().get(pk=b.pk)
        if b.ditutup:
            raise ValidationError("Bulan ini sudah ditutup.")
        if b.dihitung_pada is None:
            raise ValidationError("TPP bulan ini belum dihitung; hitung dahulu sebelum menutup.")
        b.ditutup, b.ditutup_oleh, b.ditutup_pada = True, user, timezone.now()
        b._history_user = user  # type: ignore[attr-defined]
        b.save()
    return b


def buka_bulan(b: BulanTpp, alasan: str, user: User) -> BulanTpp:
    """Reopen a closed month; the reason is required and kept in the month's history."""
    require(user, "kehadiran.manage_kehadiran", b.instansi_id, TOLAK)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": "Alasan membuka kembali wajib diisi."})
    with transaction.atomic():
        b = BulanTpp.objects.select_for_update().get(pk=b.pk)
        if not b.ditutup:
            raise ValidationError("Bulan ini tidak dalam keadaan ditutup.")
        b.ditutup, b.ditutup_oleh, b.ditutup_pada, b.alasan_buka = False, None, None, alasan
        b._history_user = user  # type: ignore[attr-defined]
        b.save()
    return b


def unduh_daftar(instansi: Instansi, tahun: int, bulan: int, user: User) -> Pekerjaan:
    """Start (or give back the queued) job writing the month's payroll list (xlsx); the file is handed
    out by the job's download."""
    require(user, "kehadiran.manage_kehadiran", instansi, TOLAK)
    b = sel.bulan_tpp(instansi.pk, tahun, bulan)
    if b is None or b.dihitung_pada is None:
        raise ValidationError(f"TPP {bulan:02d}/{tahun} belum dihitung; hitung dahulu sebelum mengunduh.")
    return mulai(
        "tpp_daftar",
        f"tpp-daftar:{instansi.pk}:{tahun}-{bulan:02d}",
        user,
        instansi,
        f"Daftar TPP {bulan:02d}/{tahun} (Excel)",
        jalankan_daftar,
        instansi_id=instansi.pk,
        tahun=tahun,
        bulan=bulan,
    )


def jalankan_daftar(laporan: Laporan, instansi_id: int, tahun: int, bulan: int) -> None:
    from kinerja.kehadiran.tpp.xlsx import daftar_tpp_xlsx

    b = sel.bulan_tpp(instansi_id, tahun, bulan)
    if b is None or b.dihitung_pada is None:
        raise GagalPekerjaan(f"TPP {bulan:02d}/{tahun} belum dihitung.")
    nama = Instansi.objects.values_list("nama", flat=True).get(pk=instansi_id)
    n = TppPegawai.objects.filter(bulan=b).count()
    laporan.langkah(0, 1, f"Menulis {n} baris ke Excel")
    isi = daftar_tpp_xlsx(nama, b, sel.baris_daftar(b))
    laporan.hasil(isi, f"daftar-tpp-{tahun}-{bulan:02d}{'' if b.ditutup else '-sementara'}.xlsx")
    laporan.langkah(1, 1, "Selesai")
