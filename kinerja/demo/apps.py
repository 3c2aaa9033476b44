from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo instansi across every stage (`manage.py seed_demo`)."""

    name = "kinerja.demo"
    verbose_name = "Data demo"
