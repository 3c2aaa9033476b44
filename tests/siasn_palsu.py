"""A strict local fake of the SIASN web services, a real HTTP server on 127.0.0.1 (tests only).

It implements what the client uses, with the shapes of docs/rules.md §21.6 (read from public SIASN client
code): the gateway token (OAuth2 client credentials, Basic auth), the SSO token (password grant), the
look-ups ``GET pns/data-utama/{nip}`` and ``GET referensi/ref-unor`` (§21.10, §21.12), ``POST
kinerjaperiodik/save``, ``POST skp22/save`` and the multipart ``POST upload-dok``. Strict like a strict
endpoint: an unknown or missing field, a wrong type, an unknown code, an unknown SIASN id or a document
never uploaded is 400 with an error text. Both tokens are
required on every call (401 otherwise); tokens expire after ``umur_token`` seconds. ``gangguan`` holds
status codes (429/503) answered, one per call, before the real answer, to exercise the retries.

Its code tables are written out here on purpose, not imported from the product, so a wrong product
table fails the tests. Never imported by product code (tests/test_arsitektur.py keeps kinerja/ clean).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.server_palsu import ServerPalsu

PREFIX = "/apisiasn/1.0/"
GATEWAY_ID, GATEWAY_SECRET = "kinerja-app", "rahasia-gateway"
SSO_CLIENT, SSO_USER, SSO_PASSWORD = "simpeg", "operator.kinerja", "rahasia-sso"

_STR, _INT = str, int
_DOK = {"dok_id": _STR, "dok_nama": _STR, "dok_uri": _STR, "object": _STR, "slug": _STR}
_UMUM = {
    "id": _STR,
    "tahun": _INT,
    "hasilKinerjaNilai": _INT,
    "perilakuKerjaNilai": _INT,
    "kuadranKinerjaNilai": _INT,
    "penilaiGolongan": _STR,
    "penilaiNama": _STR,
    "penilaiNipNrp": _STR,
    "penilaiUnorNama": _STR,
    "statusPenilai": _STR,
    "path": list,
}
SKEMA = {
    "kinerjaperiodik/save": {
        **_UMUM,
        "pnsDinilaiId": _STR,
        "periodikId": _STR,
        "koefisienId": _STR,
        "bulanMulaiPenilaian": _INT,
        "bulanSelesaiPenilaian": _INT,
        "tahunMulaiPenilaian": _INT,
        "tahunSelesaiPenilaian": _INT,
        "penilaiJabatanNama": _STR,
    },
    "skp22/save": {**_UMUM, "pnsDinilaiOrang": _STR, "penilaiJabatan": _STR},
}
KODE = {
    "hasilKinerjaNilai": {1, 2, 3},
    "perilakuKerjaNilai": {1, 2, 3},
    "kuadranKinerjaNilai": {1, 2, 3, 4, 5},
    "periodikId": {"1", "2"},
    "koefisienId": {"", "12", "22", "32", "42", "52", "62", "72", "82"},
    "penilaiGolongan": {"", *(f"{g}{r}" for g in "123" for r in "1234"), *(f"4{r}" for r in "12345")},
    "statusPenilai": {"ASN", "NON ASN"},
}
DOKUMEN_REF = {"890", "891"}


def data_utama(nip: str, nama: str, pns_id: str) -> dict[str, Any]:
    """A ``pns/data-utama`` record with the field names and types public SIASN clients store
    (kanekescom/laravel-siasn-simpeg, the pns_data_utama table; docs/rules.md §21.10): ids and names as
    strings, ``jenisJabatanId`` a number, dates as "dd-mm-yyyy" text, empty values as null."""
    return {
        "id": pns_id,
        "nipBaru": nip,
        "nipLama": "",
        "nama": nama,
        "gelarDepan": None,
        "gelarBelakang": None,
        "nik": "3200000000000000",
        "jenisPegawaiNama": "PNS DAERAH",
        "kedudukanPnsNama": "Aktif",
        "instansiKerjaId": "A5EB03E23B37F6A0E040640A040252AD",
        "instansiKerjaNama": "Pemerintah Kota Sukamaju",
        "satuanKerjaKerjaId": "8AE48288736C6EE001736E2B1B3D3C11",
        "satuanKerjaKerjaNama": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "unorId": "UNOR-0001",
        "unorNama": "Unit",
        "unorIndukId": "UNOR-0000",
        "unorIndukNama": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "jenisJabatanId": 4,
        "jenisJabatan": "Jabatan Fungsional Umum",
        "jabatanNama": "Jabatan",
        "jabatanStrukturalId": None,
        "jabatanStrukturalNama": None,
        "jabatanFungsionalId": None,
        "jabatanFungsionalNama": None,
        "jabatanFungsionalUmumId": "JFU-0001",
        "jabatanFungsionalUmumNama": "Jabatan",
        "tmtJabatan": "02-01-2022",
        "golRuangAkhirId": "32",
        "golRuangAkhir": "III/b",
        "tmtGolAkhir": "01-04-2021",
        "eselon": None,
        "eselonId": None,
    }


@dataclass
class SiasnPalsu:
    """The server's state; tests read and change it directly."""

    url: str = ""
    pns: dict[str, dict[str, Any]] = field(default_factory=dict)  # nip → data-utama
    unor: list[dict[str, Any]] = field(default_factory=list)  # referensi/ref-unor, as SIASN lists it
    riwayat: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # id → (endpoint, body)
    dokumen: dict[str, dict[str, str]] = field(default_factory=dict)  # dok_uri → document
    gangguan: list[int] = field(default_factory=list)
    umur_token: int = 3600
    token_diberikan: dict[str, float] = field(default_factory=dict)  # token → expiry
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)
    token_diminta: int = 0

    @property
    def gateway_url(self) -> str:
        return self.url + PREFIX

    def tambah_pns(self, nip: str, nama: str = "Pegawai", pns_id: str = "", **ubah: Any) -> str:
        """Add a PNS whose data-utama has the real field names and shapes (``ubah`` overrides any)."""
        pns_id = pns_id or uuid.uuid5(uuid.NAMESPACE_OID, nip).hex.upper()
        self.pns[nip] = {**data_utama(nip, nama, pns_id), **ubah}
        return pns_id

    def tambah_unor(self, unor_id: str, nama: str, diatasan: str = "", **ubah: Any) -> dict[str, Any]:
        """Add a unor to ``referensi/ref-unor`` with the reference's field names (kanekescom/laravel-
        siasn-simpeg, the referensi_ref_unor table; docs/rules.md §21.12)."""
        unor = {
            "id": unor_id,
            "InstansiId": "A5EB03E23B37F6A0E040640A040252AD",
            "DiatasanId": diatasan or None,
            "EselonId": None,
            "NamaUnor": nama,
            "NamaJabatan": None,
            "CepatKode": None,
            "IndukUnorId": None,
            "PemimpinPnsId": None,
            "JenisUnorId": None,
            **ubah,
        }
        self.unor.append(unor)
        return unor

    def lingkungan(self) -> dict[str, str]:
        """The environment variables that point the product's client here."""
        return {
            "SIASN_GATEWAY_URL": self.gateway_url,
            "SIASN_GATEWAY_TOKEN_URL": self.url + "/oauth2/token",
            "SIASN_GATEWAY_CLIENT_ID": GATEWAY_ID,
            "SIASN_GATEWAY_CLIENT_SECRET": GATEWAY_SECRET,
            "SIASN_SSO_TOKEN_URL": self.url + "/auth/realms/public-siasn/protocol/openid-connect/token",
            "SIASN_SSO_CLIENT_ID": SSO_CLIENT,
            "SIASN_SSO_USERNAME": SSO_USER,
            "SIASN_SSO_PASSWORD": SSO_PASSWORD,
        }


