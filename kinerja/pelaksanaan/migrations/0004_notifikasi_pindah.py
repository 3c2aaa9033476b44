# The Notifikasi model moved to the notifikasi app; its table stays (state only, no SQL).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifikasi", "0001_initial"),
        ("pelaksanaan", "0003_iiaa_catatan_dialog_notifikasi"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notifikasi")],
            database_operations=[],
        ),
    ]
