"""Demo planning data: the Kepala Badan's peta strategi, Manual IKU and Perjanjian Kinerja, and an SKP for
every demo pegawai that cascades from it down the tree, agreed through the real workflow.

Two SKP stay unfinished so every state is visible: one draft and one returned with a note.
Idempotent: a pegawai who already has an SKP of the year is left alone.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import (
    Indikator,
    IndikatorTargetPeriode,
    LogAlur,
    ManualIndikator,
    PerjanjianKinerja,
    Rhk,
    SasaranStrategis,
    Skp,
    SkpLampiran,
    SkpPerilaku,
    SkpVersi,
)
from kinerja.rules import Aspek, JenisRhk, Konsolidasi, ModelSkp, Perspektif
from kinerja.rules.alur import Aksi

P = Perspektif
# kode, perspektif, sasaran, IKU kode, IKU, satuan, target, konsolidasi, target per triwulan
PETA_STRATEGI = [
    (
        "SS1",
        P.PENERIMA_LAYANAN,
        "Meningkatnya kualitas layanan kepegawaian",
        "IKU1",
        "Indeks kepuasan layanan kepegawaian",
        "indeks",
        "85",
        Konsolidasi.AVERAGE,
        ["85", "85", "85", "85"],
    ),
    (
        "SS2",
        P.PROSES_BISNIS,
        "Meningkatnya penerapan sistem merit dalam manajemen ASN",
        "IKU2",
        "Persentase jabatan yang diisi melalui seleksi berbasis kompetensi",
        "%",
        "80",
        Konsolidasi.LAST,
        ["40", "55", "70", "80"],
    ),
    (
        "SS3",
        P.PROSES_BISNIS,
        "Meningkatnya kualitas manajemen kinerja ASN",
        "IKU3",
        "Persentase ASN dengan SKP disetujui tepat waktu",
        "%",
        "95",
        Konsolidasi.LAST,
        ["95", "95", "95", "95"],
    ),
    (
        "SS4",
        P.PENGUATAN_INTERNAL,
        "Meningkatnya kompetensi ASN",
        "IKU4",
        "Persentase ASN yang memenuhi 20 JP pengembangan kompetensi",
        "%",
        "90",
        Konsolidasi.LAST,
        ["20", "45", "70", "90"],
    ),
    (
        "SS5",
        P.ANGGARAN,
        "Terwujudnya pengelolaan anggaran yang akuntabel",
        "IKU5",
        "Persentase realisasi anggaran",
        "%",
        "95",
        Konsolidasi.LAST,
        ["20", "45", "70", "95"],
    ),
]

# RHK of the structural heads: jabatan kode → [(RHK, index of the Kepala's RHK it intervenes, jenis)]
RHK_PIMPINAN: dict[str, list[tuple[str, int, str]]] = {
    "SEK": [
        ("Terwujudnya pengelolaan keuangan dan barang milik daerah yang akuntabel", 4, "utama"),
        ("Tersedianya layanan umum dan kepegawaian internal yang tertib dan tepat waktu", 0, "utama"),
        (
            "Terlaksananya pengembangan kompetensi ASN sesuai kebutuhan jabatan "
            "(sebagai Plt. Kepala Bidang Pengembangan Kompetensi)",
            3,
            "tambahan",
        ),
    ],
    "KBMP": [
        ("Terlaksananya mutasi dan promosi ASN berbasis sistem merit", 1, "utama"),
        ("Tersedianya data formasi dan peta jabatan yang mutakhir", 1, "utama"),
    ],
    "KBPKP": [
        ("Terwujudnya penilaian kinerja ASN yang objektif dan tepat waktu", 2, "utama"),
        ("Terlaksananya pemberian penghargaan ASN berbasis kinerja", 0, "utama"),
    ],
    "KSUBUM": [
        ("Tersedianya layanan administrasi umum dan kepegawaian internal yang tertib", 1, "utama"),
    ],
    "KSUBPK": [
        ("Tersusunnya dokumen perencanaan dan laporan keuangan yang tepat waktu", 0, "utama"),
    ],
}

# Staff RHK by jabatan kode prefix: (RHK, indikator, target text)
RHK_STAF: dict[str, list[tuple[str, str, str]]] = {
    "UM-ARS": [
        (
            "Tertatanya arsip dinamis badan sesuai klasifikasi",
            "Arsip tertata dan mudah ditemukan kembali",
            "Seluruh arsip tahun berjalan tertata sesuai klasifikasi",
        )
    ],
    "UM-PU1": [
        (
            "Tertibnya administrasi persuratan badan",
            "Surat masuk dan keluar tercatat",
            "Semua surat tercatat pada hari yang sama",
        )
    ],
    "UM-PU2": [
        (
            "Terlayaninya usulan layanan kepegawaian internal",
            "Usulan kenaikan pangkat dan cuti diproses",
            "Usulan diproses paling lama 3 hari kerja",
        )
    ],
    "UM-PU3": [
        (
            "Tercatatnya barang milik daerah secara tertib",
            "Kartu inventaris ruangan mutakhir",
            "Inventaris semua ruangan dimutakhirkan tiap triwulan",
        )
    ],
    "PK-PER": [
        (
            "Tersusunnya dokumen perencanaan kinerja badan",
            "Renja dan Perjanjian Kinerja tersusun",
            "Dokumen tersusun sebelum batas waktu",
        )
    ],
    "PK-AKK": [
        (
            "Tersusunnya analisis realisasi anggaran badan",
            "Laporan analisis realisasi anggaran",
            "Laporan disampaikan tiap triwulan",
        )
    ],
    "PK-BEN": [
        (
            "Tertibnya penatausahaan keuangan badan",
            "SPJ lengkap dan tepat waktu",
            "SPJ disampaikan paling lambat tanggal 10 bulan berikutnya",
        )
    ],
    "PK-PLK": [
        (
            "Tersusunnya laporan keuangan badan yang andal",
            "Laporan keuangan semesteran dan tahunan",
            "Laporan tanpa koreksi material",
        )
    ],
    "MP-AMD": [
        (
            "Tersedianya rekomendasi kebijakan mutasi dan promosi berbasis sistem merit",
            "Rekomendasi kebijakan disetujui pimpinan",
            "Dua rekomendasi kebijakan dalam setahun",
        )
    ],
    "MP-AMU1": [
        (
            "Tersedianya kajian kesesuaian kompetensi untuk usulan mutasi",
            "Usulan mutasi didukung kajian kompetensi",
            "Setiap usulan mutasi memiliki kajian",
        )
    ],
    "MP-AMU2": [
        (
            "Terlaksananya seleksi terbuka jabatan pimpinan tinggi sesuai ketentuan",
            "Tahapan seleksi sesuai jadwal dan ketentuan",
            "Seleksi tanpa sanggahan yang dikabulkan",
        )
    ],
    "MP-APT1": [
        (
            "Tersusunnya peta jabatan dan kebutuhan formasi yang mutakhir",
            "Peta jabatan dimutakhirkan",
            "Peta jabatan sesuai kondisi akhir triwulan",
        )
    ],
    "MP-APT2": [
        (
            "Tersedianya data talenta ASN untuk rencana suksesi",
            "Profil talenta ASN tersedia",
            "Profil talenta seluruh pejabat pengawas tersedia",
        )
    ],
    "MP-PRM": [
        (
            "Terselesaikannya administrasi kenaikan pangkat tepat waktu",
            "Usulan kenaikan pangkat lengkap",
            "Seluruh usulan periode April dan Oktober tepat waktu",
        )
    ],
    "MP-PL1": [
        (
            "Termutakhirkannya data mutasi pada sistem informasi kepegawaian",
            "Data mutasi tercatat",
            "Data tercatat paling lama 3 hari setelah SK terbit",
        )
    ],
    "MP-PL2": [
        (
            "Tertatanya berkas usulan mutasi dan promosi",
            "Berkas usulan lengkap dan terarsip",
            "Seluruh berkas terarsip sesuai klasifikasi",
        )
    ],
    "PK2-AMU": [
        (
            "Tersusunnya analisis kebutuhan pengembangan kompetensi ASN",
            "Dokumen analisis kebutuhan pengembangan kompetensi",
            "Dokumen tersedia sebelum Maret",
        )
    ],
    "PK2-APT1": [
        (
            "Terlaksananya pelatihan teknis sesuai kebutuhan jabatan",
            "Pelatihan terlaksana dengan evaluasi peserta",
            "Nilai evaluasi penyelenggaraan minimal baik",
        )
    ],
    "PK2-APT2": [
        (
            "Terlaksananya coaching dan mentoring bagi pejabat pengawas",
            "Sesi coaching terdokumentasi",
            "Setiap pejabat pengawas mengikuti coaching",
        )
    ],
    "PK2-PRP": [
        (
            "Tersedianya rekap capaian 20 JP pengembangan kompetensi ASN",
            "Rekap JP per pegawai",
            "Rekap dimutakhirkan setiap bulan",
        )
    ],
    "PK2-PRT": [
        (
            "Tertatanya administrasi tugas belajar dan izin belajar",
            "Usulan tugas dan izin belajar diproses",
            "Usulan diproses paling lama 5 hari kerja",
        )
    ],
    "PK2-PL1": [
        (
            "Terselenggaranya administrasi pelatihan yang tertib",
            "Daftar hadir dan sertifikat lengkap",
            "Sertifikat terbit paling lama 7 hari setelah pelatihan",
        )
    ],
    "PK2-PL2": [
        (
            "Termutakhirkannya data riwayat diklat pada sistem informasi kepegawaian",
            "Riwayat diklat tercatat",
            "Seluruh sertifikat tercatat setiap bulan",
        )
    ],
    "PKP-AMD": [
        (
            "Tersusunnya kebijakan manajemen kinerja ASN di lingkungan pemerintah kota",
            "Rancangan peraturan wali kota tentang manajemen kinerja",
            "Rancangan selesai pada semester I",
        )
    ],
    "PKP-AMU1": [
        (
            "Terlaksananya verifikasi SKP perangkat daerah tepat waktu",
            "SKP perangkat daerah terverifikasi",
            "Seluruh SKP terverifikasi sebelum batas waktu",
        )
    ],
    "PKP-AMU2": [
        (
            "Terlaksananya fasilitasi evaluasi kinerja periodik perangkat daerah",
            "Perangkat daerah yang difasilitasi",
            "Seluruh perangkat daerah difasilitasi tiap triwulan",
        )
    ],
    # Two analis wrote the same RHK for the same atasan RHK: the matriks shows it as a duplicate role.
    "PKP-APT1": [
        (
            "Tersedianya rekap predikat kinerja ASN per perangkat daerah",
            "Rekap predikat per perangkat daerah",
            "Rekap tersedia 10 hari setelah periode berakhir",
        )
    ],
    "PKP-APT2": [
        (
            "Tersedianya rekap predikat kinerja ASN per perangkat daerah",
            "Rekap predikat per perangkat daerah",
            "Rekap tersedia 10 hari setelah periode berakhir",
        )
    ],
    "PKP-PRP": [
        (
            "Tertatanya dokumen evaluasi kinerja ASN",
            "Dokumen evaluasi terarsip",
            "Seluruh dokumen terarsip sesuai klasifikasi",
        )
    ],
    "PKP-PL1": [
        (
            "Termutakhirkannya data kinerja pegawai pada aplikasi kinerja",
            "Data kinerja pegawai mutakhir",
            "Data dimutakhirkan paling lambat tanggal 10 setiap bulan",
        ),
        (
            "Tersedianya laporan progres pengisian SKP per unit",
            "Laporan progres pengisian SKP",
            "Laporan disampaikan setiap minggu pada Januari",
        ),
    ],
    "PKP-PL2": [
        (
            "Tertatanya administrasi usulan penghargaan Satyalancana Karya Satya",
            "Usulan penghargaan lengkap",
            "Seluruh usulan memenuhi syarat administrasi",
        )
    ],
    "PKP-PL3": [
        (
            "Tersedianya layanan bantuan aplikasi kinerja bagi pengguna",
            "Permintaan bantuan terselesaikan",
            "Permintaan diselesaikan paling lama 2 hari kerja",
        ),
        (
            "Melakukan input data kinerja pegawai ke aplikasi",
            "Data kinerja terinput",
            "Seluruh data terinput",
        ),
    ],
}

DRAFT_NIP = "199406222019032009"  # Wulan Sari: her SKP is still a draft
DIKEMBALIKAN_NIP = "199205302017011003"  # Dimas Aditya: returned by the Kabid with a note
CATATAN_PENGEMBALIAN = (
    "RHK kedua masih berupa aktivitas. Tuliskan hasil yang diharapkan dan sebutkan ukuran kualitasnya."
)


def _user(pegawai: Pegawai) -> User:
    return User.objects.get(pegawai=pegawai)


def _admin(instansi: Instansi) -> User:
    return User.objects.filter(admin_instansi=instansi).order_by("pk").first()  # type: ignore[return-value]


def _rhk_staf(kode: str) -> list[tuple[str, str, str]]:
    for prefix, rows in RHK_STAF.items():
        if kode == prefix or (prefix.endswith("-") and kode.startswith(prefix)):
            return rows
    return [
        (
            "Terselesaikannya tugas pelaksanaan sesuai standar",
            "Tugas selesai sesuai standar",
            "Seluruh tugas selesai tepat waktu",
        )
    ]


def _indikator_teks(rhk: Rhk, user: User, teks: str, aspek: Aspek, target: str, per_triwulan: str) -> None:
    """A qualitative indikator: the year's target text and one text for each of the four triwulan."""
    services.save_indikator(
        rhk,
        user,
        teks=teks,
        aspek=aspek.value,
        target_teks=target,
        target_periode={n: per_triwulan for n in range(1, 5)},
    )


