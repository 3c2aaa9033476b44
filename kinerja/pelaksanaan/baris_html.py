"""The realisasi page's indikator rows and rencana aksi blocks written in Python: the markup of
`realisasi/_indikator.html` and `realisasi/_rencana_aksi.html`, byte for byte, without the template engine.

A row of `_indikator.html` resolves some forty variables and tags (its entry form's bound fields, the capaian
badges, the "Terakhir diubah ... oleh ..." line), a rencana aksi block a dozen per action; on the realisasi
page, one row per indikator and one block per RHK, that was the largest part of the request. The page
(`views._halaman`) writes them here; the htmx answers (`views.realisasi_simpan`: one row after a save, with
the form's errors; `views.rencana_aksi` and friends: a block with its add or change form) keep rendering the
templates, which stay the reference: tests/pelaksanaan/test_baris_html.py compares the two in every state a
row or a block can have on the page and in those answers. A change of the markup is made in both, as
`kinerja.common.widget` does for Django's widget templates.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, getcontext
from typing import Any

from django.conf import settings
from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from kinerja.common.tanggal import waktu_singkat
from kinerja.pelaksanaan.forms import RealisasiForm
from kinerja.pelaksanaan.selectors import BarisIndikator, angka_tampil
from kinerja.perencanaan.models import Indikator


def _e(value: Any) -> str:
    """``{{ value }}`` under autoescape. A plain ``str`` (most values here) is escaped directly, as
    Django's ``escape`` does, without its lazy-argument wrapper (thousands of calls a page)."""
    if type(value) is str:
        return html.escape(value)
    return str(conditional_escape(value))


def _br(value: Any) -> str:
    """``{{ value|linebreaksbr }}`` under autoescape, a plain ``str`` without the filter's wrappers."""
    if type(value) is str:
        return html.escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
    return str(linebreaksbr(value, autoescape=True))


@functools.cache
def _label(field: str) -> dict[str, str]:
    """The choice labels of an `Indikator` field, read once (``get_FOO_display`` per row costs more)."""
    return {str(k): str(v) for k, v in Indikator._meta.get_field(field).flatchoices}


def _tampil(i: Any, field: str) -> str:
    """``i.get_<field>_display()``: the label of the value, or the value when it is not a choice."""
    nilai = getattr(i, field)
    return _label(field).get(nilai, nilai)  # type: ignore[no-any-return]


def _diubah(b: BarisIndikator) -> str:
    """``Terakhir diubah <date> oleh <name>`` with the late badge, as both branches of the row write it."""
    r = b.realisasi
    assert r is not None
    terlambat = ' <span class="badge text-bg-danger">terlambat</span>' if r.terlambat else ""
    diubah = _e(waktu_singkat(r.diubah_pada))
    return f'<span class="small text-muted">Terakhir diubah {diubah} oleh {_e(b.oleh)}{terlambat}</span>'


_SEPERATUS = Decimal("0.01")


def floatformat_2(nilai: Any) -> str:
    """``{{ nilai|floatformat:"-2" }}``: a whole number without decimals, else two decimals (rounded half
    up) after the language's decimal separator. Written here for a finite `Decimal` without thousands
    grouping (the capaian badges, twice a row): the filter's locale lookups cost more than the row's other
    numbers. Anything else goes to the filter; tests/pelaksanaan/test_baris_html.py compares the two."""
    if type(nilai) is not Decimal or not nilai.is_finite() or settings.USE_THOUSAND_SEPARATOR:
        return str(floatformat(nilai, "-2"))
    bulat = int(nilai)
    if bulat == nilai:
        return str(bulat)
    # the filter's precision: enough digits for the value and two decimals
    _, digits, exponent = nilai.as_tuple()
    assert isinstance(exponent, int)
    prec = max(getcontext().prec, 2 + len(digits) - exponent + 1)
    teks = f"{nilai.quantize(_SEPERATUS, ROUND_HALF_UP, Context(prec=prec)):f}"
    depan, _, belakang = teks.lstrip("-").partition(".")
    tanda = "-" if teks[0] == "-" and (depan.strip("0") or belakang.strip("0")) else ""
    pemisah = get_format("DECIMAL_SEPARATOR", get_language(), use_l10n=True)
    return f"{tanda}{depan}{pemisah}{belakang}"


def _galat(errors: Any) -> str:
    return "".join(f'<div class="errorlist">{_e(e)}</div>' for e in errors)


