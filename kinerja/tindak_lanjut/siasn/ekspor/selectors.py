"""What an upload of NIP → SIASN id pairs would change (docs/rules.md §21.2, "ID SIASN dari berkas"): the
pegawai who get an id, those whose stored id differs (replaced only when the admin confirms), those
already equal, and every problem with its row. Two queries whatever the number of rows (pegawai by NIP,
the ids stored in the instansi)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q

from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.tindak_lanjut.models import IdSiasnPegawai
from kinerja.tindak_lanjut.siasn.ekspor.impor_id import Galat, Pasangan

_NAMA = ("nip", "nama", "gelar_depan", "gelar_belakang")


@dataclass(frozen=True)
class Perubahan:
    baris: int
    pegawai: Pegawai
    pns_id: str
    lama: str = ""  # the id stored now ("" when none)


@dataclass
class RencanaId:
    galat: list[Galat] = field(default_factory=list)
    baru: list[Perubahan] = field(default_factory=list)
    ganti: list[Perubahan] = field(default_factory=list)
    sama: int = 0

    @property
    def ok(self) -> bool:
        return not self.galat

    def kunci_ganti(self) -> list[list[str]]:
        """The replacements as the admin saw them: NIP, id stored, id uploaded."""
        return [[p.pegawai.nip, p.lama, p.pns_id] for p in self.ganti]


def plan_id_siasn(instansi: Instansi, pasangan: Sequence[Pasangan]) -> RencanaId:
    """Check the pairs against the instansi: the NIP is one of its pegawai, the id is not stored for
    another of its pegawai (after this upload: swapping two ids in one file is allowed)."""
    nips = [p.nip for p in pasangan]
    pegawai = {p.nip: p for p in Pegawai.objects.filter(instansi=instansi, nip__in=nips)}
    stored = IdSiasnPegawai.objects.filter(pegawai__instansi=instansi).select_related("pegawai")
    tersimpan: dict[int, str] = {}
    tampil: dict[int, str] = {pg.pk: f"{pg.nama_lengkap} (NIP {pg.nip})" for pg in pegawai.values()}
    for obj in stored.only("pegawai_id", "pns_id", *(f"pegawai__{f}" for f in _NAMA)):
        tersimpan[obj.pegawai_id] = obj.pns_id
        tampil[obj.pegawai_id] = f"{obj.pegawai.nama_lengkap} (NIP {obj.pegawai.nip})"
    # The ids as they would be after this upload: an id may move from one pegawai to another in one file.
    akhir = dict(tersimpan)
    for p in pasangan:
        if p.nip in pegawai:
            akhir[pegawai[p.nip].pk] = p.pns_id
    pemegang: dict[str, list[int]] = {}
    for pk, pns_id in akhir.items():
        pemegang.setdefault(pns_id, []).append(pk)

    hasil = RencanaId()
    for p in pasangan:
        pg = pegawai.get(p.nip)
        if pg is None:
            hasil.galat.append(Galat(p.baris, f"NIP {p.nip} bukan pegawai instansi ini."))
            continue
        lain = [pk for pk in pemegang.get(p.pns_id, []) if pk != pg.pk]
        if lain:
            hasil.galat.append(
                Galat(
                    p.baris,
                    f"ID SIASN {p.pns_id} sudah tersimpan untuk {tampil[lain[0]]}; satu ID hanya untuk satu "
                    "pegawai.",
                )
            )
            continue
        lama = tersimpan.get(pg.pk, "")
        if lama == p.pns_id:
            hasil.sama += 1
        elif lama:
            hasil.ganti.append(Perubahan(p.baris, pg, p.pns_id, lama))
        else:
            hasil.baru.append(Perubahan(p.baris, pg, p.pns_id))
    hasil.galat.sort(key=lambda g: g.baris)
    return hasil


def pegawai_template(instansi: Instansi) -> list[tuple[str, str, str]]:
    """NIP, name and stored SIASN id of every active pegawai of the instansi, in NIP order (the template)."""
    return [
        (pg.nip, pg.nama_lengkap, getattr(getattr(pg, "id_siasn", None), "pns_id", ""))
        for pg in Pegawai.objects.filter(instansi=instansi, aktif=True)
        .select_related("id_siasn")
        .order_by("nip")
    ]


def jumlah_id(instansi: Instansi) -> tuple[int, int]:
    """(active pegawai, of whom with a stored SIASN id): one query."""
    hitung = Pegawai.objects.filter(instansi=instansi, aktif=True).aggregate(
        semua=Count("pk"), ada=Count("pk", filter=Q(id_siasn__isnull=False))
    )
    return hitung["semua"], hitung["ada"]
