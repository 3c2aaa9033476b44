"""The penilaian API: capaian organisasi, pending evaluations, one evaluation (open, rate, mark
"tidak ada realisasi", accept / override, the atasan's adjustment, the admin's reopening), the rating group
(predikat, distribution check, what-if, finalisation) — with the pages' permission rules, 422 located at
the field, the optimistic-lock conflict (409), immutability after finalisation and flat query counts.

Every JSON answer of every request in this module goes through `ApiClient`, which asserts that each object
carrying ``rating_hasil``, ``rating_perilaku`` and ``predikat`` has predikat = kuadran(hasil, perilaku).

Cast: a small instansi of its own (`_bangun`, built once for the module): the kabid (head of the bidang
BIDANG) rates Ika (fungsional) and six pelaksana, Rahmat among them; the kepala heads the top unit BADAN and
is the kabid's penilai (Ika's atasan penilai); the Kepala Bidang Mutasi (KBMP) heads another unit; the
Sekretaris is also Plt. head of a bidang with no definitif head; the kepala has no penilai (the admin stands
in). Time is frozen at 24 November 2026 10:00 (TW I–III over).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, UnitKerja, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
from kinerja.permissions.penilaian import may_set_capaian_unit
from kinerja.rules import kuadran
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import Rating
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi
from tests.penilaian.conftest import isi_realisasi, nilai_semua, skp_of, tw, user_of

pytestmark = pytest.mark.django_db

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH
JSON = "application/json"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
API = "/api/v1/penilaian"
KONFLIK = "sudah diubah di tab/perangkat lain"

KEPALA = "197205142098031003"  # heads the top unit; no penilai
KABID = "197904182098012005"  # heads BIDANG, rated by the kepala
KBMP = "197811302098121004"  # Kepala Bidang Mutasi: another unit's head
SEKRETARIS = "197608222098122001"  # heads SEKR, and Plt. head of KOMPETENSI
FUNGSIONAL = "198506282098012004"  # Ika, rated by the kabid
PELAKSANA = "199108162098031001"  # Rahmat, rated by the kabid
PELAKSANA_LAIN = {
    "197510232098121002": "Andi Saputra",
    "198712092098011003": "Sinta Maharani",
    "199304112098031003": "Teguh Prasetyo",
    "199601202098122002": "Wahyu Nugroho",
    "199910012098211001": "Yanti Lestari",
}
#: The kabid's bawahan, each with an approved SKP.
BAWAHAN_KABID = [FUNGSIONAL, PELAKSANA, *PELAKSANA_LAIN]
ADMIN = "admin-nilai-api"  # the instansi's admin kepegawaian
KODE_INSTANSI = "NILAI-API"


def _bangun() -> None:
    inst = b.InstansiFactory(kode=KODE_INSTANSI, nama="Badan Uji Penilaian")
    badan = b.UnitKerjaFactory(instansi=inst, kode="BADAN", nama="Badan Uji Penilaian")

    def bidang(kode: str, nama: str) -> UnitKerja:
        return b.UnitKerjaFactory(instansi=inst, kode=kode, nama=nama, parent=badan)

    j_kepala = b.JabatanFactory(
        unit=badan, nama="Kepala Badan", jenis="jpt_pratama", pimpinan_unit=True, unit_kerja_mandiri=True
    )

    def kepala_bidang(kode: str, nama: str) -> Any:
        unit = bidang(kode, nama)
        return b.JabatanFactory(
            unit=unit, nama=f"Kepala {nama}", jenis="administrator", parent=j_kepala, pimpinan_unit=True
        )

    j_kabid = kepala_bidang("BIDANG", "Bidang Penilaian Kinerja")
    j_analis = b.JabatanFactory(
        unit=j_kabid.unit,
        nama="Analis SDM Aparatur",
        jenis="fungsional",
        jenjang="ahli_pertama",
        parent=j_kabid,
    )
    j_pengolah = b.JabatanFactory(unit=j_kabid.unit, nama="Pengolah Data", parent=j_kabid)
    b.PeriodeFactory(instansi=inst)
    b.admin_instansi(inst, ADMIN)
    kepala = b.pegawai_di(j_kepala, nip=KEPALA, pangkat_golongan="IV/c")
    kabid = b.pegawai_di(j_kabid, nip=KABID, pangkat_golongan="IV/a")
    ika = b.pegawai_di(j_analis, nip=FUNGSIONAL, nama="Ika Puspitasari", gelar_belakang="S.Psi., M.Psi.")
    pelaksana = [b.pegawai_di(j_pengolah, nip=PELAKSANA, nama="Rahmat Hidayat")] + [
        b.pegawai_di(j_pengolah, nip=nip, nama=nama) for nip, nama in PELAKSANA_LAIN.items()
    ]
    b.pegawai_di(kepala_bidang("MUTASI", "Bidang Mutasi"), nip=KBMP, pangkat_golongan="IV/a")
    sekretaris = b.pegawai_di(kepala_bidang("SEKR", "Sekretariat"), nip=SEKRETARIS, pangkat_golongan="IV/b")
    b.PenempatanFactory(
        pegawai=sekretaris,
        jabatan=kepala_bidang("KOMPETENSI", "Bidang Pengembangan Kompetensi"),
        jenis="plt",
        mulai=datetime.date(2025, 10, 1),
    )
    b.skp_disetujui(kepala)
    b.skp_disetujui(kabid)
    b.skp_disetujui(ika, rhk=["Tersusunnya analisis kinerja pegawai", "Tersusunnya rekomendasi pengembangan"])
    for peg in pelaksana:
        b.skp_disetujui(peg)
    perpanjang_batas_evaluasi(inst)


@pytest.fixture(scope="module", autouse=True)
def _pemeran(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with b.sekali(django_db_blocker, _bangun):
        yield


@pytest.fixture
def instansi(db: None) -> Instansi:
    """The cast's instansi (evaluation deadlines ahead)."""
    return Instansi.objects.get(kode=KODE_INSTANSI)


