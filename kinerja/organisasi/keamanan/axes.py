"""django-axes wired to Kinerja: who is locked, how the client address is read, the lockout page.

docs/rules.md §24.1: a login is locked after `AXES_FAILURE_LIMIT` wrong passwords, an address after
`KINERJA_LOGIN_BATAS_ALAMAT`; both for `AXES_COOLOFF_TIME` after the last failure, or until the admin
kepegawaian unlocks the login.
"""

from __future__ import annotations

import ipaddress
import operator
from functools import reduce
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_session_hash, get_client_username, get_credentials
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.organisasi.forms import LoginForm
from kinerja.organisasi.keamanan import oidc


class KinerjaAxesHandler(AxesDatabaseHandler):
    """Axes compares one failure count with one limit; the address gets a larger budget than the login.

    `AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]` makes axes count the failures per login and per
    address; the address's count is scaled so that it reaches the limit at `KINERJA_LOGIN_BATAS_ALAMAT`.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures of the login and of the address within the lock time: one query for both."""
        per_login, per_alamat = self._jumlah_gagal(request, credentials)
        batas = settings.AXES_FAILURE_LIMIT
        batas_alamat = max(settings.KINERJA_LOGIN_BATAS_ALAMAT, 1)
        return int(max(per_login, per_alamat * batas // batas_alamat))

    def _jumlah_gagal(self, request: Any, credentials: dict[str, Any] | None) -> list[int]:
        """Per lockout parameter (login, address), the sum axes would take with one query each
        (`get_user_attempts`: the attempts of that parameter since the lock time), in one query."""
        parameter = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        syarat = [Q(**p) for p in parameter]
        semua = AccessAttempt.objects.filter(reduce(operator.or_, syarat))
        if settings.AXES_COOLOFF_TIME is not None:
            semua = semua.filter(attempt_time__gte=get_cool_off_threshold(request))
        jumlah = semua.aggregate(
            **{f"n{i}": Sum("failures_since_start", filter=q) for i, q in enumerate(syarat)}
        )
        return [jumlah[f"n{i}"] or 0 for i in range(len(syarat))]

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        """The successful sign-in in the login history (axes' AccessLog), as axes records it, without its
        sweep of expired attempts of every login: an expired attempt counts for nothing (`get_failures` reads
        only those within the lock time), and every failure sweeps them (`user_login_failed`)."""
        username = user.get_username()
        if not settings.AXES_DISABLE_ACCESS_LOG:
            AccessLog.objects.create(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                session_hash=get_client_session_hash(request),
            )
        if settings.AXES_RESET_ON_SUCCESS:
            self.reset_user_attempts(request, get_credentials(username))

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        """An ASN Digital sign-in refused after the provider proved who it is (no login for the NIP, an
        inactive login, no NIP claim) is kept in the history but is no guess: it does not count towards a
        lock, so a pegawai retrying before the admin made the login is not locked out (docs/rules.md §24.5).
        """
        penolakan = getattr(request, "kinerja_oidc_penolakan", None)
        if penolakan is not None and penolakan.alasan in oidc.TIDAK_DIHITUNG:
            AccessFailureLog.objects.create(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                locked_out=False,
            )
            return
        super().user_login_failed(sender, credentials, request, **kwargs)


class KunciLoginBackend(AxesStandaloneBackend):
    """Axes' check before any password is tried.

    Every login over HTTP passes the request (the login form does); a call without one (a management command,
    the test client's `login()`) has no address to throttle and is left to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def alamat_klien(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind N proxies the N-th address from the right of X-Forwarded-For.

    A forwarded value that is no IP address (a proxy that passes the client's own header on) is not used:
    the peer address is (docs/rules.md §24.1).
    """
    jumlah = settings.KINERJA_JUMLAH_PROXY
    if jumlah > 0:
        alamat = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(alamat) >= jumlah:
            try:
                return str(ipaddress.ip_address(alamat[-jumlah]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def menit_kunci() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def pesan_terkunci() -> str:
    return (
        "Terlalu banyak percobaan masuk yang gagal: akun ini atau alamat jaringan Anda dikunci "
        f"sementara selama {menit_kunci()} menit sejak percobaan terakhir. Tunggu, atau minta admin "
        "kepegawaian instansi membuka kunci akun Anda."
    )


def halaman_terkunci(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, with why it refused (HTTP 429); the typed login stays, the password does not."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "terkunci": pesan_terkunci(),
            "oidc_aktif": oidc.aktif(),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
