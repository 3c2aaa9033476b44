"""Writes of a rating group: its finalisation, and the calibration page's request to revise (docs/rules.md
§15).

`finalise_kelompok` finalises every evaluation of a group at once after checking the pola distribusi and
tells each pegawai their predikat (the keberatan window starts there, docs/rules.md §18).

The request is a notification (`kinerja.notifikasi.services.kirim`, in the app and by email) to the
group's penilai (a "unit" group: its head and every penilai with a member). It is idempotent by the
request's ``token`` (a retried or double-clicked submit sends one notification); the notification row
records who asked, when and what.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.notifikasi import services as notifikasi
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import Pegawai, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.penilaian import notifikasi as pesan_penilaian
from kinerja.penilaian import selectors, signals
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
from kinerja.penilaian.selectors import Kelompok
from kinerja.penilaian.services import _kalimat, _label_periode, _simpan, _transisi
from kinerja.permissions import peran_evaluasi, require
from kinerja.permissions.penilaian import akses_kelompok, kepala_kelompok
from kinerja.rules import evaluasi as alur
from kinerja.rules import keberatan as keberatan_rules
from kinerja.rules.evaluasi import Aksi, ModeFinalisasi, Peran, Status

PANJANG_PESAN = 2000


@transaction.atomic
def request_revisi(
    kel: Kelompok,
    oleh: User,
    pesan: str,
    tautan: str,
    token: str = "",
    *,
    tanggal: datetime.date | None = None,
) -> list[Notifikasi]:
    """Notify the penilai of ``kel`` that ``oleh`` (above them) asks for a revision of the ratings."""
    tanggal = tanggal or sk.PilihanPeriode(kel.periode, kel.periode_penilaian, []).tanggal
    if not akses_kelompok(oleh, kel, tanggal).atasan:
        raise PermissionDenied(
            "Permintaan revisi hanya dapat dikirim oleh atasan pejabat penilai kelompok ini."
        )
    if kel.evaluasi and all(e.status == Status.FINAL.value for e in kel.evaluasi) and not kel.belum_dibuka:
        raise ValidationError(
            "Semua evaluasi kelompok ini sudah final; tidak ada yang dapat direvisi pejabat penilai. "
            "Admin kepegawaian dapat membuka kembali evaluasi bila perlu."
        )
    pesan = (pesan or "").strip()
    if not pesan:
        raise ValidationError({"pesan": "Tuliskan apa yang perlu direvisi."})
    if len(pesan) > PANJANG_PESAN:
        raise ValidationError({"pesan": f"Pesan paling panjang {PANJANG_PESAN} karakter."})
    token = re.sub(r"[^A-Za-z0-9-]", "", token or "")[:40] or hashlib.sha256(pesan.encode()).hexdigest()[:16]
    kepala = kepala_kelompok(kel, tanggal)
    penilai_ids = {kepala.pk} if kepala is not None else set()
    if kel.mode == "unit":
        penilai_ids |= {e.penilai_id for e in kel.evaluasi if e.penilai_id}
    penilai_ids.discard(oleh.pegawai_id)
    if not penilai_ids:
        raise ValidationError("Kelompok ini tidak memiliki pejabat penilai yang dapat diberi tahu.")
    penerima = list(User.objects.filter(pegawai_id__in=penilai_ids, is_active=True).order_by("pk"))
    if not penerima:
        raise ValidationError("Pejabat penilai kelompok ini belum memiliki akun untuk menerima notifikasi.")
    siapa = notifikasi.nama_user(oleh)
    periode = kel.periode_penilaian.nama if kel.periode_penilaian else f"Akhir (tahunan) {kel.periode.tahun}"
    judul = f"Permintaan revisi rating {periode} dari {siapa}"
    isi = (
        f"{siapa} meminta Anda meninjau kembali rating kelompok penilaian {kel.unit.nama} untuk "
        f"{periode}:\n\n{pesan}"
    )
    hasil = []
    periode_kunci = kel.periode_penilaian.pk if kel.periode_penilaian else "akhir"
    for u in penerima:
        kunci = f"minta-revisi:{oleh.pk}:{u.pk}:{kel.periode.pk}:{periode_kunci}:{token}"
        n = notifikasi.kirim(u, "minta_revisi", kunci, judul, isi, tautan)
        if n is not None:
            hasil.append(n)
    return hasil


# --- finalisation of a group ----------------------------------------------------------------------------


@transaction.atomic
def finalise_kelompok(
    penilai: Pegawai | None,
    periode: Periode,
    periode_penilaian: PeriodePenilaian | None,
    oleh: User,
    alasan: str = "",
    *,
    unit: UnitKerja | None = None,
) -> FinalisasiKelompok:
    """Finalise every evaluation of a rating group (`selectors.kelompok`) for a periode or the year.

    Every member must be rated; the pola distribusi of the group's capaian organisasi is checked and the
    instansi's mode decides: ``blokir`` refuses while violations remain, ``peringatan`` (default) needs a
    written reason. The findings, the reason, the version of the instansi's pola distribusi rules the
    group was checked against (`selectors_aturan.aturan_berlaku`), the group-size minimum in force and, when
    the curve was "tidak dapat diterapkan", why, are recorded in `FinalisasiKelompok`.
    """
    kel = selectors.kelompok(penilai, periode_penilaian, periode=periode, unit=unit)
    if not kel.evaluasi and not kel.belum_dibuka:
        raise ValidationError("Kelompok ini belum memiliki evaluasi untuk difinalisasi.")
    evs = list(
        Evaluasi.objects.select_for_update(of=("self",))
        .filter(pk__in=[e.pk for e in kel.evaluasi])
        .select_related("skp__penilai_jabatan", "periode", "periode_penilaian")
        .order_by("pegawai_nama", "pk")
    )
    require(
        oleh,
        "penilaian.finalise_kelompok",
        kel,
        "Finalisasi kelompok dilakukan oleh pejabat penilai kelompok ini atau atasannya.",
    )
    if kel.belum_dibuka:
        nama = ", ".join(s.pegawai_nama for s in kel.belum_dibuka)
        raise ValidationError(_kalimat(f"Evaluasi belum dibuka dan dinilai untuk: {nama}"))
    belum = [e.pegawai_nama for e in evs if not e.predikat or e.status == Status.DRAFT.value]
    if belum:
        raise ValidationError(
            _kalimat(f"Belum dinilai: {', '.join(belum)}") + " Semua pegawai kelompok harus dinilai dahulu."
        )
    terbuka = [e for e in evs if e.status != Status.FINAL.value]
    if not terbuka:
        raise ValidationError("Semua evaluasi kelompok ini sudah final.")
    if kel.capaian is None or kel.cek is None:
        raise ValidationError(
            f"Capaian kinerja organisasi {kel.unit.nama} untuk {_label_periode(periode, periode_penilaian)} "
            "belum ditetapkan; pola distribusi belum dapat diperiksa."
        )
    pelanggaran = kel.pelanggaran_dengan_nama()
    mode = ModeFinalisasi(periode.instansi.distribusi_mode)
    keputusan = alur.may_finalise(len(pelanggaran), mode, alasan or "")
    if not keputusan.boleh:
        rincian = " ".join(
            f"{p['pesan']} ({', '.join(p['pegawai'])})" if p["pegawai"] else p["pesan"] for p in pelanggaran
        )
        pesan = f"{keputusan.pesan} {rincian}".strip()
        raise ValidationError({"alasan": pesan} if keputusan.wajib_alasan else pesan)
    now = timezone.now()
    for e in terbuka:
        peran = Peran.PENILAI if Peran.PENILAI in peran_evaluasi(e, oleh) else Peran.ATASAN_PENILAI
        _transisi(e, Aksi.FINALISASI, peran)
        e.final_pada, e.final_oleh = now, oleh
        e.finalisasi_ke += 1
        e.diberitahu_pada = now
        _simpan(e, oleh)
        signals.evaluasi_final.send(sender=Evaluasi, evaluasi=e, sebab="finalisasi")
    _beritahu_final(terbuka, periode.instansi, now)
    fin = FinalisasiKelompok(
        instansi_id=periode.instansi_id,
        periode=periode,
        periode_penilaian=periode_penilaian,
        penilai=penilai if kel.mode == "penilai" else None,
        unit_kelompok=kel.unit,
        # The group without a penilai (the head of the instansi) is its own group in either mode: recorded
        # as such, never as the unit group of the same unit (docs/rules.md §3.8).
        kelompok=kel.mode if penilai is not None else "penilai",
        capaian_organisasi=kel.capaian.nilai,
        jumlah_pegawai=len(evs),
        pelanggaran=pelanggaran,
        alasan=(alasan or "").strip() if pelanggaran else "",
        versi_aturan=kel.versi_aturan,
        # A curve that could not be applied is recorded with its reason (docs/rules.md §3.4, §15).
        sebab_tidak_diterapkan=kel.cek.sebab.value if kel.cek.sebab is not None else "",
        alasan_tidak_diterapkan=kel.cek.reason or "" if not kel.cek.applicable else "",
        minimal_kelompok=kel.minimal,
        oleh=oleh,
    )
    fin._history_user = oleh  # type: ignore[attr-defined]
    fin.save()
    return fin


def _beritahu_final(evs: list[Evaluasi], instansi: Any, now: datetime.datetime) -> None:
    """Tell each pegawai of a finalised group their predikat and the last day to object (one notice per
    pegawai and finalisation; in-app with the finalisation, the email after commit). The keberatan window
    starts at this notice (`Evaluasi.diberitahu_pada`; docs/rules.md §18)."""
    users = {
        u.pegawai_id: u
        for u in User.objects.filter(pegawai_id__in=[e.pegawai_id for e in evs], is_active=True).order_by(
            "-pk"  # several accounts of one pegawai: the oldest, as elsewhere
        )
    }
    for e in evs:
        batas = None
        if e.is_tahunan or instansi.keberatan_periodik:
            batas = keberatan_rules.batas(timezone.localdate(now), instansi.keberatan_hari_pengajuan)
        pesan_penilaian.evaluasi_final(e, users.get(e.pegawai_id), batas)
