"""Backup and restore of a whole installation: the database and the stored files (docs/rules.md §24.4).

An archive `kinerja-YYYYMMDD-HHMMSS.tar.gz` holds

- `database.json`: Django's `dumpdata` of every app (natural keys for content types and permissions, which
  `migrate` recreates on the target), so it loads into SQLite or PostgreSQL alike;
- `media/…`: every file under MEDIA_ROOT (bukti dukung, lampiran);
- `manifest.json`: SHA-256 and size of each of those, the row count per model and the migrations applied
  (a restore needs code that has all of them).

Restoring checks every checksum before it writes anything, refuses an installation that already has data
(unless forced), migrates, loads, copies the files and compares the row counts with the manifest.
The archive holds password hashes and token hashes: it is written readable by its owner only.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
FORMAT_DUMP = "json_presisi"  # settings.SERIALIZATION_MODULES
MEDIA = "media"
# Recreated by `migrate` on the target (and referred to by natural key in the dump), or not worth keeping.
DIKECUALIKAN = ("contenttypes", "auth.permission", "sessions")


class ArsipError(Exception):
    """The archive or the target installation is not fit for a restore; nothing was written."""


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def _model_labels() -> list[str]:
    labels = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in DIKECUALIKAN or label in DIKECUALIKAN:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        labels.append(label)
    return sorted(labels)


def jumlah_baris() -> dict[str, int]:
    """Rows per model (base managers: nothing hidden by a default manager's filter)."""
    return {label: apps.get_model(label)._base_manager.count() for label in _model_labels()}


def _migrasi() -> list[str]:
    return sorted(f"{app}.{nama}" for app, nama in MigrationRecorder(connection).applied_migrations())


def _berkas_media(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.exists():
        return
    for dirpath, _dirs, files in os.walk(root):
        for nama in sorted(files):
            path = Path(dirpath) / nama
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


@dataclass(frozen=True)
class Ringkasan:
    arsip: Path
    baris: int
    model: int
    berkas: int
    ukuran: int


def create_arsip(folder: Path, sekarang: datetime.datetime | None = None) -> Ringkasan:
    """Write a dated archive of the database and MEDIA_ROOT into `folder`; returns what it holds."""
    sekarang = timezone.localtime(sekarang or timezone.now())
    folder.mkdir(parents=True, exist_ok=True)
    tujuan = folder / f"kinerja-{sekarang:%Y%m%d-%H%M%S}.tar.gz"
    if tujuan.exists():
        raise ArsipError(f"Arsip {tujuan} sudah ada.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kinerja-backup-") as tmp:
        dump = Path(tmp) / DATABASE
        # One consistent snapshot: the dump and the row counts see the same data.
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                # times to the microsecond (Django's "json" cuts them to milliseconds); loads as "json"
                format=FORMAT_DUMP,
                exclude=list(DIKECUALIKAN),
                natural_foreign=True,
                use_base_manager=True,
                output=str(dump),
                verbosity=0,
            )
            baris = jumlah_baris()
            migrasi = _migrasi()
        berkas = [
            {"path": rel, "sha256": _sha256_file(path), "ukuran": path.stat().st_size}
            for path, rel in _berkas_media(media_root)
        ]
        manifest = {
            "format": FORMAT,
            "dibuat_pada": sekarang.isoformat(),
            "django": django.get_version(),
            "basis_data": connection.vendor,
            "migrasi": migrasi,
            "jumlah_baris": baris,
            "database": {"path": DATABASE, "sha256": _sha256_file(dump), "ukuran": dump.stat().st_size},
            "berkas": berkas,
        }
        sementara = tujuan.with_name(tujuan.name + ".tmp")
        fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(sekarang.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=DATABASE, recursive=False)
                for item in berkas:
                    tar.add(media_root / item["path"], arcname=f"{MEDIA}/{item['path']}", recursive=False)
            os.replace(sementara, tujuan)
        finally:
            if sementara.exists():
                sementara.unlink()
    return Ringkasan(tujuan, sum(baris.values()), len(baris), len(berkas), tujuan.stat().st_size)


def _nama_aman(nama: str) -> bool:
    p = PurePosixPath(nama)
    return not p.is_absolute() and ".." not in p.parts and nama not in {"", "."}


def _baca_arsip(arsip: Path, tmp: Path) -> dict:
    """Unpack into `tmp` after checking every member's name and type; verify every checksum."""
    isi: dict[str, Path] = {}
    try:
        with tarfile.open(arsip, mode="r:gz") as tar:
            for member in tar.getmembers():
                if member.isdir():
                    continue
                if not member.isfile() or not _nama_aman(member.name):
                    raise ArsipError(f"Arsip memuat entri yang tidak diizinkan: {member.name!r}.")
                target = tmp / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                sumber = tar.extractfile(member)
                assert sumber is not None
                with sumber, target.open("wb") as out:
                    shutil.copyfileobj(sumber, out)
                isi[member.name] = target
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise ArsipError(f"{arsip} bukan arsip cadangan Kinerja yang utuh ({exc}).") from exc
    if MANIFEST not in isi:
        raise ArsipError("Arsip tidak memuat manifest.json.")
    manifest = json.loads(isi.pop(MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise ArsipError(f"Format arsip {manifest.get('format')!r} tidak dikenal (yang dikenal: {FORMAT}).")
    diharapkan = {manifest["database"]["path"]: manifest["database"]["sha256"]}
    diharapkan.update({f"{MEDIA}/{b['path']}": b["sha256"] for b in manifest["berkas"]})
    lebih = sorted(set(isi) - set(diharapkan))
    kurang = sorted(set(diharapkan) - set(isi))
    if lebih or kurang:
        raise ArsipError(f"Isi arsip tidak sesuai manifest: tidak tercatat {lebih}, hilang {kurang}.")
    rusak = [nama for nama, sha in diharapkan.items() if _sha256_file(isi[nama]) != sha]
    if rusak:
        raise ArsipError(f"Checksum tidak cocok (arsip rusak atau diubah): {', '.join(rusak)}.")
    return manifest


def _berisi() -> list[str]:
    """Why the installation is not empty: it has a login or an instansi (the rest hangs on them)."""
    from kinerja.organisasi.models import Instansi, User

    if User._meta.db_table not in connection.introspection.table_names():
        return []  # a database never migrated
    alasan = []
    if User.objects.exists():
        alasan.append(f"{User.objects.count()} akun")
    if Instansi.objects.exists():
        alasan.append(f"{Instansi.objects.count()} instansi")
    return alasan


def restore_arsip(arsip: Path, paksa: bool = False) -> Ringkasan:
    """Restore an archive into an empty installation (or, with `paksa`, replace what is there)."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kinerja-restore-") as tmp_name:
        tmp = Path(tmp_name)
        manifest = _baca_arsip(arsip, tmp)
        isi_db = _berisi()
        isi_media = any(True for _ in _berkas_media(media_root))
        if (isi_db or isi_media) and not paksa:
            bagian = isi_db + (["berkas di MEDIA_ROOT"] if isi_media else [])
            raise ArsipError(
                f"Instalasi ini tidak kosong ({', '.join(bagian)}). Pulihkan ke instalasi kosong, atau pakai "
                "--force untuk menghapus semuanya dan menggantinya dengan isi arsip."
            )
        call_command("migrate", interactive=False, verbosity=0)
        baru = sorted(set(manifest["migrasi"]) - set(_migrasi()))
        if baru:
            raise ArsipError(
                f"Arsip dibuat oleh versi Kinerja yang lebih baru (migrasi {', '.join(baru)}): pasang versi "
                "itu dahulu."
            )
        # Empty here means only what migrations put in (content types, permissions, the starter phrase
        # library); flush clears that too and the archive brings its own rows.
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(tmp / manifest["database"]["path"]), verbosity=0)
        if media_root.exists():
            for anak in media_root.iterdir():
                if anak.is_dir() and not anak.is_symlink():
                    shutil.rmtree(anak)
                else:
                    anak.unlink()
        for item in manifest["berkas"]:
            target = media_root / item["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(tmp / MEDIA / item["path"], target)
    baris = jumlah_baris()
    beda = {
        label: (jumlah, baris.get(label, 0))
        for label, jumlah in manifest["jumlah_baris"].items()
        if baris.get(label, 0) != jumlah
    }
    if beda:
        raise ArsipError(f"Jumlah baris setelah pemulihan berbeda dari arsip (arsip, sekarang): {beda}.")
    salah = [b["path"] for b in manifest["berkas"] if _sha256_file(media_root / b["path"]) != b["sha256"]]
    if salah:
        raise ArsipError(f"Berkas setelah pemulihan tidak cocok dengan arsip: {', '.join(salah)}.")
    return Ringkasan(arsip, sum(baris.values()), len(baris), len(manifest["berkas"]), arsip.stat().st_size)
