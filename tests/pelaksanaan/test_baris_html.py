"""The realisasi page's indikator rows and rencana aksi blocks written in Python
(`kinerja.pelaksanaan.baris_html`) are the markup of `realisasi/_indikator.html` and `_rencana_aksi.html`,
which the htmx answers render, byte for byte, in every state of a row and of a block as the page shows it."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.organisasi.models import Pegawai, PeriodePenilaian, User
from kinerja.pelaksanaan import baris_html, views
from kinerja.pelaksanaan.forms import RealisasiForm
from kinerja.pelaksanaan.models import Realisasi, RencanaAksi
from kinerja.pelaksanaan.selectors import BarisIndikator
from kinerja.perencanaan.models import Indikator, Rhk
from kinerja.rules import realisasi as realisasi_rules
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
        return views._form_realisasi(b)  # the entry form as the view builds it, the realisasi's values
    data = {f"{prefix}-versi": "-1", f"{prefix}-narasi": "x" * 4001}
    data[f"{prefix}-nilai_angka" if b.numerik else f"{prefix}-nilai_teks"] = (
        "dua <belas>" if b.numerik else ""
    )
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
        *itertools.product(
            [True, False], ["belum", "lengkap", "singkat"], ["baca", "kosong"], [False], [False]
        ),
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
    if keadaan == "kosong":  # the page: the same inputs written without a form per row
        form, b.form = b.form, None
        with timezone.override("Asia/Jakarta"):
            assert baris_html.baris_indikator(b, PERIODE, TOKEN, tersimpan=tersimpan, isian=True) == template
        b.form = form
    if b.form is not None:
        assert f'value="{TOKEN.replace("&", "&amp;")}"' in python
    if keadaan == "galat":
        assert "Realisasi ini baru saja diubah &lt;orang lain&gt;." in python
    if b.realisasi is not None:
        assert "10 Maret 2026 06.41" in python  # the local time, as the template's date filter shows it


def _aksi(pk: int, teks: str, oleh: str) -> RencanaAksi:
    a = RencanaAksi(
        pk=pk, teks=teks, versi=pk + 2, diubah_pada=datetime.datetime(2026, 4, 1, 2, 5, tzinfo=datetime.UTC)
    )
    a.url_ubah = f"/realisasi/rencana-aksi/{pk}/ubah/"  # type: ignore[attr-defined]
    a.url_hapus = f"/realisasi/rencana-aksi/{pk}/hapus/"  # type: ignore[attr-defined]
    a.oleh = oleh  # type: ignore[attr-defined]
    return a


@pytest.mark.parametrize("dapat_ubah", [True, False])
@pytest.mark.parametrize("banyak", [0, 1, 3])
def test_blok_rencana_aksi_sama_dengan_template(dapat_ubah, banyak) -> None:  # type: ignore[no-untyped-def]
    rhk = Rhk(pk=12, teks="RHK")
    rhk.url_rencana_aksi = "/realisasi/skp/1/rhk/12/periode/2/rencana-aksi/"  # type: ignore[attr-defined]
    aksi = [
        _aksi(n, f'Langkah <{n}> & "rinci"\nbaris dua', f"Dr. Siti & Ani {n}") for n in range(1, banyak + 1)
    ]
    status = realisasi_rules.StatusPengisian(boleh=dapat_ubah, alasan="", terlambat=False)
    with timezone.override("Asia/Jakarta"):
        template = render_to_string(
            "pelaksanaan/realisasi/_rencana_aksi.html",
            {
                "rhk": rhk,
                "rencana_aksi": aksi,
                "periode": PERIODE,
                "dapat_ubah": True,
                "status_rencana": status,
                "skp": None,
            },
        )
        python = baris_html.blok_rencana_aksi(rhk, aksi, PERIODE, dapat_ubah)
    assert python == template
    assert python.count("hx-confirm") == (banyak if dapat_ubah else 0)
    if banyak:
        assert "1 April 2026 09.05" in python  # local time


@settings(max_examples=400, deadline=None)
@given(
    nilai=st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.decimals(min_value=-1000, max_value=1000, places=4),
        st.integers(-(10**6), 10**6).map(lambda n: Decimal(n).scaleb(-3)),
        st.sampled_from([Decimal("0.005"), Decimal("-0.005"), Decimal("-0.004"), Decimal("100.00")]),
        st.sampled_from([None, "", 0, 1.005, 66.666, float("nan"), Decimal("NaN"), Decimal("-Infinity")]),
    ),
    bahasa=st.sampled_from(["id", "en", "de"]),
)
def test_floatformat_2_seperti_filter(nilai: object, bahasa: str) -> None:
    """The capaian badges' number is the filter's, for any value and language."""
    with translation.override(bahasa):
        assert baris_html.floatformat_2(nilai) == str(floatformat(nilai, "-2"))