#: Every evaluation-like object seen in an answer: (rating_hasil, rating_perilaku, predikat).
DIPERIKSA: list[tuple[Any, Any, Any]] = []


def _cek_predikat(data: Any) -> None:
    if isinstance(data, dict):
        if {"rating_hasil", "rating_perilaku", "predikat"} <= data.keys():
            h, p = data["rating_hasil"], data["rating_perilaku"]
            harus = kuadran.predikat(Rating(h), Rating(p)).value if h and p else None
            assert data["predikat"] == harus, data
            DIPERIKSA.append((h, p, data["predikat"]))
        for v in data.values():
            _cek_predikat(v)
    elif isinstance(data, list):
        for v in data:
            _cek_predikat(v)


class ApiClient(Client):
    """A test client that checks the predikat of every evaluation in every JSON answer."""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        if response.get("Content-Type", "").startswith("application/json") and response.content:
            _cek_predikat(response.json())
        return response


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def c(who: str | User | None) -> ApiClient:
    """A client logged in as a NIP, a username, a user, or anonymous (None)."""
    client = ApiClient()
    if who is None:
        return client
    if isinstance(who, User):
        user = who
    elif who.isdigit():
        user = user_of(who)
    else:
        user = User.objects.get(username=who)
    client.force_login(user)
    return client


def token(who: str) -> ApiClient:
    _, raw = org_services.create_token(user_of(who), "uji")
    return ApiClient(headers={"Authorization": f"Bearer {raw}"})


def buka(nip: str, nomor: int | None = 1) -> Evaluasi:
    """The evaluation opened by its penilai through the services, with the periode's realisasi entered."""
    skp = skp_of(nip)
    isi_realisasi(skp, tw(skp, nomor or 1))
    penilai = user_of(skp.penilai.nip) if skp.penilai_id else User.objects.get(username=ADMIN)
    return services.open_evaluasi(skp, tw(skp, nomor) if nomor else None, penilai)


def nilai_lengkap(nip: str, hasil: Rating = S, perilaku: Rating = S) -> Evaluasi:
    """Opened, every RHK and value rated and the suggestion accepted by the penilai (services)."""
    ev = buka(nip)
    penilai = user_of(ev.penilai.nip)
    return services.set_rating(nilai_semua(ev, penilai, hasil, perilaku), penilai)


def _unit(kode: str) -> UnitKerja:
    return UnitKerja.objects.get(instansi__kode=KODE_INSTANSI, kode=kode)


def put(client: Client, url: str, body: dict) -> Any:
    return client.put(url, body, content_type=JSON)


def post(client: Client, url: str, body: dict | None = None) -> Any:
    return client.post(url, body or {}, content_type=JSON)


def ev_url(ev: Evaluasi, rest: str = "") -> str:
    return f"{API}/evaluasi/{ev.pk}{rest}"


def versi(ev: Evaluasi) -> int:
    return Evaluasi.objects.get(pk=ev.pk).versi


def loc(response: Any) -> list[list]:
    assert response.status_code == 422, response.content
    return [d["loc"] for d in response.json()["detail"]]


def kelompok_url(rest: str = "", **params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"periode": 1, **params}.items())
    return f"{API}/kelompok{rest}?{query}"


def tetapkan_capaian(nilai: str, nomor: int = 1) -> None:
    skp = skp_of(KABID)
    services.set_capaian_organisasi(_unit("BIDANG"), skp.periode, tw(skp, nomor), nilai, "", user_of(KEPALA))


# --- the predikat of every answer ---------------------------------------------------------------------


def test_every_evaluation_answer_carries_the_kuadran_predikat():
    """All nine cells through the API (the override needs its reason); `ApiClient` checks every answer."""
    ev = buka(FUNGSIONAL)
    kabid = c(KABID)
    mulai = len(DIPERIKSA)
    for r in ev.rating_rhk.all():
        assert (
            put(kabid, ev_url(ev, f"/rhk/{r.rhk_id}"), {"rating": "sesuai", "versi": versi(ev)}).status_code
            == 200
        )
    for n in BERAKHLAK:
        assert (
            put(
                kabid, ev_url(ev, f"/perilaku/{n.kode}"), {"rating": "sesuai", "versi": versi(ev)}
            ).status_code
            == 200
        )
    seen = set()
    for h in Rating:
        for p in Rating:
            body = {
                "rating_hasil": h.value,
                "alasan_hasil": "Kalibrasi uji.",
                "rating_perilaku": p.value,
                "alasan_perilaku": "Kalibrasi uji.",
                "versi": versi(ev),
            }
            data = post(kabid, ev_url(ev, "/keputusan"), body).json()
            assert (data["rating_hasil"], data["rating_perilaku"]) == (h.value, p.value)
            assert data["predikat"] == kuadran.predikat(h, p).value
            assert data["predikat_label"] == kuadran.predikat(h, p).label
            seen.add(data["predikat"])
            for who in (KABID, FUNGSIONAL, KEPALA, ADMIN):
                again = c(who).get(ev_url(ev)).json()
                assert again["predikat"] == data["predikat"]
            group = c(KABID).get(kelompok_url()).json()
            (me,) = [a for a in group["anggota"] if a["evaluasi_id"] == ev.pk]
            assert me["predikat"] == data["predikat"]
    assert len(seen) == 5
    assert len(DIPERIKSA) - mulai >= 9 * 6
    assert any(p is None for _, _, p in DIPERIKSA)  # before the decision: null, never a stale value


# --- one evaluation: reading and the permission matrix --------------------------------------------------


