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
from kinerja.pelaksanaan import services
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules import ModelSkp
from kinerja.rules.alur import Status

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
        seed_bukti_umpan_balik(instansi)  # idempotent; fills databases seeded before it existed
        seed_iiaa(instansi)  # idempotent, too
        seed_catatan_dialog(instansi)
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
                    aksi = services.save_rencana_aksi(
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
                    r = services.save_realisasi(
                        ind,
                        p,
                        owner,
                        nilai_angka=nilai if ind.target_angka is not None else None,
                        nilai_teks="" if ind.target_angka is not None else teks,
                        narasi=NARASI_KURANG if tertinggal else NARASI_BAIK,
                        sekarang=isi,
                    )
                    _backdate(Realisasi, r.pk, isi)
    seed_bukti_umpan_balik(instansi)
    seed_iiaa(instansi)
    seed_catatan_dialog(instansi)


# =========================================================================================================
# Bukti dukung and umpan balik of the past periods
# =========================================================================================================

BALASAN = [
    "Terima kasih, Bu/Pak. Akan saya pertahankan.",
    "Baik, bukti dukung tambahan sudah saya lengkapi.",
    "Siap, kendalanya akan saya bahas pada dialog kinerja minggu ini.",
    "Baik, rencana aksi periode berikutnya sudah saya sesuaikan.",
]
TANGGAPAN = "Baik, saya tunggu perkembangannya."


def _pdf(judul: str, baris: list[str]) -> bytes:
    """A minimal valid one-page PDF (Helvetica text) with a correct cross-reference table."""

    def esc(t: str) -> str:
        t = t.encode("latin-1", "replace").decode("latin-1")
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    teks = [f"BT /F1 16 Tf 56 780 Td ({esc(judul)}) Tj ET"]
    for i, b in enumerate(baris):
        teks.append(f"BT /F1 11 Tf 56 {748 - 18 * i} Td ({esc(b)}) Tj ET")
    isi = "\n".join(teks).encode("latin-1")
    objek = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(isi)).encode() + b" >>\nstream\n" + isi + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    posisi = []
    for n, o in enumerate(objek, start=1):
        posisi.append(len(out))
        out += f"{n} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objek) + 1}\n0000000000 65535 f \n".encode()
    for p in posisi:
        out += f"{p:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objek) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _png(warna: tuple[int, int, int], teks: str) -> bytes:
    """A small photo-like PNG (a coloured card with a caption), as evidence of an activity."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), warna)
    draw = ImageDraw.Draw(img)
    draw.rectangle((12, 12, 308, 188), outline=(255, 255, 255), width=3)
    draw.text((24, 90), teks[:44], fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def _simpan_berkas(r: Realisasi, owner: User, nama: str, isi: bytes, tipe: str, keterangan: str) -> None:
    import hashlib

    from django.core.files.base import ContentFile

    from kinerja.pelaksanaan.models import BuktiDukung

    b = BuktiDukung(
        realisasi=r,
        jenis=BuktiDukung.Jenis.BERKAS,
        nama_berkas=nama,
        tipe=tipe,
        ukuran=len(isi),
        sha256=hashlib.sha256(isi).hexdigest(),
        keterangan=keterangan,
        diunggah_oleh=owner,
    )
    b.berkas.save(nama, ContentFile(isi), save=False)
    b._history_user = owner  # type: ignore[attr-defined]
    b.save()


@transaction.atomic
def seed_bukti_umpan_balik(instansi: Instansi) -> None:
    """Evidence for most realisasi of the past periods (a generated PDF report, for some a photo, for some
    a link) and feedback threads from the penilai with phrases of the library, some answered by the pegawai.
    Stored directly (the periods are closed now), backdated to when they would have been written.
    Idempotent: an instansi that already has evidence or feedback is left alone."""
    from kinerja.notifikasi.models import Notifikasi
    from kinerja.pelaksanaan.models import BuktiDukung, PustakaUmpanBalik, UmpanBalik
    from kinerja.pelaksanaan.umpan_balik import services as services_umpan_balik

    _tanggal_notifikasi_skp(instansi)
    today = timezone.localdate()
    realisasi = list(
        Realisasi.objects.filter(
            indikator__rhk__skp__instansi=instansi,
            indikator__rhk__skp__status=Status.DISETUJUI.value,
            periode_penilaian__batas_realisasi__lt=today,
        )
        .select_related("indikator__rhk__skp__periode", "periode_penilaian")
        .order_by("indikator__rhk__skp__pegawai_nip", "periode_penilaian__nomor", "indikator__rhk_id", "pk")
    )
    if not realisasi:
        return
    if (
        BuktiDukung.objects.filter(realisasi__in=realisasi).exists()
        or UmpanBalik.objects.filter(skp__instansi=instansi).exists()
    ):
        return
    users = {u.pegawai_id: u for u in User.objects.filter(pegawai__instansi=instansi, is_active=True)}
    warna = [(31, 94, 140), (46, 125, 50), (156, 39, 176), (191, 87, 0)]
    for i, r in enumerate(realisasi):
        skp = r.indikator.rhk.skp
        owner = users.get(skp.pegawai_id)
        if owner is None or i % 6 == 5:  # about one in six has no evidence: the boards show it
            continue
        p = r.periode_penilaian
        nilai = (
            f"{r.nilai_angka.normalize():f} {r.indikator.satuan}"
            if r.nilai_angka is not None
            else r.nilai_teks
        )
        _simpan_berkas(
            r,
            owner,
            f"laporan_{p.nama.lower().replace(' ', '_')}_{r.indikator_id}.pdf",
            _pdf(
                f"Laporan {p.nama} {skp.periode.tahun}",
                [
                    f"Pegawai: {skp.pegawai_nama} (NIP {skp.pegawai_nip})",
                    f"Indikator: {r.indikator.teks[:80]}",
                    f"Realisasi: {nilai[:80]}",
                    f"Keterangan: {r.narasi[:80]}",
                ],
            ),
            "application/pdf",
            "Laporan kegiatan periode",
        )
        if i % 3 == 0:
            _simpan_berkas(
                r,
                owner,
                f"dokumentasi_{r.indikator_id}_{p.nomor}.png",
                _png(warna[i % len(warna)], f"Dokumentasi kegiatan {p.nama}"),
                "image/png",
                "Foto dokumentasi kegiatan",
            )
        if i % 4 == 1:
            b = BuktiDukung(
                realisasi=r,
                jenis=BuktiDukung.Jenis.TAUTAN,
                tautan=f"https://drive.sukamaju.go.id/kinerja/{skp.periode.tahun}/{skp.pegawai_nip}/tw{p.nomor}",
                keterangan="Folder data dukung di drive instansi",
                diunggah_oleh=owner,
            )
            b._history_user = owner  # type: ignore[attr-defined]
            b.save()
    ditulis = {r.pk: r.diubah_pada for r in realisasi}
    for b in BuktiDukung.objects.filter(realisasi__in=realisasi).only("pk", "realisasi_id"):
        when = ditulis[b.realisasi_id] + datetime.timedelta(minutes=5)
        BuktiDukung.objects.filter(pk=b.pk).update(diunggah_pada=when)
        BuktiDukung.history.filter(id=b.pk).update(history_date=when)

    # Feedback on the realisasi of the last past periode of each SKP, from its penilai.
    frasa = {
        nada: list(PustakaUmpanBalik.objects.filter(instansi=None, nada=nada))
        for nada in ("apresiasi", "perbaikan", "arahan")
    }
    terakhir: dict[int, Realisasi] = {}
    for r in realisasi:
        skp = r.indikator.rhk.skp
        lama = terakhir.get(skp.pk)
        if lama is None or r.periode_penilaian.nomor > lama.periode_penilaian.nomor:
            terakhir[skp.pk] = r
    for n, r in enumerate(terakhir.values()):
        skp = r.indikator.rhk.skp
        penilai, owner = users.get(skp.penilai_id), users.get(skp.pegawai_id)
        if penilai is None or owner is None or n % 5 == 4:  # some pegawai have had no feedback yet
            continue
        kurang = r.narasi == NARASI_KURANG
        pilih = (
            [frasa["perbaikan"][n % len(frasa["perbaikan"])], frasa["arahan"][n % len(frasa["arahan"])]]
            if kurang
            else [frasa["apresiasi"][n % len(frasa["apresiasi"])]]
        )
        pada = r.diubah_pada + datetime.timedelta(days=2, hours=n % 5)
        utas = services_umpan_balik.give_umpan_balik(
            skp, penilai, item=f"realisasi:{r.pk}", frasa_ids=[f.pk for f in pilih]
        )
        pesan = [(utas, pada)]
        if n % 3 != 2:  # most answer; the rest leave it unread
            balas = services_umpan_balik.reply_umpan_balik(
                utas, owner, BALASAN[(n + int(kurang)) % len(BALASAN)]
            )
            pesan.append((balas, pada + datetime.timedelta(hours=20)))
            if kurang:
                t = services_umpan_balik.reply_umpan_balik(utas, penilai, TANGGAPAN)
                pesan.append((t, pada + datetime.timedelta(days=1, hours=22)))
        if n % 4 == 0:  # a word on a BerAKHLAK value, too
            perilaku = services_umpan_balik.give_umpan_balik(
                skp,
                penilai,
                item=f"perilaku:{['BP', 'KO', 'AD'][n % 3]}",
                frasa_ids=[frasa["apresiasi"][(n + 5) % len(frasa["apresiasi"])].pk],
                periode_id=r.periode_penilaian_id,
            )
            pesan.append((perilaku, pada + datetime.timedelta(hours=1)))
        for ub, when in pesan:
            # Answered threads were read by both sides; unanswered ones wait in the pegawai's badge.
            dibaca = when + datetime.timedelta(hours=3) if n % 3 != 2 else None
            UmpanBalik.objects.filter(pk=ub.pk).update(pada=when, dibaca_pada=dibaca)
            UmpanBalik.history.filter(id=ub.pk).update(history_date=when)
            Notifikasi.objects.filter(kunci=f"umpan-balik:{ub.pk}").update(
                dikirim_pada=when, dibaca_pada=dibaca
            )


# =========================================================================================================
# Laporan capaian IIAA of a structural official
# =========================================================================================================

IIAA_ISSUES = (
    "Data capaian dari dua bidang terlambat masuk dan satu kegiatan lapangan tertunda karena revisi "
    "anggaran (refocusing) pada awal triwulan."
)
IIAA_IMPLICATION = (
    "Capaian triwulan di bawah target; bila tidak dikejar pada triwulan berikutnya, target tahunan "
    "berisiko tidak tercapai dan nilai SAKIP instansi ikut turun."
)
IIAA_ACCOUNTABILITY = "{jabatan} selaku penanggung jawab, dibantu para pejabat dan tim kerja di bawahnya."
IIAA_RENCANA = [
    ("Menetapkan jadwal pengumpulan data bulanan yang mengikat seluruh bidang", "Sekretaris Badan", 20),
    ("Menjadwalkan ulang kegiatan lapangan yang tertunda, dipantau tiap dua minggu", "Kepala Bidang", 50),
]
IIAA_STATUS = [
    ("selesai", "Jadwal ditetapkan dengan nota dinas; data Juli–Agustus masuk tepat waktu."),
    ("berjalan", "Dua dari tiga kegiatan lapangan sudah terlaksana; sisanya dijadwalkan ulang."),
]


def seed_iiaa(instansi: Instansi) -> None:
    """For every kuantitatif SKP (the Kepala Badan and, by the demo's setting, every unit head) an IIAA
    report for one indikator below target in TW II, with action plans whose status is reported in TW III.
    Idempotent (an SKP that has a report is skipped)."""

    from kinerja.pelaksanaan.iiaa import selectors as selectors_iiaa
    from kinerja.pelaksanaan.iiaa import services as services_iiaa
    from kinerja.pelaksanaan.models import BuktiDukung, LaporanIIAA

    periode = Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    if periode is None:
        return
    tw2 = PeriodePenilaian.objects.filter(periode=periode, nomor=2).first()
    tw3 = PeriodePenilaian.objects.filter(periode=periode, nomor=3).first()
    if tw2 is None or tw3 is None or tw3.mulai > timezone.localdate():
        return
    for skp in (
        Skp.objects.filter(periode=periode, status=Status.DISETUJUI.value, model=ModelSkp.KUANTITATIF.value)
        .select_related("periode", "jabatan")
        .order_by("pegawai_nip")
    ):
        if LaporanIIAA.objects.filter(skp=skp).exists():
            continue
        owner = User.objects.filter(pegawai_id=skp.pegawai_id).first()
        if owner is None:
            continue
        numerik = Indikator.objects.filter(rhk__skp=skp, target_angka__isnull=False).order_by("rhk", "pk")
        # Prefer an indikator whose TW II realisasi has bukti dukung, so the report shows its data dukung.
        berbukti = set(
            BuktiDukung.objects.filter(
                realisasi__indikator__in=numerik, realisasi__periode_penilaian=tw2
            ).values_list("realisasi__indikator_id", flat=True)
        )
        for ind in sorted(numerik.select_related("rhk__skp"), key=lambda i: i.pk not in berbukti):
            if not selectors_iiaa.di_bawah_target(services_iiaa.capaian_periode(ind, tw2)):
                continue
            laporan = services_iiaa.save_laporan(
                skp,
                ind,
                tw2,
                owner,
                issues=IIAA_ISSUES,
                implication=IIAA_IMPLICATION,
                accountability=IIAA_ACCOUNTABILITY.format(jabatan=skp.jabatan.nama),
                rencana=[
                    services_iiaa.TindakanInput(apa, siapa, tw2.selesai + datetime.timedelta(days=hari))
                    for apa, siapa, hari in IIAA_RENCANA
                ],
            )
            ditulis = _waktu(tw2.batas_realisasi, 14)
            LaporanIIAA.objects.filter(pk=laporan.pk).update(dibuat_pada=ditulis, diubah_pada=ditulis)
            LaporanIIAA.history.filter(id=laporan.pk).update(history_date=ditulis)
            dilapor = _waktu(min(tw3.batas_realisasi, timezone.localdate()), 15)
            tindakan = laporan.rencana_tindak.order_by("batas_waktu", "pk")
            for tindak, (status, catatan) in zip(tindakan, IIAA_STATUS, strict=True):
                services_iiaa.update_status(tindak, owner, status, catatan)
                tindak.history.filter(status=status).update(history_date=dilapor)
            break  # one report per official


def _tanggal_notifikasi_skp(instansi: Instansi) -> None:
    """The SKP workflow of the seed notified the owners "now": date those notifications at their workflow
    step and mark the ones older than a week read, as their owners would have (idempotent)."""
    from kinerja.notifikasi.models import Notifikasi
    from kinerja.perencanaan.models import LogAlur

    batas = timezone.now() - datetime.timedelta(days=7)
    notif = {
        n.kunci: n
        for n in Notifikasi.objects.filter(
            penerima__pegawai__instansi=instansi, jenis__in=["skp_setujui", "skp_kembalikan"]
        )
    }
    if not notif:
        return
    log_pk = {int(k.rsplit(":", 1)[1]): k for k in notif}
    for log in LogAlur.objects.filter(pk__in=log_pk):
        n = notif[log_pk[log.pk]]
        dibaca = n.dibaca_pada or (log.pada + datetime.timedelta(hours=2) if log.pada < batas else None)
        if (n.dikirim_pada, n.dibaca_pada) != (log.pada, dibaca):
            Notifikasi.objects.filter(pk=n.pk).update(dikirim_pada=log.pada, dibaca_pada=dibaca)


# =========================================================================================================
# Catatan kegiatan of the last two weeks and dialog kinerja
# =========================================================================================================

KEGIATAN = [
    ("Memutakhirkan data kinerja pegawai pada aplikasi", 12, "data"),
    ("Memverifikasi SKP yang diajukan unit", 4, "dokumen"),
    ("Menyusun rekap progres pengisian per unit", 1, "laporan"),
    ("Rapat koordinasi tim kerja", None, ""),
]
DIALOG = [
    # (penilai NIP, pegawai NIP, days ago, topik, kesepakatan,
    #  follow-ups: (text, for the pegawai?, due in days, done?))
    (
        "197904182005012005",
        "199108162015031001",
        12,
        "Capaian Triwulan III dan kendala pemutakhiran data dari unit lain.",
        "Pemutakhiran data dijadwalkan mingguan; pejabat penilai meminta data unit lewat nota dinas.",
        [
            ("Menyusun jadwal pemutakhiran data mingguan", True, 5, True),
            ("Mengirim nota dinas permintaan data ke seluruh unit", False, 3, False),
            ("Melengkapi bukti dukung realisasi Triwulan III", True, 20, False),
        ],
    ),
    (
        "197205141998031003",
        "197904182005012005",
        9,
        "Kesiapan penilaian kinerja akhir tahun dan pola distribusi predikat di bidang.",
        "Bidang menyiapkan bahan kalibrasi predikat sebelum pertengahan Desember.",
        [("Menyiapkan bahan kalibrasi predikat bidang", True, 18, False)],
    ),
]


def seed_catatan_dialog(instansi: Instansi) -> None:
    """Two weeks of catatan kegiatan for the pelaksana of the demo and two dialog kinerja with follow-ups
    (one done, one overdue-soon, one open). Idempotent (skipped when the instansi has a dialog)."""
    from kinerja.pelaksanaan.catatan import services as services_catatan
    from kinerja.pelaksanaan.dialog import services as services_dialog
    from kinerja.pelaksanaan.models import DialogKinerja

    if DialogKinerja.objects.filter(skp__instansi=instansi).exists():
        return
    today = timezone.localdate()
    for penilai_nip, nip, hari, topik, kesepakatan, tindak in DIALOG:
        pegawai = User.objects.filter(pegawai__nip=nip, pegawai__instansi=instansi).first()
        penilai = User.objects.filter(pegawai__nip=penilai_nip, pegawai__instansi=instansi).first()
        skp = services_catatan.skp_pada(pegawai.pegawai_id, today) if pegawai and pegawai.pegawai_id else None
        if skp is None or penilai is None or penilai.pegawai_id != skp.penilai_id:
            continue
        if nip == DIALOG[0][1]:  # this pegawai also keeps a daily log
            _seed_catatan(pegawai, skp, today)
        tanggal = today - datetime.timedelta(days=hari)
        dialog = services_dialog.record_dialog(
            skp,
            penilai,
            tanggal=tanggal,
            topik=topik,
            kesepakatan=kesepakatan,
            tindak_lanjut=[
                services_dialog.TindakLanjutInput(
                    teks,
                    skp.pegawai_id if untuk_pegawai else penilai.pegawai_id,
                    tanggal + datetime.timedelta(days=d),
                )
                for teks, untuk_pegawai, d, _ in tindak
            ],
        )
        for tl, (_, untuk_pegawai, d, selesai) in zip(
            dialog.tindak_lanjut.order_by("pk"), tindak, strict=True
        ):
            if selesai:
                services_dialog.mark_selesai(
                    tl,
                    pegawai if untuk_pegawai else penilai,
                    sekarang=_waktu(tanggal + datetime.timedelta(days=d - 1)),
                )


def _seed_catatan(owner: User, skp: Skp, today: datetime.date) -> None:
    from kinerja.pelaksanaan.catatan import services as services_catatan

    aksi = list(
        RencanaAksi.objects.filter(
            rhk__skp=skp, periode_penilaian__mulai__lte=today, periode_penilaian__selesai__gte=today
        )
        .select_related("rhk")
        .order_by("rhk__urutan", "urutan", "pk")
    )
    hari = today - datetime.timedelta(days=13)
    n = 0
    while hari <= today:
        if hari.weekday() < 5:
            for j in range(2 if hari.weekday() != 4 else 1):
                teks, jumlah, satuan = KEGIATAN[(n + j) % len(KEGIATAN)]
                mulai = datetime.time(8 + 3 * j, 0)
                services_catatan.save_catatan(
                    owner,
                    services_catatan.DataCatatan(
                        tanggal=hari,
                        kegiatan=teks,
                        jam_mulai=mulai,
                        jam_selesai=datetime.time(mulai.hour + 2, 30),
                        jumlah_output=Decimal(jumlah) if jumlah else None,
                        satuan_output=satuan,
                        rencana_aksi_id=aksi[(n + j) % len(aksi)].pk if aksi and jumlah else None,
                    ),
                    sekarang=_waktu(hari, 16),
                )
            n += 1
        hari += datetime.timedelta(days=1)
