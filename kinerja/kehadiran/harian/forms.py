"""Forms of the pegawai's requests; the checks that matter (ranges, overlaps, files) are in the services."""

from __future__ import annotations

from django import forms

from kinerja.kehadiran.models import JENIS_KETIDAKHADIRAN_CHOICES, JenisKoreksi

_TANGGAL = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
_JAM = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")


class KetidakhadiranForm(forms.Form):
    jenis = forms.ChoiceField(
        label="Jenis",
        choices=JENIS_KETIDAKHADIRAN_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mulai = forms.DateField(label="Mulai", widget=_TANGGAL, error_messages={"required": "Isi tanggal mulai."})
    selesai = forms.DateField(
        label="Sampai", widget=_TANGGAL, error_messages={"required": "Isi tanggal sampai."}
    )
    keterangan = forms.CharField(
        label="Keterangan", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    bukti = forms.FileField(
        label="Bukti (surat cuti, surat tugas, surat dokter …)",
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class KoreksiForm(forms.Form):
    tanggal = forms.DateField(label="Tanggal", widget=_TANGGAL, error_messages={"required": "Isi tanggal."})
    jenis = forms.ChoiceField(
        label="Jenis", choices=JenisKoreksi.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    masuk = forms.TimeField(label="Jam masuk", required=False, widget=_JAM)
    pulang = forms.TimeField(label="Jam pulang", required=False, widget=_JAM)
    alasan = forms.CharField(
        label="Alasan", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    bukti = forms.FileField(
        label="Bukti (opsional)",
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class KeputusanForm(forms.Form):
    setuju = forms.ChoiceField(choices=[("1", "Setujui"), ("0", "Tolak")])
    catatan = forms.CharField(required=False)
