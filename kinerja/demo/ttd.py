"""Demo electronic signatures (docs/rules.md §29.2): a few documents signed with the demo certificates, so
the demo shows signed PDFs, their verification pages, and documents waiting for a signature.

Runs after `buat_ca_demo` (the certificates, passphrase `PASSPHRASE_DEMO`). Each document is issued as its
signing page's entry route issues it, then signed through `kinerja.dokumen.ttd.services.tanda_tangani` by
the person printed in the slot. Idempotent: a slot already signed is skipped. Kept to four documents and
six signatures (each document is rendered once, each signature ~0.3 s) so `seed_demo` stays fast:

* approved SKP of the running year: the fungsional's signed by her and by the kabid, her penilai
  (complete); the pelaksana's signed by him only, waiting for the kabid (his penilai);
* final annual evaluation (predikat kinerja) of the year before: the fungsional's signed by the kabid and
  acknowledged by her (complete); the pelaksana's signed by the kabid only, waiting for him to acknowledge.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.db.models import Max

from kinerja.dokumen import selectors as dokumen_selectors
from kinerja.dokumen import services as dokumen_services
from kinerja.dokumen.evaluasi import selectors as sumber_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.management.commands.buat_ca_demo import PASSPHRASE_DEMO
from kinerja.dokumen.models import Dokumen, TandaTangan
from kinerja.dokumen.ttd import pihak
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.organisasi.models import Instansi
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.evaluasi import Status
from kinerja.rules.ttd import SLOT, Peran

FUNGSIONAL = "198506282010012004"  # her penilai is the kabid, 197904182005012005
PELAKSANA = "199108162015031001"

#: NIP of the pegawai → the slots signed on their SKP of the running year, in the slots' order.
SKP_DITANDATANGANI: dict[str, tuple[Peran, ...]] = {
    FUNGSIONAL: (Peran.PEGAWAI, Peran.PENILAI),
    PELAKSANA: (Peran.PEGAWAI,),
}
#: The same for their final annual evaluation of the year before.
EVALUASI_DITANDATANGANI: dict[str, tuple[Peran, ...]] = {
    FUNGSIONAL: (Peran.PENILAI, Peran.PEGAWAI),
    PELAKSANA: (Peran.PENILAI,),
}


@contextlib.contextmanager
def _tanpa_log_validasi() -> Iterator[None]:
    """The signing service checks the file before and after each signature without trusted roots; pyHanko
    logs each unbuilt certificate path with a traceback, which is noise in the seed's output."""
    log = logging.getLogger("pyhanko")
    sebelum = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(sebelum)


def _tandatangani(dok: Dokumen, peran: tuple[Peran, ...], dasar: str) -> int:
    """Sign ``dok`` in each of ``peran`` not signed yet; the number of signatures made."""
    sudah = set(TandaTangan.objects.filter(dokumen=dok).values_list("peran", flat=True))
    dibuat = 0
    for p in peran:
        if p.value in sudah:
            continue
        oleh = pihak.penanda_slot(dok).get(p)
        if oleh is None:  # the person printed in the block has no account
            return dibuat
        ttd_services.tanda_tangani(dok, oleh, Kredensial(passphrase=PASSPHRASE_DEMO), dasar)
        dok.refresh_from_db()
        dok.__dict__.pop("_tanda_tangan", None)
        dibuat += 1
    return dibuat


def seed(instansi: Instansi, dasar: str) -> int:
    """Sign the demo's documents (see the module docstring); ``dasar`` is the site's address printed in
    the documents' QR code. Returns the number of signatures made now."""
    with _tanpa_log_validasi():
        return _seed(instansi, dasar)


def _seed(instansi: Instansi, dasar: str) -> int:
    dibuat = 0
    tahun = Skp.objects.filter(instansi=instansi).aggregate(t=Max("periode__tahun"))["t"]
    for nip, peran in SKP_DITANDATANGANI.items():
        assert tuple(s.peran for s in SLOT[Dokumen.Jenis.SKP] if s.peran in peran) == peran
        skp = Skp.objects.filter(instansi=instansi, pegawai__nip=nip, periode__tahun=tahun).first()
        if skp is None:
            continue
        skp = dokumen_selectors.skp_untuk_dokumen(skp.pk)
        isi = dokumen_selectors.fill_skp(skp)
        if not isi.disetujui:
            continue
        dibuat += _tandatangani(dokumen_services.issue_skp(skp, isi, None), peran, dasar)
    for nip, peran in EVALUASI_DITANDATANGANI.items():
        ev = (
            Evaluasi.objects.filter(
                instansi=instansi, pegawai__nip=nip, jenis=JenisEvaluasi.TAHUNAN, status=Status.FINAL
            )
            .exclude(periode__tahun=tahun)
            .order_by("-periode__tahun")
            .first()
        )
        if ev is None:
            continue
        ev = sumber_evaluasi.evaluasi_untuk_dokumen(ev.pk)
        dok = services_evaluasi.issue_evaluasi(ev, sumber_evaluasi.fill_evaluasi(ev), None)
        dibuat += _tandatangani(dok, peran, dasar)
    return dibuat
