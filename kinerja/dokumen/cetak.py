"""The PDF of one SKP or evaluation document, shared by the single download and the unit's zip.

Both paths render with the same templates and contexts and take an issued document's PDF from the document
cache under the same key (`kinerja.common.pdf.pdf_tersimpan`), so the copy in a unit's zip is byte for byte
what the single download gave the same day. The verification URL is built from a base address (the
request's, or the one recorded when a background job was started) and the verification path.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kinerja.common.pdf import pdf_tersimpan, render_pdf
from kinerja.dokumen.evaluasi.konteks import konteks_evaluasi
from kinerja.dokumen.konteks import konteks_skp
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp


def url_verifikasi(dasar: str, dok: Dokumen) -> str:
    """``dasar`` is the site's address (``https://host/``); the result is the document's public page."""
    return dasar.rstrip("/") + reverse("dokumen:verifikasi", args=[dok.token])


def kunci_cache(dok: Dokumen, url: str, kertas: str) -> str:
    """What a document PDF depends on: the issued record (content hash, status), paper, host, print date."""
    hari = timezone.localdate().isoformat()
    return f"{dok.pk}|{dok.sha256}|{dok.status_sumber}|{url}|{kertas}|{hari}"


def pdf_terbit(dok: Dokumen, dasar: str, kertas: str, html: Callable[[str], str]) -> bytes:
    """The PDF of an issued document, kept while what it depends on stays the same (see kunci_cache)."""
    url = url_verifikasi(dasar, dok)
    return pdf_tersimpan(kunci_cache(dok, url, kertas), lambda: render_pdf(html(url), kertas=kertas))


def pdf_skp(skp: Skp, isi: Isi, dok: Dokumen, dasar: str, kertas: str) -> bytes:
    return pdf_terbit(
        dok,
        dasar,
        kertas,
        lambda url: render_to_string(
            "dokumen/skp.html", konteks_skp(isi, dok, url, skp.instansi, skp.jabatan)
        ),
    )


def pdf_evaluasi(ev: Evaluasi, isi: Isi, dok: Dokumen | None, dasar: str, kertas: str) -> bytes:
    """A final evaluation's registered document (``dok``), or a draft (``dok`` None: rendered each time)."""
    kota = ev.instansi.kota

    def html(d: Dokumen | None, url: str) -> str:
        return render_to_string("dokumen/evaluasi/evaluasi.html", konteks_evaluasi(isi, d, url, kota, ev.pk))

    if dok is None:
        return render_pdf(html(None, ""), kertas=kertas)
    return pdf_terbit(dok, dasar, kertas, lambda url: html(dok, url))
