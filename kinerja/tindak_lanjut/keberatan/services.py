"""Every write of a keberatan against a predikat kinerja (rules in `kinerja.rules.keberatan`,
choices in docs/rules.md §16 and §18). One function per use case, atomic, permission-checked, audited
(django-simple-history with the acting user); every function takes ``sekarang`` to freeze the clock.

* `ajukan` — the evaluated pegawai, within the window counted from the local date the pegawai was told of
  the final result (day 0; the notice is sent at finalisation), against that result (finalisation), with
  reasons (required) and attachments (checked like bukti dukung, the instansi's size limit). The ratings,
  predikat and registered document at filing are kept; the penilai and the pemutus (the evaluation's atasan
  penilai) are fixed; the penjelasan and decision deadlines are counted from the filing date with the
  instansi's days. No atasan penilai → no pemutus: the admin is told to route it.
* `tarik` — the pegawai, before the decision.
* `jelaskan` — the penilai (the admin when the evaluation had no penilai), while nothing is decided.
* `reassign_pemutus` — the admin of the instansi names (or changes) the pemutus, with a reason.
* `putuskan` — the pemutus: *ditolak* (the predikat stays) or *dikabulkan* with new rating(s); the predikat
  follows from the kuadran (`Evaluasi.save`), the evaluation changes through
  `kinerja.penilaian.services_keberatan`, and a revised document is registered; the earlier documents of
  the evaluation are marked superseded by it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kinerja.common.berkas import validate_berkas
from kinerja.common.unggahan import save_with_file
from kinerja.notifikasi import services as notifikasi
from kinerja.organisasi.models import Pegawai, User
from kinerja.penilaian.models import Evaluasi
from kinerja.penilaian.services_keberatan import apply_keputusan_keberatan
from kinerja.permissions import require
from kinerja.permissions.tindak_lanjut import peran_keberatan
from kinerja.rules import keberatan as aturan
from kinerja.rules.keberatan import TRANSISI, Aksi, Peran, Status, TransisiDitolak
from kinerja.rules.realisasi import format_tanggal
from kinerja.rules.types import Rating
from kinerja.tindak_lanjut.keberatan import selectors as sel
from kinerja.tindak_lanjut.models import Keberatan, LampiranKeberatan
from kinerja.tindak_lanjut.signals import dokumen_diajukan, dokumen_dikabulkan, satu_jawaban

PANJANG_TEKS = 5000
MAKS_LAMPIRAN = 5


@dataclass(frozen=True)
class Unggahan:
    """One uploaded file: the file object, the name the user gave it, its size in bytes."""

    berkas: IO[bytes]
    nama: str
    ukuran: int


def _sekarang(sekarang: datetime.datetime | None) -> datetime.datetime:
    return sekarang if sekarang is not None else timezone.now()


def _teks(value: Any, field: str, kosong: str, label: str) -> str:
    teks = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not teks:
        raise ValidationError({field: kosong})
    if len(teks) > PANJANG_TEKS:
        raise ValidationError({field: f"{label} paling panjang {PANJANG_TEKS} karakter ({len(teks)})."})
    return teks


def _ambil(k: Keberatan) -> Keberatan:
    """The keberatan re-read under a row lock (two tabs, two people)."""
    return (
        Keberatan.objects.select_for_update(of=("self",))
        .select_related("instansi", "evaluasi", "pegawai", "penilai", "pemutus")
        .get(pk=k.pk)
    )


def _simpan(k: Keberatan, oleh: User) -> Keberatan:
    k.versi += 1
    k._history_user = oleh  # type: ignore[attr-defined]
    k.save()
    return k


def _langkah(k: Keberatan, aksi: Aksi, oleh: User, hari: datetime.date) -> Status:
    """The next status, after the role check (403) and the workflow check (422)."""
    perlu = TRANSISI[aksi].oleh
    if perlu not in peran_keberatan(k, oleh):
        if perlu is Peran.PEMUTUS and k.pemutus_id is None:
            raise PermissionDenied(
                "Keberatan ini belum memiliki pemutus; admin kepegawaian harus menetapkan pejabat yang "
                "memutusnya terlebih dahulu."
            )
        raise PermissionDenied(f"{aksi.label} hanya dapat dilakukan oleh {perlu.label.lower()}.")
    try:
        return aturan.transisi(k.status_enum, aksi, perlu, penjelasan_lewat=sel.penjelasan_lewat(k, hari))
    except TransisiDitolak as exc:
        raise ValidationError(str(exc)) from None


def _tautan(k: Keberatan) -> str:
    return reverse("tindak_lanjut:keberatan_detail", args=[k.pk])


def _judul_evaluasi(k: Keberatan) -> str:
    return k.evaluasi.nama_periode


# --- attachments ----------------------------------------------------------------------------------------


def _simpan_lampiran(k: Keberatan, unggahan: Unggahan, batas_mb: int, oleh: User) -> LampiranKeberatan:
    valid = validate_berkas(unggahan.berkas, unggahan.nama, unggahan.ukuran, batas_mb)
    lampiran = LampiranKeberatan(
        keberatan=k, nama_asli=valid.nama, jenis=valid.tipe, ukuran=valid.ukuran, sha256=valid.sha256
    )
    lampiran._history_user = oleh  # type: ignore[attr-defined]
    save_with_file(lampiran, unggahan.berkas, valid.nama)
    return lampiran


def _lampiran_semua(k: Keberatan, lampiran: Iterable[Unggahan], oleh: User) -> list[LampiranKeberatan]:
    daftar = list(lampiran)
    sudah = k.lampiran.count() if k.pk else 0
    if sudah + len(daftar) > MAKS_LAMPIRAN:
        raise ValidationError({"lampiran": f"Lampiran keberatan paling banyak {MAKS_LAMPIRAN} berkas."})
    simpan: list[LampiranKeberatan] = []
    try:
        for u in daftar:
            try:
                simpan.append(_simpan_lampiran(k, u, k.instansi.batas_ukuran_bukti_mb, oleh))
            except ValidationError as exc:
                raise ValidationError({"lampiran": exc.messages}) from None
    except Exception:
        for s in simpan:  # the transaction rolls the rows back; remove their files too
            s.berkas.storage.delete(s.berkas.name)
        raise
    return simpan


@transaction.atomic
def add_lampiran(
    keberatan: Keberatan, oleh: User, unggahan: Unggahan, sekarang: datetime.datetime | None = None
) -> LampiranKeberatan:
    """The pegawai adds a file to their keberatan while the penilai has not explained yet."""
    k = _ambil(keberatan)
    if Peran.PEGAWAI not in peran_keberatan(k, oleh):
        raise PermissionDenied("Lampiran keberatan hanya dapat ditambahkan oleh pegawai yang mengajukannya.")
    if k.status != Status.DIAJUKAN.value:
        raise ValidationError(
            {"lampiran": "Lampiran hanya dapat ditambahkan sebelum pejabat penilai memberi penjelasan."}
        )
    (lampiran,) = _lampiran_semua(k, [unggahan], oleh)
    _simpan(k, oleh)
    return lampiran


# --- filing and withdrawing -----------------------------------------------------------------------------


@transaction.atomic
def ajukan(
    evaluasi: Evaluasi,
    oleh: User,
    alasan: str,
    lampiran: Iterable[Unggahan] = (),
    sekarang: datetime.datetime | None = None,
) -> Keberatan:
    """The evaluated pegawai files a keberatan against the final predikat of ``evaluasi``."""
    ev = (
        Evaluasi.objects.select_for_update(of=("self",))
        .select_related("instansi", "periode", "periode_penilaian")
        .get(pk=evaluasi.pk)
    )
    require(
        oleh, "tindak_lanjut.file_keberatan", ev, "Keberatan hanya dapat diajukan oleh pegawai yang dinilai."
    )
    now = _sekarang(sekarang)
    alasan = _teks(alasan, "alasan", "Isi alasan keberatan.", "Alasan keberatan")
    inst = ev.instansi
    status = sel.status_pengajuan(ev, now, inst)
    if not status.boleh:
        raise ValidationError(status.alasan, code="di_luar_batas")
    hari = sel.hari_ini(now)
    k = Keberatan(
        instansi=inst,
        evaluasi=ev,
        finalisasi_ke=ev.finalisasi_ke,
        pegawai_id=ev.pegawai_id,
        status=Status.DIAJUKAN.value,
        alasan=alasan,
        rating_hasil_awal=ev.rating_hasil,
        rating_perilaku_awal=ev.rating_perilaku,
        predikat_awal=ev.predikat,
        dokumen_awal=satu_jawaban(dokumen_diajukan, Keberatan, evaluasi=ev, oleh=oleh),
        diajukan_pada=now,
        diajukan_oleh=oleh,
        penilai_id=ev.penilai_id,
        batas_penjelasan=aturan.batas(hari, inst.keberatan_hari_penjelasan),
        pemutus_id=ev.atasan_penilai_id,
        batas_keputusan=aturan.batas(hari, inst.keberatan_hari_keputusan),
    )
    k._history_user = oleh  # type: ignore[attr-defined]
    k.save()
    _lampiran_semua(k, lampiran, oleh)
    _beritahu_diajukan(k, oleh)
    return k


@transaction.atomic
def tarik(
    keberatan: Keberatan, oleh: User, alasan: str = "", sekarang: datetime.datetime | None = None
) -> Keberatan:
    """The pegawai withdraws their keberatan before the decision (a reason is optional)."""
    k = _ambil(keberatan)
    now = _sekarang(sekarang)
    k.status = _langkah(k, Aksi.TARIK, oleh, sel.hari_ini(now)).value
    k.ditarik_pada = now
    k.ditarik_alasan = (alasan or "").strip()[:PANJANG_TEKS]
    _simpan(k, oleh)
    for pegawai_id in {k.penilai_id, k.pemutus_id} - {None}:
        notifikasi.kirim(
            notifikasi.user_pegawai(pegawai_id),
            "keberatan",
            f"keberatan-ditarik:{k.pk}:{pegawai_id}",
            f"Keberatan {k.pegawai.nama_lengkap} ditarik",
            f"{k.pegawai.nama_lengkap} menarik keberatan atas predikat {_judul_evaluasi(k)}."
            + (f"\n\nAlasan: {k.ditarik_alasan}" if k.ditarik_alasan else ""),
            _tautan(k),
        )
    return k


# --- penjelasan, routing, decision -----------------------------------------------------------------------


@transaction.atomic
def jelaskan(
    keberatan: Keberatan, oleh: User, penjelasan: str, sekarang: datetime.datetime | None = None
) -> Keberatan:
    """The penilai writes the penjelasan (also after its deadline, as long as nothing is decided)."""
    k = _ambil(keberatan)
    now = _sekarang(sekarang)
    status = _langkah(k, Aksi.JELASKAN, oleh, sel.hari_ini(now))
    k.penjelasan = _teks(penjelasan, "penjelasan", "Isi penjelasan pejabat penilai.", "Penjelasan")
    k.status, k.dijelaskan_pada, k.dijelaskan_oleh = status.value, now, oleh
    _simpan(k, oleh)
    if k.pemutus_id:
        _beritahu_pemutus(k, "dijelaskan")
    return k


@transaction.atomic
def reassign_pemutus(
    keberatan: Keberatan,
    oleh: User,
    pemutus: Pegawai,
    alasan: str,
    sekarang: datetime.datetime | None = None,
) -> Keberatan:
    """The admin of the instansi names who decides (the PPK's designated official when the top of the
    instansi has no atasan, or another official when the pemutus cannot act), with a reason."""
    k = _ambil(keberatan)
    require(
        oleh,
        "tindak_lanjut.assign_pemutus",
        k,
        "Pemutus keberatan hanya dapat ditetapkan oleh admin kepegawaian instansi ini.",
    )
    if not k.terbuka:
        raise ValidationError(f"Keberatan berstatus {k.status_enum.label.lower()} tidak dapat dialihkan.")
    alasan = _teks(alasan, "alasan", "Isi alasan penetapan pemutus.", "Alasan")
    if pemutus is None or pemutus.instansi_id != k.instansi_id or not pemutus.aktif:
        raise ValidationError({"pemutus": "Pilih pegawai aktif instansi ini sebagai pemutus."})
    if pemutus.pk in (k.pegawai_id, k.penilai_id):
        raise ValidationError(
            {"pemutus": "Pemutus tidak boleh pegawai yang mengajukan keberatan atau pejabat penilainya."}
        )
    if pemutus.pk == k.pemutus_id:
        raise ValidationError({"pemutus": f"{pemutus.nama_lengkap} sudah menjadi pemutus keberatan ini."})
    k.pemutus = pemutus
    k.pemutus_dialihkan_oleh, k.pemutus_dialihkan_alasan = oleh, alasan
    _simpan(k, oleh)
    _beritahu_pemutus(k, "dialihkan")
    return k


@transaction.atomic
def putuskan(
    keberatan: Keberatan,
    oleh: User,
    keputusan: str,
    pertimbangan: str,
    rating_hasil: str | None = None,
    rating_perilaku: str | None = None,
    sekarang: datetime.datetime | None = None,
) -> Keberatan:
    """The pemutus decides: ``keputusan`` "ditolak" (the predikat stays) or "dikabulkan" with new
    rating(s) (blank keeps that rating); final, audited; a granted one revises the evaluation and its
    document."""
    k = _ambil(keberatan)
    now = _sekarang(sekarang)
    aksi = {Status.DITOLAK.value: Aksi.TOLAK, Status.DIKABULKAN.value: Aksi.KABULKAN}.get(keputusan or "")
    if aksi is None:
        raise ValidationError({"keputusan": "Pilih keputusan: ditolak atau dikabulkan."})
    status = _langkah(k, aksi, oleh, sel.hari_ini(now))
    if k.finalisasi_ke != k.evaluasi.finalisasi_ke:
        raise ValidationError(
            "Evaluasi ini telah dibuka kembali dan difinalisasi ulang: hasil yang dikeberatan sudah diganti. "
            "Keberatan ini tidak dapat diputus; pegawai dapat menariknya dan mengajukan keberatan atas "
            "hasil yang baru."
        )
    pertimbangan = _teks(pertimbangan, "pertimbangan", "Isi pertimbangan keputusan.", "Pertimbangan")
    if status is Status.DIKABULKAN:
        ev = k.evaluasi
        hasil = _rating(rating_hasil or ev.rating_hasil, "rating_hasil")
        perilaku = _rating(rating_perilaku or ev.rating_perilaku, "rating_perilaku")
        if hasil.value == ev.rating_hasil and perilaku.value == ev.rating_perilaku:
            raise ValidationError(
                {"rating_hasil": "Mengabulkan keberatan berarti mengubah paling sedikit satu rating."}
            )
        ev = apply_keputusan_keberatan(ev, hasil, perilaku, pertimbangan, oleh)
        k.rating_hasil_baru, k.rating_perilaku_baru = ev.rating_hasil, ev.rating_perilaku
        k.predikat_akhir = ev.predikat
        k.dokumen_revisi = satu_jawaban(dokumen_dikabulkan, Keberatan, evaluasi=ev, oleh=oleh, sekarang=now)
    else:
        k.predikat_akhir = k.evaluasi.predikat
    k.status, k.keputusan_alasan = status.value, pertimbangan
    k.diputus_pada, k.diputus_oleh = now, oleh
    _simpan(k, oleh)
    _beritahu_diputus(k)
    return k


def _rating(value: Any, field: str) -> Rating:
    try:
        return Rating(value)
    except ValueError:
        raise ValidationError({field: "Pilih rating: Diatas, Sesuai, atau Dibawah Ekspektasi."}) from None


# --- notifications (idempotent keys) -------------------------------------------------------------------


def _beritahu_diajukan(k: Keberatan, oleh: User) -> None:
    nama = k.pegawai.nama_lengkap
    isi = (
        f"{nama} mengajukan keberatan atas predikat {k.get_predikat_awal_display()} "
        f"({_judul_evaluasi(k)}).\n\nAlasan: {k.alasan}\n\n"
        f"Berikan penjelasan paling lambat {format_tanggal(k.batas_penjelasan)}."
    )
    if k.penilai_id:
        notifikasi.kirim(
            notifikasi.user_pegawai(k.penilai_id),
            "keberatan",
            f"keberatan-diajukan:{k.pk}",
            f"Keberatan dari {nama}: mohon penjelasan",
            isi,
            _tautan(k),
        )
    admins = sel.admin_instansi_users(k.instansi_id)
    for admin in admins:
        if k.penilai_id is None:  # the admin rated the head of the instansi and explains
            notifikasi.kirim(
                admin,
                "keberatan",
                f"keberatan-diajukan:{k.pk}:{admin.pk}",
                f"Keberatan dari {nama}: mohon penjelasan",
                isi,
                _tautan(k),
            )
        if k.pemutus_id is None:
            notifikasi.kirim(
                admin,
                "keberatan",
                f"keberatan-tanpa-pemutus:{k.pk}:{admin.pk}",
                f"Keberatan {nama} belum memiliki pemutus",
                f"{nama} tidak memiliki atasan pejabat penilai. Tetapkan pejabat yang ditunjuk PPK untuk "
                f"memutus keberatan atas predikat {_judul_evaluasi(k)} (batas keputusan "
                f"{format_tanggal(k.batas_keputusan)}).",
                _tautan(k),
            )


def _beritahu_pemutus(k: Keberatan, sebab: str) -> None:
    nama = k.pegawai.nama_lengkap
    if sebab == "dijelaskan":
        judul = f"Keberatan {nama} siap diputus"
        isi = f"Pejabat penilai telah memberi penjelasan atas keberatan {nama} ({_judul_evaluasi(k)})."
    else:
        judul = f"Anda ditetapkan memutus keberatan {nama}"
        isi = (
            f"Admin kepegawaian menetapkan Anda sebagai pemutus keberatan {nama} ({_judul_evaluasi(k)}).\n\n"
            f"Alasan: {k.pemutus_dialihkan_alasan}"
        )
    isi += f"\n\nBatas keputusan: {format_tanggal(k.batas_keputusan)}."
    notifikasi.kirim(
        notifikasi.user_pegawai(k.pemutus_id),
        "keberatan",
        f"keberatan-{sebab}:{k.pk}:{k.pemutus_id}",
        judul,
        isi,
        _tautan(k),
    )


def _beritahu_diputus(k: Keberatan) -> None:
    if k.status == Status.DIKABULKAN.value:
        judul = "Keberatan Anda dikabulkan"
        isi = (
            f"Keberatan atas predikat {_judul_evaluasi(k)} dikabulkan: predikat Anda sekarang "
            f"{k.get_predikat_akhir_display()} (sebelumnya {k.get_predikat_awal_display()}). Dokumen "
            f"revisi dapat diunduh dari halaman keberatan.\n\nPertimbangan: {k.keputusan_alasan}"
        )
    else:
        judul = "Keberatan Anda ditolak"
        isi = (
            f"Keberatan atas predikat {_judul_evaluasi(k)} ditolak; predikat tetap "
            f"{k.get_predikat_awal_display()}.\n\nPertimbangan: {k.keputusan_alasan}"
        )
    notifikasi.kirim(
        notifikasi.user_pegawai(k.pegawai_id),
        "keberatan",
        f"keberatan-diputus:{k.pk}",
        judul,
        isi,
        _tautan(k),
    )