def test_reading_an_evaluation_shows_identity_ratings_suggestions_and_status():
    ev = buka(FUNGSIONAL)
    data = c(KABID).get(ev_url(ev)).json()
    skp = skp_of(FUNGSIONAL)
    assert (data["jenis"], data["status"], data["skp_id"]) == ("periodik", "draft", skp.pk)
    assert data["periode"] == {
        "tahun": 2026,
        "kode": "1",
        "nomor": 1,
        "nama": "Triwulan I",
        "mulai": "2026-01-01",
        "selesai": "2026-03-31",
    }
    assert data["pegawai"]["nip"] == FUNGSIONAL and data["pegawai"]["nama"] == skp.pegawai_nama
    assert data["penilai"]["nip"] == KABID and data["atasan_penilai"]["nip"] == KEPALA
    assert len(data["rating_rhk"]) == skp.rhk.count() and all(r["rating"] is None for r in data["rating_rhk"])
    assert [p["kode"] for p in data["rating_perilaku_nilai"]] == [n.kode for n in BERAKHLAK]
    assert data["saran_hasil"] is None and "belum dinilai" in data["saran_hasil_alasan"]
    assert data["dasar_hasil"] == "rhk" and data["unit_dipimpin"] is None
    assert data["peran"] == ["penilai"] and data["dapat_dinilai"] is True
    assert data["rhk_belum_siap"] == [] and all(r["siap"] for r in data["rating_rhk"])
    owner = c(FUNGSIONAL).get(ev_url(ev)).json()
    assert owner["peran"] == [] and owner["dapat_dinilai"] is False
    assert c(KEPALA).get(ev_url(ev)).json()["peran"] == ["atasan_penilai"]
    assert c(ADMIN).get(ev_url(ev)).json()["peran"] == ["admin"]
    assert c(KABID).get(f"{API}/evaluasi/999999").status_code == 404


def test_permission_matrix_of_the_evaluation_endpoints(other_instansi):
    ev = buka(FUNGSIONAL)
    rhk = ev.rating_rhk.order_by("urutan").first().rhk_id
    skp = skp_of(FUNGSIONAL)
    kabid = user_of(KABID)
    tolak = {FUNGSIONAL: 403, KBMP: 403, "admin-lain": 403, None: 401}

    def status(who: str | None, method: str, url: str, body: dict | None = None) -> int:
        client = c(who)
        if method == "get":
            return client.get(url).status_code
        return getattr(client, method)(url, body or {}, content_type=JSON).status_code

    # Read: the pegawai, the penilai, the atasan penilai, the admin; nobody else.
    for who, code in {**tolak, FUNGSIONAL: 200, KABID: 200, KEPALA: 200, ADMIN: 200}.items():
        assert status(who, "get", ev_url(ev)) == code, who
    assert token(KABID).get(ev_url(ev)).status_code == 200
    assert ApiClient(headers={"Authorization": "Bearer salah"}).get(ev_url(ev)).status_code == 401

    # Open: the penilai, the atasan penilai, the admin.
    buka_body = {"skp_id": skp.pk, "periode": 1}
    for who, code in {**tolak, KABID: 200, KEPALA: 200, ADMIN: 200}.items():
        assert status(who, "post", f"{API}/evaluasi", buka_body) == code, who

    dibaca = versi(ev)  # opening an existing one refreshes it (a new versi)
    # Rating, marking and deciding: the penilai only (the atasan and the admin read but do not rate).
    for who, code in {**tolak, KEPALA: 403, ADMIN: 403}.items():
        v = versi(ev)
        assert status(who, "put", ev_url(ev, f"/rhk/{rhk}"), {"rating": "sesuai", "versi": v}) == code, who
        assert status(who, "put", ev_url(ev, "/perilaku/BP"), {"rating": "sesuai", "versi": v}) == code, who
        body = {"alasan": "Kegiatan ditunda.", "versi": v}
        assert status(who, "post", ev_url(ev, f"/rhk/{rhk}/tanpa-realisasi"), body) == code, who
        assert status(who, "post", ev_url(ev, "/keputusan"), {"versi": v}) == code, who
    assert versi(ev) == dibaca  # nothing was written
    assert status(KABID, "put", ev_url(ev, f"/rhk/{rhk}"), {"rating": "sesuai", "versi": dibaca}) == 200
    tok = token(KABID)  # a token needs no CSRF and carries the same rights
    r = tok.put(ev_url(ev, "/perilaku/BP"), {"rating": "diatas", "versi": versi(ev)}, content_type=JSON)
    assert r.status_code == 200 and r.json()["rating_perilaku_nilai"][0]["rating"] == "diatas"

    # Adjusting: the atasan penilai only, once the penilai decided.
    nilai_semua(Evaluasi.objects.get(pk=ev.pk), kabid, S, S)
    services.set_rating(Evaluasi.objects.get(pk=ev.pk), kabid)
    body = {"alasan": "Kalibrasi kelompok.", "rating_perilaku": "diatas"}
    for who, code in {**tolak, KABID: 403, ADMIN: 403}.items():
        assert status(who, "post", ev_url(ev, "/penyesuaian"), {**body, "versi": versi(ev)}) == code, who
    r = c(KEPALA).post(ev_url(ev, "/penyesuaian"), {**body, "versi": versi(ev)}, content_type=JSON)
    assert r.status_code == 200, r.content
    assert r.json()["rating_perilaku"] == "diatas" and r.json()["disesuaikan_atasan_alasan"] == body["alasan"]
    assert r.json()["alasan_ubah_perilaku"].startswith("Disesuaikan atasan pejabat penilai")

    # Reopening (of a final evaluation): the admin of the instansi only.
    tetapkan_capaian("istimewa")
    for nip in BAWAHAN_KABID:
        if nip != FUNGSIONAL:
            nilai_lengkap(nip)
    services_kelompok.finalise_kelompok(kabid.pegawai, skp.periode, tw(skp, 1), kabid, "Kalibrasi selesai.")
    for who, code in {**tolak, KABID: 403, KEPALA: 403}.items():
        assert status(who, "post", ev_url(ev, "/buka-kembali"), {"alasan": "Keberatan."}) == code, who
    assert status(ADMIN, "post", ev_url(ev, "/buka-kembali"), {"alasan": "Keberatan."}) == 200


