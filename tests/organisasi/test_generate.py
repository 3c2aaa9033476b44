"""The generated benchmark instansi: right counts, valid unique NIPs, deterministic, a sound tree."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.demo import generate
from kinerja.organisasi import selectors, services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.rules import nip as nip_rules

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
N = 300


@pytest.fixture
def generated() -> generate.GenerateResult:
    return generate.generate(N, 1, today=TODAY)


def _people(instansi: Instansi) -> list[tuple[str, ...]]:
    return list(
        Pegawai.objects.filter(instansi=instansi)
        .order_by("nip")
        .values_list("nip", "nama", "gelar_depan", "gelar_belakang", "jenis_asn", "pangkat_golongan")
    )


def _structure(instansi: Instansi) -> list[tuple[str, ...]]:
    return list(
        Jabatan.objects.filter(instansi=instansi)
        .order_by("kode")
        .values_list("kode", "nama", "jenis", "jenjang", "unit__kode", "unit__nama", "parent__kode")
    )


def test_counts(generated):
    inst = generated.instansi
    assert inst.kode == "GEN-1-300"
    assert (generated.pegawai, generated.plt) == (N, 3)
    assert Pegawai.objects.filter(instansi=inst).count() == N
    assert UnitKerja.objects.filter(instansi=inst).count() == generated.units == 31
    assert Jabatan.objects.filter(instansi=inst).count() == generated.jabatan == N + generated.plt
    aktif = Penempatan.objects.aktif_pada(TODAY).filter(jabatan__instansi=inst)
    assert aktif.count() == generated.penempatan == N + generated.plt
    per_pegawai = Counter(aktif.filter(jenis="definitif").values_list("pegawai_id", flat=True))
    assert len(per_pegawai) == N and set(per_pegawai.values()) == {1}
    # every jabatan is held; the vacant ones (no definitif holder) only by a PLT who has a post of their own
    assert not Jabatan.objects.filter(instansi=inst).exclude(pk__in=aktif.values("jabatan_id")).exists()
    plt = list(aktif.filter(jenis="plt").select_related("jabatan"))
    assert len(plt) == generated.plt
    for p in plt:
        assert p.jabatan.pimpinan_unit and p.jabatan.parent_id is not None
        assert not aktif.filter(jabatan=p.jabatan, jenis="definitif").exists()
        assert per_pegawai[p.pegawai_id] == 1
    periode = Periode.objects.get(instansi=inst)
    assert periode.tahun == TODAY.year and periode.periode_penilaian.count() == 4
    admin = User.objects.get(username="admin-gen-1-300")
    assert admin.admin_instansi == inst and admin.check_password("kinerja-demo")


def test_every_nip_is_valid_and_unique_and_rows_pass_model_validation(generated):
    inst = generated.instansi
    nips = list(Pegawai.objects.filter(instansi=inst).values_list("nip", flat=True))
    assert all(nip_rules.is_valid(n) for n in nips), [n for n in nips if not nip_rules.is_valid(n)]
    assert len(set(nips)) == N
    pppk = Pegawai.objects.filter(instansi=inst, jenis_asn="pppk")
    assert pppk.exists()
    assert all(nip_rules.parse(p.nip).is_pppk for p in pppk)
    for model in (UnitKerja, Jabatan, Pegawai):
        for obj in model.objects.filter(instansi=inst):
            obj.full_clean()
    for obj in Penempatan.objects.filter(pegawai__instansi=inst).select_related("pegawai", "jabatan"):
        obj.full_clean()
        services.validate_penempatan(obj)


def test_plan_is_deterministic_per_seed():
    one, again, other = generate.build_plan(N, 1), generate.build_plan(N, 1), generate.build_plan(N, 2)
    assert [(p.nip, p.nama) for p in one.pegawai] == [(p.nip, p.nama) for p in again.pegawai]
    assert one.jabatan == again.jabatan and one.units == again.units and one.plt == again.plt
    assert [p.nip for p in one.pegawai] != [p.nip for p in other.pegawai]


def test_the_same_seed_regenerates_the_same_instansi(generated):
    inst = generated.instansi
    people, structure = _people(inst), _structure(inst)
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("generate_instansi", pegawai=N, seed=1, stdout=io.StringIO())
    call_command("generate_instansi", pegawai=N, seed=1, replace=True, stdout=io.StringIO())
    again = Instansi.objects.get(kode="GEN-1-300")
    assert again.pk != inst.pk
    assert _people(again) == people
    assert _structure(again) == structure
    assert sorted(p.nip for p in generate.build_plan(N, 1).pegawai) == [row[0] for row in people]
    assert Instansi.objects.filter(kode="GEN-1-300").count() == 1
    assert User.objects.filter(username="admin-gen-1-300").count() == 1


def test_a_second_instansi_steps_over_nips_already_taken(generated):
    other = generate.generate(N, 1, kode="GEN-LAIN", today=TODAY)
    nips = list(Pegawai.objects.values_list("nip", flat=True))  # with any other instansi in the database
    assert len(nips) == len(set(nips))
    assert Pegawai.objects.filter(instansi=other.instansi).count() == N
    assert all(nip_rules.is_valid(n) for n in nips)
    assert other.instansi.kode == "GEN-LAIN"


def test_every_pegawai_but_the_kepala_has_a_penilai(generated):
    inst = generated.instansi
    without, through_plt = [], 0
    for pegawai in Pegawai.objects.filter(instansi=inst):
        rantai = selectors.rantai_penilai(pegawai, TODAY)
        assert rantai.jabatan is not None
        if rantai.penilai is None:
            without.append(rantai.jabatan.depth)
            continue
        assert rantai.penilai.pegawai != pegawai
        through_plt += rantai.penilai.jenis == "plt"
        if rantai.jabatan.depth >= 2:
            assert rantai.atasan_penilai is not None
    assert without == [0]
    assert through_plt > 0  # bawahan of the vacant posts are rated by the PLT


def test_tree_shape_follows_the_plan(generated):
    inst = generated.instansi
    levels, b = generated.levels, generated.unit_branching
    assert (levels, b) == generate.tree_shape(N + 3) == (3, 5)
    units = list(UnitKerja.objects.filter(instansi=inst))
    children: dict[int | None, int] = Counter(u.parent_id for u in units)
    for u in units:
        assert children[u.pk] == (b if u.depth < levels - 1 else 0)
    assert max(u.depth for u in units) == levels - 1
    jabatan = list(Jabatan.objects.filter(instansi=inst))
    heads = [j for j in jabatan if j.pimpinan_unit]
    assert sorted(j.unit_id for j in heads) == sorted(u.pk for u in units)  # one head per unit
    staff_per_head: dict[int, int] = Counter(j.parent_id for j in jabatan if not j.pimpinan_unit)
    leaf_heads = [j for j in heads if j.depth == levels - 1]
    sizes = {staff_per_head[j.pk] for j in leaf_heads}
    assert max(sizes) - min(sizes) <= 1 and 8 <= min(sizes) <= 12  # ~10 bawahan per head
    assert set(staff_per_head) == {j.pk for j in leaf_heads}  # staff sit only in leaf units
    jenis_by_depth = defaultdict(set)
    for j in jabatan:
        jenis_by_depth[(j.depth, j.pimpinan_unit)].add(j.jenis)
        assert bool(j.jenjang) == (j.jenis == "fungsional")
    assert jenis_by_depth[(0, True)] == {"jpt_pratama"}
    assert jenis_by_depth[(1, True)] == {"administrator"}
    assert jenis_by_depth[(2, True)] == {"pengawas"}
    assert jenis_by_depth[(3, False)] == {"fungsional", "pelaksana"}
    assert [j.unit_kerja_mandiri for j in jabatan].count(True) == 1


def test_a_large_plan_is_four_or_five_levels_deep():
    plan = generate.build_plan(20000, 1)
    assert len(plan.pegawai) == 20000
    assert max(j.depth for j in plan.jabatan) in (4, 5)
    assert 150 <= len(plan.plt) <= 250
    children = plan.children_of()
    fanout = [len(c) for c in children.values() if c]
    assert 8 <= sum(fanout) / len(fanout) <= 14


@pytest.mark.parametrize("n", [1, 2, 11, 12, 13, 50, 99, 101, 1000, 5000])
def test_any_size_gives_exactly_that_many_pegawai(n):
    plan = generate.build_plan(n, 7)
    assert len(plan.pegawai) == n
    assert len(plan.jabatan) == n + len(plan.plt)
    assert len({p.nip for p in plan.pegawai}) == n


def test_paths_and_depths_agree_with_parents(generated):
    inst = generated.instansi
    for model in (UnitKerja, Jabatan):
        nodes = {n.pk: n for n in model.objects.filter(instansi=inst)}
        for n in nodes.values():
            parent = nodes.get(n.parent_id)
            assert n.path == f"{parent.path if parent else '/'}{n.pk}/"
            assert n.path == n.computed_path()
            assert n.depth == len(n.path.strip("/").split("/")) - 1
    units = {u.pk: u for u in UnitKerja.objects.filter(instansi=inst)}
    for j in Jabatan.objects.filter(instansi=inst).select_related("parent"):
        if j.parent is None:
            continue
        if j.pimpinan_unit:  # a head's atasan heads the parent unit
            assert j.parent.unit_id == units[j.unit_id].parent_id and j.parent.pimpinan_unit
        else:  # staff report to the head of their own unit
            assert j.parent.unit_id == j.unit_id and j.parent.pimpinan_unit


def test_ids_continue_after_generation(generated):
    unit = services.save_unit_kerja(
        UnitKerja(instansi=generated.instansi),
        instansi=generated.instansi,
        kode="BARU",
        nama="Unit Baru",
        parent=UnitKerja.objects.get(instansi=generated.instansi, parent__isnull=True),
    )
    assert unit.pk > UnitKerja.objects.exclude(pk=unit.pk).order_by("-pk").first().pk
    pegawai = services.save_pegawai(
        Pegawai(instansi=generated.instansi), nip="199001012015011001", nama="Baru"
    )
    assert pegawai.pk > Pegawai.objects.exclude(pk=pegawai.pk).order_by("-pk").first().pk
    assert unit.history.count() == 1  # services still write history; generated rows have none
    assert Pegawai.history.filter(instansi_id=generated.instansi.pk).count() == 1


def test_command_prints_time_and_counts():
    out = io.StringIO()
    call_command("generate_instansi", pegawai=40, seed=3, stdout=out)
    text = out.getvalue()
    assert "Instansi GEN-3-40 dibangkitkan dalam" in text
    assert "40 pegawai" in text and "admin-gen-3-40 / kinerja-demo" in text
