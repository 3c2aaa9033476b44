"""Reads of the evaluation documents: the content data each prints and hashes, the rating group
a penetapan is about, and the validity of an issued one.

* **Dokumen Evaluasi Kinerja Pegawai** (periodic) and **Dokumen Predikat Kinerja Pegawai** (annual): one
  `Evaluasi`, in the layout of the PermenPANRB 6/2022 lampiran (identity of the pegawai, pejabat penilai and
  atasan pejabat penilai from the evaluation's snapshots; capaian kinerja organisasi; the pola distribusi
  of the rating group; rating hasil kerja with the per-RHK table; rating perilaku per BerAKHLAK value with
  the feedback given; predikat; catatan/rekomendasi; signatures). The group's chart shows counts only: a
  pegawai's own document never names the colleagues in a predikat.
* **Penetapan Predikat Kinerja** of a rating group (`kinerja.penilaian.selectors.kelompok`): every member
  with both ratings and the predikat, the counts against the curve, signed by the head of the group's unit.

Only final content is registered as a `Dokumen` (the immutable record with the content hash behind the QR
code): a final evaluation, or a group whose every evaluation is final (registered on its latest
`FinalisasiKelompok`). Anything else prints with a DRAFT watermark and no QR code. As for the other
documents, the printed text comes from the hashed data only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.models import FINAL, Dokumen
from kinerja.dokumen.selectors import Isi, Keabsahan
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import JPT_VALUES, Pegawai, Periode, PeriodePenilaian, UnitKerja
from kinerja.pelaksanaan import selectors as pelaksanaan
from kinerja.pelaksanaan.models import UmpanBalik
from kinerja.penilaian import selectors as penilaian
from kinerja.penilaian.models import (
    DasarHasil,
    Evaluasi,
    FinalisasiKelompok,
    JenisEvaluasi,
    RatingRhk,
)
from kinerja.perencanaan.models import Indikator, Skp, SkpPerilaku
from kinerja.perencanaan.selectors import hash_data
from kinerja.rules import Aspek
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.evaluasi import Status
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import ModelSkp, Predikat

ASPEK = dict(Aspek.choices())
NAMA_PERILAKU = {n.kode: n.nama for n in BERAKHLAK}


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def tanggal_acuan(periode: Periode, periode_penilaian: PeriodePenilaian | None) -> datetime.date:
    """The day the organisation is read on: the last day of the periode (or of the year)."""
    return periode_penilaian.selesai if periode_penilaian else datetime.date(periode.tahun, 12, 31)


def _periode_data(periode: Periode, periode_penilaian: PeriodePenilaian | None) -> dict[str, Any]:
    if periode_penilaian is not None:
        return {
            "tahun": periode.tahun,
            "nama": periode_penilaian.nama,
            "nomor": periode_penilaian.nomor,
            "mulai": periode_penilaian.mulai.isoformat(),
            "selesai": periode_penilaian.selesai.isoformat(),
        }
    return {
        "tahun": periode.tahun,
        "nama": "Akhir",
        "nomor": 0,
        "mulai": datetime.date(periode.tahun, 1, 1).isoformat(),
        "selesai": datetime.date(periode.tahun, 12, 31).isoformat(),
    }


def _pihak(ev: Evaluasi, prefix: str, jabatan_field: str) -> dict[str, str]:
    nama = getattr(ev, f"{prefix}_nama")
    if not nama:
        return {}
    return {
        "nama": nama,
        "nip": getattr(ev, f"{prefix}_nip"),
        "pangkat": getattr(ev, f"{prefix}_pangkat"),
        "jabatan": getattr(ev, jabatan_field),
        "unit": getattr(ev, f"{prefix}_unit"),
    }


def _penilai(ev: Evaluasi) -> dict[str, str]:
    """The pejabat penilai of the snapshot; a penilai outside the instansi (docs/rules.md "Penilai di luar
    instansi") is already in the snapshot, and a NON ASN one is identified by NIK, not NIP. Keys are only
    added for an external penilai, so the content (and hash) of every other document stays the same."""
    data = _pihak(ev, "penilai", "penilai_jabatan_nama")
    if data and ev.penilai_id is None and ev.penilai_eksternal_id:
        pe = ev.penilai_eksternal
        if pe is not None and pe.label_nomor != "NIP":
            data["label_nomor"] = pe.label_nomor
    return data


# --- one evaluation -----------------------------------------------------------------------------------


# The relations an evaluation's document reads (one evaluation here, a unit's worth in the bulk zip).
RELASI_DOKUMEN = (
    "instansi",
    "periode__instansi",
    "periode_penilaian",
    "unit_kelompok",
    "unit_dipimpin",
    "penilai",
    "skp",
)


def evaluasi_untuk_dokumen(pk: int) -> Evaluasi:
    """The evaluation with what its document needs (raises Evaluasi.DoesNotExist)."""
    return Evaluasi.objects.select_related(*RELASI_DOKUMEN).get(pk=pk)


def _umpan_balik(ev: Evaluasi) -> tuple[dict[int, list[str]], dict[str, list[str]]]:
    """The feedback given in the periode (annual: the year) per RHK and per BerAKHLAK value (threads'
    first messages only, oldest first)."""
    qs = UmpanBalik.objects.filter(skp_id=ev.skp_id, induk__isnull=True)
    if ev.periode_penilaian_id:
        qs = qs.filter(periode_penilaian_id=ev.periode_penilaian_id)
    per_rhk: dict[int, list[str]] = {}
    per_nilai: dict[str, list[str]] = {}
    for ub in qs.order_by("pada", "pk").only("rhk_id", "perilaku_kode", "teks", "pada"):
        teks = f"{tanggal_panjang(ub.pada)}: {' '.join(ub.teks.split())}"
        if ub.rhk_id:
            per_rhk.setdefault(ub.rhk_id, []).append(teks)
        elif ub.perilaku_kode:
            per_nilai.setdefault(ub.perilaku_kode, []).append(teks)
    return per_rhk, per_nilai


def _indikator(ev: Evaluasi, rows: list[RatingRhk]) -> dict[int, list[dict[str, str]]]:
    """Per RHK: its indikator with the target and realisasi of the periode (annual: the year's target and
    the realisasi consolidated over the year)."""
    daftar = pelaksanaan.periode_list(ev.periode)
    if ev.periode_penilaian_id:
        periode = next(p for p in daftar if p.pk == ev.periode_penilaian_id)
    else:
        periode = daftar[-1] if daftar else None
    qs: QuerySet[Indikator] = pelaksanaan.indikator_qs(ev.periode).filter(
        rhk_id__in=[r.rhk_id for r in rows if r.rhk_id]
    )
    hasil: dict[int, list[dict[str, str]]] = {}
    for ind in qs.order_by("rhk_id", "urutan", "pk"):
        target, realisasi = ind.target_tampil, ""
        if periode is not None:
            baris = pelaksanaan.baris_indikator(ind, periode, daftar)
            if ev.periode_penilaian_id:
                target, realisasi = baris.target, baris.realisasi_tampil
            elif baris.kumulatif is not None:
                realisasi = f"{pelaksanaan.angka_tampil(baris.kumulatif.realisasi, 2)} {ind.satuan}".strip()
            else:  # text realisasi of the year: the last one entered
                teks = [r for r in ind.realisasi.all() if r.nilai_teks]
                teks.sort(key=lambda r: r.periode_penilaian_id)
                realisasi = teks[-1].nilai_teks if teks else ""
        hasil.setdefault(ind.rhk_id, []).append(
            {
                "aspek": ASPEK.get(ind.aspek, ind.aspek),
                "teks": ind.teks,
                "target": target or ind.target_tampil,
                "realisasi": realisasi,
            }
        )
    return hasil


def _periodik(ev: Evaluasi) -> list[dict[str, str]]:
    """Annual: the periodic results of the year beside it."""
    rows = (
        Evaluasi.objects.filter(
            pegawai_id=ev.pegawai_id, periode_id=ev.periode_id, jenis=JenisEvaluasi.PERIODIK
        )
        .select_related("periode_penilaian")
        .order_by("periode_penilaian__nomor")
    )
    return [
        {
            "periode": e.periode_penilaian.nama,
            "rating_hasil": e.rating_hasil,
            "rating_perilaku": e.rating_perilaku,
            "predikat": e.predikat,
            "status": e.status,
        }
        for e in rows
    ]


def _kelompok_evaluasi(ev: Evaluasi) -> penilaian.Kelompok:
    return penilaian.kelompok(ev.penilai, ev.periode_penilaian, periode=ev.periode, unit=ev.unit_kelompok)


def _capaian_data(kel: penilaian.Kelompok) -> dict[str, Any]:
    data = {
        "unit": kel.unit.nama,
        "nilai": kel.capaian.nilai if kel.capaian else "",
        "catatan": kel.capaian.catatan if kel.capaian else "",
    }
    if kel.versi_aturan is not None and kel.rules is not None:  # the instansi's own pola distribusi rules
        data["versi_aturan"] = kel.versi_aturan
        data["aturan"] = distribusi_rules.rules_to_dict(kel.rules)
    return data


def _tidak_diterapkan(kel: penilaian.Kelompok) -> dict[str, str]:
    """``{"pola_tidak_diterapkan": reason}`` when the group's curve is "tidak dapat diterapkan" (as recorded
    at finalisation, else as checked now; docs/rules.md §3.4); empty otherwise, so the content of a group
    whose curve applies is unchanged."""
    fin = kel.finalisasi
    if fin is not None and fin.sebab_tidak_diterapkan:
        return {"pola_tidak_diterapkan": fin.alasan_tidak_diterapkan}
    if kel.cek is not None and not kel.cek.applicable:
        return {"pola_tidak_diterapkan": kel.cek.reason or ""}
    return {}


def fill_evaluasi(ev: Evaluasi) -> Isi:
    """The content of an evaluation's document (see the module docstring)."""
    kel = _kelompok_evaluasi(ev)
    rows = list(ev.rating_rhk.all().order_by("urutan", "pk"))
    indikator = _indikator(ev, rows)
    ub_rhk, ub_nilai = _umpan_balik(ev)
    ekspektasi = dict(SkpPerilaku.objects.filter(skp_id=ev.skp_id).values_list("kode", "ekspektasi_khusus"))
    nilai = {r.kode: r for r in ev.rating_perilaku_set.all()}
    data: dict[str, Any] = {
        "jenis": ev.jenis,
        "status": ev.status,
        "periode": _periode_data(ev.periode, ev.periode_penilaian),
        "instansi": ev.instansi.nama,
        "pegawai": _pihak(ev, "pegawai", "pegawai_jabatan"),
        "penilai": _penilai(ev),
        "atasan": _pihak(ev, "atasan", "atasan_jabatan_nama"),
        "capaian_organisasi": _capaian_data(kel),
        "kelompok": {"jumlah": {p.value: kel.jumlah.get(p, 0) for p in Predikat}, **_tidak_diterapkan(kel)},
        "hasil": {
            "rating": ev.rating_hasil,
            "saran": ev.saran_hasil,
            "saran_alasan": ev.saran_hasil_alasan,
            "alasan_ubah": ev.alasan_ubah_hasil,
            "pimpinan": ev.dasar_hasil == DasarHasil.PIMPINAN,
            "unit_dipimpin": ev.unit_dipimpin.nama if ev.unit_dipimpin_id else "",
            "capaian_unit_dipimpin": ev.capaian_organisasi,
        },
        "rhk": [
            {
                "jenis": r.rhk_jenis,
                "teks": r.rhk_teks,
                "rating": r.rating,
                "catatan": r.catatan,
                "tanpa_realisasi": r.tanpa_realisasi_alasan if r.tanpa_realisasi else "",
                "indikator": indikator.get(r.rhk_id, []) if r.rhk_id else [],
                "umpan_balik": ub_rhk.get(r.rhk_id, []) if r.rhk_id else [],
            }
            for r in rows
        ],
        "perilaku": {
            "rating": ev.rating_perilaku,
            "saran": ev.saran_perilaku,
            "saran_alasan": ev.saran_perilaku_alasan,
            "alasan_ubah": ev.alasan_ubah_perilaku,
            "nilai": [
                {
                    "kode": n.kode,
                    "nama": n.nama,
                    "ekspektasi": ekspektasi.get(n.kode, ""),
                    "rating": nilai[n.kode].rating if n.kode in nilai else "",
                    "catatan": nilai[n.kode].catatan if n.kode in nilai else "",
                    "umpan_balik": ub_nilai.get(n.kode, []),
                }
                for n in BERAKHLAK
            ],
        },
        "disesuaikan_atasan": ev.disesuaikan_atasan_alasan,
        "predikat": ev.predikat,
        "catatan": ev.catatan,
        "rekomendasi": ev.rekomendasi,
        "isian_awal": ev.isian_awal_alasan if ev.is_tahunan else "",
        "periodik": _periodik(ev) if ev.is_tahunan else [],
        "final_pada": _iso(ev.final_pada) if ev.is_final else None,
    }
    return Isi(data, hash_data(data), 1, ev.status, ev.final_pada if ev.is_final else None)


