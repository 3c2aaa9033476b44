"""Reads for the SIASN export page and the read API (docs/rules.md §21): final evaluations of one instansi.

Only FINAL evaluations leave the system; a draft or reopened evaluation is never exported or served.
Both reads are one query with their joins (plus the count of a page), whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Periode, PeriodePenilaian, UnitKerja
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.rules.evaluasi import Status
from kinerja.rules.keberatan import Status as StatusKeberatan
from kinerja.tindak_lanjut.siasn import permintaan as permintaan_siasn
from kinerja.tindak_lanjut.siasn.ekspor import rows as siasn

#: The choice "annual" in the export form's periode field (otherwise the periode penilaian's nomor).
TAHUNAN = "tahunan"


def evaluasi_final(instansi: Instansi) -> QuerySet[Evaluasi]:
    return Evaluasi.objects.filter(instansi=instansi, status=Status.FINAL.value)


def tahun_tersedia(instansi: Instansi) -> list[Periode]:
    return list(Periode.objects.filter(instansi=instansi).order_by("-tahun"))


@dataclass
class Pilihan:
    """What the admin picked on the export page."""

    periode: Periode
    periode_penilaian: PeriodePenilaian | None
    unit: UnitKerja | None

    @property
    def jenis(self) -> str:
        return siasn.PERIODIK if self.periode_penilaian else siasn.TAHUNAN

    @property
    def endpoint(self) -> str:
        return permintaan_siasn.PERIODIK if self.periode_penilaian else permintaan_siasn.TAHUNAN

    @property
    def nama_periode(self) -> str:
        if self.periode_penilaian:
            return f"{self.periode_penilaian.nama} {self.periode.tahun}"
        return f"Tahunan {self.periode.tahun}"


def pilihan(
    instansi: Instansi,
    tahun: str | None,
    periode: str | None,
    unit: str | None,
    daftar: list[Periode] | None = None,
) -> Pilihan | None:
    """The export's selection from the query string (None when the instansi has no periode at all);
    ``daftar``: the instansi's `tahun_tersedia` when the caller already read it.

    Unknown or foreign values fall back to the defaults (latest year, annual, whole instansi)."""
    if daftar is None:
        daftar = tahun_tersedia(instansi)
    if not daftar:
        return None
    per = next((p for p in daftar if str(p.tahun) == (tahun or "")), daftar[0])
    pp = None
    if periode and periode != TAHUNAN and periode.isdigit():
        pp = PeriodePenilaian.objects.filter(periode=per, nomor=int(periode)).first()
    u = None
    if unit and unit.isdigit():
        u = UnitKerja.objects.filter(instansi=instansi, pk=int(unit)).first()
    return Pilihan(per, pp, u)


def evaluasi_ekspor(instansi: Instansi, p: Pilihan) -> QuerySet[Evaluasi]:
    """The final evaluations of the selection, in NIP order, with what `plan` reads (the pegawai's SIASN
    id, the send record, the jabatan for ``koefisienId``, the external penilai)."""
    qs = evaluasi_final(instansi).filter(periode=p.periode)
    if p.periode_penilaian is not None:
        qs = qs.filter(jenis=JenisEvaluasi.PERIODIK, periode_penilaian=p.periode_penilaian)
    else:
        qs = qs.filter(jenis=JenisEvaluasi.TAHUNAN)
    if p.unit is not None:
        qs = qs.filter(unit__path__startswith=p.unit.path)
    return qs.select_related(
        "periode",
        "periode_penilaian",
        "skp__jabatan",
        "penilai_eksternal",
        "pegawai__id_siasn",
        "kirim_siasn",
    ).order_by("pegawai_nip", "pk")


def rows_ekspor(instansi: Instansi, p: Pilihan) -> list[siasn.BarisEkspor]:
    return [baris_ekspor(ev) for ev in evaluasi_ekspor(instansi, p)]


def jumlah_belum_final(instansi: Instansi, p: Pilihan) -> int:
    """Evaluations of the selection that are not final yet (shown: they are left out of the export)."""
    qs = Evaluasi.objects.filter(instansi=instansi, periode=p.periode).exclude(status=Status.FINAL.value)
    if p.periode_penilaian is not None:
        qs = qs.filter(periode_penilaian=p.periode_penilaian)
    else:
        qs = qs.filter(jenis=JenisEvaluasi.TAHUNAN)
    if p.unit is not None:
        qs = qs.filter(unit__path__startswith=p.unit.path)
    return qs.count()


def predikat_final(
    instansi: Instansi, tahun: int, jenis: str | None = None, nip: str | None = None
) -> QuerySet[Evaluasi]:
    """The read API: final evaluations of one instansi and year (optionally one jenis / one NIP), annual
    first then by periode, by NIP."""
    qs = evaluasi_final(instansi).filter(periode__tahun=tahun)
    if jenis:
        qs = qs.filter(jenis=jenis)
    if nip:
        qs = qs.filter(pegawai_nip=nip)
    # When a granted keberatan changed the predikat after it became final: the decision's time, so a
    # system syncing by date sees the change (``diubah_pada``).
    diubah = Max("keberatan__diputus_pada", filter=Q(keberatan__status=StatusKeberatan.DIKABULKAN.value))
    return (
        qs.select_related("periode", "periode_penilaian", "skp", "penilai_eksternal")
        .annotate(diubah_keberatan_pada=diubah)
        .order_by("pegawai_nip", "-jenis", "periode_penilaian__nomor", "pk")
    )


def sekarang_iso() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Rencana:
    """What would be sent for one final evaluation: the request, or why it is refused."""

    evaluasi: Evaluasi
    permintaan: permintaan_siasn.Permintaan | None
    alasan: list[str]
    peringatan: list[str]

    @property
    def pegawai(self) -> str:
        ev = self.evaluasi
        nama = ev.periode_penilaian.nama if ev.periode_penilaian else "Tahunan"
        return f"{ev.pegawai_nama} ({ev.pegawai_nip}), {nama} {ev.periode.tahun}"


def evaluasi_kirim(
    tahun: int, nomor: int | None = None, instansi: Instansi | None = None
) -> QuerySet[Evaluasi]:
    """The final evaluations of a year to send to SIASN (every instansi unless one is named): annual and
    periodic, or only periode penilaian ``nomor``; with the pegawai's SIASN id, the send record and the
    jabatan (its jenjang gives ``koefisienId``) loaded."""
    qs = Evaluasi.objects.filter(status=Status.FINAL.value, periode__tahun=tahun)
    if instansi is not None:
        qs = qs.filter(instansi=instansi)
    if nomor is not None:
        qs = qs.filter(jenis=JenisEvaluasi.PERIODIK, periode_penilaian__nomor=nomor)
    return qs.select_related(
        "periode", "periode_penilaian", "skp__jabatan", "pegawai__id_siasn", "kirim_siasn"
    ).order_by("instansi_id", "pegawai_nip", "jenis", "periode_penilaian__nomor", "pk")


def _bahan(ev: Evaluasi) -> tuple[dict[str, Any], dict[str, Any]]:
    """The evaluation's record and what the request needs beside it: the stored SIASN ids (the
    pegawai's, and the record's when it was sent before, so the send updates it), the jenjang, the
    documents already uploaded."""
    id_pegawai = getattr(ev.pegawai, "id_siasn", None)
    kirim = getattr(ev, "kirim_siasn", None)
    return siasn.baris(ev), {
        "pns_id": id_pegawai.pns_id if id_pegawai else "",
        "record_id": kirim.siasn_id if kirim else "",
        "jenjang": ev.skp.jabatan.jenjang,
        "path": kirim.dokumen if kirim else (),
    }


def plan(ev: Evaluasi) -> Rencana:
    """The request one final evaluation becomes (docs/rules.md §21.6), or why it is refused."""
    row, bahan = _bahan(ev)
    try:
        p = permintaan_siasn.build(row, **bahan)
    except permintaan_siasn.Ditolak as e:
        return Rencana(ev, None, e.alasan, [])
    return Rencana(ev, p, [], permintaan_siasn.peringatan(row))


def build_baris_ekspor(
    row: dict[str, Any],
    *,
    pns_id: str,
    record_id: str = "",
    jenjang: str = "",
    path: Any = (),
) -> siasn.BarisEkspor:
    """The file row of one record (docs/rules.md §21.2): the request `permintaan.build` gives (what the
    API path posts), or for a refused record the body as far as it goes with the reasons.

    Choice (the file's alone): a pegawai without a stored SIASN id is no reason to refuse the row. An
    instansi without API access cannot look the id up, and its operator enters the record in SIASN's web
    form, where the pegawai is found by NIP; so the id is left empty with the warning `ekspor.TANPA_ID`,
    and the row is refused only for a problem of its own (`permintaan.reasons_record`)."""
    bahan = {"pns_id": pns_id, "record_id": record_id, "jenjang": jenjang, "path": path}
    try:
        p = permintaan_siasn.build(row, **bahan)
    except permintaan_siasn.Ditolak as e:
        p, alasan = permintaan_siasn.assemble(row, **bahan), e.alasan
    else:
        return siasn.BarisEkspor(
            p.endpoint, p.body, siasn.identitas(row), [], permintaan_siasn.peringatan(row)
        )
    if pns_id:
        return siasn.BarisEkspor(p.endpoint, p.body, siasn.identitas(row), alasan, [])
    peringatan = [siasn.TANPA_ID, *permintaan_siasn.peringatan(row)]
    alasan = permintaan_siasn.reasons_record(row)
    return siasn.BarisEkspor(p.endpoint, p.body, siasn.identitas(row), alasan, peringatan)


def baris_ekspor(ev: Evaluasi) -> siasn.BarisEkspor:
    """The file export's row of one final evaluation (:func:`build_baris_ekspor` on what :func:`plan`
    reads: the same record and stored ids as the send)."""
    row, bahan = _bahan(ev)
    return build_baris_ekspor(row, **bahan)
