"""Issuing documents: one `Dokumen` row per distinct content (and source status) of a document.

Issuing the same content again returns the existing row, so a reprint carries the same QR code; a changed
content, a new revision or a new status (a draft that got approved) gets a new row and a new token.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.organisasi.models import Periode, User
from kinerja.perencanaan.models import PerjanjianKinerja, Skp
from kinerja.perencanaan.selectors import Matriks
from kinerja.permissions import require

NOMOR_MAKS = 100


def _revisi(jenis: str, objek_id: int, sha256: str, **saring: Any) -> int:
    """The revisi of a content no workflow numbers: one more than the other contents issued for the object."""
    sebelumnya = (
        Dokumen.objects.filter(jenis=jenis, objek_id=objek_id, **saring)
        .exclude(sha256=sha256)
        .values("sha256")
        .distinct()
        .count()
    )
    return sebelumnya + 1


def _terbitkan(
    *,
    jenis: str,
    objek: Any,
    tahun: int,
    isi: Isi,
    revisi: int,
    pegawai_nama: str,
    pegawai_nip: str,
    unit_nama: str,
    oleh: User | None,
) -> Dokumen:
    """``objek`` is the source record (its pk and instansi_id are the document's)."""
    kunci = {
        "jenis": jenis,
        "objek_id": objek.pk,
        "tahun": tahun,
        "sha256": isi.sha256,
        "status_sumber": isi.status,
    }
    existing = Dokumen.objects.filter(**kunci).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Dokumen.objects.create(
                **kunci,
                instansi_id=objek.instansi_id,
                revisi=revisi,
                token=secrets.token_urlsafe(24),
                disetujui_pada=isi.disetujui_pada,
                pegawai_nama=pegawai_nama,
                pegawai_nip=pegawai_nip,
                unit_nama=unit_nama,
                created_by=oleh if oleh is not None and oleh.is_authenticated else None,
            )
    except IntegrityError:  # the same content issued by a concurrent request
        return Dokumen.objects.get(**kunci)


def _gantikan_bertanda_tangan(baru: Dokumen, alasan: str) -> None:
    """Signed documents of an earlier revision of the same source are superseded by ``baru`` (their
    verification page says so, and nobody signs them any more; docs/rules.md §29.5)."""
    Dokumen.objects.filter(
        jenis=baru.jenis, objek_id=baru.objek_id, revisi__lt=baru.revisi, digantikan_oleh__isnull=True
    ).exclude(status_ttd="belum").update(digantikan_oleh=baru, digantikan_alasan=alasan[:300])


@transaction.atomic
def issue_skp(skp: Skp, isi: Isi, oleh: User | None) -> Dokumen:
    dok = _issue_skp(skp, isi, oleh)
    if isi.disetujui:
        tanggal = tanggal_panjang(isi.disetujui_pada) if isi.disetujui_pada else ""
        _gantikan_bertanda_tangan(dok, f"SKP direvisi: revisi {dok.revisi} disetujui {tanggal}".strip())
    return dok


def _issue_skp(skp: Skp, isi: Isi, oleh: User | None) -> Dokumen:
    return _terbitkan(
        jenis=Dokumen.Jenis.SKP,
        objek=skp,
        tahun=isi.data["tahun"],
        isi=isi,
        revisi=isi.revisi,
        pegawai_nama=isi.data["pegawai"]["nama"],
        pegawai_nip=isi.data["pegawai"]["nip"],
        unit_nama=isi.data["pegawai"]["unit"],
        oleh=oleh,
    )


@transaction.atomic
def issue_perjanjian(pk: PerjanjianKinerja, isi: Isi, oleh: User | None) -> Dokumen:
    return _terbitkan(
        jenis=Dokumen.Jenis.PERJANJIAN_KINERJA,
        objek=pk,
        tahun=isi.data["tahun"],
        isi=isi,
        revisi=isi.revisi,
        pegawai_nama=pk.pegawai_nama,
        pegawai_nip=pk.pegawai_nip,
        unit_nama=pk.unit.nama,
        oleh=oleh,
    )


@transaction.atomic
def issue_matriks(matriks: Matriks, periode: Periode, isi: Isi, oleh: User | None) -> Dokumen:
    """A matriks has no workflow revision; its revisi counts the distinct contents issued for the year."""
    pimpinan = isi.data["pimpinan"]
    return _terbitkan(
        jenis=Dokumen.Jenis.MATRIKS,
        objek=matriks.unit,
        tahun=periode.tahun,
        isi=isi,
        revisi=_revisi(Dokumen.Jenis.MATRIKS, matriks.unit.pk, isi.sha256, tahun=periode.tahun),
        pegawai_nama=pimpinan.get("nama", ""),
        pegawai_nip=pimpinan.get("nip", ""),
        unit_nama=matriks.unit.nama,
        oleh=oleh,
    )


@transaction.atomic
def atur_nomor_keputusan(oleh: User, dok: Dokumen, nomor: str) -> Dokumen:
    """Sets the nomor of an issued penetapan (docs/rules.md §31). Refused once the document was frozen
    for signing: the locked row is checked again, so a signature that froze it meanwhile wins."""
    dok = Dokumen.objects.select_for_update().get(pk=dok.pk)
    require(oleh, "dokumen.number_penetapan", dok, "Nomor keputusan ini tidak dapat diubah lagi.")
    nomor = " ".join((nomor or "").split())
    if not nomor:
        raise ValidationError({"nomor": "Nomor keputusan wajib diisi."})
    if len(nomor) > NOMOR_MAKS:
        raise ValidationError({"nomor": f"Nomor keputusan paling panjang {NOMOR_MAKS} karakter."})
    dok.nomor, dok.nomor_oleh, dok.nomor_pada = nomor, oleh, timezone.now()
    dok.save(update_fields=["nomor", "nomor_oleh", "nomor_pada"])
    return dok