def test_the_annual_evaluation_is_opened_with_akhir():
    nilai_lengkap(FUNGSIONAL)
    r = post(c(KABID), f"{API}/evaluasi", {"skp_id": skp_of(FUNGSIONAL).pk, "periode": "akhir"})
    assert r.status_code == 200, r.content
    data = r.json()
    assert (
        data["jenis"] == "tahunan" and data["periode"]["kode"] == "akhir" and data["periode"]["nomor"] is None
    )
    assert data["periode"]["mulai"] == "2026-01-01" and data["periode"]["selesai"] == "2026-12-31"
    assert "evaluasi periodik" in data["isian_awal_alasan"] and data["status"] == "draft"
    assert all(r["rating"] == "sesuai" for r in data["rating_rhk"])  # prefilled from TW I, not decided


# --- validation, conflicts, the head-of-unit rule -------------------------------------------------------


def test_refusals_are_422_with_the_field_in_loc():
    ev = buka(FUNGSIONAL)
    kabid = c(KABID)
    rhk = ev.rating_rhk.order_by("urutan").first().rhk_id
    assert loc(put(kabid, ev_url(ev, f"/rhk/{rhk}"), {"rating": "luar_biasa", "versi": ev.versi})) == [
        ["body", "payload", "rating"]
    ]
    assert loc(put(kabid, ev_url(ev, f"/rhk/{rhk}"), {"rating": "sesuai"})) == [["body", "payload", "versi"]]
    r = post(kabid, ev_url(ev, f"/rhk/{rhk}/tanpa-realisasi"), {"alasan": "  ", "versi": ev.versi})
    assert loc(r) == [["body", "payload", "alasan"]] and "alasan" in r.json()["detail"][0]["msg"]
    # Deciding before every RHK and value is rated: refused on the rating, with the reason.
    r = post(kabid, ev_url(ev, "/keputusan"), {"versi": ev.versi})
    assert loc(r) == [["body", "payload", "rating_hasil"]] and "belum dinilai" in r.json()["detail"][0]["msg"]
    ev = nilai_semua(ev, user_of(KABID), S, S)
    # An override needs a written reason, named by its field; nothing is saved without it.
    r = post(kabid, ev_url(ev, "/keputusan"), {"rating_hasil": "diatas", "versi": ev.versi})
    assert loc(r) == [["body", "payload", "alasan_hasil"]]
    assert "berbeda dari saran (Sesuai Ekspektasi)" in r.json()["detail"][0]["msg"]
    r = post(
        kabid,
        ev_url(ev, "/keputusan"),
        {"rating_perilaku": "dibawah", "alasan_perilaku": "", "versi": ev.versi},
    )
    assert loc(r) == [["body", "payload", "alasan_perilaku"]]
    assert Evaluasi.objects.get(pk=ev.pk).status == "draft"
    r = post(
        kabid,
        ev_url(ev, "/keputusan"),
        {"rating_hasil": "diatas", "alasan_hasil": "Inovasi layanan daring.", "versi": ev.versi},
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["rating_hasil"], data["saran_hasil"], data["hasil_diubah_dari_saran"]) == (
        "diatas",
        "sesuai",
        True,
    )
    assert data["alasan_ubah_hasil"] == "Inovasi layanan daring." and data["status"] == "dinilai"
    assert data["predikat"] == "baik"
    # The atasan's adjustment needs a reason too.
    r = post(
        c(KEPALA),
        ev_url(ev, "/penyesuaian"),
        {"alasan": "", "rating_hasil": "sesuai", "versi": data["versi"]},
    )
    assert loc(r) == [["body", "payload", "alasan"]]
    # Unknown things: 404 for paths, 422 for the body and the query.
    assert put(kabid, ev_url(ev, "/rhk/999999"), {"rating": "sesuai", "versi": 1}).status_code == 404
    assert put(kabid, ev_url(ev, "/perilaku/XX"), {"rating": "sesuai", "versi": 1}).status_code == 404
    r = post(kabid, f"{API}/evaluasi", {"skp_id": skp_of(FUNGSIONAL).pk, "periode": 9})
    assert loc(r) == [["body", "payload", "periode"]] and "Periode ke-9" in r.json()["detail"][0]["msg"]
    assert loc(post(kabid, f"{API}/evaluasi", {"skp_id": skp_of(FUNGSIONAL).pk, "periode": 13}))[0][:3] == [
        "body",
        "payload",
        "periode",
    ]
    assert post(kabid, f"{API}/evaluasi", {"skp_id": 999999, "periode": 1}).status_code == 404
    assert loc(kabid.get(kelompok_url(periode="13")))[0] == ["query", "periode"]


def test_a_stale_versi_is_409_and_nothing_is_overwritten():
    ev = buka(FUNGSIONAL)
    kabid = c(KABID)
    rhk = ev.rating_rhk.order_by("urutan").first().rhk_id
    dibaca = ev.versi
    first = put(kabid, ev_url(ev, f"/rhk/{rhk}"), {"rating": "diatas", "catatan": "Tab 1", "versi": dibaca})
    assert first.status_code == 200 and first.json()["versi"] == dibaca + 1
    for url, body in [
        (ev_url(ev, f"/rhk/{rhk}"), {"rating": "dibawah", "catatan": "Tab 2", "versi": dibaca}),
        (ev_url(ev, "/perilaku/BP"), {"rating": "dibawah", "versi": dibaca}),
        (ev_url(ev, f"/rhk/{rhk}/tanpa-realisasi"), {"alasan": "Tab 2", "versi": dibaca}),
        (ev_url(ev, "/keputusan"), {"versi": dibaca}),
    ]:
        method = kabid.put if "/tanpa" not in url and "/keputusan" not in url else kabid.post
        stale = method(url, body, content_type=JSON)
        assert stale.status_code == 409, (url, stale.content)
        assert KONFLIK in stale.json()["detail"]
    row = Evaluasi.objects.get(pk=ev.pk).rating_rhk.get(rhk_id=rhk)
    assert (row.rating, row.catatan, row.tanpa_realisasi) == ("diatas", "Tab 1", False)
    assert versi(ev) == dibaca + 1


