"""Reading what SIASN holds for each pegawai (``pns/data-utama/{nip}``, docs/rules.md §21.10).

A refresh of an instansi is a :class:`PenyegaranDataUtama` record run by a background job
(:func:`jalankan_penyegaran` through ``pekerjaan.services.mulai``, docs/architecture.md "Background jobs")
or by the ``siasn_data_utama`` command: one pegawai after another, the network call outside any
transaction, each snapshot stored in its own short transaction (one pegawai's failure never undoes
another's read), the progress reported to the job and the failures with their reason kept on the record
after each one so the page can show them. Starting one while another of the same instansi still runs gives
the running one (the record's check under the instansi's lock, and the job's key): a double click starts
nothing twice. A record queued before reads ran as jobs still runs through `data_utama/tasks.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan, PekerjaanDiambilAlih, mulai
from kinerja.permissions import require
from kinerja.rules.siasn_data_utama import DataUtama, DataUtamaTidakSah, parse_data_utama
from kinerja.tindak_lanjut.models import (
    DataUtamaSiasn,
    IdSiasnPegawai,
    PenyegaranDataUtama,
    StatusPenyegaran,
)
from kinerja.tindak_lanjut.siasn.kirim.services import check_siasn_ready
from kinerja.tindak_lanjut.siasn.klien import KlienSiasn, SiasnError, klien_wajib

PERM = "tindak_lanjut.check_data_siasn"
JENIS_PEKERJAAN = "siasn_data_utama"
PESAN_GAGAL_UMUM = "Pembacaan terhenti karena kesalahan tak terduga; silakan baca ulang."


@transaction.atomic
def store_data_utama(pegawai: Pegawai, data: DataUtama) -> DataUtamaSiasn:
    """Keep the snapshot (replacing the last one; the history keeps it) and the SIASN id when the pegawai
    had none yet (a stored id is never changed here: the sends name the pegawai by it)."""
    nilai = {
        "pns_id": data.pns_id,
        "unor_id": data.unor_id,
        "unor_nama": data.unor_nama,
        "unor_induk_id": data.unor_induk_id,
        "unor_induk_nama": data.unor_induk_nama,
        "jabatan_id": data.jabatan_id,
        "jabatan_nama": data.jabatan_nama,
        "jenis_jabatan_id": data.jenis_jabatan_id,
        "jenis_jabatan": data.jenis_jabatan,
        "tmt_jabatan": data.tmt_jabatan,
        "golongan": data.golongan,
        "eselon": data.eselon,
        "dibaca_pada": timezone.now(),
    }
    obj, _ = DataUtamaSiasn.objects.update_or_create(pegawai=pegawai, defaults=nilai)
    IdSiasnPegawai.objects.get_or_create(
        pegawai=pegawai, defaults={"pns_id": data.pns_id, "dicari_pada": nilai["dibaca_pada"]}
    )
    return obj


def read_data_utama(pegawai: Pegawai, klien: KlienSiasn) -> DataUtamaSiasn:
    """Look the pegawai up in SIASN and store what it holds; SiasnError or DataUtamaTidakSah otherwise."""
    return store_data_utama(pegawai, parse_data_utama(klien.data_utama(pegawai.nip), pegawai.nip))


def pegawai_penyegaran(p: PenyegaranDataUtama) -> QuerySet[Pegawai]:
    qs = Pegawai.objects.filter(instansi_id=p.instansi_id, aktif=True)
    if p.nip:
        qs = qs.filter(nip__in=p.nip)
    return qs.order_by("nip")


def penyegaran_berjalan(instansi: Instansi) -> PenyegaranDataUtama | None:
    return (
        PenyegaranDataUtama.objects.select_related("pekerjaan")
        .filter(instansi=instansi, status__in=[StatusPenyegaran.ANTRI, StatusPenyegaran.BERJALAN])
        .order_by("-dibuat_pada", "-pk")
        .first()
    )


@transaction.atomic
def create_refresh(
    instansi: Instansi, oleh: User | None = None, nips: Iterable[str] = (), untuk_impor: bool = False
) -> PenyegaranDataUtama:
    """A refresh record for the instansi's active pegawai (only ``nips`` when given), not yet run. For the
    organisation import (``untuk_impor``) every NIP given is read, in Kinerja or not (§21.12)."""
    p = PenyegaranDataUtama(
        instansi=instansi, dimulai_oleh=oleh, nip=sorted(set(nips)), untuk_impor=untuk_impor
    )
    p.jumlah = len(p.nip) if untuk_impor and p.nip else pegawai_penyegaran(p).count()
    p.save()
    return p


def nip_luar(p: PenyegaranDataUtama) -> list[str]:
    """The NIPs of an import read that are no pegawai of the instansi's (read into ``baru``)."""
    if not (p.untuk_impor and p.nip):
        return []
    ada: set[str] = set()
    for i in range(0, len(p.nip), 500):  # SQLite limits the parameters of one query
        ada.update(Pegawai.objects.filter(nip__in=p.nip[i : i + 500]).values_list("nip", flat=True))
    return [n for n in p.nip if n not in ada]


