"""The BSrE back-end against the strict fake gateway, both API generations (docs/rules.md §29.3)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from weasyprint import HTML

from kinerja.common import rahasia
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd import ca_demo, layanan, pdf
from kinerja.dokumen.ttd.bsre import PenyediaBsre
from kinerja.dokumen.ttd.penyedia import GagalTtd, Kredensial, Penanda, Permintaan
from tests import bsre_palsu

HTML_DOKUMEN = """<html><body><h1>Dokumen uji</h1><table style="margin-top:80mm"><tr>
<td><div id="ttd-pegawai" style="width:60mm;height:22mm"></div>Pegawai</td>
<td><div id="ttd-penilai" style="width:60mm;height:22mm"></div>Penilai</td></tr></table></body></html>"""

NIK = "3201010101900001"
PASS = "Rahasia-Passphrase-77"
TOTP = "482913"
PENANDA = Penanda(pengguna_id=1, nama="Siti Penilai", nip="197904182005012005", nik=NIK)
VERSI = ["v1", "v2"]


@pytest.fixture(scope="module")
def server() -> Iterator[bsre_palsu.BsrePalsu]:
    with bsre_palsu.Server() as palsu:
        palsu.tambah(NIK, "Siti Penilai", PASS, TOTP)
        palsu.tambah("3201010101900002", "Belum Terdaftar", status="NOT_REGISTERED")
        palsu.tambah("3201010101900003", "Sertifikat Lama", PASS, status="EXPIRED")
        palsu.tambah("3201010101900004", "Sertifikat Dicabut", PASS, status="REVOKE")
        yield palsu


@pytest.fixture
def palsu(server: bsre_palsu.BsrePalsu) -> Iterator[bsre_palsu.BsrePalsu]:
    yield server
    server.lambat, server.gangguan = 0.0, None
    server.log.clear()


@pytest.fixture(scope="module")
def ca_lokal() -> ca_demo.Ca:
    return ca_demo.buat_ca("CA Lokal")


@pytest.fixture(scope="module")
def dokumen(ca_lokal: ca_demo.Ca) -> tuple[bytes, dict[str, pdf.Kotak]]:
    """A document with both fields, already signed by the pegawai (locally): the BSrE signature is the
    second one."""
    html = HTML(string=HTML_DOKUMEN).render()
    kotak = pdf.kotak_tanda_tangan(html)
    dasar = pdf.siapkan_field(html.write_pdf(), kotak)
    signer = pdf.muat_p12(ca_demo.buat_p12(ca_lokal, "Pegawai Satu", "x-1"), "x-1")
    return pdf.tanda_tangani_p12(dasar, signer, "ttd-pegawai", "Menyetujui", "Kota Uji").pdf, kotak


def _akar(ca: ca_demo.Ca) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(ca.sertifikat.public_bytes(serialization.Encoding.DER))]


def _atur(palsu: bsre_palsu.BsrePalsu, versi: str, sandi: str = bsre_palsu.SANDI) -> PengaturanTtd:
    return PengaturanTtd(
        instansi_id=1,
        penyedia=PengaturanTtd.Penyedia.BSRE,
        bsre_url=palsu.url,
        bsre_versi=versi,
        bsre_pengguna=bsre_palsu.PENGGUNA,
        bsre_sandi=rahasia.sandikan(sandi),
    )


def _minta(dokumen: tuple[bytes, dict[str, pdf.Kotak]]) -> Permintaan:
    data, kotak = dokumen
    return Permintaan(data, "ttd-penilai", kotak["ttd-penilai"], "Penilai menetapkan", "Kota Uji")


@pytest.mark.parametrize("versi", VERSI)
def test_signs_in_the_box_and_the_earlier_signature_stays_valid(
    palsu: bsre_palsu.BsrePalsu,
    dokumen: tuple[bytes, dict[str, pdf.Kotak]],
    ca_lokal: ca_demo.Ca,
    versi: str,
) -> None:
    penyedia = layanan.penyedia_untuk(_atur(palsu, versi))
    assert isinstance(penyedia, PenyediaBsre)
    penyedia.periksa_penanda(PENANDA)
    [hasil] = penyedia.tanda_tangani(PENANDA, Kredensial(passphrase=PASS), [_minta(dokumen)])

    assert hasil.pdf.startswith(dokumen[0])  # incremental
    assert (hasil.subjek, hasil.penerbit) == ("Siti Penilai", "BSrE Palsu")
    periksa = pdf.periksa(hasil.pdf, _akar(ca_lokal) + palsu.akar)
    assert periksa.semua_sah, [t.keterangan for t in periksa.tanda_tangan]
    pegawai, penilai = periksa.tanda_tangan
    assert (pegawai.field, pegawai.nama) == ("ttd-pegawai", "Pegawai Satu")
    assert penilai.nama == "Siti Penilai" and penilai.alasan == "Penilai menetapkan"
    assert penilai.nomor_seri == hasil.nomor_seri
    # The gateway's own field, at the penilai's box on the same page.
    baru = list(PdfFileReader(io.BytesIO(hasil.pdf)).embedded_signatures)[-1]
    rect = [float(v) for v in baru.sig_field["/Rect"]]
    assert rect == pytest.approx(list(dokumen[1]["ttd-penilai"].kotak), abs=1)
    # What went on the wire: page 1-based, the reason, never an invisible signature.
    if versi == "v1":
        assert palsu.terakhir["page"] == "1" and palsu.terakhir["tampilan"] == "visible"
    else:
        [prop] = palsu.terakhir["signatureProperties"]
        assert prop["page"] == 1 and prop["tampilan"] == "VISIBLE" and prop["reason"] == "Penilai menetapkan"


def test_v2_signs_several_documents_in_one_call_and_chunks_many(
    palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict[str, pdf.Kotak]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinerja.dokumen.ttd import bsre

    penyedia = PenyediaBsre(_atur(palsu, "v2"))
    hasil = penyedia.tanda_tangani(PENANDA, Kredensial(passphrase=PASS), [_minta(dokumen)] * 3)
    assert len(hasil) == 3 and [m for m, p, _ in palsu.log].count("POST") == 1
    assert all(pdf.periksa(h.pdf, palsu.akar).tanda_tangan[-1].terpercaya for h in hasil)

    palsu.log.clear()
    monkeypatch.setattr(bsre, "PER_PANGGILAN", 2)
    assert len(penyedia.tanda_tangani(PENANDA, Kredensial(passphrase=PASS), [_minta(dokumen)] * 3)) == 3
    assert [p for _, p, _ in palsu.log] == ["/api/v2/sign/pdf"] * 2


def test_v2_signs_with_a_totp(
    palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict[str, pdf.Kotak]]
) -> None:
    [hasil] = PenyediaBsre(_atur(palsu, "v2")).tanda_tangani(
        PENANDA, Kredensial(totp=TOTP), [_minta(dokumen)]
    )
    assert hasil.subjek == "Siti Penilai"
    assert "totp" in palsu.terakhir and "passphrase" not in palsu.terakhir


@pytest.mark.parametrize("versi", VERSI)
def test_wrong_passphrase(
    palsu: bsre_palsu.BsrePalsu,
    dokumen: tuple[bytes, dict[str, pdf.Kotak]],
    versi: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    salah = "Salah-Sekali-Passphrase-99"
    with caplog.at_level(logging.DEBUG), pytest.raises(GagalTtd) as e:
        PenyediaBsre(_atur(palsu, versi)).tanda_tangani(
            PENANDA, Kredensial(passphrase=salah), [_minta(dokumen)]
        )
    assert e.value.pesan.startswith("Passphrase salah") and not e.value.sementara
    teks = caplog.text + str(e.value) + repr(e.value) + str(e.value.__cause__) + str(e.value.__context__)
    assert salah not in teks and bsre_palsu.SANDI not in teks
    assert "POST" in caplog.text  # the call is logged, without secrets


def test_v2_wrong_totp(palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict[str, pdf.Kotak]]) -> None:
    with pytest.raises(GagalTtd) as e:
        PenyediaBsre(_atur(palsu, "v2")).tanda_tangani(PENANDA, Kredensial(totp="000000"), [_minta(dokumen)])
    assert e.value.pesan.startswith("Kode TOTP salah")


def test_v1_refuses_a_totp_only_credential(palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict]) -> None:
    with pytest.raises(GagalTtd, match="Passphrase wajib"):
        PenyediaBsre(_atur(palsu, "v1")).tanda_tangani(PENANDA, Kredensial(totp=TOTP), [_minta(dokumen)])
    assert palsu.log == []


@pytest.mark.parametrize("versi", VERSI)
@pytest.mark.parametrize(
    ("nik", "awal"),
    [
        ("3201010101900002", "NIK Anda belum terdaftar"),
        ("3201010101999999", "NIK Anda belum terdaftar"),
        ("3201010101900003", "Sertifikat elektronik BSrE Anda sudah kedaluwarsa"),
        ("3201010101900004", "Sertifikat elektronik BSrE Anda telah dicabut"),
    ],
)
def test_signer_who_cannot_sign_is_told_why_by_the_check_and_by_the_signing(
    palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict], versi: str, nik: str, awal: str
) -> None:
    penanda = Penanda(2, "Orang", "199001012015011001", nik)
    penyedia = PenyediaBsre(_atur(palsu, versi))
    with pytest.raises(GagalTtd) as e:
        penyedia.periksa_penanda(penanda)
    assert e.value.pesan.startswith(awal)
    with pytest.raises(GagalTtd) as e:
        penyedia.tanda_tangani(penanda, Kredensial(passphrase=PASS), [_minta(dokumen)])
    assert e.value.pesan.startswith(awal)


def test_no_nik_in_the_profile(palsu: bsre_palsu.BsrePalsu) -> None:
    with pytest.raises(GagalTtd, match="NIK Anda belum tercatat di profil"):
        PenyediaBsre(_atur(palsu, "v2")).periksa_penanda(Penanda(3, "Tanpa NIK", "1990", ""))
    assert palsu.log == []


@pytest.mark.parametrize("versi", VERSI)
def test_timeout_and_outage_are_temporary(
    palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict], versi: str
) -> None:
    atur = _atur(palsu, versi)
    palsu.lambat = 0.5
    with pytest.raises(GagalTtd) as e:
        PenyediaBsre(atur, timeout=0.1).tanda_tangani(PENANDA, Kredensial(passphrase=PASS), [_minta(dokumen)])
    assert e.value.sementara and "tidak dapat dihubungi" in e.value.pesan
    palsu.lambat, palsu.gangguan = 0.0, 503
    with pytest.raises(GagalTtd) as e:
        PenyediaBsre(atur).tanda_tangani(PENANDA, Kredensial(passphrase=PASS), [_minta(dokumen)])
    assert e.value.sementara and "tidak dapat dihubungi" in e.value.pesan
    with pytest.raises(GagalTtd) as e:
        PenyediaBsre(atur).uji_koneksi()
    assert e.value.sementara


@pytest.mark.parametrize("versi", VERSI)
def test_bad_application_credentials_and_the_connection_test(
    palsu: bsre_palsu.BsrePalsu, dokumen: tuple[bytes, dict], versi: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert "akun aplikasi diterima" in PenyediaBsre(_atur(palsu, versi)).uji_koneksi()
    salah = _atur(palsu, versi, sandi="sandi-aplikasi-keliru")
    with caplog.at_level(logging.DEBUG), pytest.raises(GagalTtd) as e:
        PenyediaBsre(salah).tanda_tangani(PENANDA, Kredensial(passphrase=PASS), [_minta(dokumen)])
    assert e.value.pesan.startswith("Konfigurasi BSrE instansi salah") and not e.value.sementara
    with pytest.raises(GagalTtd, match="Konfigurasi BSrE instansi salah"):
        PenyediaBsre(salah).uji_koneksi()
    assert "sandi-aplikasi-keliru" not in caplog.text + repr(PenyediaBsre(salah)) and PASS not in caplog.text


def test_unreachable_gateway_and_incomplete_settings() -> None:
    atur = PengaturanTtd(
        instansi_id=1,
        penyedia="bsre",
        bsre_url="http://127.0.0.1:9",
        bsre_pengguna="a",
        bsre_sandi=rahasia.sandikan("b"),
    )
    with pytest.raises(GagalTtd) as e:
        PenyediaBsre(atur, timeout=2).uji_koneksi()
    assert e.value.sementara
    with pytest.raises(GagalTtd, match="belum lengkap"):
        PenyediaBsre(PengaturanTtd(instansi_id=1, penyedia="bsre"))
    with pytest.raises(GagalTtd, match="isinya ulang|mengisinya ulang"):
        PenyediaBsre(
            PengaturanTtd(
                instansi_id=1, penyedia="bsre", bsre_url="http://x", bsre_pengguna="a", bsre_sandi="rusak"
            )
        )


def test_the_fake_is_strict_about_fields_and_auth(palsu: bsre_palsu.BsrePalsu) -> None:
    import base64
    import json
    import urllib.error
    import urllib.request

    kunci = base64.b64encode(f"{bsre_palsu.PENGGUNA}:{bsre_palsu.SANDI}".encode()).decode()

    def kirim(isi: dict, auth: str = f"Basic {kunci}") -> tuple[int, dict]:
        req = urllib.request.Request(
            palsu.url + "/api/v2/sign/pdf",
            data=json.dumps(isi).encode(),
            headers={"Content-Type": "application/json", "Authorization": auth},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    dasar = {"nik": NIK, "passphrase": PASS, "signatureProperties": [], "file": []}
    assert kirim(dasar, auth="Basic eDp5")[0] == 401
    assert kirim({**dasar, "halaman": 1}) == (400, {"error": "Parameter tidak dikenal: halaman"})
    assert kirim({**dasar, "totp": TOTP})[0] == 400
    assert kirim({**dasar, "file": ["JVBERi0="], "signatureProperties": [{"page": "1"}]}) == (
        400,
        {"error": "signatureProperties: page bertipe salah"},
    )