def nama_berkas_pdf(ev: Evaluasi, ringkas: bool = False) -> str:
    """The PDF's file name: Evaluasi-<NIP>-<year>-P<n>.pdf or Predikat-<NIP>-<year>-Akhir.pdf (-DRAFT); the
    one-page summary: Dokumen-Evaluasi-<NIP>-<year>-P<n>|Akhir.pdf (-DRAFT)."""
    awalan = "Predikat" if ev.is_tahunan else "Evaluasi"
    if ringkas:
        awalan = "Dokumen-Evaluasi"
    periode = "Akhir" if ev.is_tahunan else f"P{ev.periode_penilaian.nomor}"
    return f"{awalan}-{ev.pegawai_nip}-{ev.periode.tahun}-{periode}{'' if ev.is_final else '-DRAFT'}.pdf"


def jenis_dokumen(ev: Evaluasi, ringkas: bool = False) -> str:
    """The kind of the evaluation's full form (periodic / annual), or of its one-page summary."""
    if ringkas:
        return Dokumen.Jenis.RINGKAS
    return Dokumen.Jenis.PREDIKAT if ev.is_tahunan else Dokumen.Jenis.EVALUASI


@dataclass(frozen=True)
class TataLetak:
    """How the HASIL KERJA table of the form is laid out (docs/rules.md §31): the RHK pimpinan each RHK
    intervenes (in the order of the content's ``rhk``), and whether the columns that do not apply are
    dropped (JPT: no intervened RHK column; kualitatif: no aspek column). Read beside the hashed content:
    the layout follows the SKP, never the evaluation's decisions."""

    intervensi: tuple[str, ...] = ()
    jpt: bool = False
    kualitatif: bool = False


