"""A strict local fake of the BSrE signing gateway, a real HTTP server on 127.0.0.1 (tests only).

Both API generations with the shapes of docs/rules.md §29.3 (read from public BSrE client code): v1
``POST /api/sign/pdf`` (multipart; the signed PDF as the body) and ``GET /api/user/status/{nik}``; v2
``POST /api/v2/sign/pdf`` (JSON, base64 files; ``{"file": [...]}``) and ``POST /api/v2/user/check/status``.
Strict: HTTP Basic of the application on every call (401 otherwise); an unknown or missing field or a wrong
type is 400 with an error body. Signers are a registry NIK → passphrase, TOTP and status (ISSUE,
NOT_REGISTERED, EXPIRED, REVOKE). It really signs, with pyHanko, in a new field at the box it is given,
with a certificate of its own CA ("BSrE Palsu"), so the result validates against that CA. ``lambat``
delays every answer (timeouts); ``gangguan`` answers that status (503) instead.

Its codes and texts are written out here, not imported from the product, so a wrong product mapping fails
the tests. Never imported by product code (tests/test_arsitektur.py keeps kinerja/ clean).
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import io
import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from kinerja.dokumen.ttd import ca_demo
from tests.server_palsu import ServerPalsu

PENGGUNA, SANDI = "kinerja-app", "rahasia-aplikasi-bsre"

#: status → (status_code, message) of the user-status calls.
STATUS = {
    "ISSUE": (1111, "User sudah terdaftar dan memiliki sertifikat dengan status ISSUE"),
    "NOT_REGISTERED": (1110, "User belum terdaftar"),
    "EXPIRED": (1112, "User sudah terdaftar dan memiliki sertifikat dengan status EXPIRED"),
    "REVOKE": (1113, "User sudah terdaftar dan memiliki sertifikat dengan status REVOKE"),
}
#: Signing refusals: (HTTP status, status_code, error).
TIDAK_TERDAFTAR = (400, 2011, "User tidak terdaftar")
PASSPHRASE_SALAH = (400, 2031, "Passphrase anda salah")
TOTP_SALAH = (400, 2032, "TOTP tidak valid atau sudah kadaluarsa")
KEDALUWARSA = (400, 2021, "Sertifikat user sudah kadaluarsa")
DICABUT = (400, 2022, "Sertifikat user sudah dicabut")

_V1_WAJIB = {"file", "nik", "passphrase", "tampilan"}
_V1_VISIBLE = {"page", "xAxis", "yAxis", "width", "height", "image"}
_V1_BOLEH = _V1_WAJIB | _V1_VISIBLE | {"imageTTD", "linkQR", "tag_koordinat", "reason", "location", "text"}
_V2_ATAS = {"nik", "email", "passphrase", "totp", "signatureProperties", "file"}
_V2_PROP = {
    "tampilan": str,
    "imageBase64": str,
    "page": int,
    "originX": (int, float),
    "originY": (int, float),
    "width": (int, float),
    "height": (int, float),
    "location": str,
    "reason": str,
    "contactInfo": str,
}


@dataclass
class PenggunaBsre:
    nama: str
    passphrase: str
    totp: str
    status: str
    p12: bytes


@dataclass
class BsrePalsu:
    """The server's state; tests read and change it directly."""

    url: str = ""
    ca: ca_demo.Ca = field(default_factory=lambda: ca_demo.buat_ca("BSrE Palsu", "Balai Sertifikasi (palsu)"))
    pengguna: dict[str, PenggunaBsre] = field(default_factory=dict)
    lambat: float = 0.0
    gangguan: int | None = None
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)
    #: The last request's JSON (v2) or fields (v1), secrets included: what the client really sent.
    terakhir: dict[str, Any] = field(default_factory=dict)

    @property
    def akar(self) -> list[asn1_x509.Certificate]:
        der = self.ca.sertifikat.public_bytes(serialization.Encoding.DER)
        return [asn1_x509.Certificate.load(der)]

    def tambah(
        self, nik: str, nama: str, passphrase: str = "", totp: str = "", status: str = "ISSUE"
    ) -> PenggunaBsre:
        assert status in STATUS
        kunci = "p12-" + uuid.uuid4().hex
        p12 = ca_demo.buat_p12(self.ca, nama, kunci, nomor=nik, organisasi="Personal")
        self.pengguna[nik] = orang = PenggunaBsre(nama, passphrase, totp, status, p12)
        self._kunci[nik] = kunci
        return orang

    def __post_init__(self) -> None:
        self._kunci: dict[str, str] = {}

    def signer(self, nik: str) -> signers.SimpleSigner:
        penanda = signers.SimpleSigner.load_pkcs12_data(
            self.pengguna[nik].p12, other_certs=[], passphrase=self._kunci[nik].encode()
        )
        assert penanda is not None
        return penanda


