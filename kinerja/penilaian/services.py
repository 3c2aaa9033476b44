"""Every write of the evaluation stage (docs/rules.md §15): one function per use case, atomic,
permission-checked, audited (django-simple-history with the acting user).

Who may do what follows `kinerja.rules.evaluasi` (the workflow table); the suggestions follow
`kinerja.rules.rating`; the predikat is always `kinerja.rules.kuadran.predikat` of the two ratings (set in
`Evaluasi.save`). Decisions documented here:

* **Penilai.** The penilai of an evaluation is the penilai of its SKP. When the SKP has no penilai (the head
  of the instansi) the admin kepegawaian acts as penilai. The atasan penilai adjusts ratings only through
  `adjust_by_atasan`, always with a reason.
* **Suggestions.** Every rating of an RHK or a value recomputes the suggestions. A rating that was accepted
  as suggested follows the suggestion when it changes; a rating given with a reason (an override, or an
  adjustment by the atasan) is kept.
* **Head of a unit.** A pegawai who heads a unit (definitif, else Plt., on the last day of the periode) gets
  the capaian organisasi of that unit as rating hasil kerja (`rules.rating.hasil_pimpinan`); it cannot be
  overridden (change the capaian organisasi instead), and without a capaian the rating is refused.
* **Capaian organisasi.** Set by the level above, never by the unit's own head (`rules.rating.
  penetap_capaian_organisasi`): the nearest head above; the top unit's by the admin recording the PPK's
  written decision. Changing it re-runs the suggestion and the rating hasil
  kerja of the non-final evaluations of the heads of that unit (a final one keeps its value until the admin
  reopens it); the pola distribusi is always checked on read, so it follows at once.
* **Gate.** Rating is decided (`set_rating`) only when every RHK has at least one realisasi of one of
  its indikator for the periode (annual: in any periode of the year), or the penilai marked it "tidak ada
  realisasi" with a reason. Single RHK and values may be rated before.
* **Annual.** One record per pegawai and year on the pegawai's last approved SKP of the year; its RHK and
  value ratings are prefilled from the latest periodic evaluation that rated each of them, with an
  explanation of every periodic result; it stays a draft until the penilai decides. With several SKP in
  the year (mutation) the suggestion combines the SKP by `rules.rating.merge_mutasi` (each earlier SKP
  counts with the rating hasil of its last rated periodic evaluation); the penilai of the last SKP decides.
* **Finalisation** is per rating group (`selectors.kelompok`): every member rated, then the pola
  distribusi of the group's capaian organisasi (the capaian of the penilai's unit) is checked and the
  instansi's mode decides (`rules.evaluasi.may_finalise`). Final evaluations are immutable; only the
  admin reopens one, with a reason.
* **Not before the end.** Single RHK and values may be rated as a draft at any time, but the ratings are
  decided (`set_rating`, and so the group finalised) only after the periode has ended; the annual
  evaluation after 31 December (`rules.evaluasi.status_penetapan`).
* **Deadline lock** (`rules.evaluasi.status_kunci`, docs/rules.md §14.4). After the periode's batas evaluasi
  (annual: the batas evaluasi tahunan) ratings are locked: rating RHK and values, marking "tidak ada
  realisasi", deciding and the atasan's adjustment are refused, unless the admin kepegawaian unlocked that
  evaluation (`unlock_evaluasi`: a reason, valid ``Instansi.lama_buka_kunci_hari`` days, audited). Opening
  an evaluation and finalising a group of rated evaluations stay possible after the deadline (they change no
  rating). Reopening a final evaluation after the deadline also unlocks it (same reason, same days). Every
  locked write takes ``sekarang`` to freeze the clock (tests, the demo's backdated history).
* **Optimistic locking.** Writes accept the ``versi`` the form was read at; a stale one is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kinerja.organisasi import selectors as org
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import PANGKAT_LABEL, Pegawai, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.pelaksanaan import selectors as pelaksanaan
from kinerja.penilaian.models import (
    CapaianOrganisasiUnit,
    DasarHasil,
    Evaluasi,
    JenisEvaluasi,
    PenilaiEksternal,
    RatingPerilaku,
    RatingRhk,
)
from kinerja.penilaian.selectors import (
    capaian_unit,
    evaluasi_periode,
    penetap_capaian,
    rhk_belum_siap,
    status_kunci,
    status_penetapan,
)
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.permissions import is_admin_of, require
from kinerja.rules import JenisPenempatan, JenisRhk, Skema
from kinerja.rules import evaluasi as alur
from kinerja.rules import rating as rating_rules
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Aksi, Peran, Status
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi, Rating

NAMA_PERILAKU = {n.kode: n.nama for n in BERAKHLAK}
PESAN_HASIL_PIMPINAN = (
    "Rating hasil kerja pimpinan unit kerja mengikuti capaian kinerja organisasi unit yang dipimpinnya dan "
    "tidak dapat diubah di sini; ubah capaian organisasinya bila perlu."
)

# --- who is acting ------------------------------------------------------------------------------------


def _pastikan_penilai(evaluasi: Evaluasi, oleh: User, apa: str) -> None:
    require(
        oleh,
        "penilaian.rate_evaluasi",
        evaluasi,
        f"{apa} hanya dapat dilakukan oleh pejabat penilai pegawai ini.",
    )


def _pastikan_dapat_diubah(evaluasi: Evaluasi) -> None:
    if not alur.dapat_diubah(evaluasi.status_enum):
        raise ValidationError(
            "Evaluasi ini sudah final dan tidak dapat diubah. Hanya admin kepegawaian yang dapat "
            "membukanya kembali, dengan alasan."
        )


def _kalimat(teks: str) -> str:
    """End a sentence with one full stop (names such as "…, M.Si." already end with one)."""
    return teks if teks.endswith(".") else teks + "."


def _sekarang(sekarang: datetime.datetime | None) -> datetime.datetime:
    return sekarang if sekarang is not None else timezone.now()


def _pastikan_periode_berakhir(ev: Evaluasi, sekarang: datetime.datetime | None) -> None:
    status = status_penetapan(ev, sekarang)
    if not status.terbuka:
        raise ValidationError(status.alasan, code="belum_berakhir")


def _pastikan_belum_terkunci(ev: Evaluasi, sekarang: datetime.datetime | None) -> None:
    status = status_kunci(ev, sekarang)
    if not status.terbuka:
        raise ValidationError(status.alasan, code="terkunci")


def _ambil(evaluasi: Evaluasi, versi: int | None) -> Evaluasi:
    """The evaluation re-read under a row lock; refused when the caller's ``versi`` is stale."""
    ev = _ambil_kunci(evaluasi.pk)
    _pastikan_versi(ev, versi)
    return ev


