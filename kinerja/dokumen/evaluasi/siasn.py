"""The evaluation document SIASN receives (docs/rules.md §21.7), made here because the send lives in an
earlier stage (tindak_lanjut) that asks for it by the signal `dokumen_siasn`.

The same PDF as the evaluation's download: the final evaluation is registered as a document (or its
registration found) and printed with its verification link, made absolute with ``URL_PUBLIK``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from kinerja.common.pdf import render_pdf
from kinerja.dokumen import cetak
from kinerja.dokumen.evaluasi import selectors as sumber
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.penilaian.models import Evaluasi


def saat_dikirim(sender: Any, *, evaluasi: Evaluasi, **kwargs: Any) -> tuple[str, bytes]:
    ev = sumber.evaluasi_untuk_dokumen(evaluasi.pk)
    isi = sumber.fill_evaluasi(ev)
    dok = services_evaluasi.issue_evaluasi(ev, isi, None)
    url = settings.KINERJA_URL_PUBLIK + reverse("dokumen:verifikasi", args=[dok.token])
    html = cetak.html_evaluasi(ev, isi, dok, url)
    return sumber.nama_berkas_pdf(ev), render_pdf(html)