def _capaian(b: BarisIndikator, periode: Any) -> str:
    if not b.numerik:
        return ""
    i = b.indikator
    capaian = (
        f'<span class="badge {_e(b.kelas)} fs-6" title="Capaian periode">{floatformat_2(b.capaian)}%</span>'
        if b.capaian is not None
        else '<span class="text-muted">belum ada</span>'
    )
    k = b.kumulatif
    kumulatif = (
        f'<span class="badge {_e(b.kelas_kumulatif)}">{floatformat_2(k.capaian)}%</span>'
        f' <span class="text-muted">{_e(b.kumulatif_tampil)}</span>'
        if k
        else '<span class="text-muted">belum ada</span>'
    )
    return (
        f'\n        <dt class="col-5 col-sm-4 col-lg-5 fw-normal text-muted">Capaian {_e(periode.nama)}</dt>'
        f'\n        <dd class="col-7 col-sm-8 col-lg-7 mb-1">{capaian}</dd>'
        f'\n        <dt class="col-5 col-sm-4 col-lg-5 fw-normal text-muted">{_e(b.nama_kumulatif)}</dt>'
        f'\n        <dd class="col-7 col-sm-8 col-lg-7 mb-0">{kumulatif}</dd>'
        f'\n        <dd class="col-12 text-muted mb-0 mt-1" style="font-size:.75rem">'
        f"{_e(_tampil(i, 'polaritas'))} · {_e(_tampil(i, 'konsolidasi').lower())}</dd>\n        "
    )


@dataclass
class _Isian:
    """The entry inputs of a row as `_formulir` writes them: each input's HTML, the id its label points to,
    its errors; the form's own errors."""

    versi: str
    nilai: str
    nilai_id: str
    nilai_galat: Any
    narasi: str
    narasi_id: str
    narasi_galat: Any
    umum: Any


def _dari_form(form: Any, numerik: bool) -> _Isian:
    nilai, narasi = form["nilai_angka" if numerik else "nilai_teks"], form["narasi"]
    return _Isian(
        str(form["versi"]),
        str(nilai),
        nilai.id_for_label,
        nilai.errors,
        str(narasi),
        narasi.id_for_label,
        narasi.errors,
        form.non_field_errors(),
    )


_PREFIX, _VERSI, _NILAI, _NARASI = "i987654321", 987654322, "\x00nilai\x00", "\x00narasi\x00"


@functools.cache
def _pola_isian(numerik: bool) -> tuple[str, str, str, str, str, str]:
    """The inputs of an unbound `RealisasiForm` (as the view builds it: `views._form_realisasi`) with marker
    prefix and values, rendered once per process: ``versi``, the value input when filled and when empty
    (an empty text input has no ``value`` attribute), ``narasi``, and the two label ids."""
    initial = {"versi": _VERSI, "nilai_angka": _NILAI, "nilai_teks": _NILAI, "narasi": _NARASI}
    form = RealisasiForm(numerik=numerik, initial=initial, prefix=_PREFIX)
    kosong = RealisasiForm(
        numerik=numerik, initial={**initial, "nilai_angka": "", "nilai_teks": ""}, prefix=_PREFIX
    )
    nama = "nilai_angka" if numerik else "nilai_teks"
    return (
        str(form["versi"]),
        str(form[nama]),
        str(kosong[nama]),
        str(form["narasi"]),
        form[nama].id_for_label,
        form["narasi"].id_for_label,
    )


def _isi(pola: str, prefix: str, penanda: str, nilai: str) -> str:
    """``pola`` with its prefix marker replaced, then its one value marker (after: a value is never read
    for a marker)."""
    depan, _, belakang = pola.replace(_PREFIX, prefix).partition(penanda)
    return f"{depan}{nilai}{belakang}"


def _isian_baru(b: BarisIndikator) -> _Isian:
    """The inputs `views._form_realisasi` renders for the row (its realisasi's values, unbound), written
    from `_pola_isian` instead of a form per row: the same markup (tests/pelaksanaan/test_baris_html.py)."""
    versi, nilai, nilai_kosong, narasi, nilai_id, narasi_id = _pola_isian(b.numerik)
    prefix = f"i{b.indikator.pk}"
    r = b.realisasi
    isi = ""
    if r is not None:
        isi = angka_tampil(r.nilai_angka) if b.numerik else r.nilai_teks
    return _Isian(
        _isi(versi, prefix, str(_VERSI), str(b.versi)),
        _isi(nilai if isi else nilai_kosong, prefix, _NILAI, _e(isi)),
        nilai_id.replace(_PREFIX, prefix),
        (),
        _isi(narasi, prefix, _NARASI, _e(r.narasi) if r is not None and r.narasi else ""),
        narasi_id.replace(_PREFIX, prefix),
        (),
        (),
    )


