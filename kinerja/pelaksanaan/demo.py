"""Demo pelaksanaan data: rencana aksi and realisasi of every approved SKP for the periods of the year
already past, entered through the services at the time they would have been entered.

The mix: most pegawai on track; every fifth behind target (numbers at 70-85 % of target, texts naming
the shortfall); every seventh has not entered the last past periode (late); one of those was unlocked by
the admin after the deadline and entered it late, another was unlocked today and has not entered it
yet. Rencana aksi are also written for the running periode.
Idempotent: an instansi whose SKP already have realisasi is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Periode, PeriodePenilaian, User
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules.alur import Status

from . import services
from .models import BukaKunci, Realisasi, RencanaAksi

RENCANA = [
    "Menyusun jadwal dan pembagian tugas {periode}",
    "Melaksanakan kegiatan sesuai jadwal dan mendokumentasikan hasilnya",
    "Menyusun laporan kemajuan dan menyampaikannya kepada pejabat penilai",
]
TERCAPAI = "Tercapai: {target}"
KURANG = "Sebagian tercapai; {target_kecil} belum seluruhnya, dilanjutkan pada periode berikutnya"
NARASI_BAIK = "Kegiatan berjalan sesuai rencana aksi; dokumen pendukung tersimpan di unit."
NARASI_KURANG = "Terkendala beban kerja dan keterlambatan data dari unit lain; sudah dibahas dengan atasan."
ALASAN_BUKA_HARI_INI = "Pegawai cuti sakit pada akhir periode (surat keterangan dokter terlampir)."
ALASAN_BUKA = "Pegawai menjalani diklat kepemimpinan sampai batas pengisian (nota dinas Sekretaris Badan)."


def _waktu(tanggal: datetime.date, jam: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(tanggal.year, tanggal.month, tanggal.day, jam, 0))


def _admin(instansi: Instansi) -> User:
    return User.objects.filter(admin_instansi=instansi).order_by("pk").first()  # type: ignore[return-value]


def _angka(indikator: Indikator, nomor: int, faktor: Decimal) -> Decimal | None:
    target = next((t.target_angka for t in indikator.target_periode.all() if t.nomor == nomor), None)
    if target is None:
        target = indikator.target_angka
    if target is None:
        return None
    return (target * faktor).quantize(Decimal("0.01"))


def _backdate(model: type[Realisasi] | type[RencanaAksi], obj_pk: int, when: datetime.datetime) -> None:
    model.objects.filter(pk=obj_pk).update(dibuat_pada=when, diubah_pada=when)
    model.history.filter(id=obj_pk).update(history_date=when)


@transaction.atomic
def seed(instansi: Instansi) -> None:
    periode = Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    if periode is None:
        return
    skp_list = list(
        Skp.objects.filter(periode=periode, status=Status.DISETUJUI.value)
        .select_related("periode", "pegawai")
        .order_by("pegawai_nip")
    )
    if not skp_list or Realisasi.objects.filter(indikator__rhk__skp__in=skp_list).exists():
        return
    today = timezone.localdate()
    daftar = list(PeriodePenilaian.objects.filter(periode=periode).order_by("nomor"))
    lewat = [p for p in daftar if p.batas_realisasi < today]
    berjalan = [p for p in daftar if p.mulai <= today <= p.batas_realisasi]
    admin = _admin(instansi)
    unlocked = 0
    for n, skp in enumerate(skp_list):
        owner = User.objects.filter(pegawai_id=skp.pegawai_id).first()
        if owner is None:
            continue
        rhk_list = list(
            Rhk.objects.filter(skp=skp)
            .select_related("skp__periode")
            .prefetch_related("indikator__target_periode")
        )
        tertinggal = n % 5 == 3  # behind target
        telat = n % 7 == 5  # did not enter the last past periode in time
        for p in [*lewat, *berjalan]:
            if p.mulai > skp.selesai or p.selesai < skp.mulai:
                continue
            # Rencana aksi are written early in the periode.
            tulis = _waktu(min(p.mulai + datetime.timedelta(days=6), today), 9)
            for i, rhk in enumerate(rhk_list):
                for j, teks in enumerate(RENCANA[: 2 if (i + n) % 2 else 3]):
                    aksi = services.simpan_rencana_aksi(
                        rhk, p, owner, teks.format(periode=p.nama), sekarang=tulis
                    )
                    _backdate(RencanaAksi, aksi.pk, tulis + datetime.timedelta(minutes=j))
            if p not in lewat:
                continue
            terakhir = p == lewat[-1]
            if telat and terakhir:
                if admin is not None and unlocked == 1:
                    # Unlocked today: the pegawai still has a few days to enter it.
                    services.buka_kunci(skp.pegawai, p, admin, ALASAN_BUKA_HARI_INI)
                    unlocked += 1
                if unlocked or admin is None:
                    continue  # still missing: the boards show it late
                # The admin unlocks this pegawai ten days after the deadline; they enter it the next day.
                buka = _waktu(p.batas_realisasi + datetime.timedelta(days=10), 8)
                kunci = services.buka_kunci(skp.pegawai, p, admin, ALASAN_BUKA, sekarang=buka)
                BukaKunci.history.filter(id=kunci.pk).update(history_date=buka)
                isi = buka + datetime.timedelta(days=1, hours=2)
                unlocked = 1
            else:
                isi = _waktu(p.selesai + datetime.timedelta(days=1 + (n % 4)), 10 + n % 6)
            for k, rhk in enumerate(rhk_list):
                for ind in rhk.indikator.all():
                    variasi = ["1", "1.02", "0.97", "1.05", "0.88"][(n + k + p.nomor) % 5]
                    faktor = Decimal("0.78") if tertinggal else Decimal(variasi)
                    target_teks = (
                        next((t.target_teks for t in ind.target_periode.all() if t.nomor == p.nomor), "")
                        or ind.target_teks
                    )
                    nilai = _angka(ind, p.nomor, faktor)
                    teks = (
                        KURANG.format(target_kecil=target_teks[0].lower() + target_teks[1:])
                        if tertinggal and target_teks
                        else TERCAPAI.format(
                            target=target_teks[0].lower() + target_teks[1:] if target_teks else ""
                        )
                    )
                    r = services.simpan_realisasi(
                        ind,
                        p,
                        owner,
                        nilai_angka=nilai if ind.target_angka is not None else None,
                        nilai_teks="" if ind.target_angka is not None else teks,
                        narasi=NARASI_KURANG if tertinggal else NARASI_BAIK,
                        sekarang=isi,
                    )
                    _backdate(Realisasi, r.pk, isi)
