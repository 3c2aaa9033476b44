"""What the user guide says, as data: one `Peran` page per role, each a list of `Langkah` (docs/rules.md §36).

Each step names the page where it is done (a URL name without arguments, so the guide links a reader's own
list page), the heading that page shows (the browser test tests/e2e/test_panduan_gambar.py asserts it and
photographs `wilayah`) and its picture (`static/panduan/gambar/<kode>.png`, made by that test).

`BANTUAN` maps the URL names of the app's pages to a step: the one place that decides where each page's
Bantuan link points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class Langkah:
    kode: str
    """The anchor on its role page and the picture's file name."""
    judul: str
    teks: tuple[str, ...]
    url_nama: str
    tautan: str
    """The link's text: the page's name as the menu shows it."""
    halaman: str
    """A piece of the page's heading (h1), asserted by the browser test."""
    wilayah: str = "main"
    """The CSS selector of the part of the page the picture shows."""

    @property
    def gambar(self) -> str:
        return f"panduan/gambar/{self.kode}.png"

    @property
    def url(self) -> str:
        return reverse(self.url_nama)


@dataclass(frozen=True)
class Peran:
    kode: str
    judul: str
    ringkasan: str
    akun_demo: str
    """The demo login the browser test signs in with (kinerja/demo/organisasi.py DEMO_ACCOUNTS)."""
    langkah: tuple[Langkah, ...] = field(default_factory=tuple)


PEGAWAI = Peran(
    "pegawai",
    "Pegawai",
    "Menyusun SKP, mengisi realisasi beserta bukti dukung, mencatat kegiatan, membaca umpan balik, "
    "melihat predikat, mengajukan keberatan, dan menandatangani dokumen.",
    "pelaksana",
    (
        Langkah(
            "pegawai-skp",
            "Menyusun SKP",
            (
                "Buka SKP saya, buat SKP tahun berjalan, lalu isi Rencana Hasil Kerja (RHK) beserta "
                "indikator dan targetnya; RHK dapat mengintervensi RHK atasan.",
                "Ajukan SKP kepada Pejabat Penilai Kinerja sebelum batas persetujuan SKP. Selama diajukan "
                "SKP dapat ditarik kembali; SKP yang dikembalikan diperbaiki lalu diajukan lagi.",
                "SKP yang sudah disetujui terkunci. Perubahan diajukan lewat tombol Ajukan perubahan.",
            ),
            "skp:saya",
            "SKP saya",
            "SKP saya",
        ),
        Langkah(
            "pegawai-realisasi",
            "Mengisi realisasi dan bukti dukung",
            (
                "Setiap periode penilaian (bulan, triwulan, atau semester sesuai skema instansi) isi rencana "
                "aksi, lalu realisasi setiap indikator.",
                "Lampirkan bukti dukung (berkas atau tautan) pada realisasi. Realisasi hanya dapat diisi "
                "sampai batas pengisian realisasi; setelah itu admin kepegawaian dapat membuka kunci.",
            ),
            "pelaksanaan:realisasi",
            "Realisasi",
            "Realisasi",
        ),
        Langkah(
            "pegawai-catatan",
            "Mencatat kegiatan harian",
            (
                "Catat kegiatan harian dan lamanya (jam dan menit, atau jam mulai dan selesai), dikaitkan "
                "dengan RHK yang didukungnya. Tampilan Per hari menunjukkan total setiap hari kerja "
                "minggu itu.",
                "Catatan kegiatan membantu Pejabat Penilai memberi umpan balik dan menjadi bahan realisasi. "
                "Hari kerja tanpa catatan diingatkan keesokan harinya bila instansi mengaktifkan pengingat.",
                "Di ponsel, pasang Kinerja dari menu peramban (Tambahkan ke layar utama). Catatan dan "
                "realisasi yang ditulis saat luring tersimpan di ponsel dan terkirim sekali ketika "
                "tersambung lagi.",
            ),
            "pelaksanaan:catatan",
            "Catatan kegiatan",
            "Catatan kegiatan",
        ),
        Langkah(
            "pegawai-umpan-balik",
            "Membaca umpan balik",
            (
                "Pejabat Penilai memberi umpan balik berkelanjutan atas realisasi Anda. Jumlah umpan balik "
                "yang belum dibaca tampil pada menu Pelaksanaan.",
                "Balas umpan balik bila perlu; percakapan tersimpan pada SKP.",
            ),
            "pelaksanaan:umpan_balik",
            "Umpan balik",
            "Umpan balik",
        ),
        Langkah(
            "pegawai-predikat",
            "Melihat predikat kinerja",
            (
                "Setelah periode berakhir Pejabat Penilai menetapkan rating hasil kerja dan rating perilaku "
                "kerja (Diatas, Sesuai, atau Dibawah Ekspektasi).",
                "Kedua rating menentukan predikat kinerja: Sangat Baik, Baik, Butuh Perbaikan, "
                "Kurang/Misconduct, atau Sangat Kurang. Predikat tampil setelah evaluasi difinalisasi.",
            ),
            "penilaian:index",
            "Evaluasi kinerja saya",
            "Penilaian kinerja",
        ),
        Langkah(
            "pegawai-keberatan",
            "Mengajukan keberatan",
            (
                "Bila tidak sepakat dengan predikat final, ajukan keberatan dari halaman evaluasi dalam "
                "jangka waktu yang ditetapkan instansi (bawaan 14 hari sejak evaluasi difinalisasi).",
                "Pejabat Penilai memberi penjelasan, lalu atasan Pejabat Penilai memutuskan: ditolak atau "
                "dikabulkan. Keberatan dapat ditarik selama belum diputuskan.",
            ),
            "tindak_lanjut:keberatan",
            "Keberatan",
            "Keberatan atas predikat kinerja",
        ),
        Langkah(
            "pegawai-tanda-tangan",
            "Menandatangani dokumen",
            (
                "SKP, dokumen evaluasi, dan keputusan yang menunggu tanda tangan Anda terkumpul di "
                "Menunggu tanda tangan saya (menu nama Anda di kanan atas).",
                "Buka dokumennya, periksa isinya, lalu tanda tangani secara elektronik.",
            ),
            "ttd_menunggu",
            "Menunggu tanda tangan saya",
            "Menunggu tanda tangan saya",
        ),
        Langkah(
            "pegawai-dua-langkah",
            "Mengamankan akun dengan verifikasi dua langkah",
            (
                "Buka Verifikasi dua langkah di menu nama Anda, pindai kode QR dengan aplikasi autentikator, "
                "lalu masukkan kode enam angka yang tampil. Simpan sepuluh kode pemulihan di tempat aman.",
                "Setelah itu, setiap kali masuk aplikasi meminta kode dari autentikator. Bila ponsel hilang, "
                "pakai satu kode pemulihan atau minta admin kepegawaian mengatur ulang.",
            ),
            "dua_langkah",
            "Verifikasi dua langkah",
            "Verifikasi dua langkah",
        ),
    ),
)

