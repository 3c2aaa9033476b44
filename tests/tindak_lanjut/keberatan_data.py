"""Helpers of the keberatan tests: a FINAL evaluation of a pegawai, and a keberatan filed on it.

The evaluation is opened through the service (`open_evaluasi`) and then marked final directly: rating
every RHK and finalising a whole rating group against its pola distribusi is tested in tests/penilaian;
here only a final predikat with a known ``final_pada`` (the day the keberatan window counts from) matters.
The browser test (tests/e2e/test_keberatan_alur.py) builds its final evaluation through the services.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from kinerja.organisasi.models import Instansi, PeriodePenilaian, User
from kinerja.penilaian import services as penilaian
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.tindak_lanjut.keberatan import services
from kinerja.tindak_lanjut.models import Keberatan
from tests import builders as b

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def user_of(nip: str) -> User:
    return User.objects.select_related("pegawai").get(pegawai__nip=nip)


def skp_of(nip: str) -> Skp:
    return (
        Skp.objects.select_related("periode", "pegawai", "penilai")
        .filter(pegawai__nip=nip, status="disetujui")
        .order_by("-mulai")
        .first()
    )  # type: ignore[return-value]


def evaluasi_final(
    nip: str,
    *,
    tahunan: bool = True,
    final_pada: datetime.datetime | None = None,
    hasil: str = "sesuai",
    perilaku: str = "sesuai",
) -> Evaluasi:
    """A final evaluation (annual by default) of the pegawai ``nip`` with the given ratings, final at
    ``final_pada`` (now)."""
    skp = skp_of(nip)
    penilai = user_of(skp.penilai.nip) if skp.penilai_id else b.penilai_dari(skp)  # the instansi's admin
    pp = None if tahunan else PeriodePenilaian.objects.get(periode=skp.periode, nomor=1)
    ev = penilaian.open_evaluasi(skp, pp, penilai)
    ev = Evaluasi.objects.get(pk=ev.pk)
    ev.rating_hasil, ev.rating_perilaku = hasil, perilaku
    ev.status, ev.final_pada, ev.final_oleh = "final", final_pada or timezone.now(), penilai
    ev._history_user = penilai  # type: ignore[attr-defined]
    ev.save()
    return Evaluasi.objects.select_related("instansi", "periode", "periode_penilaian").get(pk=ev.pk)


def pdf(nama: str = "bukti.pdf", isi: bytes = PDF) -> services.Unggahan:
    return services.Unggahan(io.BytesIO(isi), nama, len(isi))


def ajukan(ev: Evaluasi, alasan: str = "Capaian RHK saya melebihi target.", **kw: object) -> Keberatan:
    return services.ajukan(ev, user_of(ev.pegawai.nip), alasan, **kw)  # type: ignore[arg-type]


def atur(instansi: Instansi, **kw: object) -> None:
    Instansi.objects.filter(pk=instansi.pk).update(**kw)
