"""Documents: who sees the full identity on a document's verification page (docs/rules.md §25.2), and who
may take every document of a unit as one zip."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ValidationError

from kinerja.dokumen.evaluasi.selectors import jenis_dokumen, kelompok_dari_finalisasi, tanggal_acuan
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.ttd import layanan, pihak
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import UnitKerja
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
from kinerja.perencanaan.models import PerjanjianKinerja, Skp
from kinerja.permissions.base import is_admin_of, is_pimpinan_unit_or_above
from kinerja.permissions.tindak_lanjut import may_view_keberatan
from kinerja.rules import ttd
from kinerja.rules.keberatan import DIPUTUS
from kinerja.tindak_lanjut.models import Keberatan


@rules.predicate
def may_read_dokumen_source(user: Any, dok: Any) -> bool:
    """The user may read the record a document was printed from, by that record's own read rule (SKP:
    `perencanaan.view_skp`; Perjanjian Kinerja: `perencanaan.view_rencana_organisasi`; matriks:
    `perencanaan.view_matriks`; evaluation documents: `penilaian.view_evaluasi`; penetapan:
    `penilaian.view_kelompok`; keberatan decision: `may_view_keberatan`). Only then does the verification
    page name the pegawai in full (docs/rules.md §25.2)."""
    if not user.is_authenticated or dok is None:
        return False
    jenis = Dokumen.Jenis
    if dok.jenis == jenis.SKP:
        perm, obj = "perencanaan.view_skp", Skp.objects.filter(pk=dok.objek_id).first()
    elif dok.jenis == jenis.PERJANJIAN_KINERJA:
        perm = "perencanaan.view_rencana_organisasi"
        obj = PerjanjianKinerja.objects.filter(pk=dok.objek_id).first()
    elif dok.jenis == jenis.MATRIKS:
        perm, obj = "perencanaan.view_matriks", UnitKerja.objects.filter(pk=dok.objek_id).first()
    elif dok.jenis == jenis.KEPUTUSAN_KEBERATAN:
        k = Keberatan.objects.select_related("evaluasi").filter(pk=dok.objek_id).first()
        return k is not None and may_view_keberatan(user, k)
    elif dok.jenis in (jenis.EVALUASI, jenis.PREDIKAT):
        perm, obj = "penilaian.view_evaluasi", Evaluasi.objects.filter(pk=dok.objek_id).first()
    else:
        fin = FinalisasiKelompok.objects.filter(pk=dok.objek_id).first()
        try:
            perm, obj = "penilaian.view_kelompok", kelompok_dari_finalisasi(fin) if fin else None
        except ValidationError:  # the group can no longer be rebuilt: show no more than the public page
            return False
    return obj is not None and bool(user.has_perm(perm, obj))


rules.add_perm("dokumen.view_identitas", may_read_dokumen_source)

# Every SKP or evaluation document of a unit (and its sub-units) as one zip: the admin kepegawaian of the
# instansi, or the head of the unit (definitif/PLT/PLH) or anyone above that post. Each document inside is
# still checked against its own read rule when the zip is built.
rules.add_perm("dokumen.unduh_arsip_unit", is_admin_of | is_pimpinan_unit_or_above)

# The instansi's electronic-signature settings and its signers' certificates (docs/rules.md §29.2): its
# admin kepegawaian (the object is the Instansi).
rules.add_perm("dokumen.manage_ttd", is_admin_of)


@rules.predicate
def may_sign_dokumen(user: Any, dok: Any) -> bool:
    """The user fills a slot of ``dok`` that the signing order allows now (kinerja.rules.ttd.menunggu, from
    the signatures already on it), the document is not superseded, and its instansi signs electronically
    (docs/rules.md §29.5)."""
    if not getattr(user, "is_authenticated", False) or not isinstance(dok, Dokumen):
        return False
    if dok.digantikan_oleh_id is not None or dok.jenis not in ttd.SLOT:
        return False
    if not pihak.ttd_aktif(dok):
        return False
    peran = pihak.peran_pengguna(user, dok)
    if peran is None:
        return False
    sudah = {ttd.Peran(t.peran) for t in pihak.tanda_tangan(dok)}
    return peran in ttd.menunggu(dok.jenis, sudah)


rules.add_perm("dokumen.sign_dokumen", may_sign_dokumen)


@rules.predicate
def may_sign_keputusan_keberatan(user: Any, k: Any) -> bool:
    """The keberatan page's "Tanda tangani keputusan" (docs/rules.md §29.7): `dokumen.sign_dokumen` on the
    decision's issued document, or the one its entry route would issue. Cheap for everyone else: only the
    pemutus of a decided keberatan gets past the first test."""
    if not getattr(user, "is_authenticated", False) or not isinstance(k, Keberatan) or k.pk is None:
        return False
    saya = getattr(user, "pegawai_id", None)
    if not saya or saya != k.pemutus_id or k.status not in {s.value for s in DIPUTUS}:
        return False
    if not layanan.aktif(k.instansi_id):
        return False
    jenis = Dokumen.Jenis.KEPUTUSAN_KEBERATAN
    dok = Dokumen.objects.filter(jenis=jenis, objek_id=k.pk, digantikan_oleh__isnull=True).order_by(
        "-pk"
    ).first() or Dokumen(jenis=jenis, objek_id=k.pk, instansi_id=k.instansi_id)
    return bool(may_sign_dokumen(user, dok))


rules.add_perm("dokumen.sign_keputusan_keberatan", may_sign_keputusan_keberatan)


def _tombol(terbit: Any, jenis: str, peran: ttd.Peran) -> bool:
    """A page's "Tanda tangani" button for the holder of ``peran`` on the source (the page checked that):
    the latest of the source's documents ``terbit`` (or the one its entry route would issue) is not
    superseded and the signing order offers ``peran`` now — one query, the document with its signed roles.
    The signing page itself decides with `dokumen.sign_dokumen`."""
    baris = list(terbit.order_by("-pk").values_list("pk", "digantikan_oleh_id", "tanda_tangan__peran")[:3])
    terbaru = [b for b in baris if b[0] == baris[0][0]] if baris else []
    if terbaru and terbaru[0][1] is not None:
        return False
    sudah = {ttd.Peran(b[2]) for b in terbaru if b[2]}
    return peran in ttd.menunggu(jenis, sudah)


@rules.predicate
def may_sign_skp(user: Any, skp: Any) -> bool:
    """The SKP page's "Tanda tangani" button: the user may sign the document of the SKP's current approved
    revision (the one issued, or the one its signing page would issue). Cheap for everyone else: only the
    SKP's pegawai and penilai get past the first test."""
    if not getattr(user, "is_authenticated", False) or not isinstance(skp, Skp) or skp.pk is None:
        return False
    if skp.status != "disetujui" or user.pegawai_id is None:
        return False
    if user.pegawai_id not in (skp.pegawai_id, skp.penilai_id) or not layanan.aktif(skp.instansi_id):
        return False
    peran = ttd.Peran.PEGAWAI if user.pegawai_id == skp.pegawai_id else ttd.Peran.PENILAI
    terbit = Dokumen.objects.filter(
        jenis=Dokumen.Jenis.SKP, objek_id=skp.pk, revisi=skp.revisi, status_sumber="disetujui"
    )
    return _tombol(terbit, Dokumen.Jenis.SKP, peran)


