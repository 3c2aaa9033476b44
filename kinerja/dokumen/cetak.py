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
from kinerja.dokumen import selectors
from kinerja.dokumen.evaluasi import selectors as sumber_evaluasi
from kinerja.dokumen.evaluasi.konteks import konteks_evaluasi, konteks_penetapan
from kinerja.dokumen.konteks import konteks_skp
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
from kinerja.perencanaan.models import Skp


def url_verifikasi(dasar: str, dok: Dokumen) -> str:
    """``dasar`` is the site's address (``https://host/``); the result is the document's public page."""
    return dasar.rstrip("/") + reverse("dokumen:verifikasi", args=[dok.token])


#: Raised when the templates' layout changes, so no PDF cached with the old layout is served again.
VERSI_TATA_LETAK = 2


def kunci_cache(dok: Dokumen, url: str, kertas: str) -> str:
    """What a document PDF depends on: the issued record (content hash, status, a penetapan's nomor), paper,
    host, print date."""
    hari = timezone.localdate().isoformat()
    return f"v{VERSI_TATA_LETAK}|{dok.pk}|{dok.sha256}|{dok.status_sumber}|{dok.nomor}|{url}|{kertas}|{hari}"


def pdf_terbit(dok: Dokumen, dasar: str, kertas: str, html: Callable[[str], str]) -> bytes:
    """The PDF of an issued document, kept while what it depends on stays the same (see kunci_cache).

    Once the document was frozen for signing (``dok.berkas``), the stored file is the document: every
    download serves it byte for byte, whatever paper is asked for (docs/rules.md §29.5)."""
    if dok.berkas:
        with dok.berkas.open("rb") as berkas:
            return berkas.read()  # type: ignore[no-any-return]
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


def html_evaluasi(ev: Evaluasi, isi: Isi, dok: Dokumen | None, url: str, ringkas: bool = False) -> str:
    """The Evaluasi Kinerja Pegawai form, or (``ringkas``) the one-page Dokumen Evaluasi Kinerja Pegawai
    (docs/rules.md §31): the instansi's kop and the SKP's layout beside the hashed content."""
    konteks = konteks_evaluasi(
        isi,
        dok,
        url,
        ev.instansi.kota,
        ev.pk,
        instansi=ev.instansi,
        letak=None if ringkas else sumber_evaluasi.tata_letak(ev),
        ringkas=ringkas,
    )
    nama = "ringkas.html" if ringkas else "evaluasi.html"
    return render_to_string(f"dokumen/evaluasi/{nama}", konteks)


def pdf_evaluasi(
    ev: Evaluasi, isi: Isi, dok: Dokumen | None, dasar: str, kertas: str, ringkas: bool = False
) -> bytes:
    """A final evaluation's registered document (``dok``), or a draft (``dok`` None: rendered each time);
    the full form, or (``ringkas``) the one-page summary."""
    if dok is None:
        return render_pdf(html_evaluasi(ev, isi, None, "", ringkas), kertas=kertas)
    return pdf_terbit(dok, dasar, kertas, lambda url: html_evaluasi(ev, isi, dok, url, ringkas))


# --- the HTML of an issued document as its download renders it (frozen at the first signature) -----------


class IsiBerubah(Exception):
    """The source's current content no longer matches the issued document (its hash)."""


HtmlDokumen = Callable[[Dokumen, str], str]
_HTML: dict[str, HtmlDokumen] = {}


def daftarkan_html(jenis: str, fungsi: HtmlDokumen) -> None:
    """Register how a kind of document renders: ``fungsi(dok, url_verifikasi) -> html``, raising IsiBerubah
    when its source changed since ``dok`` was issued."""
    _HTML[jenis] = fungsi


def _cocok(dok: Dokumen, isi: Isi) -> Isi:
    if isi.sha256 != dok.sha256 or isi.status != dok.status_sumber:
        raise IsiBerubah
    return isi


def _html_skp(dok: Dokumen, url: str) -> str:
    skp = selectors.skp_untuk_dokumen(dok.objek_id)
    isi = _cocok(dok, selectors.fill_skp(skp, dok.revisi))
    return render_to_string("dokumen/skp.html", konteks_skp(isi, dok, url, skp.instansi, skp.jabatan))


def _html_evaluasi(dok: Dokumen, url: str) -> str:
    ev = sumber_evaluasi.evaluasi_untuk_dokumen(dok.objek_id)
    isi = _cocok(dok, sumber_evaluasi.fill_evaluasi(ev))
    return html_evaluasi(ev, isi, dok, url, ringkas=dok.jenis == Dokumen.Jenis.RINGKAS)


def _html_penetapan(dok: Dokumen, url: str) -> str:
    fin = FinalisasiKelompok.objects.get(pk=dok.objek_id)
    pen = sumber_evaluasi.fill_penetapan(sumber_evaluasi.kelompok_dari_finalisasi(fin))
    isi = _cocok(dok, pen.isi)
    kel = pen.kelompok
    return render_to_string(
        "dokumen/evaluasi/penetapan.html",
        konteks_penetapan(
            isi, dok, url, kel.periode.instansi.kota, f"penetapan-{kel.unit.pk}", kel.periode.instansi
        ),
    )


daftarkan_html(Dokumen.Jenis.SKP, _html_skp)
daftarkan_html(Dokumen.Jenis.EVALUASI, _html_evaluasi)
daftarkan_html(Dokumen.Jenis.PREDIKAT, _html_evaluasi)
daftarkan_html(Dokumen.Jenis.RINGKAS, _html_evaluasi)
daftarkan_html(Dokumen.Jenis.PENETAPAN, _html_penetapan)


def html_dokumen(dok: Dokumen, dasar: str) -> str:
    """The HTML the download of ``dok`` renders (same templates and contexts). Raises IsiBerubah when the
    source changed since it was issued, LookupError for a kind that cannot be rendered here."""
    fungsi = _HTML.get(dok.jenis)
    if fungsi is None:
        raise LookupError(dok.jenis)
    return fungsi(dok, url_verifikasi(dasar, dok))