def _pastikan_versi(ev: Evaluasi, versi: int | None) -> None:
    if versi is not None and versi != ev.versi:
        raise ValidationError(
            "Evaluasi ini sudah diubah di tab/perangkat lain; muat ulang halaman untuk melihat perubahan "
            "terbaru.",
            code="konflik",
        )


def _ambil_kunci(evaluasi_id: int) -> Evaluasi:
    """The evaluation read under a row lock (``Evaluasi.DoesNotExist`` when missing)."""
    return (
        Evaluasi.objects.select_for_update(of=("self",))
        .select_related(
            "periode",
            "periode_penilaian__periode",
            "skp__penilai_jabatan",
            "skp__periode",
            "instansi",
            "unit_dipimpin",
            "penilai_eksternal",
        )  # everything `evaluasi.selectors.evaluasi_qs` reads: the page answering a write reuses the row
        .get(pk=evaluasi_id)
    )


def _ambil_untuk_penilai(
    evaluasi: Evaluasi, versi: int | None, oleh: User, apa: str, sekarang: datetime.datetime | None
) -> Evaluasi:
    """The evaluation re-read under a row lock for a write by its penilai: the role, not final, not past
    the deadline lock (every rating write of the penilai goes through here)."""
    ev = _ambil(evaluasi, versi)
    _pastikan_penilai(ev, oleh, apa)
    _pastikan_dapat_diubah(ev)
    _pastikan_belum_terkunci(ev, sekarang)
    return ev


def _identitas_penilai_eksternal(ev: Evaluasi, pe: PenilaiEksternal) -> None:
    """The snapshot's penilai is the external penilai the admin rated for (docs/rules.md "Penilai di luar
    instansi"): documents and the SIASN export read the snapshot."""
    ev.penilai_nama, ev.penilai_nip = pe.nama, pe.nomor_identitas
    ev.penilai_pangkat = PANGKAT_LABEL.get(pe.golongan, "") if pe.golongan else ""
    ev.penilai_jabatan_nama, ev.penilai_unit = pe.jabatan, pe.instansi_penilai


def _simpan(ev: Evaluasi, oleh: User) -> Evaluasi:
    """Save a change: the identity snapshot is refreshed from the SKP until the evaluation is final (a
    final row cannot be saved again; see `Evaluasi.save`), the version moves on, the history names `oleh`."""
    _identitas_dari_skp(ev, ev.skp)
    if ev.penilai_id is None and ev.penilai_eksternal_id:
        _identitas_penilai_eksternal(ev, ev.penilai_eksternal)  # type: ignore[arg-type]
    ev.versi += 1
    ev._history_user = oleh  # type: ignore[attr-defined]
    ev.save()
    return ev


def _rating(value: Any, field: str) -> Rating:
    try:
        return Rating(value)
    except ValueError:
        pilihan = ", ".join(r.label for r in Rating)
        raise ValidationError({field: f"Rating tidak dikenal; pilih salah satu: {pilihan}."}) from None


def _tanggal_acuan(periode: Periode, periode_penilaian: PeriodePenilaian | None) -> datetime.date:
    """The day the organisation is read on: the last day of the periode (or of the year)."""
    return periode_penilaian.selesai if periode_penilaian else datetime.date(periode.tahun, 12, 31)


def _label_periode(periode: Periode, periode_penilaian: PeriodePenilaian | None) -> str:
    return periode_penilaian.nama if periode_penilaian else f"tahun {periode.tahun} (Akhir)"


def unit_dipimpin(pegawai: Pegawai, tanggal: datetime.date) -> UnitKerja | None:
    """The unit a pegawai heads on a date: through their definitif jabatan, else a Plt. (not a Plh.)."""
    aktif = [p for p in org.penempatan_aktif(pegawai, tanggal) if p.jabatan.pimpinan_unit]
    for jenis in (JenisPenempatan.DEFINITIF.value, JenisPenempatan.PLT.value):
        for p in aktif:
            if p.jenis == jenis:
                return p.jabatan.unit
    return None


# --- capaian kinerja organisasi -----------------------------------------------------------------------


@dataclass(frozen=True)
class KeputusanPpk:
    """The PPK's written decision the admin records when setting a capaian organisasi (the top unit)."""

    pejabat: str
    nomor: str
    tanggal: datetime.date | None


def _keputusan_ppk(keputusan: KeputusanPpk | None) -> KeputusanPpk:
    k = keputusan or KeputusanPpk("", "", None)
    galat: dict[str, str] = {}
    pejabat, nomor = (k.pejabat or "").strip(), (k.nomor or "").strip()
    if not pejabat:
        galat["ppk_pejabat"] = "Isi nama pejabat pembina kepegawaian (PPK) yang memutuskan capaian ini."
    elif len(pejabat) > 200:
        galat["ppk_pejabat"] = "Nama PPK paling panjang 200 karakter."
    if not nomor:
        galat["ppk_nomor"] = "Isi nomor surat keputusan PPK tentang capaian ini."
    elif len(nomor) > 100:
        galat["ppk_nomor"] = "Nomor keputusan PPK paling panjang 100 karakter."
    if k.tanggal is None:
        galat["ppk_tanggal"] = "Isi tanggal keputusan PPK."
    elif k.tanggal > timezone.localdate():
        galat["ppk_tanggal"] = "Tanggal keputusan PPK tidak boleh di masa depan."
    if galat:
        raise ValidationError(galat)
    return KeputusanPpk(pejabat, nomor, k.tanggal)


@dataclass(frozen=True)
class SaranCapaian:
    """The suggested capaian organisasi of a unit (None: no thresholds or no IKU capaian) and its basis."""

    nilai: CapaianOrganisasi | None
    rata_rata: Decimal | None
    capaian_iku: tuple[Decimal | None, ...]
    alasan: str


