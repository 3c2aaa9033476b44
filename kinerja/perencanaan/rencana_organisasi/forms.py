"""Forms of the organisation planning pages: sasaran strategis, Manual IKU/IKI, rows of a Perjanjian Kinerja.

Forms only parse and label; every rule (who may write, targets consistent with the year) lives in the
services, whose ValidationError messages the views put back on the fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse

from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.models import Jabatan, PeriodePenilaian, UnitKerja
from kinerja.perencanaan.models import ManualIndikator, PerjanjianKinerja, SasaranStrategis

PERIODE_PELAPORAN = ["Bulanan", "Triwulanan", "Semesteran", "Tahunan"]


def _normal(value: Decimal | None) -> str | None:
    """A stored decimal as the user typed it ("85.0000" → "85")."""
    return None if value is None else f"{value.normalize():f}"


class SasaranForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SasaranStrategis
        fields = ["perspektif", "kode", "nama", "urutan"]
        labels = {"nama": "Sasaran strategis", "urutan": "Urutan"}
        widgets = {"nama": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, unit: UnitKerja, tahun: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit, self.tahun = unit, tahun
        self.fields["kode"].widget.attrs["placeholder"] = "mis. SS1"
        self.fields["urutan"].required = False

    def clean_kode(self) -> str:
        kode = self.cleaned_data["kode"].strip()
        clash = SasaranStrategis.objects.filter(unit=self.unit, tahun=self.tahun, kode=kode)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Kode {kode} sudah dipakai sasaran lain tahun {self.tahun}.")
        return kode

    def clean_urutan(self) -> int:
        return self.cleaned_data.get("urutan") or 0


class ManualForm(BootstrapMixin, forms.ModelForm):
    """Every field of a Manual IKU/IKI, plus one target field per periode of the year's scheme."""

    periode_pelaporan = forms.ChoiceField(label="Periode pelaporan", choices=[])

    class Meta:
        model = ManualIndikator
        fields = [
            "jenis",
            "sasaran",
            "kode",
            "nama",
            "deskripsi",
            "formula",
            "satuan",
            "polaritas",
            "konsolidasi",
            "sumber_data",
            "periode_pelaporan",
            "penanggung_jawab",
            "target_tahun",
        ]
        labels = {"target_tahun": "Target tahunan"}
        help_texts = {
            "formula": "Cara menghitung capaian, mis. layanan selesai tepat waktu ÷ seluruh layanan × 100%.",
            "konsolidasi": "Cara nilai per periode digabung menjadi nilai tahunan.",
            "satuan": "mis. %, indeks, dokumen, orang.",
        }
        widgets = {
            "nama": forms.Textarea(attrs={"rows": 2}),
            "deskripsi": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        unit: UnitKerja,
        tahun: int,
        periode_penilaian: list[PeriodePenilaian],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit, self.tahun, self.periode_penilaian = unit, tahun, periode_penilaian
        sasaran = self.fields["sasaran"]
        sasaran.queryset = SasaranStrategis.objects.filter(unit=unit, tahun=tahun).order_by(
            "perspektif", "kode"
        )
        sasaran.label_from_instance = lambda s: f"{s.kode} {s.nama}"
        sasaran.empty_label = "— tanpa sasaran strategis —"
        # The penanggung jawab of an IKU is a pimpinan (structural) post; keep the current value selectable.
        jabatan = Jabatan.objects.filter(instansi_id=unit.instansi_id, pimpinan_unit=True)
        if self.instance.penanggung_jawab_id:
            jabatan = jabatan | Jabatan.objects.filter(pk=self.instance.penanggung_jawab_id)
        pj = self.fields["penanggung_jawab"]
        pj.queryset = jabatan.order_by("path")
        pj.label_from_instance = lambda j: f"{'— ' * j.depth}{j.nama}"
        choices = [(p, p) for p in PERIODE_PELAPORAN]
        current = self.instance.periode_pelaporan or "Triwulanan"
        if current not in PERIODE_PELAPORAN:
            choices.append((current, current))
        self.fields["periode_pelaporan"].choices = choices
        self.fields["periode_pelaporan"].initial = current
        self.fields["target_tahun"].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        existing = {t.nomor: t.target for t in self.instance.target_periode.all()} if self.instance.pk else {}
        if self.instance.pk:
            self.initial["target_tahun"] = _normal(self.instance.target_tahun)
        for pp in periode_penilaian:
            self.fields[f"target_{pp.nomor}"] = forms.DecimalField(
                label=pp.nama,
                required=False,
                max_digits=18,
                decimal_places=4,
                initial=_normal(existing.get(pp.nomor)),
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "inputmode": "decimal", "step": "any"}
                ),
            )

    def clean_kode(self) -> str:
        kode = self.cleaned_data["kode"].strip()
        clash = ManualIndikator.objects.filter(unit=self.unit, tahun=self.tahun, kode=kode)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Kode {kode} sudah dipakai indikator lain tahun {self.tahun}.")
        return kode

    def model_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def target_periode(self) -> dict[int, Decimal | None]:
        return {pp.nomor: self.cleaned_data.get(f"target_{pp.nomor}") for pp in self.periode_penilaian}

    def definisi_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self._meta.fields if name != "target_tahun"]

    def target_row(self) -> list[forms.BoundField]:
        """The yearly target then one field per periode; all marked invalid when the targets disagree."""
        return [self["target_tahun"]] + [self[f"target_{pp.nomor}"] for pp in self.periode_penilaian]

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names = [f.name for f in self.target_row()] if field == "target_tahun" else [field] if field else []
        for name in names:
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            if field == "target_tahun":
                attrs["aria-describedby"] = "id_target_tahun_errors"