PENILAI = Peran(
    "penilai",
    "Pejabat Penilai Kinerja",
    "Menyetujui SKP bawahan, memantau dan memberi umpan balik, menilai, dan memfinalisasi kelompok "
    "penilaian.",
    "kabid",
    (
        Langkah(
            "penilai-persetujuan",
            "Menyetujui SKP bawahan",
            (
                "SKP yang diajukan bawahan menunggu di Persetujuan SKP. Periksa RHK, indikator, dan target; "
                "tuliskan ekspektasi khusus perilaku kerja bila perlu.",
                "Setujui SKP, atau kembalikan dengan catatan perbaikan. SKP yang disetujui menjadi dasar "
                "penilaian tahun itu.",
                "SKP tanpa komentar terbuka dapat dipilih lalu disetujui sekaligus (Setujui yang dipilih); "
                "SKP yang masih memiliki percakapan sejak diajukan dibuka satu per satu.",
            ),
            "skp:persetujuan",
            "Persetujuan SKP",
            "Persetujuan SKP",
        ),
        Langkah(
            "penilai-pemantauan",
            "Memantau bawahan",
            (
                "Pemantauan menampilkan rencana aksi, realisasi, dan bukti dukung setiap bawahan pada "
                "periode berjalan, juga siapa yang belum mengisi.",
                "Belum mencatat (dari halaman Pemantauan) menunjukkan bawahan yang belum menulis catatan "
                "kegiatan hari ini atau pada hari kerja minggu ini.",
            ),
            "pelaksanaan:papan",
            "Pemantauan",
            "Pemantauan bawahan",
        ),
        Langkah(
            "penilai-umpan-balik",
            "Memberi umpan balik dan dialog kinerja",
            (
                "Beri umpan balik berkelanjutan pada realisasi bawahan; bawahan menerima notifikasi.",
                "Catat dialog kinerja beserta tindak lanjutnya di Dialog kinerja, lalu tandai tindak lanjut "
                "yang selesai.",
            ),
            "pelaksanaan:dialog",
            "Dialog kinerja",
            "Dialog kinerja",
        ),
        Langkah(
            "penilai-menilai",
            "Menilai kinerja bawahan",
            (
                "Setelah periode berakhir buka evaluasi setiap bawahan. Aplikasi menyarankan rating dari "
                "capaian realisasi; tetapkan rating hasil kerja dan rating perilaku kerja (BerAKHLAK).",
                "Rating dapat diisi sebagai draf sebelum periode berakhir, tetapi baru dapat ditetapkan "
                "setelah periodenya berakhir.",
                "Menilai sekaligus membuka satu formulir untuk semua RHK dan ketujuh perilaku: mulai dari "
                "Semua perilaku Sesuai Ekspektasi, sesuaikan, simpan (Ctrl+Enter), lalu Bawahan berikutnya.",
            ),
            "penilaian:index",
            "Penilaian bawahan",
            "Penilaian kinerja",
        ),
        Langkah(
            "penilai-kelompok",
            "Memfinalisasi kelompok penilaian",
            (
                "Kelompok penilaian memuat predikat semua bawahan dan memeriksanya terhadap pola distribusi "
                "yang mengikuti capaian kinerja organisasi.",
                "Bila pola distribusi tidak terpenuhi, sesuaikan rating atau tuliskan alasannya, lalu "
                "finalisasi. Setelah difinalisasi bawahan melihat predikatnya.",
            ),
            "penilaian:kelompok",
            "Kelompok & pola distribusi",
            "Kelompok penilaian",
        ),
    ),
)