def saran_capaian_organisasi(
    unit: UnitKerja, periode_penilaian: PeriodePenilaian | None, periode: Periode | None = None
) -> SaranCapaian:
    """Suggested capaian organisasi from the capaian of the numeric indikator in the SKP of the unit's head
    (the unit's IKU: a head's RHK carry the unit's Perjanjian Kinerja) and the instansi's thresholds.

    Periodic: the capaian of each indikator in that periode; annual (``periode_penilaian`` None, pass
    ``periode``): the capaian for the whole year (consolidated per the indikator's rule).
    """
    periode = periode_penilaian.periode if periode_penilaian is not None else periode
    if periode is None:
        raise ValueError("periode wajib untuk saran tahunan")
    instansi = unit.instansi
    ambang = (
        rating_rules.AmbangCapaianOrganisasi.from_dict(instansi.ambang_capaian_organisasi)
        if instansi.ambang_capaian_organisasi
        else None
    )
    tanggal = _tanggal_acuan(periode, periode_penilaian)
    kepala = org.pimpinan_unit(unit, tanggal)
    skp = (
        pelaksanaan.skp_realisasi(kepala.pegawai, periode, periode_penilaian) if kepala is not None else None
    )
    if skp is None:
        return SaranCapaian(None, None, (), f"{unit.nama} belum memiliki SKP pimpinan yang disetujui.")
    daftar = pelaksanaan.periode_list(periode)
    if not daftar:
        return SaranCapaian(None, None, (), "Periode penilaian tahun ini belum dibuat.")
    acuan = periode_penilaian or daftar[-1]
    capaian: list[Decimal | None] = []
    for ind in pelaksanaan.indikator_qs(periode).filter(rhk__skp=skp, target_angka__isnull=False):
        baris = pelaksanaan.baris_indikator(ind, acuan, daftar)
        if periode_penilaian is not None:
            capaian.append(baris.capaian)
        else:
            capaian.append(baris.kumulatif.capaian if baris.kumulatif else None)
    rata = rating_rules.rata_rata_capaian(capaian)
    nilai = rating_rules.suggest_capaian_organisasi(capaian, ambang)
    if ambang is None:
        alasan = "Instansi belum menetapkan ambang saran capaian organisasi; tidak ada saran."
    elif rata is None:
        alasan = f"Belum ada capaian indikator angka pada SKP pimpinan {unit.nama} untuk periode ini."
    else:
        alasan = (
            f"Rata-rata capaian {sum(1 for c in capaian if c is not None)} indikator SKP pimpinan "
            f"{unit.nama}: {pelaksanaan.angka_tampil(rata)}% → {nilai.label if nilai else '-'}."
        )
    return SaranCapaian(nilai, rata, tuple(capaian), alasan)


def capaian_dipakai_final(
    unit: UnitKerja | int, periode: Periode, periode_penilaian: PeriodePenilaian | None
) -> bool:
    """Whether a final evaluation already rests on this capaian organisasi (its group's pola distribusi,
    or the rating hasil kerja of the unit's head): then it may no longer change."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        evaluasi_periode(periode, periode_penilaian)
        .filter(status=Status.FINAL.value)
        .filter(Q(unit_kelompok_id=unit_id) | Q(unit_dipimpin_id=unit_id))
        .exists()
    )


@transaction.atomic
def set_capaian_organisasi(
    unit: UnitKerja,
    periode: Periode,
    periode_penilaian: PeriodePenilaian | None,
    nilai: CapaianOrganisasi | str,
    catatan: str,
    oleh: User,
    keputusan_ppk: KeputusanPpk | None = None,
) -> CapaianOrganisasiUnit:
    """Set (or change) the capaian kinerja organisasi of a unit for a periode or the year (audited).

    Set by the level above, never by the unit's head (its capaian becomes his rating hasil kerja); where
    the admin sets it (the top unit) ``keputusan_ppk`` — who decided, the number and date of the PPK's
    written decision — is required and recorded (docs/rules.md §15).

    Re-runs the rating hasil kerja of the non-final evaluations of the unit's heads for that periode.
    """
    if periode.instansi_id != unit.instansi_id:
        raise ValidationError({"periode": "Periode bukan milik instansi unit ini."})
    if periode_penilaian is not None and periode_penilaian.periode_id != periode.pk:
        raise ValidationError(
            {"periode_penilaian": f"Periode penilaian bukan bagian dari tahun {periode.tahun}."}
        )
    try:
        nilai = CapaianOrganisasi(nilai)
    except ValueError:
        pilihan = ", ".join(c.label for c in CapaianOrganisasi)
        raise ValidationError(
            {"nilai": f"Capaian kinerja organisasi tidak dikenal; pilih: {pilihan}."}
        ) from None
    penetap, kepala_unit = penetap_capaian(unit, _tanggal_acuan(periode, periode_penilaian))
    pegawai_id = oleh.pegawai_id if oleh.is_authenticated else None
    if not rating_rules.may_set_capaian(
        penetap, kepala_unit, pegawai_id, is_admin_of(oleh, unit.instansi_id)
    ):
        if pegawai_id is not None and pegawai_id == kepala_unit:
            raise PermissionDenied(
                f"Anda memimpin {unit.nama}: capaian kinerja organisasinya menjadi rating hasil kerja Anda, "
                "sehingga ditetapkan oleh tingkat di atasnya, bukan oleh Anda."
            )
        raise PermissionDenied(
            "Capaian kinerja organisasi ditetapkan oleh pimpinan unit kerja di atasnya (untuk unit "
            "tertinggi: admin kepegawaian berdasarkan keputusan tertulis PPK)."
        )
    ppk = _keputusan_ppk(keputusan_ppk) if penetap.admin else KeputusanPpk("", "", None)
    if capaian_dipakai_final(unit, periode, periode_penilaian):
        raise ValidationError(
            f"Capaian kinerja organisasi {unit.nama} untuk {_label_periode(periode, periode_penilaian)} "
            "tidak dapat diubah lagi: sudah dipakai evaluasi yang final (pola distribusi kelompoknya atau "
            "rating pimpinannya). Admin kepegawaian dapat membuka kembali evaluasi tersebut lebih dahulu."
        )
    saran = saran_capaian_organisasi(unit, periode_penilaian, periode)
    obj = capaian_unit(unit, periode, periode_penilaian) or CapaianOrganisasiUnit(
        instansi_id=unit.instansi_id, unit=unit, periode=periode, periode_penilaian=periode_penilaian
    )
    if obj.pk is not None:
        obj = CapaianOrganisasiUnit.objects.select_for_update().get(pk=obj.pk)
    obj.nilai = nilai.value
    obj.saran = saran.nilai.value if saran.nilai else ""
    obj.saran_alasan = saran.alasan
    obj.catatan = (catatan or "").strip()
    obj.ppk_pejabat, obj.ppk_nomor, obj.ppk_tanggal = ppk.pejabat, ppk.nomor, ppk.tanggal
    obj.ditetapkan_oleh = oleh
    obj.ditetapkan_pada = timezone.now()
    obj._history_user = oleh  # type: ignore[attr-defined]
    obj.save()
    heads = Evaluasi.objects.filter(unit_dipimpin=unit, periode=periode).exclude(status=Status.FINAL.value)
    if periode_penilaian is None:
        heads = heads.filter(jenis=JenisEvaluasi.TAHUNAN)
    else:
        heads = heads.filter(periode_penilaian=periode_penilaian)
    for ev in heads:
        ev = _ambil(ev, None)
        _hitung_saran(ev)
        _simpan(ev, oleh)
    return obj


# --- opening an evaluation ----------------------------------------------------------------------------


def _identitas_dari_skp(ev: Evaluasi, skp: Skp) -> None:
    """Copy the SKP's identity snapshot (and its penilai chain) onto the evaluation."""
    ev.penilai_id = skp.penilai_id
    ev.penilai_jabatan_id = skp.penilai_jabatan_id
    ev.atasan_penilai_id = skp.atasan_penilai_id
    ev.unit_id = skp.unit_id
    ev.unit_kelompok_id = skp.penilai_jabatan.unit_id if skp.penilai_jabatan_id else skp.unit_id
    ev.copy_identitas(skp)


