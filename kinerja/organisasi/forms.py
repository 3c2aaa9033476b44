from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from kinerja.rules import nip as nip_rules
from kinerja.rules.jadwal import Skema

from .models import Jabatan, Pegawai, Penempatan, UnitKerja


class LoginForm(AuthenticationForm):
    """NIP may be typed with the usual spaces ("19850315 201001 2 001"): strip them before checking."""

    error_messages = {
        "invalid_login": "NIP/nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil.",
        "inactive": "Akun ini tidak aktif.",
    }

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if re.fullmatch(r"[\d\s.\-]+", username):
            username = re.sub(r"\D", "", username)
        return username


class BootstrapMixin:
    """Give every widget Bootstrap classes and mark invalid fields for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = "— pilih —"
            elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0] == ("", "---------"):
                    field.choices = [("", "— pilih —"), *choices[1:]]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


class UnitKerjaForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = UnitKerja
        fields = ["kode", "nama", "parent"]

    def __init__(self, *args: Any, instansi: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = UnitKerja.objects.filter(instansi=instansi).order_by("path")
        if self.instance.pk:
            qs = qs.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = qs
        self.fields["parent"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.nama}"
        self.fields["parent"].empty_label = "(unit tertinggi instansi)"
        self.instance.instansi = instansi

    def clean_kode(self) -> str:
        kode = self.cleaned_data["kode"].strip()
        clash = UnitKerja.objects.filter(instansi=self.instance.instansi, kode=kode).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError("Kode unit sudah dipakai unit lain.")
        return kode


class JabatanForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Jabatan
        fields = ["kode", "nama", "jenis", "jenjang", "unit", "parent", "pimpinan_unit", "unit_kerja_mandiri"]

    def __init__(self, *args: Any, instansi: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.instansi = instansi
        self.fields["unit"].queryset = UnitKerja.objects.filter(instansi=instansi).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.nama}"
        parents = Jabatan.objects.filter(instansi=instansi).order_by("path")
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda j: f"{'— ' * j.depth}{j.nama}"
        self.fields["parent"].empty_label = "(tidak ada: pimpinan tertinggi instansi)"
        self.fields["jenjang"].help_text = "Hanya untuk jabatan fungsional."

    def clean_kode(self) -> str:
        kode = self.cleaned_data["kode"].strip()
        clash = Jabatan.objects.filter(instansi=self.instance.instansi, kode=kode).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError("Kode jabatan sudah dipakai jabatan lain.")
        return kode

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("jenis") == "fungsional" and not data.get("jenjang"):
            self.add_error("jenjang", "Jabatan fungsional harus memiliki jenjang.")
        if data.get("jenis") != "fungsional":
            data["jenjang"] = ""
        return data


def clean_nip_value(value: str) -> str:
    value = re.sub(r"\s", "", value or "")
    nip_rules.parse(value)  # raises ValueError with a message in Bahasa Indonesia
    return value


class PegawaiForm(BootstrapMixin, forms.ModelForm):
    # Longer than 18 so a NIP typed with its usual spaces reaches clean_nip, which strips them.
    nip = forms.CharField(label="NIP", max_length=30)

    class Meta:
        model = Pegawai
        fields = [
            "nip",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_asn",
            "pangkat_golongan",
            "email",
            "aktif",
        ]

    def __init__(self, *args: Any, instansi: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.instansi = instansi
        self.fields["nip"].help_text = "18 digit: tanggal lahir, TMT CPNS/PPPK, jenis kelamin, nomor urut."

    def clean_nip(self) -> str:
        try:
            value = clean_nip_value(self.cleaned_data["nip"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if Pegawai.objects.filter(nip=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("NIP ini sudah terdaftar.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        nip, jenis = data.get("nip"), data.get("jenis_asn")
        pangkat = data.get("pangkat_golongan") or ""
        if nip and jenis == "pns" and nip_rules.parse(nip).is_pppk:
            self.add_error("jenis_asn", "NIP ini berformat PPPK; pilih jenis ASN PPPK.")
        if pangkat and jenis == "pns" and "/" not in pangkat:
            self.add_error(
                "pangkat_golongan", "PNS memakai pangkat/golongan (mis. III/a), bukan golongan PPPK."
            )
        if pangkat and jenis == "pppk" and "/" in pangkat:
            self.add_error("pangkat_golongan", "PPPK memakai golongan I–XVII, bukan pangkat PNS.")
        return data


class PenempatanForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Penempatan
        fields = ["jabatan", "jenis", "mulai", "selesai", "nomor_sk"]
        widgets = {
            "mulai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "selesai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, pegawai: Pegawai, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.pegawai = pegawai
        self.fields["jabatan"].queryset = Jabatan.objects.filter(
            instansi_id=pegawai.instansi_id
        ).select_related("unit")
        self.fields["jabatan"].label_from_instance = lambda j: f"{j.nama} — {j.unit.nama}"


class PeriodeCreateForm(BootstrapMixin, forms.Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2020, max_value=2100)
    skema = forms.ChoiceField(
        label="Skema evaluasi periodik", choices=Skema.choices(), initial=Skema.TRIWULANAN.value
    )


class PeriodeDeadlineForm(BootstrapMixin, forms.Form):
    batas_skp = forms.DateField(
        label="Batas persetujuan SKP", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    batas_evaluasi_tahunan = forms.DateField(
        label="Batas evaluasi tahunan", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, periode: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periode_penilaian = list(periode.periode_penilaian.all())
        for pp in self.periode_penilaian:
            for kind, label in (("realisasi", "batas realisasi"), ("evaluasi", "batas evaluasi")):
                name = f"{kind}_{pp.pk}"
                self.fields[name] = forms.DateField(
                    label=f"{pp.nama}: {label}",
                    initial=getattr(pp, f"batas_{kind}"),
                    widget=forms.DateInput(
                        attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
                    ),
                )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(pp, self[f"realisasi_{pp.pk}"], self[f"evaluasi_{pp.pk}"]) for pp in self.periode_penilaian]

    def per_periode(self) -> dict[int, tuple[Any, Any]]:
        return {
            pp.pk: (self.cleaned_data[f"realisasi_{pp.pk}"], self.cleaned_data[f"evaluasi_{pp.pk}"])
            for pp in self.periode_penilaian
        }


class SetPasswordPegawaiForm(BootstrapMixin, forms.Form):
    password1 = forms.CharField(
        label="Kata sandi baru", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Ulangi kata sandi", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "Kedua kata sandi tidak sama.")
        return data