def test_the_head_of_a_unit_gets_the_capaian_of_their_unit():
    ev = buka(KABID)  # the kabid heads BIDANG; rated by the kepala
    kepala = c(KEPALA)
    data = kepala.get(ev_url(ev)).json()
    assert data["dasar_hasil"] == "pimpinan" and data["unit_dipimpin"]["kode"] == "BIDANG"
    assert data["saran_hasil"] is None and "belum ditetapkan" in data["saran_hasil_alasan"]
    r = put(
        kepala,
        f"{API}/capaian-organisasi/{_unit('BIDANG').pk}/2026/1",
        {"nilai": "istimewa", "catatan": "IKU tercapai."},
    )
    assert r.status_code == 200, r.content
    data = kepala.get(ev_url(ev)).json()
    assert (data["saran_hasil"], data["capaian_organisasi"]) == ("diatas", "istimewa")
    nilai_semua(Evaluasi.objects.get(pk=ev.pk), user_of(KEPALA), S, D)
    r = post(
        kepala, ev_url(ev, "/keputusan"), {"rating_hasil": "sesuai", "alasan_hasil": "x", "versi": versi(ev)}
    )
    assert (
        loc(r) == [["body", "payload", "rating_hasil"]]
        and "capaian kinerja organisasi" in r.json()["detail"][0]["msg"]
    )
    r = post(kepala, ev_url(ev, "/keputusan"), {"versi": versi(ev)})
    assert r.status_code == 200 and (r.json()["rating_hasil"], r.json()["predikat"]) == (
        "diatas",
        "sangat_baik",
    )


# --- capaian kinerja organisasi -----------------------------------------------------------------------


def test_capaian_list_shows_what_each_caller_may_see_and_set(instansi, other_instansi):
    def daftar(who: str, periode: str = "1") -> dict[str, bool]:
        r = c(who).get(f"{API}/capaian-organisasi?periode={periode}&tahun=2026")
        assert r.status_code == 200, r.content
        return {row["unit"]["kode"]: row["dapat_ditetapkan"] for row in r.json()["items"]}

    semua = set(UnitKerja.objects.filter(instansi=instansi).values_list("kode", flat=True))
    admin = daftar(ADMIN)
    assert set(admin) == semua and {k for k, v in admin.items() if v} == {"BADAN"}  # the top unit only
    kepala = daftar(KEPALA)
    # Never the top unit he heads: its capaian becomes his own rating hasil kerja.
    assert all(kepala.values()) and set(kepala) == {
        "SEKR",
        "MUTASI",
        "KOMPETENSI",
        "BIDANG",
    }
    assert daftar(KABID) == {}  # their own unit is set from above
    assert daftar(FUNGSIONAL) == {}
    assert c("admin-lain").get(f"{API}/capaian-organisasi?periode=1").status_code == 404  # no year yet
    assert daftar(ADMIN, "akhir") == admin
    assert c(None).get(f"{API}/capaian-organisasi?periode=1").status_code == 401
    assert c(ADMIN).get(f"{API}/capaian-organisasi?periode=akhr").status_code == 422
    assert c(ADMIN).get(f"{API}/capaian-organisasi?periode=1&tahun=2031").status_code == 404


def test_capaian_list_is_the_services_rule_for_every_caller(instansi):
    """A non-admin sees exactly the units `permissions.may_set_capaian_unit` lets them set."""
    tanggal = skp_of(KABID).periode.periode_penilaian.get(nomor=1).selesai
    units = list(UnitKerja.objects.filter(instansi=instansi))
    for nip in (KEPALA, KABID, KBMP, FUNGSIONAL, PELAKSANA, SEKRETARIS):
        user = user_of(nip)
        items = c(user).get(f"{API}/capaian-organisasi?periode=1").json()["items"]
        assert {r["unit"]["id"] for r in items} == {
            u.pk for u in units if may_set_capaian_unit(user, u, tanggal)
        }, nip
        assert all(r["dapat_ditetapkan"] for r in items)


def test_setting_the_capaian_of_a_unit(other_instansi):
    url = f"{API}/capaian-organisasi/{_unit('BIDANG').pk}/2026/1"
    body = {"nilai": "baik", "catatan": "IKU bidang tercapai sebagian besar."}
    for who, code in {
        KABID: 403,
        FUNGSIONAL: 403,
        KBMP: 403,
        ADMIN: 403,
        "admin-lain": 403,
        None: 401,
    }.items():
        assert put(c(who), url, body).status_code == code, who
    r = put(c(KEPALA), url, body)
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["nilai"], data["nilai_label"], data["catatan"]) == ("baik", "Baik", body["catatan"])
    assert data["ditetapkan_oleh"] == user_of(KEPALA).pegawai.nama and data["dapat_ditetapkan"] is True
    assert data["saran"] is None and "ambang" in data["saran_alasan"]  # the instansi sets no thresholds
    assert (
        c(ADMIN).get(url).json()["nilai"] == "baik" and c(ADMIN).get(url).json()["dapat_ditetapkan"] is False
    )
    for who in (KABID, FUNGSIONAL, KBMP):  # as on the page: whoever sets it, and the admin
        assert c(who).get(url).status_code == 403, who
    assert loc(put(c(KEPALA), url, {"nilai": "luar_biasa"})) == [["body", "payload", "nilai"]]
    top = f"{API}/capaian-organisasi/{_unit('BADAN').pk}/2026/akhir"
    assert put(c(KEPALA), top, {"nilai": "istimewa"}).status_code == 403  # the head of that unit
    r = put(c(ADMIN), top, {"nilai": "istimewa"})
    assert r.status_code == 422 and "keputusan PPK" in r.content.decode()
    ppk = {"ppk_pejabat": "Bupati Contoh", "ppk_nomor": "800/9", "ppk_tanggal": "2026-01-05"}
    r = put(c(ADMIN), top, {"nilai": "istimewa", **ppk})
    assert r.status_code == 200 and r.json()["periode"]["kode"] == "akhir"
    assert (r.json()["ppk_nomor"], r.json()["ppk_tanggal"]) == ("800/9", "2026-01-05")
    assert put(c(KEPALA), f"{API}/capaian-organisasi/999999/2026/1", body).status_code == 404
    assert put(c(KEPALA), f"{API}/capaian-organisasi/{_unit('BIDANG').pk}/2026/7", body).status_code == 404
    obj = _unit("BIDANG").capaian_organisasi.get()
    assert obj.history.first().history_user == user_of(KEPALA)


