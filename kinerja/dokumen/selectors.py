"""Reads for documents: the content data each document prints (and hashes), and a document's validity now.

The content data is plain JSON-able data. An approved SKP prints the frozen `SkpVersi` of its revision
(the same hash the approval recorded); a draft prints `perencanaan.selectors.snapshot` of the live rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.models import Dokumen
from kinerja.organisasi.models import Periode, UnitKerja
from kinerja.perencanaan import selectors as rencana
from kinerja.perencanaan.models import PerjanjianKinerja, PerjanjianKinerjaIndikator, Skp, SkpVersi
from kinerja.perencanaan.selectors import hash_data, snapshot
from kinerja.rules import Perspektif
from kinerja.rules.alur import Status
from kinerja.rules.jadwal import NAMA_BULAN

URUTAN_PERSPEKTIF = {p.value: i for i, p in enumerate(Perspektif)}
BULAN = NAMA_BULAN


def mask_nip(nip: str) -> str:
    """The NIP as the public verification page shows it: "1985••••••••••2004".

    The first four digits (year of birth) and the last four (sex and sequence number) are enough to tell a
    printed NIP from another; the birth date and the CPNS month and year (digits 5-14) are hidden
    (docs/rules.md §25.2)."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) != 18:
        return "•" * max(len(digits) - 2, 0) + digits[-2:]
    return f"{digits[:4]}{'•' * 10}{digits[14:]}"


def mask_nama(nama: str) -> str:
    """A name as the public verification page shows it: "Ika Puspitasari, S.Psi." → "Ik* P**********".

    Academic titles (after the first comma, and words ending with a dot such as "Dr.") are left out; the
    first word keeps two letters (one when it has two), every other word its initial (docs/rules.md §25.2).
    """
    kata = [k for k in nama.split(",")[0].split() if not k.endswith(".")]
    out = []
    for i, k in enumerate(kata):
        tampak = 2 if i == 0 and len(k) > 2 else 1
        out.append(k[:tampak] + "*" * (len(k) - tampak))
    return " ".join(out)


@dataclass(frozen=True)
class Isi:
    """What a document prints: its content data, the data's SHA-256 and the source's status."""

    data: dict[str, Any]
    sha256: str
    revisi: int
    status: str
    disetujui_pada: datetime.datetime | None

    @property
    def disetujui(self) -> bool:
        return self.status == Status.DISETUJUI.value


# --- SKP ----------------------------------------------------------------------------------------------


def skp_untuk_dokumen(pk: int) -> Skp:
    """The SKP with what its document needs beyond the snapshot (raises Skp.DoesNotExist)."""
    return Skp.objects.select_related("instansi", "periode", "jabatan").get(pk=pk)


def fill_skp(skp: Skp, revisi: int | None = None) -> Isi:
    """The content of an SKP's document: an earlier approved revision, or the current one.

    Raises SkpVersi.DoesNotExist for a revision that was never approved (or does not exist).
    """
    if revisi is not None and revisi != skp.revisi:
        if revisi > skp.revisi:
            raise SkpVersi.DoesNotExist
        versi = SkpVersi.objects.get(skp=skp, revisi=revisi)
        return Isi(versi.data, versi.sha256, versi.revisi, Status.DISETUJUI.value, versi.disetujui_pada)
    if skp.status == Status.DISETUJUI.value:
        versi = SkpVersi.objects.filter(skp=skp, revisi=skp.revisi).first()
        if versi is not None:
            disetujui_pada = skp.disetujui_pada or versi.disetujui_pada
            return Isi(versi.data, versi.sha256, versi.revisi, skp.status, disetujui_pada)
    data = snapshot(skp)
    return Isi(data, hash_data(data), skp.revisi, skp.status, skp.disetujui_pada)


# --- Perjanjian Kinerja -------------------------------------------------------------------------------


def perjanjian_untuk_dokumen(pk: int) -> PerjanjianKinerja:
    return (
        PerjanjianKinerja.objects.select_related("instansi", "periode", "unit")
        .prefetch_related(
            Prefetch(
                "indikator",
                queryset=PerjanjianKinerjaIndikator.objects.select_related("sasaran", "manual"),
            )
        )
        .get(pk=pk)
    )


