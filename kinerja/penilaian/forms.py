"""Forms of the evaluation pages. They only parse input: every rule (a reason for an override, for an
adjustment or a reopening; the gate; who may act) is the service's, whose ValidationError is put back on
the form by `kinerja.common.forms.apply_errors`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from kinerja.common import widget
from kinerja.organisasi.models import PANGKAT_GOLONGAN_CHOICES
from kinerja.penilaian.services_sekaligus import Isian
from kinerja.rules.types import Rating

PILIHAN_RATING = [(r.value, r.label) for r in Rating]
SELECT = {"class": "form-select form-select-sm"}
TEKS = {"class": "form-control form-control-sm", "rows": 2}
INPUT = {"class": "form-control form-control-sm"}


class RatingRhkForm(forms.Form):
    """A form per RHK and per perilaku on the page: its widgets write their markup in Python
    (`kinerja.common.widget`, the same HTML as Django's templates) to keep the page cheap."""

    rating = forms.ChoiceField(
        label="Rating",
        choices=[("", "— belum dinilai —"), *PILIHAN_RATING],
        required=False,
        error_messages={"invalid_choice": "Pilih salah satu rating."},
        widget=widget.Select,
    )
    catatan = forms.CharField(
        label="Catatan", required=False, max_length=4000, widget=widget.Textarea(attrs={**TEKS, "rows": 1})
    )


class TanpaRealisasiForm(forms.Form):
    tanpa = forms.BooleanField(
        label="Tidak ada realisasi pada periode ini", required=False, widget=widget.CheckboxInput
    )
    alasan = forms.CharField(
        label="Alasan", required=False, max_length=4000, widget=widget.Textarea(attrs={**TEKS, "rows": 1})
    )


class RatingPerilakuForm(RatingRhkForm):
    pass


class TetapkanForm(forms.Form):
    """The penilai's decision: blank accepts the suggestion; another rating needs a reason (service)."""

    rating_hasil = forms.ChoiceField(
        label="Rating hasil kerja", choices=[("", "Terima saran"), *PILIHAN_RATING], required=False
    )
    alasan_hasil = forms.CharField(
        label="Alasan bila berbeda dari saran", required=False, widget=forms.Textarea(attrs=TEKS)
    )
    rating_perilaku = forms.ChoiceField(
        label="Rating perilaku kerja", choices=[("", "Terima saran"), *PILIHAN_RATING], required=False
    )
    alasan_perilaku = forms.CharField(
        label="Alasan bila berbeda dari saran", required=False, widget=forms.Textarea(attrs=TEKS)
    )
    catatan = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs=TEKS))
    rekomendasi = forms.CharField(label="Rekomendasi", required=False, widget=forms.Textarea(attrs=TEKS))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name in ("rating_hasil", "rating_perilaku"):
            self.fields[name].widget.attrs.update(SELECT)


class SesuaikanForm(forms.Form):
    """The atasan pejabat penilai adjusts a rating while calibrating; the reason is always required."""

    rating_hasil = forms.ChoiceField(
        label="Rating hasil kerja", choices=[("", "Tidak diubah"), *PILIHAN_RATING], required=False
    )
    rating_perilaku = forms.ChoiceField(
        label="Rating perilaku kerja", choices=[("", "Tidak diubah"), *PILIHAN_RATING], required=False
    )
    alasan = forms.CharField(label="Alasan penyesuaian", required=False, widget=forms.Textarea(attrs=TEKS))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name in ("rating_hasil", "rating_perilaku"):
            self.fields[name].widget.attrs.update(SELECT)


class BukaKembaliForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan membuka kembali", required=False, widget=forms.Textarea(attrs=TEKS)
    )


class BukaKunciForm(forms.Form):
    alasan = forms.CharField(label="Alasan membuka kunci", required=False, widget=forms.Textarea(attrs=TEKS))


def set_widget_classes(form: forms.Form) -> forms.Form:
    """Bootstrap classes on the small row forms (selects and textareas)."""
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select form-select-sm")
        elif isinstance(f.widget, forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-check-input")
    return form


class TetapkanEksternalForm(TetapkanForm):
    """The admin enters the decision of a penilai outside the instansi: the ratings with the decision's
    number and date (required: the service names what is missing) and optionally its scan."""

    keputusan_nomor = forms.CharField(
        label="Nomor keputusan penilai", required=False, max_length=100, widget=forms.TextInput(attrs=INPUT)
    )
    keputusan_tanggal = forms.DateField(
        label="Tanggal keputusan",
        required=False,
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Tanggal keputusan tidak sah; isi dengan format tahun-bulan-tanggal."},
    )
    keputusan_berkas = forms.FileField(
        label="Pindaian keputusan (PDF/gambar, opsional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
    )


class PenilaiEksternalForm(forms.Form):
    """One external penilai for a pegawai and the year (or one periode penilaian); the service validates."""

    pegawai = forms.ModelChoiceField(
        label="Pegawai yang dinilai",
        queryset=None,
        empty_label="— pilih pegawai —",
        error_messages={
            "required": "Pilih pegawai yang dinilai.",
            "invalid_choice": "Pilih pegawai yang ada di instansi ini.",
        },
    )
    periode_penilaian = forms.ModelChoiceField(
        label="Periode penilaian", queryset=None, required=False, empty_label="Sepanjang tahun"
    )
    status = forms.ChoiceField(
        label="Status penilai",
        choices=[("ASN", "ASN (NIP)"), ("NON ASN", "NON ASN (NIK), mis. bupati/wali kota")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )
    nama = forms.CharField(label="Nama (dengan gelar)", required=False, max_length=200)
    nomor_identitas = forms.CharField(label="NIP (ASN) atau NIK (NON ASN)", required=False, max_length=40)
    jabatan = forms.CharField(label="Jabatan", required=False, max_length=200)
    golongan = forms.ChoiceField(label="Pangkat/golongan (opsional untuk NON ASN)", required=False)
    instansi_penilai = forms.CharField(label="Instansi", required=False, max_length=200)

    def __init__(self, *args, pegawai=None, periode_penilaian=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["pegawai"].queryset = pegawai  # type: ignore[attr-defined]
        self.fields["periode_penilaian"].queryset = periode_penilaian  # type: ignore[attr-defined]
        self.fields["golongan"].choices = [("", "—"), *PANGKAT_GOLONGAN_CHOICES]  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name == "status":
                continue
            field.widget.attrs.update(SELECT if isinstance(field, forms.ChoiceField) else INPUT)


def isian_sekaligus(
    data: Any, rows: Iterable[Any], perilaku: Iterable[Any]
) -> tuple[dict[int, Isian], dict[str, Isian]]:
    """The one-pass form's input (docs/rules.md §33): ``rhk-<row id>-rating`` / ``-catatan`` and
    ``perilaku-<KODE>-rating`` / ``-catatan`` for the rows of the evaluation (``rows``, ``perilaku``). A row
    whose fields are absent is left out (kept as it is); the service validates the values."""
    rhk: dict[int, Isian] = {}
    for r in rows:
        k = f"rhk-{r.pk}-"
        if k + "rating" in data or k + "catatan" in data:
            rhk[r.pk] = Isian(data.get(k + "rating", r.rating), data.get(k + "catatan", r.catatan))
    nilai: dict[str, Isian] = {}
    for p in perilaku:
        k = f"perilaku-{p.kode}-"
        if k + "rating" in data or k + "catatan" in data:
            nilai[p.kode] = Isian(data.get(k + "rating", p.rating), data.get(k + "catatan", p.catatan))
    return rhk, nilai
