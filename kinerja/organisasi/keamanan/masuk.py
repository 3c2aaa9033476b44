"""What a successful sign-in writes besides the session and the login history (django-axes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

from kinerja.organisasi.models import User


def catat_masuk_terakhir(sender: Any, user: Any, **kwargs: Any) -> None:
    """`last_login`, as Django's own receiver sets it, with one UPDATE instead of a model save: the save's
    signals would drop the user's cached navigation (kinerja/dashboard/invalidasi.py) at every sign-in,
    although nothing it shows depends on the time of the last sign-in."""
    user.last_login = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=user.last_login)


def connect() -> None:
    """Replace `django.contrib.auth.models.update_last_login` (connected by the auth app) with the above."""
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(catat_masuk_terakhir, dispatch_uid="kinerja-masuk-terakhir")
