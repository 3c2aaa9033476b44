"""Who may do what: every role × object state × permission, against the registered rules themselves
(`kinerja.permissions.allowed`, what services `require`). A state never changes who may: the services
check states separately (docs/rules.md §10, §14, §18)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kinerja.organisasi.models import Periode
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pelaksanaan.models import CatatanKegiatan
from kinerja.penilaian.models import Evaluasi
from kinerja.penilaian.selectors import Kelompok
from kinerja.perencanaan.models import Skp
from kinerja.permissions import allowed
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.keberatan import Status as StatusKeberatan
from kinerja.tindak_lanjut.models import Keberatan
from tests.permissions.conftest import ROLES, Dunia

pytestmark = pytest.mark.django_db

ANGGOTA = {"pemilik", "penilai", "atasan_penilai", "rekan", "admin"}  # of the instansi under test


def _skp(d: Dunia, status: str) -> Skp:
    return Skp(instansi=d.instansi, pegawai=d.staf, penilai=d.kabid, atasan_penilai=d.kepala, status=status)


def _evaluasi(d: Dunia, status: str) -> Evaluasi:
    return Evaluasi(
        instansi=d.instansi, pegawai=d.staf, penilai=d.kabid, atasan_penilai=d.kepala, status=status
    )


def _kelompok(d: Dunia, status: str) -> Kelompok:
    periode = Periode(instansi=d.instansi, tahun=2026)
    return Kelompok(
        penilai=d.kabid,
        unit=d.unit,
        mode="penilai",
        periode=periode,
        periode_penilaian=None,
        evaluasi=[_evaluasi(d, status)],
        belum_dibuka=[],
        capaian=None,
    )


def _keberatan(d: Dunia, status: str) -> Keberatan:
    return Keberatan(instansi=d.instansi, pegawai=d.staf, penilai=d.kabid, pemutus=d.kepala, status=status)


#: object kind → (states, builder)
OBJEK: dict[str, tuple[tuple[str, ...], Callable[[Dunia, str], Any]]] = {
    "skp": (
        (StatusSkp.DRAFT.value, StatusSkp.DIAJUKAN.value, StatusSkp.DISETUJUI.value),
        _skp,
    ),
    "evaluasi": ((StatusEvaluasi.DRAFT.value, StatusEvaluasi.FINAL.value), _evaluasi),
    "kelompok": (
        ("terbuka", "final"),
        lambda d, s: _kelompok(d, StatusEvaluasi.FINAL.value if s == "final" else "draft"),
    ),
    "keberatan": (
        (StatusKeberatan.DIAJUKAN.value, StatusKeberatan.DIJELASKAN.value, StatusKeberatan.DIKABULKAN.value),
        _keberatan,
    ),
    "pegawai": (("aktif",), lambda d, s: d.staf),
    "unit": (("aktif",), lambda d, s: d.unit),
    "instansi": (("aktif",), lambda d, s: d.instansi),
    "catatan": (("ada",), lambda d, s: CatatanKegiatan(pegawai=d.staf)),
    "pekerjaan": (
        ("antre", "selesai", "gagal"),
        lambda d, s: Pekerjaan(instansi=d.instansi, pemilik=d.users["pemilik"], status=s),
    ),
}

#: (permission, object kind) → the roles allowed
HARAPAN: dict[tuple[str, str], set[str]] = {
    ("perencanaan.view_skp", "skp"): {"pemilik", "penilai", "atasan_penilai", "admin", "superuser"},
    ("perencanaan.change_skp", "skp"): {"pemilik"},
    ("perencanaan.approve_skp", "skp"): {"penilai"},
    ("pelaksanaan.change_realisasi", "skp"): {"pemilik"},
    ("pelaksanaan.give_umpan_balik", "skp"): {"penilai", "atasan_penilai"},
    ("pelaksanaan.record_dialog", "skp"): {"penilai", "atasan_penilai"},
    ("penilaian.view_evaluasi", "evaluasi"): {"pemilik", "penilai", "atasan_penilai", "admin", "superuser"},
    ("penilaian.open_evaluasi", "evaluasi"): {"penilai", "atasan_penilai", "admin", "superuser"},
    ("penilaian.rate_evaluasi", "evaluasi"): {"penilai"},
    ("penilaian.adjust_evaluasi", "evaluasi"): {"atasan_penilai"},
    ("penilaian.reopen_evaluasi", "evaluasi"): {"admin", "superuser"},
    ("penilaian.download_keputusan_eksternal", "evaluasi"): {"admin", "superuser"},
    ("tindak_lanjut.file_keberatan", "evaluasi"): {"pemilik"},
    ("penilaian.view_kelompok", "kelompok"): {"penilai", "atasan_penilai", "admin", "superuser"},
    ("penilaian.finalise_kelompok", "kelompok"): {"penilai", "atasan_penilai"},
    ("tindak_lanjut.assign_pemutus", "keberatan"): {"admin", "superuser"},
    ("perencanaan.create_skp", "pegawai"): {"pemilik", "admin", "superuser"},
    ("pelaksanaan.unlock_realisasi", "pegawai"): {"admin", "superuser"},
    ("organisasi.view_pegawai", "pegawai"): {"pemilik", "penilai", "atasan_penilai", "admin", "superuser"},
    ("organisasi.change_pegawai", "pegawai"): {"admin", "superuser"},
    ("organisasi.reset_2fa", "pegawai"): {"admin", "superuser"},
    ("perencanaan.plan_unit", "unit"): {"atasan_penilai", "admin", "superuser"},
    ("perencanaan.view_matriks", "unit"): {"atasan_penilai", "penilai", "admin", "superuser"},
    ("pelaksanaan.view_papan_unit", "unit"): {"atasan_penilai", "admin", "superuser"},
    ("dokumen.unduh_arsip_unit", "unit"): {"atasan_penilai", "admin", "superuser"},
    ("organisasi.manage_instansi", "instansi"): {"admin", "superuser"},
    ("dokumen.manage_ttd", "instansi"): {"admin", "superuser"},
    ("perencanaan.view_rencana_organisasi", "instansi"): ANGGOTA | {"superuser"},
    ("penilaian.change_aturan", "instansi"): {"admin", "superuser"},
    ("penilaian.evaluate_instansi", "instansi"): {"admin", "superuser"},
    ("penilaian.manage_penilai_eksternal", "instansi"): {"admin", "superuser"},
    ("penilaian.manage_penilai_eksternal", "pegawai"): {"admin", "superuser"},
    ("tindak_lanjut.change_tukin", "instansi"): {"admin", "superuser"},
    ("tindak_lanjut.view_kirim_siasn", "instansi"): {"admin", "superuser"},
    ("tindak_lanjut.send_siasn", "instansi"): {"admin", "superuser"},
    ("tindak_lanjut.check_data_siasn", "instansi"): {"admin", "superuser"},
    ("tindak_lanjut.import_id_siasn", "instansi"): {"admin", "superuser"},
    ("kehadiran.manage_kehadiran", "instansi"): {"admin", "superuser"},
    ("kehadiran.view_kalender", "instansi"): ANGGOTA | {"superuser"},
    ("kehadiran.view_belum_mencatat", "pegawai"): {"penilai", "atasan_penilai"},
    ("pelaksanaan.change_catatan", "catatan"): {"pemilik"},
    ("pekerjaan.view_pekerjaan", "pekerjaan"): {"pemilik", "admin", "superuser"},
    ("pekerjaan.restart_pekerjaan", "pekerjaan"): {"pemilik", "admin", "superuser"},
}

KASUS = [
    pytest.param(perm, jenis, keadaan, peran, peran in boleh, id=f"{perm}-{jenis}:{keadaan}-{peran}")
    for (perm, jenis), boleh in HARAPAN.items()
    for keadaan in OBJEK[jenis][0]
    for peran in ROLES
]


@pytest.mark.parametrize(("perm", "jenis", "keadaan", "peran", "harapan"), KASUS)
def test_matriks(dunia: Dunia, perm: str, jenis: str, keadaan: str, peran: str, harapan: bool) -> None:
    obj = OBJEK[jenis][1](dunia, keadaan)
    assert allowed(dunia.users[peran], perm, obj) is harapan


def test_superuser_has_perm_still_says_yes_to_reads(dunia: Dunia) -> None:
    """`user.has_perm` (views and templates) gives an active superuser every permission, as Django does;
    the writes' `require` asks the rule (above)."""
    skp = _skp(dunia, StatusSkp.DRAFT.value)
    su = dunia.users["superuser"]
    assert su.has_perm("perencanaan.view_skp", skp)
    assert not allowed(su, "perencanaan.change_skp", skp)


