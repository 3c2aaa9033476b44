"""The first-run checklist of an instansi (`/panduan/mulai/`, docs/rules.md §36): each step read from the
data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Periode, UnitKerja, User
from kinerja.organisasi.selectors import today
from kinerja.perencanaan.models import Skp


@dataclass(frozen=True)
class LangkahMulai:
    kode: str
    judul: str
    teks: str
    selesai: bool
    keadaan: str
    """What the data shows now ("3 unit kerja, 12 jabatan, 40 pegawai")."""
    url: str
    tautan: str


def langkah_mulai(instansi: Instansi | None, *, superuser: bool = False) -> list[LangkahMulai]:
    """The steps of a new instansi, each ✓ or belum from the data: (0, a superuser only) the instansi
    exists, its kop data, its organisation, the periode of this year with its periode penilaian, pegawai
    who can sign in, the first SKP. Four queries, whatever the size of the instansi."""
    langkah: list[LangkahMulai] = []
    if superuser:
        langkah.append(
            LangkahMulai(
                "instansi",
                "Buat instansi",
                "Superuser membuat instansi beserta admin kepegawaiannya yang pertama.",
                instansi is not None,
                f"Bekerja pada {instansi.nama}." if instansi is not None else "Belum ada instansi.",
                reverse("organisasi:instansi_create"),
                "Tambah instansi",
            )
        )
    if instansi is None:
        return langkah
    hari = today()
    jumlah = (
        Instansi.objects.filter(pk=instansi.pk)
        .annotate(
            n_unit=_hitung(UnitKerja.objects.filter(instansi=OuterRef("pk"))),
            n_jabatan=_hitung(Jabatan.objects.filter(instansi=OuterRef("pk"))),
            n_pegawai=_hitung(Pegawai.objects.filter(instansi=OuterRef("pk"), aktif=True)),
        )
        .values("n_unit", "n_jabatan", "n_pegawai")
        .get()
    )
    periode = (
        Periode.objects.filter(instansi=instansi, tahun=hari.year)
        .annotate(n_pp=Count("periode_penilaian"))
        .first()
    )
    akun = User.objects.filter(pegawai__instansi=instansi, pegawai__aktif=True, is_active=True).aggregate(
        semua=Count("pk"),
        # An unusable password starts with "!" (Django's marker); one who signed in with ASN Digital may
        # have none.
        dapat_masuk=Count("pk", filter=~Q(password__startswith="!") | Q(last_login__isnull=False)),
    )
    skp = Skp.objects.filter(periode=periode).aggregate(n=Count("pk")) if periode is not None else {"n": 0}

    kop = bool(instansi.alamat and instansi.kota)
    langkah.append(
        LangkahMulai(
            "kop",
            "Lengkapi data instansi",
            "Alamat dan kota tempat penandatanganan tampil pada kop dan tanda tangan dokumen; logo boleh "
            "menyusul.",
            kop,
            ", ".join(
                [
                    "alamat terisi" if instansi.alamat else "alamat belum diisi",
                    f"kota {instansi.kota}" if instansi.kota else "kota belum diisi",
                    "logo ada" if instansi.logo else "tanpa logo",
                ]
            ),
            reverse("organisasi:pengaturan"),
            "Pengaturan instansi",
        )
    )
    langkah.append(
        LangkahMulai(
            "organisasi",
            "Impor struktur organisasi",
            "Unit kerja, jabatan, dan pegawai beserta penempatannya, dari templat Excel.",
            bool(jumlah["n_unit"] and jumlah["n_jabatan"] and jumlah["n_pegawai"]),
            f"{jumlah['n_unit']} unit kerja, {jumlah['n_jabatan']} jabatan, "
            f"{jumlah['n_pegawai']} pegawai aktif",
            reverse("organisasi:impor"),
            "Impor dari Excel",
        )
    )
    langkah.append(
        LangkahMulai(
            "periode",
            f"Atur periode {hari.year}",
            "Periode tahun berjalan dengan skema evaluasi periodik, periode penilaiannya, dan batas "
            "waktunya.",
            periode is not None and periode.n_pp > 0,
            (
                f"Periode {periode.tahun}: {periode.n_pp} periode penilaian, batas persetujuan SKP "
                f"{periode.batas_skp:%d-%m-%Y}"
                if periode is not None
                else "Belum ada periode tahun ini."
            ),
            reverse("organisasi:periode_detail", args=[periode.pk])
            if periode is not None
            else reverse("organisasi:periode_create"),
            "Lihat jadwal" if periode is not None else "Buat periode",
        )
    )
    langkah.append(
        LangkahMulai(
            "akun",
            "Beri pegawai akses masuk",
            "Pegawai masuk dengan NIP: atur kata sandi awal dari halaman pegawai (atau aktifkan ASN Digital) "
            "dan sampaikan kepada mereka.",
            akun["dapat_masuk"] > 0,
            f"{akun['dapat_masuk']} dari {akun['semua']} pegawai dapat masuk",
            reverse("organisasi:pegawai_list"),
            "Daftar pegawai",
        )
    )
    langkah.append(
        LangkahMulai(
            "skp",
            "SKP pertama dimulai",
            "Pegawai menyusun SKP tahun berjalan dan mengajukannya kepada Pejabat Penilai.",
            skp["n"] > 0,
            f"{skp['n']} SKP tahun {hari.year}",
            reverse("skp:progres"),
            "Progres SKP",
        )
    )
    return langkah


def _hitung(qs: Any) -> Any:
    """The number of rows of `qs` (filtered on OuterRef("pk") of an instansi) as a subquery."""
    return Coalesce(
        Subquery(qs.order_by().values("instansi").annotate(n=Count("pk")).values("n")),
        0,
        output_field=IntegerField(),
    )


def masih_terbuka(instansi: Instansi | None, ringkasan: Any, progres_skp: Any) -> bool:
    """Whether the dashboard shows the checklist link: from what the admin's dashboard already holds (no
    query). The account step is left out: an SKP exists only once a pegawai could sign in."""
    if instansi is None:
        return True
    if ringkasan is None:
        return False
    return not (
        instansi.alamat
        and instansi.kota
        and ringkasan.jumlah_unit
        and ringkasan.jumlah_jabatan
        and ringkasan.jumlah_pegawai
        and ringkasan.periode_aktif is not None
        and progres_skp
        and progres_skp["pegawai"] > progres_skp["belum"]
    )
