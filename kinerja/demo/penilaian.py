"""Demo penilaian data: the periodic evaluation of every finished periode of the demo year,
carried out through the services by the people who would do it, at the dates they would have done it.

For each periode penilaian that has ended (TW I–III when the demo clock is in the fourth quarter; the
running periode stays open, untouched):

* **Capaian organisasi** of every unit, set by the head of the unit above (the top unit by the admin):
  the Badan *Istimewa*; the Subbagian Perencanaan dan Keuangan *Butuh Perbaikan* (behind on its reports all
  year; two of its people did not enter TW III); every other unit *Baik*.
* **Ratings.** Each penilai opens the evaluation of every bawahan with an approved SKP (the two pegawai
  whose SKP is a draft or was returned have nothing to evaluate), rates every RHK and the seven BerAKHLAK
  values and accepts the suggested ratings. Who gets which predikat follows the pelaksanaan data (a pegawai
  behind target is rated Dibawah Ekspektasi on the RHK; the RHK and the values are each rated in one form,
  `services_massal.rate_rhk_semua` / `rate_perilaku_semua`) and then the pola distribusi of the group's
  capaian organisasi (`_rencana`: the fewest moves that satisfy `rules.distribusi.check`), so every group
  but one is inside its curve. A unit head's rating hasil kerja follows the capaian of the unit they lead.
* **Gate.** A pegawai who did not enter the realisasi of a periode (the late ones of the pelaksanaan seed)
  has those RHK marked "tidak ada realisasi" by the penilai, with the reason; the evaluation then goes on
  (a missing periode is rated Dibawah Ekspektasi, except in the generous group below).
* **One override.** Kepala Bidang PKP rates Rahmat Hidayat's (the demo pelaksana) TW III hasil kerja
  Diatas Ekspektasi instead of the suggested Sesuai, with a written reason.
* **One group in violation.** In TW III the Kepala Bidang Mutasi dan Promosi rates all eight bawahan
  Sesuai or better although four are behind target (Baik allows at most 70 % Baik and needs at least one
  Butuh Perbaikan/Kurang); the group is finalised in the instansi's "warn only" mode with the reason
  recorded in `FinalisasiKelompok` (so it is complete, and the group page still shows the violation).
* **A penilai outside the instansi.** The Kepala Badan has no penilai in the app: he is rated by the
  Sekretaris Daerah Kota Sukamaju, whom the admin records for the year (`SEKDA`); the admin enters that
  Sekda's written decision of each periode (number, date) and the ratings on it
  (`eksternal/services.rate_on_keputusan_eksternal`), so his documents and SIASN rows name the Sekda.
* **Finalisation.** Every group of every finished periode is finalised by its penilai (the admin for the
  Kepala Badan, who has no penilai in the app).

History and timestamps are backdated to a few days after each periode's realisasi deadline.
Idempotent: a periode penilaian that already has an evaluation is left alone.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kinerja.demo.pelaksanaan import NARASI_KURANG
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, Pegawai, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import selectors, services
from kinerja.penilaian.eksternal import services as services_eksternal
from kinerja.penilaian.evaluasi import massal as services_massal
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import (
    CapaianOrganisasiUnit,
    Evaluasi,
    FinalisasiKelompok,
    KeputusanPenilaiEksternal,
    PenilaiEksternal,
    RatingPerilaku,
    RatingRhk,
)
from kinerja.perencanaan.models import Skp
from kinerja.rules import JenisRhk
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import rating as rating_rules
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.distribusi import ConstraintKind
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating

# The Kepala Badan's penilai, outside the instansi (docs/rules.md "Penilai di luar instansi").
SEKDA = {
    "status": "ASN",
    "nama": "Drs. H. Agus Setiawan, M.Si.",
    "nomor_identitas": "196805121990031004",
    "jabatan": "Sekretaris Daerah Kota Sukamaju",
    "golongan": "IV/d",
    "instansi_penilai": "Pemerintah Kota Sukamaju",
}

# Capaian organisasi per unit kode (every periode); units not named are Baik.
CAPAIAN = {
    "BKPSDM": CapaianOrganisasi.ISTIMEWA,
    "SUBPK": CapaianOrganisasi.BUTUH_PERBAIKAN,
}
CATATAN_CAPAIAN = {
    CapaianOrganisasi.ISTIMEWA: (
        "Seluruh IKU {periode} tercapai atau terlampaui; layanan kepegawaian tepat waktu."
    ),
    CapaianOrganisasi.BAIK: "Sebagian besar target {periode} tercapai sesuai rencana.",
    CapaianOrganisasi.BUTUH_PERBAIKAN: (
        "Laporan keuangan dan dokumen perencanaan {periode} terlambat; target unit belum tercapai."
    ),
}
UNIT_PELANGGARAN = "BMP"  # the group finalised with a violation (TW III)
NOMOR_PELANGGARAN = 3
ALASAN_PELANGGARAN = (
    "Empat pegawai bidang tertinggal dari target karena verifikasi usul mutasi massal pada Triwulan III di "
    "luar kendali mereka; hasil kerjanya tetap dinilai sesuai ekspektasi. Kalibrasi dengan Kepala Badan "
    "dijadwalkan sebelum penilaian akhir tahun."
)
NIP_UBAH_SARAN = "199108162015031001"  # Rahmat Hidayat, the demo pelaksana
NOMOR_UBAH_SARAN = 3
ALASAN_UBAH_SARAN = (
    "Di luar target SKP, menuntaskan pemutakhiran data kinerja seluruh unit ke aplikasi dalam dua minggu "
    "sehingga rekap Triwulan III selesai sebelum batas waktu."
)
ALASAN_TANPA_REALISASI = (
    "Realisasi {periode} tidak diisi sampai batas pengisian {batas}; tidak ada hasil kerja yang dapat "
    "diverifikasi untuk periode ini."
)
ALASAN_TANPA_REALISASI_LONGGAR = (
    "Realisasi {periode} belum diisi (pegawai cuti pada akhir periode); hasil kerja dinilai dari laporan "
    "yang diserahkan langsung kepada pejabat penilai."
)
REKOMENDASI_PERBAIKAN = (
    "Pembinaan oleh pejabat penilai melalui dialog kinerja bulanan dan pendampingan penyusunan laporan pada "
    "periode berikutnya."
)

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH
# The (hasil, perilaku) a penilai gives for each predikat when the rating hasil kerja is free.
PASANGAN = {
    Predikat.SANGAT_BAIK: (D, D),
    Predikat.BAIK: (S, S),
    Predikat.BUTUH_PERBAIKAN: (B, S),
    Predikat.KURANG: (S, B),
    Predikat.SANGAT_KURANG: (B, B),
}
URUTAN = list(Predikat)  # best first


def _waktu(tanggal: datetime.date, jam: int, menit: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(tanggal.year, tanggal.month, tanggal.day, jam, menit))


# --- planning the predikat of a group ------------------------------------------------------------------


@dataclass
class Anggota:
    """One member of a rating group while planning: ``hasil`` the rating hasil kerja their work suggests,
    ``tetap`` when it cannot move (a unit head: the capaian of their unit; the override)."""

    kunci: int
    hasil: Rating
    tetap: bool = False
    pilihan: list[Predikat] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.tetap:
            self.pilihan = sorted({kuadran_predikat(self.hasil, p) for p in Rating}, key=URUTAN.index)
        else:
            self.pilihan = list(URUTAN)


def _rencana(capaian: CapaianOrganisasi, anggota: Sequence[Anggota], geser: int = 0) -> dict[int, Predikat]:
    """The predikat of every member: what their work suggests (perilaku Sesuai), then the fewest one-step
    moves that bring the group inside the pola distribusi of ``capaian`` (`rules.distribusi.check`).
    Lower shares ("paling sedikit", "harus ada") are filled first, then upper ones; a member whose rating
    hasil kerja is fixed moves only when nobody else can. ``geser`` rotates who is picked first."""
    rencana = {a.kunci: kuadran_predikat(a.hasil, S) for a in anggota}
    if anggota:
        ke_dalam_pola(capaian, rencana, [(a.kunci, a.pilihan, a.tetap) for a in anggota], geser)
    return rencana


def ke_dalam_pola(
    capaian: CapaianOrganisasi,
    rencana: dict[int, Predikat],
    anggota: Sequence[tuple[int, Sequence[Predikat], bool]],
    geser: int,
    rules: object = None,
) -> bool:
    """Move members of ``rencana`` one step at a time until the group is inside the pola distribusi of
    ``capaian`` (under ``rules``; None: the regulation's); True when it got there. ``anggota``: (kunci,
    the predikat the member may take, whether the member moves last)."""
    n = len(anggota)
    # Predikat that a lower share needs: a member is taken out of them last.
    bawah: set[Predikat] = set()
    for r in distribusi_rules.constraint_ranges(capaian, n, rules):  # type: ignore[arg-type]
        if r.constraint.kind is not ConstraintKind.MAX:
            bawah |= set(r.constraint.predikat)
    for _ in range(4 * n + 4):
        cek = distribusi_rules.check(capaian, Counter(rencana.values()), rules)  # type: ignore[arg-type]
        if not cek.applicable or not cek.violations:
            return True
        f = sorted(cek.violations, key=lambda v: v.kind is ConstraintKind.MAX)[0]
        dalam = set(f.predikat)
        keluar = f.kind is ConstraintKind.MAX
        terbaik: tuple[tuple[int, ...], int, Predikat] | None = None
        for i, (kunci, pilihan, terakhir) in enumerate(anggota):
            sekarang = rencana[kunci]
            if (sekarang in dalam) != keluar:
                continue
            for p in pilihan:
                if (p in dalam) == keluar:
                    continue
                jarak = URUTAN.index(p) - URUTAN.index(sekarang)
                # Moving out of an upper share: prefer a better predikat (a deserved upgrade).
                arah = 0 if (not keluar or jarak < 0) else 1
                skor = (int(sekarang in bawah), abs(jarak), arah, int(terakhir), (i - geser) % n)
                if terbaik is None or skor < terbaik[0]:
                    terbaik = (skor, kunci, p)
        if terbaik is None:
            return False
        rencana[terbaik[1]] = terbaik[2]
    return False


def _pola(target: Rating, n: int, geser: int, cocok: object) -> list[Rating]:
    """A varied list of ``n`` ratings whose suggestion (``cocok``) is ``target``: mostly ``target`` with one
    neighbouring rating when that keeps the suggestion, else all ``target``."""
    dekat = {D: S, S: D, B: S}[target]
    calon = []
    if n >= 2:
        for k in range(n):
            variasi = [target] * n
            variasi[(geser + k) % n] = dekat
            calon.append(variasi)
    calon.append([target] * n)
    for c in calon:
        if cocok(c) is target:  # type: ignore[operator]
            return c
    return [target] * n


def _rating_rhk(jenis: list[str], target: Rating, geser: int) -> list[Rating]:
    def saran(c: list[Rating]) -> Rating:
        return rating_rules.suggest_hasil(
            [rating_rules.RatingRhk(JenisRhk(j), r) for j, r in zip(jenis, c, strict=True)]
        ).rating

    return _pola(target, len(jenis), geser, saran)


def _rating_nilai(target: Rating, geser: int) -> list[Rating]:
    def saran(c: list[Rating]) -> Rating:
        return rating_rules.suggest_perilaku({n.kode: r for n, r in zip(BERAKHLAK, c, strict=True)}).rating

    if target is B:  # three values below expectation make the perilaku Dibawah
        c = [S] * len(BERAKHLAK)
        for k in range(3):
            c[(geser + 2 * k) % len(c)] = B
        return c
    return _pola(target, len(BERAKHLAK), geser, saran)


def _perilaku_untuk(hasil: Rating, target: Predikat) -> Rating:
    for p in (S, D, B):
        if kuadran_predikat(hasil, p) is target:
            return p
    raise ValueError(f"{target.label} tidak dapat dicapai dengan rating hasil {hasil.label}")


# --- backdating ------------------------------------------------------------------------------------------


class _Jam:
    """Backdates what the seed wrote "now" to a plausible moment (history rows written since ``mulai``)."""

    def __init__(self) -> None:
        self.mulai = timezone.now()

    def evaluasi(self, ev_pks: list[int], when: datetime.datetime, *, baru: bool = False) -> None:
        for model, kolom in ((Evaluasi, "id"), (RatingRhk, "evaluasi_id"), (RatingPerilaku, "evaluasi_id")):
            model.history.filter(**{f"{kolom}__in": ev_pks}, history_date__gte=self.mulai).update(
                history_date=when
            )
        qs = Evaluasi.objects.filter(pk__in=ev_pks)
        qs.update(diubah_pada=when, **({"dibuat_pada": when} if baru else {}))

    def satu(self, model: type, pk: int, when: datetime.datetime, **kolom: object) -> None:
        model.objects.filter(pk=pk).update(**kolom)  # type: ignore[attr-defined]
        model.history.filter(id=pk, history_date__gte=self.mulai).update(history_date=when)  # type: ignore[attr-defined]


# --- the seed --------------------------------------------------------------------------------------------


def _users(instansi: Instansi) -> dict[int, User]:
    return {
        u.pegawai_id: u
        for u in User.objects.filter(pegawai__instansi=instansi, is_active=True).select_related("pegawai")
    }


def _admin(instansi: Instansi) -> User | None:
    return User.objects.filter(admin_instansi=instansi).order_by("pk").first()


def _penetap_capaian(unit: UnitKerja, tanggal: datetime.date, users: dict[int, User], admin: User) -> User:
    """Who sets the capaian organisasi: the head of the nearest unit above with a head, else the admin."""
    atas = unit.parent
    while atas is not None:
        kepala = org.pimpinan_unit(atas, tanggal)
        if kepala is not None and kepala.pegawai.pk in users:
            return users[kepala.pegawai.pk]
        atas = atas.parent
    return admin


@transaction.atomic
def seed(instansi: Instansi, today: datetime.date | None = None) -> None:
    """Evaluate every finished periode of the demo year (see the module docstring). Idempotent."""
    today = today or timezone.localdate()
    periode = Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    admin = _admin(instansi)
    if periode is None or admin is None:
        return
    jam = _Jam()
    users = _users(instansi)
    for pp in PeriodePenilaian.objects.filter(periode=periode, selesai__lt=today).order_by("nomor"):
        if Evaluasi.objects.filter(periode_penilaian=pp).exists():
            continue
        if not Skp.objects.filter(periode=periode, status=StatusSkp.DISETUJUI.value).exists():
            return
        _seed_periode(instansi, periode, pp, users, admin, jam)


def _seed_periode(
    instansi: Instansi,
    periode: Periode,
    pp: PeriodePenilaian,
    users: dict[int, User],
    admin: User,
    jam: _Jam,
) -> None:
    batas_akhir = timezone.now() - datetime.timedelta(hours=1)
    hari = max(pp.batas_realisasi, pp.selesai)

    def pada(hari_ke: int, jam_ke: int, menit: int = 0) -> datetime.datetime:
        return min(_waktu(hari + datetime.timedelta(days=hari_ke), jam_ke, menit), batas_akhir)

    # 1. Capaian organisasi of every unit, by the head of the unit above (the top unit: the admin).
    for i, unit in enumerate(UnitKerja.objects.filter(instansi=instansi).order_by("path")):
        nilai = CAPAIAN.get(unit.kode, CapaianOrganisasi.BAIK)
        oleh = admin if unit.parent_id is None else _penetap_capaian(unit, pp.selesai, users, admin)
        # The admin records the PPK's written decision (the top unit; docs/rules.md §15).
        ppk = services.KeputusanPpk(
            "Bupati selaku Pejabat Pembina Kepegawaian",
            f"800/{pp.nomor:02d}/KPTS/{periode.tahun}",
            min(hari, timezone.localdate()),
        )
        cap = services.set_capaian_organisasi(
            unit, periode, pp, nilai, CATATAN_CAPAIAN[nilai].format(periode=pp.nama), oleh, ppk
        )
        when = pada(1, 9, 5 * i)
        jam.satu(CapaianOrganisasiUnit, cap.pk, when, ditetapkan_pada=when)

    # 2. Every approved SKP of the periode is opened by its penilai (the admin for the Kepala Badan).
    skp_list = list(
        Skp.objects.filter(
            periode=periode,
            status=StatusSkp.DISETUJUI.value,
            mulai__lte=pp.selesai,
            selesai__gte=pp.mulai,
        )
        .select_related("periode", "pegawai", "penilai_jabatan")
        .order_by("pegawai_nip")
    )
    dibuka: list[Evaluasi] = []
    for skp in skp_list:
        penilai = users.get(skp.penilai_id) if skp.penilai_id else admin
        if penilai is None:
            continue
        if skp.penilai_id is None:
            _catat_sekda(skp.pegawai, periode, admin, jam, pada(0, 8))
        dibuka.append(services.open_evaluasi(skp, pp, penilai))
    tertinggal = set(
        Realisasi.objects.filter(
            periode_penilaian=pp,
            indikator__rhk__skp__in=skp_list,
            narasi=NARASI_KURANG,
        ).values_list("indikator__rhk__skp_id", flat=True)
    )

    # 3. Per rating group: plan, rate, decide, finalise.
    kelompok: dict[tuple[int | None, int], list[Evaluasi]] = defaultdict(list)
    for ev in dibuka:
        kelompok[(ev.penilai_id, ev.unit_kelompok_id)].append(ev)
    pegawai = Pegawai.objects.in_bulk([k[0] for k in kelompok if k[0]])
    for g, ((penilai_id, unit_id), _anggota) in enumerate(
        sorted(kelompok.items(), key=lambda kv: kv[1][0].pk)
    ):
        penilai_user = users.get(penilai_id) if penilai_id else admin
        if penilai_user is None:
            continue
        unit = UnitKerja.objects.get(pk=unit_id)
        kel_penilai = pegawai.get(penilai_id) if penilai_id else None
        kel = selectors.kelompok(kel_penilai, pp, unit=unit)
        capaian = kel.capaian.nilai_enum if kel.capaian else CapaianOrganisasi.BAIK
        longgar = unit.kode == UNIT_PELANGGARAN and pp.nomor == NOMOR_PELANGGARAN
        evs = kel.evaluasi
        mulai_nilai = pada(3 + g % 3, 8 + g % 2)
        _nilai_kelompok(evs, pp, penilai_user, capaian, longgar, tertinggal, jam, mulai_nilai)
        fin = services_kelompok.finalise_kelompok(
            kel_penilai, periode, pp, penilai_user, ALASAN_PELANGGARAN if longgar else "", unit=unit
        )
        final_pada = pada(8, 14, g)
        # The notice of the result (docs/rules.md §18) moves with the finalisation.
        Evaluasi.objects.filter(pk__in=[e.pk for e in evs]).update(
            final_pada=final_pada, diberitahu_pada=final_pada
        )
        Notifikasi.objects.filter(kunci__in=[f"evaluasi-final:{e.pk}:1" for e in evs]).update(
            dikirim_pada=final_pada
        )
        jam.evaluasi([e.pk for e in evs], final_pada)
        jam.satu(FinalisasiKelompok, fin.pk, final_pada, pada=final_pada)


def _catat_sekda(pegawai: Pegawai, periode: Periode, admin: User, jam: _Jam, when: datetime.datetime) -> None:
    """The admin records the Sekda as the external penilai of the head without a penilai, once a year."""
    if PenilaiEksternal.objects.filter(pegawai=pegawai, periode=periode).exists():
        return
    pe = services_eksternal.record_penilai_eksternal(pegawai, periode, None, SEKDA, admin)
    jam.satu(PenilaiEksternal, pe.pk, when)


def _tetapkan(
    ev: Evaluasi, oleh: User, pp: PeriodePenilaian, jam: _Jam, mulai: datetime.datetime, **kw: object
) -> Evaluasi:
    """Decide the ratings: the penilai, or for the head without one the admin on the Sekda's decision."""
    if ev.penilai_id is not None:
        return services.set_rating(ev, oleh, sekarang=mulai, **kw)  # type: ignore[arg-type]
    tanggal = timezone.localtime(mulai).date() - datetime.timedelta(days=1)
    ev = services_eksternal.rate_on_keputusan_eksternal(
        ev,
        oleh,
        nomor=f"800.1.13/{pp.nomor:02d}/SETDA/{pp.periode.tahun}",
        tanggal=tanggal,
        sekarang=mulai,
        **kw,  # type: ignore[arg-type]
    )
    kep = KeputusanPenilaiEksternal.objects.filter(evaluasi=ev).order_by("-pk").first()
    if kep is not None:
        jam.satu(KeputusanPenilaiEksternal, kep.pk, mulai, dicatat_pada=mulai)
    return ev