class PkIndikatorForm(BootstrapMixin, forms.Form):
    """One row of a Perjanjian Kinerja: a sasaran of the unit, then an IKU of that sasaran, and its target."""

    sasaran = forms.ModelChoiceField(label="Sasaran strategis", queryset=SasaranStrategis.objects.none())
    manual = forms.ModelChoiceField(label="Indikator kinerja (IKU)", queryset=ManualIndikator.objects.none())
    target_tahun = forms.DecimalField(label="Target", max_digits=18, decimal_places=4)

    def __init__(self, *args: Any, perjanjian: PerjanjianKinerja, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tahun = perjanjian.periode.tahun
        sasaran = self.fields["sasaran"]
        sasaran.queryset = SasaranStrategis.objects.filter(unit_id=perjanjian.unit_id, tahun=tahun).order_by(
            "perspektif", "urutan", "kode"
        )
        sasaran.label_from_instance = lambda s: f"{s.kode} {s.nama}"
        manual = self.fields["manual"]
        manual.queryset = ManualIndikator.objects.filter(
            unit_id=perjanjian.unit_id, tahun=tahun, sasaran__isnull=False
        ).order_by("kode")
        manual.label_from_instance = lambda m: f"{m.kode} {m.nama} ({m.satuan})"
        self.fields["target_tahun"].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        # Changing a select asks the server for the form again: IKU of the sasaran, default target.
        refresh = {
            "hx-get": reverse("rencana:pk_indikator_form", args=[perjanjian.pk]),
            "hx-include": "#pk-form",
            "hx-target": "#pk-form",
            "hx-swap": "outerHTML",
        }
        sasaran.widget.attrs.update(refresh)
        manual.widget.attrs.update(refresh)

    def limit_manual(self, sasaran: SasaranStrategis | None) -> None:
        """Offer only the IKU of the chosen sasaran (none until a sasaran is picked)."""
        field = self.fields["manual"]
        field.queryset = field.queryset.filter(sasaran=sasaran) if sasaran else field.queryset.none()
        field.empty_label = "— pilih IKU sasaran ini —" if sasaran else "— pilih sasaran dahulu —"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        sasaran, manual = data.get("sasaran"), data.get("manual")
        if sasaran and manual and manual.sasaran_id != sasaran.pk:
            self.add_error("manual", "IKU ini bukan indikator sasaran strategis yang dipilih.")
        return data
