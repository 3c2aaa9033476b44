"""Workflow of an evaluation (periodic or annual) as data (PermenPANRB 6/2022 lampiran; docs/rules.md §14).

draft → dinilai (the penilai saved the ratings; they may change them) → final (immutable) → dibuka kembali
(only the admin kepegawaian, with a reason) → final again. The atasan pejabat penilai may change ratings
while calibrating the pola distribusi, always with a reason. Services enforce this table; nothing else
decides who may move an evaluation where. Also the gate before rating (every RHK has realisasi for the
periode, or is explicitly marked "tidak ada realisasi" with a reason) and the finalisation rule for a
group whose pola distribusi is violated (CONFIG: warn, the default, or block), and the deadline lock:
after the periode's batas evaluasi (annual: the batas evaluasi tahunan) ratings can no longer be changed
unless the admin kepegawaian has unlocked that evaluation for a few days (docs/rules.md §14.4).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Final, TypeVar

from kinerja.rules.alur import TransisiDitolak
from kinerja.rules.jadwal import lewat_batas
from kinerja.rules.realisasi import format_tanggal, format_waktu
from kinerja.rules.types import LabeledEnum

__all__ = [
    "DAPAT_DIUBAH",
    "TRANSISI",
    "Aksi",
    "KeputusanFinalisasi",
    "ModeFinalisasi",
    "Peran",
    "Status",
    "StatusKunci",
    "Tahap",
    "TahapEvaluasi",
    "Transisi",
    "TransisiDitolak",
    "aksi_tersedia",
    "may_finalise",
    "dapat_diubah",
    "siap_dinilai",
    "status_kunci",
    "status_penetapan",
    "tahap_evaluasi",
    "transisi",
]


class Status(LabeledEnum):
    DRAFT = "draft", "Draft"
    DINILAI = "dinilai", "Dinilai"
    FINAL = "final", "Final"
    DIBUKA_KEMBALI = "dibuka_kembali", "Dibuka kembali"


class Aksi(LabeledEnum):
    SIMPAN_RATING = "simpan_rating", "Simpan rating"
    FINALISASI = "finalisasi", "Finalisasi"
    BUKA_KEMBALI = "reopen", "Buka kembali"


class Peran(LabeledEnum):
    """Who acts on an evaluation."""

    PENILAI = "penilai", "Pejabat penilai"
    ATASAN_PENILAI = "atasan_penilai", "Atasan pejabat penilai"
    ADMIN = "admin", "Admin kepegawaian"


@dataclass(frozen=True)
class Transisi:
    """One action: the status it leads to from each status it is allowed in (``ke``), the roles that may
    take it (``oleh``), and the roles that must give a reason when they take it (``wajib_catatan``)."""

    ke: Mapping[Status, Status]
    oleh: frozenset[Peran]
    wajib_catatan: frozenset[Peran] = frozenset()

    @property
    def dari(self) -> frozenset[Status]:
        return frozenset(self.ke)


_PENILAI_DAN_ATASAN = frozenset({Peran.PENILAI, Peran.ATASAN_PENILAI})

TRANSISI: Final[Mapping[Aksi, Transisi]] = MappingProxyType(
    {
        # Saving ratings keeps a reopened evaluation visibly "dibuka kembali" until it is final again.
        Aksi.SIMPAN_RATING: Transisi(
            MappingProxyType(
                {
                    Status.DRAFT: Status.DINILAI,
                    Status.DINILAI: Status.DINILAI,
                    Status.DIBUKA_KEMBALI: Status.DIBUKA_KEMBALI,
                }
            ),
            _PENILAI_DAN_ATASAN,
            wajib_catatan=frozenset({Peran.ATASAN_PENILAI}),
        ),
        Aksi.FINALISASI: Transisi(
            MappingProxyType({Status.DINILAI: Status.FINAL, Status.DIBUKA_KEMBALI: Status.FINAL}),
            _PENILAI_DAN_ATASAN,
        ),
        Aksi.BUKA_KEMBALI: Transisi(
            MappingProxyType({Status.FINAL: Status.DIBUKA_KEMBALI}),
            frozenset({Peran.ADMIN}),
            wajib_catatan=frozenset({Peran.ADMIN}),
        ),
    }
)

#: States in which ratings may be written (a final evaluation is immutable).
DAPAT_DIUBAH: Final = frozenset({Status.DRAFT, Status.DINILAI, Status.DIBUKA_KEMBALI})

_ALASAN_WAJIB = {
    Aksi.SIMPAN_RATING: "Perubahan rating oleh atasan pejabat penilai wajib disertai alasan.",
    Aksi.BUKA_KEMBALI: "Membuka kembali evaluasi yang sudah final wajib disertai alasan.",
}


def _daftar(items: Collection[LabeledEnum], order: list[LabeledEnum]) -> str:
    labels = [i.label.lower() for i in sorted(items, key=order.index)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " atau " + labels[-1]


def dapat_diubah(status: Status) -> bool:
    """Ratings may be written unless the evaluation is final."""
    return Status(status) in DAPAT_DIUBAH


def transisi(status: Status, aksi: Aksi, peran: Peran, catatan: str = "") -> Status:
    """The status after ``aksi``; raises :class:`TransisiDitolak` (Indonesian) saying why when refused.

    Checks in order: the role, the status, the reason (for the roles that need one).
    """
    status, aksi, peran = Status(status), Aksi(aksi), Peran(peran)
    aturan = TRANSISI[aksi]
    if peran not in aturan.oleh:
        raise TransisiDitolak(f"{aksi.label} hanya dapat dilakukan oleh {_daftar(aturan.oleh, list(Peran))}.")
    if status not in aturan.ke:
        raise TransisiDitolak(
            f"{aksi.label} tidak dapat dilakukan pada evaluasi berstatus {status.label.lower()} "
            f"(hanya dari status {_daftar(aturan.dari, list(Status))})."
        )
    if peran in aturan.wajib_catatan and not catatan.strip():
        raise TransisiDitolak(_ALASAN_WAJIB[aksi])
    return aturan.ke[status]


def aksi_tersedia(status: Status, peran: Peran) -> list[Aksi]:
    """The actions ``peran`` may take on an evaluation in ``status``, in table order."""
    status, peran = Status(status), Peran(peran)
    return [aksi for aksi, aturan in TRANSISI.items() if peran in aturan.oleh and status in aturan.ke]


# --- gate: realisasi before rating --------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)


def siap_dinilai(
    rhk_dengan_realisasi: Collection[K], semua_rhk: Sequence[K], tanpa_realisasi: Mapping[K, str]
) -> list[K]:
    """The RHK (ids, in the order of ``semua_rhk``) that still block rating; empty means ready.

    An RHK is ready when it is in ``rhk_dengan_realisasi`` (the caller decides what counts; the app: every
    indikator of the RHK has a realisasi for the periode) or when the penilai marked it "tidak ada
    realisasi" in ``tanpa_realisasi`` with a non-blank reason. Ids in the first or last argument that are
    not in ``semua_rhk`` are ignored. An SKP without RHK is ready (nothing to wait for).
    """
    ada = set(rhk_dengan_realisasi)
    return [rhk for rhk in semua_rhk if rhk not in ada and not (tanpa_realisasi.get(rhk) or "").strip()]


# --- finalisation with a violated pola distribusi -----------------------------------------------------


class ModeFinalisasi(LabeledEnum):
    """What a violated pola distribusi does to finalisation (CONFIG per instansi; default peringatan)."""

    PERINGATAN = "peringatan", "Peringatan saja (finalisasi dengan alasan)"
    BLOKIR = "blokir", "Blokir finalisasi"


@dataclass(frozen=True)
class KeputusanFinalisasi:
    """Whether finalisation may go ahead, the Indonesian message, and whether a reason is (still) needed."""

    boleh: bool
    pesan: str
    wajib_alasan: bool = False


def may_finalise(
    violations: int, mode: ModeFinalisasi = ModeFinalisasi.PERINGATAN, alasan: str = ""
) -> KeputusanFinalisasi:
    """May a group be finalised with ``violations`` hard violations of its pola distribusi?

    * no violation: yes;
    * ``blokir``: no, whatever the reason;
    * ``peringatan`` (default): yes, but only with a written reason (``wajib_alasan``).

    A check that is "tidak dapat diterapkan" has no violations: pass 0 and show its reason.
    """
    if isinstance(violations, bool) or not isinstance(violations, int) or violations < 0:
        raise ValueError(f"Jumlah pelanggaran harus bilangan bulat ≥ 0, bukan {violations!r}")
    try:
        mode = ModeFinalisasi(mode)
    except ValueError:
        raise ValueError(f"Mode finalisasi tidak dikenal: {mode!r}") from None
    if violations == 0:
        return KeputusanFinalisasi(True, "Distribusi predikat sesuai pola distribusi.")
    if mode is ModeFinalisasi.BLOKIR:
        return KeputusanFinalisasi(
            False,
            f"Finalisasi ditolak: masih ada {violations} pelanggaran pola distribusi dan instansi "
            "mengatur pelanggaran sebagai penghalang finalisasi. Ubah rating (dengan alasan) sampai "
            "distribusi sesuai pola.",
        )
    if not alasan.strip():
        return KeputusanFinalisasi(
            False,
            f"Masih ada {violations} pelanggaran pola distribusi; tuliskan alasan untuk tetap memfinalisasi.",
            wajib_alasan=True,
        )
    return KeputusanFinalisasi(
        True,
        f"Difinalisasi dengan {violations} pelanggaran pola distribusi; alasannya dicatat.",
        wajib_alasan=True,
    )


@dataclass(frozen=True)
class StatusKunci:
    """Whether ratings of an evaluation may change now (the deadline lock), and why."""

    terbuka: bool
    alasan: str
    terlambat: bool = False
    dibuka_sampai: datetime | None = None


def status_kunci(
    *, nama: str, batas: date, hari_ini: date, sekarang: datetime, buka_kunci_sampai: datetime | None = None
) -> StatusKunci:
    """The deadline lock of the evaluation of ``nama`` (e.g. "Triwulan I", "tahun 2026") at ``sekarang``.

    Open until ``batas`` inclusive (local date ``hari_ini``); after it, open only while the admin's unlock
    runs (``buka_kunci_sampai`` strictly after ``sekarang``; both naive or both aware, local times). There
    is no lower bound: the penilai may rate as soon as the realisasi are in (the gate decides that).
    """
    if not lewat_batas(batas, hari_ini):
        return StatusKunci(True, f"Evaluasi {nama} terbuka sampai {format_tanggal(batas)}.")
    if buka_kunci_sampai is not None and buka_kunci_sampai > sekarang:
        return StatusKunci(
            True,
            f"Batas evaluasi {nama} ({format_tanggal(batas)}) sudah lewat, tetapi kunci evaluasi ini "
            f"dibuka oleh admin kepegawaian sampai {format_waktu(buka_kunci_sampai)}.",
            terlambat=True,
            dibuka_sampai=buka_kunci_sampai,
        )
    return StatusKunci(
        False,
        f"Batas evaluasi {nama} ({format_tanggal(batas)}) sudah lewat; rating tidak dapat diubah lagi. "
        "Minta admin kepegawaian membuka kunci evaluasi ini.",
    )


def status_penetapan(*, nama: str, selesai: date, hari_ini: date) -> StatusKunci:
    """Whether the ratings of the evaluation of ``nama`` may be decided on ``hari_ini``: only after its
    periode has ended (annual: after 31 December). Before, the penilai may already rate single RHK and
    values as a draft; deciding (and so finalising) waits for the end of the periode."""
    if hari_ini > selesai:
        return StatusKunci(True, f"Periode {nama} sudah berakhir ({format_tanggal(selesai)}).")
    return StatusKunci(
        False,
        f"Rating evaluasi {nama} baru dapat ditetapkan setelah periodenya berakhir "
        f"({format_tanggal(selesai)}). Sampai saat itu rating RHK dan perilaku dapat diisi sebagai draf.",
    )


# --- one word for one state (docs/rules.md §15) ---------------------------------------------------------


class Tahap(LabeledEnum):
    """Where an evaluation stands, as every page names it (group page, the penilai's list, documents)."""

    BELUM_DIBUKA = "belum_dibuka", "Belum dibuka"
    BELUM_DINILAI = "belum_dinilai", "Belum dinilai"
    DRAF = "draf", "Draf"
    SIAP_DITETAPKAN = "siap_ditetapkan", "Siap ditetapkan"
    DINILAI = "dinilai", "Dinilai"
    DIBUKA_KEMBALI = "dibuka_kembali", "Dibuka kembali"
    FINAL = "final", "Final"


@dataclass(frozen=True)
class TahapEvaluasi:
    """The state of an evaluation and why (``keterangan``, Indonesian; empty when the word says it all)."""

    tahap: Tahap
    keterangan: str = ""

    @property
    def label(self) -> str:
        """E.g. ``"Draf — ditetapkan setelah periode berakhir"``."""
        return f"{self.tahap.label} — {self.keterangan}" if self.keterangan else self.tahap.label

    @property
    def dinilai(self) -> bool:
        """The overall rating is decided (a predikat exists): counted as "dinilai" everywhere."""
        return self.tahap in (Tahap.DINILAI, Tahap.DIBUKA_KEMBALI, Tahap.FINAL)


def tahap_evaluasi(
    status: Status | str | None,
    *,
    semua_dirating: bool,
    ditetapkan: bool,
    periode_berakhir: bool,
) -> TahapEvaluasi:
    """The one state of an evaluation shown everywhere.

    ``status``: the workflow status (None: no evaluation opened yet); ``semua_dirating``: every RHK and
    every BerAKHLAK value has a rating (both suggestions exist); ``ditetapkan``: both overall ratings are
    decided (there is a predikat); ``periode_berakhir``: the periode (annual: the year) has ended, so the
    ratings may be decided (`status_penetapan`)."""
    if status is None:
        return TahapEvaluasi(Tahap.BELUM_DIBUKA)
    status = Status(status)
    if status is Status.FINAL:
        return TahapEvaluasi(Tahap.FINAL)
    if ditetapkan:
        if status is Status.DIBUKA_KEMBALI:
            return TahapEvaluasi(Tahap.DIBUKA_KEMBALI, "dapat dinilai ulang lalu difinalisasi lagi")
        return TahapEvaluasi(Tahap.DINILAI, "menunggu finalisasi kelompok")
    if not semua_dirating:
        return TahapEvaluasi(Tahap.BELUM_DINILAI, "rating RHK atau perilaku belum lengkap")
    if not periode_berakhir:
        return TahapEvaluasi(Tahap.DRAF, "ditetapkan setelah periode berakhir")
    return TahapEvaluasi(Tahap.SIAP_DITETAPKAN, "rating lengkap; pejabat penilai menetapkan rating")
