"""Signing many documents with one passphrase, as a background job (docs/rules.md §29.6).

The passphrase (or TOTP) never enters the job's record: it is Fernet-encrypted into a `KredensialSementara`
row under a random key for ``TTL_RAHASIA`` seconds and only that key is a job parameter; the job takes the
row and deletes it before signing. Each selected item is signed only while it is still in the owner's
`menunggu_ttd` list (so nobody signs someone else's slot), through the same issuing services as the single
entry routes and the same `tanda_tangani`; one document failing does not stop the others, but a refused
credential before anything was signed stops the job with its message.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.common import rahasia
from kinerja.dokumen import selectors as dokumen_selectors
from kinerja.dokumen import services as dokumen_services
from kinerja.dokumen.evaluasi import selectors as sumber_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.models import Dokumen, KredensialSementara
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.menunggu import DOKUMEN, EVALUASI, SKP, ItemTtd, menunggu_ttd
from kinerja.dokumen.ttd.penyedia import GagalTtd, Kredensial
from kinerja.organisasi.models import User
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp

JENIS_PEKERJAAN = "ttd_massal"
TTL_RAHASIA = 600
#: A job signs at most this many documents (a penilai's whole team for a periode fits easily).
BATAS = 300
PESAN_TIDAK_MENUNGGU = (
    "Sebagian dokumen yang dipilih tidak lagi menunggu tanda tangan Anda; muat ulang halaman."
)
PESAN_HILANG = (
    "Passphrase untuk pekerjaan ini sudah tidak tersedia (lebih dari 10 menit, atau sudah dipakai). "
    "Pilih dokumen dan masukkan passphrase lagi di halaman Menunggu tanda tangan saya."
)
#: Words of a GagalTtd about the signer or the credential, not about one document (the job stops on it
#: before anything was signed: the same credential would fail every document).
_PENANDA = ("passphrase", "totp", "sertifikat elektronik", "nik ", "bsre")


def _kunci_rahasia() -> str:
    return "ttd-massal:" + secrets.token_urlsafe(24)


def kunci_pekerjaan(user: User, pilihan: list[str]) -> str:
    """The same user signing the same selection gets the same job while it runs (a double press)."""
    sidik = hashlib.sha256(",".join(sorted(pilihan)).encode()).hexdigest()[:32]
    return f"ttd-massal:{user.pk}:{sidik}"


def start_ttd_massal(user: User, pilihan: list[str], kredensial: Kredensial, dasar: str) -> Pekerjaan:
    """Queue the signing of the selected items of ``user``'s list (or give the same selection's job still
    queued or running). ValidationError when the selection is empty, too large or not all waiting."""
    pilihan = sorted(set(pilihan))
    if not pilihan:
        raise ValidationError("Pilih paling sedikit satu dokumen.")
    if len(pilihan) > BATAS:
        raise ValidationError(f"Paling banyak {BATAS} dokumen sekali tanda tangan.")
    daftar = {i.kunci for i in menunggu_ttd(user)}
    if not daftar:
        raise PermissionDenied("Tidak ada dokumen yang menunggu tanda tangan Anda.")
    if not set(pilihan) <= daftar:
        raise ValidationError(
            "Sebagian dokumen yang dipilih tidak lagi menunggu tanda tangan Anda; muat ulang."
        )
    kunci = kunci_pekerjaan(user, pilihan)
    aktif = Pekerjaan.objects.filter(kunci=kunci, status__in=["antre", "berjalan"]).first()
    if aktif is not None and not aktif.terhenti:
        aktif.baru = False
        return aktif  # the running job has its own passphrase; store nothing for this press
    kunci_rahasia = _kunci_rahasia()
    _simpan_kredensial(user, kunci_rahasia, kredensial)
    p = pekerjaan.mulai(
        JENIS_PEKERJAAN,
        kunci,
        user,
        user.pegawai.instansi,  # type: ignore[union-attr]
        f"Tanda tangan {len(pilihan)} dokumen",
        jalankan_ttd_massal,
        kunci_rahasia=kunci_rahasia,
        pilihan=pilihan,
        dasar=dasar,
    )
    if not p.baru:
        KredensialSementara.objects.filter(kunci=kunci_rahasia).delete()  # another request started it
    return p


def _simpan_kredensial(user: User, kunci_rahasia: str, kredensial: Kredensial) -> None:
    sekarang = timezone.now()
    KredensialSementara.objects.filter(kedaluwarsa__lte=sekarang).delete()
    isi = json.dumps({"passphrase": kredensial.passphrase, "totp": kredensial.totp, "nik": kredensial.nik})
    KredensialSementara.objects.create(
        kunci=kunci_rahasia,
        sandi=rahasia.sandikan(isi),
        pemilik=user,
        kedaluwarsa=sekarang + datetime.timedelta(seconds=TTL_RAHASIA),
    )


def _ambil_kredensial(kunci_rahasia: str) -> Kredensial:
    """Take the job's credential and delete it (a second read finds nothing)."""
    with transaction.atomic():
        baris = (
            KredensialSementara.objects.select_for_update()
            .filter(kunci=kunci_rahasia, kedaluwarsa__gt=timezone.now())
            .first()
        )
        KredensialSementara.objects.filter(kunci=kunci_rahasia).delete()
    if baris is None:
        raise GagalPekerjaan(PESAN_HILANG)
    try:
        data = json.loads(rahasia.buka(baris.sandi))
    except rahasia.RahasiaTakTerbaca:
        raise GagalPekerjaan(PESAN_HILANG) from None
    return Kredensial(
        passphrase=data.get("passphrase", ""), totp=data.get("totp", ""), nik=data.get("nik", "")
    )


