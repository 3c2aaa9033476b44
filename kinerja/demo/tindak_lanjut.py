"""Demo tindak lanjut data: two earlier years of FINAL annual evaluations, keberatan decided on
them, and a periodic result of the running year that a tester can still object to.

The follow-up lists (penghargaan, pengembangan, pembinaan, tinjauan sanksi and "two years in a row"),
the angka kredit totals, the SIASN export and keberatan all read final ANNUAL evaluations; the running
year of the demo has only its periodic ones. So this seed writes the history:

* **2024 and 2025** (the two years before the running year, `RIWAYAT`): a Periode per year
  (`organisasi.services.create_periode`, with its periode penilaian); for every pegawai with an approved
  SKP in the running year, an approved SKP of that year with the same jabatan, penilai and a compact copy
  of the running year's RHK, indikator and ekspektasi (the demo's organisation has no history: placements
  are as today, ignoring the TMT of the current placement; a PPPK appointed in 2025, by the NIP, has no
  2024 SKP); the annual capaian organisasi of every unit; and a FINAL annual evaluation per SKP with its
  RHK and BerAKHLAK ratings, suggestions accepted, finalised by group (`FinalisasiKelompok` with the
  unit's capaian) about 10 January of the next year. History is stored directly (bulk rows instead of
  replaying some 70 evaluations through the services, which keeps `seed_demo` fast), every row and its
  audit history dated when it would have been written, as `kinerja.demo.pelaksanaan` does for closed
  periods.
* **Who gets which predikat** (the story; every group stays inside the pola distribusi of its capaian,
  planned like `kinerja.demo.penilaian._rencana`: the named cases are fixed, the others take the fewest
  moves from Baik that satisfy `rules.distribusi.check`, and a unit head's rating hasil kerja follows the
  capaian of the unit they lead):

  - Sangat Baik 2024 and 2025 (talent pool): Yusuf Effendi (Analis SDM Aparatur Ahli Madya), Tri
    Wulandari (Ahli Pertama), Suparman (Pranata SDM Aparatur Penyelia);
  - Baik 2024 and 2025 (pengembangan kompetensi): Indah Permatasari (Ahli Muda), among others;
  - Butuh Perbaikan 2025 (pembinaan): Rina Marlina (Analis SDM Aparatur Ahli Pertama);
  - Kurang/Misconduct 2025 (tinjauan sanksi): Fajar Nugroho;
  - Sangat Kurang 2024 and 2025 (tinjauan sanksi, two years in a row): Rudi Hartono.

* **The Kepala Badan's penilai outside the instansi**: as in the running year (`kinerja.demo.penilaian`),
  the admin records the Sekretaris Daerah (`SEKDA`) as his external penilai for each of these years
  (`eksternal.services.record_penilai_eksternal`, dated 2 January of the next year) and his annual
  evaluation carries him (`penilai_eksternal`, the penilai snapshot) with the Sekda's written decision
  (`KeputusanPenilaiEksternal`: number, 6 January, the ratings), so his documents and SIASN rows of those
  years name the Sekda like this year's.
* **Keberatan on the 2025 annual results**, filed about 15 January 2026 and decided by the atasan
  pejabat penilai (the Kepala Badan): Wahyu Setiawan's *dikabulkan* (Butuh Perbaikan → Baik: rating hasil
  kerja Dibawah → Sesuai Ekspektasi, the evaluation changed with "Diubah atas keputusan keberatan: …", the
  original document registered at filing and superseded by the revised one); Fajar Nugroho's *ditolak*;
  Andi Saputra's *ditarik* after the penilai's penjelasan.
* **Filing one now**: the demo instansi allows keberatan on periodic predikat (CONFIG
  ``keberatan_periodik``; the running year has only periodic results, so this is what a tester can
  object to now), and the Kepala Bidang PKP's group finalised its Triwulan III late (a calibration three days
  before the seed), so Ika Puspitasari (the demo fungsional, TW III Butuh Perbaikan) is inside the 14-day
  window.

Idempotent: a year with annual evaluations, an evaluation with a keberatan, a setting already on and a
group already inside the window are left alone.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kinerja.demo.penilaian import (
    PASANGAN,
    REKOMENDASI_PERBAIKAN,
    SEKDA,
    URUTAN,
    _perilaku_untuk,
    _rating_nilai,
    _rating_rhk,
    ke_dalam_pola,
)
from kinerja.dokumen.evaluasi import selectors as dokumen_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.models import Dokumen
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import (
    IDENTITAS_FIELDS,
    PANGKAT_LABEL,
    Instansi,
    Pegawai,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.penilaian.aturan import selectors as selectors_aturan
from kinerja.penilaian.eksternal import services as services_eksternal
from kinerja.penilaian.models import (
    CapaianOrganisasiUnit,
    DasarHasil,
    Evaluasi,
    FinalisasiKelompok,
    JenisEvaluasi,
    KeputusanPenilaiEksternal,
    PenilaiEksternal,
    RatingPerilaku,
    RatingRhk,
)
from kinerja.perencanaan.models import Indikator, LogAlur, Rhk, Skp, SkpPerilaku, SkpVersi
from kinerja.perencanaan.selectors import hash_data, snapshot
from kinerja.rules import JenisRhk
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import rating as rating_rules
from kinerja.rules.alur import Aksi as AksiSkp
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.jadwal import Skema
from kinerja.rules.keberatan import Status as StatusKeberatan
from kinerja.rules.kuadran import predikat as kuadran_predikat
from kinerja.rules.kuadran import rating_hasil_pimpinan
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.realisasi import format_tanggal
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating
from kinerja.tindak_lanjut.models import Keberatan

# The history years, relative to the running year of the demo (2024 and 2025 in the 2026 demo).
DUA_LALU, LALU = -2, -1
RIWAYAT = (DUA_LALU, LALU)
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
CO = CapaianOrganisasi
# Annual capaian organisasi per unit kode and year; units not named are Baik.
CAPAIAN = {
    DUA_LALU: {"BKPSDM": CO.ISTIMEWA, "BPKP": CO.ISTIMEWA, "BMP": CO.ISTIMEWA, "SUBPK": CO.BUTUH_PERBAIKAN},
    LALU: {"BKPSDM": CO.ISTIMEWA, "BPKP": CO.ISTIMEWA, "SUBPK": CO.BUTUH_PERBAIKAN},
}
CATATAN_CAPAIAN = {
    CO.ISTIMEWA: "Seluruh IKU tahun {tahun} tercapai atau terlampaui.",
    CO.BAIK: "Sebagian besar target tahun {tahun} tercapai sesuai rencana.",
    CO.BUTUH_PERBAIKAN: (
        "Laporan keuangan dan dokumen perencanaan tahun {tahun} terlambat; target unit belum tercapai."
    ),
}
NIP_YUSUF = "197510232001121002"
NIP_TRI = "199601202020122002"
NIP_SUPARMAN = "198008122005011004"
NIP_INDAH = "198402192009022002"
NIP_RINA = "199411082019032007"
NIP_FAJAR = "199010102014031004"
NIP_RUDI = "198711132011011003"
NIP_WAHYU = "198905042011011002"
NIP_TAUFIK = "199209172018011001"
NIP_ANDI = "198712092011011003"
# The story: NIP → predikat per history year (everyone else is planned inside their group's curve).
CERITA: dict[str, dict[int, Predikat]] = {
    NIP_YUSUF: {DUA_LALU: SB, LALU: SB},
    NIP_TRI: {DUA_LALU: SB, LALU: SB},
    NIP_SUPARMAN: {DUA_LALU: SB, LALU: SB},
    NIP_INDAH: {DUA_LALU: B, LALU: B},
    NIP_RINA: {LALU: BP},
    NIP_FAJAR: {DUA_LALU: B, LALU: K},
    NIP_RUDI: {DUA_LALU: SK, LALU: SK},
    NIP_WAHYU: {LALU: BP},  # the keberatan granted (→ Baik)
    NIP_TAUFIK: {LALU: SB},  # keeps the group inside its curve once Wahyu's keberatan is granted
    NIP_ANDI: {LALU: B},  # the keberatan withdrawn
}
REKOMENDASI_SANKSI = (
    "Diberi kesempatan enam bulan untuk memperbaiki kinerja dengan pendampingan pejabat penilai; "
    "bila belum membaik, uji kompetensi atau penempatan ulang."
)
ISIAN_AWAL = (
    "Evaluasi tahunan {tahun} dicatat dari arsip penilaian kinerja instansi; evaluasi periodiknya "
    "dilaksanakan sebelum aplikasi ini dipakai."
)
ALASAN_UBAH = "Diubah atas keputusan keberatan: "  # as kinerja.penilaian.services_keberatan writes it
KEBERATAN = {
    NIP_WAHYU: {
        "status": StatusKeberatan.DIKABULKAN,
        "alasan": (
            "Saya keberatan atas predikat Butuh Perbaikan. Seluruh diklat teknis dan pelatihan dasar CPNS "
            "yang menjadi RHK saya terlaksana sesuai target; laporan Triwulan IV terlambat karena anggaran "
            "diklat baru dicairkan pada 12 Desember 2025 (nota dinas Sekretaris terlampir pada berkas fisik)."
        ),
        "penjelasan": (
            "Rating hasil kerja Dibawah Ekspektasi diberikan karena laporan penyelenggaraan diklat "
            "Triwulan IV diserahkan melewati batas. Penundaan pencairan anggaran memang terjadi dan tidak "
            "sepenuhnya di bawah kendali pegawai; seluruh kegiatan diklat terlaksana."
        ),
        "pertimbangan": (
            "Penundaan pencairan anggaran diklat dibuktikan dengan nota dinas Sekretaris dan dibenarkan "
            "pejabat penilai; seluruh target diklat tercapai. Rating hasil kerja menjadi Sesuai Ekspektasi."
        ),
        "hasil_baru": Rating.SESUAI,
    },
    NIP_FAJAR: {
        "status": StatusKeberatan.DITOLAK,
        "alasan": (
            "Saya keberatan atas rating perilaku kerja Dibawah Ekspektasi. Saya selalu menyelesaikan "
            "pengolahan data mutasi yang diminta dan tidak pernah mendapat teguran tertulis."
        ),
        "penjelasan": (
            "Rating perilaku didasarkan pada tiga catatan dialog kinerja (Maret, Juli, Oktober 2025) "
            "tentang data usul mutasi yang diubah tanpa verifikasi dan sikap menolak koreksi rekan kerja; "
            "umpan balik telah diberikan setiap kali dan tidak ada perbaikan."
        ),
        "pertimbangan": (
            "Penjelasan pejabat penilai didukung catatan dialog kinerja dan umpan balik yang terdokumentasi; "
            "alasan keberatan tidak menyanggah kejadian tersebut. Predikat Kurang/Misconduct tetap."
        ),
    },
    NIP_ANDI: {
        "status": StatusKeberatan.DITARIK,
        "alasan": (
            "Saya mengajukan keberatan karena menurut saya hasil kerja saya, termasuk penyusunan pedoman "
            "penghargaan ASN, layak dinilai Diatas Ekspektasi sehingga predikat saya Sangat Baik."
        ),
        "penjelasan": (
            "Pedoman penghargaan ASN adalah target RHK utama dan selesai sesuai jadwal, sehingga dinilai "
            "Sesuai Ekspektasi; tidak ada capaian di atas target yang terdokumentasi."
        ),
        "ditarik_alasan": (
            "Setelah dialog kinerja dengan pejabat penilai saya memahami dasar penilaiannya dan menarik "
            "keberatan ini."
        ),
    },
}
# What a copied SKP keeps of its source (besides the identity), and what a copied indikator keeps.
SKP_SALIN = (
    "pegawai_id",
    "penempatan_id",
    "jabatan_id",
    "pegawai_jenjang",
    "unit_id",
    "penilai_id",
    "penilai_jabatan_id",
    "atasan_penilai_id",
    "model",
)
INDIKATOR_SALIN = (
    "aspek",
    "teks",
    "target_angka",
    "target_angka_atas",
    "satuan",
    "target_teks",
    "polaritas",
    "konsolidasi",
    "urutan",
)
NIP_PENILAI_TERLAMBAT = "197904182005012005"  # Kepala Bidang PKP (the demo kabid)
NOMOR_TERLAMBAT = 3
HARI_TERLAMBAT = 3


def _waktu(tanggal: datetime.date, jam: int, menit: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(tanggal.year, tanggal.month, tanggal.day, jam, menit))


def _backdate(model: type, pks: Iterable[int], when: datetime.datetime, mulai: datetime.datetime) -> None:
    """Move the audit rows written by this seed (since ``mulai``) of ``pks`` to ``when``."""
    model.history.filter(id__in=list(pks), history_date__gte=mulai).update(history_date=when)  # type: ignore[attr-defined]


# --- planning the predikat of a group ------------------------------------------------------------------


@dataclass
class _Calon:
    """One member while planning: where they start and the predikat they may take (one when fixed by the
    story; those a unit head's fixed rating hasil kerja allows; any)."""

    kunci: int
    awal: Predikat
    pilihan: list[Predikat]
    pimpinan: bool = False


def _rencana(
    capaian: CapaianOrganisasi, calon: list[_Calon], rules: object, geser: int
) -> dict[int, Predikat]:
    """`kinerja.demo.penilaian._rencana` with fixed members (`ke_dalam_pola`): the fewest one-step moves of
    the members who may move until the group is inside the pola distribusi of ``capaian``; lower shares are
    filled first, a move out of an upper share prefers the better predikat, a unit head moves last."""
    rencana = {c.kunci: c.awal for c in calon}
    if ke_dalam_pola(capaian, rencana, [(c.kunci, c.pilihan, c.pimpinan) for c in calon], geser, rules):
        return rencana
    raise ValueError(f"Rencana predikat demo di luar pola distribusi {capaian.label}: {dict(rencana)}")


# --- the seed --------------------------------------------------------------------------------------------


@transaction.atomic
def seed(instansi: Instansi) -> None:
    """Write the history, the keberatan and the open window (see the module docstring). Idempotent."""
    admin = User.objects.filter(admin_instansi=instansi).order_by("pk").first()
    kini = Periode.objects.filter(instansi=instansi).order_by("-tahun").first()
    if admin is None or kini is None:
        return
    users = {
        u.pegawai_id: u
        for u in User.objects.filter(pegawai__instansi=instansi, is_active=True).select_related("pegawai")
    }
    sumber = list(
        Skp.objects.filter(periode=kini, status=StatusSkp.DISETUJUI.value)
        .select_related("jabatan__unit", "pegawai", "penilai_jabatan")
        .order_by("pegawai_nip", "-mulai")
    )
    terakhir: dict[int, Skp] = {}
    for skp in sumber:
        terakhir.setdefault(skp.pegawai_id, skp)
    if not terakhir:
        return
    for selisih in RIWAYAT:
        _seed_tahun(instansi, kini.tahun + selisih, selisih, list(terakhir.values()), users, admin)
    _seed_keberatan(instansi, kini.tahun + LALU, users)
    _buka_jendela(instansi, kini, admin)


def _periode(instansi: Instansi, tahun: int, mulai: datetime.datetime) -> Periode:
    periode = Periode.objects.filter(instansi=instansi, tahun=tahun).first()
    if periode is None:
        periode = org_services.create_periode(instansi, tahun, Skema.TRIWULANAN)
        when = _waktu(datetime.date(tahun - 1, 12, 1), 9)
        _backdate(Periode, [periode.pk], when, mulai)
        pps = PeriodePenilaian.objects.filter(periode=periode).values_list("pk", flat=True)
        _backdate(PeriodePenilaian, pps, when, mulai)
    return periode


def _seed_tahun(
    instansi: Instansi, tahun: int, selisih: int, sumber: list[Skp], users: dict[int, User], admin: User
) -> None:
    mulai = timezone.now()
    if mulai < _waktu(datetime.date(tahun + 1, 1, 11), 0):
        return  # finalised on 10 January: not before it
    periode = _periode(instansi, tahun, mulai)
    if Evaluasi.objects.filter(periode=periode, jenis=JenisEvaluasi.TAHUNAN).exists():
        return
    sumber = [s for s in sumber if int(s.pegawai_nip[8:12]) <= tahun]  # not yet appointed: no SKP
    skp_list = _skp_tahun(instansi, periode, sumber, users, admin)
    capaian = _capaian_tahun(instansi, periode, selisih, admin)
    versi_aturan, rules = selectors_aturan.aturan_berlaku(instansi)
    pemetaan = org_services.pemetaan_pimpinan_instansi(instansi)
    kelompok: dict[tuple[int | None, int], list[Skp]] = defaultdict(list)
    for skp in skp_list:
        unit_kelompok = skp.penilai_jabatan.unit_id if skp.penilai_jabatan_id else skp.unit_id
        kelompok[(skp.penilai_id, unit_kelompok)].append(skp)
    rhk_skp: dict[int, list[Rhk]] = defaultdict(list)
    for r in Rhk.objects.filter(skp__in=skp_list).order_by("jenis", "urutan", "pk"):
        rhk_skp[r.skp_id].append(r)
    tanggal_nilai = datetime.date(tahun + 1, 1, 7)
    eksternal = {
        skp.pegawai_id: _catat_sekda(skp.pegawai, periode, admin, mulai)
        for skp in skp_list
        if skp.penilai_id is None
    }
    for g, ((penilai_id, unit_id), anggota) in enumerate(
        sorted(kelompok.items(), key=lambda kv: kv[1][0].pk)
    ):
        oleh = users.get(penilai_id) if penilai_id else admin
        if oleh is None:
            oleh = admin
        cap = capaian[unit_id]
        calon = []
        hasil_pimpinan: dict[int, tuple[Rating, UnitKerja, CapaianOrganisasi]] = {}
        for skp in anggota:
            tetap = CERITA.get(skp.pegawai_nip, {}).get(selisih)
            if skp.jabatan.pimpinan_unit:
                unit = skp.jabatan.unit
                h = rating_hasil_pimpinan(capaian[unit.pk], pemetaan)
                hasil_pimpinan[skp.pk] = (h, unit, capaian[unit.pk])
                pilihan = sorted({kuadran_predikat(h, p) for p in Rating}, key=URUTAN.index)
                calon.append(_Calon(skp.pk, kuadran_predikat(h, Rating.SESUAI), pilihan, pimpinan=True))
            elif tetap is not None:
                calon.append(_Calon(skp.pk, tetap, [tetap]))
            else:
                calon.append(_Calon(skp.pk, B, list(URUTAN)))
        rencana = _rencana(cap, calon, rules, geser=tahun + g)
        final_pada = _waktu(datetime.date(tahun + 1, 1, 10), 14, g)
        dinilai = _waktu(tanggal_nilai, 9 + g % 3)
        evs = []
        for i, skp in enumerate(anggota):
            target = rencana[skp.pk]
            ev = _evaluasi(instansi, periode, skp, oleh, final_pada, dinilai, tahun)
            if skp.pegawai_id in eksternal:
                _dinilai_sekda(ev, eksternal[skp.pegawai_id])
            if skp.pk in hasil_pimpinan:
                h, unit, cap_unit = hasil_pimpinan[skp.pk]
                ev.unit_dipimpin, ev.capaian_organisasi = unit, cap_unit.value
                ev.dasar_hasil = DasarHasil.PIMPINAN
                ev.saran_hasil_alasan = rating_rules.hasil_pimpinan(cap_unit, pemetaan, unit.nama).alasan
                hasil, perilaku = h, _perilaku_untuk(h, target)
            else:
                hasil, perilaku = PASANGAN[target]
            ev.rating_hasil = ev.saran_hasil = hasil.value
            ev.rating_perilaku = ev.saran_perilaku = perilaku.value
            ev.predikat = kuadran_predikat(hasil, perilaku).value  # bulk_create skips Evaluasi.save
            if target in (K, SK):
                ev.rekomendasi = REKOMENDASI_SANKSI
            elif target is BP:
                ev.rekomendasi = REKOMENDASI_PERBAIKAN
            ev._rhk = rhk_skp[skp.pk]  # type: ignore[attr-defined]
            ev._pola = (hasil, perilaku, i + tahun)  # type: ignore[attr-defined]
            evs.append(ev)
        _simpan_evaluasi(evs, oleh, final_pada)
        for ev in evs:
            if ev.penilai_eksternal_id:
                _keputusan_sekda(ev, oleh, tanggal_nilai - datetime.timedelta(days=1), dinilai, mulai)
        # Recorded as `services_kelompok.finalise_kelompok` would: the head of the group's unit left out of
        # its curve, a small group as advice (docs/rules.md §3.8), a curve not applied with its reason.
        pimpinan = [
            s.pk
            for s in anggota
            if s.pk in hasil_pimpinan
            and not distribusi_rules.dihitung_dalam_pola(unit_id, hasil_pimpinan[s.pk][1].pk)
        ]
        cek = distribusi_rules.check(
            cap,
            Counter(rencana[s.pk] for s in anggota if s.pk not in pimpinan),
            rules,  # type: ignore[arg-type]
            minimal=instansi.minimal_kelompok_distribusi,
            anggota=len(anggota) - len(pimpinan),
            pimpinan=len(pimpinan),
        )
        fin = FinalisasiKelompok(
            instansi=instansi,
            periode=periode,
            periode_penilaian=None,
            penilai_id=penilai_id if instansi.kelompok_distribusi == "penilai" else None,
            unit_kelompok_id=unit_id,
            kelompok=instansi.kelompok_distribusi,
            capaian_organisasi=cap.value,
            jumlah_pegawai=len(evs),
            pelanggaran=[],
            versi_aturan=versi_aturan,
            sebab_tidak_diterapkan=cek.sebab.value if cek.sebab is not None else "",
            alasan_tidak_diterapkan="" if cek.applicable else cek.reason or "",
            minimal_kelompok=instansi.minimal_kelompok_distribusi,
            oleh=oleh,
        )
        fin._history_user = oleh  # type: ignore[attr-defined]
        fin._history_date = final_pada  # type: ignore[attr-defined]
        fin.save()
        FinalisasiKelompok.objects.filter(pk=fin.pk).update(pada=final_pada)


def _catat_sekda(
    pegawai: Pegawai, periode: Periode, admin: User, mulai: datetime.datetime
) -> PenilaiEksternal:
    """The admin records the Sekda as the year's external penilai of the head without a penilai in the
    app, through the service (validated, audited), dated 2 January of the next year."""
    pe = PenilaiEksternal.objects.filter(pegawai=pegawai, periode=periode, periode_penilaian=None).first()
    if pe is None:
        pe = services_eksternal.record_penilai_eksternal(pegawai, periode, None, SEKDA, admin)
        when = _waktu(datetime.date(periode.tahun + 1, 1, 2), 9)
        PenilaiEksternal.objects.filter(pk=pe.pk).update(diubah_pada=when)
        _backdate(PenilaiEksternal, [pe.pk], when, mulai)
    return pe


def _dinilai_sekda(ev: Evaluasi, pe: PenilaiEksternal) -> None:
    """The head's annual evaluation names the external penilai, as `penilaian.services` does when the
    admin rates on his decision (the rows are bulk-created, so `services` does not run)."""
    ev.penilai_eksternal = pe
    ev.penilai_nama, ev.penilai_nip = pe.nama, pe.nomor_identitas
    ev.penilai_pangkat = PANGKAT_LABEL.get(pe.golongan, "") if pe.golongan else ""
    ev.penilai_jabatan_nama, ev.penilai_unit = pe.jabatan, pe.instansi_penilai


def _keputusan_sekda(
    ev: Evaluasi, oleh: User, tanggal: datetime.date, when: datetime.datetime, mulai: datetime.datetime
) -> None:
    """The Sekda's written decision the admin entered the head's annual ratings from."""
    assert ev.penilai_eksternal_id is not None
    kep = KeputusanPenilaiEksternal(
        evaluasi_id=ev.pk,
        penilai_id=ev.penilai_eksternal_id,
        nomor=f"800.1.13/TAHUNAN/SETDA/{tanggal.year}",
        tanggal=tanggal,
        rating_hasil=ev.rating_hasil,
        rating_perilaku=ev.rating_perilaku,
        dicatat_oleh=oleh,
    )
    kep._history_user = oleh  # type: ignore[attr-defined]
    kep.save()
    KeputusanPenilaiEksternal.objects.filter(pk=kep.pk).update(dicatat_pada=when)
    _backdate(KeputusanPenilaiEksternal, [kep.pk], when, mulai)


def _skp_tahun(
    instansi: Instansi,
    periode: Periode,
    sumber: list[Skp],
    users: dict[int, User],
    admin: User,
) -> list[Skp]:
    """An approved SKP of ``periode`` per source SKP: same jabatan, penilai and identity, a compact copy of
    its RHK (one indikator each, the year's target) and ekspektasi khusus; its approved version and log."""
    tahun = periode.tahun
    ada = set(Skp.objects.filter(periode=periode).values_list("pegawai_id", flat=True))
    sumber = [s for s in sumber if s.pegawai_id not in ada]
    dibuat = _waktu(datetime.date(tahun, 1, 8), 9)
    diajukan = _waktu(datetime.date(tahun, 1, 15), 10)
    disetujui = _waktu(datetime.date(tahun, 1, 22), 11)
    baru = []
    for s in sumber:
        skp = Skp(
            instansi=instansi,
            periode=periode,
            mulai=datetime.date(tahun, 1, 1),
            selesai=datetime.date(tahun, 12, 31),
            batas=periode.batas_skp,
            status=StatusSkp.DISETUJUI.value,
            diajukan_pada=diajukan,
            disetujui_pada=disetujui,
            disetujui_oleh=users.get(s.penilai_id) if s.penilai_id else admin,
            **{f: getattr(s, f) for f in (*SKP_SALIN, *IDENTITAS_FIELDS)},
        )
        baru.append(skp)
    baru = bulk_create_with_history(baru, Skp, default_date=disetujui)
    baru = list(
        Skp.objects.filter(periode=periode, pegawai_id__in=[s.pegawai_id for s in sumber])
        .select_related("jabatan__unit", "penilai_jabatan", "periode")
        .order_by("pegawai_nip")
    )
    Skp.objects.filter(pk__in=[s.pk for s in baru]).update(dibuat_pada=dibuat, diubah_pada=disetujui)
    per_sumber = {s.pegawai_id: s for s in sumber}
    rhk_sumber: dict[int, list[Rhk]] = defaultdict(list)
    for r in (
        Rhk.objects.filter(skp__in=sumber).prefetch_related("indikator").order_by("jenis", "urutan", "pk")
    ):
        rhk_sumber[r.skp_id].append(r)
    rhk_baru: list[tuple[Rhk, Rhk]] = []
    for skp in baru:
        for r in rhk_sumber[per_sumber[skp.pegawai_id].pk]:
            rhk_baru.append(
                (r, Rhk(skp=skp, jenis=r.jenis, teks=r.teks, perspektif=r.perspektif, urutan=r.urutan))
            )
    bulk_create_with_history([b for _, b in rhk_baru], Rhk, default_date=dibuat)
    indikator = []
    for r, b in rhk_baru:
        for i in list(r.indikator.all())[:1]:
            indikator.append(Indikator(rhk=b, **{f: getattr(i, f) for f in INDIKATOR_SALIN}))
    bulk_create_with_history(indikator, Indikator, default_date=dibuat)
    ekspektasi = {(p.skp_id, p.kode): p.ekspektasi_khusus for p in SkpPerilaku.objects.filter(skp__in=sumber)}
    bulk_create_with_history(
        [
            SkpPerilaku(
                skp=skp,
                kode=n.kode,
                ekspektasi_khusus=ekspektasi.get((per_sumber[skp.pegawai_id].pk, n.kode), ""),
            )
            for skp in baru
            for n in BERAKHLAK
        ],
        SkpPerilaku,
        default_date=dibuat,
    )
    versi, log = [], []
    for skp in baru:
        data = snapshot(skp)
        penyetuju = users.get(skp.penilai_id) if skp.penilai_id else admin
        versi.append(
            SkpVersi(
                skp=skp,
                revisi=1,
                data=data,
                sha256=hash_data(data),
                disetujui_oleh=penyetuju,
                disetujui_pada=disetujui,
            )
        )
        for aksi, dari, ke, oleh in (
            (AksiSkp.AJUKAN, StatusSkp.DRAFT, StatusSkp.DIAJUKAN, users.get(skp.pegawai_id)),
            (AksiSkp.SETUJUI, StatusSkp.DIAJUKAN, StatusSkp.DISETUJUI, penyetuju),
        ):
            log.append(
                LogAlur(skp=skp, aksi=aksi.value, status_dari=dari.value, status_ke=ke.value, oleh=oleh)
            )
    SkpVersi.objects.bulk_create(versi)
    LogAlur.objects.bulk_create(log)
    for aksi, when in ((AksiSkp.AJUKAN, diajukan), (AksiSkp.SETUJUI, disetujui)):
        LogAlur.objects.filter(skp__in=baru, aksi=aksi.value).update(pada=when)
    return list(
        Skp.objects.filter(periode=periode, status=StatusSkp.DISETUJUI.value)
        .select_related("jabatan__unit", "penilai_jabatan", "pegawai")
        .order_by("pegawai_nip")
    )


def _capaian_tahun(
    instansi: Instansi, periode: Periode, selisih: int, admin: User
) -> dict[int, CapaianOrganisasi]:
    """The annual capaian organisasi of every unit (set early January by the admin for the record)."""
    tahun = periode.tahun
    when = _waktu(datetime.date(tahun + 1, 1, 5), 9)
    hasil: dict[int, CapaianOrganisasi] = {}
    for unit in UnitKerja.objects.filter(instansi=instansi).order_by("path"):
        nilai = CAPAIAN[selisih].get(unit.kode, CO.BAIK)
        row = CapaianOrganisasiUnit.objects.filter(unit=unit, periode=periode, periode_penilaian=None).first()
        if row is None:
            row = CapaianOrganisasiUnit(
                instansi=instansi,
                unit=unit,
                periode=periode,
                periode_penilaian=None,
                nilai=nilai.value,
                catatan=CATATAN_CAPAIAN[nilai].format(tahun=tahun),
                ditetapkan_oleh=admin,
                ditetapkan_pada=when,
            )
            row._history_user = admin  # type: ignore[attr-defined]
            row._history_date = when  # type: ignore[attr-defined]
            row.save()
        hasil[unit.pk] = row.nilai_enum
    return hasil


def _evaluasi(
    instansi: Instansi,
    periode: Periode,
    skp: Skp,
    oleh: User,
    final_pada: datetime.datetime,
    dinilai: datetime.datetime,
    tahun: int,
) -> Evaluasi:
    ev = Evaluasi(
        instansi=instansi,
        jenis=JenisEvaluasi.TAHUNAN,
        skp=skp,
        pegawai_id=skp.pegawai_id,
        periode=periode,
        periode_penilaian=None,
        status=StatusEvaluasi.FINAL.value,
        penilai_id=skp.penilai_id,
        penilai_jabatan_id=skp.penilai_jabatan_id,
        atasan_penilai_id=skp.atasan_penilai_id,
        unit_id=skp.unit_id,
        unit_kelompok_id=skp.penilai_jabatan.unit_id if skp.penilai_jabatan_id else skp.unit_id,
        isian_awal_alasan=ISIAN_AWAL.format(tahun=tahun),
        dinilai_pada=dinilai,
        dinilai_oleh=oleh,
        final_pada=final_pada,
        final_oleh=oleh,
        versi=3,
    )
    ev.copy_identitas(skp)
    return ev


def _simpan_evaluasi(evs: list[Evaluasi], oleh: User, final_pada: datetime.datetime) -> None:
    """Store a finalised group: the evaluations, their RHK and BerAKHLAK ratings (the suggestions follow
    from them), all backdated."""
    for ev in evs:
        hasil, perilaku, geser = ev._pola  # type: ignore[attr-defined]
        rhk = ev._rhk  # type: ignore[attr-defined]
        if ev.dasar_hasil != DasarHasil.PIMPINAN and rhk:
            pola = _rating_rhk([r.jenis for r in rhk], hasil, geser)
            ev._rating_rhk = pola  # type: ignore[attr-defined]
            ev.saran_hasil_alasan = rating_rules.suggest_hasil(
                [rating_rules.RatingRhk(JenisRhk(r.jenis), p) for r, p in zip(rhk, pola, strict=True)]
            ).alasan
        else:
            ev._rating_rhk = [hasil] * len(rhk)  # type: ignore[attr-defined]
        nilai = _rating_nilai(perilaku, geser)
        ev._rating_nilai = nilai  # type: ignore[attr-defined]
        ev.saran_perilaku_alasan = rating_rules.suggest_perilaku(
            {n.kode: r for n, r in zip(BERAKHLAK, nilai, strict=True)}
        ).alasan
    evs[:] = bulk_create_with_history(evs, Evaluasi, default_user=oleh, default_date=final_pada)
    if any(ev.pk is None for ev in evs):  # a database that does not return the keys
        ada = {e.skp_id: e.pk for e in Evaluasi.objects.filter(skp__in=[e.skp_id for e in evs])}
        for ev in evs:
            ev.pk = ada[ev.skp_id]
    rows, nilai_rows = [], []
    for ev in evs:
        for i, (r, p) in enumerate(zip(ev._rhk, ev._rating_rhk, strict=True), start=1):  # type: ignore[attr-defined]
            rows.append(
                RatingRhk(
                    evaluasi_id=ev.pk, rhk=r, rhk_jenis=r.jenis, rhk_teks=r.teks, urutan=i, rating=p.value
                )
            )
        for n, p in zip(BERAKHLAK, ev._rating_nilai, strict=True):  # type: ignore[attr-defined]
            nilai_rows.append(RatingPerilaku(evaluasi_id=ev.pk, kode=n.kode, rating=p.value))
    bulk_create_with_history(rows, RatingRhk, default_user=oleh, default_date=final_pada)
    bulk_create_with_history(nilai_rows, RatingPerilaku, default_user=oleh, default_date=final_pada)
    Evaluasi.objects.filter(pk__in=[e.pk for e in evs]).update(
        dibuat_pada=final_pada - datetime.timedelta(days=5), diubah_pada=final_pada
    )


# --- keberatan --------------------------------------------------------------------------------------------


def _dokumen(ev: Evaluasi, oleh: User, when: datetime.datetime) -> Dokumen:
    """Register the evaluation's document as it is now (as `services_keberatan` does at filing)."""
    ev_dok = dokumen_evaluasi.evaluasi_untuk_dokumen(ev.pk)
    dok = services_evaluasi.issue_evaluasi(ev_dok, dokumen_evaluasi.fill_evaluasi(ev_dok), oleh)
    Dokumen.objects.filter(pk=dok.pk).update(created_at=when)
    return dok


def _seed_keberatan(instansi: Instansi, tahun: int, users: dict[int, User]) -> None:
    periode = Periode.objects.filter(instansi=instansi, tahun=tahun).first()
    if periode is None or timezone.now() < _waktu(datetime.date(tahun + 1, 2, 1), 0):
        return  # early in January the keberatan would lie in the future: written from February on
    evs = {
        e.pegawai_nip: e
        for e in Evaluasi.objects.filter(
            periode=periode, jenis=JenisEvaluasi.TAHUNAN, pegawai_nip__in=list(KEBERATAN)
        )
    }
    for urut, (nip, kasus) in enumerate(KEBERATAN.items()):
        ev = evs.get(nip)
        if ev is None or Keberatan.objects.filter(evaluasi=ev).exists():
            continue
        pegawai_user = users.get(ev.pegawai_id)
        penilai_user = users.get(ev.penilai_id) if ev.penilai_id else None
        pemutus_user = users.get(ev.atasan_penilai_id) if ev.atasan_penilai_id else None
        if pegawai_user is None or penilai_user is None or pemutus_user is None:
            continue
        diajukan = _waktu(datetime.date(periode.tahun + 1, 1, 15), 9, 10 * urut)
        hari = diajukan.date()
        k = Keberatan(
            instansi=instansi,
            evaluasi=ev,
            pegawai_id=ev.pegawai_id,
            status=StatusKeberatan.DIAJUKAN.value,
            alasan=kasus["alasan"],
            rating_hasil_awal=ev.rating_hasil,
            rating_perilaku_awal=ev.rating_perilaku,
            predikat_awal=ev.predikat,
            dokumen_awal=_dokumen(ev, pegawai_user, diajukan),
            diajukan_pada=diajukan,
            diajukan_oleh=pegawai_user,
            penilai_id=ev.penilai_id,
            batas_penjelasan=hari + datetime.timedelta(days=instansi.keberatan_hari_penjelasan),
            pemutus_id=ev.atasan_penilai_id,
            batas_keputusan=hari + datetime.timedelta(days=instansi.keberatan_hari_keputusan),
        )
        _simpan_keberatan(k, pegawai_user, diajukan)
        dijelaskan = _waktu(hari + datetime.timedelta(days=3), 14)
        k.status, k.penjelasan = StatusKeberatan.DIJELASKAN.value, kasus["penjelasan"]
        k.dijelaskan_pada, k.dijelaskan_oleh = dijelaskan, penilai_user
        _simpan_keberatan(k, penilai_user, dijelaskan)
        status = kasus["status"]
        if status is StatusKeberatan.DITARIK:
            ditarik = _waktu(hari + datetime.timedelta(days=5), 10)
            k.status, k.ditarik_pada, k.ditarik_alasan = status.value, ditarik, kasus["ditarik_alasan"]
            _simpan_keberatan(k, pegawai_user, ditarik)
            continue
        diputus = _waktu(hari + datetime.timedelta(days=10), 15)
        if status is StatusKeberatan.DIKABULKAN:
            ev = Evaluasi.objects.get(pk=ev.pk)
            ev.rating_hasil = kasus["hasil_baru"].value
            ev.alasan_ubah_hasil = ALASAN_UBAH + kasus["pertimbangan"]
            ev.versi += 1
            ev._keputusan_keberatan = True  # type: ignore[attr-defined]  # the decision changes a final row
            ev._history_user = pemutus_user  # type: ignore[attr-defined]
            ev._history_date = diputus  # type: ignore[attr-defined]
            ev.save()
            Evaluasi.objects.filter(pk=ev.pk).update(diubah_pada=diputus)
            k.rating_hasil_baru, k.rating_perilaku_baru = ev.rating_hasil, ev.rating_perilaku
            baru = _dokumen(ev, pemutus_user, diputus)
            Dokumen.objects.filter(jenis=baru.jenis, objek_id=ev.pk, digantikan_oleh__isnull=True).exclude(
                pk=baru.pk
            ).update(
                digantikan_oleh=baru,
                digantikan_alasan="Predikat diubah atas keputusan keberatan "
                + format_tanggal(diputus.date()),
            )
            k.dokumen_revisi = baru
        k.predikat_akhir = ev.predikat
        k.status, k.keputusan_alasan = status.value, kasus["pertimbangan"]
        k.diputus_pada, k.diputus_oleh = diputus, pemutus_user
        _simpan_keberatan(k, pemutus_user, diputus)


def _simpan_keberatan(k: Keberatan, oleh: User, when: datetime.datetime) -> None:
    if k.pk is not None:
        k.versi += 1
    k._history_user = oleh  # type: ignore[attr-defined]
    k._history_date = when  # type: ignore[attr-defined]
    k.save()


# --- the window open today ----------------------------------------------------------------------------------


def _buka_jendela(instansi: Instansi, kini: Periode, admin: User) -> None:
    """Periodic keberatan allowed (CONFIG) and the kabid's TW III group finalised three days ago."""
    inst = Instansi.objects.get(pk=instansi.pk)
    if not inst.keberatan_periodik:
        inst.keberatan_periodik = True
        inst._history_user = admin  # type: ignore[attr-defined]
        inst.save(update_fields=["keberatan_periodik"])
        instansi.keberatan_periodik = True
    pp = PeriodePenilaian.objects.filter(periode=kini, nomor=NOMOR_TERLAMBAT).first()
    penilai = Pegawai.objects.filter(nip=NIP_PENILAI_TERLAMBAT).first()
    if pp is None or penilai is None:
        return
    fin = FinalisasiKelompok.objects.filter(periode_penilaian=pp, penilai=penilai).order_by("-pada").first()
    if fin is None:
        return
    now = timezone.now()
    hari_ini = timezone.localdate(now)
    jendela = hari_ini - datetime.timedelta(days=instansi.keberatan_hari_pengajuan - HARI_TERLAMBAT)
    if timezone.localdate(fin.pada) >= jendela:
        return  # already recent enough to file (e.g. a second run)
    baru = min(_waktu(hari_ini - datetime.timedelta(days=HARI_TERLAMBAT), 14), now)
    lama = fin.pada
    evs = list(
        Evaluasi.objects.filter(
            periode_penilaian=pp,
            penilai=penilai,
            unit_kelompok_id=fin.unit_kelompok_id,
            final_pada__isnull=False,
        ).values_list("pk", flat=True)
    )
    Evaluasi.objects.filter(pk__in=evs).update(final_pada=baru, diberitahu_pada=baru, diubah_pada=baru)
    Notifikasi.objects.filter(kunci__in=[f"evaluasi-final:{pk}:1" for pk in evs]).update(dikirim_pada=baru)
    # The finalisation's audit rows (and any written with it) move with it.
    Evaluasi.history.filter(id__in=evs, history_date__gte=lama).update(history_date=baru)
    FinalisasiKelompok.objects.filter(pk=fin.pk).update(pada=baru)
    FinalisasiKelompok.history.filter(id=fin.pk).update(history_date=baru)