def tata_letak(ev: Evaluasi) -> TataLetak:
    """One query for the intervened RHK, one for the SKP's model and jabatan."""
    intervensi = tuple(
        t or ""
        for t in ev.rating_rhk.order_by("urutan", "pk").values_list("rhk__intervensi__teks", flat=True)
    )
    skp = Skp.objects.filter(pk=ev.skp_id).values_list("model", "jabatan__jenis").first()
    model, jenis_jabatan = skp if skp is not None else ("", "")
    return TataLetak(intervensi, jenis_jabatan in JPT_VALUES, model == ModelSkp.KUALITATIF.value)


# --- the rating group ---------------------------------------------------------------------------------


def penilai_kelompok_unit(
    unit: UnitKerja, periode: Periode, periode_penilaian: PeriodePenilaian | None
) -> Pegawai | None:
    """A penilai of the unit's group (instansi setting "unit": any will do, the group is the unit)."""
    qs = Evaluasi.objects.filter(unit_kelompok=unit, periode=periode, penilai__isnull=False)
    qs = (
        qs.filter(periode_penilaian=periode_penilaian)
        if periode_penilaian is not None
        else qs.filter(jenis=JenisEvaluasi.TAHUNAN)
    )
    ev = qs.select_related("penilai").order_by("pk").first()
    return ev.penilai if ev is not None else None


