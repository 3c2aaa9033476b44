"""A local RFC 3161 time-stamping authority on 127.0.0.1 (tests only): pyHanko's DummyTimeStamper behind a
real HTTP server, with its own certificate (extended key usage timeStamping) issued by a test CA. Strict
about what a TSA accepts: POST of ``application/timestamp-query`` only (400 otherwise); ``mati`` answers
503 to exercise the signer's error path."""

from __future__ import annotations

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from kinerja.dokumen.ttd.ca_demo import Ca


class TsaPalsu:
    def __init__(self, ca: Ca):
        kunci = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        sekarang = datetime.datetime.now(datetime.UTC)
        sert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA Palsu")]))
            .issuer_name(ca.sertifikat.subject)
            .public_key(kunci.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(sekarang - datetime.timedelta(days=1))
            .not_valid_after(sekarang + datetime.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca.kunci, hashes.SHA256())
        )
        self.cap = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(sert.public_bytes(serialization.Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(
                kunci.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )
        self.mati = False
        self.permintaan = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/tsa"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                tsa.permintaan += 1
                panjang = int(self.headers.get("Content-Length", "0"))
                badan = self.rfile.read(panjang)
                if tsa.mati:
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_response(400)
                    self.end_headers()
                    return
                jawab = tsa.cap.request_tsa_response(tsp.TimeStampReq.load(badan)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(jawab)))
                self.end_headers()
                self.wfile.write(jawab)

        return Handler

    def __enter__(self) -> TsaPalsu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
