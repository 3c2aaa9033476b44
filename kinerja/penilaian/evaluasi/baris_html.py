"""The evaluation lists' rows written in Python: the markup of `evaluasi/_baris_bawahan.html`, byte for byte,
without the template engine.

A row resolves some thirty variables and tags; the penilai's list shows one per bawahan (fifty and more for a
head of unit) and the admin's list fifty per page, which made the rows the largest part of those requests.
The lists' views write them here (`views._tulis`); the template stays the reference:
tests/penilaian/test_baris_bawahan_html.py compares the two in every state a row can have. A change of the
markup is made in both, as `kinerja.pelaksanaan.baris_html` does for the realisasi page's rows.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.penilaian.evaluasi.selectors import BarisBawahan

_STRIP = '<span class="text-muted">—</span>'
_STRIP_KECIL = '<span class="text-muted small">—</span>'
_DIUBAH = ' <span class="badge text-bg-warning" title="Diubah dari saran">diubah</span>'
_TERKUNCI = (
    ' <span class="badge text-bg-light border" title="Batas evaluasi sudah lewat; minta admin kepegawaian'
    ' membuka kunci"><i class="bi bi-lock" aria-hidden="true"></i> terkunci</span>'
)


def _e(value: Any) -> str:
    """``{{ value }}`` under autoescape."""
    return str(conditional_escape(value))


def _rating(label: str, diubah: bool) -> str:
    if not label:
        return _STRIP
    return _e(label) + (_DIUBAH if diubah else "")


def _realisasi(b: BarisBawahan) -> str:
    if not b.jumlah_rhk:
        return '<span class="text-muted">tanpa RHK</span>'
    if b.rhk_tanpa_realisasi:
        return (
            '<span class="text-warning-emphasis"><i class="bi bi-hourglass-split" aria-hidden="true"></i> '
            f"{_e(b.rhk_tanpa_realisasi)} dari {_e(b.jumlah_rhk)} RHK tanpa realisasi</span>"
        )
    if b.realisasi_lengkap:
        return (
            '<span class="text-success"><i class="bi bi-check-circle" aria-hidden="true"></i> lengkap</span>'
        )
    return (
        '<span class="text-success" title="Setiap RHK memiliki realisasi; indikator lain boleh kosong">'
        '<i class="bi bi-check-circle" aria-hidden="true"></i> siap dinilai</span> '
        f'<span class="text-muted">· {_e(b.indikator_terisi)} dari {_e(b.jumlah_indikator)}'
        " indikator terisi</span>"
    )


def baris_bawahan(
    b: BarisBawahan,
    *,
    kode_tab: str,
    csrf_token: str,
    boleh_buka: bool,
    boleh_nilai: bool,
    kolom_penilai: bool = False,
) -> SafeString:
    """One row of `_tabel_bawahan.html` (`_baris_bawahan.html`) for ``b``, its link set (`b.url`)."""
    nama = _e(b.nama)
    status = f'<span class="badge {_e(b.status_kelas)}">{_e(b.status_label)}</span>'
    penilai = (
        f'<td class="d-none d-md-table-cell small">{_e(b.penilai_nama or "(admin kepegawaian)")}</td>'
        if kolom_penilai
        else ""
    )
    ev = b.evaluasi
    if ev:
        draf = f'<div class="small text-muted">{_e(b.keterangan_draf)}</div>' if b.keterangan_draf else ""
        kunci = _TERKUNCI if b.terkunci and not b.final else ""
        predikat = f'<span class="badge {_e(b.predikat_kelas)}">{_e(b.predikat)}</span>' if b.predikat else ""
        kecil = f'<span class="d-block d-sm-none mt-1">{predikat}</span>' if b.predikat else ""
        hasil = _rating(b.rating_hasil, ev.hasil_diubah_dari_saran)
        perilaku = _rating(b.rating_perilaku, ev.perilaku_diubah_dari_saran)
        sel_evaluasi = (
            f"<td>{status}{draf}{kunci}{kecil}</td>"
            f'\n    <td class="d-none d-sm-table-cell small">{hasil}</td>'
            f'\n    <td class="d-none d-sm-table-cell small">{perilaku}</td>'
            f'\n    <td class="d-none d-sm-table-cell">{predikat or _STRIP_KECIL}</td>'
        )
    else:
        sel_evaluasi = (
            f"<td>{status}</td>"
            f'\n    <td class="d-none d-sm-table-cell small">{_STRIP}</td>'
            f'\n    <td class="d-none d-sm-table-cell small">{_STRIP}</td>'
            f'\n    <td class="d-none d-sm-table-cell">{_STRIP_KECIL}</td>'
        )
    url = _e(b.url)
    if ev:
        kelas = "btn-outline-secondary" if b.final or b.terkunci else "btn-primary"
        kata = "Lihat" if b.final or b.terkunci or not boleh_nilai else "Nilai"
        aksi = (
            f'\n        <a class="btn btn-sm {kelas}" href="{url}">{kata}'
            f'<span class="visually-hidden"> {nama}</span></a>\n      '
        )
    elif boleh_buka:
        token = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
            if csrf_token and csrf_token != "NOTPROVIDED"
            else ""
        )
        aksi = (
            f'\n        <form method="post" action="{url}" class="d-inline">{token}'
            f'<input type="hidden" name="periode" value="{_e(kode_tab)}">'
            '\n          <button class="btn btn-sm btn-outline-primary" type="submit">Buka'
            f'<span class="visually-hidden"> evaluasi {nama}</span></button>\n        </form>\n      '
        )
    else:
        aksi = ""
    return mark_safe(  # noqa: S308 — every value above is escaped with _e
        f'\n  <tr>\n    <td><div class="fw-semibold">{nama}</div>'
        f'<div class="small text-muted d-none d-sm-block">{_e(b.nip)} · {_e(b.jabatan)}</div></td>'
        f"\n    {penilai}\n    {sel_evaluasi}"
        f'\n    <td class="d-none d-lg-table-cell small">{_realisasi(b)}</td>'
        f'\n    <td class="text-end text-nowrap">\n      {aksi}\n    </td>\n  </tr>\n  '
    )
