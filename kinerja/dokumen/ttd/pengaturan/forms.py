"""Forms of the admin's signing pages; the checks that matter are in `services`."""

from __future__ import annotations

from typing import Any

from django import forms

from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd.pengaturan.services import UKURAN_P12_MAKS
from kinerja.organisasi.forms import BootstrapMixin


class PengaturanTtdForm(BootstrapMixin, forms.Form):
    penyedia = forms.ChoiceField(label="Penyedia tanda tangan", choices=PengaturanTtd.Penyedia.choices)
    bsre_url = forms.URLField(
        label="Alamat layanan BSrE",
        required=False,
        assume_scheme="https",
        help_text="Alamat gateway BSrE instansi, mis. https://esign.contoh.go.id.",
        error_messages={"invalid": "Alamat layanan BSrE tidak valid."},
    )
    bsre_versi = forms.ChoiceField(label="Versi API BSrE", choices=PengaturanTtd.VersiBsre.choices)
    bsre_pengguna = forms.CharField(label="Pengguna aplikasi (HTTP Basic)", required=False, max_length=150)
    bsre_sandi = forms.CharField(
        label="Kata sandi aplikasi",
        required=False,
        strip=False,
        # never rendered back: the page only says whether one is stored
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    tsa_url = forms.URLField(
        label="Alamat TSA (stempel waktu)",
        required=False,
        assume_scheme="https",
        help_text="Opsional: layanan stempel waktu RFC 3161. Kosongkan bila tidak ada.",
        error_messages={"invalid": "Alamat TSA tidak valid."},
    )
    lokasi = forms.CharField(
        label="Lokasi penandatanganan",
        required=False,
        max_length=100,
        help_text="Tercantum di tanda tangan. Kosong: kota instansi.",
    )

    def __init__(self, *args: Any, sandi_tersimpan: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bsre_sandi"].help_text = (
            "Tersimpan (terenkripsi). Kosongkan untuk mempertahankan; isi untuk mengganti."
            if sandi_tersimpan
            else "Belum tersimpan. Wajib bila penyedia BSrE."
        )


class UnggahSertifikatForm(BootstrapMixin, forms.Form):
    nip = forms.CharField(
        label="NIP pegawai", max_length=30, error_messages={"required": "NIP pegawai wajib diisi."}
    )
    berkas = forms.FileField(
        label="Berkas sertifikat (.p12/.pfx)",
        widget=forms.FileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
        error_messages={"required": "Pilih berkas sertifikat .p12 atau .pfx."},
    )
    passphrase = forms.CharField(
        label="Passphrase sertifikat",
        strip=False,
        help_text="Hanya untuk memeriksa bahwa berkas dapat dibuka; tidak disimpan.",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        error_messages={"required": "Passphrase wajib diisi untuk memeriksa berkas."},
    )

    def clean_berkas(self) -> Any:
        berkas = self.cleaned_data["berkas"]
        if berkas.size > UKURAN_P12_MAKS:
            raise forms.ValidationError(f"Berkas terlalu besar (maksimal {UKURAN_P12_MAKS // 1024} KB).")
        return berkas
