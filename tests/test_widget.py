"""`kinerja.common.widget` writes exactly the markup of Django's widget templates."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from kinerja.common import widget

ATTRS = [
    {},
    {"class": "form-control", "inputmode": "decimal", "autocomplete": "off"},
    {"rows": 2, "required": True, "disabled": False, "data-x": 'a"<b>&'},
]
NILAI = [None, "", "12,5", 'kutip " <tag> & amp', 0, 7, mark_safe("<b>aman</b>")]


@pytest.mark.parametrize(
    ("cepat", "django"),
    [
        (widget.TextInput, forms.TextInput),
        (widget.HiddenInput, forms.HiddenInput),
        (widget.Textarea, forms.Textarea),
        (widget.CheckboxInput, forms.CheckboxInput),
    ],
)
def test_markup_sama_dengan_template_django(cepat, django) -> None:  # type: ignore[no-untyped-def]
    for attrs in ATTRS:
        for nilai in NILAI:
            for extra in (None, {"id": "id_i7-nilai<"}):
                nama = 'i7-nilai"<'
                assert cepat(attrs=dict(attrs)).render(nama, nilai, extra) == django(
                    attrs=dict(attrs)
                ).render(nama, nilai, extra), (attrs, nilai, extra)


PILIHAN = [
    [],
    [("", "— belum dinilai —"), ("1", "Di bawah ekspektasi"), ("2", 'Sesuai "ekspektasi" <&>')],
    [("", "x"), ("grup <a>", [("1", "satu"), (2, "dua")]), ("b", mark_safe("<b>B</b>")), (0, "nol")],
]


def test_select_sama_dengan_template_django() -> None:
    for attrs in ATTRS:
        for pilihan in PILIHAN:
            for nilai in (None, "", "1", 2, "b", 0, "tidak ada"):
                for extra in (None, {"id": "id_r<"}):
                    cepat = widget.Select(attrs=dict(attrs), choices=pilihan).render('r"<', nilai, extra)
                    asli = forms.Select(attrs=dict(attrs), choices=pilihan).render('r"<', nilai, extra)
                    assert cepat == asli, (attrs, pilihan, nilai, extra)


def test_checkbox_dicentang_sama_dengan_template_django() -> None:
    for nilai in (True, False, None, "", "on", "x<"):
        assert widget.CheckboxInput().render("t", nilai, {"id": "i"}) == forms.CheckboxInput().render(
            "t", nilai, {"id": "i"}
        ), nilai


def test_form_realisasi_memakai_widget_cepat() -> None:
    from kinerja.pelaksanaan.forms import RealisasiForm

    for numerik in (True, False):
        form = RealisasiForm(numerik=numerik, satuan="laporan", prefix="i1")
        assert all(type(f.widget).__module__ == "kinerja.common.widget" for f in form.fields.values())


def test_form_rating_memakai_widget_cepat() -> None:
    from kinerja.penilaian.forms import RatingPerilakuForm, RatingRhkForm, TanpaRealisasiForm

    for kelas in (RatingRhkForm, TanpaRealisasiForm, RatingPerilakuForm):
        form = kelas()
        assert all(type(f.widget).__module__ == "kinerja.common.widget" for f in form.fields.values())
