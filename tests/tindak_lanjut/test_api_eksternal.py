"""Read API for other agency systems (docs/rules.md §21.4): `/api/v1/eksternal/predikat` with instansi tokens
only, and the admin page that creates, lists and revokes those tokens.

Cast (tests/builders.py), built once: the kepala → the kabid → the pelaksana, whose TW I–III evaluations
are final (TW III rated Diatas Ekspektasi); the admin. Filters, pagination and the query count need a whole
instansi's finals and stay on the demo with its penilaian seed (`seeded`)."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, User
from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.models import TokenInstansi
from kinerja.tindak_lanjut.siasn.ekspor import services_token
from tests import builders as b
from tests.conftest import DEMO_NOW, demo_dinilai

NOW = DEMO_NOW
API = "/api/v1/eksternal/predikat"
PAGE = "/tindak-lanjut/token-sistem/"


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    skp = b.skp_disetujui(tim.bawahan)
    for nomor in (1, 2, 3):
        b.evaluasi_final(skp, tim.pp(nomor), hasil="diatas" if nomor == 3 else "sesuai")
    return tim


_tim, tim = b.pemeran_modul(_bangun, "tim")


@pytest.fixture
def inst(tim) -> Instansi:  # type: ignore[no-untyped-def]
    return tim.instansi


@pytest.fixture
def admin_user(tim) -> User:  # type: ignore[no-untyped-def]
    return tim.admin


@pytest.fixture
def pelaksana(tim) -> str:  # type: ignore[no-untyped-def]
    """The NIP of the pelaksana."""
    return tim.bawahan.nip


@pytest.fixture
def client_for(tim):  # type: ignore[no-untyped-def]
    """client_for("kabid") → a Client logged in as that member of the cast."""
    users = {
        "admin": tim.admin,
        "kepala": tim.kepala.user,
        "kabid": tim.atasan.user,
        "pelaksana": tim.bawahan.user,
    }
    return lambda role: b.klien(users[role])


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo with its pelaksanaan and penilaian seeds (TW I–III final), once for this module."""
    with demo_dinilai(django_db_blocker) as instansi:
        yield instansi


@pytest.fixture
def demo(seeded, db):  # type: ignore[no-untyped-def]
    return seeded


@pytest.fixture
def raw(inst, admin_user) -> str:  # type: ignore[no-untyped-def]
    return services_token.create_token(inst, admin_user, "Sistem TPP Sukamaju")[1]


@pytest.fixture
def raw_demo(demo) -> str:  # type: ignore[no-untyped-def]
    """A token of the demo instansi (for the cases about a whole instansi's finals)."""
    admin = User.objects.get(username="admin")
    return services_token.create_token(demo, admin, "Sistem TPP Sukamaju")[1]


def _bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _final(inst: Instansi, **kw: object):  # type: ignore[no-untyped-def]
    return Evaluasi.objects.filter(instansi=inst, status="final", periode__tahun=2026, **kw)


# --- authentication ---------------------------------------------------------------------------------------


def test_a_token_reads_its_instansi_final_predikat(inst, raw, pelaksana) -> None:  # type: ignore[no-untyped-def]
    response = _bearer(raw).get(API, {"tahun": 2026, "nip": pelaksana})
    assert response.status_code == 200
    body = response.json()
    evs = list(_final(inst, pegawai_nip=pelaksana).order_by("periode_penilaian__nomor"))
    assert body["count"] == len(evs) == 3
    for item, ev in zip(body["items"], evs, strict=True):
        assert item["nip"] == pelaksana and item["nama"] == ev.pegawai_nama
        assert (item["tahun"], item["jenis"], item["periode_nomor"]) == (
            2026,
            "periodik",
            ev.periode_penilaian.nomor,
        )
        assert (item["rating_hasil"], item["rating_perilaku"]) == (ev.rating_hasil, ev.rating_perilaku)
        assert item["predikat"] == ev.predikat
        assert item["predikat_label"] == ev.predikat_enum.label
        assert item["bulan_mulai"] == ev.periode_penilaian.mulai.month
        assert item["bulan_selesai"] == ev.periode_penilaian.selesai.month
        assert item["predikat_kode_siasn"] in {1, 2, 3, 4, 5}
        assert item["jabatan"] == ev.pegawai_jabatan and item["unit"] == ev.pegawai_unit
    assert body["items"][2]["rating_hasil"] == "diatas"  # the TW III override