def _angka(value: Any) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def _urutan_sasaran(item: PerjanjianKinerjaIndikator) -> tuple[int, int, str]:
    """Sasaran in the order of the four perspectives (then as the peta strategi orders them)."""
    return URUTAN_PERSPEKTIF.get(item.sasaran.perspektif, 9), item.sasaran.urutan, item.sasaran.kode


def fill_perjanjian(pk: PerjanjianKinerja) -> Isi:
    data = {
        "tahun": pk.periode.tahun,
        "revisi": pk.revisi,
        "unit": pk.unit.nama,
        "pihak_pertama": {"nama": pk.pegawai_nama, "nip": pk.pegawai_nip, "jabatan": pk.pegawai_jabatan},
        "pihak_kedua": {
            "nama": pk.penyetuju_nama,
            "nip": pk.penyetuju_nip,
            "jabatan": pk.penyetuju_jabatan,
        },
        "indikator": [
            {
                "sasaran_kode": item.sasaran.kode,
                "sasaran": item.sasaran.nama,
                "perspektif": item.sasaran.perspektif,
                "kode": item.manual.kode,
                "indikator": item.manual.nama,
                "target": _angka(item.target_tahun),
                "satuan": item.manual.satuan,
            }
            for item in sorted(pk.indikator.all(), key=_urutan_sasaran)
        ],
    }
    return Isi(data, hash_data(data), pk.revisi, pk.status, pk.disetujui_pada)


# --- Matriks Pembagian Peran dan Hasil ----------------------------------------------------------------


def periode_matriks(unit: UnitKerja, tahun: int | None) -> Periode | None:
    if tahun is None:
        return rencana.periode_berjalan(unit.instansi)
    return Periode.objects.filter(instansi_id=unit.instansi_id, tahun=tahun).first()


def fill_matriks(matriks: rencana.Matriks, periode: Periode) -> Isi:
    """The matriks as data. Its status is "disetujui" only when every SKP shown in it is approved."""
    skp = [matriks.pimpinan, *matriks.bawahan] if matriks.pimpinan else []
    data = {
        "tahun": periode.tahun,
        "unit": matriks.unit.nama,
        "pimpinan": _identitas_skp(matriks.pimpinan) if matriks.pimpinan else {},
        "bawahan": [_identitas_skp(b) for b in matriks.bawahan],
        "baris": [
            {"rhk": induk.teks, "jenis": induk.jenis, "sel": [[c.teks for c in sel] for sel in cells]}
            for induk, cells in matriks.baris
        ],
    }
    semua_disetujui = bool(skp) and all(s.status == Status.DISETUJUI.value for s in skp)
    status = Status.DISETUJUI.value if semua_disetujui else Status.DRAFT.value
    return Isi(data, hash_data(data), 0, status, None)


def _identitas_skp(skp: Skp) -> dict[str, Any]:
    return {
        "nama": skp.pegawai_nama,
        "nip": skp.pegawai_nip,
        "jabatan": skp.pegawai_jabatan,
        "revisi": skp.revisi,
        "status": skp.status,
    }


# --- verification -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keabsahan:
    """The verdict of the verification page: "sah", "draf" (not yet approved) or "tidak_berlaku"."""

    tingkat: str
    judul: str
    keterangan: str
    # Remarks about the people behind the record (a reopening's reason, a keberatan): shown only to a reader
    # who may read the source record, never on the public page (docs/rules.md §25.2).
    rinci: str = ""

    @property
    def sah(self) -> bool:
        return self.tingkat == "sah"


def dokumen_by_token(token: str) -> Dokumen | None:
    return Dokumen.objects.select_related("instansi").filter(token=token).first()


def _tidak_berlaku(keterangan: str) -> Keabsahan:
    return Keabsahan("tidak_berlaku", "Dokumen ini sudah tidak berlaku", keterangan)


