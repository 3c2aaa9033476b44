"""The documents a keberatan needs: the one registered at filing, the ones re-issued when it is granted.

Receivers of the tindak_lanjut signals (connected in `DokumenConfig.ready`), run inside the keberatan's
transaction; each returns the evaluation's document.
"""

from __future__ import annotations

import datetime
from typing import Any

from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.evaluasi import selectors as dokumen_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.models import Dokumen
from kinerja.organisasi.models import User
from kinerja.penilaian import selectors as penilaian_selectors
from kinerja.penilaian.models import Evaluasi


def saat_diajukan(sender: Any, *, evaluasi: Evaluasi, oleh: User | None, **kwargs: Any) -> Dokumen:
    return _dokumen_terdaftar(evaluasi, oleh)


def saat_dikabulkan(
    sender: Any, *, evaluasi: Evaluasi, oleh: User, sekarang: datetime.datetime, **kwargs: Any
) -> Dokumen:
    return _dokumen_revisi(evaluasi, oleh, sekarang)


def _dokumen_terdaftar(ev: Evaluasi, oleh: User | None) -> Dokumen:
    """Register (or find) the evaluation's document with its current content (the QR code's record)."""
    ev_dok = dokumen_evaluasi.evaluasi_untuk_dokumen(ev.pk)
    isi = dokumen_evaluasi.fill_evaluasi(ev_dok)
    return services_evaluasi.issue_evaluasi(ev_dok, isi, oleh)


def _dokumen_revisi(ev: Evaluasi, oleh: User, now: datetime.datetime) -> Dokumen:
    """Register the revised document (its content changed: revisi + 1) and mark every earlier document of
    the evaluation superseded by it; they stay for the record and their verification page says so.

    The documents of the other members of the rating group and the group's penetapan show the group's
    distribution of predikat, which changed too: those already registered are re-issued the same way (the
    old ones superseded, saying why), so no valid-looking document disagrees with the record."""
    baru = _dokumen_terdaftar(ev, oleh)
    tanggal = tanggal_panjang(now)
    Dokumen.objects.filter(digantikan_oleh=baru).update(
        digantikan_alasan=f"Predikat diubah atas keputusan keberatan {tanggal}"
    )
    _ringkas_ulang(ev, oleh, f"Predikat diubah atas keputusan keberatan {tanggal}")
    alasan = f"Sebaran predikat kelompok berubah: keberatan {ev.pegawai_nama} dikabulkan {tanggal}"
    kel = penilaian_selectors.kelompok(
        ev.penilai, ev.periode_penilaian, periode=ev.periode, unit=ev.unit_kelompok
    )
    for lain in kel.evaluasi:
        terdaftar = Dokumen.objects.filter(
            jenis=dokumen_evaluasi.jenis_dokumen(lain), objek_id=lain.pk, digantikan_oleh__isnull=True
        )
        if lain.pk != ev.pk and lain.is_final and terdaftar.exists():
            dok = _dokumen_terdaftar(lain, oleh)
            Dokumen.objects.filter(digantikan_oleh=dok).update(digantikan_alasan=alasan)
            _ringkas_ulang(lain, oleh, alasan)
    if (
        kel.finalisasi is not None
        and Dokumen.objects.filter(
            jenis=Dokumen.Jenis.PENETAPAN, objek_id=kel.finalisasi.pk, digantikan_oleh__isnull=True
        ).exists()
    ):
        dok = services_evaluasi.issue_penetapan(dokumen_evaluasi.fill_penetapan(kel), oleh)
        Dokumen.objects.filter(digantikan_oleh=dok).update(digantikan_alasan=alasan)
    return baru


def _ringkas_ulang(ev: Evaluasi, oleh: User | None, alasan: str) -> None:
    """The one-page Dokumen Evaluasi of ``ev``, when one was registered, is re-issued with the new content
    too (the earlier ones superseded, saying why)."""
    if not Dokumen.objects.filter(
        jenis=Dokumen.Jenis.RINGKAS, objek_id=ev.pk, digantikan_oleh__isnull=True
    ).exists():
        return
    ev_dok = dokumen_evaluasi.evaluasi_untuk_dokumen(ev.pk)
    isi = dokumen_evaluasi.fill_evaluasi(ev_dok)
    dok = services_evaluasi.issue_evaluasi(ev_dok, isi, oleh, ringkas=True)
    Dokumen.objects.filter(digantikan_oleh=dok).update(digantikan_alasan=alasan)
