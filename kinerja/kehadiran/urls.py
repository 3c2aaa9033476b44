"""The kehadiran stage's pages, one include per feature."""

from django.urls import path  # noqa: F401

app_name = "kehadiran"

urlpatterns: list = []
