"""Backup and restore (`manage.py backup` / `restore`): the demo goes into an archive and comes back into an
empty installation with the same rows per model and the same files (docs/rules.md §24.4)."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from kinerja.organisasi import cadangan
from kinerja.organisasi.models import Instansi, User
from tests import builders as b


def _checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _tulis_berkas(root: Path) -> None:
    """Stored files beside the demo's, in sub-folders like the uploads'."""
    (root / "bukti" / "2026").mkdir(parents=True, exist_ok=True)
    (root / "bukti" / "2026" / "laporan.pdf").write_bytes(b"%PDF-1.4 uji cadangan\n" * 50)
    (root / "lampiran").mkdir(exist_ok=True)
    (root / "lampiran" / "catatan.txt").write_text("isi lampiran")


@pytest.mark.django_db(transaction=True)
def test_the_demo_restores_into_an_empty_installation_with_the_same_rows_and_files(
    demo_instansi, tmp_path, capsys
):
    media_lama = Path(settings.MEDIA_ROOT)
    _tulis_berkas(media_lama)
    baris = cadangan.jumlah_baris()
    berkas = _checksums(media_lama)
    assert baris["organisasi.pegawai"] > 30 and baris["perencanaan.skp"] > 30
    assert len(berkas) >= 2

    call_command("backup", folder=str(tmp_path / "backup"))
    keluaran = capsys.readouterr().out
    (arsip,) = (tmp_path / "backup").glob("kinerja-*.tar.gz")
    assert arsip.name[len("kinerja-") :].startswith(tuple("0123456789"))
    assert arsip.stat().st_mode & 0o077 == 0  # readable by its owner only: it holds password hashes
    assert str(arsip) in keluaran and "baris" in keluaran
    with tarfile.open(arsip) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["jumlah_baris"] == baris
    assert {b["path"]: b["sha256"] for b in manifest["berkas"]} == berkas

    # An empty installation: no data in the database, an empty MEDIA_ROOT.
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists() and not Instansi.objects.exists()
    media_baru = tmp_path / "media-baru"
    with override_settings(MEDIA_ROOT=media_baru):
        call_command("restore", str(arsip))
        assert cadangan.jumlah_baris() == baris
        assert _checksums(media_baru) == berkas
        # A second restore finds the installation no longer empty and changes nothing.
        with pytest.raises(Exception, match="tidak kosong"):
            call_command("restore", str(arsip))
        assert cadangan.jumlah_baris() == baris
    admin = User.objects.get(username="admin")
    assert admin.check_password("kinerja-demo")
    assert Instansi.objects.get().admin_users.filter(pk=admin.pk).exists()


@pytest.fixture
def arsip_kecil(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """A well-formed archive of an empty database and one file."""
    isi = {"database.json": b"[]", "media/a.txt": b"halo"}
    manifest = {
        "format": cadangan.FORMAT,
        "migrasi": [],
        "jumlah_baris": {},
        "database": {"path": "database.json", "sha256": hashlib.sha256(b"[]").hexdigest()},
        "berkas": [{"path": "a.txt", "sha256": hashlib.sha256(b"halo").hexdigest(), "ukuran": 4}],
    }
    isi["manifest.json"] = json.dumps(manifest).encode()
    path = tmp_path / "kinerja-20260101-000000.tar.gz"
    _tulis_arsip(path, isi)
    return path


def _tulis_arsip(path: Path, isi: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for nama, data in isi.items():
            info = tarfile.TarInfo(nama)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def terisi(db) -> b.Tim:  # type: ignore[no-untyped-def]
    """An installation with data: a small instansi with its admin and pegawai."""
    return b.atasan_dan_bawahan()


@pytest.mark.django_db
def test_restore_refuses_an_installation_with_data(terisi, arsip_kecil):
    jumlah = User.objects.count()
    with pytest.raises(cadangan.ArsipError, match=r"tidak kosong \(\d+ akun, \d+ instansi"):
        cadangan.restore_arsip(arsip_kecil)
    assert User.objects.count() == jumlah


@pytest.mark.django_db
def test_restore_refuses_a_changed_file_before_writing_anything(terisi, arsip_kecil, tmp_path):
    with tarfile.open(arsip_kecil) as tar:
        isi = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    isi["media/a.txt"] = b"diubah"
    rusak = tmp_path / "rusak.tar.gz"
    _tulis_arsip(rusak, isi)
    with pytest.raises(cadangan.ArsipError, match="Checksum tidak cocok.*media/a.txt"):
        cadangan.restore_arsip(rusak, paksa=True)
    assert User.objects.filter(pk=terisi.admin.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("nama", ["../luar.txt", "/etc/kinerja", "media/../../luar.txt"])
def test_restore_refuses_paths_outside_the_archive(terisi, tmp_path, nama):
    path = tmp_path / "jahat.tar.gz"
    _tulis_arsip(path, {"manifest.json": b"{}", nama: b"x"})
    with pytest.raises(cadangan.ArsipError, match="tidak diizinkan"):
        cadangan.restore_arsip(path, paksa=True)
    assert not (tmp_path.parent / "luar.txt").exists()


@pytest.mark.django_db
def test_restore_refuses_files_not_in_the_manifest(terisi, tmp_path):
    isi = {"database.json": b"[]", "media/lebih.txt": b"x"}
    manifest = {
        "format": cadangan.FORMAT,
        "migrasi": [],
        "jumlah_baris": {},
        "database": {"path": "database.json", "sha256": hashlib.sha256(b"[]").hexdigest()},
        "berkas": [],
    }
    _tulis_arsip(tmp_path / "a.tar.gz", {**isi, "manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(cadangan.ArsipError, match="tidak tercatat.*lebih.txt"):
        cadangan.restore_arsip(tmp_path / "a.tar.gz", paksa=True)


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    path = tmp_path / "bukan.tar.gz"
    path.write_bytes(b"bukan arsip")
    with pytest.raises(cadangan.ArsipError, match="bukan arsip cadangan"):
        cadangan.restore_arsip(path)


@pytest.mark.django_db(transaction=True)
def test_times_come_back_to_the_microsecond(tmp_path):
    # Django's JSON encoder cuts times to milliseconds: two changes within one millisecond would come back
    # equal (history order lost) and every time would differ from the original.
    waktu = datetime.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)
    User.objects.create_user("uji-waktu", password="x", date_joined=waktu, last_login=waktu)
    call_command("backup", folder=str(tmp_path / "backup"))
    (arsip,) = (tmp_path / "backup").glob("kinerja-*.tar.gz")
    call_command("flush", interactive=False, verbosity=0)
    with override_settings(MEDIA_ROOT=tmp_path / "media-baru"):
        call_command("restore", str(arsip))
    user = User.objects.get(username="uji-waktu")
    assert user.date_joined == waktu and user.last_login == waktu
