"""The SIASN client against the strict local fake server (tests/siasn_palsu.py): tokens, look-up, both
saves, upload, strictness, retries; no secret in logs or messages (docs/rules.md §21.7)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from kinerja.tindak_lanjut.siasn import klien as k
from tests.siasn_palsu import GATEWAY_SECRET, SSO_PASSWORD, Server, SiasnPalsu

NIP = "199108162015031001"
PDF = b"%PDF-1.4\n% evaluasi\n%%EOF\n"


@pytest.fixture
def palsu() -> Iterator[SiasnPalsu]:
    with Server() as state:
        yield state


class Jam:
    def __init__(self) -> None:
        self.t = 1000.0
        self.tidur: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, detik: float) -> None:
        self.tidur.append(detik)


@pytest.fixture
def jam() -> Jam:
    return Jam()


@pytest.fixture
def klien(palsu: SiasnPalsu, jam: Jam) -> k.KlienHttp:
    konfigurasi = k.Konfigurasi.from_env(palsu.lingkungan())
    assert konfigurasi is not None
    return k.KlienHttp(konfigurasi, sleep=jam.sleep, clock=jam)


def _periodik(pns_id: str, **ubah: Any) -> dict[str, Any]:
    body = {
        "id": "",
        "pnsDinilaiId": pns_id,
        "tahun": 2026,
        "periodikId": "2",
        "koefisienId": "",
        "bulanMulaiPenilaian": 1,
        "bulanSelesaiPenilaian": 3,
        "tahunMulaiPenilaian": 2026,
        "tahunSelesaiPenilaian": 2026,
        "hasilKinerjaNilai": 2,
        "perilakuKerjaNilai": 2,
        "kuadranKinerjaNilai": 2,
        "penilaiGolongan": "41",
        "penilaiJabatanNama": "Kepala Bidang",
        "penilaiNama": "Ratna",
        "penilaiNipNrp": "197904182005012005",
        "penilaiUnorNama": "Bidang",
        "statusPenilai": "ASN",
        "path": [],
    }
    body.update(ubah)
    return body


def test_configuration_from_the_environment() -> None:
    assert k.Konfigurasi.from_env({}) is None
    with pytest.raises(k.KonfigurasiError, match="SIASN_SSO_PASSWORD") as e:
        k.Konfigurasi.from_env({"SIASN_GATEWAY_URL": "https://x/apisiasn/1.0/"})
    assert "SIASN_GATEWAY_CLIENT_SECRET" in e.value.pesan
    env = {v: f"https://siasn.test/{v}" if v.endswith("_URL") else f"nilai-{v}" for v in k.ENV}
    konf = k.Konfigurasi.from_env(env)
    assert konf is not None and "nilai-SIASN_SSO_PASSWORD" not in repr(konf)
    with pytest.raises(k.KonfigurasiError, match="SIASN_SSO_TOKEN_URL harus berupa alamat http"):
        k.Konfigurasi.from_env({**env, "SIASN_SSO_TOKEN_URL": "file:///etc/passwd"})


def test_lookup_returns_the_siasn_id_and_tokens_are_fetched_once(palsu, klien) -> None:  # type: ignore[no-untyped-def]
    pns_id = palsu.tambah_pns(NIP, nama="Rahmat Hidayat")
    assert klien.data_utama(NIP)["id"] == pns_id
    assert klien.data_utama(NIP)["nama"] == "Rahmat Hidayat"
    assert palsu.token_diminta == 2  # gateway + SSO, reused for the second call
    with pytest.raises(
        k.SiasnError, match="HTTP 404: Data PNS dengan NIP 199001012020121001 tidak ditemukan"
    ):
        klien.data_utama("199001012020121001")


def test_tokens_are_renewed_when_they_expire_and_after_a_401(palsu, klien, jam) -> None:  # type: ignore[no-untyped-def]
    palsu.tambah_pns(NIP)
    klien.data_utama(NIP)
    jam.t += palsu.umur_token  # past the expiry the server gave (minus the margin)
    klien.data_utama(NIP)
    assert palsu.token_diminta == 4
    palsu.token_diberikan.clear()  # the server revoked every token
    klien.data_utama(NIP)
    assert palsu.token_diminta == 6
    assert [s for _, _, s in palsu.log].count(401) == 1


def test_both_saves_create_then_update_the_same_record(palsu, klien) -> None:  # type: ignore[no-untyped-def]
    pns_id = palsu.tambah_pns(NIP)
    rid = klien.save("kinerjaperiodik/save", _periodik(pns_id))
    assert klien.save("kinerjaperiodik/save", _periodik(pns_id, id=rid, kuadranKinerjaNilai=2)) == rid
    tahunan = {
        "id": "",
        "pnsDinilaiOrang": pns_id,
        "tahun": 2025,
        "hasilKinerjaNilai": 1,
        "perilakuKerjaNilai": 1,
        "kuadranKinerjaNilai": 1,
        "penilaiGolongan": "41",
        "penilaiJabatan": "Kepala Bidang",
        "penilaiNama": "Ratna",
        "penilaiNipNrp": "197904182005012005",
        "penilaiUnorNama": "Bidang",
        "statusPenilai": "ASN",
        "path": [],
    }
    rid2 = klien.save("skp22/save", tahunan)
    assert len(palsu.riwayat) == 2 and rid2 != rid
    assert palsu.riwayat[rid2] == ("skp22/save", tahunan)


@pytest.mark.parametrize(
    ("ubah", "pesan"),
    [
        ({"pnsDinilaiNip": NIP}, 'Unrecognized field "pnsDinilaiNip"'),
        ({"hasilKinerja": "Sesuai Ekspektasi"}, "Unrecognized field"),
        ({"tahun": "2026"}, "Field tahun has wrong type"),
        ({"hasilKinerjaNilai": True}, "wrong type"),
        ({"kuadranKinerjaNilai": 6}, "Kode kuadranKinerjaNilai tidak dikenal"),
        ({"periodikId": "3"}, "Kode periodikId tidak dikenal"),
        ({"penilaiGolongan": "IV/a"}, "Kode penilaiGolongan tidak dikenal"),
        ({"id": "TIDAKADA"}, "Riwayat TIDAKADA tidak ditemukan"),
        ({"pnsDinilaiId": "X"}, "pnsDinilaiId tidak ditemukan"),
    ],
)
def test_the_fake_is_strict_and_the_client_reports_its_text(palsu, klien, ubah, pesan) -> None:  # type: ignore[no-untyped-def]
    pns_id = palsu.tambah_pns(NIP)
    with pytest.raises(k.SiasnError, match="HTTP 400: ") as e:
        klien.save("kinerjaperiodik/save", _periodik(pns_id, **ubah))
    assert pesan in e.value.pesan and e.value.status == 400
    assert not palsu.riwayat


def test_missing_field_is_refused(palsu, klien) -> None:  # type: ignore[no-untyped-def]
    body = _periodik(palsu.tambah_pns(NIP))
    del body["koefisienId"]
    with pytest.raises(k.SiasnError, match="Field koefisienId is required"):
        klien.save("kinerjaperiodik/save", body)


def test_upload_and_reference_the_document(palsu, klien) -> None:  # type: ignore[no-untyped-def]
    pns_id = palsu.tambah_pns(NIP)
    dok = klien.upload("890", "Evaluasi-199108162015031001-2026-P1.pdf", PDF)
    assert set(dok) == {"dok_id", "dok_nama", "dok_uri", "object", "slug"} and dok["dok_id"] == "890"
    rid = klien.save("kinerjaperiodik/save", _periodik(pns_id, path=[dok]))
    assert palsu.riwayat[rid][1]["path"] == [dok]
    with pytest.raises(k.SiasnError, match="id_ref_dokumen tidak dikenal"):
        klien.upload("999", "x.pdf", PDF)
    with pytest.raises(k.SiasnError, match="path: dokumen lain.pdf tidak ada"):
        klien.save("kinerjaperiodik/save", _periodik(pns_id, path=[{**dok, "dok_uri": "lain.pdf"}]))


def test_429_and_503_are_retried_with_backoff(palsu, klien, jam) -> None:  # type: ignore[no-untyped-def]
    palsu.tambah_pns(NIP)
    palsu.gangguan += [429, 503, 503]
    assert klien.data_utama(NIP)["nipBaru"] == NIP
    assert jam.tidur == [1.0, 2.0, 4.0]


def test_retries_give_up_with_the_last_status(palsu, klien, jam) -> None:  # type: ignore[no-untyped-def]
    palsu.tambah_pns(NIP)
    palsu.gangguan += [503] * 5
    with pytest.raises(k.SiasnError, match="HTTP 503: Down") as e:
        klien.data_utama(NIP)
    assert e.value.status == 503 and len(jam.tidur) == klien.k.percobaan - 1


def test_400_is_not_retried(palsu, klien, jam) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(k.SiasnError):
        klien.save("skp22/save", {"id": ""})
    assert jam.tidur == [] and [s for _, _, s in palsu.log][-1] == 400


def test_no_secret_or_token_in_logs_or_messages(palsu, klien, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    palsu.tambah_pns(NIP)
    palsu.gangguan += [429]
    klien.data_utama(NIP)
    with pytest.raises(k.SiasnError) as e:
        klien.save("skp22/save", {"id": ""})
    rahasia = [GATEWAY_SECRET, SSO_PASSWORD, *palsu.token_diberikan]
    teks = caplog.text + e.value.pesan
    assert "SIASN GET pns/data-utama" in caplog.text
    assert not [r for r in rahasia if r in teks]


def test_wrong_credentials_are_reported_without_the_answer(palsu) -> None:  # type: ignore[no-untyped-def]
    env = {**palsu.lingkungan(), "SIASN_SSO_PASSWORD": "salah"}
    konf = k.Konfigurasi.from_env(env)
    assert konf is not None
    with pytest.raises(k.SiasnError, match=r"Token SIASN tidak diberikan oleh 127\.0\.0\.1:\d+ \(HTTP 401\)"):
        k.KlienHttp(konf).data_utama(NIP)


def test_unreachable_server_is_a_clear_error() -> None:
    konf = k.Konfigurasi.from_env(
        {v: "http://127.0.0.1:9/apisiasn/1.0/" if "URL" in v else "x" for v in k.ENV}
    )
    assert konf is not None
    with pytest.raises(k.SiasnError, match="SIASN tidak dapat dihubungi"):
        k.KlienHttp(konf).data_utama(NIP)


def test_connection_dropped_mid_answer_is_unreachable_not_a_crash() -> None:
    """A gateway that promises a body and closes halfway (http.client.IncompleteRead) is a passing trouble,
    retried by the queue like an outage (docs/rules.md §21.9)."""
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)

    def layani() -> None:
        for _ in range(4):
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(
                b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"acc'
            )
            conn.close()

    threading.Thread(target=layani, daemon=True).start()
    url = f"http://127.0.0.1:{srv.getsockname()[1]}/"
    konf = k.Konfigurasi.from_env({v: url if "URL" in v else "x" for v in k.ENV})
    assert konf is not None
    try:
        with pytest.raises(k.SiasnTakTerjangkau, match="SIASN tidak dapat dihubungi"):
            k.KlienHttp(konf).data_utama(NIP)
    finally:
        srv.close()


def test_a_worker_reuses_its_tokens_across_sends(palsu, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for nama, nilai in palsu.lingkungan().items():
        monkeypatch.setenv(nama, nilai)
    palsu.tambah_pns(NIP, "Rahmat Hidayat")
    pertama = k.klien_from_env()
    assert pertama is not None
    for _ in range(3):
        klien = k.klien_from_env()
        assert klien is pertama
        assert klien.data_utama(NIP)["nipBaru"] == NIP
    assert palsu.token_diminta == 2  # one gateway and one SSO token for the three calls
    monkeypatch.setenv("SIASN_SSO_USERNAME", "operator.lain")
    assert k.klien_from_env() is not pertama  # another configuration, another client
