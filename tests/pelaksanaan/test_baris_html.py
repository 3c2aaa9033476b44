"""The realisasi page's indikator rows written in Python (`kinerja.pelaksanaan.baris_html`) are the markup of
`realisasi/_indikator.html`, which the row's htmx answers render, byte for byte, in every state of a row."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, PeriodePenilaian, User
from kinerja.pelaksanaan import baris_html
from kinerja.pelaksanaan.forms import RealisasiForm
from kinerja.pelaksanaan.models import Realisasi
from kinerja.pelaksanaan.selectors import BarisIndikator
from kinerja.perencanaan.models import Indikator
from kinerja.rules.realisasi import Kumulatif

PERIODE = PeriodePenilaian(pk=3, nomor=2, nama="Triwulan <II>")
TOKEN = "tokencsrf&1"


def _indikator(numerik: bool, satuan: str) -> Indikator:
    return Indikator(
        pk=41,
        teks='Dokumen "rencana" <kerja> & laporan',
        aspek="kualitas",
        satuan=satuan,
        target_angka=Decimal(12) if numerik else None,
        target_teks="" if numerik else "Laporan tersusun",
        polaritas="minimize",
        konsolidasi="average",
    )


def _realisasi(numerik: bool, narasi: str, terlambat: bool, pengisi: User | None) -> Realisasi:
    r = Realisasi(
        pk=77,
        nilai_angka=Decimal("1250.5") if numerik else None,
        nilai_teks="" if numerik else "Baris satu\nbaris <dua>",
        narasi=narasi,
        terlambat=terlambat,
        versi=4,
        diubah_pada=datetime.datetime(2026, 3, 9, 23, 41, tzinfo=datetime.UTC),
    )
    r.diisi_oleh = pengisi
    return r


def _form(b: BarisIndikator, keadaan: str) -> RealisasiForm | None:
    if keadaan == "baca":
        return None
    prefix = f"i{b.indikator.pk}"
    if keadaan == "kosong":
        return RealisasiForm(numerik=b.numerik, satuan=b.indikator.satuan, initial={"versi": 0}, prefix=prefix)
    data = {f"{prefix}-versi": "-1", f"{prefix}-narasi": "x" * 4001}
    data[f"{prefix}-nilai_angka" if b.numerik else f"{prefix}-nilai_teks"] = "dua <belas>" if b.numerik else ""
    form = RealisasiForm(data, numerik=b.numerik, satuan=b.indikator.satuan, prefix=prefix)
    assert not form.is_valid()
    form.add_error(None, "Realisasi ini baru saja diubah <orang lain>.")
    return form


def _baris(numerik: bool, isi: str, keadaan: str) -> BarisIndikator:
    pengisi = User(pk=5, username="pengisi", first_name="Ani")
    pengisi.pegawai = Pegawai(pk=8, nama="Siti & Ani", gelar_depan="Dr.", gelar_belakang="M.Si")
    realisasi = {
        "belum": None,
        "lengkap": _realisasi(numerik, "Catatan <satu>\nbaris dua", True, pengisi),
        "singkat": _realisasi(numerik, "", False, None),
    }[isi]
    b = BarisIndikator(
        _indikator(numerik, "dokumen" if isi != "singkat" else ""),
        "12 dokumen" if numerik else "",
        realisasi,
        url_simpan="/realisasi/skp/1/indikator/41/periode/2/",
        url_bukti="/bukti/77/" if realisasi else "",
        url_bukti_halaman="/bukti/77/halaman/" if realisasi else "",
    )
    if numerik and realisasi is not None:
        b.capaian = Decimal("104.1667")
        b.kumulatif = Kumulatif(Decimal("1250.5"), Decimal(24), Decimal("52.10"), 2)
        b.nama_kumulatif = "s.d. Triwulan <II>"
    b.form = _form(b, keadaan)
    return b


@pytest.mark.parametrize(
    ("numerik", "isi", "keadaan", "tersimpan", "konflik"),
    [
        *itertools.product([True, False], ["belum", "lengkap", "singkat"], ["baca", "kosong"], [False], [False]),
        *itertools.product([True, False], ["belum", "lengkap"], ["galat"], [False, True], [False, True]),
        (True, "lengkap", "kosong", True, False),
    ],
)
def test_baris_sama_dengan_template(numerik, isi, keadaan, tersimpan, konflik) -> None:  # type: ignore[no-untyped-def]
    b = _baris(numerik, isi, keadaan)
    with timezone.override("Asia/Jakarta"):
        template = render_to_string(
            "pelaksanaan/realisasi/_indikator.html",
            {"b": b, "periode": PERIODE, "tersimpan": tersimpan, "konflik": konflik, "csrf_token": TOKEN},
        )
        python = baris_html.baris_indikator(b, PERIODE, TOKEN, tersimpan=tersimpan, konflik=konflik)
    assert python == template
    if b.form is not None:
        assert f'value="{TOKEN.replace("&", "&amp;")}"' in python
    if keadaan == "galat":
        assert "Realisasi ini baru saja diubah &lt;orang lain&gt;." in python
    if b.realisasi is not None:
        assert "10 Maret 2026 06.41" in python  # the local time, as the template's date filter shows it
