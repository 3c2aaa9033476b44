"""Forms of the SKP pages. They only parse input; the services decide what is valid and who may write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.models import PeriodePenilaian
from kinerja.perencanaan import services
from kinerja.perencanaan.models import PerjanjianKinerjaIndikator, Rhk, Skp, SkpLampiran
from kinerja.rules import Aspek, JenisRhk, Konsolidasi, Perspektif, Polaritas
from kinerja.rules.capaian import PESAN_RENTANG_SUM


def _potong(teks: str, n: int = 140) -> str:
    return teks if len(teks) <= n else teks[: n - 1].rstrip() + "…"


class IntervensiChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rhk) -> str:
        jenis = "" if obj.jenis == JenisRhk.UTAMA.value else " (tambahan)"
        return _potong(obj.teks) + jenis


class IkuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PerjanjianKinerjaIndikator) -> str:
        target = f"{obj.target_tahun.normalize():f} {obj.manual.satuan}"
        return f"{obj.manual.kode} {_potong(obj.manual.nama, 100)} — target {target}"


class RhkForm(BootstrapMixin, forms.Form):
    teks = forms.CharField(
        label="Rencana hasil kerja",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Tuliskan sebagai hasil, bukan kegiatan: "Tersusunnya …", "Terwujudnya …", '
        '"Meningkatnya …".',
    )
    jenis = forms.ChoiceField(label="Jenis RHK", choices=JenisRhk.choices(), initial=JenisRhk.UTAMA.value)

    def __init__(self, *args: Any, skp: Skp, **kwargs: Any) -> None:
        self.skp = skp
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        if skp.penilai_id is not None:
            fields["intervensi"] = IntervensiChoiceField(
                label="RHK pimpinan yang diintervensi",
                queryset=services.pilihan_intervensi(skp),
                required=False,
                empty_label="— pilih RHK pejabat penilai —",
                help_text=f"RHK dari SKP {skp.penilai_nama or 'pejabat penilai'} yang didukung oleh RHK ini. "
                "Wajib untuk RHK utama.",
                error_messages={
                    "invalid_choice": "RHK yang diintervensi harus salah satu RHK pejabat penilai Anda."
                },
            )
        if skp.jabatan.is_jpt:
            fields["pk_indikator"] = IkuChoiceField(
                label="IKU Perjanjian Kinerja",
                queryset=PerjanjianKinerjaIndikator.objects.filter(
                    perjanjian__pegawai_id=skp.pegawai_id, perjanjian__periode_id=skp.periode_id
                ).select_related("manual"),
                required=False,
                empty_label="— pilih IKU —",
                error_messages={"invalid_choice": "IKU harus dari Perjanjian Kinerja Anda sendiri."},
            )
            fields["perspektif"] = forms.ChoiceField(
                label="Perspektif",
                choices=[("", "— pilih perspektif —"), *Perspektif.choices()],
                required=False,
                help_text="SKP JPT harus mencakup keempat perspektif, termasuk anggaran.",
            )
        for name, field in fields.items():
            self.fields[name] = field
        # BootstrapMixin styled the fields present at its __init__; style the added ones too.
        for name in fields:
            widget = self.fields[name].widget
            widget.attrs.setdefault("class", "form-select")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "teks": data["teks"],
            "jenis": data["jenis"],
            "intervensi": data.get("intervensi"),
            "pk_indikator": data.get("pk_indikator"),
            "perspektif": data.get("perspektif") or "",
        }


def _ringkas(angka: Decimal | None) -> Decimal | None:
    """85.0000 → 85 (without exponent), so an edit form shows the number as it was typed."""
    return None if angka is None else Decimal(f"{angka.normalize():f}")


def _periode_field_name(periode: PeriodePenilaian) -> str:
    return f"periode_{periode.nomor}"


class IndikatorForm(BootstrapMixin, forms.Form):
    """Adapts to the SKP model: kuantitatif (angka + satuan + polaritas + konsolidasi) or kualitatif (text);
    one target input per periode of the year's scheme, labelled by the periode's name ("Triwulan I")."""

    aspek = forms.ChoiceField(label="Aspek", choices=Aspek.choices())
    teks = forms.CharField(label="Indikator kinerja individu", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, skp: Skp, periode_list: list[PeriodePenilaian], **kwargs: Any) -> None:
        self.skp = skp
        self.periode_list = periode_list
        super().__init__(*args, **kwargs)
        angka = {"localize": True, "required": False, "max_digits": 18, "decimal_places": 4}
        decimal_widget = {"inputmode": "decimal", "autocomplete": "off"}
        if skp.is_kuantitatif:
            self.fields["target_angka"] = forms.DecimalField(
                label="Target tahunan", widget=forms.TextInput(attrs=decimal_widget), **angka
            )
            self.fields["satuan"] = forms.CharField(
                label="Satuan", max_length=40, required=False, help_text="mis. dokumen, laporan, %, hari"
            )
            self.fields["target_angka_atas"] = forms.DecimalField(
                label="Batas atas (bila target berupa rentang)",
                widget=forms.TextInput(attrs=decimal_widget),
                **angka,
            )
            self.fields["polaritas"] = forms.ChoiceField(
                label="Polaritas", choices=Polaritas.choices(), initial=Polaritas.MAXIMIZE.value
            )
            self.fields["konsolidasi"] = forms.ChoiceField(
                label="Konsolidasi periode",
                choices=Konsolidasi.choices(),
                initial=Konsolidasi.SUM.value,
                help_text=(
                    "Cara target per periode membentuk target tahunan; target rentang: rata-rata atau "
                    "nilai terakhir."
                ),
            )
            for p in periode_list:
                self.fields[_periode_field_name(p)] = forms.DecimalField(
                    label=p.nama, widget=forms.TextInput(attrs=decimal_widget), **angka
                )
        else:
            self.fields["target_teks"] = forms.CharField(
                label="Target (ukuran keberhasilan)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for p in periode_list:
                self.fields[_periode_field_name(p)] = forms.CharField(
                    label=p.nama, max_length=300, required=False
                )
        for name, field in self.fields.items():
            if name not in ("aspek", "teks"):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # A range is a level, never summed over the periods (docs/rules.md §4); the service checks it too.
        if (
            self.skp.is_kuantitatif
            and data.get("target_angka_atas") is not None
            and data.get("konsolidasi") == Konsolidasi.SUM.value
        ):
            self.add_error("konsolidasi", PESAN_RENTANG_SUM)
        return data

    @property
    def periode_fields(self) -> list[forms.BoundField]:
        return [self[_periode_field_name(p)] for p in self.periode_list]

    @staticmethod
    def initial_from(indikator: Any) -> dict[str, Any]:
        initial = {
            "aspek": indikator.aspek,
            "teks": indikator.teks,
            "target_angka": _ringkas(indikator.target_angka),
            "target_angka_atas": _ringkas(indikator.target_angka_atas),
            "satuan": indikator.satuan,
            "target_teks": indikator.target_teks,
            "polaritas": indikator.polaritas,
            "konsolidasi": indikator.konsolidasi,
        }
        for t in indikator.target_periode.all():
            initial[f"periode_{t.nomor}"] = (
                _ringkas(t.target_angka) if t.target_angka is not None else t.target_teks
            )
        return initial

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {
            "aspek": data["aspek"],
            "teks": data["teks"],
            "target_periode": {p.nomor: data.get(_periode_field_name(p)) for p in self.periode_list},
        }
        if self.skp.is_kuantitatif:
            kwargs.update(
                target_angka=data.get("target_angka"),
                target_angka_atas=data.get("target_angka_atas"),
                satuan=data.get("satuan") or "",
                polaritas=data["polaritas"],
                konsolidasi=data["konsolidasi"],
            )
        else:
            kwargs["target_teks"] = data.get("target_teks") or ""
        return kwargs


class LampiranForm(BootstrapMixin, forms.Form):
    kategori = forms.ChoiceField(
        label="Kategori",
        choices=[(k, label) for k, label in SkpLampiran.Kategori.choices if k],
        required=False,
    )
    teks = forms.CharField(label="Uraian", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, jenis: str, **kwargs: Any) -> None:
        self.jenis = jenis
        kwargs.setdefault("prefix", jenis)
        super().__init__(*args, **kwargs)
        if jenis != SkpLampiran.Jenis.DUKUNGAN:
            del self.fields["kategori"]


class EkspektasiForm(BootstrapMixin, forms.Form):
    teks = forms.CharField(
        label="Ekspektasi khusus pimpinan",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Pilih dari pustaka instansi atau ketik ekspektasi baru. Kosongkan untuk menghapus.",
    )
    simpan_ke_pustaka = forms.BooleanField(label="Simpan ke pustaka instansi", required=False)

    def __init__(self, *args: Any, kode: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"eks-{kode}")
        super().__init__(*args, **kwargs)
        self.fields["teks"].widget.attrs["list"] = f"pustaka-{kode}"


class KembalikanForm(BootstrapMixin, forms.Form):
    catatan = forms.CharField(
        label="Catatan untuk pegawai",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Jelaskan apa yang harus diperbaiki. Wajib diisi.",
        error_messages={"required": "Catatan pengembalian wajib diisi."},
    )