def _baris_rhk(ev: Evaluasi, rhk_list: Iterable[Rhk]) -> list[RatingRhk]:
    return [
        RatingRhk(evaluasi=ev, rhk=r, rhk_jenis=r.jenis, rhk_teks=r.teks, urutan=i)
        for i, r in enumerate(rhk_list, start=1)
    ]


def _rhk_skp(skp: Skp) -> list[Rhk]:
    return list(Rhk.objects.filter(skp=skp).order_by("jenis", "urutan", "pk"))


def _sinkron_rhk(ev: Evaluasi, oleh: User) -> None:
    """Keep one rating row per RHK of the SKP (an SKP revision may add or remove RHK before the evaluation
    is final): add the missing rows, drop the rows of removed RHK, refresh text and jenis."""
    rhk_list = _rhk_skp(ev.skp)
    ada = {x.pk for x in rhk_list}
    rows = {}
    for r in ev.rating_rhk.all():
        if r.rhk_id is None or r.rhk_id not in ada:
            r._history_user = oleh  # type: ignore[attr-defined]
            r.delete()
        else:
            rows[r.rhk_id] = r
    baru = []
    for i, rhk in enumerate(rhk_list, start=1):
        row = rows.get(rhk.pk)
        if row is None:
            baru.extend(_baris_rhk(ev, [rhk]))
            baru[-1].urutan = i
        elif (row.rhk_teks, row.rhk_jenis, row.urutan) != (rhk.teks, rhk.jenis, i):
            row.rhk_teks, row.rhk_jenis, row.urutan = rhk.teks, rhk.jenis, i
            row._history_user = oleh  # type: ignore[attr-defined]
            row.save()
    if baru:
        bulk_create_with_history(baru, RatingRhk, default_user=oleh)


@transaction.atomic
def open_evaluasi(skp: Skp, periode_penilaian: PeriodePenilaian | None, oleh: User) -> Evaluasi:
    """Get or create the evaluation of an approved SKP for a periode (``None``: the annual evaluation,
    which always takes the pegawai's last approved SKP of the year).

    Creating copies the identity snapshot, adds a rating row for every RHK and for the seven BerAKHLAK
    values, and (annual) prefills them from the periodic evaluations. Opening an existing, non-final one
    refreshes its snapshot and RHK rows. Opened by the penilai, the atasan penilai (to calibrate) or the
    admin kepegawaian; only the penilai rates.
    """
    if skp.status != StatusSkp.DISETUJUI.value:
        raise ValidationError("Evaluasi hanya dapat dibuka untuk SKP yang sudah disetujui pejabat penilai.")
    periode = skp.periode
    if periode_penilaian is None:
        skp = (
            Skp.objects.filter(pegawai_id=skp.pegawai_id, periode=periode, status=StatusSkp.DISETUJUI.value)
            .select_related("periode", "penilai_jabatan", "pegawai")
            .order_by("-mulai")
            .first()
        ) or skp
        existing = Evaluasi.objects.filter(
            pegawai_id=skp.pegawai_id, periode=periode, jenis=JenisEvaluasi.TAHUNAN
        ).first()
    else:
        if periode_penilaian.periode_id != skp.periode_id:
            raise ValidationError(
                {"periode_penilaian": f"{periode_penilaian.nama} bukan periode SKP tahun {periode.tahun}."}
            )
        if periode_penilaian.mulai > skp.selesai or periode_penilaian.selesai < skp.mulai:
            raise ValidationError(
                {"periode_penilaian": f"{periode_penilaian.nama} berada di luar masa berlaku SKP ini."}
            )
        existing = Evaluasi.objects.filter(
            pegawai_id=skp.pegawai_id, periode_penilaian=periode_penilaian, jenis=JenisEvaluasi.PERIODIK
        ).first()
    sasaran = existing or Evaluasi(instansi_id=skp.instansi_id, skp=skp)
    if existing is None:
        _identitas_dari_skp(sasaran, skp)
    require(
        oleh, "penilaian.open_evaluasi", sasaran, "Evaluasi kinerja dibuka oleh pejabat penilai pegawai ini."
    )
    if existing is not None:
        ev = _ambil(existing, None)
        if alur.dapat_diubah(ev.status_enum):
            _sinkron_rhk(ev, oleh)
            _hitung_saran(ev)
            _simpan(ev, oleh)
        return ev
    ev = sasaran
    ev.jenis = JenisEvaluasi.TAHUNAN if periode_penilaian is None else JenisEvaluasi.PERIODIK
    ev.pegawai_id = skp.pegawai_id
    ev.periode = periode
    ev.periode_penilaian = periode_penilaian
    tanggal = min(max(_tanggal_acuan(periode, periode_penilaian), skp.mulai), skp.selesai)
    ev.unit_dipimpin = unit_dipimpin(skp.pegawai, tanggal)
    ev._history_user = oleh  # type: ignore[attr-defined]
    ev.save()
    bulk_create_with_history(_baris_rhk(ev, _rhk_skp(skp)), RatingRhk, default_user=oleh)
    bulk_create_with_history(
        [RatingPerilaku(evaluasi=ev, kode=n.kode) for n in BERAKHLAK], RatingPerilaku, default_user=oleh
    )
    if periode_penilaian is None:
        _isi_awal_tahunan(ev, oleh)
    _hitung_saran(ev)
    return _simpan(ev, oleh)