# --- pending evaluations ------------------------------------------------------------------------------


def test_pending_evaluations_of_a_penilai(other_instansi):
    kabid = c(KABID)
    data = kabid.get(f"{API}/tertunda?page_size=100").json()
    # TW I–III are over (TW IV and the year are not): seven bawahan x three periods, none opened.
    assert data["count"] == 21
    assert {r["periode"]["kode"] for r in data["items"]} == {"1", "2", "3"}
    assert {r["pegawai_nip"] for r in data["items"]} == set(BAWAHAN_KABID)
    assert all(
        r["status"] == "belum_dibuka" and r["kurang"] == ["Evaluasi belum dibuka."] for r in data["items"]
    )
    ev = buka(FUNGSIONAL)
    nilai_lengkap(PELAKSANA)
    rows = {r["pegawai_nip"]: r for r in kabid.get(f"{API}/tertunda?periode=1").json()["items"]}
    assert len(rows) == 7
    ika = rows[FUNGSIONAL]
    assert (ika["evaluasi_id"], ika["status"], ika["versi"]) == (ev.pk, "draft", ev.versi)
    assert ika["rhk_belum_dinilai"] == ev.rating_rhk.count() and ika["perilaku_belum_dinilai"] == 7
    assert ika["rhk_tanpa_realisasi"] == 0
    assert any("RHK belum dinilai" in k for k in ika["kurang"])
    assert rows[PELAKSANA]["status"] == "dinilai" and rows[PELAKSANA]["kurang"] == [
        "Menunggu finalisasi kelompok."
    ]
    # Paginated.
    page = kabid.get(f"{API}/tertunda?page_size=5&page=2").json()
    assert page["count"] == 21 and len(page["items"]) == 5
    # The annual one, when asked for; the SKP without penilai is the admin's.
    assert kabid.get(f"{API}/tertunda?periode=akhir").json()["count"] == 7
    admin = c(ADMIN).get(f"{API}/tertunda?periode=1").json()
    assert [r["pegawai_nip"] for r in admin["items"]] == [KEPALA]
    assert c(FUNGSIONAL).get(f"{API}/tertunda").json()["count"] == 0
    assert c("admin-lain").get(f"{API}/tertunda").status_code == 404  # no year yet
    assert c(None).get(f"{API}/tertunda").status_code == 401
    assert kabid.get(f"{API}/tertunda?periode=9").status_code == 404


def test_pending_counts_realisasi_like_the_gate():
    ev = buka(FUNGSIONAL, 2)
    from kinerja.pelaksanaan.models import Realisasi

    row = ev.rating_rhk.order_by("urutan").first()
    Realisasi.objects.filter(indikator__rhk=row.rhk, periode_penilaian=ev.periode_penilaian).delete()
    rows = {r["pegawai_nip"]: r for r in c(KABID).get(f"{API}/tertunda?periode=2").json()["items"]}
    assert rows[FUNGSIONAL]["rhk_tanpa_realisasi"] == len(selectors.rhk_belum_siap(ev)) == 1
    assert c(KABID).get(ev_url(ev)).json()["rhk_belum_siap"] == [row.rhk_id]


def test_pending_after_a_mutation_belongs_to_the_penilai_of_the_latest_skp():
    """Rahmat moves on 15 August: the kabid keeps TW I–II, the Kepala Bidang Mutasi (the new penilai)
    gets TW III (both SKP cover it; the later one decides) and the annual evaluation."""
    from kinerja.organisasi.models import Penempatan
    from kinerja.perencanaan.models import Skp

    lama = skp_of(PELAKSANA)
    lama.selesai = datetime.date(2026, 8, 14)
    lama.save()
    bambang = user_of(KBMP).pegawai
    baru = Skp.objects.get(pk=lama.pk)
    baru.pk = None
    baru.mulai, baru.selesai = datetime.date(2026, 8, 15), datetime.date(2026, 12, 31)
    baru.penilai = bambang
    baru.penilai_jabatan = Penempatan.objects.get(pegawai=bambang, jenis="definitif").jabatan
    baru.save()

    def punya(nip: str, periode: str) -> bool:
        items = c(nip).get(f"{API}/tertunda?periode={periode}&page_size=100").json()["items"]
        return any(r["pegawai_nip"] == PELAKSANA for r in items)

    assert [punya(KABID, p) for p in ("1", "2", "3", "akhir")] == [True, True, False, False]
    assert [punya(KBMP, p) for p in ("1", "2", "3", "akhir")] == [False, False, True, True]
    rows = c(KBMP).get(f"{API}/tertunda?periode=3").json()["items"]
    assert [r["skp_id"] for r in rows if r["pegawai_nip"] == PELAKSANA] == [baru.pk]


# --- the rating group ---------------------------------------------------------------------------------


@pytest.fixture
def kelompok_kabid() -> None:
    """The kabid's seven bawahan rated for TW I: all Baik (Sesuai / Sesuai)."""
    for nip in BAWAHAN_KABID:
        nilai_lengkap(nip)