def _ada_lain(p: PenyegaranDataUtama) -> list[dict[str, str]]:
    """NIPs of an import read held by an inactive pegawai or one of another instansi: not read."""
    if not (p.untuk_impor and p.nip):
        return []
    hasil = []
    for i in range(0, len(p.nip), 500):
        for nip, nama, inst, aktif in Pegawai.objects.filter(nip__in=p.nip[i : i + 500]).values_list(
            "nip", "nama", "instansi_id", "aktif"
        ):
            if inst != p.instansi_id:
                hasil.append(
                    {"nip": nip, "nama": "", "alasan": "NIP ini terdaftar di instansi lain; tidak dibaca."}
                )
            elif not aktif:
                hasil.append(
                    {"nip": nip, "nama": nama, "alasan": "pegawai ini tidak aktif di Kinerja; tidak dibaca."}
                )
    return hasil


def data_json(d: DataUtama) -> dict[str, object]:
    """A snapshot of a NIP not in Kinerja, kept on the read (``PenyegaranDataUtama.baru``)."""
    nilai: dict[str, object] = dict(vars(d))
    nilai["tmt_jabatan"] = d.tmt_jabatan.isoformat() if d.tmt_jabatan else None
    return nilai


def start_refresh(instansi: Instansi, user: User) -> tuple[PenyegaranDataUtama, bool]:
    """The admin asks for a refresh of every active pegawai: (the record, True) queued as a background
    task, or (the one still running, False). ValidationError, naming what is missing, when SIASN is not
    configured for the instansi."""
    require(user, PERM, instansi)
    check_siasn_ready(instansi)
    with transaction.atomic():
        # Locks the instansi row so two clicks at once cannot both start one.
        Instansi.objects.select_for_update().get(pk=instansi.pk)
        berjalan = penyegaran_berjalan(instansi)
        if berjalan is not None:
            return berjalan, False
        p = create_refresh(instansi, user)
        queue_refresh(p, user)
    return p, True


def kunci_pekerjaan(instansi_id: int) -> str:
    """One read of an instansi's data utama at a time, a refresh or an import read alike."""
    return f"siasn-data-utama:{instansi_id}"


def queue_refresh(p: PenyegaranDataUtama, user: User) -> None:
    """Run the new record ``p`` as a background job (in the caller's transaction, under the instansi's
    lock). The job of this instansi's key still running (its record already finished, the job not yet):
    ValidationError, and the caller's transaction leaves no record."""
    if p.untuk_impor:
        judul = f"Pembacaan data utama SIASN untuk impor ({p.jumlah} NIP)"
    else:
        judul = f"Pembacaan data utama SIASN ({p.jumlah} pegawai)"
    job = mulai(
        JENIS_PEKERJAAN,
        kunci_pekerjaan(p.instansi_id),
        user,
        p.instansi,
        judul,
        jalankan_penyegaran,
        penyegaran_id=p.pk,
    )
    if not job.baru:
        raise ValidationError("Pembacaan sebelumnya baru saja selesai; muat ulang halaman lalu coba lagi.")
    _progress(p, pekerjaan=job)


