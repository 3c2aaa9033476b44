"""Forms of the pelaksanaan pages. They only parse input; the services decide what is valid and allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kinerja.common import widget as cepat
from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.models import Instansi, Pegawai, PeriodePenilaian
from kinerja.pelaksanaan import services

# =========================================================================================================
# Rencana aksi, realisasi, buka kunci
# =========================================================================================================


class RencanaAksiForm(BootstrapMixin, forms.Form):
    teks = forms.CharField(
        label="Rencana aksi",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Apa yang akan dilakukan pada periode ini untuk mewujudkan RHK.",
        error_messages={"required": "Wajib diisi."},
    )
    versi = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class RealisasiForm(BootstrapMixin, forms.Form):
    """Realisasi of one indikator: a number (decimal comma accepted) or a text, plus a narrative. One per
    indikator on the realisasi page: its widgets write their HTML directly (`kinerja.common.widget`)."""

    versi = forms.IntegerField(widget=cepat.HiddenInput, required=False, min_value=0)
    narasi = forms.CharField(
        label="Penjelasan",
        required=False,
        max_length=4000,
        widget=cepat.Textarea(attrs={"rows": 2}),
        help_text="Apa yang sudah dicapai, kendala, dan tindak lanjut.",
    )

    def __init__(self, *args: Any, numerik: bool, satuan: str = "", **kwargs: Any) -> None:
        self.numerik = numerik
        super().__init__(*args, **kwargs)
        if numerik:
            self.fields["nilai_angka"] = forms.CharField(
                label="Realisasi",
                max_length=30,
                widget=cepat.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                help_text=f"Angka{f' dalam {satuan}' if satuan else ''}; koma untuk desimal (mis. 12,5).",
                error_messages={"required": "Isi realisasi berupa angka."},
            )
        else:
            self.fields["nilai_teks"] = forms.CharField(
                label="Realisasi",
                max_length=4000,
                widget=cepat.Textarea(attrs={"rows": 2}),
                help_text="Uraikan hasil yang dicapai dibandingkan ukuran keberhasilannya.",
                error_messages={"required": "Wajib diisi."},
            )
        self.order_fields(["nilai_angka", "nilai_teks", "narasi", "versi"])
        for f in self.fields.values():  # the number/text field is added after the mixin ran
            widget = f.widget
            if not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def clean_nilai_angka(self) -> Any:
        value = self.cleaned_data.get("nilai_angka")
        try:
            angka = services.parse_angka(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["nilai_angka"]) from None
        if angka is not None and angka < 0:
            raise ValidationError("Realisasi tidak boleh negatif.")
        return angka


class PegawaiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pegawai) -> str:
        return f"{obj.nip} — {obj.nama_lengkap}"


class PeriodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeriodePenilaian) -> str:
        return f"{obj.nama} {obj.periode.tahun} (batas {tanggal_panjang(obj.batas_realisasi)})"


class BukaKunciForm(BootstrapMixin, forms.Form):
    pegawai = PegawaiChoiceField(label="Pegawai", queryset=Pegawai.objects.none())
    periode_penilaian = PeriodeChoiceField(label="Periode", queryset=PeriodePenilaian.objects.none())
    alasan = forms.CharField(
        label="Alasan",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Dicatat dalam riwayat, mis. nomor nota dinas atau sebab keterlambatan.",
        error_messages={"required": "Alasan wajib diisi."},
    )

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pegawai = self.fields["pegawai"]
        periode = self.fields["periode_penilaian"]
        assert isinstance(pegawai, forms.ModelChoiceField) and isinstance(periode, forms.ModelChoiceField)
        pegawai.queryset = Pegawai.objects.filter(instansi=instansi, aktif=True).order_by("nama")
        periode.queryset = (
            PeriodePenilaian.objects.filter(periode__instansi=instansi)
            .select_related("periode")
            .order_by("-periode__tahun", "nomor")
        )
