"""What a signer types to sign: the passphrase (or, with BSrE v2, a TOTP), and with BSrE the NIK its
certificate is registered under (docs/rules.md §29.2, §29.5). Used by the single and the bulk signing."""

from __future__ import annotations

from typing import Any

from django import forms

from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.organisasi.forms import BootstrapMixin


class TtdForm(BootstrapMixin, forms.Form):
    nik = forms.CharField(
        label="NIK (sesuai pendaftaran sertifikat BSrE)",
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "on", "pattern": "[0-9]{16}"}),
    )
    passphrase = forms.CharField(
        label="Passphrase sertifikat elektronik",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    totp = forms.CharField(
        label="atau kode TOTP (aplikasi autentikator)",
        required=False,
        max_length=10,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}, render_value=False),
    )

    def __init__(self, *args: Any, atur: PengaturanTtd | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bsre = atur is not None and atur.penyedia == PengaturanTtd.Penyedia.BSRE
        self.bsre = bsre
        self.totp_boleh = bsre and atur is not None and atur.bsre_versi == PengaturanTtd.VersiBsre.V2
        if not bsre:
            del self.fields["nik"]
        else:
            self.fields["nik"].required = True
        if not self.totp_boleh:
            del self.fields["totp"]

    def clean_nik(self) -> str:
        nik = self.cleaned_data.get("nik", "").strip()
        if nik and (len(nik) != 16 or not nik.isdigit()):
            raise forms.ValidationError("NIK harus 16 angka.")
        return nik

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("passphrase") and not data.get("totp", "").strip():
            pesan = "Isi passphrase atau kode TOTP." if self.totp_boleh else "Passphrase wajib diisi."
            self.add_error("passphrase", pesan)
        return data

    def kredensial(self) -> Kredensial:
        data = self.cleaned_data
        return Kredensial(
            passphrase=data.get("passphrase", ""), totp=data.get("totp", "").strip(), nik=data.get("nik", "")
        )
