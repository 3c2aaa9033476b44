"""The decision document's HTML and PDF, and its place in signing (docs/rules.md §29.7): the pemutus fills
its one slot (ATASAN), and the signing service renders it through the same function as the download."""

from __future__ import annotations

from django.template.loader import render_to_string

from kinerja.dokumen import cetak
from kinerja.dokumen.keputusan import selectors
from kinerja.dokumen.keputusan.konteks import konteks_keputusan
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.dokumen.ttd import pihak
from kinerja.organisasi.models import User
from kinerja.rules.ttd import Peran
from kinerja.tindak_lanjut.models import Keberatan

TEMPLATE = "dokumen/keputusan_keberatan.html"


def html_keputusan(isi: Isi, dok: Dokumen, url_verifikasi: str) -> str:
    return render_to_string(TEMPLATE, konteks_keputusan(isi, dok, url_verifikasi))


def pdf_keputusan(isi: Isi, dok: Dokumen, dasar: str, kertas: str) -> bytes:
    """The rendered PDF from the document cache, or the stored file once it was frozen for signing."""
    return cetak.pdf_terbit(dok, dasar, kertas, lambda url: html_keputusan(isi, dok, url))


def _html(dok: Dokumen, url: str) -> str:
    """What the download renders, for the signing service; IsiBerubah when the record no longer says it."""
    k = Keberatan.objects.select_related(*selectors.RELASI).filter(pk=dok.objek_id).first()
    if k is None or not selectors.diputus(k):
        raise cetak.IsiBerubah
    isi = selectors.fill_keputusan(k)
    if isi.sha256 != dok.sha256 or isi.status != dok.status_sumber:
        raise cetak.IsiBerubah
    return html_keputusan(isi, dok, url)


def _penanda(dok: Dokumen) -> dict[Peran, User | None]:
    """The active login of the keberatan's pemutus (one query: the signing page and its permission ask)."""
    pemutus = User.objects.filter(pegawai__keberatan_diputus__pk=dok.objek_id, is_active=True).first()
    return {Peran.ATASAN: pemutus}


def daftarkan() -> None:
    """Called from DokumenConfig.ready (the registries of kinerja.dokumen.cetak and .ttd.pihak)."""
    cetak.daftarkan_html(Dokumen.Jenis.KEPUTUSAN_KEBERATAN, _html)
    pihak.daftarkan(Dokumen.Jenis.KEPUTUSAN_KEBERATAN, _penanda)