def test_group_shows_predikat_and_the_distribution_check_with_names(kelompok_kabid, other_instansi):
    data = c(KABID).get(kelompok_url()).json()
    assert data["penilai"]["nip"] == KABID and data["unit"]["kode"] == "BIDANG"
    assert (data["kelompok"], data["mode_finalisasi"], data["capaian"], data["cek"]) == (
        "penilai",
        "peringatan",
        None,
        None,
    )
    assert len(data["anggota"]) == 7 and data["belum_dibuka"] == [] and data["belum_dinilai"] == []
    assert {j["predikat"]: j["jumlah"] for j in data["jumlah"]}["baik"] == 7
    tetapkan_capaian("baik")
    data = c(KABID).get(kelompok_url()).json()
    assert data["capaian"]["nilai"] == "baik"
    cek = data["cek"]
    assert cek["berlaku"] is True and cek["sesuai"] is False and cek["n"] == 7
    jenis = {p["jenis"]: p for p in cek["pelanggaran"]}
    assert set(jenis) == {"max", "harus_ada"}
    assert len(jenis["max"]["pegawai"]) == 7 and "Ika Puspitasari, S.Psi., M.Psi." in jenis["max"]["pegawai"]
    assert any(r["maximum"] == 4 and "baik" in r["predikat"] for r in cek["rentang"])
    # What-if: nothing is saved.
    w = c(KABID).get(kelompok_url("/what-if", capaian="istimewa")).json()
    assert w["capaian_sekarang"] == "baik" and [h["capaian"] for h in w["hasil"]] == ["istimewa"]
    assert w["hasil"][0]["cek"]["sesuai"] is True and w["hasil"][0]["cek"]["pelanggaran"] == []
    semua = c(KABID).get(kelompok_url("/what-if")).json()["hasil"]
    assert [h["capaian"] for h in semua] == ["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]
    bp = next(h for h in semua if h["capaian"] == "butuh_perbaikan")["cek"]
    assert any(len(p["di_luar"]) == 7 for p in bp["pelanggaran"])
    assert c(KABID).get(kelompok_url()).json()["capaian"]["nilai"] == "baik"
    assert loc(c(KABID).get(kelompok_url("/what-if", capaian="hebat")))[0] == ["query", "capaian"]


def test_group_permissions(kelompok_kabid, other_instansi):
    kabid_id = user_of(KABID).pegawai_id
    for rest in ("", "/what-if"):
        url = kelompok_url(rest, penilai_id=kabid_id)
        for who, code in {
            KABID: 200,
            KEPALA: 200,
            ADMIN: 200,
            FUNGSIONAL: 403,
            KBMP: 403,
            "admin-lain": 403,
            None: 401,
        }.items():
            assert c(who).get(url).status_code == code, (rest, who)
        assert token(KEPALA).get(url).status_code == 200
    assert c(KABID).get(kelompok_url()).json()["penilai"]["nip"] == KABID  # default: the caller
    assert c(KABID).get(kelompok_url(penilai_id=999999)).status_code == 404
    assert c(KABID).get(kelompok_url(tanpa_penilai="true")).status_code == 403
    admin = c(ADMIN).get(kelompok_url(tanpa_penilai="true")).json()
    assert admin["penilai"] is None and [s["pegawai_nip"] for s in admin["belum_dibuka"]] == [KEPALA]
    # A pegawai who rates nobody has no group.
    r = c(FUNGSIONAL).get(kelompok_url())
    assert r.status_code == 404 and "tidak menilai siapa pun" in r.json()["detail"]


def _finalisasi(who: str, **body: Any) -> Any:
    return post(c(who), f"{API}/kelompok/finalisasi", {"periode": 1, **body})


def test_finalising_in_warn_mode_needs_a_reason_for_violations(kelompok_kabid, other_instansi):
    r = _finalisasi(KABID)
    assert r.status_code == 422 and "belum ditetapkan" in r.json()["detail"][0]["msg"]
    tetapkan_capaian("butuh_perbaikan")  # BP ≥ 60 %: all Baik violates it
    r = _finalisasi(KABID)
    assert loc(r) == [["body", "payload", "alasan"]] and "tuliskan alasan" in r.json()["detail"][0]["msg"]
    assert not Evaluasi.objects.filter(status="final").exists()
    for who, code in {FUNGSIONAL: 403, KBMP: 403, ADMIN: 403, "admin-lain": 403, None: 401}.items():
        penilai = {"penilai_id": user_of(KABID).pegawai_id}
        assert _finalisasi(who, alasan="x", **penilai).status_code == code, who
    r = _finalisasi(KABID, alasan="Unit melampaui target triwulan.")
    assert r.status_code == 201, r.content
    data = r.json()
    assert (data["jumlah_pegawai"], data["capaian_organisasi"], data["alasan"]) == (
        7,
        "butuh_perbaikan",
        "Unit melampaui target triwulan.",
    )
    assert data["pelanggaran"] and data["oleh"] == user_of(KABID).pegawai.nama
    assert (
        Evaluasi.objects.filter(periode_penilaian__nomor=1, penilai__nip=KABID, status="final").count() == 7
    )
    group = c(KEPALA).get(kelompok_url(penilai_id=user_of(KABID).pegawai_id)).json()
    assert group["semua_final"] is True and {a["status"] for a in group["anggota"]} == {"final"}
    assert _finalisasi(KABID, alasan="lagi").status_code == 422  # already final


def test_finalising_without_violations_needs_no_reason_and_block_mode_refuses(kelompok_kabid):
    instansi = skp_of(KABID).instansi
    instansi.distribusi_mode = "blokir"
    instansi.save()
    tetapkan_capaian("baik")
    r = _finalisasi(KABID, alasan="alasan apa pun")
    assert r.status_code == 422 and "Finalisasi ditolak" in r.json()["detail"][0]["msg"]
    assert c(KABID).get(kelompok_url()).json()["mode_finalisasi"] == "blokir"
    tetapkan_capaian("istimewa")  # SB ≤ 70 %: all Baik is fine
    r = _finalisasi(KABID)
    assert r.status_code == 201 and r.json()["pelanggaran"] == [] and r.json()["alasan"] == ""
    assert FinalisasiKelompok.objects.filter(penilai__nip=KABID).count() == 1


def test_final_evaluations_are_immutable_and_the_admin_reopens_with_a_reason(kelompok_kabid):
    tetapkan_capaian("istimewa")
    assert _finalisasi(KEPALA, penilai_id=user_of(KABID).pegawai_id).status_code == 201  # the atasan may
    ev = Evaluasi.objects.get(pegawai__nip=FUNGSIONAL, periode_penilaian__nomor=1)
    rhk = ev.rating_rhk.first().rhk_id
    v = ev.versi
    for client, method, url, body in [
        (c(KABID), "put", ev_url(ev, f"/rhk/{rhk}"), {"rating": "diatas", "versi": v}),
        (c(KABID), "put", ev_url(ev, "/perilaku/BP"), {"rating": "diatas", "versi": v}),
        (c(KABID), "post", ev_url(ev, f"/rhk/{rhk}/tanpa-realisasi"), {"alasan": "x", "versi": v}),
        (
            c(KABID),
            "post",
            ev_url(ev, "/keputusan"),
            {"rating_hasil": "diatas", "alasan_hasil": "x", "versi": v},
        ),
        (
            c(KEPALA),
            "post",
            ev_url(ev, "/penyesuaian"),
            {"alasan": "x", "rating_hasil": "dibawah", "versi": v},
        ),
    ]:
        r = getattr(client, method)(url, body, content_type=JSON)
        assert r.status_code == 422, (url, r.content)
        assert "sudah final" in r.json()["detail"][0]["msg"]
    r = post(c(KABID), f"{API}/evaluasi", {"skp_id": ev.skp_id, "periode": 1})
    assert r.status_code == 200 and r.json()["status"] == "final"  # opening a final one changes nothing
    assert Evaluasi.objects.get(pk=ev.pk).versi == v

    # Reopening: the admin, with a reason; audited; then the penilai may change it and finalise again.
    assert loc(post(c(ADMIN), ev_url(ev, "/buka-kembali"), {"alasan": "  "})) == [
        ["body", "payload", "alasan"]
    ]
    r = post(c(ADMIN), ev_url(ev, "/buka-kembali"), {"alasan": "Keberatan pegawai dikabulkan sebagian."})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "dibuka_kembali" and r.json()["dibuka_kembali_alasan"].startswith(
        "Keberatan"
    )
    admin = User.objects.get(username=ADMIN)
    terakhir = Evaluasi.objects.get(pk=ev.pk).history.first()
    assert terakhir.history_user == admin and terakhir.status == "dibuka_kembali"
    assert terakhir.dibuka_kembali_alasan == "Keberatan pegawai dikabulkan sebagian."
    body = {"rating_hasil": "diatas", "alasan_hasil": "Bukti tambahan diterima.", "versi": r.json()["versi"]}
    r = post(c(KABID), ev_url(ev, "/keputusan"), body)
    assert r.status_code == 200 and (r.json()["status"], r.json()["predikat"]) == ("dibuka_kembali", "baik")
    assert _finalisasi(KABID).status_code == 201
    ev.refresh_from_db()
    assert (ev.status, ev.rating_hasil) == ("final", "diatas")
    assert list(ev.history.values_list("status", flat=True)[:3]) == [
        "final",
        "dibuka_kembali",
        "dibuka_kembali",
    ]


# --- query counts -------------------------------------------------------------------------------------


def _tim_dinilai(n: int, kode: str) -> bench.Tim:
    """A head with `n` bawahan (bulk-built), every TW I evaluation opened and rated, the capaian set."""
    instansi, periode = bench.create_instansi(kode, 2026)
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, n)
    perpanjang_batas_evaluasi(instansi)
    tw1 = periode.periode_penilaian.get(nomor=1)
    for i, skp in enumerate(_skp_periode(periode)):
        ev = services.open_evaluasi(skp, tw1, t.user)
        ev = nilai_semua(ev, t.user, [D, S, B][i % 3], S)
        services.set_rating(ev, t.user)
    # The head's own (top) unit: set by an admin on the PPK's written decision, never by the head.
    admin = User.objects.create(username=f"admin-{kode}", admin_instansi=instansi)
    ppk = services.KeputusanPpk("PPK", "800/1", datetime.date(2026, 4, 2))
    services.set_capaian_organisasi(t.unit, periode, tw1, "baik", "", admin, ppk)
    return t


