"""Loading the pegawai's SIASN ids from a file, for an instansi without API access (docs/rules.md §21.2,
"ID SIASN dari berkas").

All or nothing: a file with any problem saves nothing and every problem is named with its row. Ids that
differ from the one stored are shown first and replaced only when the admin confirms what they saw; the
confirmation carries the pairs and the replacements seen, signed for this admin and instansi (no upload is
kept on the server), and everything is checked again when it arrives. Every id written is in the
history with the admin and the file's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja.organisasi.models import Instansi, User
from kinerja.permissions import require
from kinerja.tindak_lanjut.models import IdSiasnPegawai
from kinerja.tindak_lanjut.siasn.ekspor import impor_id
from kinerja.tindak_lanjut.siasn.ekspor import selectors as sel
from kinerja.tindak_lanjut.siasn.ekspor.impor_id import Galat, Pasangan

_SALT = "kinerja.tindak_lanjut.siasn.id-pegawai"
#: How long a preview with replacements may be confirmed.
BERLAKU_DETIK = 3600
PESAN_IZIN = "Hanya admin kepegawaian instansi ini yang dapat mengisi ID SIASN pegawai."
PESAN_KEDALUWARSA = (
    "Konfirmasi tidak berlaku lagi (lebih dari 60 menit, atau bukan untuk akun ini): unggah berkasnya lagi."
)


@dataclass
class HasilImpor:
    """What an upload or a confirmation did: saved, refused (``galat``), or waiting for the admin to confirm
    the replacements (``token``; ``berubah``: the stored ids changed since the preview they confirmed)."""

    nama_berkas: str
    rencana: sel.RencanaId = field(default_factory=sel.RencanaId)
    galat: list[Galat] = field(default_factory=list)
    disimpan: bool = False
    token: str = ""
    berubah: bool = False
    tanpa_id: int = 0  # rows with an NIP and no id, skipped

    @property
    def perlu_konfirmasi(self) -> bool:
        return bool(self.token)


def import_id_siasn(instansi: Instansi, oleh: User, berkas: IO[bytes], nama_berkas: str) -> HasilImpor:
    """Read and check an uploaded file; save it at once unless it would replace stored ids."""
    require(oleh, "tindak_lanjut.import_id_siasn", instansi, PESAN_IZIN)
    isi = impor_id.read_pasangan(berkas, nama_berkas)
    if isi.galat:
        # Every problem in one pass (docs/rules.md §23.3): the readable rows are checked against the
        # instansi too.
        galat = isi.galat + (sel.plan_id_siasn(instansi, isi.pasangan).galat if isi.pasangan else [])
        return HasilImpor(nama_berkas, galat=sorted(galat, key=lambda g: g.baris))
    return _save(instansi, oleh, isi.pasangan, nama_berkas, disetujui=[], tanpa_id=isi.tanpa_id)


def confirm_id_siasn(instansi: Instansi, oleh: User, token: str) -> HasilImpor:
    """The admin confirms the replacements they were shown: saved when they are still exactly those."""
    require(oleh, "tindak_lanjut.import_id_siasn", instansi, PESAN_IZIN)
    try:
        data: dict[str, Any] = signing.loads(token, salt=_SALT, max_age=BERLAKU_DETIK)
    except signing.BadSignature:
        return HasilImpor("", galat=[Galat(0, PESAN_KEDALUWARSA)])
    if data.get("i") != instansi.pk or data.get("u") != oleh.pk:
        return HasilImpor("", galat=[Galat(0, PESAN_KEDALUWARSA)])
    pasangan = [Pasangan(int(b), str(n), str(i)) for b, n, i in data["p"]]
    return _save(instansi, oleh, pasangan, str(data["n"]), disetujui=data["g"], tanpa_id=int(data["k"]))


@transaction.atomic
def _save(
    instansi: Instansi,
    oleh: User,
    pasangan: list[Pasangan],
    nama_berkas: str,
    *,
    disetujui: list[list[str]],
    tanpa_id: int,
) -> HasilImpor:
    # Two uploads at once must not interleave: lock the instansi's stored ids while checking and writing.
    list(IdSiasnPegawai.objects.select_for_update().filter(pegawai__instansi=instansi).values_list("pk"))
    rencana = sel.plan_id_siasn(instansi, pasangan)
    if not rencana.ok:
        return HasilImpor(nama_berkas, rencana, rencana.galat)
    if rencana.ganti and rencana.kunci_ganti() != disetujui:
        token = signing.dumps(
            {
                "i": instansi.pk,
                "u": oleh.pk,
                "n": nama_berkas,
                "p": [[p.baris, p.nip, p.pns_id] for p in pasangan],
                "g": rencana.kunci_ganti(),
                "k": tanpa_id,
            },
            salt=_SALT,
            compress=True,
        )
        return HasilImpor(nama_berkas, rencana, token=token, berubah=bool(disetujui), tanpa_id=tanpa_id)
    sekarang = timezone.now()
    alasan = f"Impor ID SIASN dari berkas {nama_berkas}"[:100]
    baru = [IdSiasnPegawai(pegawai=p.pegawai, pns_id=p.pns_id, dicari_pada=sekarang) for p in rencana.baru]
    if baru:
        bulk_create_with_history(baru, IdSiasnPegawai, default_user=oleh, default_change_reason=alasan)
    if rencana.ganti:
        ada = {
            obj.pegawai_id: obj
            for obj in IdSiasnPegawai.objects.filter(pegawai__in=[p.pegawai.pk for p in rencana.ganti])
        }
        ubah = []
        for p in rencana.ganti:
            obj = ada[p.pegawai.pk]
            obj.pns_id, obj.dicari_pada = p.pns_id, sekarang
            ubah.append(obj)
        bulk_update_with_history(
            ubah, IdSiasnPegawai, ["pns_id", "dicari_pada"], default_user=oleh, default_change_reason=alasan
        )
    return HasilImpor(nama_berkas, rencana, disimpan=True, tanpa_id=tanpa_id)