def _nilai_kelompok(
    evs: list[Evaluasi],
    pp: PeriodePenilaian,
    oleh: User,
    capaian: CapaianOrganisasi,
    longgar: bool,
    tertinggal: set[int],
    jam: _Jam,
    mulai: datetime.datetime,
) -> None:
    """Rate every member of one group and accept the suggestions (one override; see the module)."""
    rows: dict[int, list[RatingRhk]] = defaultdict(list)
    for r in RatingRhk.objects.filter(evaluasi__in=evs).select_related("rhk").order_by("urutan", "pk"):
        rows[r.evaluasi_id].append(r)
    belum = {ev.pk: {r.pk for r in selectors.rhk_belum_siap(ev)} for ev in evs}
    anggota = []
    for ev in evs:
        ubah = ev.pegawai_nip == NIP_UBAH_SARAN and pp.nomor == NOMOR_UBAH_SARAN
        if ev.unit_dipimpin_id:
            anggota.append(Anggota(ev.pk, Rating(ev.saran_hasil), tetap=True))
        elif ubah:
            anggota.append(Anggota(ev.pk, D, tetap=True))
        elif longgar:
            anggota.append(Anggota(ev.pk, S))
        elif ev.skp_id in tertinggal or belum[ev.pk]:
            anggota.append(Anggota(ev.pk, B))
        else:
            anggota.append(Anggota(ev.pk, S))
    if longgar:
        # The generous penilai: everyone Baik, the best performer Sangat Baik; outside the curve.
        rencana = {a.kunci: kuadran_predikat(a.hasil, S) for a in anggota}
        rencana[anggota[-1].kunci] = Predikat.SANGAT_BAIK
    else:
        rencana = _rencana(capaian, anggota, geser=pp.nomor)
    for i, (ev, a) in enumerate(zip(evs, anggota, strict=True)):
        target = rencana[a.kunci]
        ubah = ev.pegawai_nip == NIP_UBAH_SARAN and pp.nomor == NOMOR_UBAH_SARAN
        if a.tetap:
            hasil, perilaku = a.hasil, _perilaku_untuk(a.hasil, target)
        else:
            hasil, perilaku = PASANGAN[target]
        hasil_rhk = S if ubah else hasil  # the override: the RHK suggest Sesuai, the penilai decides Diatas
        ev_rows = rows[ev.pk]
        for row in ev_rows:
            if row.pk in belum[ev.pk]:
                alasan = ALASAN_TANPA_REALISASI_LONGGAR if longgar else ALASAN_TANPA_REALISASI
                ev = services.mark_tanpa_realisasi(
                    ev,
                    row.rhk,
                    alasan.format(periode=pp.nama, batas=pp.batas_realisasi.strftime("%d-%m-%Y")),
                    oleh,
                    sekarang=mulai,
                )
        pola = _rating_rhk([x.rhk_jenis for x in ev_rows], hasil_rhk, i + pp.nomor)
        ev = services_massal.rate_rhk_semua(
            ev, {row.rhk_id: r.value for row, r in zip(ev_rows, pola, strict=True)}, oleh, sekarang=mulai
        )
        pola = _rating_nilai(perilaku, i + pp.nomor)
        ev = services_massal.rate_perilaku_semua(
            ev, {n.kode: r.value for n, r in zip(BERAKHLAK, pola, strict=True)}, oleh, sekarang=mulai
        )
        ev = _tetapkan(
            ev,
            oleh,
            pp,
            jam,
            mulai,
            rating_hasil=D.value if ubah else None,
            alasan_hasil=ALASAN_UBAH_SARAN if ubah else "",
            rekomendasi=REKOMENDASI_PERBAIKAN
            if target in (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG)
            else None,
        )
        when = mulai + datetime.timedelta(minutes=12 * i)
        Evaluasi.objects.filter(pk=ev.pk).update(dinilai_pada=when)
        jam.evaluasi([ev.pk], when, baru=True)
