"""What a user must sign now (docs/rules.md §29.6): the approved SKP of the current periode where they are
the pegawai or the Pejabat Penilai Kinerja, the final evaluations (periodic and annual) of that periode
where they are the penilai, or the pegawai once the penilai signed, and the issued penetapan naming them as
signatory; minus what the signing order (`kinerja.rules.ttd.menunggu`) does not offer them, judged on the
signatures of each source's current document. A source never issued yet counts as unsigned (it is issued
when signed). Nothing when the instansi signs on paper. Query count: constant in the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from kinerja.dokumen.models import Dokumen, PengaturanTtd, TandaTangan
from kinerja.dokumen.ttd import layanan
from kinerja.organisasi.models import Pegawai
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.perencanaan.selectors import periode_berjalan
from kinerja.rules import ttd
from kinerja.rules.alur import Status
from kinerja.rules.evaluasi import Status as StatusEvaluasi

SKP = "skp"
EVALUASI = "evaluasi"
DOKUMEN = "dokumen"


@dataclass(frozen=True)
class ItemTtd:
    #: "skp:<pk>", "evaluasi:<pk>" or "dokumen:<pk>" (an issued penetapan): what the bulk form posts.
    kunci: str
    jenis: str  # a Dokumen.Jenis value
    pegawai: str
    periode: str
    peran: ttd.Peran
    #: The issued document it is judged on (None: never issued yet).
    dokumen_id: int | None = None
    token: str = ""

    @property
    def jenis_label(self) -> str:
        return str(Dokumen.Jenis(self.jenis).label)

    @property
    def peran_label(self) -> str:
        return self.peran.label

    @property
    def tautan(self) -> str:
        """The signing entry route (the page issues the current document and opens its signing page)."""
        sumber, _, pk = self.kunci.partition(":")
        if sumber == SKP:
            return reverse("dokumen:ttd_skp", args=[int(pk)])
        if sumber == EVALUASI:
            return reverse("dokumen:ttd_evaluasi", args=[int(pk)])
        return reverse("dokumen:ttd", kwargs={"token": self.token})


def menunggu_ttd(user: object, atur: PengaturanTtd | None = None) -> list[ItemTtd]:
    """The documents ``user`` may sign now, SKP first, then evaluations by periode, then penetapan.
    ``atur``: the instansi's signing settings when the caller read them already."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pegawai_id", None) is None:
        return []
    pegawai: Pegawai = user.pegawai  # type: ignore[attr-defined]
    atur = atur if atur is not None else layanan.pengaturan(pegawai.instansi_id)
    if atur.penyedia == PengaturanTtd.Penyedia.NONAKTIF:
        return []
    periode = periode_berjalan(pegawai.instansi_id)
    if periode is None:
        return []

    skp = list(
        Skp.objects.filter(periode=periode, status=Status.DISETUJUI.value)
        .filter(Q(pegawai_id=pegawai.pk) | Q(penilai_id=pegawai.pk) | Q(penilai_nip=pegawai.nip))
        .select_related("pegawai")
        .order_by("pegawai__nip", "mulai", "pk")
    )
    evaluasi = list(
        Evaluasi.objects.filter(periode=periode, status=StatusEvaluasi.FINAL.value)
        .filter(Q(pegawai_id=pegawai.pk) | Q(penilai_id=pegawai.pk))
        .select_related("pegawai", "periode_penilaian")
        .order_by("periode_penilaian__nomor", "pegawai__nip", "pk")
    )
    jenis_ev = (Dokumen.Jenis.EVALUASI, Dokumen.Jenis.PREDIKAT)
    # The current (latest, not superseded) document of every source, and the issued penetapan naming the
    # user: one query; their signatures: one more.
    dokumen = list(
        Dokumen.objects.filter(digantikan_oleh__isnull=True, instansi_id=pegawai.instansi_id)
        .filter(
            Q(jenis=Dokumen.Jenis.SKP, objek_id__in=[s.pk for s in skp])
            | Q(jenis__in=jenis_ev, objek_id__in=[e.pk for e in evaluasi])
            | Q(jenis=Dokumen.Jenis.PENETAPAN, pegawai_nip=pegawai.nip, tahun=periode.tahun)
        )
        .only("pk", "jenis", "objek_id", "revisi", "token", "tahun", "pegawai_nama", "unit_nama")
        .order_by("pk")
    )
    sudah: dict[int, set[ttd.Peran]] = {d.pk: set() for d in dokumen}
    for dok_id, peran in TandaTangan.objects.filter(dokumen_id__in=list(sudah)).values_list(
        "dokumen_id", "peran"
    ):
        sudah[dok_id].add(ttd.Peran(peran))
    terkini: dict[tuple[str, int], Dokumen] = {}
    revisi_skp = {s.pk: s.revisi for s in skp}
    for d in dokumen:  # ascending pk: the latest wins
        if d.jenis == Dokumen.Jenis.SKP and d.revisi != revisi_skp.get(d.objek_id):
            continue  # an earlier approved revision
        terkini[(d.jenis, d.objek_id)] = d

    hasil: list[ItemTtd] = []

    def tambah(kunci: str, jenis: str, objek_id: int, nama: str, label: str, peran: ttd.Peran) -> None:
        dok = terkini.get((jenis, objek_id))
        if peran in ttd.menunggu(jenis, sudah[dok.pk] if dok is not None else set()):
            token = dok.token if dok is not None else ""
            hasil.append(ItemTtd(kunci, jenis, nama, label, peran, dok.pk if dok else None, token))

    for s in skp:
        peran = ttd.Peran.PEGAWAI if s.pegawai_id == pegawai.pk else ttd.Peran.PENILAI
        tambah(
            f"{SKP}:{s.pk}", Dokumen.Jenis.SKP, s.pk, s.pegawai.nama_lengkap, f"Tahun {periode.tahun}", peran
        )
    for e in evaluasi:
        jenis = Dokumen.Jenis.PREDIKAT if e.jenis == JenisEvaluasi.TAHUNAN else Dokumen.Jenis.EVALUASI
        pp = e.periode_penilaian
        label = f"{pp.nama} {periode.tahun}" if pp is not None else f"Tahunan {periode.tahun}"
        peran = ttd.Peran.PEGAWAI if e.pegawai_id == pegawai.pk else ttd.Peran.PENILAI
        tambah(f"{EVALUASI}:{e.pk}", jenis, e.pk, e.pegawai.nama_lengkap, label, peran)
    for d in dokumen:
        if d.jenis == Dokumen.Jenis.PENETAPAN and terkini.get((d.jenis, d.objek_id)) is d:
            unit = d.unit_nama or d.pegawai_nama
            tambah(f"{DOKUMEN}:{d.pk}", d.jenis, d.objek_id, unit, f"Tahun {d.tahun}", ttd.Peran.PENETAP)
    return hasil


def jumlah_menunggu(user: object) -> int:
    return len(menunggu_ttd(user))
