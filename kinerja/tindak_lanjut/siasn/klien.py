"""The SIASN web-service client (docs/rules.md §21.7), behind the :class:`KlienSiasn` interface.

Every call carries two tokens: the API gateway's (OAuth2 client
credentials of the instansi's registered application) as ``Authorization: Bearer …`` and the SSO token of
the instansi's operator account (BKN's Keycloak realm, password grant) as ``Auth: bearer …``. Both are
fetched on first use and again shortly before they expire, or once more after a 401. Tokens and passwords
are never logged, never put in an exception message, never written anywhere.

429 and 503 (rate limits and outages are normal) are retried with exponential backoff, honouring
``Retry-After`` up to a cap; every other error is raised at once as :class:`SiasnError` with SIASN's own
error text, so the send record can show it.

Configured from the environment (:meth:`Konfigurasi.from_env`, variables in the README). Standard library
only (``urllib``): the client needs no dependency in production.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import os
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: Environment variable → Konfigurasi field. All are required once SIASN_GATEWAY_URL is set.
ENV = {
    "SIASN_GATEWAY_URL": "gateway_url",
    "SIASN_GATEWAY_TOKEN_URL": "gateway_token_url",
    "SIASN_GATEWAY_CLIENT_ID": "gateway_client_id",
    "SIASN_GATEWAY_CLIENT_SECRET": "gateway_client_secret",
    "SIASN_SSO_TOKEN_URL": "sso_token_url",
    "SIASN_SSO_CLIENT_ID": "sso_client_id",
    "SIASN_SSO_USERNAME": "sso_username",
    "SIASN_SSO_PASSWORD": "sso_password",
}
#: Status codes retried with backoff.
ULANGI = frozenset({429, 503})
#: A token is renewed this many seconds before SIASN says it expires.
MARGIN_TOKEN = 30


class SiasnError(Exception):
    """A call SIASN refused or could not answer; ``pesan`` is SIASN's own text (or what went wrong)."""

    def __init__(self, pesan: str, status: int | None = None):
        super().__init__(pesan)
        self.pesan = pesan
        self.status = status


class KonfigurasiError(SiasnError):
    pass


class SiasnTakTerjangkau(SiasnError):
    """SIASN could not be reached at all (network, DNS, timeout): worth another attempt later."""


@dataclass(frozen=True)
class Konfigurasi:
    gateway_url: str
    gateway_token_url: str
    gateway_client_id: str
    gateway_client_secret: str = field(repr=False)
    sso_token_url: str
    sso_client_id: str
    sso_username: str
    sso_password: str = field(repr=False)
    timeout: float = 30.0
    percobaan: int = 5
    jeda: float = 1.0
    jeda_maks: float = 60.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Konfigurasi | None:
        """The configuration in the environment; None when SIASN is not configured at all (no
        ``SIASN_GATEWAY_URL``); :class:`KonfigurasiError` naming every missing variable otherwise."""
        env = os.environ if environ is None else environ
        if not env.get("SIASN_GATEWAY_URL"):
            return None
        kurang = [k for k in ENV if not env.get(k, "").strip()]
        if kurang:
            raise KonfigurasiError(f"Konfigurasi SIASN belum lengkap: {', '.join(kurang)} belum diisi.")
        bukan_http = [
            k for k in ENV if k.endswith("_URL") and not env[k].strip().startswith(("https://", "http://"))
        ]
        if bukan_http:
            raise KonfigurasiError(
                f"Konfigurasi SIASN: {', '.join(bukan_http)} harus berupa alamat http(s)://."
            )
        return cls(**{attr: env[k].strip() for k, attr in ENV.items()})


class KlienSiasn(Protocol):
    """What the send service needs from SIASN (a fake in tests implements the same over HTTP)."""

    def data_utama(self, nip: str) -> dict[str, Any]: ...

    def save(self, endpoint: str, body: Mapping[str, Any]) -> str: ...

    def upload(self, id_ref_dokumen: str, nama: str, isi: bytes) -> dict[str, Any]: ...


@dataclass
class _Token:
    nilai: str
    habis: float


