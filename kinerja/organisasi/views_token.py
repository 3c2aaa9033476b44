"""The "Token API" page: every logged-in user lists, creates and revokes their own personal API tokens.

A new token is shown once, in the response to the form that created it; only its SHA-256 is stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kinerja.common.token import form_buat_token
from kinerja.organisasi import services
from kinerja.organisasi.forms import BootstrapMixin
from kinerja.organisasi.models import ApiToken


class TokenForm(BootstrapMixin, forms.Form):
    nama = forms.CharField(
        label="Nama token",
        max_length=100,
        help_text="Untuk mengenali pemakainya nanti, mis. “Dasbor unit” atau “Skrip rekap”.",
    )


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form, token_baru = form_buat_token(
        request, TokenForm, lambda nama: services.create_token(request.user, nama)
    )
    return render(
        request,
        "organisasi/token_list.html",
        {
            "form": form,
            "token_baru": token_baru,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-dibuat_pada"),
            "api_base": request.build_absolute_uri("/api/v1/"),
        },
    )


@require_POST
@login_required
def token_cabut(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token, request.user)
    messages.success(
        request, f"Token “{token.nama}” dicabut; aplikasi yang memakainya tidak dapat masuk lagi."
    )
    return redirect("organisasi:token_list")
