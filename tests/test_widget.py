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


def test_form_realisasi_memakai_widget_cepat() -> None:
    from kinerja.pelaksanaan.forms import RealisasiForm

    for numerik in (True, False):
        form = RealisasiForm(numerik=numerik, satuan="laporan", prefix="i1")
        assert all(type(f.widget).__module__ == "kinerja.common.widget" for f in form.fields.values())
