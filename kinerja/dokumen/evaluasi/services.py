"""Registering the evaluation documents: a final evaluation, or the penetapan predikat of a group whose
every evaluation is final, becomes a `Dokumen` (content hash + the token behind the QR code). Drafts are
never registered. The same content printed again returns the same row; a content that changed (reopened
by the admin and finalised differently, or a group whose distribution changed by a granted keberatan) gets
a new row whose revisi counts the distinct contents, and the earlier rows are marked superseded by it (they
stay; their verification page names the revision that replaced them)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.dokumen.evaluasi.selectors import Penetapan, jenis_dokumen
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.dokumen.services import _revisi, _terbitkan
from kinerja.organisasi.models import User
from kinerja.penilaian.models import Evaluasi


def _gantikan_yang_lama(baru: Dokumen, alasan: str = "") -> None:
    """``baru`` is the registration matching the source now: every other registration of the same source
    not yet superseded is superseded by it (and ``baru`` itself is current again if an earlier change had
    superseded it and the content came back)."""
    if baru.digantikan_oleh_id is not None:
        Dokumen.objects.filter(pk=baru.pk).update(digantikan_oleh=None, digantikan_alasan="")
        baru.digantikan_oleh_id, baru.digantikan_alasan = None, ""
    Dokumen.objects.filter(
        jenis=baru.jenis, objek_id=baru.objek_id, tahun=baru.tahun, digantikan_oleh__isnull=True
    ).exclude(pk=baru.pk).update(
        digantikan_oleh=baru,
        digantikan_alasan=alasan or f"Isi sumbernya berubah; digantikan revisi {baru.revisi}.",
    )


def _terbitkan_terkini(
    jenis: str, objek: Any, isi: Isi, orang: dict[str, Any], unit_nama: str, oleh: User | None
) -> Dokumen:
    """Register ``isi`` as the current revision of ``objek`` (its revisi counts the distinct contents),
    naming ``orang`` (the pegawai, or the pimpinan who signs) and the unit."""
    dok = _terbitkan(
        jenis=jenis,
        objek=objek,
        tahun=isi.data["periode"]["tahun"],
        isi=isi,
        revisi=_revisi(jenis, objek.pk, isi.sha256),
        pegawai_nama=orang.get("nama", ""),
        pegawai_nip=orang.get("nip", ""),
        unit_nama=unit_nama,
        oleh=oleh,
    )
    _gantikan_yang_lama(dok)
    return dok


@transaction.atomic
def issue_evaluasi(ev: Evaluasi, isi: Isi, oleh: User | None, ringkas: bool = False) -> Dokumen:
    """The full Evaluasi Kinerja Pegawai form, or (``ringkas``) the one-page Dokumen Evaluasi Kinerja
    Pegawai: the same content, registered as its own kind so each is verified and signed on its own
    (docs/rules.md §31)."""
    if not ev.is_final:
        raise ValidationError("Evaluasi yang belum final tidak didaftarkan sebagai dokumen.")
    pegawai = isi.data["pegawai"]
    jenis = jenis_dokumen(ev, ringkas)
    return _terbitkan_terkini(jenis, ev, isi, pegawai, pegawai.get("unit", ""), oleh)


@transaction.atomic
def issue_penetapan(penetapan: Penetapan, oleh: User | None) -> Dokumen:
    """Registered on the group's latest finalisation; the record names the head of the unit who signs."""
    if not penetapan.final or penetapan.finalisasi is None:
        raise ValidationError(
            "Penetapan predikat kelompok yang belum final tidak didaftarkan sebagai dokumen."
        )
    isi = penetapan.isi
    return _terbitkan_terkini(
        Dokumen.Jenis.PENETAPAN, penetapan.finalisasi, isi, isi.data["pimpinan"], isi.data["unit"], oleh
    )