PIMPINAN = Peran(
    "pimpinan",
    "Pimpinan unit kerja",
    "Menyusun Perjanjian Kinerja, menetapkan capaian kinerja organisasi, memutus keberatan, dan "
    "menandatangani penetapan predikat.",
    "kepala",
    (
        Langkah(
            "pimpinan-pk",
            "Perjanjian Kinerja",
            (
                "Susun Perjanjian Kinerja (PK) unit dengan sasaran dan indikator kinerja utama (IKU), lalu "
                "ajukan kepada pihak kedua (atasan) untuk disetujui.",
                "RHK pimpinan unit dan bawahannya diturunkan dari sasaran PK.",
            ),
            "rencana:pk_list",
            "Perjanjian Kinerja",
            "Perjanjian Kinerja",
        ),
        Langkah(
            "pimpinan-capaian",
            "Capaian kinerja organisasi",
            (
                "Tetapkan capaian kinerja organisasi unit di bawah Anda: Istimewa, Baik, Butuh Perbaikan, "
                "Kurang, atau Sangat Kurang. Aplikasi menyarankannya dari capaian IKU.",
                "Capaian organisasi menentukan pola distribusi predikat di unit itu dan menjadi rating hasil "
                "kerja pimpinannya.",
            ),
            "penilaian:capaian",
            "Capaian kinerja organisasi",
            "Capaian Kinerja Organisasi",
        ),
        Langkah(
            "pimpinan-keberatan",
            "Memutus keberatan",
            (
                "Sebagai atasan Pejabat Penilai Anda memutus keberatan bawahan setelah penjelasan Pejabat "
                "Penilai, atau setelah batas penjelasan lewat.",
                "Putusan (ditolak atau dikabulkan beserta predikat baru) disertai alasan dan diterbitkan "
                "sebagai dokumen keputusan.",
            ),
            "tindak_lanjut:keberatan",
            "Keberatan",
            "Keberatan atas predikat kinerja",
        ),
        Langkah(
            "pimpinan-penetapan",
            "Penetapan predikat",
            (
                "Setelah kelompok penilaian difinalisasi, cetak penetapan predikat kinerja dari halaman "
                "kelompok dan tanda tangani sebagai pimpinan unit.",
                "Rekap penilaian menampilkan sebaran predikat per unit untuk tindak lanjut.",
            ),
            "penilaian:kelompok",
            "Kelompok & pola distribusi",
            "Kelompok penilaian",
        ),
    ),
)

