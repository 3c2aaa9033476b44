"""The demo instansi's TPP (docs/rules.md §28): kelas jabatan, a pagu table, two rule set versions, a few
disciplinary records, on-time taps for the month before last, that month computed and closed and the last
full month computed and left open.

Idempotent: each piece is written only when it is not there yet (kelas through `save_jabatan`, which saves
only what changed), so a second run writes nothing. The last full month's taps come from
`kinerja.demo.kehadiran`; without them its working days read as TK, which is what an open month with no
import yet looks like.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from kinerja.demo.organisasi import JABATAN
from kinerja.kehadiran.models import (
    AturanTppInstansi,
    BulanTpp,
    HukumanDisiplinPegawai,
    PeristiwaDisiplin,
    Rekaman,
    SumberRekaman,
    TabelPaguTpp,
)
from kinerja.kehadiran.selectors import kalender
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp import services
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, User
from kinerja.pekerjaan.models import Status
from kinerja.pekerjaan.services import jalankan
from kinerja.rules import JenisJabatan, Jenjang, tpp
from kinerja.rules.kehadiran import jam_berlaku

#: Kelas jabatan by kind (the usual outcome of an evaluasi jabatan in a kota's badan).
KELAS_JENIS = {
    JenisJabatan.JPT_PRATAMA: 14,
    JenisJabatan.ADMINISTRATOR: 12,
    JenisJabatan.PENGAWAS: 9,
}
KELAS_JENJANG = {
    Jenjang.AHLI_MADYA: 11,
    Jenjang.AHLI_MUDA: 9,
    Jenjang.AHLI_PERTAMA: 8,
    Jenjang.PENYELIA: 8,
    Jenjang.MAHIR: 7,
    Jenjang.TERAMPIL: 6,
    Jenjang.PEMULA: 5,
}
#: Pelaksana: the handlers of money and data one kelas above the clerks.
KELAS_PELAKSANA = {"PK-BEN": 7, "PK-PLK": 7, "MP-PL1": 7, "PKP-PL1": 7, "PKP-PL3": 7}

#: A kota's pagu per kelas (Rp per month, before cuts).
PAGU_KELAS = {
    5: 2_200_000,
    6: 2_500_000,
    7: 2_900_000,
    8: 3_400_000,
    9: 4_000_000,
    10: 4_700_000,
    11: 5_600_000,
    12: 6_800_000,
    13: 8_300_000,
    14: 10_000_000,
    15: 12_000_000,
}

#: Two late mornings for the fungsional demo login in the closed month, so its page shows a TL cut.
TERLAMBAT = "198506282010012004"
#: The pelaksana demo login missed two apel and has a hukuman disiplin ringan.
DISIPLIN = "199108162015031001"


def kelas_jabatan(kode: str, jenis: JenisJabatan, jenjang: Jenjang | None) -> int:
    if jenis in KELAS_JENIS:
        return KELAS_JENIS[jenis]
    if jenjang is not None:
        return KELAS_JENJANG[jenjang]
    return KELAS_PELAKSANA.get(kode, 6)


def _bulan_sebelum(tahun: int, bulan: int) -> tuple[int, int]:
    return (tahun - 1, 12) if bulan == 1 else (tahun, bulan - 1)


def _set_kelas(instansi: Instansi) -> None:
    jabatan = {j.kode: j for j in Jabatan.objects.filter(instansi=instansi)}
    for kode, _nama, jenis, jenjang, *_ in JABATAN:
        j = jabatan.get(kode)
        if j is not None:
            org_services.save_jabatan(j, kelas_jabatan=kelas_jabatan(kode, jenis, jenjang))


def _tap(tanggal: datetime.date, jam: datetime.time, geser_menit: int) -> datetime.datetime:
    waktu = datetime.datetime.combine(tanggal, jam) + datetime.timedelta(minutes=geser_menit)
    return timezone.make_aware(waktu.replace(second=(geser_menit * 7) % 60))


def _rekaman_bulan(instansi: Instansi, tahun: int, bulan: int) -> int:
    """On-time machine taps on every working day of the month for every pegawai placed in it (a few
    minutes before masuk, a few after pulang; two late mornings for `TERLAMBAT`)."""
    awal, akhir = sel.rentang_bulan(tahun, bulan)
    tempat = sel.penempatan_bulan(instansi.pk, tahun, bulan)
    if Rekaman.objects.filter(pegawai_id__in=list(tempat), waktu__date__range=(awal, akhir)).exists():
        return 0
    kal = kalender(instansi.pk, awal, akhir)
    nip = dict(Pegawai.objects.filter(pk__in=list(tempat)).values_list("pk", "nip"))
    baru: list[Rekaman] = []
    for pid, daftar in sorted(tempat.items()):
        acak = random.Random(nip[pid])
        unit = daftar[-1].unit_id
        terlambat = 0
        hari = awal
        while hari <= akhir:
            jam = jam_berlaku(hari, jadwal=kal.jadwal_unit(unit), varian=kal.varian_unit(unit))
            if (
                jam is not None
                and hari not in kal.libur
                and any(t.mulai <= hari <= t.selesai for t in daftar)
            ):
                masuk = -acak.randint(3, 25)
                if nip[pid] == TERLAMBAT and terlambat < 2 and hari.weekday() == 0:
                    masuk, terlambat = 20 + 15 * terlambat, terlambat + 1
                for waktu in (_tap(hari, jam.masuk, masuk), _tap(hari, jam.pulang, acak.randint(2, 35))):
                    baru.append(Rekaman(pegawai_id=pid, waktu=waktu, sumber=SumberRekaman.MESIN))
            hari += datetime.timedelta(days=1)
    Rekaman.objects.bulk_create(baru, batch_size=2000, ignore_conflicts=True)
    return len(baru)


def _disiplin(instansi: Instansi, admin: User, tahun: int, bulan: int) -> None:
    pegawai = Pegawai.objects.filter(instansi=instansi, nip=DISIPLIN).first()
    if pegawai is None:
        return
    awal, _ = sel.rentang_bulan(tahun, bulan)
    senin = [awal + datetime.timedelta(days=i) for i in range(28) if (awal.weekday() + i) % 7 == 0]
    for t in senin[1:3]:  # the Monday apel of the 2nd and 3rd week
        if not PeristiwaDisiplin.objects.filter(pegawai=pegawai, tanggal=t, jenis="apel").exists():
            services.catat_peristiwa(pegawai, t, tpp.JenisPeristiwa.APEL.value, "Apel pagi hari Senin", admin)
    sk = f"800/{bulan:03d}/BKPSDM/{tahun}"
    if not HukumanDisiplinPegawai.objects.filter(pegawai=pegawai, nomor_sk=sk).exists():
        services.catat_hukuman(
            pegawai, awal + datetime.timedelta(days=9), tpp.TingkatHukuman.RINGAN.value, sk, admin
        )


def _hitung(instansi: Instansi, admin: User, tahun: int, bulan: int) -> BulanTpp:
    """Compute the month as the worker would: start the job, then run it here (a job the worker already
    took is left to it; `jalankan` does nothing then)."""
    p = services.hitung_bulan(instansi, tahun, bulan, admin)
    jalankan(p.pk)
    p.refresh_from_db()
    if p.status != Status.SELESAI:
        raise RuntimeError(f"TPP {bulan:02d}/{tahun}: {p.alasan or p.status}")
    b = sel.bulan_tpp(instansi.pk, tahun, bulan)
    assert b is not None
    return b


def seed_tpp(instansi: Instansi, admin_user: User, today: datetime.date | None = None) -> None:
    """The demo TPP relative to ``today``: the month before last closed, the last full month open."""
    today = today or timezone.localdate()
    th_l, bl_l = _bulan_sebelum(today.year, today.month)  # the last full month
    th_c, bl_c = _bulan_sebelum(th_l, bl_l)  # the month before last
    sejak = datetime.date(th_c - 1, 1, 1)
    _set_kelas(instansi)
    if not TabelPaguTpp.objects.filter(instansi=instansi).exists():
        services.simpan_tabel_pagu(
            instansi,
            [(None, k, Decimal(v)) for k, v in PAGU_KELAS.items()],
            sejak,
            f"Peraturan Wali Kota Sukamaju tentang TPP ASN tahun {sejak.year}",
            admin_user,
        )
    if not AturanTppInstansi.objects.filter(instansi=instansi).exists():
        services.simpan_aturan(
            instansi, tpp.PRESET["kementerian"], sejak, "Perwali TPP: potongan atas pagu", admin_user
        )
        # The 60/40 preset has no predikat table yet (docs/rules.md §28.3): per titik instead.
        services.simpan_aturan(
            instansi,
            tpp.PRESET["per_titik"],
            datetime.date(th_l, bl_l, 1),
            "Perubahan Perwali TPP: potongan per titik rekam",
            admin_user,
        )
    _rekaman_bulan(instansi, th_c, bl_c)
    _disiplin(instansi, admin_user, th_c, bl_c)
    b = sel.bulan_tpp(instansi.pk, th_c, bl_c)
    if b is None or not b.ditutup:
        services.tutup_bulan(_hitung(instansi, admin_user, th_c, bl_c), admin_user)
    b = sel.bulan_tpp(instansi.pk, th_l, bl_l)
    if b is None or b.dihitung_pada is None:
        _hitung(instansi, admin_user, th_l, bl_l)