class _Tolak(Exception):
    def __init__(self, status: int, pesan: str):
        self.status, self.pesan = status, pesan


def periksa_body(endpoint: str, body: Any, state: SiasnPalsu) -> None:
    """Raise _Tolak(400) on the first thing a strict endpoint would refuse."""
    if not isinstance(body, dict):
        raise _Tolak(400, "Request body must be a JSON object")
    skema = SKEMA[endpoint]
    for k in body:
        if k not in skema:
            raise _Tolak(400, f'Unrecognized field "{k}"')
    for k, tipe in skema.items():
        if k not in body:
            raise _Tolak(400, f"Field {k} is required")
        v = body[k]
        if not isinstance(v, tipe) or isinstance(v, bool):
            raise _Tolak(400, f"Field {k} has wrong type")
        if k in KODE and v not in KODE[k]:
            raise _Tolak(400, f"Kode {k} tidak dikenal: {v!r}")
    pns_field = "pnsDinilaiId" if endpoint == "kinerjaperiodik/save" else "pnsDinilaiOrang"
    if body[pns_field] not in {p["id"] for p in state.pns.values()}:
        raise _Tolak(400, f"{pns_field} tidak ditemukan")
    for dok in body["path"]:
        if (
            not isinstance(dok, dict)
            or set(dok) != set(_DOK)
            or not all(isinstance(v, str) for v in dok.values())
        ):
            raise _Tolak(400, "path: each document must be {dok_id, dok_nama, dok_uri, object, slug}")
        if dok["dok_uri"] not in state.dokumen:
            raise _Tolak(400, f"path: dokumen {dok['dok_uri']} tidak ada")
    if body["id"]:
        lama = state.riwayat.get(body["id"])
        if lama is None or lama[0] != endpoint or lama[1][pns_field] != body[pns_field]:
            raise _Tolak(400, f"Riwayat {body['id']} tidak ditemukan")
    if endpoint == "kinerjaperiodik/save":
        for k in ("bulanMulaiPenilaian", "bulanSelesaiPenilaian"):
            if not 1 <= body[k] <= 12:
                raise _Tolak(400, f"{k} harus 1-12")