ADMIN = Peran(
    "admin",
    "Admin kepegawaian",
    "Menyiapkan struktur organisasi, periode, dan akun pegawai; menyusun laporan dan mengirim hasil ke "
    "SIASN; mengelola TPP dan tanda tangan elektronik.",
    "admin",
    (
        Langkah(
            "admin-struktur",
            "Struktur organisasi",
            (
                "Unit kerja, jabatan, dan penempatan pegawai menentukan Pejabat Penilai setiap pegawai. "
                "Setiap instansi memiliki satu unit tertinggi dan satu jabatan tertinggi.",
                "Penugasan Plt./Plh. dicatat sebagai penempatan dengan jenisnya.",
            ),
            "organisasi:unit_tree",
            "Unit kerja",
            "Unit kerja",
        ),
        Langkah(
            "admin-impor",
            "Impor dari Excel",
            (
                "Unduh templat, isi unit, jabatan, pegawai, dan penempatan, lalu unggah. Aplikasi "
                "menampilkan pratinjau dan semua kesalahan sekaligus; tidak ada yang tersimpan sebelum Anda "
                "menerapkannya.",
            ),
            "organisasi:impor",
            "Impor dari Excel",
            "Impor dari Excel",
        ),
        Langkah(
            "admin-periode",
            "Periode dan jadwal",
            (
                "Buat periode tahun berjalan dengan skema evaluasi periodik (bulanan, triwulanan, atau "
                "semesteran). Aplikasi membuat periode penilaiannya beserta batas pengisian realisasi dan "
                "batas evaluasi, yang dapat diubah.",
            ),
            "organisasi:periode_list",
            "Periode dan jadwal",
            "Periode dan jadwal",
        ),
        Langkah(
            "admin-akun",
            "Akun pegawai",
            (
                "Setiap pegawai mendapat akun dengan NIP sebagai nama pengguna. Atur kata sandi awal dari "
                "halaman pegawai dan sampaikan kepada yang bersangkutan, atau aktifkan masuk dengan ASN "
                "Digital.",
            ),
            "organisasi:pegawai_list",
            "Pegawai",
            "Pegawai",
        ),
        Langkah(
            "admin-laporan",
            "Laporan dan rekap",
            (
                "Rekap penilaian menampilkan progres SKP, evaluasi final, sebaran predikat, dan keberatan "
                "per unit, dan dapat diunduh sebagai Excel. Laporan tindak lanjut dan angka kredit ada di "
                "menu Tindak lanjut.",
            ),
            "tindak_lanjut:rekap",
            "Rekap penilaian",
            "Rekap penilaian kinerja",
        ),
        Langkah(
            "admin-siasn",
            "Kirim ke SIASN",
            (
                "Periksa dan unduh hasil evaluasi kinerja dalam format SIASN, atau kirim langsung dan pantau "
                "di Sinkronisasi SIASN. Data yang belum lengkap ditunjukkan per pegawai.",
            ),
            "tindak_lanjut:siasn_ekspor",
            "Ekspor SIASN",
            "Ekspor hasil evaluasi kinerja ke SIASN",
        ),
        Langkah(
            "admin-tpp",
            "TPP dan tunjangan kinerja",
            (
                "Atur aturan TPP, tabel pagu, dan kelas jabatan; hitung TPP setiap bulan dari kehadiran dan "
                "kinerja di TPP instansi, lalu tutup bulannya.",
            ),
            "kehadiran:tpp_aturan",
            "Aturan TPP",
            "Pengaturan TPP",
        ),
        Langkah(
            "admin-ttd",
            "Tanda tangan elektronik",
            (
                "Pilih penyelenggara tanda tangan elektronik (BSrE atau sertifikat instansi) dan uji "
                "koneksinya. Dokumen yang ditandatangani dapat diverifikasi publik.",
            ),
            "dokumen:ttd_pengaturan",
            "Tanda tangan elektronik",
            "Tanda tangan elektronik",
        ),
    ),
)

PERAN: dict[str, Peran] = {p.kode: p for p in (PEGAWAI, PENILAI, PIMPINAN, ADMIN)}
LANGKAH: dict[str, tuple[Peran, Langkah]] = {
    langkah.kode: (p, langkah) for p in PERAN.values() for langkah in p.langkah
}

