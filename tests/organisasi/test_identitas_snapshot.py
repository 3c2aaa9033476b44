"""The identity snapshot (docs/rules.md §8.2): one set of fields on the SKP and the evaluation, filled from
the pegawai and jabatan rows of the day and copied from the SKP onto its evaluation."""

from types import SimpleNamespace

from kinerja.organisasi.models import IDENTITAS_FIELDS, IdentitasSnapshot, Jabatan, Pegawai, UnitKerja
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp


def _pemangku(nama: str, nip: str, pangkat: str, jabatan: str, unit: str) -> SimpleNamespace:
    pegawai = Pegawai(nama=nama, gelar_depan="Dr.", gelar_belakang="M.Si.", nip=nip, pangkat_golongan=pangkat)
    return SimpleNamespace(pegawai=pegawai, jabatan=Jabatan(nama=jabatan, unit=UnitKerja(nama=unit)))


def test_skp_and_evaluasi_share_the_snapshot_fields() -> None:
    assert IDENTITAS_FIELDS == (
        "pegawai_nama",
        "pegawai_nip",
        "pegawai_pangkat",
        "pegawai_jabatan",
        "pegawai_unit",
        "penilai_nama",
        "penilai_nip",
        "penilai_pangkat",
        "penilai_jabatan_nama",
        "penilai_unit",
        "atasan_nama",
        "atasan_nip",
        "atasan_pangkat",
        "atasan_jabatan_nama",
        "atasan_unit",
    )
    for model in (Skp, Evaluasi):
        assert issubclass(model, IdentitasSnapshot)
        names = {f.name for f in model._meta.concrete_fields}
        assert set(IDENTITAS_FIELDS) <= names


def test_values_from_the_rows_and_empty_for_nobody() -> None:
    saya = _pemangku("Ani", "199001012015032001", "III/a", "Analis Kebijakan", "Bidang Anggaran")
    penilai = _pemangku("Budi", "198001012005011001", "", "Kepala Bidang", "Bidang Anggaran")
    nilai = IdentitasSnapshot.identitas_values(saya.pegawai, saya.jabatan, penilai, None)
    assert set(nilai) == set(IDENTITAS_FIELDS)
    assert nilai["pegawai_nama"] == "Dr. Ani, M.Si."
    assert nilai["pegawai_nip"] == "199001012015032001"
    assert nilai["pegawai_pangkat"] == saya.pegawai.pangkat_label
    assert nilai["pegawai_jabatan"] == "Analis Kebijakan"
    assert nilai["pegawai_unit"] == "Bidang Anggaran"
    assert nilai["penilai_pangkat"] == ""  # no pangkat recorded: empty, not "-"
    assert nilai["penilai_jabatan_nama"] == "Kepala Bidang"
    assert {k: v for k, v in nilai.items() if k.startswith("atasan_")} == dict.fromkeys(
        ("atasan_nama", "atasan_nip", "atasan_pangkat", "atasan_jabatan_nama", "atasan_unit"), ""
    )


def test_evaluasi_copies_every_field_of_its_skp() -> None:
    skp = Skp(**{name: f"{name}!" for name in IDENTITAS_FIELDS})
    ev = Evaluasi()
    ev.copy_identitas(skp)
    assert {name: getattr(ev, name) for name in IDENTITAS_FIELDS} == {
        name: f"{name}!" for name in IDENTITAS_FIELDS
    }