rules.add_perm("dokumen.sign_skp", may_sign_skp)


@rules.predicate
def may_sign_evaluasi(user: Any, ev: Any) -> bool:
    """The evaluation page's "Tanda tangani" button: the user may sign the final evaluation's current
    document (the one issued, or the one its signing page would issue). Only its pegawai and penilai get
    past the first test."""
    if not getattr(user, "is_authenticated", False) or not isinstance(ev, Evaluasi) or ev.pk is None:
        return False
    if not ev.is_final or user.pegawai_id is None or user.pegawai_id not in (ev.pegawai_id, ev.penilai_id):
        return False
    if not layanan.aktif(ev.instansi_id):
        return False
    jenis = jenis_dokumen(ev)
    peran = ttd.Peran.PEGAWAI if user.pegawai_id == ev.pegawai_id else ttd.Peran.PENILAI
    terbit = Dokumen.objects.filter(jenis=jenis, objek_id=ev.pk, digantikan_oleh__isnull=True)
    return _tombol(terbit, jenis, peran)


rules.add_perm("dokumen.sign_evaluasi", may_sign_evaluasi)


@rules.predicate
def may_sign_penetapan(user: Any, kel: Any) -> bool:
    """The group page's "Tanda tangani" button: the group is final and the user is the head of its unit
    (the signatory the penetapan prints) who may sign its current document. Everyone else stops before
    the head is looked up."""
    fin = getattr(kel, "finalisasi", None)
    if not getattr(user, "is_authenticated", False) or fin is None or user.pegawai_id is None:
        return False
    if not layanan.aktif(kel.periode.instansi_id):
        return False
    dok = (
        Dokumen.objects.filter(jenis=Dokumen.Jenis.PENETAPAN, objek_id=fin.pk, digantikan_oleh__isnull=True)
        .order_by("-pk")
        .first()
    )
    if dok is None:
        kepala = org.pimpinan_unit(kel.unit, tanggal_acuan(kel.periode, kel.periode_penilaian))
        if kepala is None or kepala.pegawai.pk != user.pegawai_id:
            return False
        dok = Dokumen(
            jenis=Dokumen.Jenis.PENETAPAN,
            objek_id=fin.pk,
            instansi_id=kel.periode.instansi_id,
            pegawai_nip=kepala.pegawai.nip,
        )
    return bool(may_sign_dokumen(user, dok))


rules.add_perm("dokumen.sign_penetapan", may_sign_penetapan)


@rules.predicate
def may_number_penetapan(user: Any, dok: Any) -> bool:
    """Set the nomor of an issued penetapan (a Keputusan, docs/rules.md §31): the penetap it names or the
    admin kepegawaian of its instansi, while it is current and not yet frozen for signing (a signed
    document's nomor never changes, §29)."""
    if not getattr(user, "is_authenticated", False) or not isinstance(dok, Dokumen):
        return False
    if dok.jenis != Dokumen.Jenis.PENETAPAN or dok.digantikan_oleh_id is not None or dok.berkas:
        return False
    if is_admin_of(user, dok.instansi_id):
        return True
    return pihak.peran_pengguna(user, dok) == ttd.Peran.PENETAP


rules.add_perm("dokumen.number_penetapan", may_number_penetapan)