#: URL name of a page → the step its Bantuan link opens. A page that serves more than one role maps to a
#: tuple of steps, the first whose role the user has wins (`tautan_bantuan`); a page not listed opens the
#: user's own role page. The first-run checklist and the guide itself open the guide's index.
BANTUAN: dict[str, str | tuple[str, ...]] = {
    "skp:saya": "pegawai-skp",
    "skp:buat": "pegawai-skp",
    "skp:detail": ("penilai-persetujuan", "pegawai-skp"),
    "skp:riwayat": "pegawai-skp",
    "skp:versi": "pegawai-skp",
    "pelaksanaan:realisasi": "pegawai-realisasi",
    "pelaksanaan:realisasi_skp": ("penilai-pemantauan", "pegawai-realisasi"),
    "pelaksanaan:bukti": "pegawai-realisasi",
    "pelaksanaan:catatan": "pegawai-catatan",
    "pelaksanaan:catatan_skp": "pegawai-catatan",
    "kehadiran:catatan_hari": "pegawai-catatan",
    "kehadiran:belum_mencatat": "penilai-pemantauan",
    "penilaian:menilai": "penilai-menilai",
    "dua_langkah": "pegawai-dua-langkah",
    "pelaksanaan:umpan_balik": "pegawai-umpan-balik",
    "pelaksanaan:umpan_balik_skp": ("penilai-umpan-balik", "pegawai-umpan-balik"),
    "penilaian:index": ("penilai-menilai", "pegawai-predikat"),
    "penilaian:evaluasi": ("penilai-menilai", "pegawai-predikat"),
    "tindak_lanjut:keberatan": ("pimpinan-keberatan", "pegawai-keberatan"),
    "tindak_lanjut:keberatan_detail": ("pimpinan-keberatan", "pegawai-keberatan"),
    "tindak_lanjut:keberatan_ajukan": "pegawai-keberatan",
    "ttd_menunggu": "pegawai-tanda-tangan",
    "dokumen:ttd": "pegawai-tanda-tangan",
    "skp:persetujuan": "penilai-persetujuan",
    "pelaksanaan:papan": "penilai-pemantauan",
    "pelaksanaan:dialog": "penilai-umpan-balik",
    "pelaksanaan:dialog_skp": "penilai-umpan-balik",
    "penilaian:kelompok": ("pimpinan-penetapan", "penilai-kelompok"),
    "penilaian:kalibrasi": "penilai-kelompok",
    "rencana:pk_list": "pimpinan-pk",
    "rencana:pk_create": "pimpinan-pk",
    "rencana:pk_detail": "pimpinan-pk",
    "penilaian:capaian": "pimpinan-capaian",
    "tindak_lanjut:keberatan_instansi": "pimpinan-keberatan",
    "organisasi:unit_tree": "admin-struktur",
    "organisasi:jabatan_list": "admin-struktur",
    "organisasi:penempatan_create": "admin-struktur",
    "organisasi:impor": "admin-impor",
    "organisasi:periode_list": "admin-periode",
    "organisasi:periode_create": "admin-periode",
    "organisasi:periode_detail": "admin-periode",
    "organisasi:pegawai_list": "admin-akun",
    "organisasi:pegawai_detail": "admin-akun",
    "organisasi:pegawai_set_password": "admin-akun",
    "tindak_lanjut:rekap": "admin-laporan",
    "tindak_lanjut:laporan_tindak_lanjut": "admin-laporan",
    "tindak_lanjut:laporan_angka_kredit": "admin-laporan",
    "skp:progres": "admin-laporan",
    "pelaksanaan:papan_progres": "admin-laporan",
    "tindak_lanjut:siasn_ekspor": "admin-siasn",
    "tindak_lanjut:siasn_sinkron": "admin-siasn",
    "kehadiran:tpp_aturan": "admin-tpp",
    "kehadiran:tpp_bulan": "admin-tpp",
    "kehadiran:tpp_pagu": "admin-tpp",
    "kehadiran:tpp_kelas": "admin-tpp",
    "tindak_lanjut:tukin": "admin-tpp",
    "dokumen:ttd_pengaturan": "admin-ttd",
}

#: A user's roles, most specific first: the default guide page is the first one they have.
URUTAN_PERAN = ("admin", "pimpinan", "penilai", "pegawai")


def tautan_langkah(kode: str) -> str:
    peran, _ = LANGKAH[kode]
    return f"{reverse('panduan:peran', args=[peran.kode])}#{kode}"


def tautan_bantuan(view_name: str, peran_pengguna: object) -> str:
    """The Bantuan link of a page named `view_name` for a user with roles `peran_pengguna` (an iterable of
    `URUTAN_PERAN` codes, or a callable returning one, asked only when the page's entry needs it)."""
    if view_name.startswith("panduan:"):
        return reverse("panduan:index")
    tujuan = BANTUAN.get(view_name)
    if isinstance(tujuan, str):
        return tautan_langkah(tujuan)
    punya = list(peran_pengguna() if callable(peran_pengguna) else peran_pengguna)  # type: ignore[call-overload]
    if tujuan:
        for kode in tujuan:
            if LANGKAH[kode][0].kode in punya:
                return tautan_langkah(kode)
        return tautan_langkah(tujuan[-1])
    for kode in URUTAN_PERAN:
        if kode in punya:
            return reverse("panduan:peran", args=[kode])
    return reverse("panduan:index")
