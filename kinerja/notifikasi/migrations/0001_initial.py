# The Notifikasi model moved here from the pelaksanaan app; its table stays (state only, no SQL).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("pelaksanaan", "0003_iiaa_catatan_dialog_notifikasi"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notifikasi",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("jenis", models.CharField(max_length=30)),
                        ("kunci", models.CharField(max_length=200, unique=True)),
                        ("judul", models.CharField(max_length=200)),
                        ("isi", models.TextField()),
                        ("tautan", models.CharField(blank=True, max_length=300)),
                        ("dikirim_pada", models.DateTimeField(auto_now_add=True)),
                        ("dibaca_pada", models.DateTimeField(blank=True, null=True)),
                        ("email_terkirim", models.BooleanField(default=False)),
                        (
                            "penerima",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifikasi",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "pelaksanaan_notifikasi",
                        "ordering": ["-dikirim_pada"],
                        "indexes": [
                            models.Index(
                                fields=["penerima", "dibaca_pada"], name="pelaksanaan_penerim_f9da0b_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
