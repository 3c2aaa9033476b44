"""The attendance-settings form (`PengaturanKehadiran`): the `AturanKehadiran` fields with Indonesian
labels and help, plus the two instansi switches."""

from __future__ import annotations

from django import forms

from kinerja.rules import kehadiran as aturan_hadir


class PengaturanForm(forms.Form):
    jendela_sebelum_menit = forms.IntegerField(
        label="Rekaman dihitung sejak (menit sebelum jam masuk)",
        min_value=0,
        max_value=720,
        help_text="Rekaman sebelum batas ini tidak dihitung untuk hari tersebut. Bawaan 180 menit.",
    )
    jendela_sesudah_menit = forms.IntegerField(
        label="Rekaman dihitung sampai (menit sesudah jam pulang)",
        min_value=0,
        max_value=720,
        help_text="Untuk shift malam, jam pulang jatuh pada tanggal berikutnya. Bawaan 360 menit.",
    )
    cara_baca = forms.ChoiceField(
        label="Cara membaca dua rekaman atau lebih",
        choices=aturan_hadir.CaraBacaTap.choices(),
        help_text="Satu rekaman saja selalu dibaca dengan titik tengah jadwal.",
    )
    toleransi_tl_menit = forms.IntegerField(
        label="Toleransi terlambat (TL), menit",
        min_value=0,
        max_value=240,
        help_text="Keterlambatan sampai batas ini dihitung 0 menit; "
        "lebih dari itu dihitung penuh dari jam masuk.",
    )
    toleransi_psw_menit = forms.IntegerField(
        label="Toleransi pulang sebelum waktunya (PSW), menit",
        min_value=0,
        max_value=240,
        help_text="Pulang lebih awal sampai batas ini dihitung 0 menit.",
    )
    bulatkan_ke_atas = forms.BooleanField(
        label="Detik ikut dihitung",
        required=False,
        help_text="Dicentang: 07.30.01 terhadap jam masuk 07.30 dihitung terlambat 1 menit. "
        "Tidak dicentang: hanya menit penuh yang dihitung.",
    )
    shift_pada_libur = forms.BooleanField(
        label="Shift pada hari libur tetap hari kerja",
        required=False,
        help_text="Untuk unit pelayanan (rumah sakit, pemadam kebakaran) "
        "yang tetap bertugas pada hari libur.",
    )
    atasan_lihat_tpp = forms.BooleanField(
        label="Atasan boleh melihat TPP bawahan",
        required=False,
        help_text="Bawaan: hanya pegawai yang bersangkutan dan admin kepegawaian.",
    )
    batas_isi_hari = forms.IntegerField(
        label="Batas pengisian kinerja bulanan (tanggal bulan berikutnya)",
        min_value=1,
        max_value=28,
        help_text="Catatan dan realisasi suatu bulan harus diisi "
        "paling lambat tanggal ini pada bulan berikutnya.",
    )

    def aturan(self) -> aturan_hadir.AturanKehadiran:
        d = self.cleaned_data
        return aturan_hadir.AturanKehadiran(
            jendela_sebelum_menit=d["jendela_sebelum_menit"],
            jendela_sesudah_menit=d["jendela_sesudah_menit"],
            cara_baca=aturan_hadir.CaraBacaTap(d["cara_baca"]),
            toleransi_tl_menit=d["toleransi_tl_menit"],
            toleransi_psw_menit=d["toleransi_psw_menit"],
            bulatkan_ke_atas=d["bulatkan_ke_atas"],
            shift_pada_libur=d["shift_pada_libur"],
        )
