"""Composite indexes for the lookups of the realisasi page and its save.

"The rencana aksi of these RHK in this periode" had one index per column; without planner statistics
(SQLite before ANALYZE) the periode's was taken and a whole periode of the instansi read (~0.2 s on a
20 000-pegawai instansi). The (rhk, periode) pair fixes the plan on every database and replaces the RHK
index; the same for the unlock of one pegawai and periode. The indikator index of Realisasi duplicated
the first column of its unique (indikator, periode) constraint.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisasi", "0013_unit_siasn"),
        ("pelaksanaan", "0004_notifikasi_pindah"),
        ("perencanaan", "0002_skp_pegawai_jenjang"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rencanaaksi",
            index=models.Index(fields=["rhk", "periode_penilaian"], name="rencanaaksi_rhk_periode"),
        ),
        migrations.AddIndex(
            model_name="bukakunci",
            index=models.Index(fields=["pegawai", "periode_penilaian"], name="bukakunci_pegawai_periode"),
        ),
        migrations.AlterField(
            model_name="rencanaaksi",
            name="rhk",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rencana_aksi",
                to="perencanaan.rhk",
            ),
        ),
        migrations.AlterField(
            model_name="bukakunci",
            name="pegawai",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="buka_kunci",
                to="organisasi.pegawai",
            ),
        ),
        migrations.AlterField(
            model_name="realisasi",
            name="indikator",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="realisasi",
                to="perencanaan.indikator",
            ),
        ),
    ]