AKHIR = "akhir"


def find_kelompok(
    *,
    instansi_id: int | None,
    pegawai_id: int | None,
    penilai: str,
    unit_id: int | None,
    periode: str,
    tahun: int | None,
) -> penilaian.Kelompok:
    """The rating group named by a request, with the parameters of the group page
    (`kinerja.penilaian.kelompok.views`): ``penilai`` a Pegawai pk, ``"0"`` for the group without a
    penilai, or empty for the reader's own group (the head of the unit's with ``unit`` in "unit" mode);
    ``unit`` a UnitKerja pk; ``periode`` the periode's number in the year or ``akhir``; ``tahun`` (default:
    the running year of the instansi). ``instansi_id``/``pegawai_id`` are the reader's.

    Raises LookupError for anything that does not exist or does not fit together, ValidationError when the
    group cannot be determined. Whether the reader may see it is the permission
    ``penilaian.view_kelompok``'s question (`kinerja.permissions`)."""
    from kinerja.perencanaan.selectors import periode_berjalan

    target: Pegawai | None = None
    unit = None
    if penilai and penilai != "0":
        if not penilai.isdigit():
            raise LookupError("Pejabat penilai tidak ditemukan.")
        target = Pegawai.objects.filter(pk=int(penilai)).first()
        if target is None:
            raise LookupError("Pejabat penilai tidak ditemukan.")
    if unit_id is not None:
        unit = UnitKerja.objects.filter(pk=unit_id).first()
        if unit is None:
            raise LookupError("Unit kerja tidak ditemukan.")
    if target is not None and unit is not None and target.instansi_id != unit.instansi_id:
        raise LookupError("Kelompok penilaian tidak ditemukan.")
    asal = target or unit
    instansi_id = asal.instansi_id if asal is not None else instansi_id
    if instansi_id is None:
        raise LookupError("Kelompok penilaian tidak ditemukan.")
    if tahun is not None:
        tahunan = (
            Periode.objects.select_related("instansi").filter(instansi_id=instansi_id, tahun=tahun).first()
        )
    else:
        from kinerja.organisasi.models import Instansi

        tahunan = periode_berjalan(Instansi.objects.get(pk=instansi_id))
    if tahunan is None:
        raise LookupError("Periode tahun tersebut tidak ditemukan.")
    kunci = (periode or "").strip().lower()
    if kunci == AKHIR:
        pp = None
    elif kunci.isdigit():
        pp = (
            PeriodePenilaian.objects.select_related("periode__instansi")
            .filter(periode=tahunan, nomor=int(kunci))
            .first()
        )
        if pp is None:
            raise LookupError("Periode penilaian tidak ditemukan.")
    else:
        raise LookupError("Pilih periode penilaian (nomor periode atau 'akhir').")
    if target is None and penilai != "0":
        if unit is not None and tahunan.instansi.kelompok_distribusi == "unit":
            tanggal = tanggal_acuan(tahunan, pp)
            kepala = org.pimpinan_unit(unit, tanggal)
            target = kepala.pegawai if kepala else penilai_kelompok_unit(unit, tahunan, pp)
        elif unit is None and pegawai_id:
            target = Pegawai.objects.filter(pk=pegawai_id).first()
        if target is None:
            raise LookupError("Kelompok penilaian tidak ditemukan.")
    kel = penilaian.kelompok(target, pp, periode=tahunan, unit=unit)
    if not kel.evaluasi and not kel.belum_dibuka:
        raise LookupError(
            "Kelompok penilaian tidak ditemukan: pegawai ini tidak menilai siapa pun pada periode ini."
        )
    return kel


