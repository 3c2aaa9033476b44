"""Storing an uploaded file with the row that owns it (bukti dukung, lampiran keberatan)."""

from __future__ import annotations

from typing import IO, Any

from django.core.files import File


def save_with_file(obj: Any, berkas: IO[bytes], nama: str) -> None:
    """Store ``berkas`` as ``obj.berkas`` named ``nama``, then save ``obj``; when the row cannot be saved the
    stored file is deleted again (no row, no orphan file)."""
    berkas.seek(0)
    obj.berkas.save(nama, File(berkas, name=nama), save=False)
    nama_tersimpan = obj.berkas.name
    try:
        obj.save()
    except Exception:
        obj.berkas.storage.delete(nama_tersimpan)
        raise
