"""The one SKP write path (`services_skp`): a full change is all or nothing with every refusal located in
the change; one part raises the service's own error; workflow steps run on the locked row.

Cast (tests/builders.py): the kepala and the kabid with approved SKP, the pelaksana with a fresh draft.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.perencanaan.skp import services as services_skp
from kinerja.rules.alur import Aksi
from tests import builders as b

pytestmark = pytest.mark.django_db


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    return tim


_tim, tim = b.pemeran_modul(_bangun, "tim")


@pytest.fixture
def pelaksana(tim) -> User:
    return tim.bawahan.user


@pytest.fixture
def kabid(tim) -> User:
    return tim.atasan.user


@pytest.fixture
def draft(tim, pelaksana) -> Skp:
    return services.create_skp(tim.bawahan, tim.periode, pelaksana, datetime.date(2026, 1, 6))


@pytest.fixture
def induk(tim) -> Rhk:
    """The kabid's first RHK, the one the pelaksana's RHK intervene."""
    return Rhk.objects.filter(skp__pegawai=tim.atasan).order_by("urutan").first()


def test_a_full_change_is_saved_whole(draft, pelaksana, induk):
    perubahan = services_skp.PerubahanSkp(
        rhk=[
            services_skp.RhkUbah(
                teks="Tersusunnya laporan kinerja bidang yang tepat waktu",
                intervensi_id=induk.pk,
                indikator=[
                    services_skp.IndikatorUbah(teks="Laporan tepat waktu", target_teks="Setiap triwulan")
                ],
            )
        ],
        lampiran=[services_skp.LampiranUbah(jenis="dukungan", kategori="sdm", teks="Pelatihan")],
    )
    skp = services_skp.update_skp(draft, pelaksana, perubahan)
    assert [r.teks for r in skp.rhk.all()] == ["Tersusunnya laporan kinerja bidang yang tepat waktu"]
    assert skp.rhk.get().indikator.count() == 1
    assert list(skp.lampiran.values_list("teks", flat=True)) == ["Pelatihan"]


def test_a_refused_part_saves_nothing_and_every_refusal_is_located(draft, pelaksana, induk):
    perubahan = services_skp.PerubahanSkp(
        rhk=[
            services_skp.RhkUbah(teks="Tersusunnya laporan kinerja bidang", intervensi_id=induk.pk),
            services_skp.RhkUbah(teks="pendek", intervensi_id=induk.pk),
        ],
        lampiran=[services_skp.LampiranUbah(jenis="dukungan", teks=" ")],
    )
    with pytest.raises(services_skp.PerubahanDitolak) as exc:
        services_skp.update_skp(draft, pelaksana, perubahan)
    assert [loc for loc, _ in exc.value.galat] == [("rhk", 1), ("lampiran", 0)]
    assert "teks" in exc.value.galat[0][1].message_dict
    assert not draft.rhk.exists() and not draft.lampiran.exists()


def test_one_part_raises_the_services_own_error_and_only_the_owner_writes(draft, pelaksana, kabid):
    with pytest.raises(ValidationError) as exc:
        services_skp.PengubahSkp(draft, pelaksana).save_lampiran(jenis="dukungan", teks=" ")
    assert exc.value.message_dict == {"teks": ["Uraian lampiran wajib diisi."]}
    with pytest.raises(PermissionDenied):
        services_skp.PengubahSkp(draft, kabid).save_lampiran(jenis="dukungan", teks="Pelatihan")


def test_kembalikan_without_a_note_names_the_note(draft, pelaksana, kabid, induk):
    pengubah = services_skp.PengubahSkp(draft, pelaksana)
    rhk, _ = pengubah.save_rhk(teks="Tersusunnya laporan kinerja bidang", intervensi=induk)
    pengubah.save_indikator(rhk, teks="Laporan tepat waktu", aspek="kuantitas", target_teks="Tepat waktu")
    skp = services_skp.run_skp(draft, pelaksana, Aksi.AJUKAN)
    assert skp.status == "diajukan"
    with pytest.raises(ValidationError) as exc:
        services_skp.run_skp(skp, kabid, Aksi.KEMBALIKAN, "  ")
    assert list(exc.value.message_dict) == ["catatan"]
    assert services_skp.run_skp(skp, kabid, Aksi.KEMBALIKAN, "Perbaiki.").status == "dikembalikan"