def _pemangku(pemangku: org.Pemangku | None) -> dict[str, str]:
    if pemangku is None:
        return {}
    peg = pemangku.pegawai
    plt = pemangku.jenis in ("plt", "plh")
    return {
        "nama": peg.nama_lengkap,
        "nip": peg.nip,
        "pangkat": peg.pangkat_label if peg.pangkat_golongan else "",
        "jabatan": (f"{pemangku.jenis.capitalize()}. " if plt else "") + pemangku.jabatan.nama,
    }


@dataclass(frozen=True)
class Penetapan:
    kelompok: penilaian.Kelompok
    isi: Isi
    finalisasi: FinalisasiKelompok | None

    @property
    def final(self) -> bool:
        return self.isi.status == FINAL


def fill_penetapan(kel: penilaian.Kelompok) -> Penetapan:
    """The penetapan predikat of a group: final (registrable) only when every member's evaluation is final
    and the group was finalised; then its check and chart use the pola distribusi rules of the version it
    was finalised with (`selectors.Kelompok`), so a later change of the rules leaves it valid."""
    fin = kel.finalisasi  # loaded by `selectors.kelompok` when every evaluation is final
    final = fin is not None
    penilai: dict[str, str] = {}
    if kel.mode == "penilai" and kel.evaluasi:
        penilai = _penilai(kel.evaluasi[0])
        # The group without a penilai in the app (rated by the admin): its evaluations may name different
        # external penilai; one signature only when they all name the same one.
        if kel.penilai is None and len({e.penilai_nip for e in kel.evaluasi}) > 1:
            penilai = {}
    pimpinan = _pemangku(org.pimpinan_unit(kel.unit, tanggal_acuan(kel.periode, kel.periode_penilaian)))
    pelanggaran = kel.pelanggaran_dengan_nama()
    data: dict[str, Any] = {
        "periode": _periode_data(kel.periode, kel.periode_penilaian),
        "instansi": kel.periode.instansi.nama,
        "unit": kel.unit.nama,
        "mode": kel.mode,
        "penilai": penilai,
        "pimpinan": pimpinan,
        "capaian_organisasi": _capaian_data(kel),
        "pegawai": [
            {
                "nama": e.pegawai_nama,
                "nip": e.pegawai_nip,
                "pangkat": e.pegawai_pangkat,
                "jabatan": e.pegawai_jabatan,
                "rating_hasil": e.rating_hasil,
                "rating_perilaku": e.rating_perilaku,
                "predikat": e.predikat,
                "status": e.status,
                "hasil_diubah": bool(e.alasan_ubah_hasil),
                "perilaku_diubah": bool(e.alasan_ubah_perilaku),
                "pimpinan": e.dasar_hasil == DasarHasil.PIMPINAN,
            }
            for e in kel.evaluasi
        ],
        "belum_dibuka": [
            {"nama": s.pegawai_nama, "nip": s.pegawai_nip, "jabatan": s.pegawai_jabatan}
            for s in kel.belum_dibuka
        ],
        "jumlah": {p.value: kel.jumlah.get(p, 0) for p in Predikat},
        "pelanggaran": [{"pesan": p["pesan"], "pegawai": p["pegawai"]} for p in pelanggaran],
        "alasan_finalisasi": fin.alasan if fin is not None else "",
        "final_pada": _iso(fin.pada) if fin is not None else None,
        **_tidak_diterapkan(kel),
    }
    status = FINAL if final else Status.DRAFT.value
    return Penetapan(kel, Isi(data, hash_data(data), 1, status, fin.pada if fin else None), fin)


