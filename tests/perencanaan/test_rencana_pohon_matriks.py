"""Cascading views: pohon kinerja and Matriks Pembagian Peran dan Hasil (content, permission, query counts).

Cast (tests/builders.py), built once: the kepala (top unit) → the sekretaris Sri Wahyuni (Sekretariat), the
kabid Bambang Sutrisno (Bidang Mutasi) and the kabid Ratna Sari Dewi (Bidang Uji) → the pelaksana Rahmat
Hidayat (Pengolah Data Uji) and a fungsional in Bidang Uji; the admin. SKP are written through the services
on a fresh 2027 periode, so the cascade is known exactly.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisasi.models import Pegawai, Periode, UnitKerja, User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Rhk, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

TAHUN = 2027


def _bangun() -> dict[str, Pegawai | User]:
    tim = b.atasan_dan_bawahan(atasan={"nama": "Ratna Sari Dewi"}, bawahan={"nama": "Rahmat Hidayat"})
    b.PeriodeFactory(instansi=tim.instansi, tahun=TAHUN)
    fungsional = b.pegawai_di(
        b.JabatanFactory(
            unit=tim.bidang,
            nama="Analis Uji",
            jenis="fungsional",
            jenjang="ahli_pertama",
            parent=tim.atasan.penempatan.get().jabatan,
        )
    )
    return {
        "kepala": tim.kepala,
        "sekretaris": b.kabid_lain(tim, "Sekretariat", nama="Sri Wahyuni"),
        "kabid_mp": b.kabid_lain(
            tim, "Bidang Mutasi", nama="Bambang Sutrisno", gelar_belakang="S.IP., M.AP."
        ),
        "kabid": tim.atasan,
        "pelaksana": tim.bawahan,
        "fungsional": fungsional,
        "admin": tim.admin,
    }


_pemeran, pemeran = b.pemeran_modul(_bangun, "pemeran")


@pytest.fixture
def client_for(pemeran):  # type: ignore[no-untyped-def]
    """client_for("kabid") → a Client logged in as that member of the cast."""
    return lambda peran: b.klien(pemeran["admin"] if peran == "admin" else pemeran[peran].user)


@pytest.fixture
def periode(pemeran) -> Periode:
    return Periode.objects.get(instansi=pemeran["kepala"].instansi, tahun=TAHUN)


def _unit(pegawai: Pegawai) -> UnitKerja:
    """The unit ``pegawai`` works in (the one they head, for a head)."""
    return pegawai.penempatan.get().jabatan.unit


def _skp(pegawai: Pegawai, periode: Periode) -> tuple[Skp, User]:
    user = pegawai.user
    return services.create_skp(pegawai, periode, user), user


def _rhk(skp: Skp, user: User, teks: str, induk: Rhk | None = None) -> Rhk:
    return services.save_rhk(skp, user, teks=teks, intervensi=induk)[0]


def _queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def cascade(periode, pemeran):
    """Kepala: three RHK; Sekretaris and two Kabid intervene the first two; the third is left uncovered;
    the two Kabid write the same result (up to case and spacing) for the second one."""
    skp, user = _skp(pemeran["kepala"], periode)
    a = _rhk(skp, user, "Meningkatnya kualitas layanan kepegawaian")
    b = _rhk(skp, user, "Meningkatnya penerapan sistem merit")
    c = _rhk(skp, user, "Terwujudnya pengelolaan anggaran yang akuntabel")
    sek, sek_user = _skp(pemeran["sekretaris"], periode)
    _rhk(sek, sek_user, "Tersedianya layanan umum yang tertib", a)
    mp, mp_user = _skp(pemeran["kabid_mp"], periode)
    _rhk(mp, mp_user, "Terlaksananya mutasi berbasis merit", a)
    _rhk(mp, mp_user, "Tersedianya data formasi jabatan", b)
    pkp, pkp_user = _skp(pemeran["kabid"], periode)
    _rhk(pkp, pkp_user, "tersedianya  data Formasi jabatan", b)
    return {"a": a, "b": b, "c": c, "pkp": pkp, "pkp_user": pkp_user}


def test_matriks_shows_uncovered_rows_and_duplicate_roles(client_for, cascade):
    html = client_for("kepala").get(reverse("rencana:matriks_saya") + f"?tahun={TAHUN}", follow=True)
    html = html.content.decode()
    assert "Matriks Pembagian Peran dan Hasil 2027" in html
    for nama in ("Sri Wahyuni", "Bambang Sutrisno", "Ratna Sari Dewi"):
        assert nama in html
    assert "1 RHK pimpinan belum diintervensi" in html
    assert html.count('class="tidak-tercakup"') == 1
    uncovered_row = html[html.index('class="tidak-tercakup"') :]
    assert uncovered_row.index(cascade["c"].teks) < uncovered_row.index("</tr>")
    assert "1 peran ganda" in html and html.count('class="sel-duplikat"') == 2
    assert "“Tersedianya data formasi jabatan” — Bambang Sutrisno, S.IP., M.AP., Ratna Sari Dewi" in html


def test_matriks_query_count_does_not_grow_with_bawahan(client_for, periode, pemeran):
    skp, user = _skp(pemeran["kepala"], periode)
    induk = [_rhk(skp, user, f"Meningkatnya hasil kerja badan nomor {i}") for i in range(3)]
    admin = client_for("admin")
    url = reverse("rencana:matriks", args=[_unit(pemeran["kepala"]).pk]) + f"?tahun={TAHUN}"
    sek, sek_user = _skp(pemeran["sekretaris"], periode)
    _rhk(sek, sek_user, "Tersedianya layanan sekretariat", induk[0])
    satu = _queries(admin, url)
    for kabid in (pemeran["kabid_mp"], pemeran["kabid"]):
        bawahan, bawahan_user = _skp(kabid, periode)
        for r in induk:
            _rhk(bawahan, bawahan_user, f"Terlaksananya dukungan bidang untuk {r.teks}", r)
    tiga = _queries(admin, url)
    assert "Ratna Sari Dewi" in admin.get(url).content.decode()
    assert satu == tiga


def test_matriks_permission(client_for, pemeran):
    root, bpkp, bmp = (_unit(pemeran[p]) for p in ("kepala", "kabid", "kabid_mp"))

    def status(client: Client, unit: UnitKerja) -> int:
        return client.get(reverse("rencana:matriks", args=[unit.pk])).status_code

    admin, kepala, kabid, pelaksana = (client_for(r) for r in ("admin", "kepala", "kabid", "pelaksana"))
    assert [status(admin, u) for u in (root, bpkp, bmp)] == [200, 200, 200]
    assert [status(kepala, u) for u in (root, bpkp, bmp)] == [200, 200, 200]  # the head and above
    assert [status(kabid, u) for u in (root, bpkp, bmp)] == [200, 200, 403]  # shown in root's; heads bpkp
    assert [status(pelaksana, u) for u in (root, bpkp, bmp)] == [403, 200, 403]  # shown in bpkp's only
    lain = b.klien(b.admin_instansi(b.InstansiFactory()))
    assert status(lain, root) == 403
    # The unit picker offers a pegawai only the matriks they may open.
    html = kabid.get(reverse("rencana:matriks", args=[bpkp.pk])).content.decode()
    assert f'<option value="{root.pk}"' in html and f'<option value="{bmp.pk}"' not in html
    html = pelaksana.get(reverse("rencana:matriks", args=[bpkp.pk])).content.decode()
    assert f'<option value="{bpkp.pk}" selected' in html and f'<option value="{root.pk}"' not in html


def test_pohon_runs_from_the_pk_down_with_names_and_status_but_no_nip(client_for, cascade, pemeran):
    pkp = cascade["pkp"]
    kabid_rhk = pkp.rhk.get()
    pel_skp, pel_user = _skp(pemeran["pelaksana"], pkp.periode)
    _rhk(pel_skp, pel_user, "Tersedianya rekap formasi per unit kerja", kabid_rhk)
    html = client_for("kepala").get(reverse("rencana:pohon") + f"?tahun={TAHUN}").content.decode()
    for teks in (
        cascade["a"].teks,
        "Tersedianya layanan umum yang tertib",
        "Tersedianya rekap formasi per unit",
    ):
        assert teks in html
    nip = pemeran["pelaksana"].nip
    assert "Rahmat Hidayat" in html and "Pengolah Data Uji" in html and "draft" in html
    assert nip not in html and nip[:8] + " " not in html
    assert f"Perjanjian Kinerja {_unit(pemeran['kepala']).nama}" in html and "belum dibuat" in html
    # A unit's subtree: its head's RHK are the roots; other branches are not shown.
    html = (
        client_for("kabid")
        .get(reverse("rencana:pohon") + f"?tahun={TAHUN}&unit={_unit(pemeran['kabid']).pk}")
        .content.decode()
    )
    assert "tersedianya  data Formasi jabatan" in html and "Tersedianya rekap formasi" in html
    assert "Tersedianya layanan umum yang tertib" not in html


def test_pohon_shows_an_rhk_only_to_those_who_may_read_its_skp(client_for, cascade, pemeran):
    """The content of an RHK follows `perencanaan.view_skp` of its SKP (drafts of the head and of peers
    included): the node stays in place with whose RHK it is, so the readable RHK below it keep their place."""
    pkp = cascade["pkp"]
    pel_skp, pel_user = _skp(pemeran["pelaksana"], pkp.periode)
    _rhk(pel_skp, pel_user, "Tersedianya rekap formasi per unit kerja", pkp.rhk.get())
    url = reverse("rencana:pohon") + f"?tahun={TAHUN}"
    tertutup = "Isi RHK tidak ditampilkan"

    html = client_for("pelaksana").get(url).content.decode()
    assert "Tersedianya rekap formasi per unit kerja" in html  # their own
    lain = (cascade["a"].teks, "Terlaksananya mutasi berbasis merit", "tersedianya  data Formasi jabatan")
    for teks in lain:
        assert teks not in html  # the head's, a peer kabid's and their own kabid's draft SKP
    assert html.count(tertutup) == 7  # 3 of the head, 1 sekretaris, 2 kabid MP, 1 kabid PKP
    assert "Ratna Sari Dewi" in html  # whose RHK it is stays visible

    html = client_for("kabid").get(url).content.decode()
    assert "tersedianya  data Formasi jabatan" in html and "Tersedianya rekap formasi" in html  # own, bawahan
    assert "Terlaksananya mutasi berbasis merit" not in html and cascade["a"].teks not in html
    assert html.count(tertutup) == 6

    for role in ("kepala", "admin"):
        assert tertutup not in client_for(role).get(url).content.decode()


def test_pohon_query_count_is_flat_in_the_number_of_bawahan_rhk(client_for, cascade, pemeran):
    pkp = cascade["pkp"]
    kabid_rhk = pkp.rhk.get()
    pel_skp, _ = _skp(pemeran["pelaksana"], pkp.periode)
    fun_skp, _ = _skp(pemeran["fungsional"], pkp.periode)

    def tambah(n: int, start: int) -> None:
        Rhk.objects.bulk_create(
            Rhk(
                skp=(pel_skp, fun_skp)[i % 2], teks=f"Tersedianya hasil kerja nomor {i}", intervensi=kabid_rhk
            )
            for i in range(start, start + n)
        )

    client = client_for("pelaksana")
    url = reverse("rencana:pohon") + f"?tahun={TAHUN}"
    tambah(10, 0)
    sepuluh = _queries(client, url)
    tambah(90, 10)
    seratus = _queries(client, url)
    html = client.get(url).content.decode()
    assert "Tersedianya hasil kerja nomor 98" in html  # their own RHK; a colleague's are not shown
    assert "Tersedianya hasil kerja nomor 99" not in html
    assert sepuluh == seratus


def test_the_matriks_tab_with_a_unit_the_user_may_not_open_falls_back_to_their_own(client_for, pemeran):
    # The planning pages' "Matriks peran hasil" tab carries the unit being looked at (the top unit on the peta
    # strategi); a fungsional may not open that unit's matriks and got "Akses ditolak" from the tab.
    puncak = _unit(pemeran["kepala"])
    assert puncak.parent_id is None
    client = client_for("fungsional")
    response = client.get(reverse("rencana:matriks_saya") + f"?unit={puncak.pk}&tahun=2026")
    assert response.status_code == 302
    assert response.url != reverse("rencana:matriks", args=[puncak.pk]) + "?tahun=2026"
    assert client.get(response.url).status_code == 200
    # a unit the user may open is kept
    admin = client_for("admin").get(reverse("rencana:matriks_saya") + f"?unit={puncak.pk}&tahun=2026")
    assert admin.url == reverse("rencana:matriks", args=[puncak.pk]) + "?tahun=2026"


def test_matriks_tab_never_leads_a_pegawai_to_a_refusal(client_for, periode, pemeran):
    # The Perencanaan tabs carry the unit being viewed (e.g. the top unit's peta strategi, open to all);
    # for a unit whose matriks the pegawai may not open, the tab goes to one they may open.
    root, bpkp = _unit(pemeran["kepala"]), _unit(pemeran["kabid"])
    pelaksana = client_for("pelaksana")
    response = pelaksana.get(reverse("rencana:matriks_saya") + f"?unit={root.pk}&tahun={TAHUN}")
    assert response.status_code == 302
    assert response["Location"] == reverse("rencana:matriks", args=[bpkp.pk]) + f"?tahun={TAHUN}"
    assert pelaksana.get(response["Location"]).status_code == 200
    # The unit asked for is still honoured when it may be opened.
    kepala = client_for("kepala")
    response = kepala.get(reverse("rencana:matriks_saya") + f"?unit={bpkp.pk}")
    assert response["Location"] == reverse("rencana:matriks", args=[bpkp.pk])
