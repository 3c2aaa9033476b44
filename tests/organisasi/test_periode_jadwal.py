"""The Periode page: deadlines are checked as a whole year (docs/rules.md §7), a refused one is named in
Indonesian beside its field with nothing saved, and every edit shows in the page's history (who, when,
from → to)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi import services
from kinerja.organisasi.models import Periode, User
from kinerja.rules.jadwal import Skema
from tests import builders as b


@pytest.fixture
def admin(db) -> User:  # type: ignore[no-untyped-def]
    return b.admin_instansi(b.InstansiFactory())


@pytest.fixture
def periode(admin: User) -> Periode:
    return services.create_periode(admin.admin_instansi, 2027, Skema.TRIWULANAN)


def _data(periode: Periode, **ubah: str) -> dict[str, str]:
    data = {
        "batas_skp": str(periode.batas_skp),
        "batas_evaluasi_tahunan": str(periode.batas_evaluasi_tahunan),
    }
    for pp in periode.periode_penilaian.all():
        data[f"realisasi_{pp.pk}"] = str(pp.batas_realisasi)
        data[f"evaluasi_{pp.pk}"] = str(pp.batas_evaluasi)
    return {**data, **ubah}


def _jumlah_query(fn) -> int:  # type: ignore[no-untyped-def]
    n = 0

    def hitung(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal n
        n += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(hitung):
        fn()
    return n


def _baris(label: str, dari: str, ke: str) -> str:
    return f'{label}: <span class="text-muted">{dari}</span> → <strong>{ke}</strong>'


def _tw(periode: Periode, nomor: int):  # type: ignore[no-untyped-def]
    return periode.periode_penilaian.get(nomor=nomor)


def _simpan_bawaan(periode: Periode) -> list[tuple]:
    return [(periode.batas_skp, periode.batas_evaluasi_tahunan)] + [
        (pp.batas_realisasi, pp.batas_evaluasi) for pp in periode.periode_penilaian.all()
    ]


@pytest.mark.parametrize(
    "ubah,field,pesan",
    [
        (
            {"batas_evaluasi_tahunan": "2099-12-31"},
            "batas_evaluasi_tahunan",
            "Batas evaluasi tahunan (31 Desember 2099) harus antara 1 Januari 2028 dan 31 Maret 2028",
        ),
        ({"batas_skp": "2027-11-30"}, "batas_skp", "Batas persetujuan SKP (30 November 2027) harus antara"),
        (
            {"evaluasi_1": "2027-04-02"},
            "evaluasi_1",
            "Triwulan I: batas evaluasi (2 April 2027) tidak boleh sebelum batas realisasi (5 April 2027).",
        ),
        (
            {"realisasi_2": "2027-12-31", "evaluasi_2": "2027-12-31"},
            "realisasi_2",
            "Triwulan II: batas realisasi (31 Desember 2027) harus antara akhir periode (30 Juni 2027)",
        ),
    ],
)
def test_nonsense_deadlines_are_refused_beside_their_field_and_nothing_is_saved(
    admin, periode, ubah, field, pesan
):
    sebelum = _simpan_bawaan(periode)
    pk = {n: _tw(periode, n).pk for n in (1, 2)}
    data = {"batas_skp": "2027-02-15"}  # a valid change in the same post is not saved either
    for k, v in ubah.items():
        kind, _, nomor = k.partition("_")
        data[f"{kind}_{pk[int(nomor)]}" if kind in ("realisasi", "evaluasi") else k] = v
    resp = b.klien(admin).post(
        reverse("organisasi:periode_detail", args=[periode.pk]), _data(periode, **data)
    )
    assert resp.status_code == 200
    form = resp.context["form"]
    kind, _, nomor = field.partition("_")
    nama = f"{kind}_{pk[int(nomor)]}" if kind in ("realisasi", "evaluasi") else field
    assert any(pesan in e for e in form.errors[nama]), form.errors
    assert pesan in resp.content.decode()
    periode.refresh_from_db()
    assert _simpan_bawaan(periode) == sebelum


def test_every_edit_shows_in_the_periode_history_with_who_when_from_and_to(admin, periode):
    client = b.klien(admin)
    tw1 = _tw(periode, 1)
    url = reverse("organisasi:periode_detail", args=[periode.pk])
    resp = client.post(url, _data(periode, batas_skp="2027-02-15", **{f"evaluasi_{tw1.pk}": "2027-04-20"}))
    assert resp.status_code == 302
    html = client.get(url).content.decode()
    riwayat = html[html.index('id="riwayat-periode"') :]
    assert f"oleh {admin.get_full_name() or admin.username}" in riwayat
    assert _baris("Batas persetujuan SKP", "31 Januari 2027", "15 Februari 2027") in riwayat
    assert _baris("Triwulan I: batas evaluasi periodik", "10 April 2027", "20 April 2027") in riwayat
    assert "Periode dibuat" in riwayat
    # More edits do not cost more queries.
    sekali = _jumlah_query(lambda: client.get(url))
    for hari in range(21, 26):
        client.post(url, _data(periode, **{f"evaluasi_{tw1.pk}": f"2027-04-{hari}"}))
    html = ""

    def baca() -> None:
        nonlocal html
        html = client.get(url).content.decode()

    assert _jumlah_query(baca) <= sekali
    assert html.count("Triwulan I: batas evaluasi periodik") == 6


def test_service_reports_each_refused_deadline_by_its_form_field(periode):
    tw4 = _tw(periode, 4)
    with pytest.raises(ValidationError) as exc:
        services.update_periode_deadlines(
            periode,
            periode.batas_skp,
            datetime.date(2028, 1, 5),
            {tw4.pk: (tw4.batas_realisasi, tw4.batas_evaluasi)},  # TW IV is evaluated by 10 January
        )
    assert exc.value.message_dict == {
        f"evaluasi_{tw4.pk}": [
            "Triwulan IV: batas evaluasi (10 Januari 2028) tidak boleh sesudah batas evaluasi tahunan "
            "(5 Januari 2028)."
        ]
    }


def test_periode_page_writes_dates_and_times_in_the_long_form(admin, periode):
    # "1 Januari – 31 Maret 2027" and "6 Desember 2026 20.16", never "1 Jan" or "6 Des 2026 20:16".
    html = b.klien(admin).get(reverse("organisasi:periode_detail", args=[periode.pk])).content.decode()
    assert "1 Januari – 31 Maret 2027" in html and "1 Oktober – 31 Desember 2027" in html
    riwayat = html[html.index('id="riwayat-periode"') :]
    when = periode.history.earliest("history_date").history_date
    lokal = timezone.localtime(when)
    bulan = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ][lokal.month - 1]
    assert f"{lokal.day} {bulan} {lokal.year} {lokal:%H.%M}" in riwayat
