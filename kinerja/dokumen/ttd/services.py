"""Signing an issued document (docs/rules.md §29.5).

The first signature freezes the document: its PDF is rendered once more exactly as its download renders
it (refused when the source changed since it was issued), an empty signature field is added at each
signature block, and the file is stored; from then on every download serves the stored file. Each
signature is an incremental revision of that file by the instansi's signer back-end. The Dokumen row is
locked for the whole signature, so two signers never sign the same revision; a failure saves nothing.
"""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from kinerja.common.pdf import render_dokumen
from kinerja.dokumen import cetak
from kinerja.dokumen.models import Dokumen, TandaTangan
from kinerja.dokumen.ttd import layanan, pdf, pihak
from kinerja.dokumen.ttd.penyedia import GagalTtd, Kotak, Kredensial, Penanda, Permintaan
from kinerja.organisasi.models import User
from kinerja.permissions import require
from kinerja.rules import ttd

PESAN_BERUBAH = "Dokumen sudah berubah sejak diterbitkan; cetak ulang dokumen lalu tanda tangani yang baru."


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _simpan(dok: Dokumen, isi: bytes, ke: int) -> None:
    """Store ``isi`` as the document's file under a new name per revision (earlier files stay)."""
    nama = f"{dok.jenis}-{dok.token[:16]}-t{ke}.pdf"
    dok.berkas.save(nama, ContentFile(isi), save=False)
    dok.berkas_sha256 = _sha256(isi)


def _bekukan(dok: Dokumen, dasar: str) -> bytes:
    """The document's PDF as its download renders it; where each signature block lies goes on ``dok``
    (``kotak_ttd``). No empty field is added: each signature creates its own field there, as BSrE does
    (it takes no field name), so a finished document carries no unsigned field."""
    try:
        html = cetak.html_dokumen(dok, dasar)
    except cetak.IsiBerubah as exc:
        raise GagalTtd(PESAN_BERUBAH) from exc
    except LookupError as exc:
        raise GagalTtd("Dokumen jenis ini belum dapat ditandatangani secara elektronik.") from exc
    dokumen = render_dokumen(html)
    kotak = pdf.kotak_tanda_tangan(dokumen)
    harus = {pdf.AWALAN_ID + s.peran.value for s in ttd.SLOT.get(dok.jenis, ())}
    if not harus <= set(kotak):
        raise GagalTtd("Blok tanda tangan dokumen ini tidak ditemukan; hubungi admin aplikasi.")
    dok.kotak_ttd = {k: [v.halaman, *v.kotak] for k, v in kotak.items() if k in harus}
    return dokumen.write_pdf()  # type: ignore[no-any-return]


def _kotak_field(dok: Dokumen, isi: bytes, field: str) -> Kotak:
    """Where the signature block ``field`` lies: from the frozen document's record, else (a file frozen
    with empty fields) from that field."""
    if field in dok.kotak_ttd:
        halaman, *kotak = dok.kotak_ttd[field]
        return Kotak(int(halaman), (int(kotak[0]), int(kotak[1]), int(kotak[2]), int(kotak[3])))
    pembaca = PdfFileReader(io.BytesIO(isi), strict=False)
    for nama, _, ref in fields.enumerate_sig_fields(pembaca, filled_status=None):
        if nama != field:
            continue
        widget = ref.get_object()
        halaman = widget.get("/P")
        for indeks in range(int(pembaca.root["/Pages"]["/Count"])):
            if pembaca.find_page_for_modification(indeks)[0] == halaman:
                x1, y1, x2, y2 = (round(float(v)) for v in widget["/Rect"])
                return Kotak(indeks, (x1, y1, x2, y2))
    raise GagalTtd("Blok tanda tangan Anda tidak ditemukan pada berkas dokumen; hubungi admin aplikasi.")


def _berkas(dok: Dokumen) -> bytes:
    with dok.berkas.open("rb") as berkas:
        return berkas.read()  # type: ignore[no-any-return]


def _penanda(oleh: User, kredensial: Kredensial) -> Penanda:
    peg = oleh.pegawai
    nama = peg.nama_lengkap if peg is not None else (oleh.get_full_name() or oleh.get_username())
    return Penanda(oleh.pk, nama, peg.nip if peg is not None else "", kredensial.nik)


@transaction.atomic
def tanda_tangani(dok: Dokumen, oleh: User, kredensial: Kredensial, dasar: str) -> TandaTangan:
    """Sign ``dok`` in the slot ``oleh`` fills. ``dasar`` is the site's address (the QR code's link).

    Raises PermissionDenied when ``oleh`` may not sign it now, GagalTtd (its ``pesan`` for the signer)
    when signing failed; nothing is saved then."""
    dok = Dokumen.objects.select_for_update().get(pk=dok.pk)
    require(oleh, "dokumen.sign_dokumen", dok, "Anda tidak dapat menandatangani dokumen ini sekarang.")
    peran = pihak.peran_pengguna(oleh, dok)
    slot = ttd.slot(dok.jenis, peran) if peran is not None else None
    assert peran is not None and slot is not None  # the permission checked both
    atur = layanan.pengaturan(dok.instansi_id)
    penyedia = layanan.penyedia_untuk(atur)
    penanda = _penanda(oleh, kredensial)
    penyedia.periksa_penanda(penanda)

    dasar_pdf = _berkas(dok) if dok.berkas else _bekukan(dok, dasar)
    sebelum = pdf.periksa(dasar_pdf, akar=[])
    field = pdf.AWALAN_ID + peran.value
    kotak = _kotak_field(dok, dasar_pdf, field)
    lokasi = atur.lokasi or dok.instansi.kota
    (hasil,) = penyedia.tanda_tangani(
        penanda, kredensial, [Permintaan(dasar_pdf, field, kotak, slot.alasan, lokasi)]
    )
    sesudah = pdf.periksa(hasil.pdf, akar=[])
    if (
        sesudah.galat
        or len(sesudah.tanda_tangan) != len(sebelum.tanda_tangan) + 1
        or not all(t.utuh for t in sesudah.tanda_tangan)
    ):
        raise GagalTtd("Berkas yang ditandatangani tidak utuh; tidak disimpan. Coba lagi.", sementara=True)

    sudah = {ttd.Peran(p) for p in dok.tanda_tangan.values_list("peran", flat=True)} | {peran}
    _simpan(dok, hasil.pdf, len(sudah))
    dok.status_ttd = ttd.status_ttd(dok.jenis, sudah).value
    dok.save(update_fields=["berkas", "berkas_sha256", "status_ttd", "kotak_ttd"])
    return TandaTangan.objects.create(
        dokumen=dok,
        peran=peran.value,
        penanda_tangan=oleh,
        nama=penanda.nama,
        nip=penanda.nip,
        penyedia=penyedia.kode,
        sertifikat_subjek=hasil.subjek,
        sertifikat_penerbit=hasil.penerbit,
        sertifikat_seri=hasil.nomor_seri,
        sha256_berkas=dok.berkas_sha256,
        waktu=timezone.now(),
    )
