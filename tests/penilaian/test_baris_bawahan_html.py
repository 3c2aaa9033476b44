"""The evaluation lists' rows written in Python (`kinerja.penilaian.evaluasi.baris_html`) are the markup of
`evaluasi/_baris_bawahan.html`, byte for byte, in every state a row can have on the penilai's and the
admin's lists."""

from __future__ import annotations

import itertools

import pytest
from django.template.loader import render_to_string

from kinerja.penilaian.evaluasi import baris_html
from kinerja.penilaian.evaluasi.selectors import BarisBawahan, EvaluasiBaris

# No database: the rows are plain values (the package's autouse deadline fixture is left out).
pytestmark = pytest.mark.data_kecil

TOKEN = "tokencsrf&1"

EVALUASI = [None, EvaluasiBaris(9, "draft", False, False), EvaluasiBaris(9, "final", True, True)]
# (jumlah_rhk, rhk_tanpa_realisasi, jumlah_indikator, indikator_terisi)
REALISASI = [(0, 0, 0, 0), (3, 2, 5, 1), (3, 0, 5, 5), (3, 0, 5, 3)]
# (boleh_buka, boleh_nilai, kolom_penilai, penilai_nama): the penilai's list, the admin's (with its column)
HALAMAN = [(True, True, False, "Budi"), (False, False, True, "Budi <Kepala> & co"), (False, False, True, "")]


def _baris(ev, draf, terkunci, final, predikat, rating, realisasi, penilai_nama):  # type: ignore[no-untyped-def]
    b = BarisBawahan(11, 21, 'Ani "A" <b>&', "1990<01>", "Analis & Pranata", penilai_nama, evaluasi=ev)
    b.jumlah_rhk, b.rhk_tanpa_realisasi, b.jumlah_indikator, b.indikator_terisi = realisasi
    b.realisasi_lengkap = b.indikator_terisi >= b.jumlah_indikator
    b.status_label, b.status_kelas = "Draf <1>", "text-bg-light"
    b.keterangan_draf = "Menunggu rating & saran" if draf else ""
    b.terkunci, b.final = terkunci, final
    b.predikat, b.predikat_kelas = ("Baik <B>", "text-bg-success") if predikat else ("", "")
    b.rating_hasil, b.rating_perilaku = ("Sesuai ekspektasi", "Di atas <ekspektasi>") if rating else ("", "")
    b.url = "/penilaian/evaluasi/9/?a=1&b=2" if ev else "/penilaian/mulai/11/"
    return b


# Django's {% csrf_token %} without a token calls format_html("") (deprecated there, not here).
@pytest.mark.filterwarnings(r"ignore:Calling format_html\(\) without passing args")
@pytest.mark.parametrize("halaman", HALAMAN)
@pytest.mark.parametrize("token", [TOKEN, "NOTPROVIDED"])
def test_baris_bawahan_adalah_templatnya(halaman: tuple[bool, bool, bool, str], token: str) -> None:
    boleh_buka, boleh_nilai, kolom_penilai, penilai_nama = halaman
    for ev, draf, terkunci, final, predikat, rating, realisasi in itertools.product(
        EVALUASI, [False, True], [False, True], [False, True], [False, True], [False, True], REALISASI
    ):
        b = _baris(ev, draf, terkunci, final, predikat, rating, realisasi, penilai_nama)
        konteks = {
            "b": b,
            "tab": {"kode": "2"},
            "boleh_buka": boleh_buka,
            "boleh_nilai": boleh_nilai,
            "kolom_penilai": kolom_penilai,
            "csrf_token": token,
        }
        # The reference file ends with a newline that the row, written inside the table's loop, has not.
        templat = render_to_string("penilaian/evaluasi/_baris_bawahan.html", konteks).removesuffix("\n")
        python = baris_html.baris_bawahan(
            b,
            kode_tab="2",
            csrf_token=token,
            boleh_buka=boleh_buka,
            boleh_nilai=boleh_nilai,
            kolom_penilai=kolom_penilai,
        )
        assert python == templat, (ev, draf, terkunci, final, predikat, rating, realisasi)
