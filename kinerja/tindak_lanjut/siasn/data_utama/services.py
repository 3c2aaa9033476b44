"""Reading what SIASN holds for each pegawai (``pns/data-utama/{nip}``, docs/rules.md §21.10).

A refresh of an instansi is a :class:`PenyegaranDataUtama` record run by a background task
(`data_utama/tasks.py`) or by the ``siasn_data_utama`` command: one pegawai after another, the network call
outside any transaction, each snapshot stored in its own short transaction (one pegawai's failure never
undoes another's read), the progress (done / total, failures with their reason) written after each one so
the page can show it. Starting one while another of the same instansi still runs gives the running one:
a double click starts nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kinerja.common.tugas import enqueue_on_commit
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.permissions import require
from kinerja.rules.siasn_data_utama import DataUtama, DataUtamaTidakSah, parse_data_utama
from kinerja.tindak_lanjut.models import (
    DataUtamaSiasn,
    IdSiasnPegawai,
    PenyegaranDataUtama,
    StatusPenyegaran,
)
from kinerja.tindak_lanjut.siasn.kirim.services import check_siasn_ready
from kinerja.tindak_lanjut.siasn.klien import KlienSiasn, SiasnError

PERM = "tindak_lanjut.check_data_siasn"


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
        PenyegaranDataUtama.objects.filter(
            instansi=instansi, status__in=[StatusPenyegaran.ANTRI, StatusPenyegaran.BERJALAN]
        )
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
        from kinerja.tindak_lanjut.siasn.data_utama.tasks import refresh_data_utama

        enqueue_on_commit(refresh_data_utama, p.pk)
    return p, True


def _progress(p: PenyegaranDataUtama, **ubah: object) -> None:
    for k, v in ubah.items():
        setattr(p, k, v)
    PenyegaranDataUtama.objects.filter(pk=p.pk).update(**ubah)


def fail_refresh(p: PenyegaranDataUtama, pesan: str) -> PenyegaranDataUtama:
    """The refresh cannot run at all (SIASN not configured): kept with the reason."""
    _progress(p, status=StatusPenyegaran.GAGAL, pesan=pesan, selesai_pada=timezone.now())
    return p


def run_refresh(p: PenyegaranDataUtama, klien: KlienSiasn) -> PenyegaranDataUtama:
    """Read every pegawai of the refresh, one by one; the record counts them and lists the failures."""
    pegawai = list(pegawai_penyegaran(p))
    _progress(p, status=StatusPenyegaran.BERJALAN, jumlah=len(pegawai), selesai=0, kegagalan=[])
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
    berhasil = jumlah - len(kegagalan)
    _progress(
        p,
        status=StatusPenyegaran.SELESAI,
        selesai_pada=timezone.now(),
        pesan=f"{berhasil} dari {jumlah} pegawai terbaca dari SIASN, {len(kegagalan)} gagal.",
    )
    return p