def _dokumen(item: ItemTtd, oleh: User) -> Dokumen:
    """The item's current document, issued as the single entry route issues it."""
    sumber, _, pk = item.kunci.partition(":")
    if sumber == SKP:
        skp = dokumen_selectors.skp_untuk_dokumen(int(pk))
        return dokumen_services.issue_skp(skp, dokumen_selectors.fill_skp(skp), oleh)
    if sumber == EVALUASI:
        ev = sumber_evaluasi.evaluasi_untuk_dokumen(int(pk))
        return services_evaluasi.issue_evaluasi(ev, sumber_evaluasi.fill_evaluasi(ev), oleh)
    assert sumber == DOKUMEN
    return Dokumen.objects.get(pk=int(pk))


def _gagal_penanda(exc: GagalTtd) -> bool:
    kecil = exc.pesan.lower()
    return any(k in kecil for k in _PENANDA)


def jalankan_ttd_massal(laporan: Laporan, *, kunci_rahasia: str, pilihan: list[str], dasar: str) -> None:
    """The job: take the credential out of its row, then sign each selected item still waiting."""
    kredensial = _ambil_kredensial(kunci_rahasia)
    oleh = laporan.pekerjaan.pemilik
    daftar = {i.kunci: i for i in menunggu_ttd(oleh)}
    laporan.langkah(0, len(pilihan), "Menyiapkan dokumen")
    baris: list[str] = []
    berhasil = 0
    for n, kunci in enumerate(pilihan, start=1):
        item = daftar.get(kunci)
        nama = f"{item.jenis_label} {item.pegawai} ({item.periode})" if item else kunci
        try:
            if item is None:
                raise PermissionDenied("Dokumen ini tidak lagi menunggu tanda tangan Anda.")
            ttd_services.tanda_tangani(_dokumen(item, oleh), oleh, kredensial, dasar)
        except GagalTtd as exc:
            if berhasil == 0 and _gagal_penanda(exc):
                raise GagalPekerjaan(f"{exc.pesan} Tidak ada dokumen yang ditandatangani.") from None
            baris.append(f"✗ {nama}: {exc.pesan}")
        except (PermissionDenied, Skp.DoesNotExist, Evaluasi.DoesNotExist, Dokumen.DoesNotExist) as exc:
            baris.append(f"✗ {nama}: {exc or 'Anda tidak dapat menandatangani dokumen ini.'}")
        else:
            berhasil += 1
            baris.append(f"✓ {nama}")
        laporan.langkah(n, len(pilihan), nama)
    gagal = len(pilihan) - berhasil
    laporan.ringkas(
        f"{berhasil} dokumen ditandatangani"
        + (f", {gagal} gagal" if gagal else "")
        + ".\n"
        + "\n".join(baris)
    )