def _handler(state: SiasnPalsu) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _jawab(self, status: int, isi: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(isi).encode()
            state.log.append((self.command, self.path, status))  # before answering: the client may read it
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(raw)

        def _badan(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _token_baru(self) -> dict[str, Any]:
            token = uuid.uuid4().hex
            state.token_diberikan[token] = time.monotonic() + state.umur_token
            state.token_diminta += 1
            return {"access_token": token, "expires_in": state.umur_token, "token_type": "bearer"}

        def _sah(self, token: str) -> bool:
            return state.token_diberikan.get(token, 0) > time.monotonic()

        def do_POST(self) -> None:
            self._layani()

        def do_GET(self) -> None:
            self._layani()

        def _layani(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            badan = self._badan() if self.command == "POST" else b""
            try:
                if path == "/oauth2/token":
                    return self._gateway_token(badan)
                if path.endswith("/protocol/openid-connect/token"):
                    return self._sso_token(badan)
                if not path.startswith(PREFIX):
                    raise _Tolak(404, "Not found")
                auth = self.headers.get("Authorization", "")
                sso = self.headers.get("Auth", "")
                if not (auth.startswith("Bearer ") and self._sah(auth[7:])):
                    raise _Tolak(401, "Invalid Credentials")
                if not (sso.lower().startswith("bearer ") and self._sah(sso[7:])):
                    raise _Tolak(401, "Token SSO tidak valid")
                if state.gangguan:
                    status = state.gangguan.pop(0)
                    return self._jawab(status, {"message": "Too Many Requests" if status == 429 else "Down"})
                self._api(path[len(PREFIX) :], badan)
            except _Tolak as e:
                self._jawab(e.status, {"success": False, "message": e.pesan})

        def _gateway_token(self, badan: bytes) -> None:
            form = urllib.parse.parse_qs(badan.decode())
            kunci = base64.b64encode(f"{GATEWAY_ID}:{GATEWAY_SECRET}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {kunci}" or form.get("grant_type") != [
                "client_credentials"
            ]:
                raise _Tolak(401, "invalid_client")
            self._jawab(200, self._token_baru())

        def _sso_token(self, badan: bytes) -> None:
            form = {k: v[0] for k, v in urllib.parse.parse_qs(badan.decode()).items()}
            harap = {
                "grant_type": "password",
                "client_id": SSO_CLIENT,
                "username": SSO_USER,
                "password": SSO_PASSWORD,
            }
            if form != harap:
                raise _Tolak(401, "invalid_grant")
            self._jawab(200, self._token_baru())

        def _api(self, path: str, badan: bytes) -> None:
            if self.command == "GET" and path.startswith("pns/data-utama/"):
                nip = path.rsplit("/", 1)[1]
                if nip not in state.pns:
                    raise _Tolak(404, f"Data PNS dengan NIP {nip} tidak ditemukan")
                return self._jawab(200, {"success": True, "data": state.pns[nip]})
            if self.command == "GET" and path == "referensi/ref-unor":
                return self._jawab(200, {"success": True, "data": state.unor})
            if self.command == "POST" and path in SKEMA:
                if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                    raise _Tolak(415, "Content-Type must be application/json")
                try:
                    body = json.loads(badan)
                except ValueError:
                    raise _Tolak(400, "Malformed JSON") from None
                periksa_body(path, body, state)
                record_id = body["id"] or uuid.uuid4().hex.upper()
                state.riwayat[record_id] = (path, body)
                return self._jawab(200, {"success": True, "mapData": {"id": record_id}, "message": "success"})
            if self.command == "POST" and path == "upload-dok":
                return self._upload(badan)
            raise _Tolak(404, "Not found")

        def _upload(self, badan: bytes) -> None:
            ctype = self.headers.get("Content-Type") or ""
            if not ctype.startswith("multipart/form-data"):
                raise _Tolak(400, "upload-dok requires multipart/form-data")
            pesan = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + badan
            )
            bagian = {p.get_param("name", header="content-disposition"): p for p in pesan.iter_parts()}
            if set(bagian) != {"file", "id_ref_dokumen"}:
                raise _Tolak(400, f"upload-dok: fields must be file and id_ref_dokumen, got {sorted(bagian)}")
            ref = bagian["id_ref_dokumen"].get_content().strip()
            if ref not in DOKUMEN_REF:
                raise _Tolak(400, f"id_ref_dokumen tidak dikenal: {ref}")
            berkas = bagian["file"]
            nama = berkas.get_filename()
            isi = berkas.get_payload(decode=True) or b""
            if not nama or not isi.startswith(b"%PDF"):
                raise _Tolak(400, "file harus PDF")
            uri = f"peremajaan/usulan/{uuid.uuid4().hex}_{nama}"
            dok = {"dok_id": ref, "dok_nama": nama, "dok_uri": uri, "object": uri, "slug": ref}
            state.dokumen[uri] = dok
            self._jawab(200, {"success": True, "data": dok})

    return Handler


class Server(ServerPalsu[SiasnPalsu]):
    """Start with ``with Server() as palsu:``; the state is ``palsu`` (its ``url`` set)."""

    def __init__(self) -> None:
        super().__init__(SiasnPalsu(), _handler)