def _keabsahan_alur(dok: Dokumen, nama: str, revisi: int, status: str, isi_sekarang: Any) -> Keabsahan:
    """Shared verdict for SKP and Perjanjian Kinerja (documents that run the approval workflow)."""
    sekarang = Status(status)
    if revisi > dok.revisi:
        return _tidak_berlaku(
            f"Ada revisi yang lebih baru: {nama} revisi {revisi} (status sekarang: {sekarang.label.lower()})."
        )
    if dok.status_sumber == Status.DISETUJUI.value:
        if sekarang is Status.DISETUJUI:
            return Keabsahan(
                "sah",
                "Dokumen ini sah",
                f"{nama} disetujui pada {tanggal_panjang(dok.disetujui_pada)} dan belum diubah sejak itu.",
            )
        return _tidak_berlaku(f"Persetujuan {nama} ini telah dibuka kembali (status: {sekarang.label}).")
    isi = isi_sekarang()
    if isi.sha256 != dok.sha256:
        return _tidak_berlaku(f"Isi {nama} telah berubah sejak dokumen ini dicetak.")
    if sekarang is Status.DISETUJUI:
        return Keabsahan(
            "draf",
            "Dokumen ini dicetak sebelum disetujui",
            f"{nama} dengan isi yang sama disetujui pada {tanggal_panjang(isi.disetujui_pada)}; "
            "dokumen resmi adalah cetakan setelah persetujuan.",
        )
    return Keabsahan(
        "draf",
        "Dokumen ini masih draf",
        f"{nama} belum disetujui (status sekarang: {sekarang.label.lower()}).",
    )


def keabsahan(dok: Dokumen) -> Keabsahan:
    """Is the document still what the record says now? Compares the source today with the document."""
    if dok.jenis in (
        Dokumen.Jenis.EVALUASI,
        Dokumen.Jenis.PREDIKAT,
        Dokumen.Jenis.RINGKAS,
        Dokumen.Jenis.PENETAPAN,
    ):
        from kinerja.dokumen.evaluasi import selectors as evaluasi  # evaluasi imports this module

        return evaluasi.keabsahan(dok)
    if dok.jenis == Dokumen.Jenis.KEPUTUSAN_KEBERATAN:
        from kinerja.dokumen.keputusan import selectors as keputusan  # keputusan imports this module

        return keputusan.keabsahan(dok)
    if dok.jenis == Dokumen.Jenis.SKP:
        skp = Skp.objects.select_related("periode").filter(pk=dok.objek_id).first()
        if skp is None:
            return _tidak_berlaku("SKP sumber dokumen ini sudah tidak ada.")
        return _keabsahan_alur(dok, "SKP", skp.revisi, skp.status, lambda: fill_skp(skp))
    if dok.jenis == Dokumen.Jenis.PERJANJIAN_KINERJA:
        try:
            pk = perjanjian_untuk_dokumen(dok.objek_id)
        except PerjanjianKinerja.DoesNotExist:
            return _tidak_berlaku("Perjanjian Kinerja sumber dokumen ini sudah tidak ada.")
        return _keabsahan_alur(dok, "Perjanjian Kinerja", pk.revisi, pk.status, lambda: fill_perjanjian(pk))
    unit = UnitKerja.objects.select_related("instansi").filter(pk=dok.objek_id).first()
    periode = Periode.objects.filter(instansi_id=dok.instansi_id, tahun=dok.tahun).first()
    if unit is None or periode is None:
        return _tidak_berlaku("Unit kerja atau periode sumber matriks ini sudah tidak ada.")
    isi = fill_matriks(rencana.matriks_peran_hasil(unit, periode), periode)
    if isi.sha256 != dok.sha256:
        return _tidak_berlaku("Isi matriks telah berubah sejak dokumen ini dicetak (ada SKP yang diubah).")
    if isi.disetujui:
        return Keabsahan(
            "sah", "Dokumen ini sah", "Matriks sesuai dengan SKP yang seluruhnya telah disetujui."
        )
    return Keabsahan(
        "draf", "Dokumen ini masih draf", "Matriks sesuai data saat ini, tetapi ada SKP yang belum disetujui."
    )
