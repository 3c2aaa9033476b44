"""A large, deterministic instansi for benchmarks and query-count tests (`manage.py generate_instansi`).

Two steps:

* :func:`build_plan` draws everything from ``random.Random(seed)`` into plain dataclasses (no database):
  a unit kerja tree whose every unit has one head jabatan, ~``branching`` bawahan per head, staff jabatan
  (fungsional with jenjang, pelaksana) in the leaf units, one pegawai per occupied post with a valid,
  unique NIP, and ~1 % vacant head posts, each held by a PLT (the atasan or a peer head). The same seed and
  size always give the same plan (NIP, names, tree); NIPs already in the database are stepped over.
* :func:`generate` writes the plan with ``bulk_create`` in batches. Primary keys are assigned here (above
  the current maximum of the table *and* of its history table, so no old audit row is mistaken for a new
  object), which lets ``path``/``depth`` be computed before inserting; PostgreSQL sequences are reset
  afterwards. No history rows are written for the generated rows (generated data has no audit trail);
  the periode is made by :func:`services.create_periode` like any other.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import F, Max
from django.utils import timezone

from kinerja.demo.lengkap import HasilLengkap, raw_delete
from kinerja.demo.lengkap import delete as delete_lengkap
from kinerja.demo.lengkap import write as write_lengkap
from kinerja.organisasi import services
from kinerja.organisasi.models import (
    Instansi,
    Jabatan,
    JenisAsn,
    Pegawai,
    Penempatan,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.rules import JenisJabatan, JenisPenempatan, Jenjang
from kinerja.rules import nip as nip_rules
from kinerja.rules.jadwal import Skema

PASSWORD = "kinerja-demo"
#: NIP, birth dates and TMT are drawn relative to this year (not today), so a seed gives the same
#: people whenever it runs.
REFERENCE_YEAR = 2025
BATCH_SIZE = 2000

# --- word lists -----------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NAMA_LAKI = _words(
    "Agus Ahmad Andi Arif Bambang Bayu Budi Dedi Dimas Eko Fajar Galih Hendra Irfan Joko Kurniawan Lukman "
    "Muhammad Nanda Rahmat Rizki Rudi Slamet Taufik Teguh Wahyu Yusuf Hadi Surya Dwi Iwan"
)
NAMA_PEREMPUAN = _words(
    "Anisa Ayu Desi Dewi Dian Endang Fitri Indah Ika Lestari Lia Maria Nadia Nur Putri Ratna Rina Siti Sri "
    "Tri Wulan Yuliana Yuni Rahma Kartika Mega Novi Sari Eka Wati"
)
MARGA = _words("Siregar Nasution Harahap Simanjuntak Lubis Tanjung Sinaga Pohan Manurung Ginting Tarigan")
NAMA_BELAKANG_LAKI = (
    _words(
        "Pratama Saputra Hidayat Nugroho Setiawan Wibowo Kurniawan Santoso Susanto Gunawan Permana Wijaya "
        "Hartono Rahman Hakim Susilo Sutrisno Effendi Firmansyah Ramadhan"
    )
    + MARGA
)
NAMA_BELAKANG_PEREMPUAN = (
    _words(
        "Lestari Wulandari Rahmawati Handayani Safitri Puspitasari Permatasari Anggraini Kusumawati Maharani "
        "Wijaya Santoso Susanti Fitriani"
    )
    + MARGA
)
NAMA_TUNGGAL_LAKI = _words("Suparman Sukardi Suyatno Wagiman Paijo Parmin")
NAMA_TUNGGAL_PEREMPUAN = _words("Sumarni Sutarmi Tukiyem Sarinah Painem")
GELAR_S1 = _words("S.E. S.H. S.Sos. S.Kom. S.AP. S.T. S.Psi. S.Pd. S.Stat. S.IP. S.Ak.")
GELAR_S2 = _words("M.Si. M.M. M.AP. M.H. M.Kom. M.Ak. M.Pd. M.T.")
GELAR_D3 = _words("A.Md. A.Md.Kom. A.Md.Ak. A.Md.Kes.")

TOPIK = (
    "Perencanaan dan Evaluasi",
    "Pelayanan Publik",
    "Pengembangan Kapasitas",
    "Pengawasan dan Pengendalian",
    "Data dan Informasi",
    "Pembinaan Aparatur",
    "Kerja Sama",
    "Penelitian dan Pengembangan",
    "Sarana dan Prasarana",
    "Pemberdayaan Masyarakat",
    "Hukum dan Regulasi",
    "Teknologi Informasi",
    "Mutasi dan Promosi",
    "Kesejahteraan",
    "Penilaian Kinerja",
    "Pengadaan",
    "Hubungan Masyarakat",
    "Statistik",
    "Perizinan",
    "Pemantauan",
)
TOPIK_SEKRETARIAT = (
    "Umum dan Kepegawaian",
    "Keuangan",
    "Perencanaan",
    "Hukum",
    "Rumah Tangga",
    "Aset",
    "Protokol",
    "Kearsipan",
    "Pelaporan",
    "Tata Usaha",
)
FUNGSIONAL_KEAHLIAN = (
    "Analis Kebijakan",
    "Perencana",
    "Analis SDM Aparatur",
    "Auditor",
    "Pranata Komputer",
    "Arsiparis",
    "Statistisi",
    "Pustakawan",
    "Analis Hukum",
    "Analis Anggaran",
)
FUNGSIONAL_KETERAMPILAN = (
    "Pranata Komputer",
    "Arsiparis",
    "Statistisi",
    "Pranata SDM Aparatur",
    "Pustakawan",
)
PELAKSANA = (
    "Pengadministrasi Perkantoran",
    "Penata Layanan Operasional",
    "Pengolah Data dan Informasi",
    "Operator Layanan Operasional",
    "Pengelola Layanan Operasional",
    "Penelaah Teknis Kebijakan",
    "Pengelola Umum Operasional",
)
ROMAWI = ("", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")

_J = Jenjang
# jenjang, weight, age range, pangkat choices (PNS)
JENJANG_PROFIL: tuple[tuple[Jenjang, int, tuple[int, int], tuple[str, ...]], ...] = (
    (_J.AHLI_PERTAMA, 30, (24, 38), ("III/a", "III/b")),
    (_J.AHLI_MUDA, 25, (32, 50), ("III/c", "III/d")),
    (_J.AHLI_MADYA, 8, (42, 57), ("IV/a", "IV/b", "IV/c")),
    (_J.TERAMPIL, 15, (23, 40), ("II/c", "II/d")),
    (_J.MAHIR, 12, (28, 48), ("III/a", "III/b")),
    (_J.PENYELIA, 10, (36, 56), ("III/c", "III/d")),
)
KEAHLIAN = frozenset({_J.AHLI_PERTAMA, _J.AHLI_MUDA, _J.AHLI_MADYA, _J.AHLI_UTAMA})
PANGKAT_PELAKSANA = {
    "sma": ("II/a", "II/b", "II/c", "II/d"),
    "d3": ("II/c", "II/d", "III/a"),
    "s1": ("III/a", "III/b"),
}
# per head jenis: age range, pangkat choices
KEPALA_PROFIL: dict[JenisJabatan, tuple[tuple[int, int], tuple[str, ...]]] = {
    JenisJabatan.JPT_PRATAMA: ((48, 58), ("IV/c", "IV/d")),
    JenisJabatan.ADMINISTRATOR: ((42, 56), ("IV/a", "IV/b")),
    JenisJabatan.PENGAWAS: ((35, 54), ("III/c", "III/d", "IV/a")),
}


# --- the plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitPlan:
    parent: int | None  # index into Plan.units
    depth: int
    kode: str
    nama: str


@dataclass(frozen=True)
class JabatanPlan:
    unit: int  # index into Plan.units
    parent: int | None  # index into Plan.jabatan
    depth: int
    kode: str
    nama: str
    jenis: JenisJabatan
    jenjang: Jenjang | None
    pimpinan_unit: bool
    vacant: bool = False


@dataclass(frozen=True)
class PegawaiPlan:
    nip: str
    nama: str
    gelar_depan: str
    gelar_belakang: str
    jenis_asn: str
    pangkat: str
    jabatan: int  # index into Plan.jabatan (definitif)
    mulai: datetime.date  # TMT in the jabatan (capped at today when written)


@dataclass(frozen=True)
class PltPlan:
    pegawai: int  # index into Plan.pegawai
    jabatan: int  # index into Plan.jabatan (a vacant post)
    hari_lalu: int  # the PLT started this many days before today
    nomor_sk: str


@dataclass
class Plan:
    seed: int
    branching: int  # the target number of bawahan per head
    levels: int  # levels of units (the jabatan tree is one deeper when there are staff)
    unit_branching: int  # sub-units per non-leaf unit (0 with a single unit)
    units: list[UnitPlan] = field(default_factory=list)
    jabatan: list[JabatanPlan] = field(default_factory=list)
    pegawai: list[PegawaiPlan] = field(default_factory=list)
    plt: list[PltPlan] = field(default_factory=list)

    def children_of(self) -> dict[int, list[int]]:
        """jabatan index → indexes of its direct bawahan jabatan."""
        result: dict[int, list[int]] = {i: [] for i in range(len(self.jabatan))}
        for i, j in enumerate(self.jabatan):
            if j.parent is not None:
                result[j.parent].append(i)
        return result


def _heads(b: int, levels: int) -> int:
    return sum(b**k for k in range(levels))


def tree_shape(jabatan: int, branching: int = 10) -> tuple[int, int]:
    """``(levels, b)``: a unit tree of ``levels`` levels where each head has ``b`` sub-units and each leaf
    unit ~``branching`` staff, holding ``jabatan`` posts in all, with ``b`` and the staff per leaf unit as
    close to ``branching`` as a uniform tree allows. ``levels == 1`` is one unit (``b == 0``)."""
    if jabatan <= branching + 1:
        return 1, 0
    best: tuple[float, int, int] | None = None
    for levels in range(2, 16):
        lo, hi = 1.0, float(jabatan)
        for _ in range(100):  # real b with heads(b) + branching * b**(levels-1) == jabatan
            mid = (lo + hi) / 2
            total = sum(mid**k for k in range(levels)) + branching * mid ** (levels - 1)
            lo, hi = (mid, hi) if total < jabatan else (lo, mid)
        if lo < 1.5:
            break
        b = max(2, round(lo))
        while b > 2 and _heads(b, levels) + b ** (levels - 1) > jabatan:
            b -= 1
        leaves = b ** (levels - 1)
        if _heads(b, levels) + leaves > jabatan:
            continue
        per_leaf = (jabatan - _heads(b, levels)) / leaves
        score = max(abs(b - branching), abs(per_leaf - branching))
        if best is None or score < best[0]:
            best = (score, levels, b)
    if best is None:
        return 1, 0
    return best[1], best[2]


def _birth(rng: random.Random, age: tuple[int, int]) -> datetime.date:
    year = REFERENCE_YEAR - rng.randint(*age)
    month = rng.randint(1, 12)
    return datetime.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


class _NipMaker:
    """Valid, unique NIP / NI PPPK: birth YYYYMMDD + TMT YYYYMM (or YYYY21) + sex + nomor urut 001-999."""

    def __init__(self, rng: random.Random, taken: Iterable[str]) -> None:
        self.rng = rng
        self.taken = set(taken)
        self.next_urut: dict[str, int] = {}

    def make(self, lahir: datetime.date, pppk: bool, sex: int) -> str:
        rng = self.rng
        while True:
            if pppk:
                tmt = f"{rng.randint(max(2019, lahir.year + 19), REFERENCE_YEAR - 1)}{nip_rules.PPPK_KODE}"
            else:
                year = min(REFERENCE_YEAR - 1, lahir.year + rng.randint(21, 29))
                tmt = f"{year}{rng.choice((1, 2, 3, 4, 5, 12)):02d}"
            prefix = f"{lahir:%Y%m%d}{tmt}{sex}"
            urut = self.next_urut.get(prefix, 1)
            while urut <= 999 and f"{prefix}{urut:03d}" in self.taken:
                urut += 1
            if urut <= 999:
                break
            lahir += datetime.timedelta(days=1)  # all 999 used (never in practice): the next day
        self.next_urut[prefix] = urut + 1
        nip = f"{prefix}{urut:03d}"
        self.taken.add(nip)
        return nip


def _nama(rng: random.Random, sex: int) -> str:
    laki = sex == 1
    if rng.random() < 0.06:
        return rng.choice(NAMA_TUNGGAL_LAKI if laki else NAMA_TUNGGAL_PEREMPUAN)
    depan = rng.choice(NAMA_LAKI if laki else NAMA_PEREMPUAN)
    if rng.random() < 0.3:
        tengah = rng.choice(NAMA_LAKI if laki else NAMA_PEREMPUAN)
        if tengah != depan:
            depan = f"{depan} {tengah}"
    return f"{depan} {rng.choice(NAMA_BELAKANG_LAKI if laki else NAMA_BELAKANG_PEREMPUAN)}"


def _gelar(rng: random.Random, pendidikan: str) -> tuple[str, str]:
    if pendidikan == "s3":
        return "Dr.", f"{rng.choice(GELAR_S1)}, {rng.choice(GELAR_S2)}"
    if pendidikan == "s2":
        return "", f"{rng.choice(GELAR_S1)}, {rng.choice(GELAR_S2)}"
    if pendidikan == "s1":
        return "", rng.choice(GELAR_S1)
    if pendidikan == "d3":
        return "", rng.choice(GELAR_D3)
    return "", ""


def _tanggal_antara(rng: random.Random, awal: datetime.date, akhir: datetime.date) -> datetime.date:
    if akhir <= awal:
        return awal
    return awal + datetime.timedelta(days=rng.randint(0, (akhir - awal).days))


def _plan_tree(plan: Plan, rng: random.Random, jabatan_total: int, nama_instansi: str) -> None:
    levels, b = plan.levels, plan.unit_branching
    plan.units.append(UnitPlan(None, 0, "U", nama_instansi))
    plan.jabatan.append(
        JabatanPlan(0, None, 0, "J", f"Kepala {nama_instansi}", JenisJabatan.JPT_PRATAMA, None, True)
    )
    frontier = [0]  # unit index == head jabatan index for units (heads are created in unit order)
    for depth in range(1, levels):
        nxt = []
        for parent in frontier:
            parent_unit = plan.units[parent]
            sekretariat = depth >= 2 and plan.units[_root_child(plan, parent)].kode.endswith(".01")
            for i in range(b):
                kode = f"{parent_unit.kode}.{i + 1:02d}"
                if depth == 1 and i == 0:
                    nama, kepala, jenis = "Sekretariat", "Sekretaris", JenisJabatan.ADMINISTRATOR
                else:
                    topics = TOPIK_SEKRETARIAT if sekretariat else TOPIK
                    topik = topics[i % len(topics)] + ROMAWI[min(i // len(topics), len(ROMAWI) - 1)]
                    if depth == 1:
                        word, jenis = "Bidang", JenisJabatan.ADMINISTRATOR
                    else:
                        word = ("Subbagian" if sekretariat else "Seksi", "Subseksi", "Urusan")[
                            min(depth - 2, 2)
                        ]
                        jenis = JenisJabatan.PENGAWAS
                    nama, kepala = f"{word} {topik}", f"Kepala {word} {topik}"
                plan.units.append(UnitPlan(parent, depth, kode, nama))
                plan.jabatan.append(
                    JabatanPlan(len(plan.units) - 1, parent, depth, f"J{kode[1:]}", kepala, jenis, None, True)
                )
                nxt.append(len(plan.units) - 1)
        frontier = nxt
    staff_total = jabatan_total - len(plan.units)
    leaves = frontier
    base, extra = divmod(staff_total, len(leaves))
    jenjang_choices = [p[0] for p in JENJANG_PROFIL]
    jenjang_weights = [p[1] for p in JENJANG_PROFIL]
    for li, head in enumerate(leaves):
        for k in range(base + (1 if li < extra else 0)):
            kode = f"{plan.jabatan[head].kode}-{k + 1:02d}"
            if rng.random() < 0.5:
                jenjang = rng.choices(jenjang_choices, jenjang_weights)[0]
                pool = FUNGSIONAL_KEAHLIAN if jenjang in KEAHLIAN else FUNGSIONAL_KETERAMPILAN
                nama, jenis = f"{rng.choice(pool)} {jenjang.label}", JenisJabatan.FUNGSIONAL
            else:
                jenjang, nama, jenis = None, rng.choice(PELAKSANA), JenisJabatan.PELAKSANA
            depth = plan.jabatan[head].depth + 1
            plan.jabatan.append(JabatanPlan(head, head, depth, kode, nama, jenis, jenjang, False))


def _root_child(plan: Plan, unit: int) -> int:
    """The depth-1 ancestor (or self) of a unit."""
    while plan.units[unit].depth > 1:
        parent = plan.units[unit].parent
        assert parent is not None
        unit = parent
    return unit


def _plan_people(plan: Plan, rng: random.Random, taken: Iterable[str]) -> None:
    nips = _NipMaker(rng, taken)
    holder: dict[int, int] = {}
    profil_jenjang = {p[0]: (p[2], p[3]) for p in JENJANG_PROFIL}
    for ji, j in enumerate(plan.jabatan):
        if j.vacant:
            continue
        sex = rng.choice((1, 2))
        pppk = False
        if j.pimpinan_unit:
            age, pangkat_pilihan = KEPALA_PROFIL[j.jenis]
            pendidikan = rng.choice(("s2", "s2", "s3")) if j.depth == 0 else rng.choice(("s1", "s2", "s2"))
        elif j.jenis is JenisJabatan.FUNGSIONAL:
            assert j.jenjang is not None
            age, pangkat_pilihan = profil_jenjang[j.jenjang]
            pendidikan = rng.choice(("s1", "s1", "s2")) if j.jenjang in KEAHLIAN else "d3"
            pppk = j.jenjang in (Jenjang.AHLI_PERTAMA, Jenjang.TERAMPIL) and rng.random() < 0.2
        else:
            pendidikan = rng.choice(("sma", "sma", "d3", "s1"))
            age, pangkat_pilihan = (21, 56), PANGKAT_PELAKSANA[pendidikan]
            pppk = rng.random() < 0.1
        lahir = _birth(rng, age if not pppk else (24, 40))
        nip = nips.make(lahir, pppk, sex)
        info = nip_rules.parse(nip)
        if pppk:
            pangkat = {"s1": "IX", "s2": "IX", "d3": "VII"}.get(pendidikan, "V")
        else:
            pangkat = rng.choice(pangkat_pilihan)
        gelar_depan, gelar_belakang = _gelar(rng, pendidikan)
        awal = max(info.tmt, datetime.date(2016, 1, 4))
        mulai = _tanggal_antara(rng, awal, datetime.date(REFERENCE_YEAR, 6, 30))
        plan.pegawai.append(
            PegawaiPlan(
                nip=nip,
                nama=_nama(rng, sex),
                gelar_depan=gelar_depan,
                gelar_belakang=gelar_belakang,
                jenis_asn=JenisAsn.PPPK.value if pppk else JenisAsn.PNS.value,
                pangkat=pangkat,
                jabatan=ji,
                mulai=mulai,
            )
        )
        holder[ji] = len(plan.pegawai) - 1
    children = plan.children_of()
    for ji, j in enumerate(plan.jabatan):
        if not j.vacant:
            continue
        assert j.parent is not None
        peers = [c for c in children[j.parent] if plan.jabatan[c].pimpinan_unit and c in holder]
        if peers and rng.random() < 0.5:
            acting = rng.choice(peers)  # a peer head acts for the vacant post
        else:
            acting = j.parent  # the atasan acts (walking up past vacant posts)
            while acting not in holder:
                parent = plan.jabatan[acting].parent
                assert parent is not None
                acting = parent
        plan.plt.append(
            PltPlan(holder[acting], ji, rng.randint(14, 200), f"800/{len(plan.plt) + 1:03d}/PLT/{plan.seed}")
        )


def build_plan(
    pegawai: int,
    seed: int,
    *,
    branching: int = 10,
    nama_instansi: str = "Badan Uji Beban",
    taken_nips: Iterable[str] = (),
) -> Plan:
    """Everything :func:`generate` writes, drawn from ``random.Random(seed)`` (pure; no database)."""
    if pegawai < 1:
        raise ValueError("Jumlah pegawai paling sedikit 1.")
    if branching < 2:
        raise ValueError("Jumlah bawahan per pimpinan paling sedikit 2.")
    rng = random.Random(seed)
    wanted_vacant = max(1, round(pegawai / 100))
    levels, b = tree_shape(pegawai + wanted_vacant, branching)
    heads = _heads(b, levels) if levels > 1 else 1
    vacant = min(wanted_vacant, (heads - 1) // 4)
    jabatan_total = pegawai + vacant
    if levels > 1 and jabatan_total - heads < b ** (levels - 1):
        raise ValueError("Jumlah pegawai terlalu sedikit untuk bentuk pohon ini.")  # pragma: no cover
    plan = Plan(seed=seed, branching=branching, levels=levels, unit_branching=b)
    _plan_tree(plan, rng, jabatan_total, nama_instansi)
    if vacant:
        nonroot_heads = [i for i, j in enumerate(plan.jabatan) if j.pimpinan_unit and j.parent is not None]
        for ji in sorted(rng.sample(nonroot_heads, vacant)):
            plan.jabatan[ji] = dataclasses.replace(plan.jabatan[ji], vacant=True)
    _plan_people(plan, rng, taken_nips)
    return plan


# --- writing --------------------------------------------------------------------------------------


class GenerateError(Exception):
    """A refusal with an Indonesian message (the instansi exists, another admin would be orphaned…)."""


@dataclass(frozen=True)
class GenerateResult:
    instansi: Instansi
    admin_username: str
    seconds: float
    units: int
    jabatan: int
    pegawai: int
    penempatan: int
    plt: int
    levels: int
    unit_branching: int
    lengkap: HasilLengkap | None = None


def default_kode(seed: int, pegawai: int) -> str:
    return f"GEN-{seed}-{pegawai}"


def admin_username(kode: str) -> str:
    return f"admin-{kode.lower()}"


def _first_id(model: type[models.Model], count: int) -> int:
    """The first of ``count`` fresh primary keys: above the table's and its history table's maximum, and
    all of the same number of digits (so ``path`` order is numeric order among siblings)."""
    top = model.objects.aggregate(m=Max("pk"))["m"] or 0
    history = getattr(model, "history", None)
    if history is not None:
        top = max(top, history.model.objects.aggregate(m=Max("id"))["m"] or 0)
    start = top + 1
    while len(str(start)) != len(str(start + count - 1)):
        start = 10 ** len(str(start))
    return start


def _delete_instansi(instansi: Instansi, admin: str) -> None:
    others = list(
        User.objects.filter(admin_instansi=instansi)
        .exclude(username=admin)
        .values_list("username", flat=True)
    )
    if others:
        raise GenerateError(
            f"Instansi {instansi.kode} tidak dapat diganti: akun admin lain masih terhubung "
            f"({', '.join(others)})."
        )
    # `--lengkap` rows first, children before parents (realisasi and rencana aksi → targets and indikator
    # → RHK → the SKP's own rows → SKP); then the logins of the pegawai, then the tree.
    delete_lengkap(instansi)
    User.objects.filter(admin_instansi=instansi).delete()
    generated_logins = User.objects.filter(pegawai__instansi=instansi, username=F("pegawai__nip"))
    User.objects.filter(pk__in=list(generated_logins.values_list("pk", flat=True))).delete()
    User.objects.filter(pegawai__instansi=instansi).update(pegawai=None)
    raw_delete(Penempatan.objects.filter(pegawai__instansi=instansi))
    raw_delete(Penempatan.objects.filter(jabatan__instansi=instansi))
    raw_delete(PeriodePenilaian.objects.filter(periode__instansi=instansi))
    raw_delete(Periode.objects.filter(instansi=instansi))
    raw_delete(Pegawai.objects.filter(instansi=instansi))
    raw_delete(Jabatan.objects.filter(instansi=instansi))
    raw_delete(UnitKerja.objects.filter(instansi=instansi))
    raw_delete(Instansi.objects.filter(pk=instansi.pk))


def _bulk(model: type[models.Model], rows: list[models.Model]) -> None:
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def generate(
    pegawai: int,
    seed: int = 1,
    *,
    branching: int = 10,
    kode: str | None = None,
    replace: bool = False,
    today: datetime.date | None = None,
    lengkap: bool = False,
    ganti: str | None = None,
    log: Callable[[str], None] | None = None,
) -> GenerateResult:
    """Create (or with ``replace`` re-create) the generated instansi; see the module docstring. With
    ``ganti``, the generated instansi of that other code (e.g. the plain ``GEN-<seed>-<pegawai>`` that a
    ``--lengkap`` one takes the place of) is deleted first, in the same transaction."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    kode = kode or default_kode(seed, pegawai)
    admin = admin_username(kode)
    with transaction.atomic():
        existing = Instansi.objects.filter(kode=kode).first()
        if existing is not None:
            if not replace:
                raise GenerateError(
                    f"Instansi dengan kode {kode} sudah ada. Pakai --replace untuk menggantinya "
                    "(semua unit, jabatan, pegawai, penempatan dan periode instansi itu dihapus)."
                )
            _delete_instansi(existing, admin)
        lama = Instansi.objects.filter(kode=ganti).first() if ganti and ganti != kode else None
        if lama is not None:
            _delete_instansi(lama, admin_username(lama.kode))
        if User.objects.filter(username=admin).exists():
            raise GenerateError(f"Nama pengguna {admin} sudah dipakai akun lain.")
        nama = f"Badan Uji Beban {kode}"
        plan = build_plan(
            pegawai,
            seed,
            branching=branching,
            nama_instansi=nama,
            taken_nips=Pegawai.objects.values_list("nip", flat=True).iterator(),
        )
        if log:
            log(f"Rencana dibuat dalam {time.perf_counter() - started:.1f} detik; menulis ke database…")
        instansi = Instansi.objects.create(
            kode=kode, nama=nama, singkatan=kode, alamat="Jl. Uji Beban No. 1", kota="Sukamaju"
        )
        ditulis = _write(plan, instansi, today)
        periode = services.create_periode(instansi, today.year, Skema.TRIWULANAN)
        admin_user = User.objects.create(
            username=admin,
            password=make_password(PASSWORD),
            admin_instansi=instansi,
            first_name="Admin",
            last_name=kode,
        )
        hasil_lengkap = None
        if lengkap:
            if log:
                detik = time.perf_counter() - started
                log(f"Pohon dan pegawai ditulis ({detik:.1f} detik); akun, SKP, realisasi…")
            hasil_lengkap = write_lengkap(ditulis, periode, admin_user, seed, today, log)
    return GenerateResult(
        instansi=instansi,
        admin_username=admin,
        seconds=time.perf_counter() - started,
        units=len(plan.units),
        jabatan=len(plan.jabatan),
        pegawai=len(plan.pegawai),
        penempatan=len(plan.pegawai) + len(plan.plt),
        plt=len(plan.plt),
        levels=plan.levels,
        unit_branching=plan.unit_branching,
        lengkap=hasil_lengkap,
    )


