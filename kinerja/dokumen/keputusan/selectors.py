"""Reads for the keberatan decision document: its content data (hashed) and its validity now.

The content is what the keberatan record holds once decided: the pegawai and the evaluation objected to
(as snapshotted on the evaluation), the reasons of both sides, the decision with its reasons and, when
granted, the new ratings and predikat, and the pemutus with the jabatan held on the decision day
(docs/rules.md §18, §29.7).
"""

from __future__ import annotations

from typing import Any

from kinerja.common.tanggal import tanggal_lokal, tanggal_panjang
from kinerja.dokumen.models import FINAL, Dokumen
from kinerja.dokumen.selectors import Isi, Keabsahan
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, User
from kinerja.perencanaan.selectors import hash_data
from kinerja.rules.keberatan import DIPUTUS, Status
from kinerja.tindak_lanjut.models import Keberatan

# What the document reads beyond the keberatan row (one query).
RELASI = ("instansi", "evaluasi__periode", "evaluasi__periode_penilaian", "pegawai", "penilai", "pemutus")


def keberatan_untuk_dokumen(pk: int) -> Keberatan:
    """The keberatan with what its decision document needs (raises Keberatan.DoesNotExist)."""
    return Keberatan.objects.select_related(*RELASI).get(pk=pk)


def diputus(k: Keberatan) -> bool:
    """Only a decided keberatan (ditolak / dikabulkan) has a decision document."""
    return k.status_enum in DIPUTUS and k.diputus_pada is not None


def _jabatan_pemutus(k: Keberatan) -> str:
    """The pemutus's jabatan on the decision day: the definitif post, else an acting one (PLT/PLH), else
    the atasan's jabatan snapshotted on the evaluation when the pemutus is that atasan."""
    assert k.pemutus is not None and k.diputus_pada is not None
    penempatan = org.penempatan_aktif(k.pemutus, tanggal_lokal(k.diputus_pada))
    utama = org.jabatan_utama(k.pemutus, penempatan=penempatan)
    pilihan = utama or (penempatan[0] if penempatan else None)
    if pilihan is not None:
        plt = pilihan.jenis in ("plt", "plh")
        return (f"{pilihan.jenis.capitalize()}. " if plt else "") + pilihan.jabatan.nama
    if k.pemutus_id == k.evaluasi.atasan_penilai_id:
        return k.evaluasi.atasan_jabatan_nama
    return ""


def _pemutus(k: Keberatan) -> dict[str, str]:
    if k.pemutus is None:
        return {}
    peg: Pegawai = k.pemutus
    return {
        "nama": peg.nama_lengkap,
        "nip": peg.nip,
        "pangkat": peg.pangkat_label if peg.pangkat_golongan else "",
        "jabatan": _jabatan_pemutus(k),
        # The atasan pejabat penilai decides; an official routed by the admin decides in its place (§18).
        "sebagai": "Atasan Pejabat Penilai Kinerja"
        if k.pemutus_dialihkan_oleh_id is None and k.pemutus_id == k.evaluasi.atasan_penilai_id
        else "Pejabat yang Ditunjuk Memutus Keberatan",
    }


def fill_keputusan(k: Keberatan) -> Isi:
    """The content of the decision document of a decided keberatan (ValueError when not decided)."""
    if not diputus(k):
        raise ValueError("Keberatan ini belum diputus.")
    ev = k.evaluasi
    dikabulkan = k.status == Status.DIKABULKAN.value
    data: dict[str, Any] = {
        "instansi": k.instansi.nama,
        "kota": k.instansi.kota,
        "tahun": ev.periode.tahun,
        "periode": ev.nama_periode,
        "pegawai": {
            "nama": ev.pegawai_nama,
            "nip": ev.pegawai_nip,
            "pangkat": ev.pegawai_pangkat,
            "jabatan": ev.pegawai_jabatan,
            "unit": ev.pegawai_unit,
        },
        "penilai": {"nama": ev.penilai_nama, "nip": ev.penilai_nip, "jabatan": ev.penilai_jabatan_nama}
        if ev.penilai_nama
        else {},
        "awal": {
            "rating_hasil": k.rating_hasil_awal,
            "rating_perilaku": k.rating_perilaku_awal,
            "predikat": k.predikat_awal,
        },
        "diajukan_pada": k.diajukan_pada.isoformat(),
        "alasan": k.alasan,
        "penjelasan": k.penjelasan,
        "dijelaskan_pada": k.dijelaskan_pada.isoformat() if k.dijelaskan_pada else None,
        "keputusan": k.status,
        "baru": {
            "rating_hasil": k.rating_hasil_baru,
            "rating_perilaku": k.rating_perilaku_baru,
            "predikat": k.predikat_akhir,
        }
        if dikabulkan
        else {},
        "pertimbangan": k.keputusan_alasan,
        "diputus_pada": k.diputus_pada.isoformat() if k.diputus_pada else None,
        "pemutus": _pemutus(k),
    }
    return Isi(data, hash_data(data), 1, FINAL, k.diputus_pada)


def pengguna_pemutus(k: Keberatan) -> User | None:
    """The active login of the pemutus (who signs the decision, docs/rules.md §29.7); None without one."""
    if k.pemutus_id is None:
        return None
    return User.objects.filter(pegawai_id=k.pemutus_id, is_active=True).first()


def keabsahan(dok: Dokumen) -> Keabsahan:
    """The decision is final: the document stays valid while the keberatan still holds the same content."""
    k = Keberatan.objects.select_related(*RELASI).filter(pk=dok.objek_id).first()
    if k is None or not diputus(k):
        return Keabsahan(
            "tidak_berlaku",
            "Dokumen ini sudah tidak berlaku",
            "Keputusan keberatan sumber dokumen ini tidak ada.",
        )
    if fill_keputusan(k).sha256 != dok.sha256:
        return Keabsahan(
            "tidak_berlaku",
            "Dokumen ini sudah tidak berlaku",
            "Isi keputusan keberatan telah berubah sejak dokumen ini dicetak.",
        )
    return Keabsahan(
        "sah",
        "Dokumen ini sah",
        f"Keberatan atas predikat kinerja diputus pada {tanggal_panjang(k.diputus_pada)}; "
        "keputusan bersifat final.",
    )