@transaction.atomic
def seed(instansi: Instansi) -> None:
    periode = Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    if periode is None or Skp.objects.filter(periode=periode).exists():
        return
    tahun = periode.tahun
    tanggal = datetime.date(tahun, 1, 5)
    admin = _admin(instansi)
    root = UnitKerja.objects.get(instansi=instansi, parent=None)
    kepala = org.pimpinan_unit(root, tanggal)
    assert kepala is not None
    kepala_user = _user(kepala.pegawai)

    # Peta strategi, Manual IKU and the Perjanjian Kinerja of the Kepala Badan.
    pk = PerjanjianKinerja.objects.filter(periode=periode, unit=root).first() or services.create_perjanjian(
        root, periode, admin
    )
    pk_items = []
    for i, (kode, persp, sasaran, iku_kode, iku, satuan, target, kons, triwulan) in enumerate(PETA_STRATEGI):
        ss = services.save_sasaran(
            root, admin, tahun=tahun, perspektif=persp.value, kode=kode, nama=sasaran, urutan=i + 1
        )
        manual = services.save_manual(
            root,
            admin,
            tahun=tahun,
            jenis=ManualIndikator.Jenis.IKU,
            sasaran=ss,
            kode=iku_kode,
            nama=iku,
            deskripsi=f"Mengukur {sasaran[0].lower()}{sasaran[1:]}.",
            formula="(realisasi / target) × 100%" if satuan == "%" else "Rata-rata nilai survei",
            satuan=satuan,
            polaritas="maximize",
            konsolidasi=kons.value,
            sumber_data="Laporan BKPSDM",
            periode_pelaporan="Triwulanan",
            penanggung_jawab=kepala.jabatan,
            target_tahun=Decimal(target),
            target_periode={n + 1: t for n, t in enumerate(triwulan)},
        )
        pk_items.append(
            services.save_pk_indikator(
                pk, kepala_user, sasaran=ss, manual=manual, target_tahun=Decimal(target)
            )
        )
    services.run_perjanjian(pk, kepala_user, Aksi.AJUKAN)
    services.run_perjanjian(pk, admin, Aksi.SETUJUI)

    # SKP of the Kepala Badan (kuantitatif, JPT: one RHK per IKU of the PK, all four perspectives).
    skp_of: dict[int, Skp] = {}
    rhk_of: dict[int, list[Rhk]] = {}
    skp = services.create_skp(kepala.pegawai, periode, kepala_user, tanggal)
    rhk_of[kepala.pegawai.pk] = []
    for item, (_, persp, sasaran, *_rest) in zip(pk_items, PETA_STRATEGI, strict=True):
        rhk, _ = services.save_rhk(skp, kepala_user, teks=sasaran, pk_indikator=item, perspektif=persp.value)
        m = item.manual
        services.save_indikator(
            rhk,
            kepala_user,
            teks=m.nama,
            aspek=Aspek.KUANTITAS.value if m.satuan == "%" else Aspek.KUALITAS.value,
            target_angka=m.target_tahun,
            satuan=m.satuan,
            polaritas=m.polaritas,
            konsolidasi=m.konsolidasi,
            target_periode={t.nomor: t.target for t in m.target_periode.all()},
        )
        rhk_of[kepala.pegawai.pk].append(rhk)
    skp_of[kepala.pegawai.pk] = skp

    # Everyone else, top-down, so each penilai's RHK exist before their bawahan intervene them.
    holders = [
        p
        for p in Penempatan.objects.aktif_pada(tanggal)
        .filter(jabatan__instansi=instansi, jenis="definitif")
        .select_related("pegawai", "jabatan")
        .order_by("jabatan__depth", "jabatan__path")
        if p.pegawai_id != kepala.pegawai.pk
    ]
    giliran: Counter[int] = Counter()
    for p in holders:
        pegawai, jabatan = p.pegawai, p.jabatan
        user = _user(pegawai)
        skp = services.create_skp(pegawai, periode, user, tanggal)
        skp_of[pegawai.pk] = skp
        induk = rhk_of.get(skp.penilai_id or 0, [])
        penilai_plt = (
            Penempatan.objects.filter(pegawai_id=skp.penilai_id, jabatan_id=skp.penilai_jabatan_id)
            .exclude(jenis="definitif")
            .exists()
        )
        rhk_of[pegawai.pk] = []
        if jabatan.kode in RHK_PIMPINAN:
            for teks, idx, jenis in RHK_PIMPINAN[jabatan.kode]:
                parent = induk[idx] if idx < len(induk) else (induk[0] if induk else None)
                rhk, _ = services.save_rhk(skp, user, teks=teks, jenis=jenis, intervensi=parent)
                if skp.model == ModelSkp.KUANTITATIF.value:  # the instansi's unit heads report IKU numbers
                    services.save_indikator(
                        rhk,
                        user,
                        teks=f"Persentase capaian {teks[0].lower()}{teks[1:80]}",
                        aspek=Aspek.KUANTITAS.value,
                        target_angka=Decimal(100),
                        satuan="%",
                        konsolidasi=Konsolidasi.AVERAGE.value,
                        target_periode={n: Decimal(100) for n in range(1, 5)},
                    )
                else:
                    _indikator_teks(
                        rhk,
                        user,
                        f"Capaian {teks[0].lower()}{teks[1:80]}",
                        Aspek.KUALITAS,
                        "Tercapai sesuai rencana kerja unit",
                        "Sesuai rencana triwulan",
                    )
                rhk_of[pegawai.pk].append(rhk)
        else:
            if jabatan.kode != "PKP-APT2":  # shares its colleague's RHK pimpinan: a deliberate duplicate role
                giliran[skp.penilai_id or 0] += 1
            for i, (teks, indikator, target) in enumerate(_rhk_staf(jabatan.kode)):
                # Under a Plt. the cascade runs through the Plt.'s RHK tambahan for that post.
                jenis_induk = JenisRhk.TAMBAHAN.value if penilai_plt else JenisRhk.UTAMA.value
                pool = [r for r in induk if r.jenis == jenis_induk] or induk
                # Spread the bawahan over the atasan's RHK so every one of them is intervened.
                parent = pool[(giliran[skp.penilai_id or 0] + i) % len(pool)] if pool else None
                rhk, _ = services.save_rhk(skp, user, teks=teks, intervensi=parent)
                _indikator_teks(rhk, user, indikator, Aspek.KUALITAS, target, target)
                waktu = f"{indikator} tepat waktu"
                _indikator_teks(rhk, user, waktu, Aspek.WAKTU, "Sesuai jadwal yang disepakati", "Tepat waktu")
                rhk_of[pegawai.pk].append(rhk)
        services.save_lampiran(
            skp, user, jenis="dukungan", kategori="peralatan", teks="Komputer dan akses aplikasi kepegawaian"
        )
        services.save_lampiran(
            skp,
            user,
            jenis="pertanggungjawaban",
            teks="Laporan capaian disampaikan kepada pejabat penilai setiap triwulan",
        )
        services.save_lampiran(
            skp,
            user,
            jenis="konsekuensi",
            teks="Capaian di bawah target dibahas dalam dialog kinerja untuk rencana perbaikan",
        )

    # The workflow, as it happened in January: everyone submits, penilai agree (top-down).
    services.save_lampiran(
        skp_of[kepala.pegawai.pk],
        kepala_user,
        jenis="dukungan",
        kategori="anggaran",
        teks="Anggaran program pengembangan SDM sesuai DPA tahun berjalan",
    )
    order = [kepala.pegawai.pk] + [p.pegawai_id for p in holders]
    for pegawai_id in order:
        skp = skp_of[pegawai_id]
        nip = skp.pegawai_nip
        if nip == DRAFT_NIP:
            continue
        owner = _user(skp.pegawai)
        approver = _user(skp.penilai) if skp.penilai_id else admin
        if skp.penilai_id:
            for kode, teks in (
                ("AK", "Menyampaikan laporan capaian secara jujur dan tepat waktu"),
                ("KO", "Mengikuti paling sedikit 20 JP pengembangan kompetensi"),
            ):
                services.save_ekspektasi(skp, approver, kode, teks, simpan_ke_pustaka=True)
        services.submit_skp(skp, owner)
        if nip == DIKEMBALIKAN_NIP:
            services.return_skp(skp, approver, CATATAN_PENGEMBALIAN)
        else:
            services.approve_skp(skp, approver)
    _backdate(periode, tahun)