def _periodik_tahun(ev: Evaluasi) -> list[Evaluasi]:
    return list(
        Evaluasi.objects.filter(pegawai_id=ev.pegawai_id, periode=ev.periode, jenis=JenisEvaluasi.PERIODIK)
        .select_related("periode_penilaian")
        .prefetch_related("rating_rhk", "rating_perilaku_set")
        .order_by("periode_penilaian__nomor")
    )


def _isi_awal_tahunan(ev: Evaluasi, oleh: User) -> None:
    """Prefill the annual ratings of each RHK and value from the latest periodic evaluation that rated it,
    and explain every periodic result. Nothing is decided: the evaluation stays a draft."""
    periodik = _periodik_tahun(ev)
    skema = Skema(ev.periode.skema)
    bagian = []
    for nama, attr in (("Rating hasil kerja", "rating_hasil"), ("Rating perilaku kerja", "rating_perilaku")):
        try:
            saran = rating_rules.prefill_tahunan(
                [
                    (p.periode_penilaian.nomor, Rating(getattr(p, attr)) if getattr(p, attr) else None)
                    for p in periodik
                ],
                skema,
            )
            bagian.append(f"{nama}: {saran.alasan}")
        except ValueError as exc:
            bagian.append(f"{nama}: {exc}")
    terakhir_rhk: dict[int, str] = {}
    terakhir_perilaku: dict[str, str] = {}
    for p in periodik:  # ascending: a later periode overwrites an earlier one
        for r in p.rating_rhk.all():
            if r.rating and r.rhk_id:
                terakhir_rhk[r.rhk_id] = r.rating
        for r in p.rating_perilaku_set.all():
            if r.rating:
                terakhir_perilaku[r.kode] = r.rating
    for row in ev.rating_rhk.all():
        if row.rhk_id in terakhir_rhk:
            row.rating = terakhir_rhk[row.rhk_id]
            row._history_user = oleh  # type: ignore[attr-defined]
            row.save()
    for row in ev.rating_perilaku_set.all():
        if row.kode in terakhir_perilaku:
            row.rating = terakhir_perilaku[row.kode]
            row._history_user = oleh  # type: ignore[attr-defined]
            row.save()
    if terakhir_rhk or terakhir_perilaku:
        bagian.append(
            "Rating tiap RHK dan tiap nilai BerAKHLAK diisi dari evaluasi periodik terakhir yang menilainya; "
            "periksa dan ubah bila perlu sebelum menetapkan rating tahunan."
        )
    ev.isian_awal_alasan = "\n".join(bagian)  # one line per part (shown as separate lines)


# --- suggestions --------------------------------------------------------------------------------------


def _saran_mutasi(ev: Evaluasi, saran: rating_rules.SaranRating) -> rating_rules.SaranRating:
    """Annual evaluation of a pegawai with several SKP in the year: combine them (`merge_mutasi`)."""
    lain = list(
        Skp.objects.filter(
            pegawai_id=ev.pegawai_id,
            periode=ev.periode,
            status=StatusSkp.DISETUJUI.value,
            mulai__lt=ev.skp.mulai,
        ).order_by("mulai")
    )
    if not lain:
        return saran
    rating_skp: dict[int, str] = {}
    for p in (
        Evaluasi.objects.filter(skp__in=lain, jenis=JenisEvaluasi.PERIODIK)
        .exclude(rating_hasil="")
        .order_by("periode_penilaian__nomor")
    ):
        rating_skp[p.skp_id] = p.rating_hasil  # the last rated periode wins
    bagian = [
        rating_rules.BagianSkp(s.mulai, s.selesai, Rating(rating_skp[s.pk]), s.pegawai_jabatan)
        for s in lain
        if s.pk in rating_skp
    ]
    belum = [s.pegawai_jabatan for s in lain if s.pk not in rating_skp]
    bagian.append(rating_rules.BagianSkp(ev.skp.mulai, ev.skp.selesai, saran.rating, ev.skp.pegawai_jabatan))
    try:
        gabung = rating_rules.merge_mutasi(bagian)
    except ValueError as exc:
        return rating_rules.SaranRating(saran.rating, f"{saran.alasan} Mutasi tidak dapat digabung: {exc}")
    catatan = (
        f" SKP tanpa evaluasi periodik yang dinilai tidak ikut dihitung: {', '.join(belum)}." if belum else ""
    )
    return rating_rules.SaranRating(
        gabung.rating, f"SKP terakhir: {saran.alasan} {gabung.alasan}{catatan}", gabung.jumlah
    )


