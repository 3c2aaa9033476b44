"""The starter library of feedback phrases (Bahasa Indonesia), shared by every instansi (instansi empty).

Loaded by the data migration 0002_pustaka_umpan_balik and by the demo seed; loading is idempotent.
Penilai add their own phrases per instansi through the feedback page.
"""

from __future__ import annotations

from typing import Any

PUSTAKA_AWAL: dict[str, tuple[str, ...]] = {
    "apresiasi": (
        "Capaian melampaui target; pertahankan.",
        "Capaian sesuai target periode ini. Terima kasih atas kerja kerasnya.",
        "Bukti dukung lengkap dan jelas.",
        "Kualitas hasil kerja sangat baik dan tepat waktu.",
        "Inisiatif yang baik dalam menyelesaikan kendala di lapangan.",
        "Kerja sama dengan rekan satu tim sangat baik.",
        "Pelayanan kepada pemangku kepentingan mendapat tanggapan positif.",
        "Laporan disusun rapi dan mudah dipahami.",
    ),
    "perbaikan": (
        "Lengkapi bukti dukung untuk realisasi ini.",
        "Realisasi masih di bawah target; jelaskan kendalanya.",
        "Penjelasan realisasi terlalu singkat; uraikan apa yang sudah dihasilkan.",
        "Realisasi diisi melewati batas waktu; perhatikan jadwal pengisian berikutnya.",
        "Bukti dukung belum sesuai dengan indikator yang diukur.",
        "Angka realisasi perlu diperiksa kembali terhadap data sumber.",
        "Ketepatan waktu penyelesaian pekerjaan perlu ditingkatkan.",
        "Koordinasi dengan unit terkait perlu ditingkatkan.",
    ),
    "arahan": (
        "Susun rencana aksi untuk mengejar target periode berikutnya.",
        "Prioritaskan pekerjaan yang mendukung RHK utama.",
        "Diskusikan kendala ini dengan saya dalam dialog kinerja minggu ini.",
        "Dokumentasikan setiap kegiatan dalam catatan harian sebagai bukti dukung.",
        "Manfaatkan pelatihan yang tersedia untuk meningkatkan kompetensi.",
        "Bagikan praktik baik ini kepada rekan satu tim.",
        "Tingkatkan kualitas layanan dengan menindaklanjuti masukan pengguna.",
        "Jaga integritas dan akuntabilitas dalam setiap pelaksanaan tugas.",
        "Pastikan data realisasi diperbarui sebelum batas pengisian.",
    ),
}


def load_pustaka_awal(model: Any = None) -> int:
    """Create the starter phrases that do not exist yet; returns how many were created.

    `model` is the historical model inside a migration; the live PustakaUmpanBalik otherwise.
    """
    if model is None:
        from kinerja.pelaksanaan.models import PustakaUmpanBalik as model
    dibuat = 0
    for nada, daftar in PUSTAKA_AWAL.items():
        for teks in daftar:
            _, baru = model.objects.get_or_create(instansi=None, teks=teks, defaults={"nada": nada})
            dibuat += int(baru)
    return dibuat
