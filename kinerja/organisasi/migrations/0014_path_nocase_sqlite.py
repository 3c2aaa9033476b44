"""SQLite: let "everything under X" (``path LIKE 'X%'``) use an index.

SQLite's LIKE is case-insensitive, so it turns a prefix LIKE into an index range only on an index in the
NOCASE collation; the path index in the default collation is read whole instead (the penilai board's
subtree of a 20 000-pegawai instansi: ~12 ms → under 1 ms). PostgreSQL already has Django's
``varchar_pattern_ops`` index on the column for LIKE, so nothing is done there.

The index is not in the models' state (Django has no per-database index), so a later migration that makes
SQLite rebuild one of these tables would drop it: tests/pelaksanaan/test_indeks.py checks the plan.
"""

from django.db import migrations

TABEL = ("organisasi_jabatan", "organisasi_unitkerja")


def buat(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for tabel in TABEL:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{tabel}_path_nocase" ON "{tabel}" (path COLLATE NOCASE)'
        )


def hapus(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for tabel in TABEL:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{tabel}_path_nocase"')


class Migration(migrations.Migration):
    dependencies = [("organisasi", "0013_unit_siasn")]

    operations = [migrations.RunPython(buat, hapus)]