def _hitung_saran(
    ev: Evaluasi, rows: list[RatingRhk] | None = None, perilaku: list[RatingPerilaku] | None = None
) -> None:
    """Recompute both suggestions (and the ratings that follow them) from the rating rows (``rows``,
    ``perilaku``: every row of the evaluation when already read)."""
    rows = list(ev.rating_rhk.all()) if rows is None else rows
    perilaku = list(ev.rating_perilaku_set.all()) if perilaku is None else perilaku
    nilai = {r.kode: r.rating for r in perilaku}
    # The instansi's CONFIG as it is now: a changed setting applies to suggestions computed afterwards.
    ambang = org_services.ambang_rating_instansi(ev.instansi)
    pemetaan = org_services.pemetaan_pimpinan_instansi(ev.instansi)
    # Rating hasil kerja.
    if ev.unit_dipimpin_id:
        ev.dasar_hasil = DasarHasil.PIMPINAN
        unit = ev.unit_dipimpin
        cap = capaian_unit(ev.unit_dipimpin_id, ev.periode_id, ev.periode_penilaian)
        if cap is None:
            ev.capaian_organisasi = ev.saran_hasil = ""
            ev.saran_hasil_alasan = (
                f"Pegawai memimpin {unit.nama}; capaian kinerja organisasi unit itu untuk "
                f"{_label_periode(ev.periode, ev.periode_penilaian)} belum ditetapkan, sehingga rating hasil "
                "kerja belum dapat ditentukan."
            )
        else:
            saran = rating_rules.hasil_pimpinan(cap.nilai_enum, pemetaan, unit=unit.nama)
            ev.capaian_organisasi = cap.nilai
            ev.saran_hasil, ev.saran_hasil_alasan = saran.rating.value, saran.alasan
        ev.rating_hasil = ev.saran_hasil if ev.rating_hasil else ""  # a head's rating always follows
        ev.alasan_ubah_hasil = ""
    else:
        ev.dasar_hasil = DasarHasil.RHK
        ev.capaian_organisasi = ""
        belum = [r for r in rows if not r.rating]
        if not rows:
            ev.saran_hasil, ev.saran_hasil_alasan = "", "SKP ini tidak memiliki RHK untuk dinilai."
        elif belum:
            ev.saran_hasil = ""
            ev.saran_hasil_alasan = f"{len(belum)} dari {len(rows)} RHK belum dinilai."
        else:
            saran = rating_rules.suggest_hasil(
                [rating_rules.RatingRhk(JenisRhk(r.rhk_jenis), Rating(r.rating)) for r in rows], ambang
            )
            if ev.is_tahunan:
                saran = _saran_mutasi(ev, saran)
            ev.saran_hasil, ev.saran_hasil_alasan = saran.rating.value, saran.alasan
        if ev.rating_hasil and not ev.alasan_ubah_hasil:
            ev.rating_hasil = ev.saran_hasil  # accepted as suggested: follows the suggestion
    # Rating perilaku kerja.
    belum_nilai = [n.nama for n in BERAKHLAK if not nilai.get(n.kode)]
    if belum_nilai:
        ev.saran_perilaku = ""
        ev.saran_perilaku_alasan = f"Belum dinilai: {', '.join(belum_nilai)}."
    else:
        saran = rating_rules.suggest_perilaku({k: Rating(v) for k, v in nilai.items()}, ambang)
        ev.saran_perilaku, ev.saran_perilaku_alasan = saran.rating.value, saran.alasan
    if ev.rating_perilaku and not ev.alasan_ubah_perilaku:
        ev.rating_perilaku = ev.saran_perilaku


# --- rating RHK and values ----------------------------------------------------------------------------


def _row_rhk(ev: Evaluasi, rhk: Rhk) -> Any:
    row = ev.rating_rhk.filter(rhk=rhk).first()
    if row is None:
        raise ValidationError({"rhk": "RHK ini bukan bagian dari SKP yang dievaluasi."})
    return row


def _nilai(
    ev: Evaluasi,
    row: Any,
    rating: Rating | str | None,
    catatan: str,
    oleh: User,
    rows: list[RatingRhk] | None = None,
    perilaku: list[RatingPerilaku] | None = None,
) -> Evaluasi:
    """One row's rating (empty clears it) and note; the suggestions follow (``rows``, ``perilaku``: every
    rating row of the evaluation, ``row`` among them, when already read)."""
    row.rating = _rating(rating, "rating").value if rating not in (None, "") else ""
    row.catatan = (catatan or "").strip()
    row._history_user = oleh
    row.save()
    _hitung_saran(ev, rows, perilaku)
    return _simpan(ev, oleh)


