"""Load the starter library of feedback phrases (kinerja.pelaksanaan.umpan_balik.pustaka), without the demo."""

from django.db import migrations


def muat(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kinerja.pelaksanaan.umpan_balik.pustaka import load_pustaka_awal

    load_pustaka_awal(apps.get_model("pelaksanaan", "PustakaUmpanBalik"))


def hapus(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kinerja.pelaksanaan.umpan_balik.pustaka import PUSTAKA_AWAL

    teks = [t for daftar in PUSTAKA_AWAL.values() for t in daftar]
    apps.get_model("pelaksanaan", "PustakaUmpanBalik").objects.filter(instansi=None, teks__in=teks).delete()


class Migration(migrations.Migration):
    dependencies = [("pelaksanaan", "0001_initial")]

    operations = [migrations.RunPython(muat, hapus)]