class _Tolak(Exception):
    def __init__(self, status: int, pesan: str, kode: int | None = None):
        self.status, self.pesan, self.kode = status, pesan, kode


def _tolak(alasan: tuple[int, int, str]) -> _Tolak:
    return _Tolak(alasan[0], alasan[2], alasan[1])


def _tanda_tangani(
    state: BsrePalsu,
    nik: str,
    data: bytes,
    halaman: int,
    kotak: tuple[int, int, int, int],
    alasan: str,
    lokasi: str,
) -> bytes:
    """Sign in a new field at the box, as the gateway does (it knows no field of ours)."""
    try:
        penulis = IncrementalPdfFileWriter(io.BytesIO(data))
        jumlah = int(penulis.root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 — any unreadable file is the client's fault here
        raise _Tolak(400, "File bukan PDF yang valid", 2001) from None
    if not 0 <= halaman < jumlah:
        raise _Tolak(400, f"Halaman {halaman + 1} tidak ada pada dokumen", 2002)
    nama = "sig_" + uuid.uuid4().hex[:12]
    meta = signers.PdfSignatureMetadata(
        field_name=nama,
        reason=alasan or None,
        location=lokasi or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    keluar = io.BytesIO()
    signers.PdfSigner(
        meta, signer=state.signer(nik), new_field_spec=fields.SigFieldSpec(nama, on_page=halaman, box=kotak)
    ).sign_pdf(penulis, output=keluar)
    return keluar.getvalue()


def _cek_kredensial(state: BsrePalsu, nik: str, passphrase: str | None, totp: str | None) -> None:
    orang = state.pengguna.get(nik)
    if orang is None or orang.status == "NOT_REGISTERED":
        raise _tolak(TIDAK_TERDAFTAR)
    if orang.status == "EXPIRED":
        raise _tolak(KEDALUWARSA)
    if orang.status == "REVOKE":
        raise _tolak(DICABUT)
    if passphrase is not None and passphrase != orang.passphrase:
        raise _tolak(PASSPHRASE_SALAH)
    if totp is not None and (not orang.totp or totp != orang.totp):
        raise _tolak(TOTP_SALAH)


def _angka(nilai: str, nama: str) -> float:
    try:
        return float(nilai)
    except ValueError:
        raise _Tolak(400, f"{nama} harus berupa angka") from None


def _tinggi(data: bytes, halaman: int) -> float:
    penulis = IncrementalPdfFileWriter(io.BytesIO(data))
    ref, _ = penulis.find_page_for_modification(halaman)
    media = ref.get_object()["/MediaBox"]
    return float(media[3]) - float(media[1])


def _handler(state: BsrePalsu) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _kirim(self, status: int, raw: bytes, jenis: str) -> None:
            state.log.append((self.command, self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", jenis)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _json(self, status: int, isi: Any) -> None:
            self._kirim(status, json.dumps(isi).encode(), "application/json")

        def do_GET(self) -> None:
            self._layani()

        def do_POST(self) -> None:
            self._layani()

        def _layani(self) -> None:
            badan = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if state.lambat:
                time.sleep(state.lambat)
            try:
                kunci = base64.b64encode(f"{PENGGUNA}:{SANDI}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {kunci}":
                    raise _Tolak(401, "Unauthorized")
                if state.gangguan:
                    raise _Tolak(state.gangguan, "Service Unavailable")
                path = urllib.parse.urlsplit(self.path).path
                if self.command == "GET" and path.startswith("/api/user/status/"):
                    return self._status(path.rsplit("/", 1)[1])
                if self.command == "POST" and path == "/api/v2/user/check/status":
                    isi = self._baca_json(badan)
                    if set(isi) != {"nik"} or not isinstance(isi["nik"], str):
                        raise _Tolak(400, "Body harus {nik: string}")
                    return self._status(isi["nik"])
                if self.command == "POST" and path == "/api/sign/pdf":
                    return self._v1(badan)
                if self.command == "POST" and path == "/api/v2/sign/pdf":
                    return self._v2(self._baca_json(badan))
                raise _Tolak(404, "Not found")
            except _Tolak as e:
                isi: dict[str, Any] = {"error": e.pesan}
                if e.kode is not None:
                    isi["status_code"] = e.kode
                self._json(e.status, isi)

        def _baca_json(self, badan: bytes) -> dict[str, Any]:
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                raise _Tolak(415, "Content-Type harus application/json")
            try:
                isi = json.loads(badan)
            except ValueError:
                raise _Tolak(400, "JSON tidak valid") from None
            if not isinstance(isi, dict):
                raise _Tolak(400, "Body harus objek JSON")
            state.terakhir = isi
            return isi

        def _status(self, nik: str) -> None:
            orang = state.pengguna.get(nik)
            status = orang.status if orang else "NOT_REGISTERED"
            kode, pesan = STATUS[status]
            self._json(200, {"status_code": kode, "status": status, "message": pesan})

        def _v1(self, badan: bytes) -> None:
            ctype = self.headers.get("Content-Type") or ""
            if not ctype.startswith("multipart/form-data"):
                raise _Tolak(400, "Request harus multipart/form-data")
            pesan = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + badan
            )
            bagian = {p.get_param("name", header="content-disposition"): p for p in pesan.iter_parts()}
            asing = set(bagian) - _V1_BOLEH
            if asing:
                raise _Tolak(400, f"Parameter tidak dikenal: {', '.join(sorted(map(str, asing)))}")
            kurang = _V1_WAJIB - set(bagian)
            if kurang:
                raise _Tolak(400, f"Parameter wajib: {', '.join(sorted(kurang))}")
            teks = {
                k: str(p.get_content()).strip() for k, p in bagian.items() if k not in {"file", "imageTTD"}
            }
            state.terakhir = dict(teks)
            data = bagian["file"].get_payload(decode=True) or b""
            if not bagian["file"].get_filename() or not data.startswith(b"%PDF"):
                raise _Tolak(400, "file harus berkas PDF", 2001)
            _cek_kredensial(state, teks["nik"], teks["passphrase"], None)
            tampilan = teks["tampilan"]
            if tampilan not in {"visible", "invisible"}:
                raise _Tolak(400, "tampilan harus visible atau invisible")
            if tampilan == "invisible":
                raise _Tolak(400, "Kinerja selalu meminta tanda tangan yang tampak (uji)")
            kurang = _V1_VISIBLE - set(bagian)
            if kurang:
                raise _Tolak(400, f"Parameter wajib untuk tampilan visible: {', '.join(sorted(kurang))}")
            if teks["image"] not in {"true", "false"}:
                raise _Tolak(400, "image harus true atau false")
            if teks["image"] == "true" and "imageTTD" not in bagian:
                raise _Tolak(400, "imageTTD wajib bila image true")
            if teks["image"] == "false" and not teks.get("linkQR"):
                raise _Tolak(400, "linkQR wajib bila image false")
            if "imageTTD" in bagian:
                gambar = bagian["imageTTD"].get_payload(decode=True) or b""
                if not gambar.startswith(b"\x89PNG"):
                    raise _Tolak(400, "imageTTD harus PNG")
            halaman = _angka(teks["page"], "page")
            x, y, w, h = (_angka(teks[k], k) for k in ("xAxis", "yAxis", "width", "height"))
            if halaman != int(halaman) or halaman < 1 or w <= 0 or h <= 0:
                raise _Tolak(400, "page/width/height tidak valid")
            kotak = (round(x), round(y), round(x + w), round(y + h))
            hasil = _tanda_tangani(
                state,
                teks["nik"],
                data,
                int(halaman) - 1,
                kotak,
                teks.get("reason", ""),
                teks.get("location", ""),
            )
            self._kirim(200, hasil, "application/pdf")

        def _v2(self, isi: dict[str, Any]) -> None:
            asing = set(isi) - _V2_ATAS
            if asing:
                raise _Tolak(400, f"Parameter tidak dikenal: {', '.join(sorted(asing))}")
            if not isinstance(isi.get("nik"), str):
                raise _Tolak(400, "nik wajib (string)")
            if ("passphrase" in isi) == ("totp" in isi):
                raise _Tolak(400, "Isi salah satu: passphrase atau totp")
            kred = isi.get("passphrase", isi.get("totp"))
            if not isinstance(kred, str) or not kred:
                raise _Tolak(400, "passphrase/totp harus string")
            berkas, props = isi.get("file"), isi.get("signatureProperties")
            if not isinstance(berkas, list) or not berkas or not all(isinstance(b, str) for b in berkas):
                raise _Tolak(400, "file harus daftar base64 PDF")
            if not isinstance(props, list) or len(props) != len(berkas):
                raise _Tolak(400, "signatureProperties harus satu per file")
            pdfs = []
            for b in berkas:
                try:
                    data = base64.b64decode(b, validate=True)
                except (binascii.Error, ValueError):
                    raise _Tolak(400, "file bukan base64 yang valid") from None
                if not data.startswith(b"%PDF"):
                    raise _Tolak(400, "file harus PDF", 2001)
                pdfs.append(data)
            for prop in props:
                if not isinstance(prop, dict):
                    raise _Tolak(400, "signatureProperties berisi objek")
                for k, v in prop.items():
                    if k not in _V2_PROP:
                        raise _Tolak(400, f"signatureProperties: parameter tidak dikenal {k}")
                    if not isinstance(v, _V2_PROP[k]) or isinstance(v, bool):
                        raise _Tolak(400, f"signatureProperties: {k} bertipe salah")
                if prop.get("tampilan") != "VISIBLE":
                    raise _Tolak(400, "Kinerja selalu meminta tampilan VISIBLE (uji)")
                kurang = {"page", "originX", "originY", "width", "height", "imageBase64"} - set(prop)
                if kurang:
                    raise _Tolak(400, f"signatureProperties wajib: {', '.join(sorted(kurang))}")
            _cek_kredensial(state, isi["nik"], isi.get("passphrase"), isi.get("totp"))
            hasil = []
            for data, prop in zip(pdfs, props, strict=True):
                halaman = prop["page"] - 1
                # originX/originY from the page's top left (docs/rules.md §29.3).
                try:
                    tinggi = _tinggi(data, halaman)
                except Exception:  # noqa: BLE001 — a page that does not exist
                    raise _Tolak(400, f"Halaman {prop['page']} tidak ada pada dokumen", 2002) from None
                x1, y2 = prop["originX"], tinggi - prop["originY"]
                kotak = (round(x1), round(y2 - prop["height"]), round(x1 + prop["width"]), round(y2))
                hasil.append(
                    base64.b64encode(
                        _tanda_tangani(
                            state,
                            isi["nik"],
                            data,
                            halaman,
                            kotak,
                            prop.get("reason", ""),
                            prop.get("location", ""),
                        )
                    ).decode()
                )
            self._json(200, {"file": hasil, "time": int(time.time() * 1000)})

    return Handler


class _Http(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is expected here (the timeout tests)


class Server(ServerPalsu[BsrePalsu]):
    """Start with ``with Server() as palsu:``; the state is ``palsu`` (its ``url`` set)."""

    def __init__(self) -> None:
        super().__init__(BsrePalsu(), _handler, _Http)
