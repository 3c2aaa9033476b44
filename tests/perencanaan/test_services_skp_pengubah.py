"""The one SKP write path (`services_skp`): a full change is all or nothing with every refusal located in
the change; one part raises the service's own error; workflow steps run on the locked row."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import Pegawai, Periode, User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.perencanaan.skp import services as services_skp
from kinerja.rules.alur import Aksi

pytestmark = pytest.mark.django_db

KABID, PELAKSANA = "197904182005012005", "199108162015031001"


def user(nip: str) -> User:
    return User.objects.get(username=nip)


@pytest.fixture
def draft(demo_instansi) -> Skp:
    Skp.objects.filter(pegawai__nip=PELAKSANA).delete()
    peg = Pegawai.objects.get(nip=PELAKSANA)
    return services.create_skp(
        peg, Periode.objects.get(instansi=demo_instansi), user(PELAKSANA), datetime.date(2026, 1, 6)
    )


def induk() -> Rhk:
    return Rhk.objects.filter(skp__pegawai__nip=KABID).order_by("urutan").first()


def test_a_full_change_is_saved_whole(draft):
    perubahan = services_skp.PerubahanSkp(
        rhk=[
            services_skp.RhkUbah(
                teks="Tersusunnya laporan kinerja bidang yang tepat waktu",
                intervensi_id=induk().pk,
                indikator=[
                    services_skp.IndikatorUbah(teks="Laporan tepat waktu", target_teks="Setiap triwulan")
                ],
            )
        ],
        lampiran=[services_skp.LampiranUbah(jenis="dukungan", kategori="sdm", teks="Pelatihan")],
    )
    skp = services_skp.update_skp(draft, user(PELAKSANA), perubahan)
    assert [r.teks for r in skp.rhk.all()] == ["Tersusunnya laporan kinerja bidang yang tepat waktu"]
    assert skp.rhk.get().indikator.count() == 1
    assert list(skp.lampiran.values_list("teks", flat=True)) == ["Pelatihan"]


def test_a_refused_part_saves_nothing_and_every_refusal_is_located(draft):
    perubahan = services_skp.PerubahanSkp(
        rhk=[
            services_skp.RhkUbah(teks="Tersusunnya laporan kinerja bidang", intervensi_id=induk().pk),
            services_skp.RhkUbah(teks="pendek", intervensi_id=induk().pk),
        ],
        lampiran=[services_skp.LampiranUbah(jenis="dukungan", teks=" ")],
    )
    with pytest.raises(services_skp.PerubahanDitolak) as exc:
        services_skp.update_skp(draft, user(PELAKSANA), perubahan)
    assert [loc for loc, _ in exc.value.galat] == [("rhk", 1), ("lampiran", 0)]
    assert "teks" in exc.value.galat[0][1].message_dict
    assert not draft.rhk.exists() and not draft.lampiran.exists()


def test_one_part_raises_the_services_own_error_and_only_the_owner_writes(draft):
    with pytest.raises(ValidationError) as exc:
        services_skp.PengubahSkp(draft, user(PELAKSANA)).save_lampiran(jenis="dukungan", teks=" ")
    assert exc.value.message_dict == {"teks": ["Uraian lampiran wajib diisi."]}
    with pytest.raises(PermissionDenied):
        services_skp.PengubahSkp(draft, user(KABID)).save_lampiran(jenis="dukungan", teks="Pelatihan")


def test_kembalikan_without_a_note_names_the_note(draft):
    pengubah = services_skp.PengubahSkp(draft, user(PELAKSANA))
    rhk, _ = pengubah.save_rhk(teks="Tersusunnya laporan kinerja bidang", intervensi=induk())
    pengubah.save_indikator(rhk, teks="Laporan tepat waktu", aspek="kuantitas", target_teks="Tepat waktu")
    skp = services_skp.run_skp(draft, user(PELAKSANA), Aksi.AJUKAN)
    assert skp.status == "diajukan"
    with pytest.raises(ValidationError) as exc:
        services_skp.run_skp(skp, user(KABID), Aksi.KEMBALIKAN, "  ")
    assert list(exc.value.message_dict) == ["catatan"]
    assert services_skp.run_skp(skp, user(KABID), Aksi.KEMBALIKAN, "Perbaiki.").status == "dikembalikan"