def jalankan_penyegaran(laporan: Laporan, penyegaran_id: int) -> None:
    """The job's function: run the refresh record (a restarted job runs it again from the start; a record
    already finished or removed is left alone). What stops the read is kept on the record as well, so the
    page shows it either way."""
    p = PenyegaranDataUtama.objects.filter(pk=penyegaran_id).first()
    if p is None or not p.berjalan:
        laporan.ringkas("Pembacaan ini sudah berakhir; untuk membaca lagi, tekan tombol baca di halamannya.")
        return
    _progress(p, pekerjaan=laporan.pekerjaan)
    try:
        klien = klien_wajib()
    except SiasnError as e:
        fail_refresh(p, e.pesan)
        raise GagalPekerjaan(e.pesan) from e
    try:
        run_refresh(p, klien, laporan)
    except PekerjaanDiambilAlih:
        raise  # restarted: the new run owns the record
    except Exception:
        fail_refresh(p, PESAN_GAGAL_UMUM)
        raise
    laporan.ringkas(p.pesan)


def _progress(p: PenyegaranDataUtama, **ubah: object) -> None:
    for k, v in ubah.items():
        setattr(p, k, v)
    PenyegaranDataUtama.objects.filter(pk=p.pk).update(**ubah)


def fail_refresh(p: PenyegaranDataUtama, pesan: str) -> PenyegaranDataUtama:
    """The refresh cannot run at all (SIASN not configured): kept with the reason."""
    _progress(p, status=StatusPenyegaran.GAGAL, pesan=pesan, selesai_pada=timezone.now())
    return p


def run_refresh(
    p: PenyegaranDataUtama, klien: KlienSiasn, laporan: Laporan | None = None
) -> PenyegaranDataUtama:
    """Read every pegawai of the refresh, one by one; the record counts them and lists the failures, the
    job's reporter (when run as a job) shows the progress."""
    pegawai = list(pegawai_penyegaran(p))
    _progress(p, status=StatusPenyegaran.BERJALAN, jumlah=len(pegawai), selesai=0, kegagalan=[])
    # An import read counts every NIP of its list, in Kinerja or not.
    total = len(p.nip) if p.untuk_impor and p.nip else len(pegawai)

    def lapor(selesai: int, jumlah: int, teks: str) -> None:
        if laporan is not None:
            laporan.langkah(selesai, jumlah, teks)

    lapor(0, total, "Membaca data utama dari SIASN")
    kegagalan: list[dict[str, str | bool]] = []
    for i, peg in enumerate(pegawai, start=1):
        try:
            read_data_utama(peg, klien)
        except SiasnError as e:
            gagal: dict[str, str | bool] = {"nip": peg.nip, "nama": peg.nama_lengkap, "alasan": e.pesan}
            if e.status == 404:
                # SIASN does not know the NIP: the snapshot kept from an earlier read is no longer SIASN's
                # record and is not compared (rules.md §21.11).
                gagal["tidak_dikenal"] = True
            kegagalan.append(gagal)
        except DataUtamaTidakSah as e:
            kegagalan.append({"nip": peg.nip, "nama": peg.nama_lengkap, "alasan": str(e)})
        _progress(p, selesai=i, kegagalan=list(kegagalan))
        lapor(i, total, f"{peg.nama_lengkap} ({len(kegagalan)} gagal)")
    jumlah = len(pegawai)
    if p.untuk_impor:
        # NIPs with no pegawai yet: the same read, the snapshot kept on the record (§21.12).
        lain = _ada_lain(p)
        kegagalan += lain
        luar = nip_luar(p)
        jumlah += len(luar) + len(lain)
        _progress(p, jumlah=jumlah, selesai=len(pegawai) + len(lain), kegagalan=list(kegagalan))
        baru: list[dict[str, object]] = []
        for i, nip in enumerate(luar, start=len(pegawai) + len(lain) + 1):
            try:
                baru.append(data_json(parse_data_utama(klien.data_utama(nip), nip)))
            except SiasnError as e:
                kegagalan.append({"nip": nip, "nama": "", "alasan": e.pesan})
            except DataUtamaTidakSah as e:
                kegagalan.append({"nip": nip, "nama": "", "alasan": str(e)})
            _progress(p, selesai=i, kegagalan=list(kegagalan), baru=list(baru))
            lapor(i, jumlah, f"NIP {nip} ({len(kegagalan)} gagal)")
    berhasil = jumlah - len(kegagalan)
    _progress(
        p,
        status=StatusPenyegaran.SELESAI,
        selesai_pada=timezone.now(),
        pesan=f"{berhasil} dari {jumlah} pegawai terbaca dari SIASN, {len(kegagalan)} gagal.",
    )
    return p
