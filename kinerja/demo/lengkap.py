"""`generate_instansi --lengkap`: what a deadline day needs on top of the generated tree and people.

* a login for every pegawai (username = NIP, password ``kinerja-demo``): the password is hashed **once**
  and the encoded hash reused for every row (20 000 argon2 hashes would take minutes);
* an approved SKP of the year for every pegawai, in the shape `perencanaan.services` writes it (model
  from `rules.skp.model_skp`, penilai and atasan penilai from `rules.penilai.resolve_all`, the identity
  snapshot, the seven BerAKHLAK rows with the penilai's ekspektasi khusus, the log of create → submit →
  approve and the approved version `SkpVersi` with its hash). Each pegawai with a penilai has 3 RHK utama,
  each intervening one of the penilai's RHK (the cascade); a JPT has 4, one per perspective; every RHK has
  2 indikator with a target per periode (numeric for a kuantitatif SKP, text for a kualitatif one);
* a rencana aksi per indikator and periode, a realisasi per indikator for every periode already over
  (the current periode stays open for entry).

Rows are built in chunks of SKP with primary keys assigned here (as in `kinerja.demo.generate`); no
service is called per row and no history rows are written. The logins, SKP and approved versions are
model instances written with ``bulk_create``; the ~85 smaller rows per pegawai (BerAKHLAK, log, RHK,
indikator, targets, rencana aksi, realisasi) are plain tuples of the columns :data:`KOLOM` names, which
PostgreSQL takes through ``COPY`` (building and compiling 1.7 million model instances for a 20 000-pegawai
instansi cost most of the time) and any other database through ``bulk_create`` of the same values. The
columns a tuple does not name take the model's defaults, exactly as ``bulk_create`` would write them.
Everything is drawn from ``random.Random(seed)``: the same seed and size give the same rows.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from kinerja.organisasi.models import Jabatan, Pegawai, Periode, PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi, RencanaAksi
from kinerja.perencanaan.models import (
    Indikator,
    IndikatorTargetPeriode,
    LogAlur,
    Rhk,
    Skp,
    SkpPerilaku,
    SkpVersi,
)
from kinerja.perencanaan.selectors import hash_data, snapshot_identitas
from kinerja.rules import JenisJabatan, JenisPenempatan, Perspektif
from kinerja.rules import skp as skp_rules
from kinerja.rules.alur import Aksi, Status
from kinerja.rules.penilai import Holder, Pejabat, resolve_all
from kinerja.rules.perilaku import BERAKHLAK

if TYPE_CHECKING:
    from kinerja.demo.generate import Ditulis

BATCH_SIZE = 2000
#: SKP per chunk: their RHK, indikator, targets, rencana aksi and realisasi are built and written together.
CHUNK = 1000
Q4 = Decimal("0.0001")

EKSPEKTASI = {
    "BP": "Menanggapi permintaan layanan paling lambat satu hari kerja",
    "AK": "Menyampaikan laporan capaian secara jujur dan tepat waktu",
    "KO": "Mengikuti paling sedikit 20 JP pengembangan kompetensi",
    "HA": "Menjaga suasana kerja yang saling menghargai di unit",
    "LO": "Melaksanakan tugas sesuai arahan pimpinan dan peraturan",
    "AD": "Menyesuaikan cara kerja dengan aplikasi layanan yang baru",
    "KL": "Berbagi data dan bahan kerja dengan unit lain tanpa diminta",
}
HASIL = (
    ("Tersusunnya dokumen {t} yang akurat dan tepat waktu", "dokumen {t}"),
    ("Terlaksananya layanan {t} sesuai standar pelayanan", "layanan {t}"),
    ("Meningkatnya kualitas data {t}", "data {t}"),
)
HASIL_JPT = {
    Perspektif.PENERIMA_LAYANAN: "Meningkatnya kepuasan penerima layanan {t}",
    Perspektif.PROSES_BISNIS: "Terwujudnya proses bisnis {t} yang efektif dan efisien",
    Perspektif.PENGUATAN_INTERNAL: "Meningkatnya kapasitas aparatur {t}",
    Perspektif.ANGGARAN: "Terwujudnya pengelolaan anggaran {t} yang akuntabel",
}


@dataclass(frozen=True)
class HasilLengkap:
    users: int
    skp: int
    rhk: int
    indikator: int
    rencana_aksi: int
    realisasi: int
    periode_lalu: int  # periode penilaian already over (with realisasi)


def _first_free(model: type[models.Model]) -> int:
    """Above the table's and its history table's maximum (no old audit row is taken for a new object)."""
    top = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
    history = getattr(model, "history", None)
    if history is not None:
        top = max(top, history.model.objects.aggregate(m=Max("id"))["m"] or 0)
    return int(top) + 1


#: The columns (attnames) of the rows built as tuples, in tuple order; the others take their defaults.
KOLOM: dict[type[models.Model], tuple[str, ...]] = {
    SkpPerilaku: ("id", "skp_id", "kode", "ekspektasi_khusus"),
    LogAlur: ("skp_id", "aksi", "status_dari", "status_ke", "oleh_id"),  # id from the sequence
    Rhk: ("id", "skp_id", "jenis", "teks", "intervensi_id", "perspektif", "urutan"),
    Indikator: (
        "id",
        "rhk_id",
        "urutan",
        "aspek",
        "teks",
        "target_angka",
        "satuan",
        "konsolidasi",
        "target_teks",
    ),  # fmt: skip
    IndikatorTargetPeriode: ("id", "indikator_id", "nomor", "target_angka", "target_teks"),
    RencanaAksi: ("id", "rhk_id", "periode_penilaian_id", "teks", "urutan"),
    Realisasi: (
        "id",
        "indikator_id",
        "periode_penilaian_id",
        "narasi",
        "diisi_oleh_id",
        "nilai_angka",
        "nilai_teks",
    ),  # fmt: skip
}
#: Written in this order in each chunk (parents first; the foreign keys are checked at commit anyway).
URUTAN: tuple[type[models.Model], ...] = (
    Skp,
    SkpPerilaku,
    LogAlur,
    Rhk,
    Indikator,
    IndikatorTargetPeriode,
    RencanaAksi,
    Realisasi,
    SkpVersi,
)


def tulis_baris(model: type[models.Model], rows: list[Any]) -> None:
    """Insert ``rows`` of ``model``: instances with ``bulk_create``; tuples of :data:`KOLOM` ``[model]``
    with ``COPY`` on PostgreSQL (the other columns: the value ``bulk_create`` would give an unsaved
    instance — its default, ``now`` for ``auto_now``) or ``bulk_create`` of the same values elsewhere."""
    if not rows:
        return
    kolom = KOLOM.get(model)
    if kolom is None:
        model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(kolom, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
        return
    opts = model._meta
    diberi = {opts.get_field(a).attname for a in kolom}
    lain = [f for f in opts.concrete_fields if f.attname not in diberi and not f.primary_key]
    contoh = model()
    tetap = tuple(f.get_db_prep_save(f.pre_save(contoh, True), connection) for f in lain)
    qn = connection.ops.quote_name
    nama = [qn(opts.get_field(a).column) for a in kolom] + [qn(f.column) for f in lain]
    sql = f"COPY {qn(opts.db_table)} ({', '.join(nama)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + tetap)


class _Ids:
    """Consecutive primary keys per model, from above the table's and its history table's maximum."""

    def __init__(self, model_list: list[type[models.Model]]) -> None:
        self.next = {m: _first_free(m) for m in model_list}

    def take(self, model: type[models.Model]) -> int:
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk


def _topik(unit_nama: str) -> str:
    for word in ("Sekretariat", "Subbagian", "Seksi", "Subseksi", "Urusan", "Bidang"):
        if unit_nama.startswith(word + " "):
            return unit_nama[len(word) + 1 :].lower()
    return unit_nama.lower()


class _Orang:
    """A resolved official as `Skp.identitas_values` takes it (``.pegawai``, ``.jabatan``)."""

    def __init__(self, pegawai: Pegawai, jabatan: Jabatan) -> None:
        self.pegawai, self.jabatan = pegawai, jabatan


def write(
    ditulis: Ditulis,
    periode: Periode,
    admin: User,
    seed: int,
    today: datetime.date,
    log: Callable[[str], None] | None = None,
) -> HasilLengkap:
    """Write the logins, SKP, rencana aksi and realisasi of every generated pegawai (module docstring)."""
    from kinerja.demo.generate import PASSWORD, reset_sequences

    rng = random.Random(f"lengkap-{seed}")
    instansi = periode.instansi
    jabatan_by_id = {j.pk: j for j in ditulis.jabatan}
    pegawai_by_id = {p.pk: p for p in ditulis.pegawai}

    # 1. logins: one hash for every row
    encoded = make_password(PASSWORD)
    ids = _Ids([User, Skp, Rhk, Indikator, IndikatorTargetPeriode, SkpPerilaku, RencanaAksi, Realisasi])
    users = [
        User(
            id=ids.take(User),
            username=p.nip,
            pegawai_id=p.pk,
            first_name=p.nama[:150],
            email=p.email,
            is_active=True,
            password=encoded,
        )
        for p in ditulis.pegawai
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    user_of = {u.pegawai_id: u for u in users}
    if log:
        log(f"{len(users)} akun pegawai dibuat.")

    # 2. who rates whom (as `organisasi.selectors.rantai_penilai` decides it)
    parent_of = {j.pk: j.parent_id for j in ditulis.jabatan}
    holders: dict[int, list[Holder]] = defaultdict(list)
    for pen in sorted(ditulis.penempatan, key=lambda x: (x.jenis != JenisPenempatan.DEFINITIF.value, x.pk)):
        holders[pen.jabatan_id].append(Holder(pen.pegawai_id, JenisPenempatan(pen.jenis)))
    chains = resolve_all(parent_of, holders)

    periode_list = list(PeriodePenilaian.objects.filter(periode=periode).order_by("nomor"))
    lalu = [pp for pp in periode_list if pp.selesai < today]
    jumlah = len(periode_list)
    awal, akhir = datetime.date(periode.tahun, 1, 1), datetime.date(periode.tahun, 12, 31)
    diajukan = timezone.make_aware(datetime.datetime(periode.tahun, 1, 15, 9))
    disetujui = timezone.make_aware(datetime.datetime(periode.tahun, 1, 22, 10))

    # SKP in plan order: a penilai (an ancestor, or a head of the level above acting as PLT) comes
    # before the people they rate, so their RHK ids are known when a bawahan's RHK intervenes one.
    definitif = ditulis.penempatan[: len(ditulis.pegawai)]
    rhk_of: dict[int, list[tuple[int, str]]] = {}  # pegawai id → (RHK id, teks) of their SKP
    counts = {"skp": 0, "rhk": 0, "indikator": 0, "rencana_aksi": 0, "realisasi": 0}
    for start in range(0, len(definitif), CHUNK):
        rows: dict[type[models.Model], list[Any]] = defaultdict(list)
        for pen in definitif[start : start + CHUNK]:
            pegawai = pegawai_by_id[pen.pegawai_id]
            jabatan = jabatan_by_id[pen.jabatan_id]
            rantai = chains[(jabatan.pk, pegawai.pk)]
            _skp(
                rows, ids, rng, rhk_of, pegawai, jabatan, pen, rantai.penilai, rantai.atasan_penilai,
                pegawai_by_id, jabatan_by_id, user_of, admin, periode, periode_list, lalu, jumlah,
                (awal, akhir, diajukan, disetujui),
            )  # fmt: skip
        for model in URUTAN:
            tulis_baris(model, rows[model])
        counts["skp"] += len(rows[Skp])
        counts["rhk"] += len(rows[Rhk])
        counts["indikator"] += len(rows[Indikator])
        counts["rencana_aksi"] += len(rows[RencanaAksi])
        counts["realisasi"] += len(rows[Realisasi])
        if log:
            log(f"SKP {start + len(rows[Skp])}/{len(definitif)} ditulis.")
    reset_sequences(
        [
            User,
            Skp,
            SkpPerilaku,
            LogAlur,
            SkpVersi,
            Rhk,
            Indikator,
            IndikatorTargetPeriode,
            RencanaAksi,
            Realisasi,
        ]
    )
    assert instansi.pk == periode.instansi_id
    return HasilLengkap(users=len(users), periode_lalu=len(lalu), **counts)


def _skp(
    rows: dict[type[models.Model], list[Any]],
    ids: _Ids,
    rng: random.Random,
    rhk_of: dict[int, list[tuple[int, str]]],
    pegawai: Pegawai,
    jabatan: Jabatan,
    penempatan: Any,
    penilai: Pejabat | None,
    atasan: Pejabat | None,
    pegawai_by_id: dict[int, Pegawai],
    jabatan_by_id: dict[int, Jabatan],
    user_of: dict[int, User],
    admin: User,
    periode: Periode,
    periode_list: list[PeriodePenilaian],
    lalu: list[PeriodePenilaian],
    jumlah: int,
    waktu: tuple[datetime.date, datetime.date, datetime.datetime, datetime.datetime],
) -> None:
    awal, akhir, diajukan, disetujui = waktu
    instansi = periode.instansi
    model = skp_rules.model_skp(
        JenisJabatan(jabatan.jenis),
        jabatan.unit_kerja_mandiri,
        instansi.skp_kuantitatif_semua,
        instansi.skp_kuantitatif_struktural,
    )
    orang_penilai = (
        _Orang(pegawai_by_id[penilai.pegawai_id], jabatan_by_id[penilai.jabatan_id]) if penilai else None
    )
    orang_atasan = (
        _Orang(pegawai_by_id[atasan.pegawai_id], jabatan_by_id[atasan.jabatan_id]) if atasan else None
    )
    pemilik = user_of[pegawai.pk]
    penyetuju = user_of[penilai.pegawai_id] if penilai else admin
    skp = Skp(
        id=ids.take(Skp),
        instansi_id=instansi.pk,
        periode=periode,
        pegawai_id=pegawai.pk,
        penempatan_id=penempatan.pk,
        jabatan_id=jabatan.pk,
        pegawai_jenjang=jabatan.jenjang,
        unit_id=jabatan.unit_id,
        penilai_id=penilai.pegawai_id if penilai else None,
        penilai_jabatan_id=penilai.jabatan_id if penilai else None,
        atasan_penilai_id=atasan.pegawai_id if atasan else None,
        model=model.value,
        mulai=max(awal, penempatan.mulai),
        selesai=akhir,
        batas=skp_rules.batas_skp_pegawai(periode.tahun, penempatan.mulai, periode.batas_skp),
        status=Status.DISETUJUI.value,
        revisi=1,
        diajukan_pada=diajukan,
        disetujui_pada=disetujui,
        disetujui_oleh_id=penyetuju.pk,
        **Skp.identitas_values(pegawai, jabatan, orang_penilai, orang_atasan),
    )
    rows[Skp].append(skp)
    perilaku = {n.kode: (EKSPEKTASI[n.kode] if penilai else "") for n in BERAKHLAK}
    rows[SkpPerilaku] += [
        (ids.take(SkpPerilaku), skp.pk, kode, teks) for kode, teks in perilaku.items()
    ]  # fmt: skip
    rows[LogAlur] += [
        (skp.pk, "buat", "", Status.DRAFT.value, pemilik.pk),
        (skp.pk, Aksi.AJUKAN.value, Status.DRAFT.value, Status.DIAJUKAN.value, pemilik.pk),
        (skp.pk, Aksi.SETUJUI.value, Status.DIAJUKAN.value, Status.DISETUJUI.value, penyetuju.pk),
    ]

    topik = _topik(jabatan.unit.nama)
    induk = rhk_of.get(penilai.pegawai_id, []) if penilai else []
    if JenisJabatan(jabatan.jenis) in skp_rules.JPT:
        rencana = [(HASIL_JPT[p].format(t=topik), topik, p.value) for p in Perspektif]
    else:
        rencana = [(teks.format(t=topik), objek.format(t=topik), "") for teks, objek in HASIL]
    kuantitatif = model.value == "kuantitatif"
    snapshot_rhk = []
    mine: list[tuple[int, str]] = []
    for urutan, (teks, objek, perspektif) in enumerate(rencana, start=1):
        intervensi = induk[(urutan - 1) % len(induk)] if induk else None
        rhk_id = ids.take(Rhk)
        rows[Rhk].append(
            (rhk_id, skp.pk, "utama", teks, intervensi[0] if intervensi else None, perspektif, urutan)
        )
        mine.append((rhk_id, teks))
        snapshot_ind = []
        for k, ind in enumerate(_indikator(objek, kuantitatif, jumlah), start=1):
            f = ind["fields"]
            indikator_id = ids.take(Indikator)
            rows[Indikator].append(
                (
                    indikator_id, rhk_id, k, f["aspek"], f["teks"], f.get("target_angka"),
                    f.get("satuan", ""), f.get("konsolidasi", "sum"), f.get("target_teks", ""),
                )
            )  # fmt: skip
            rows[IndikatorTargetPeriode] += [
                (ids.take(IndikatorTargetPeriode), indikator_id, nomor, angka, teks_target)
                for nomor, (angka, teks_target) in ind["periode"].items()
            ]
            tampil = SimpleNamespace(
                target_angka=f.get("target_angka"),
                target_angka_atas=None,
                target_teks=f.get("target_teks", ""),
                satuan=f.get("satuan", ""),
            )
            snapshot_ind.append(
                {
                    "aspek": f["aspek"],
                    "teks": f["teks"],
                    "target": Indikator.target_tampil.fget(tampil),  # type: ignore[attr-defined]
                    "periode": {
                        nomor: (str(angka.quantize(Q4)) if angka is not None else teks_target)
                        for nomor, (angka, teks_target) in ind["periode"].items()
                    },
                }
            )
            for pp in periode_list:
                rows[RencanaAksi].append(
                    (ids.take(RencanaAksi), rhk_id, pp.pk, f"Menyiapkan {ind['aksi']} {pp.nama}", k)
                )
            for pp in lalu:
                if kuantitatif:
                    nilai: tuple[Decimal | None, str] = (Decimal(rng.choice(ind["hasil"])), "")
                else:
                    nilai = (None, rng.choice(ind["hasil"]))
                narasi = f"{ind['aksi'].capitalize()} {pp.nama} selesai sesuai rencana aksi."
                rows[Realisasi].append((ids.take(Realisasi), indikator_id, pp.pk, narasi, pemilik.pk, *nilai))
        snapshot_rhk.append(
            {
                "id": rhk_id,
                "jenis": "utama",
                "teks": teks,
                "intervensi": intervensi[1] if intervensi else "",
                "perspektif": perspektif,
                "indikator": snapshot_ind,
            }
        )
    rhk_of[pegawai.pk] = mine
    data = {
        **snapshot_identitas(skp, periode.tahun),
        "rhk": snapshot_rhk,
        "perilaku": perilaku,
        "lampiran": [],
    }
    rows[SkpVersi].append(
        SkpVersi(
            skp_id=skp.pk,
            revisi=skp.revisi,
            data=data,
            sha256=hash_data(data),
            disetujui_oleh_id=penyetuju.pk,
            disetujui_pada=disetujui,
        )
    )


def _indikator(objek: str, kuantitatif: bool, jumlah: int) -> list[dict[str, Any]]:
    """The two indikator of an RHK: fields, the target of each periode (angka, teks), what a rencana aksi
    prepares and (kualitatif) the realisasi texts to pick from."""
    if kuantitatif:
        per = Decimal(2)
        return [
            {
                "fields": {
                    "aspek": "kuantitas",
                    "teks": f"Jumlah {objek} yang diselesaikan",
                    "target_angka": per * jumlah,
                    "satuan": "dokumen",
                    "konsolidasi": "sum",
                },
                "periode": {n: (per, "") for n in range(1, jumlah + 1)},
                "aksi": f"bahan {objek}",
                "hasil": (1, 2, 2, 2, 3),
            },
            {
                "fields": {
                    "aspek": "kualitas",
                    "teks": f"Persentase {objek} yang diterima tanpa revisi",
                    "target_angka": Decimal(100),
                    "satuan": "%",
                    "konsolidasi": "average",
                },
                "periode": {n: (Decimal(100), "") for n in range(1, jumlah + 1)},
                "aksi": f"telaah mutu {objek}",
                "hasil": (90, 95, 100, 100),
            },
        ]
    return [
        {
            "fields": {
                "aspek": "kuantitas",
                "teks": f"Tersedianya {objek} setiap periode",
                "target_teks": "Tersedia setiap periode sesuai jadwal",
            },
            "periode": {n: (None, "Tersedia") for n in range(1, jumlah + 1)},
            "aksi": f"bahan {objek}",
            "hasil": (
                "Tersedia lengkap",
                "Tersedia tepat waktu",
                "Tersedia, sebagian menunggu data unit lain",
            ),
        },
        {
            "fields": {
                "aspek": "kualitas",
                "teks": f"Kualitas {objek} sesuai arahan pimpinan",
                "target_teks": "Diterima pimpinan tanpa revisi mayor",
            },
            "periode": {n: (None, "Tanpa revisi mayor") for n in range(1, jumlah + 1)},
            "aksi": f"telaah mutu {objek}",
            "hasil": ("Diterima tanpa revisi", "Diterima dengan revisi minor"),
        },
    ]


def raw_delete(qs: models.QuerySet) -> None:  # type: ignore[type-arg]
    qs._raw_delete(qs.db)  # no signals: no history rows, no per-row work


def delete(instansi: Any) -> None:
    """Remove what :func:`write` made for ``instansi`` (``generate_instansi --replace``), children before
    parents: realisasi and rencana aksi → targets and indikator → RHK → the SKP's own rows → SKP."""
    skp = Skp.objects.filter(instansi=instansi)
    raw_delete(Realisasi.objects.filter(indikator__rhk__skp__instansi=instansi))
    raw_delete(RencanaAksi.objects.filter(rhk__skp__instansi=instansi))
    raw_delete(IndikatorTargetPeriode.objects.filter(indikator__rhk__skp__instansi=instansi))
    raw_delete(Indikator.objects.filter(rhk__skp__instansi=instansi))
    Rhk.objects.filter(skp__instansi=instansi).update(intervensi=None)
    raw_delete(Rhk.objects.filter(skp__instansi=instansi))
    for model in (SkpPerilaku, SkpVersi, LogAlur):
        raw_delete(model.objects.filter(skp__in=skp))
    raw_delete(skp)