def _backdate(periode: Periode, tahun: int) -> None:
    """Put the demo's timestamps in January, as a real year would have them: drafted from the 6th,
    submitted around the 20th, agreed three days later; the PK a week before."""
    start = timezone.make_aware(datetime.datetime(tahun, 1, 6, 9, 0))
    when = timezone.make_aware(datetime.datetime(tahun, 1, 20, 9, 0))
    for i, skp in enumerate(Skp.objects.filter(periode=periode).order_by("pk")):
        step = datetime.timedelta(minutes=17 * i)
        dibuat, diajukan, disetujui = start + step, when + step, when + datetime.timedelta(days=3) + step
        fields: dict[str, datetime.datetime] = {}
        if skp.diajukan_pada:
            fields["diajukan_pada"] = diajukan
        if skp.disetujui_pada:
            fields["disetujui_pada"] = disetujui
            SkpVersi.objects.filter(skp=skp).update(disetujui_pada=disetujui)
        if fields:
            Skp.objects.filter(pk=skp.pk).update(**fields)
        logs = LogAlur.objects.filter(skp=skp)
        logs.filter(aksi="buat").update(pada=dibuat)
        logs.filter(aksi=Aksi.AJUKAN.value).update(pada=diajukan, terlambat=False)
        logs.exclude(aksi__in=["buat", Aksi.AJUKAN.value]).update(pada=disetujui)
        for model in (Rhk, Indikator, IndikatorTargetPeriode):
            model.history.filter(**{_skp_lookup(model): skp.pk}).update(history_date=dibuat)
        SkpLampiran.history.filter(skp_id=skp.pk).update(history_date=dibuat)
        SkpPerilaku.history.filter(skp_id=skp.pk).update(history_date=dibuat)
    pk_start = when - datetime.timedelta(days=12)
    PerjanjianKinerja.objects.filter(periode=periode).update(
        diajukan_pada=when - datetime.timedelta(days=10), disetujui_pada=when - datetime.timedelta(days=8)
    )
    for log in LogAlur.objects.filter(perjanjian__periode=periode):
        offset = {"buat": 12, Aksi.AJUKAN.value: 10}.get(log.aksi, 8)
        LogAlur.objects.filter(pk=log.pk).update(pada=when - datetime.timedelta(days=offset))
    SasaranStrategis.history.filter(tahun=tahun).update(history_date=pk_start)
    ManualIndikator.history.filter(tahun=tahun).update(history_date=pk_start)
    PerjanjianKinerja.history.filter(periode_id=periode.pk).update(history_date=pk_start)


def _skp_lookup(model: type) -> str:
    return {Rhk: "skp_id", Indikator: "rhk__skp_id", IndikatorTargetPeriode: "indikator__rhk__skp_id"}[model]
