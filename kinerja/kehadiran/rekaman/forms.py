"""Forms of the taps pages (machines, PINs, uploads); the writes are in `services`."""

from __future__ import annotations

from typing import Any

from django import forms

from kinerja.common.spreadsheet import XLSX_CONTENT_TYPE
from kinerja.kehadiran.models import MesinPresensi
from kinerja.organisasi.forms import BootstrapMixin


class MesinForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MesinPresensi
        fields = ["nama", "nomor_seri", "lokasi", "pin_adalah_nip", "aktif"]
        help_texts = {
            "nomor_seri": "Tertera pada nama berkas attlog dan di menu info mesin.",
            "pin_adalah_nip": "Centang bila pegawai didaftarkan di mesin dengan NIP sebagai PIN: tidak perlu "
            "memetakan PIN satu per satu.",
        }


class PinForm(BootstrapMixin, forms.Form):
    pin = forms.CharField(label="PIN", max_length=24, error_messages={"required": "PIN wajib diisi."})
    nip = forms.CharField(label="NIP pegawai", max_length=18, error_messages={"required": "NIP wajib diisi."})


class PinBerkasForm(BootstrapMixin, forms.Form):
    berkas = forms.FileField(
        label="Lembar kerja PIN (.xlsx)",
        help_text="Baris 1 judul; mulai baris 2: kolom A PIN, kolom B NIP.",
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        error_messages={"required": "Pilih berkas .xlsx berisi PIN dan NIP."},
    )


class ImporForm(BootstrapMixin, forms.Form):
    jenis = forms.ChoiceField(
        label="Jenis berkas",
        choices=[
            ("attlog", "Attlog mesin ZKTeco (*_attlog.dat)"),
            ("lembar", "Lembar kerja (template .xlsx)"),
        ],
    )
    mesin = forms.ModelChoiceField(
        label="Mesin presensi",
        queryset=MesinPresensi.objects.none(),
        required=False,
        help_text="Wajib untuk berkas attlog: PIN dibaca menurut mesin ini.",
    )
    berkas = forms.FileField(label="Berkas", error_messages={"required": "Pilih berkas yang akan diimpor."})

    def __init__(self, *args: Any, instansi: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mesin"].queryset = MesinPresensi.objects.filter(instansi=instansi, aktif=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("jenis") == "attlog" and not data.get("mesin"):
            self.add_error("mesin", "Pilih mesin presensi asal berkas attlog ini.")
        return data
