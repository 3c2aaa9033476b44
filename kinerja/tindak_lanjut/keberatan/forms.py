"""Forms of the keberatan pages. They only parse input: who may act, the window, required reasons and the
attachments' checks are the service's (`services_keberatan`), whose ValidationError is put back on the
form by `kinerja.common.forms.apply_errors`."""

from __future__ import annotations

from typing import Any

from django import forms

from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.rules.types import Rating
from kinerja.tindak_lanjut.keberatan.services import MAKS_LAMPIRAN

PILIHAN_RATING = [(r.value, r.label) for r in Rating]
TEKS = {"class": "form-control", "rows": 4}
SELECT = {"class": "form-select"}


class BanyakBerkasInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BanyakBerkasField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            BanyakBerkasInput(
                attrs={"class": "form-control", "accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(BanyakBerkasField, self).clean(d, initial) for d in items if d]


class AjukanForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan keberatan",
        required=False,
        widget=forms.Textarea(attrs={**TEKS, "rows": 6}),
        help_text="Jelaskan bagian penilaian yang Anda keberatan dan alasannya. Wajib diisi.",
    )
    lampiran = BanyakBerkasField(
        label="Lampiran (boleh lebih dari satu)",
        required=False,
        help_text=f"PDF, gambar, atau dokumen Office; paling banyak {MAKS_LAMPIRAN} berkas.",
    )


class TarikForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan menarik keberatan (boleh kosong)",
        required=False,
        widget=forms.Textarea(attrs={**TEKS, "rows": 2}),
    )


class JelaskanForm(forms.Form):
    penjelasan = forms.CharField(
        label="Penjelasan pejabat penilai", required=False, widget=forms.Textarea(attrs=TEKS)
    )


class PutuskanForm(forms.Form):
    keputusan = forms.ChoiceField(
        label="Keputusan",
        choices=[("ditolak", "Ditolak — predikat tetap"), ("dikabulkan", "Dikabulkan — rating diubah")],
        widget=forms.RadioSelect,
        required=False,
    )
    rating_hasil = forms.ChoiceField(label="Rating hasil kerja", choices=PILIHAN_RATING, required=False)
    rating_perilaku = forms.ChoiceField(label="Rating perilaku kerja", choices=PILIHAN_RATING, required=False)
    pertimbangan = forms.CharField(
        label="Pertimbangan keputusan", required=False, widget=forms.Textarea(attrs=TEKS)
    )
    # The decision is final and cannot be undone: the page asks to confirm it (checked on the server too,
    # so it holds without JavaScript), like finalising a group.
    konfirmasi = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("rating_hasil", "rating_perilaku"):
            self.fields[name].widget.attrs.update(SELECT)


class AlihkanForm(forms.Form):
    pemutus = forms.ModelChoiceField(
        label="Pemutus keberatan",
        queryset=Pegawai.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        empty_label="— pilih pegawai —",
    )
    alasan = forms.CharField(
        label="Alasan / dasar penunjukan", required=False, widget=forms.Textarea(attrs={**TEKS, "rows": 2})
    )

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Pegawai.objects.filter(instansi=instansi, aktif=True).order_by("nama")
        self.fields["pemutus"].queryset = qs  # type: ignore[attr-defined]
        self.fields["pemutus"].label_from_instance = lambda p: f"{p.nama_lengkap} ({p.nip})"  # type: ignore[attr-defined]