class KlienHttp:
    """The real client. ``sleep`` and ``clock`` are injectable so the backoff can be tested quickly."""

    def __init__(
        self,
        konfigurasi: Konfigurasi,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.k = konfigurasi
        self._sleep = sleep
        self._clock = clock
        self._gateway: _Token | None = None
        self._sso: _Token | None = None

    # --- tokens ------------------------------------------------------------------------------------------

    def _ambil_token(self, url: str, data: dict[str, str], auth: tuple[str, str] | None) -> _Token:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        if auth is not None:
            kunci = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {kunci}"
        status, isi = self._kirim("POST", url, urllib.parse.urlencode(data).encode(), headers)
        if status != 200 or not isinstance(isi, dict) or not isi.get("access_token"):
            # The answer may echo what was sent: only the status is reported, never the body.
            raise SiasnError(f"Token SIASN tidak diberikan oleh {_host(url)} (HTTP {status}).", status)
        umur = isi.get("expires_in")
        umur = float(umur) if isinstance(umur, int | float) and not isinstance(umur, bool) else 300.0
        return _Token(str(isi["access_token"]), self._clock() + umur - MARGIN_TOKEN)

    def _token(self) -> tuple[str, str]:
        kini = self._clock()
        if self._gateway is None or self._gateway.habis <= kini:
            self._gateway = self._ambil_token(
                self.k.gateway_token_url,
                {"grant_type": "client_credentials"},
                (self.k.gateway_client_id, self.k.gateway_client_secret),
            )
        if self._sso is None or self._sso.habis <= kini:
            self._sso = self._ambil_token(
                self.k.sso_token_url,
                {
                    "grant_type": "password",
                    "client_id": self.k.sso_client_id,
                    "username": self.k.sso_username,
                    "password": self.k.sso_password,
                },
                None,
            )
        return self._gateway.nilai, self._sso.nilai

    # --- transport ---------------------------------------------------------------------------------------

    def _kirim(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> tuple[int, Any]:
        """One HTTP exchange, retried on 429/503 with backoff: (status, parsed JSON or text)."""
        for percobaan in range(1, self.k.percobaan + 1):
            # S310: the URLs come from the configuration, checked to be http(s) in Konfigurasi.from_env.
            req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
            try:
                with urllib.request.urlopen(req, timeout=self.k.timeout) as resp:  # noqa: S310
                    status, raw, retry_after = resp.status, resp.read(), None
            except urllib.error.HTTPError as e:
                status, raw, retry_after = e.code, e.read(), e.headers.get("Retry-After")
            # HTTPException: the connection dropped mid-answer (IncompleteRead, a bad status line).
            except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as e:
                alasan = getattr(e, "reason", e)
                raise SiasnTakTerjangkau(f"SIASN tidak dapat dihubungi ({_host(url)}): {alasan}.") from None
            if status in ULANGI and percobaan < self.k.percobaan:
                jeda = min(self.k.jeda * 2 ** (percobaan - 1), self.k.jeda_maks)
                if retry_after and retry_after.isdigit():
                    jeda = min(float(retry_after), self.k.jeda_maks)
                log.info("SIASN %s %s: HTTP %s, dicoba lagi dalam %.1f s", method, _path(url), status, jeda)
                self._sleep(jeda)
                continue
            return status, _baca(raw)
        raise AssertionError("unreachable")  # pragma: no cover

    def _panggil(self, method: str, path: str, data: bytes | None, content_type: str | None) -> Any:
        url = urllib.parse.urljoin(self.k.gateway_url.rstrip("/") + "/", path)
        for ulang_token in (False, True):
            gateway, sso = self._token()
            headers = {
                "Authorization": f"Bearer {gateway}",
                "Auth": f"bearer {sso}",
                "Accept": "application/json",
            }
            if content_type:
                headers["Content-Type"] = content_type
            status, isi = self._kirim(method, url, data, headers)
            if status == 401 and not ulang_token:
                self._gateway = self._sso = None  # revoked or expired early: fetch both again, once
                continue
            break
        log.info("SIASN %s %s: HTTP %s", method, path, status)
        if status >= 400 or (isinstance(isi, dict) and isi.get("success") is False):
            raise SiasnError(_pesan(isi, status), status)
        return isi

    # --- the calls ---------------------------------------------------------------------------------------

    def data_utama(self, nip: str) -> dict[str, Any]:
        """``GET pns/data-utama/{nip}`` → the PNS's record (``id`` is the SIASN id)."""
        isi = self._panggil("GET", f"pns/data-utama/{urllib.parse.quote(nip)}", None, None)
        data = isi.get("data") if isinstance(isi, dict) else None
        if not isinstance(data, dict) or not data.get("id"):
            raise SiasnError(f"SIASN tidak mengembalikan data utama untuk NIP {nip}.")
        return data

    def ref_unor(self) -> list[Any]:
        """``GET referensi/ref-unor`` → every unor (unit) SIASN holds for the operator's instansi."""
        isi = self._panggil("GET", "referensi/ref-unor", None, None)
        data = isi.get("data") if isinstance(isi, dict) else None
        if not isinstance(data, list):
            raise SiasnError("SIASN tidak mengembalikan daftar unor (referensi/ref-unor).")
        return data

    def save(self, endpoint: str, body: Mapping[str, Any]) -> str:
        """``POST kinerjaperiodik/save`` or ``skp22/save`` with one JSON body → the record's SIASN id."""
        isi = self._panggil("POST", endpoint, json.dumps(body).encode(), "application/json")
        map_data = isi.get("mapData") if isinstance(isi, dict) else None
        record_id = map_data.get("id") if isinstance(map_data, dict) else None
        if not record_id:
            raise SiasnError(f"SIASN menerima {endpoint} tetapi tidak mengembalikan ID riwayat.")
        return str(record_id)

    def upload(self, id_ref_dokumen: str, nama: str, isi: bytes) -> dict[str, Any]:
        """``POST upload-dok`` (multipart ``file`` + ``id_ref_dokumen``) → the document for ``path``."""
        batas = f"kinerja-{secrets.token_hex(12)}"
        badan = _multipart(batas, {"id_ref_dokumen": id_ref_dokumen}, ("file", nama, isi, "application/pdf"))
        jawab = self._panggil("POST", "upload-dok", badan, f"multipart/form-data; boundary={batas}")
        data = jawab.get("data") if isinstance(jawab, dict) else None
        if not isinstance(data, dict) or not data.get("dok_uri"):
            raise SiasnError("SIASN tidak mengembalikan data dokumen yang diunggah.")
        return data


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def _baca(raw: bytes) -> Any:
    teks = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(teks)
    except ValueError:
        return teks


def _pesan(isi: Any, status: int) -> str:
    """SIASN's error text: ``message`` (or ``error_description`` / ``error``), else the raw text."""
    if isinstance(isi, dict):
        for kunci in ("message", "error_description", "error", "data"):
            if isinstance(isi.get(kunci), str) and isi[kunci].strip():
                return f"HTTP {status}: {isi[kunci].strip()}"
    teks = str(isi).strip()[:500] if isi else ""
    return f"HTTP {status}: {teks}" if teks else f"HTTP {status}"


def _multipart(batas: str, fields: Mapping[str, str], berkas: tuple[str, str, bytes, str]) -> bytes:
    bagian: list[bytes] = []
    for nama, nilai in fields.items():
        bagian.append(
            f'--{batas}\r\nContent-Disposition: form-data; name="{nama}"\r\n\r\n{nilai}\r\n'.encode()
        )
    field_name, nama_berkas, isi, tipe = berkas
    kepala = (
        f'--{batas}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{nama_berkas}"\r\n'
        f"Content-Type: {tipe}\r\n\r\n"
    )
    bagian.append(kepala.encode() + isi + b"\r\n")
    bagian.append(f"--{batas}--\r\n".encode())
    return b"".join(bagian)


#: One client per configuration in this process: a worker running many sends reuses its two tokens until
#: they near expiry instead of asking BKN's token endpoints twice per send (rate limits, docs/rules.md §21.7).
_KLIEN: dict[Konfigurasi, KlienHttp] = {}


def klien_from_env() -> KlienHttp | None:
    """The client configured from the environment, or None when SIASN is not configured."""
    k = Konfigurasi.from_env()
    if k is None:
        return None
    if k not in _KLIEN:
        _KLIEN.clear()  # the configuration changed: the old client's tokens belong to the old one
        _KLIEN[k] = KlienHttp(k)
    return _KLIEN[k]


BELUM_DIKONFIGURASI = (
    "SIASN belum dikonfigurasi di server: variabel lingkungan SIASN_GATEWAY_URL dan lainnya belum diisi "
    "(README, bagian SIASN). Hubungi pengelola server."
)


def klien_wajib() -> KlienHttp:
    """The configured client, for work that cannot go on without SIASN; :class:`KonfigurasiError` saying
    what to set when SIASN is not configured or only half."""
    klien = klien_from_env()
    if klien is None:
        raise KonfigurasiError(BELUM_DIKONFIGURASI)
    return klien