def _formulir(
    b: BarisIndikator, form: _Isian, periode: Any, csrf_token: str, tersimpan: bool, konflik: bool
) -> str:
    i = b.indikator
    galat = form.umum
    umum = ""
    if galat:
        muat = (
            f'<a class="alert-link" href="?periode={periode.nomor}#ind-{i.pk}">Muat ulang halaman</a>'
            if konflik
            else ""
        )
        umum = (
            '\n        <div class="alert alert-danger py-1 px-2 small mb-2" role="alert">'
            f"{''.join(f'{_e(e)} ' for e in galat)}{muat}</div>\n        "
        )
    if b.numerik:
        satuan = f'<span class="input-group-text">{_e(i.satuan)}</span>' if i.satuan else ""
        nilai = (
            f'\n          <label class="form-label small mb-1" for="{_e(form.nilai_id)}">'
            f"Realisasi {_e(periode.nama)}</label>"
            '\n          <div class="input-group input-group-sm" style="max-width:18rem">\n            '
            f"{form.nilai}\n            {satuan}\n          </div>"
            f"\n          {_galat(form.nilai_galat)}\n        "
        )
    else:
        nilai = (
            f'\n          <label class="form-label small mb-1" for="{_e(form.nilai_id)}">'
            f"Realisasi {_e(periode.nama)}</label>\n          {form.nilai}"
            f"\n          {_galat(form.nilai_galat)}\n        "
        )
    token = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
        if csrf_token and csrf_token != "NOTPROVIDED"
        else ""
    )
    ok = (
        '<span class="small text-success" role="status"><i class="bi bi-check-circle" aria-hidden="true"></i>'
        " Tersimpan</span>"
        if tersimpan
        else ""
    )
    url = _e(b.url_simpan)
    return (
        f'\n      \n      <form method="post" action="{url}" hx-post="{url}" hx-target="#ind-{i.pk}"'
        f' hx-swap="outerHTML" novalidate data-antrean="realisasi"'
        f' data-antrean-judul="Realisasi {_e(periode.nama)}: {_e(Truncator(i.teks).chars(70))}">'
        f"\n        {token}{form.versi}\n        {umum}\n        {nilai}"
        f'\n        <label class="form-label small mb-1 mt-2" for="{_e(form.narasi_id)}">'
        "Penjelasan</label>"
        f"\n        {form.narasi}\n        {_galat(form.narasi_galat)}"
        '\n        <div class="d-flex flex-wrap align-items-center gap-2 mt-2">'
        '\n          <button type="submit" class="btn btn-primary btn-sm">Simpan realisasi</button>'
        f"\n          {ok}\n          {_diubah(b) if b.realisasi else ''}"
        "\n\n        </div>\n      </form>\n      "
    )


def _baca(b: BarisIndikator, periode: Any) -> str:
    r = b.realisasi
    if r is None:
        isi = '\n          <div class="text-muted small fst-italic">Belum diisi</div>\n        '
    else:
        narasi = f'<div class="small mt-1">{_br(r.narasi)}</div>' if r.narasi else ""
        isi = (
            f'\n          <div class="fw-semibold">{_br(b.realisasi_tampil)}</div>'
            f'\n          {narasi}\n          <div class="mt-1">{_diubah(b)}\n</div>\n        '
        )
    return (
        f'\n        <div class="small text-muted">Realisasi {_e(periode.nama)}</div>\n        {isi}\n      '
    )


def baris_indikator(
    b: BarisIndikator,
    periode: Any,
    csrf_token: str,
    *,
    tersimpan: bool = False,
    konflik: bool = False,
    isian: bool = False,
) -> SafeString:
    """The row `_indikator.html` renders for ``b`` in the periode: with its entry form when ``b.form`` holds
    one, or with the inputs a new unbound form would show when ``isian`` (the page: no form per row);
    ``csrf_token`` as the template's ``{% csrf_token %}`` writes it."""
    i = b.indikator
    form = b.form
    if form:
        kanan = _formulir(b, _dari_form(form, b.numerik), periode, csrf_token, tersimpan, konflik)
    elif isian:
        kanan = _formulir(b, _isian_baru(b), periode, csrf_token, tersimpan, konflik)
    else:
        kanan = _baca(b, periode)
    if b.realisasi is not None:
        bukti = (
            f'\n      <div hx-get="{_e(b.url_bukti)}" hx-trigger="load" hx-swap="innerHTML">'
            '\n        <span class="small text-muted">Memuat bukti dukung…</span>'
            f'\n        <noscript><a class="small" href="{_e(b.url_bukti_halaman)}">'
            "Bukti dukung</a></noscript>"
            "\n      </div>\n    "
        )
    elif form or isian:
        bukti = (
            '\n      <span class="small text-muted"><i class="bi bi-paperclip" aria-hidden="true"></i> Simpan'
            " realisasi dulu, lalu tambahkan bukti dukung (berkas atau tautan).</span>\n    "
        )
    else:
        bukti = ""
    return mark_safe(  # noqa: S308 — every value is escaped as the template escapes it
        f'\n<div id="ind-{i.pk}" class="indikator-realisasi border rounded p-2 mb-2 bg-white'
        f'{" border-success" if tersimpan else ""}">'
        '\n  <div class="row g-2">\n    <div class="col-lg-5">'
        f'\n      <div class="small text-muted">{_e(_tampil(i, "aspek"))}</div>'
        f"\n      <div>{_e(i.teks)}</div>"
        '\n      <dl class="row small mb-0 mt-1">'
        f'\n        <dt class="col-5 col-sm-4 col-lg-5 fw-normal text-muted">Target {_e(periode.nama)}</dt>'
        f'\n        <dd class="col-7 col-sm-8 col-lg-7 mb-1 fw-semibold">{_e(b.target or "—")}</dd>'
        f"\n        {_capaian(b, periode)}\n      </dl>\n    </div>"
        f'\n    <div class="col-lg-7">\n      {kanan}\n    </div>\n  </div>'
        f'\n  <div class="border-top mt-2 pt-2">\n    {bukti}\n  </div>\n</div>\n\n'
    )


