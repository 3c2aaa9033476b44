"""The realisasi page's per-row links and "oleh" names, built once per page in Python: the same text as
the `{% url %}` tags and the ``_oleh.html`` include they replace."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.organisasi.models import User
from kinerja.pelaksanaan import views
from kinerja.pelaksanaan.selectors import nama_pengubah


def test_nama_pengubah_seperti_oleh_html() -> None:
    assert nama_pengubah(None) == "sistem"
    assert nama_pengubah(User(username="operator", first_name="Sri", last_name="Wahyuni")) == "Sri Wahyuni"
    assert nama_pengubah(User(username="operator")) == "operator"


@pytest.mark.parametrize(
    "nilai", [(1, 2, 3), (987654322, 987654321, 4), (987654321, 987654322, 4), (45, 0, 987654320)]
)
def test_pola_url_sama_dengan_reverse(nilai: tuple[int, int, int]) -> None:
    skp, indikator, nomor = nilai
    simpan = views._pola("pelaksanaan:realisasi_simpan", skp, None, nomor)
    assert simpan(indikator) == reverse("pelaksanaan:realisasi_simpan", args=[skp, indikator, nomor])
    semua = views._pola("pelaksanaan:realisasi_simpan", None, None, None)
    assert semua(skp, indikator, nomor) == reverse(
        "pelaksanaan:realisasi_simpan", args=[skp, indikator, nomor]
    )
    tetap = views._pola("pelaksanaan:realisasi_simpan", 987654322, None, None)  # a fixed one like a marker
    assert tetap(indikator, nomor) == reverse(
        "pelaksanaan:realisasi_simpan", args=[987654322, indikator, nomor]
    )
    bukti = views._pola("pelaksanaan:bukti", None)
    assert bukti(indikator) == reverse("pelaksanaan:bukti", args=[indikator])
