"""The BSrE back-end: the instansi's BSrE signing gateway ("esign client service" of BSSN), both API
generations (docs/rules.md §29.3).

The application authenticates with HTTP Basic (the instansi's gateway account, stored encrypted in
``PengaturanTtd``); the signer is named by their NIK and unlocks their BSrE certificate with the passphrase
(or, on v2, a TOTP) they type. v1 signs one PDF per multipart call and answers with the signed PDF as the
body; v2 takes several base64 PDFs in one JSON call and answers ``{"file": [base64, ...]}``.

The gateway places the signature in a field of its own at the box we give it (the API has no field
name): the result is checked to be a new signature at that page and box, and its certificate is read back
from the PDF. Passphrase, TOTP and gateway password are never logged nor put in a message: a BSrE error
text is shown to the signer only after every secret is removed from it. Standard library HTTP (``urllib``)
like the SIASN client.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

from kinerja.common import rahasia
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd import pdf
from kinerja.dokumen.ttd.penyedia import GagalTtd, Hasil, Kotak, Kredensial, Penanda, Permintaan

log = logging.getLogger(__name__)

#: Documents per v2 call (a bulk signing is split into calls of this size; docs/rules.md §29.3).
PER_PANGGILAN = 10
#: The signature must land within this many points of the box we asked for.
TOLERANSI_PT = 2.0
#: A NIK that cannot exist, for the connection test.
NIK_UJI = "0000000000000000"

PESAN_SEMENTARA = "Layanan BSrE tidak dapat dihubungi, coba lagi beberapa saat lagi."
PESAN_KONFIGURASI = "Konfigurasi BSrE instansi salah (akun aplikasi ditolak), hubungi admin kepegawaian."
PESAN_PASSPHRASE = "Passphrase salah. Periksa kembali passphrase sertifikat elektronik BSrE Anda."
PESAN_TOTP = "Kode TOTP salah atau sudah kedaluwarsa. Minta kode baru lalu coba lagi."
PESAN_TIDAK_TERDAFTAR = (
    "NIK Anda belum terdaftar sebagai pemilik sertifikat elektronik di BSrE. "
    "Daftarkan diri melalui verifikator/RA instansi Anda."
)
PESAN_KEDALUWARSA = "Sertifikat elektronik BSrE Anda sudah kedaluwarsa. Ajukan penerbitan ulang ke BSrE."
PESAN_DICABUT = (
    "Sertifikat elektronik BSrE Anda telah dicabut atau ditangguhkan. Hubungi verifikator/RA instansi."
)

#: User status (both generations) → the signer's message; ISSUE means a usable certificate.
_STATUS = {
    "NOT_REGISTERED": PESAN_TIDAK_TERDAFTAR,
    "EXPIRED": PESAN_KEDALUWARSA,
    "REVOKE": PESAN_DICABUT,
    "REVOKED": PESAN_DICABUT,
    "SUSPEND": PESAN_DICABUT,
    "SUSPENDED": PESAN_DICABUT,
}
#: BSrE's numeric codes seen in public clients (docs/rules.md §29.3).
_KODE = {2011: PESAN_TIDAK_TERDAFTAR, 2031: PESAN_PASSPHRASE, 1110: PESAN_TIDAK_TERDAFTAR}


class PenyediaBsre:
    """The BSrE gateway of one instansi (``PengaturanTtd.Penyedia.BSRE``)."""

    kode = "bsre"

    def __init__(self, atur: PengaturanTtd, *, timeout: float = 60.0):
        self.url = (atur.bsre_url or "").strip().rstrip("/")
        self.versi = atur.bsre_versi or PengaturanTtd.VersiBsre.V2
        self.pengguna = atur.bsre_pengguna or ""
        self.timeout = timeout
        if not self.url.startswith(("https://", "http://")) or not self.pengguna:
            raise GagalTtd("Konfigurasi BSrE instansi belum lengkap (alamat/akun aplikasi), hubungi admin.")
        try:
            self.__sandi = rahasia.buka(atur.bsre_sandi)
        except rahasia.RahasiaTakTerbaca:
            raise GagalTtd(
                "Kata sandi aplikasi BSrE tersimpan tidak dapat dibuka; admin perlu mengisinya ulang."
            ) from None

    def __repr__(self) -> str:
        return f"PenyediaBsre({self.url!r}, {self.versi!r}, {self.pengguna!r})"

    # --- the Penyedia interface --------------------------------------------------------------------------

    def periksa_penanda(self, penanda: Penanda) -> None:
        self._periksa_status(_nik(penanda))

    def tanda_tangani(
        self, penanda: Penanda, kredensial: Kredensial, permintaan: Sequence[Permintaan]
    ) -> list[Hasil]:
        nik = _nik(penanda)
        rahasia_ini = [s for s in (kredensial.passphrase, kredensial.totp) if s]
        if self.versi == PengaturanTtd.VersiBsre.V1:
            if not kredensial.passphrase:
                raise GagalTtd("Passphrase wajib diisi.")
            signed = [self._tanda_tangani_v1(nik, kredensial.passphrase, p, penanda.nama) for p in permintaan]
        else:
            if not (kredensial.passphrase or kredensial.totp):
                raise GagalTtd("Passphrase atau kode TOTP wajib diisi.")
            signed = []
            for awal in range(0, len(permintaan), PER_PANGGILAN):
                bagian = permintaan[awal : awal + PER_PANGGILAN]
                signed.extend(self._tanda_tangani_v2(nik, kredensial, bagian, penanda.nama, rahasia_ini))
        return [_hasil(p, data) for p, data in zip(permintaan, signed, strict=True)]

    def uji_koneksi(self) -> str:
        """Check the gateway answers and accepts the application's account (a status call for a NIK that
        cannot exist); the message for the settings page. GagalTtd when it does not."""
        status, _ = self._status_mentah(NIK_UJI)
        if status == 200:
            return f"Terhubung ke BSrE ({self.url}, API {self.versi}); akun aplikasi diterima."
        if status in (401, 403, 429) or status >= 500:
            raise _gagal(status, None, [])
        raise GagalTtd(
            f"BSrE menjawab pemeriksaan status dengan HTTP {status}; periksa alamat dan versi API."
        )

    # --- calls -------------------------------------------------------------------------------------------

    def _status_mentah(self, nik: str) -> tuple[int, Any]:
        if self.versi == PengaturanTtd.VersiBsre.V1:
            status, _, raw = self._kirim("GET", f"/api/user/status/{nik}", None, None)
        else:
            body = json.dumps({"nik": nik}).encode()
            status, _, raw = self._kirim("POST", "/api/v2/user/check/status", body, "application/json")
        return status, _json(raw)

    def _periksa_status(self, nik: str) -> None:
        status, isi = self._status_mentah(nik)
        if status != 200:
            raise _gagal(status, isi, [])
        data = isi.get("data") if isinstance(isi, dict) and isinstance(isi.get("data"), dict) else isi
        nilai = str(data.get("status", "")).upper() if isinstance(data, dict) else ""
        if nilai == "ISSUE":
            return
        if nilai in _STATUS:
            raise GagalTtd(_STATUS[nilai])
        raise GagalTtd(
            f"Sertifikat elektronik BSrE Anda belum dapat dipakai (status {nilai or 'tidak diketahui'}). "
            "Selesaikan penerbitannya di BSrE."
        )

    def _tanda_tangani_v1(self, nik: str, passphrase: str, p: Permintaan, nama: str) -> bytes:
        x1, y1, x2, y2 = p.kotak.kotak
        bidang = {
            "nik": nik,
            "passphrase": passphrase,
            "tampilan": "visible",
            "image": "true",
            "page": str(p.kotak.halaman + 1),
            "xAxis": str(x1),
            "yAxis": str(y1),
            "width": str(x2 - x1),
            "height": str(y2 - y1),
            "reason": p.alasan,
        }
        if p.lokasi:
            bidang["location"] = p.lokasi
        berkas = {"file": ("dokumen.pdf", "application/pdf", p.pdf), "imageTTD": _gambar(nama, p.kotak)}
        body, ctype = _multipart(bidang, berkas)
        status, jenis, raw = self._kirim("POST", "/api/sign/pdf", body, ctype)
        if status != 200:
            raise _gagal(status, _json(raw), [passphrase])
        if not raw.startswith(b"%PDF"):
            log.warning("BSrE v1 menjawab 200 tanpa PDF (%s)", jenis)
            raise GagalTtd("BSrE tidak mengembalikan berkas PDF bertanda tangan; coba lagi.", sementara=True)
        return raw

    def _tanda_tangani_v2(
        self,
        nik: str,
        kredensial: Kredensial,
        bagian: Sequence[Permintaan],
        nama: str,
        rahasia_ini: list[str],
    ) -> list[bytes]:
        properti = []
        for p in bagian:
            x1, y1, x2, y2 = p.kotak.kotak
            tinggi = _tinggi_halaman(p.pdf, p.kotak.halaman)
            prop: dict[str, Any] = {
                "tampilan": "VISIBLE",
                "imageBase64": base64.b64encode(_gambar(nama, p.kotak)[2]).decode(),
                "page": p.kotak.halaman + 1,
                # v2 measures the box from the page's top left (docs/rules.md §29.3).
                "originX": float(x1),
                "originY": float(tinggi - y2),
                "width": float(x2 - x1),
                "height": float(y2 - y1),
                "reason": p.alasan,
            }
            if p.lokasi:
                prop["location"] = p.lokasi
            properti.append(prop)
        isi: dict[str, Any] = {"nik": nik}
        if kredensial.totp and not kredensial.passphrase:
            isi["totp"] = kredensial.totp
        else:
            isi["passphrase"] = kredensial.passphrase
        isi["signatureProperties"] = properti
        isi["file"] = [base64.b64encode(p.pdf).decode() for p in bagian]
        status, _, raw = self._kirim("POST", "/api/v2/sign/pdf", json.dumps(isi).encode(), "application/json")
        jawab = _json(raw)
        if status != 200:
            raise _gagal(status, jawab, rahasia_ini)
        berkas = jawab.get("file") if isinstance(jawab, dict) else None
        if not isinstance(berkas, list) or len(berkas) != len(bagian):
            raise GagalTtd(
                "Jawaban BSrE tidak berisi semua dokumen yang ditandatangani; coba lagi.", sementara=True
            )
        try:
            return [base64.b64decode(b, validate=True) for b in berkas]
        except (ValueError, TypeError):
            raise GagalTtd("Jawaban BSrE tidak dapat dibaca; coba lagi.", sementara=True) from None

    def _kirim(self, method: str, path: str, data: bytes | None, ctype: str | None) -> tuple[int, str, bytes]:
        """One exchange: (status, content type, body). Unreachable and timeouts → GagalTtd(sementara)."""
        kunci = base64.b64encode(f"{self.pengguna}:{self.__sandi}".encode()).decode()
        headers = {"Authorization": f"Basic {kunci}", "Accept": "application/json, application/pdf"}
        if ctype:
            headers["Content-Type"] = ctype
        # S310: the URL is the admin's setting, checked to be http(s) in __init__.
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                status, jenis, raw = resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            status, jenis, raw = e.code, e.headers.get("Content-Type", ""), e.read()
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as e:
            log.warning("BSrE %s %s tidak terjangkau: %s", method, _jalur(path), type(e).__name__)
            raise GagalTtd(PESAN_SEMENTARA, sementara=True) from None
        log.info("BSrE %s %s: HTTP %s", method, _jalur(path), status)
        return status, jenis, raw


# --- helpers ----------------------------------------------------------------------------------------------


def _nik(penanda: Penanda) -> str:
    nik = (penanda.nik or "").strip()
    if not nik:
        raise GagalTtd(
            "NIK Anda belum tercatat di profil kepegawaian. Minta admin kepegawaian melengkapinya; "
            "BSrE mengenali penanda tangan dari NIK."
        )
    if not nik.isdigit() or len(nik) != 16:
        raise GagalTtd(
            "NIK di profil kepegawaian Anda tidak valid (harus 16 angka). Minta admin memperbaikinya."
        )
    return nik


def _jalur(path: str) -> str:
    """The path for the log, without the NIK of the v1 status call."""
    return "/api/user/status/…" if path.startswith("/api/user/status/") else path


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def _bersihkan(teks: str, rahasia_ini: Sequence[str]) -> str:
    for s in rahasia_ini:
        if s:
            teks = teks.replace(s, "***")
    return teks[:200]


def _gagal(status: int, isi: Any, rahasia_ini: Sequence[str]) -> GagalTtd:
    """BSrE's refusal as the signer's message (docs/rules.md §29.3)."""
    if status in (401, 403):
        return GagalTtd(PESAN_KONFIGURASI)
    if status >= 500 or status == 429:
        return GagalTtd(PESAN_SEMENTARA, sementara=True)
    kode, teks = None, ""
    if isinstance(isi, dict):
        mentah = isi.get("status_code")
        kode = mentah if isinstance(mentah, int) and not isinstance(mentah, bool) else None
        teks = str(isi.get("error") or isi.get("message") or "")
    kecil = teks.lower()
    if kode in _KODE:
        return GagalTtd(_KODE[kode])
    if "totp" in kecil or "otp" in kecil:
        return GagalTtd(PESAN_TOTP)
    if "passphrase" in kecil:
        return GagalTtd(PESAN_PASSPHRASE)
    if "tidak terdaftar" in kecil or "belum terdaftar" in kecil or "not registered" in kecil:
        return GagalTtd(PESAN_TIDAK_TERDAFTAR)
    if "kadaluarsa" in kecil or "kedaluwarsa" in kecil or "expired" in kecil:
        return GagalTtd(PESAN_KEDALUWARSA)
    if "cabut" in kecil or "revoke" in kecil or "suspend" in kecil:
        return GagalTtd(PESAN_DICABUT)
    bersih = _bersihkan(teks, rahasia_ini) or f"HTTP {status}"
    return GagalTtd(f"BSrE menolak dokumen: {bersih}.")


def _multipart(bidang: dict[str, str], berkas: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    batas = "----kinerja" + secrets.token_hex(12)
    keluar = io.BytesIO()
    for nama, nilai in bidang.items():
        keluar.write(f'--{batas}\r\nContent-Disposition: form-data; name="{nama}"\r\n\r\n'.encode())
        keluar.write(nilai.encode() + b"\r\n")
    for nama, (namaberkas, jenis, isi) in berkas.items():
        keluar.write(
            f'--{batas}\r\nContent-Disposition: form-data; name="{nama}"; filename="{namaberkas}"\r\n'
            f"Content-Type: {jenis}\r\n\r\n".encode()
        )
        keluar.write(isi + b"\r\n")
    keluar.write(f"--{batas}--\r\n".encode())
    return keluar.getvalue(), f"multipart/form-data; boundary={batas}"


def _gambar(nama: str, kotak: Kotak) -> tuple[str, str, bytes]:
    """The visible signature's picture (BSrE draws the image it is given in the box): the signer's name
    under "Ditandatangani secara elektronik oleh", as a PNG at 2 px per point."""
    from PIL import Image, ImageDraw

    x1, y1, x2, y2 = kotak.kotak
    lebar, tinggi = max(2 * (x2 - x1), 20), max(2 * (y2 - y1), 20)
    gambar = Image.new("RGB", (lebar, tinggi), "white")
    pena = ImageDraw.Draw(gambar)
    pena.rectangle((0, 0, lebar - 1, tinggi - 1), outline="black")
    pena.multiline_text((6, 6), f"Ditandatangani secara elektronik oleh\n{nama}\n(BSrE)", fill="black")
    keluar = io.BytesIO()
    gambar.save(keluar, format="PNG")
    return ("ttd.png", "image/png", keluar.getvalue())


def _tinggi_halaman(data: bytes, halaman: int) -> float:
    try:
        pembaca = PdfFileReader(io.BytesIO(data), strict=False)
        ref, _ = pembaca.find_page_for_modification(halaman)  # type: ignore[no-untyped-call]
        media = ref.get_object().get("/MediaBox") or pembaca.root["/Pages"]["/MediaBox"]
        return float(media[3]) - float(media[1])
    except (PdfReadError, KeyError, IndexError, TypeError, ValueError):
        raise GagalTtd("Berkas PDF dokumen tidak dapat dibaca untuk ditandatangani.") from None


def _hasil(p: Permintaan, data: bytes) -> Hasil:
    """The signed PDF checked: one signature more than sent, the new one on the page and box asked for;
    the certificate read back from it."""
    try:
        sebelum = len(PdfFileReader(io.BytesIO(p.pdf), strict=False).embedded_signatures)
        pembaca = PdfFileReader(io.BytesIO(data), strict=False)
        semua = list(pembaca.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError):
        raise GagalTtd("BSrE mengembalikan berkas yang bukan PDF yang dapat dibaca.") from None
    if len(semua) != sebelum + 1 or not data.startswith(p.pdf):
        raise GagalTtd("Berkas dari BSrE tidak berisi tanda tangan baru di atas dokumen yang dikirim.")
    baru = semua[-1]
    medan = baru.sig_field
    widget = medan if "/Rect" in medan else medan["/Kids"][0].get_object()
    rect = [float(v) for v in widget["/Rect"]]
    rect = [min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])]
    halaman, _ = pembaca.find_page_for_modification(p.kotak.halaman)  # type: ignore[no-untyped-call]
    di_halaman = "/P" not in widget or widget.raw_get("/P").idnum == halaman.idnum
    if not di_halaman or any(abs(a - b) > TOLERANSI_PT for a, b in zip(rect, p.kotak.kotak, strict=True)):
        raise GagalTtd("BSrE menempatkan tanda tangan di luar kotak tanda tangan dokumen.")
    cert = baru.signer_cert
    return Hasil(data, pdf.nama_subjek(cert), pdf.nama_penerbit(cert), str(cert.serial_number))