def kelompok_dari_finalisasi(fin: FinalisasiKelompok) -> penilaian.Kelompok:
    penilai = fin.penilai
    if fin.kelompok == "unit":
        penilai = penilai_kelompok_unit(fin.unit_kelompok, fin.periode, fin.periode_penilaian)
    return penilaian.kelompok(penilai, fin.periode_penilaian, periode=fin.periode, unit=fin.unit_kelompok)


# --- verification -------------------------------------------------------------------------------------


def _tidak_berlaku(keterangan: str) -> Keabsahan:
    return Keabsahan("tidak_berlaku", "Dokumen ini sudah tidak berlaku", keterangan)


def keabsahan(dok: Dokumen) -> Keabsahan:
    """Is an evaluation document (or a penetapan) still what the record says now?"""
    if dok.jenis == Dokumen.Jenis.PENETAPAN:
        fin = (
            FinalisasiKelompok.objects.select_related(
                "periode__instansi", "periode_penilaian", "unit_kelompok"
            )
            .filter(pk=dok.objek_id)
            .first()
        )
        if fin is None:
            return _tidak_berlaku("Finalisasi kelompok sumber dokumen ini sudah tidak ada.")
        try:
            pen = fill_penetapan(kelompok_dari_finalisasi(fin))
        except ValidationError:
            return _tidak_berlaku("Kelompok penilaian sumber dokumen ini tidak dapat ditemukan lagi.")
        if not pen.final:
            return _tidak_berlaku(
                "Ada evaluasi kelompok ini yang telah dibuka kembali; penetapan belum final."
            )
        if pen.finalisasi is None or pen.finalisasi.pk != fin.pk or pen.isi.sha256 != dok.sha256:
            return _tidak_berlaku("Penetapan predikat kelompok ini telah berubah sejak dokumen ini dicetak.")
        return Keabsahan(
            "sah",
            "Dokumen ini sah",
            f"Predikat kinerja kelompok ini final sejak {tanggal_panjang(fin.pada)} dan belum diubah.",
        )
    nama = "Evaluasi kinerja tahunan" if dok.jenis == Dokumen.Jenis.PREDIKAT else "Evaluasi kinerja"
    try:
        ev = evaluasi_untuk_dokumen(dok.objek_id)
    except Evaluasi.DoesNotExist:
        return _tidak_berlaku(f"{nama} sumber dokumen ini sudah tidak ada.")
    if not ev.is_final:
        return Keabsahan(
            "tidak_berlaku",
            "Dokumen ini sudah tidak berlaku",
            f"{nama} ini telah dibuka kembali oleh admin kepegawaian ({Status(ev.status).label.lower()}).",
            f"Alasan: {ev.dibuka_kembali_alasan}" if ev.dibuka_kembali_alasan else "",
        )
    if fill_evaluasi(ev).sha256 != dok.sha256:
        return _tidak_berlaku(f"Isi {nama.lower()} ini telah berubah sejak dokumen ini dicetak.")
    from kinerja.rules.keberatan import Status as StatusKeberatan
    from kinerja.tindak_lanjut.models import Keberatan  # the follow-up stage builds on this one

    diubah = (
        Keberatan.objects.filter(evaluasi_id=ev.pk, status=StatusKeberatan.DIKABULKAN.value)
        .exclude(diputus_pada=None)
        .order_by("-diputus_pada")
        .values_list("diputus_pada", flat=True)
        .first()
    )
    if diubah is not None:
        return Keabsahan(
            "sah",
            "Dokumen ini sah",
            f"{nama} ini final sejak {tanggal_panjang(ev.final_pada)}; predikatnya ditetapkan ulang pada "
            f"{tanggal_panjang(diubah)} dan belum diubah sejak itu.",
            "Predikat ditetapkan ulang atas keputusan keberatan.",
        )
    return Keabsahan(
        "sah",
        "Dokumen ini sah",
        f"{nama} ini final sejak {tanggal_panjang(ev.final_pada)} dan belum diubah sejak itu.",
    )