@pytest.mark.parametrize(
    "header",
    [None, "Bearer kni_tidak-ada", "Bearer ", "Bearer " + "x" * 500, "Token abc", "Basic YWRtaW46eA=="],
)
def test_without_or_with_a_bad_token_is_401(inst, header) -> None:  # type: ignore[no-untyped-def]
    client = Client(headers={"Authorization": header}) if header else Client()
    response = client.get(API, {"tahun": 2026})
    assert response.status_code == 401
    assert "items" not in response.json()


def test_a_revoked_token_is_401_at_once(inst, raw, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _bearer(raw)
    assert client.get(API, {"tahun": 2026}).status_code == 200
    services_token.revoke_token(
        TokenInstansi.objects.get(sha256=hashlib.sha256(raw.encode()).hexdigest()), admin_user
    )
    response = client.get(API, {"tahun": 2026})
    assert response.status_code == 401
    assert "dicabut" in response.json()["detail"]


def test_a_session_is_refused_even_the_admins(inst, client_for) -> None:  # type: ignore[no-untyped-def]
    for role in ("admin", "kepala", "pelaksana"):
        assert client_for(role).get(API, {"tahun": 2026}).status_code == 401


def test_a_personal_token_is_refused(tim) -> None:  # type: ignore[no-untyped-def]
    _, personal = org_services.create_token(tim.bawahan.user, "Pribadi")
    assert _bearer(personal).get("/api/v1/me").status_code == 200
    assert _bearer(personal).get(API, {"tahun": 2026}).status_code == 401


def test_an_instansi_token_opens_nothing_else(inst, raw) -> None:  # type: ignore[no-untyped-def]
    for url in ("/api/v1/me", "/api/v1/pegawai", "/api/v1/skp"):
        assert _bearer(raw).get(url).status_code == 401


def test_a_session_together_with_a_bad_token_is_refused(inst, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("admin")
    assert client.get(API, {"tahun": 2026}, headers={"Authorization": "Bearer kni_salah"}).status_code == 401


def test_another_instansi_token_sees_none_of_this_ones_data(inst, pelaksana) -> None:  # type: ignore[no-untyped-def]
    other_instansi = b.InstansiFactory()
    lain = b.admin_instansi(other_instansi)
    _, raw_lain = services_token.create_token(other_instansi, lain, "TPP lain")
    client = _bearer(raw_lain)
    for params in ({"tahun": 2026}, {"tahun": 2026, "nip": pelaksana}, {"tahun": 2026, "jenis": "periodik"}):
        response = client.get(API, params)
        assert response.status_code == 200
        assert response.json() == {"items": [], "count": 0}


def test_last_use_is_recorded_at_most_once_a_minute(inst, raw) -> None:  # type: ignore[no-untyped-def]
    token = TokenInstansi.objects.get(sha256=hashlib.sha256(raw.encode()).hexdigest())
    assert token.terakhir_dipakai is None
    client = _bearer(raw)
    client.get(API, {"tahun": 2026})
    token.refresh_from_db()
    first = token.terakhir_dipakai
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        client.get(API, {"tahun": 2026})
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.terakhir_dipakai == first
    lama = first - datetime.timedelta(minutes=2)
    TokenInstansi.objects.filter(pk=token.pk).update(terakhir_dipakai=lama)
    client.get(API, {"tahun": 2026})
    token.refresh_from_db()
    assert token.terakhir_dipakai > lama


# --- filters, pagination, queries ---------------------------------------------------------------------


def test_only_final_evaluations_are_served(inst, raw, pelaksana) -> None:  # type: ignore[no-untyped-def]
    ev = _final(inst, pegawai_nip=pelaksana, periode_penilaian__nomor=2).get()
    Evaluasi.objects.filter(pk=ev.pk).update(status="dibuka_kembali")
    body = _bearer(raw).get(API, {"tahun": 2026, "nip": pelaksana}).json()
    assert [i["periode_nomor"] for i in body["items"]] == [1, 3]


def test_filters_and_validation(demo, raw_demo) -> None:  # type: ignore[no-untyped-def]
    inst, client = demo, _bearer(raw_demo)
    assert (
        client.get(API, {"tahun": 2026, "jenis": "tahunan"}).json()["count"]
        == _final(inst, jenis="tahunan").count()
        == 0
    )
    periodik = client.get(API, {"tahun": 2026, "jenis": "periodik", "page_size": 100}).json()
    assert periodik["count"] == _final(inst, jenis="periodik").count() > 90
    assert client.get(API, {"tahun": 2025}).json()["count"] == 0
    for bad in ({}, {"tahun": "dua"}, {"tahun": 2026, "jenis": "bulanan"}, {"tahun": 2026, "nip": "123"}):
        assert client.get(API, bad).status_code == 422


def test_pagination(demo, raw_demo) -> None:  # type: ignore[no-untyped-def]
    inst, client = demo, _bearer(raw_demo)
    total = _final(inst).count()
    first = client.get(API, {"tahun": 2026, "page_size": 10}).json()
    second = client.get(API, {"tahun": 2026, "page_size": 10, "page": 2}).json()
    assert first["count"] == second["count"] == total
    assert len(first["items"]) == len(second["items"]) == 10
    keys = lambda body: [(i["nip"], i["periode_nomor"]) for i in body["items"]]  # noqa: E731
    assert not set(keys(first)) & set(keys(second))
    assert keys(first) + keys(second) == sorted(keys(first) + keys(second))
    last = client.get(API, {"tahun": 2026, "page_size": 100, "page": (total - 1) // 100 + 1}).json()
    assert len(last["items"]) == total - 100 * ((total - 1) // 100)
    assert client.get(API, {"tahun": 2026, "page_size": 101}).status_code == 422
    assert client.get(API, {"tahun": 2026, "page": 0}).status_code == 422


def test_query_count_is_flat(demo, raw_demo) -> None:  # type: ignore[no-untyped-def]
    client = _bearer(raw_demo)
    client.get(API, {"tahun": 2026})  # records the last use first
    counts = []
    for size in (2, 100):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(API, {"tahun": 2026, "page_size": size}).json()
        assert len(body["items"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 3


# --- the token page ----------------------------------------------------------------------------------------


def test_the_admin_creates_a_token_shown_once(inst, tim, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("admin")
    response = client.post(PAGE, {"nama": "Manajemen talenta"})
    assert response.status_code == 200
    html = response.content.decode()
    (raw,) = re.findall(r'value="(kni_[^"]+)"', html)
    token = TokenInstansi.objects.get(nama="Manajemen talenta")
    assert token.instansi == inst and token.prefix == raw[:8]
    assert token.sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert token.history.get().history_user == tim.admin
    listing = client.get(PAGE).content.decode()
    assert "Manajemen talenta" in listing and raw not in listing and token.prefix in listing
    assert _bearer(raw).get(API, {"tahun": 2026}).status_code == 200


def test_a_token_needs_a_name(inst, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("admin").post(PAGE, {"nama": "  "})
    assert response.status_code == 422
    assert not TokenInstansi.objects.exists()


def test_the_admin_revokes_a_token_and_it_is_audited(inst, tim, client_for, raw) -> None:  # type: ignore[no-untyped-def]
    token = TokenInstansi.objects.get()
    client = client_for("admin")
    response = client.post(f"{PAGE}{token.pk}/cabut/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.dicabut_pada is not None
    latest = token.history.order_by("-history_id").first()
    assert latest.dicabut_pada is not None and latest.history_user == tim.admin
    html = client.get(PAGE).content.decode()
    assert "dicabut" in html and "Sistem TPP Sukamaju" in html
    assert _bearer(raw).get(API, {"tahun": 2026}).status_code == 401
    again = client.post(f"{PAGE}{token.pk}/cabut/", follow=True)
    assert "sudah dicabut" in again.content.decode()


@pytest.mark.parametrize("role", ["kepala", "kabid", "pelaksana"])
def test_only_the_admin_manages_tokens(inst, client_for, raw, role) -> None:  # type: ignore[no-untyped-def]
    token = TokenInstansi.objects.get()
    client = client_for(role)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"nama": "Siluman"}).status_code == 403
    assert client.post(f"{PAGE}{token.pk}/cabut/").status_code == 403
    token.refresh_from_db()
    assert token.dicabut_pada is None and TokenInstansi.objects.count() == 1


def test_the_admin_of_another_instansi_cannot_see_or_revoke(inst, raw) -> None:  # type: ignore[no-untyped-def]
    token = TokenInstansi.objects.get()
    client = b.klien(b.admin_instansi(b.InstansiFactory()))
    assert "Sistem TPP Sukamaju" not in client.get(PAGE).content.decode()
    assert client.post(f"{PAGE}{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.dicabut_pada is None


def test_the_service_refuses_a_non_admin(inst, tim) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    kepala = tim.kepala.user
    with pytest.raises(PermissionDenied):
        services_token.create_token(inst, kepala, "Siluman")


def test_the_endpoint_is_documented_with_its_own_security(inst) -> None:  # type: ignore[no-untyped-def]
    schema = Client().get("/api/v1/openapi.json").json()
    op = schema["paths"][API]["get"]
    assert op["security"] == [{"TokenInstansiAuth": []}]