def _aksi(a: Any, n: int, rhk_pk: int, dapat_ubah: bool) -> str:
    tombol = (
        '\n        <span class="text-nowrap flex-shrink-0">'
        f'\n          <button type="button" class="btn btn-sm btn-link p-0 me-2" hx-get="{_e(a.url_ubah)}"'
        f' hx-target="#ra-{rhk_pk}" hx-swap="outerHTML">Ubah<span class="visually-hidden"> rencana aksi {n}'
        "</span></button>"
        '\n          <button type="button" class="btn btn-sm btn-link link-danger p-0"'
        f' hx-post="{_e(a.url_hapus)}"'
        f""" hx-vals='{{"versi": "{a.versi}"}}' hx-target="#ra-{rhk_pk}" hx-swap="outerHTML\""""
        f' hx-confirm="Hapus rencana aksi ini?">Hapus<span class="visually-hidden"> rencana aksi {n}</span>'
        "</button>\n        </span>\n        "
        if dapat_ubah
        else ""
    )
    diubah = _e(waktu_singkat(a.diubah_pada))
    return (
        '\n    \n    <li class="mb-1">\n      <div class="d-flex justify-content-between gap-2">'
        f"\n        <span>{_br(a.teks)}</span>\n        {tombol}\n      </div>"
        f'\n      <div class="text-muted" style="font-size:.75rem">Diubah {diubah} oleh {_e(a.oleh)}</div>'
        "\n    </li>\n    \n  "
    )


def blok_rencana_aksi(rhk: Any, aksi: list[Any], periode: Any, dapat_ubah: bool) -> SafeString:
    """The block `_rencana_aksi.html` renders on the page (no form open, no error): the RHK's rencana aksi
    of the periode (``url_ubah``, ``url_hapus`` and ``oleh`` set on each, ``url_rencana_aksi`` on the RHK);
    ``dapat_ubah``: the owner may change them now (the template's ``dapat_ubah and status_rencana.boleh``)."""
    tambah = (
        '\n    <button type="button" class="btn btn-sm btn-outline-primary"'
        f' hx-get="{_e(rhk.url_rencana_aksi)}?tambah=1" hx-target="#ra-{rhk.pk}" hx-swap="outerHTML">'
        '<i class="bi bi-plus-lg" aria-hidden="true"></i> Tambah'
        '<span class="visually-hidden"> rencana aksi</span></button>\n    '
        if dapat_ubah
        else ""
    )
    daftar = "".join(_aksi(a, n, rhk.pk, dapat_ubah) for n, a in enumerate(aksi, 1)) or (
        '\n    <li class="list-unstyled ms-n3 text-muted">Belum ada rencana aksi untuk periode ini.</li>\n  '
    )
    return mark_safe(  # noqa: S308 — every value is escaped as the template escapes it
        f'<div id="ra-{rhk.pk}" class="rencana-aksi rounded p-2" style="background:#f3f6f9">'
        '\n  <div class="d-flex justify-content-between align-items-center gap-2 mb-1">'
        f'\n    <h3 class="h6 small text-uppercase text-muted m-0">Rencana aksi {_e(periode.nama)}</h3>'
        f'\n    {tambah}\n  </div>\n  \n  <ol class="mb-1 ps-3 small">\n  {daftar}\n  </ol>\n  \n</div>\n'
    )