@transaction.atomic
def rate_rhk(
    evaluasi: Evaluasi,
    rhk: Rhk,
    rating: Rating | str | None,
    catatan: str,
    oleh: User,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The penilai rates one RHK (``None`` clears the rating); the suggestions are recomputed."""
    ev = _ambil_untuk_penilai(evaluasi, versi, oleh, "Rating RHK", sekarang)
    return _nilai(ev, _row_rhk(ev, rhk), rating, catatan, oleh)


@transaction.atomic
def mark_tanpa_realisasi(
    evaluasi: Evaluasi,
    rhk: Rhk,
    alasan: str,
    oleh: User,
    *,
    tanpa: bool = True,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The penilai marks an RHK "tidak ada realisasi" for the periode (with a reason), so it does not hold
    back the rating; ``tanpa=False`` removes the mark."""
    ev = _ambil_untuk_penilai(evaluasi, versi, oleh, "Menandai RHK tanpa realisasi", sekarang)
    row = _row_rhk(ev, rhk)
    alasan = (alasan or "").strip()
    if tanpa and not alasan:
        raise ValidationError({"alasan": "Tuliskan alasan mengapa RHK ini tidak memiliki realisasi."})
    row.tanpa_realisasi, row.tanpa_realisasi_alasan = tanpa, alasan if tanpa else ""
    row._history_user = oleh  # type: ignore[attr-defined]
    row.save()
    return _simpan(ev, oleh)


@transaction.atomic
def rate_perilaku(
    evaluasi: Evaluasi,
    kode: str,
    rating: Rating | str | None,
    catatan: str,
    oleh: User,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The penilai rates one BerAKHLAK value (``None`` clears it); the suggestions are recomputed."""
    ev = _ambil_untuk_penilai(evaluasi, versi, oleh, "Rating perilaku", sekarang)
    row = ev.rating_perilaku_set.filter(kode=str(kode).upper()).first()
    if row is None:
        raise ValidationError({"kode": f"Nilai BerAKHLAK tidak dikenal: {kode}."})
    return _nilai(ev, row, rating, catatan, oleh)


@dataclass
class BarisDinilai:
    """What `nilai_baris` saved: the evaluation (read with everything the page's header reads), every
    rating row of it as saved (RHK in page order, BerAKHLAK values) and the one row written."""

    evaluasi: Evaluasi
    rhk: list[RatingRhk]
    perilaku: list[RatingPerilaku]
    baris: RatingRhk | RatingPerilaku


@transaction.atomic
def nilai_baris(
    evaluasi_id: int,
    oleh: User,
    rating: Rating | str | None,
    catatan: str,
    *,
    rhk_row_id: int | None = None,
    kode: str | None = None,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> BarisDinilai:
    """The penilai rates one RHK (its rating row ``rhk_row_id``) or one BerAKHLAK value (``kode``) of the
    evaluation ``evaluasi_id``, as `rate_rhk` / `rate_perilaku` do, reading only what the write needs: the
    evaluation under its lock and its rating rows (once, for the suggestions and the answer).

    Raises ``Evaluasi.DoesNotExist`` (missing evaluation), ``PermissionDenied`` (the user may not see it, or
    is not its penilai), ``RatingRhk.DoesNotExist`` / ``RatingPerilaku.DoesNotExist`` (no such row in it)
    and ``ValidationError`` (stale ``versi``, final, locked, deleted RHK, unknown rating)."""
    ev = _ambil_kunci(evaluasi_id)
    require(oleh, "penilaian.view_evaluasi", ev, "Anda tidak berhak melihat evaluasi ini.")
    rows = list(ev.rating_rhk.order_by("urutan", "pk"))
    perilaku = list(ev.rating_perilaku_set.order_by("pk"))  # not the default order's joins
    if rhk_row_id is not None:
        row: RatingRhk | RatingPerilaku | None = next((r for r in rows if r.pk == rhk_row_id), None)
        if row is None:
            raise RatingRhk.DoesNotExist("RHK tidak ditemukan pada evaluasi ini.")
        apa = "Rating RHK"
    else:
        kode = str(kode or "").upper()
        row = next((r for r in perilaku if r.kode == kode), None)
        if row is None:
            raise RatingPerilaku.DoesNotExist("Nilai BerAKHLAK tidak dikenal.")
        apa = "Rating perilaku"
    _pastikan_versi(ev, versi)
    _pastikan_penilai(ev, oleh, apa)
    _pastikan_dapat_diubah(ev)
    _pastikan_belum_terkunci(ev, sekarang)
    if isinstance(row, RatingRhk) and row.rhk_id is None:
        raise ValidationError({"rating": "RHK ini sudah dihapus dari SKP; buka ulang evaluasi."})
    ev = _nilai(ev, row, rating, catatan, oleh, rows, perilaku)
    return BarisDinilai(ev, rows, perilaku, row)


# --- deciding the ratings -----------------------------------------------------------------------------


def _gate(ev: Evaluasi) -> None:
    blok = rhk_belum_siap(ev)
    if blok:
        daftar = "; ".join(f'"{r.rhk_teks[:80]}"' for r in blok)
        raise ValidationError(
            {
                "rating_rhk": (
                    f"Belum dapat dinilai: {len(blok)} RHK belum memiliki realisasi untuk "
                    f"{_label_periode(ev.periode, ev.periode_penilaian)}: {daftar}. Tunggu realisasinya atau "
                    "tandai 'tidak ada realisasi' dengan alasan."
                )
            }
        )


def _keputusan(
    saran: str, saran_alasan: str, rating: Any, alasan: str, field: str, apa: str
) -> tuple[str, str]:
    """(the decided rating, the reason when it differs from the suggestion) or ValidationError on ``field``:
    empty = accept the suggestion; another rating needs a written reason."""
    if not saran:
        raise ValidationError({field: f"{apa} belum dapat ditetapkan: {saran_alasan}"})
    if rating in (None, ""):
        return saran, ""
    nilai = _rating(rating, field).value
    if nilai == saran:
        return nilai, ""
    if not (alasan or "").strip():
        pesan = f"{apa} berbeda dari saran ({Rating(saran).label}); tuliskan alasannya."
        raise ValidationError({"alasan_" + field.removeprefix("rating_"): pesan})
    return nilai, alasan.strip()


def _keputusan_hasil(ev: Evaluasi, rating_hasil: Any, alasan: str) -> tuple[str, str]:
    """(rating hasil kerja, reason when it differs from the suggestion) or ValidationError."""
    if ev.unit_dipimpin_id:
        if not ev.saran_hasil:
            raise ValidationError({"rating_hasil": ev.saran_hasil_alasan})
        if rating_hasil not in (None, "") and _rating(rating_hasil, "rating_hasil").value != ev.saran_hasil:
            raise ValidationError({"rating_hasil": PESAN_HASIL_PIMPINAN})
        return ev.saran_hasil, ""
    return _keputusan(
        ev.saran_hasil, ev.saran_hasil_alasan, rating_hasil, alasan, "rating_hasil", "Rating hasil kerja"
    )


def _keputusan_perilaku(ev: Evaluasi, rating_perilaku: Any, alasan: str) -> tuple[str, str]:
    return _keputusan(
        ev.saran_perilaku,
        ev.saran_perilaku_alasan,
        rating_perilaku,
        alasan,
        "rating_perilaku",
        "Rating perilaku kerja",
    )


def _transisi(ev: Evaluasi, aksi: Aksi, peran: Peran, catatan: str = "") -> None:
    """Move the evaluation through `rules.evaluasi`; a missing reason is reported on the ``alasan`` field."""
    aturan = alur.TRANSISI[aksi]
    try:
        ev.status = alur.transisi(ev.status_enum, aksi, peran, catatan).value
    except alur.TransisiDitolak as exc:
        tanpa_alasan = peran in aturan.wajib_catatan and ev.status_enum in aturan.ke and not catatan.strip()
        raise ValidationError({"alasan": str(exc)} if tanpa_alasan else str(exc)) from exc


@transaction.atomic
def set_rating(
    evaluasi: Evaluasi,
    oleh: User,
    rating_hasil: Rating | str | None = None,
    alasan_hasil: str = "",
    rating_perilaku: Rating | str | None = None,
    alasan_perilaku: str = "",
    *,
    catatan: str | None = None,
    rekomendasi: str | None = None,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The penilai decides both ratings: ``None`` accepts the suggestion; a different rating needs a written
    reason. The predikat follows from the kuadran. Refused while an RHK waits for realisasi (the gate)."""
    ev = _ambil_untuk_penilai(evaluasi, versi, oleh, "Penetapan rating", sekarang)
    _pastikan_periode_berakhir(ev, sekarang)
    _gate(ev)
    _hitung_saran(ev)
    hasil, alasan_h = _keputusan_hasil(ev, rating_hasil, alasan_hasil)
    perilaku, alasan_p = _keputusan_perilaku(ev, rating_perilaku, alasan_perilaku)
    _transisi(ev, Aksi.SIMPAN_RATING, Peran.PENILAI)
    ev.rating_hasil, ev.alasan_ubah_hasil = hasil, alasan_h
    ev.rating_perilaku, ev.alasan_ubah_perilaku = perilaku, alasan_p
    ev.disesuaikan_atasan_alasan = ""
    if catatan is not None:
        ev.catatan = catatan.strip()
    if rekomendasi is not None:
        ev.rekomendasi = rekomendasi.strip()
    ev.dinilai_pada, ev.dinilai_oleh = _sekarang(sekarang), oleh
    return _simpan(ev, oleh)


@transaction.atomic
def adjust_by_atasan(
    evaluasi: Evaluasi,
    oleh: User,
    alasan: str,
    rating_hasil: Rating | str | None = None,
    rating_perilaku: Rating | str | None = None,
    versi: int | None = None,
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """The atasan pejabat penilai adjusts a rating while calibrating the pola distribusi, always with a
    reason (kept with the rating and in the history). A head's rating hasil kerja is not adjustable."""
    ev = _ambil(evaluasi, versi)
    require(
        oleh,
        "penilaian.adjust_evaluasi",
        ev,
        "Penyesuaian rating hanya dapat dilakukan oleh atasan pejabat penilai pegawai ini.",
    )
    _pastikan_dapat_diubah(ev)
    _pastikan_belum_terkunci(ev, sekarang)
    if not (ev.rating_hasil and ev.rating_perilaku):
        raise ValidationError("Pejabat penilai belum menetapkan rating; belum ada yang dapat disesuaikan.")
    if rating_hasil in (None, "") and rating_perilaku in (None, ""):
        raise ValidationError({"rating_hasil": "Pilih rating yang disesuaikan."})
    _transisi(ev, Aksi.SIMPAN_RATING, Peran.ATASAN_PENILAI, alasan or "")
    _gate(ev)
    _hitung_saran(ev)
    alasan = alasan.strip()
    if rating_hasil not in (None, ""):
        nilai = _rating(rating_hasil, "rating_hasil").value
        if ev.unit_dipimpin_id and nilai != ev.saran_hasil:
            raise ValidationError({"rating_hasil": PESAN_HASIL_PIMPINAN})
        ev.rating_hasil = nilai
        ev.alasan_ubah_hasil = (
            "" if nilai == ev.saran_hasil else f"Disesuaikan atasan pejabat penilai: {alasan}"
        )
    if rating_perilaku not in (None, ""):
        nilai = _rating(rating_perilaku, "rating_perilaku").value
        ev.rating_perilaku = nilai
        ev.alasan_ubah_perilaku = (
            "" if nilai == ev.saran_perilaku else f"Disesuaikan atasan pejabat penilai: {alasan}"
        )
    ev.disesuaikan_atasan_alasan = alasan
    return _simpan(ev, oleh)


# --- reopening -----------------------------------------------------------------------


@transaction.atomic
def reopen(
    evaluasi: Evaluasi, oleh: User, alasan: str, sekarang: datetime.datetime | None = None
) -> Evaluasi:
    """The admin kepegawaian reopens a final evaluation, with a reason (audited); it is finalised again
    through its group. After the deadline this also unlocks it (see `unlock_evaluasi`)."""
    ev = _ambil(evaluasi, None)
    require(
        oleh,
        "penilaian.reopen_evaluasi",
        ev,
        "Hanya admin kepegawaian instansi ini yang dapat membuka kembali evaluasi yang sudah final.",
    )
    _transisi(ev, Aksi.BUKA_KEMBALI, Peran.ADMIN, alasan or "")
    now = _sekarang(sekarang)
    ev.dibuka_kembali_pada, ev.dibuka_kembali_oleh = now, oleh
    ev.dibuka_kembali_alasan = alasan.strip()
    if not status_kunci(ev, now).terbuka:
        _catat_buka_kunci(ev, oleh, ev.dibuka_kembali_alasan, now)
    return _simpan(ev, oleh)


def _catat_buka_kunci(ev: Evaluasi, oleh: User, alasan: str, now: datetime.datetime) -> None:
    hari = ev.instansi.lama_buka_kunci_hari or 1
    ev.kunci_dibuka_sampai = now + datetime.timedelta(days=hari)
    ev.kunci_dibuka_pada, ev.kunci_dibuka_oleh, ev.kunci_dibuka_alasan = now, oleh, alasan


@transaction.atomic
def unlock_evaluasi(
    evaluasi: Evaluasi, oleh: User, alasan: str, sekarang: datetime.datetime | None = None
) -> Evaluasi:
    """The admin kepegawaian unlocks the ratings of one evaluation after its deadline, with a reason, for
    ``Instansi.lama_buka_kunci_hari`` days (audited in the evaluation's history)."""
    ev = _ambil(evaluasi, None)
    require(
        oleh,
        "penilaian.reopen_evaluasi",
        ev,
        "Hanya admin kepegawaian instansi ini yang dapat membuka kunci evaluasi.",
    )
    _pastikan_dapat_diubah(ev)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": "Tuliskan alasan membuka kunci evaluasi ini."})
    now = _sekarang(sekarang)
    status = status_kunci(ev, now)
    if status.terbuka and not status.terlambat:
        raise ValidationError(f"Evaluasi ini belum terkunci. {status.alasan}")
    _catat_buka_kunci(ev, oleh, alasan, now)
    return _simpan(ev, oleh)