def _tree(start: int, nodes: list[Any]) -> list[tuple[int, str, int | None]]:
    """(pk, path, parent pk) of tree nodes listed parents first, each naming its parent by list index."""
    rows: list[tuple[int, str, int | None]] = []
    for i, node in enumerate(nodes):
        parent = None if node.parent is None else rows[node.parent]
        pk = start + i
        rows.append((pk, f"{parent[1] if parent else '/'}{pk}/", parent[0] if parent else None))
    return rows


@dataclass
class Ditulis:
    """The rows :func:`_write` inserted, in plan order (with their primary keys), for ``--lengkap``."""

    units: list[UnitKerja]
    jabatan: list[Jabatan]
    pegawai: list[Pegawai]
    penempatan: list[Penempatan]  # definitif (one per pegawai, in pegawai order), then the PLT


def _write(plan: Plan, instansi: Instansi, today: datetime.date) -> Ditulis:
    unit_start = _first_id(UnitKerja, len(plan.units))
    jabatan_start = _first_id(Jabatan, len(plan.jabatan))
    pegawai_start = _first_id(Pegawai, len(plan.pegawai))
    penempatan_start = _first_id(Penempatan, len(plan.pegawai) + len(plan.plt))

    units = [
        UnitKerja(
            id=pk, instansi=instansi, kode=u.kode, nama=u.nama, parent_id=parent, path=path, depth=u.depth
        )
        for u, (pk, path, parent) in zip(plan.units, _tree(unit_start, plan.units), strict=True)
    ]
    _bulk(UnitKerja, units)
    jabatan = [
        Jabatan(
            id=pk,
            instansi=instansi,
            unit=units[j.unit],
            kode=j.kode,
            nama=j.nama,
            jenis=j.jenis.value,
            jenjang=j.jenjang.value if j.jenjang else "",
            parent_id=parent,
            pimpinan_unit=j.pimpinan_unit,
            unit_kerja_mandiri=j.parent is None,
            path=path,
            depth=j.depth,
        )
        for j, (pk, path, parent) in zip(plan.jabatan, _tree(jabatan_start, plan.jabatan), strict=True)
    ]
    _bulk(Jabatan, jabatan)
    pegawai = [
        Pegawai(
            id=pegawai_start + i,
            instansi=instansi,
            nip=p.nip,
            nama=p.nama,
            gelar_depan=p.gelar_depan,
            gelar_belakang=p.gelar_belakang,
            jenis_asn=p.jenis_asn,
            pangkat_golongan=p.pangkat,
            aktif=True,
        )
        for i, p in enumerate(plan.pegawai)
    ]
    _bulk(Pegawai, pegawai)

    penempatan = [
        Penempatan(
            id=penempatan_start + i,
            pegawai_id=pegawai_start + i,
            jabatan_id=jabatan_start + p.jabatan,
            jenis=JenisPenempatan.DEFINITIF.value,
            mulai=min(p.mulai, today),
            nomor_sk=f"821.2/{i + 1:05d}/BKPSDM/{p.mulai.year}",
        )
        for i, p in enumerate(plan.pegawai)
    ]
    start = penempatan_start + len(plan.pegawai)
    penempatan += [
        Penempatan(
            id=start + i,
            pegawai_id=pegawai_start + t.pegawai,
            jabatan_id=jabatan_start + t.jabatan,
            jenis=JenisPenempatan.PLT.value,
            mulai=today - datetime.timedelta(days=t.hari_lalu),
            nomor_sk=t.nomor_sk,
        )
        for i, t in enumerate(plan.plt)
    ]
    _bulk(Penempatan, penempatan)

    reset_sequences([UnitKerja, Jabatan, Pegawai, Penempatan])
    return Ditulis(units, jabatan, pegawai, penempatan)


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After inserting explicit primary keys: PostgreSQL's sequences continue above them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)