def _skp_periode(periode: Any) -> Any:
    from kinerja.perencanaan.models import Skp

    return Skp.objects.filter(periode=periode, status="disetujui").select_related("periode", "pegawai")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_group_and_pending_query_counts_are_flat(db):
    kecil, besar = _tim_dinilai(3, "API-NILAI-3"), _tim_dinilai(12, "API-NILAI-12")
    hasil = {}
    for t in (kecil, besar):
        client = c(t.user)
        data = client.get(kelompok_url()).json()
        assert len(data["anggota"]) == (3 if t is kecil else 12) and data["cek"] is not None
        client.get(kelompok_url())  # warm per-user caches alike
        hasil[t.instansi.kode] = (
            _queries(client, kelompok_url()),
            _queries(client, kelompok_url("/what-if")),
            _queries(client, f"{API}/tertunda?periode=1"),
            _queries(client, f"{API}/tertunda"),
        )
    assert hasil["API-NILAI-3"] == hasil["API-NILAI-12"], hasil
    assert hasil["API-NILAI-12"][0] <= 20, hasil


def test_an_rhk_id_beyond_any_key_is_422_on_an_existing_evaluation():
    """The id bounds are declared on every path (docs/rules.md §25.1): a 20-digit RHK id on a real
    evaluation is refused by the contract, not by a database overflow."""
    ev = buka(FUNGSIONAL)
    kabid = c(KABID)
    for response in (
        put(kabid, ev_url(ev, "/rhk/100000000000000000000"), {"rating": "sesuai", "versi": ev.versi}),
        post(
            kabid,
            ev_url(ev, "/rhk/100000000000000000000/tanpa-realisasi"),
            {"alasan": "x", "versi": ev.versi},
        ),
    ):
        assert loc(response) == [["path", "rhk_id"]]
        assert response.json()["detail"][0]["msg"] == "Paling besar 9223372036854775807."
