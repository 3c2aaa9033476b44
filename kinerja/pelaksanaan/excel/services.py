"""The realisasi/catatan upload as a background job.

The upload request checks only the file's size and format (`spreadsheet.periksa_cepat`) and keeps it in the
private storage; the job reads and checks every row (`workbook.parse_workbook`) and saves them all or none
(`workbook.apply`), then writes what the page shows (errors per sheet/row/column, the counts) as JSON beside
the job and removes the kept file. The same file pressed twice while its job runs gives that job back.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from dataclasses import asdict, dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kinerja.organisasi.impor.services import RowError
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pekerjaan import services as pekerjaan
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.pekerjaan.services import GagalPekerjaan, Laporan
from kinerja.pelaksanaan.excel import workbook as excel
from kinerja.perencanaan.models import Skp

JENIS = "unggah_realisasi"
LANGKAH = 3  # read and check, save, done
MAKS_KESALAHAN_DISIMPAN = 500


def _path_berkas(nama: str) -> str:
    return f"unggahan-realisasi/{nama}.xlsx"


def path_hasil(pekerjaan_id: int) -> str:
    return f"unggahan-realisasi/{pekerjaan_id}.json"


@dataclass
class HasilUnggah:
    nama_berkas: str
    errors: list[RowError] = field(default_factory=list)
    jumlah_kesalahan: int = 0
    ditolak: bool = False
    hitungan: dict[str, excel.Hitungan] = field(default_factory=dict)
    skp_id: int | None = None
    periode_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.jumlah_kesalahan

    def rencana(self) -> excel.RencanaUnggah:
        """The plan as the upload page shows it (SKP, periode, counts)."""
        return excel.RencanaUnggah(
            skp=Skp.objects.select_related("periode").filter(pk=self.skp_id).first(),
            periode=PeriodePenilaian.objects.filter(pk=self.periode_id).first(),
            hitungan=self.hitungan,
        )

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, isi: bytes) -> HasilUnggah:
        data = json.loads(isi)
        return cls(
            nama_berkas=data["nama_berkas"],
            errors=[RowError(**e) for e in data["errors"]],
            jumlah_kesalahan=data["jumlah_kesalahan"],
            ditolak=data["ditolak"],
            hitungan={sheet: excel.Hitungan(**h) for sheet, h in data["hitungan"].items()},
            skp_id=data["skp_id"],
            periode_id=data["periode_id"],
        )


def start_unggah(user: User, nama_berkas: str, isi: bytes) -> Pekerjaan:
    """Keep an upload that passed the quick check and queue its check and save. Whose SKP it is, and the
    owner's right to change it, are decided by the job (the file names its SKP; the services check again)."""
    sidik = hashlib.sha256(isi).hexdigest()[:32]
    path = default_storage.save(_path_berkas(uuid.uuid4().hex), ContentFile(isi))
    p = pekerjaan.mulai(
        JENIS,
        f"unggah-realisasi:{user.pk}:{sidik}",
        user,
        user.pegawai.instansi,
        f"Unggahan Excel {nama_berkas}"[:200],
        jalankan_unggah,
        path=path,
        nama_berkas=nama_berkas[:200],
    )
    if not p.baru:  # the same file is already being processed: this copy is not needed
        default_storage.delete(path)
    return p


def jalankan_unggah(laporan: Laporan, *, path: str, nama_berkas: str) -> None:
    """The job: check every row of the kept file, save them all or none, keep the outcome for the page."""
    p = laporan.pekerjaan
    user = p.pemilik
    if not default_storage.exists(path):
        raise GagalPekerjaan("Berkas yang diunggah sudah tidak tersedia. Unggah ulang berkasnya.")
    laporan.langkah(0, LANGKAH, "Membaca dan memeriksa setiap baris")
    with default_storage.open(path, "rb") as handle:
        berkas = io.BytesIO(handle.read())
    berkas.name = nama_berkas  # type: ignore[attr-defined]
    plan = excel.parse_workbook(berkas, user)
    errors = plan.errors
    if plan.ok:
        laporan.langkah(1, LANGKAH, "Menyimpan")
        errors = excel.apply(plan, user)
    hasil = HasilUnggah(
        nama_berkas,
        errors[:MAKS_KESALAHAN_DISIMPAN],
        len(errors),
        plan.ditolak,
        plan.hitungan,
        plan.skp.pk if plan.skp is not None and not plan.ditolak else None,
        plan.periode.pk if plan.periode is not None and not plan.ditolak else None,
    )
    default_storage.delete(path_hasil(p.pk))
    default_storage.save(path_hasil(p.pk), ContentFile(hasil.to_json()))
    default_storage.delete(path)
    if errors:
        raise GagalPekerjaan(
            f"Berkas {nama_berkas} memuat {len(errors)} kesalahan (sheet, baris, dan kolomnya ada di halaman "
            "unggah); tidak ada yang disimpan."
        )
    laporan.langkah(LANGKAH, LANGKAH, "Selesai")
    jumlah = sum(h.dibuat + h.diubah for h in plan.hitungan.values())
    laporan.ringkas(f"{jumlah} baris disimpan.")


def pekerjaan_unggah(pk: int, user: User) -> Pekerjaan | None:
    return Pekerjaan.objects.filter(pk=pk, pemilik_id=user.pk, jenis=JENIS).first()


def hasil_unggah(p: Pekerjaan) -> HasilUnggah | None:
    path = path_hasil(p.pk)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return HasilUnggah.from_json(handle.read())