def test_every_registered_permission_is_in_the_matrix() -> None:
    import rules

    tercatat = set(rules.permissions.permissions)
    diuji = {perm for perm, _ in HARAPAN} | {
        "dokumen.view_identitas",  # tests/dokumen (the verification page)
        "dokumen.sign_dokumen",  # tests/dokumen/test_ttd_alur_* (slots of saved documents and signatures)
        "dokumen.sign_keputusan_keberatan",  # tests/dokumen/test_ttd_keberatan_* (a saved, decided keberatan)
        "dokumen.sign_skp",  # tests/dokumen/test_ttd_alur_* (the SKP page's button)
        "dokumen.sign_evaluasi",  # tests/dokumen/test_ttd_alur_evaluasi (the evaluation page's button)
        "dokumen.sign_penetapan",  # tests/dokumen/test_ttd_alur_penetapan (the group page's button)
        "dokumen.number_penetapan",  # tests/dokumen/test_penetapan_keputusan (an issued, final penetapan)
        "organisasi.view_org",  # navigation: superuser or any admin kepegawaian
        "organisasi.create_instansi",  # superuser only
        "perencanaan.change_perjanjian",  # tests/perencanaan
        "perencanaan.view_progres",  # admin of the instansi
        "pelaksanaan.finish_tindak_lanjut",  # tests/pelaksanaan (dialog follow-ups)
        # The kehadiran stage's request and TPP permissions: tested by the features that use them.
        "kehadiran.view_kehadiran",
        "kehadiran.request_kehadiran",
        "kehadiran.cancel_pengajuan",
        "kehadiran.decide_pengajuan",
        "kehadiran.view_tpp",
    }
    assert tercatat == diuji
